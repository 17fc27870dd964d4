/** Renders the benchmark figures as bench/RESULTS.md, each against its target (issue 8). */
import type { OperationMeasure } from "./measure";

type Operation = "up" | "refresh" | "destroy";

/** up, refresh and destroy of one stack, and its checkpoint size after up. */
export type Lifecycle = Record<Operation, OperationMeasure> & { stateBytes?: number };

/** Everything one benchmark run measured. */
export interface BenchResults {
  command: string;
  settings: {
    latencyMs: number;
    parallel: number;
    sizes: number[];
    vxcN: number;
    provisioningDelayMs: number;
  };
  machine: { cpu: string; memoryGb: number; os: string; node: string; pulumi: string; date: string };
  /** The engine floor by N. */
  floor: Record<number, Lifecycle>;
  /** N service keys by N. */
  keys: Record<number, Lifecycle>;
  /** N/4 VXCs. */
  vxcs: (Lifecycle & { n: number }) | undefined;
  /** N service keys through the provider plugin (a Pulumi YAML program), by N. */
  pluginKeys?: Record<number, Lifecycle>;
}

/** The fewest API requests each operation needs per resource (issue 8's targets). */
const MINIMAL_CALLS = {
  keys: { up: 1, refresh: 1, destroy: 1 },
  vxcs: { up: 3, refresh: 1, destroy: 1 },
} as const;

const RATIO_TARGET = 1.2;
const STATE_TARGET_BYTES = 20 * 1024;
const OPERATIONS: Operation[] = ["up", "refresh", "destroy"];

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const mark = (ok: boolean) => (ok ? "met" : "**missed**");

/** Engine floor + minimal API calls per resource × L × N / parallelism. */
export function idealMs(results: BenchResults, kind: "keys" | "vxcs", op: Operation, n: number): number {
  const floor = results.floor[n];
  if (floor === undefined) throw new Error(`no floor measured for N = ${n}`);
  return (
    floor[op].ms + (MINIMAL_CALLS[kind][op] * results.settings.latencyMs * n) / results.settings.parallel
  );
}

function timeRows(results: BenchResults, kind: "keys" | "vxcs", n: number, lifecycle: Lifecycle): string[] {
  return OPERATIONS.map((op) => {
    const ideal = idealMs(results, kind, op, n);
    const ratio = lifecycle[op].ms / ideal;
    return `| ${kind === "keys" ? `${n} keys` : `${n} VXCs`} | ${op} | ${seconds(results.floor[n][op].ms)} | ${seconds(lifecycle[op].ms)} | ${seconds(ideal)} | ${ratio.toFixed(2)} | ${mark(ratio <= RATIO_TARGET)} |`;
  });
}

function endpoints(measure: OperationMeasure, n: number): string {
  return Object.entries(measure.byEndpoint)
    .sort(([, a], [, b]) => b - a)
    .map(([endpoint, count]) => `\`${endpoint}\` ${(count / n).toFixed(2)}`)
    .join("; ");
}

/** Polls: reads of the VXC product after the buy (`GET /v2/product/{uid}`). */
const isPoll = (endpoint: string) => endpoint === "GET /v2/product/{uid}";

function requestRows(kind: "keys" | "vxcs", n: number, lifecycle: Lifecycle): string[] {
  return OPERATIONS.map((op) => {
    const measure = lifecycle[op];
    const perResource = measure.apiRequests / n;
    const polls = Object.entries(measure.byEndpoint)
      .filter(([endpoint]) => isPoll(endpoint))
      .reduce((sum, [, count]) => sum + count, 0);
    const target = MINIMAL_CALLS[kind][op];
    const counted = kind === "vxcs" && op === "up" ? (measure.apiRequests - polls) / n : perResource;
    const targetText = kind === "vxcs" && op === "up" ? `≤ ${target} plus polls` : `${target}`;
    const pollText = kind === "vxcs" && op === "up" ? ` (${(polls / n).toFixed(2)} of them polls)` : "";
    return `| ${kind === "keys" ? `${n} keys` : `${n} VXCs`} | ${op} | ${perResource.toFixed(2)}${pollText} | ${targetText} | ${mark(counted <= target + 1e-9)} | ${endpoints(measure, n)} |`;
  });
}

function tokenRows(label: string, lifecycle: Lifecycle): string[] {
  return OPERATIONS.map((op) => {
    const tokens = lifecycle[op].tokenRequestsByAccount;
    const text = Object.entries(tokens)
      .map(([account, count]) => `${account}: ${count}`)
      .join(", ");
    const ok = Object.values(tokens).every((count) => count <= 1);
    return `| ${label} | ${op} | ${text || "none"} | 1 per account | ${mark(ok)} |`;
  });
}

function connectionRows(label: string, lifecycle: Lifecycle): string[] {
  return OPERATIONS.map(
    (op) =>
      `| ${label} | ${op} | ${lifecycle[op].connectionsOpened} | ${lifecycle[op].apiRequests + Object.values(lifecycle[op].tokenRequestsByAccount).reduce((a, b) => a + b, 0)} | ${(lifecycle[op].providerPeakKb / 1024).toFixed(1)} |`,
  );
}

/** The whole RESULTS.md. */
export function renderResults(results: BenchResults, pngName: string): string {
  const { settings, machine } = results;
  const largest = Math.max(...settings.sizes);
  const reference = settings.sizes.includes(100) ? 100 : largest;
  const lines: string[] = [];
  lines.push("# Benchmark results", "");
  lines.push("Produced by one run of:", "", "```sh", results.command, "```", "");
  lines.push(
    `Settings: every API request answered ${settings.latencyMs} ms late by the emulator (L, token endpoint included); ` +
      `engine parallelism P = ${settings.parallel} (\`--parallel\`, the CLI's default); provisioning delay ${settings.provisioningDelayMs} ms; ` +
      `N = ${settings.sizes.join(", ")} service keys, and ${results.vxcs?.n ?? 0} VXCs (N/4 for N = ${settings.vxcN}).`,
    "",
  );
  lines.push(
    "Machine: " +
      `${machine.cpu}; ${machine.memoryGb} GB RAM; ${machine.os}; Node ${machine.node}; Pulumi CLI ${machine.pulumi}; ${machine.date}.`,
    "",
  );
  lines.push(
    "Ideal = engine floor (the same operation on the same number of no-op `pulumi.dynamic.Resource`s, measured in this run) " +
      "+ minimal API calls per resource × L × N / P, with minimal calls: key create 1, refresh 1, delete 1; VXC create 3, refresh 1, delete 1. " +
      `Target: provider / ideal ≤ ${RATIO_TARGET}.`,
    "",
  );

  lines.push("## Time (seconds)", "");
  lines.push(
    "| stack | operation | engine floor | this provider | ideal | provider / ideal | target ≤ 1.2 |",
  );
  lines.push("|---|---|---|---|---|---|---|");
  for (const n of settings.sizes) {
    const lifecycle = results.keys[n];
    if (lifecycle) lines.push(...timeRows(results, "keys", n, lifecycle));
  }
  if (results.vxcs) lines.push(...timeRows(results, "vxcs", results.vxcs.n, results.vxcs));
  lines.push("", `![pulumi up time against N](${pngName})`, "");

  lines.push("## API requests per resource (emulator request log; token requests counted apart)", "");
  lines.push("| stack | operation | requests per resource | target | | by endpoint, per resource |");
  lines.push("|---|---|---|---|---|---|");
  if (results.keys[reference]) lines.push(...requestRows("keys", reference, results.keys[reference]));
  if (results.vxcs) lines.push(...requestRows("vxcs", results.vxcs.n, results.vxcs));
  lines.push("");

  lines.push("## Token requests per account (one provider process per operation)", "");
  lines.push("| stack | operation | token requests | target | |");
  lines.push("|---|---|---|---|---|");
  if (results.keys[largest]) lines.push(...tokenRows(`${largest} keys`, results.keys[largest]));
  if (results.vxcs) lines.push(...tokenRows(`${results.vxcs.n} VXCs`, results.vxcs));
  lines.push("");

  lines.push("## TCP connections and the provider process's peak memory", "");
  lines.push(
    "Connections: accepted by the emulator during the operation (`GET /_emulator/stats`), against the HTTP requests made. " +
      "Peak memory: the highest VmHWM of the provider's node process (`dynamic-provider`), polled from /proc every 50 ms.",
    "",
  );
  lines.push("| stack | operation | TCP connections | HTTP requests | provider peak RSS (MB) |");
  lines.push("|---|---|---|---|---|");
  for (const n of settings.sizes) {
    if (results.floor[n]) lines.push(...connectionRows(`floor, ${n}`, results.floor[n]));
    if (results.keys[n]) lines.push(...connectionRows(`${n} keys`, results.keys[n]));
  }
  if (results.vxcs) lines.push(...connectionRows(`${results.vxcs.n} VXCs`, results.vxcs));
  lines.push("");

  if (results.pluginKeys !== undefined && Object.keys(results.pluginKeys).length > 0) {
    lines.push("## The provider plugin beside the dynamic provider", "");
    lines.push(
      "The same N service keys (multi-use, pre-approved, one product) as a Pulumi YAML program run by `pulumi-language-yaml` " +
        "with the plugin `pulumi-resource-megaport-service-keys` (provider/plugin/), and as the TypeScript program above with " +
        "the dynamic provider (provider/dynamic/): one implementation, two adapters (docs/architecture.md). Same emulator, " +
        "latency and parallelism; the plugin's runs use the plain CLI (`pulumi up --yes --skip-preview`, `refresh --yes " +
        "--skip-preview`, `destroy --yes --skip-preview`), the dynamic ones the Automation API, which runs the same commands.",
      "",
    );
    lines.push("| stack | operation | dynamic (s) | plugin (s) | plugin / dynamic | plugin requests per resource | plugin tokens | plugin peak RSS (MB) |");
    lines.push("|---|---|---|---|---|---|---|---|");
    for (const n of settings.sizes) {
      const plugin = results.pluginKeys[n];
      const dynamic = results.keys[n];
      if (plugin === undefined || dynamic === undefined) continue;
      for (const op of OPERATIONS) {
        const tokens = Object.entries(plugin[op].tokenRequestsByAccount)
          .map(([account, count]) => `${account}: ${count}`)
          .join(", ");
        lines.push(
          `| ${n} keys | ${op} | ${seconds(dynamic[op].ms)} | ${seconds(plugin[op].ms)} | ${(plugin[op].ms / dynamic[op].ms).toFixed(2)} | ${(plugin[op].apiRequests / n).toFixed(2)} | ${tokens || "none"} | ${(plugin[op].providerPeakKb / 1024).toFixed(1)} |`,
        );
      }
    }
    lines.push("");
  }

  lines.push("## State size (the checkpoint file after up, divided by the resources)", "");
  lines.push("| stack | checkpoint bytes | per resource | target < 20 KB | |");
  lines.push("|---|---|---|---|---|");
  const stateRow = (label: string, bytes: number | undefined, n: number) => {
    if (bytes === undefined) return;
    const perResource = bytes / n;
    lines.push(
      `| ${label} | ${bytes} | ${(perResource / 1024).toFixed(1)} KB | 20 KB | ${mark(perResource < STATE_TARGET_BYTES)} |`,
    );
  };
  stateRow(`floor, ${reference}`, results.floor[reference]?.stateBytes, reference);
  stateRow(`${reference} keys`, results.keys[reference]?.stateBytes, reference);
  stateRow(`${reference} keys, plugin`, results.pluginKeys?.[reference]?.stateBytes, reference);
  if (results.vxcs) stateRow(`${results.vxcs.n} VXCs`, results.vxcs.stateBytes, results.vxcs.n);
  lines.push("");
  return lines.join("\n");
}
