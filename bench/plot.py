"""Plots `pulumi up` time against N from bench/results/bench.json (written by bench/run.ts).

Usage: python plot.py <bench.json> <out.png>
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(json_file: str, png_file: str) -> None:
    with open(json_file, encoding="utf8") as handle:
        results = json.load(handle)
    settings = results["settings"]
    sizes = [n for n in settings["sizes"] if str(n) in results["keys"]]
    floor = [results["floor"][str(n)]["up"]["ms"] / 1000 for n in sizes]
    keys = [results["keys"][str(n)]["up"]["ms"] / 1000 for n in sizes]
    latency, parallel = settings["latencyMs"], settings["parallel"]
    ideal = [f + latency * n / parallel / 1000 for f, n in zip(floor, sizes)]

    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
    axes.plot(sizes, keys, "o-", label="this provider: N service keys")
    plugin = results.get("pluginKeys") or {}
    plugin_sizes = [n for n in sizes if str(n) in plugin]
    if plugin_sizes:
        plugin_up = [plugin[str(n)]["up"]["ms"] / 1000 for n in plugin_sizes]
        axes.plot(plugin_sizes, plugin_up, "D-", label="the provider plugin (Pulumi YAML): N service keys")
    axes.plot(sizes, ideal, "s--", label=f"ideal: floor + 1 call × {latency} ms × N / {parallel}")
    axes.plot(sizes, floor, "^:", label="engine floor: N no-op dynamic resources")
    axes.set_xlabel("N (resources)")
    axes.set_ylabel("pulumi up (seconds)")
    axes.set_title(f"pulumi up time against N (API latency {latency} ms, --parallel {parallel})")
    axes.set_xticks(sizes)
    axes.set_ylim(bottom=0)
    axes.grid(True, alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(png_file)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
