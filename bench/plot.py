"""Plots `pulumi up` time against N from bench/results/bench.json (written by bench/run.ts).

One panel per latency L: the engine floor, the ideal and this provider (median, with the min-max
range of the runs as error bars), and the provider plugin when it was measured.

Usage: python plot.py <bench.json> <out.png>
"""

import json
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MINIMAL_CALLS_UP = 1  # a key's create: POST /v2/service/key


def runs(point, series):
    return [run["ms"] / 1000 for run in point[series]["up"]] if point.get(series) else []


def main(json_file: str, png_file: str) -> None:
    with open(json_file, encoding="utf8") as handle:
        results = json.load(handle)
    settings = results["settings"]
    latencies = settings["latencies"]
    parallel = settings["parallel"]
    figure, panels = plt.subplots(1, len(latencies), figsize=(6.5 * len(latencies), 4.5), dpi=120, squeeze=False)
    for panel, latency in zip(panels[0], latencies):
        points = sorted(
            (p for p in results["points"] if p["kind"] == "keys" and p["latencyMs"] == latency),
            key=lambda p: p["n"],
        )
        sizes = [p["n"] for p in points]
        floor = [statistics.median(runs(p, "floor")) for p in points]
        ideal = [f + MINIMAL_CALLS_UP * latency * n / parallel / 1000 for f, n in zip(floor, sizes)]

        def draw(series, style, text):
            values = [runs(p, series) for p in points]
            if not all(values):
                return
            medians = [statistics.median(v) for v in values]
            low = [m - min(v) for m, v in zip(medians, values)]
            high = [max(v) - m for m, v in zip(medians, values)]
            panel.errorbar(sizes, medians, yerr=[low, high], fmt=style, capsize=3, label=text)

        draw("provider", "o-", "this provider: N service keys (median, min-max)")
        draw("plugin", "D-", "provider plugin: N service keys (median, min-max)")
        panel.plot(sizes, ideal, "s--", label=f"ideal: floor + 1 call x {latency} ms x N / {parallel}")
        draw("floor", "^:", "engine floor: N no-op dynamic resources")
        panel.set_xlabel("N (resources)")
        panel.set_ylabel("pulumi up (seconds)")
        panel.set_title(f"pulumi up against N (API latency {latency} ms, --parallel {parallel})")
        panel.set_ylim(bottom=0)
        panel.grid(True, alpha=0.3)
        panel.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(png_file)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
