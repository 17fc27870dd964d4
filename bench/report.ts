/**
 * Renders the benchmark figures (issues 8 and 13): every point as the median of its runs with the
 * min and max, against the ideal and the targets; requests, tokens, connections, memory, state
 * size and the provider's CPU profile. bench/NOTES.md (hand-written: why a target is missed and
 * what would close it) is appended to bench/RESULTS.md as it is.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { OperationMeasure } from "./measure";
import { CATEGORIES, type ProfileSummary } from "./profile";
import type { StateBreakdown } from "./stateSize";
import { type Spread, spread } from "./stats";

export type Operation = "up" | "refresh" | "destroy";
export const OPERATIONS: Operation[] = ["up", "refresh", "destroy"];
export type Kind = "keys" | "vxcs";

/** One point (kind, N, L): every run of every series. */
export interface PointResult {
  kind: Kind;
  n: number;
  latencyMs: number;
  floor: Record<Operation, OperationMeasure[]>;
  provider: Record<Operation, OperationMeasure[]>;
  /** The provider plugin's path (provider/plugin/), when measured. */
  plugin: Record<Operation, OperationMeasure[]> | undefined;
  pluginSkipped: string | undefined;
  state?: {
    floorBytes: number;
    providerBytes: number;
    breakdown: StateBreakdown;
    floorBreakdown?: StateBreakdown;
    pluginBytes?: number;
    pluginBreakdown?: StateBreakdown;
  };
  profile?: Partial<Record<Operation, ProfileSummary | undefined>>;
  /** The same profiled run of the floor's provider process. */
  floorProfile?: Partial<Record<Operation, ProfileSummary | undefined>>;
  /** The 1-minute load average when the point started and ended. */
  load: { start: number; end: number };
}

/** Everything one benchmark run measured. */
export interface BenchResults {
  command: string;
  quick: boolean;
  settings: {
    reps: number;
    sizes: number[];
    vxcs: number[];
    latencies: number[];
    limits: Record<number, number>;
    parallel: number;
    provisioningDelayMs: number;
    pollIntervalMs: number;
  };
  machine: {
    cpu: string;
    memoryGb: number;
    os: string;
    node: string;
    pulumi: string;
    started: string;
    finished: string;
    load: { start: number; end: number };
  };
  points: PointResult[];
}

/**
 * The fewest API requests each operation needs per resource with the lifecycle guarantees of
 * docs/lifecycle.md: a key's delete reads the key before the read-merge-write PUT that deactivates
 * it; a VXC's create validates (check), buys, reads its status at least once and takes the
 * unrecorded mark off (tags PUT). Look-ups shared by a whole run (a product, a key) count as 0.
 */
export const MINIMAL_CALLS: Record<Kind, Record<Operation, number>> = {
  keys: { up: 1, refresh: 1, destroy: 2 },
  vxcs: { up: 4, refresh: 1, destroy: 1 },
};

/** Issue 13's targets, provider / ideal (medians); undefined: no target for that operation. */
export function ratioTarget(kind: Kind, op: Operation): number | undefined {
  if (kind === "keys") return 1.1;
  return op === "up" ? 1.2 : undefined;
}

/** Requests per resource that count against the request target (polls apart), and the target. */
const REQUEST_TARGET: Record<Kind, Record<Operation, number>> = {
  keys: { up: 1, refresh: 1, destroy: 2 },
  vxcs: { up: 3, refresh: 1, destroy: 1 },
};

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const mark = (ok: boolean) => (ok ? "met" : "**missed**");
const label = (point: PointResult) => `${point.n} ${point.kind === "keys" ? "keys" : "VXCs"}`;
const fmt = (s: Spread, digits = 2, scale = 1) =>
  s.runs === 1
    ? (s.median / scale).toFixed(digits)
    : `${(s.median / scale).toFixed(digits)} [${(s.min / scale).toFixed(digits)}–${(s.max / scale).toFixed(digits)}]`;

/** Engine floor + minimal calls × L × N / P, for one floor time. */
function ideal(point: PointResult, op: Operation, floorMs: number, parallel: number): number {
  return floorMs + (MINIMAL_CALLS[point.kind][op] * point.latencyMs * point.n) / parallel;
}

/** Ratios of the paired runs (the floor and the provider of one repetition, run side by side). */
function pairedRatios(point: PointResult, op: Operation, series: Record<Operation, OperationMeasure[]>, parallel: number): number[] {
  return series[op].map((run, index) => run.ms / ideal(point, op, point.floor[op][index]?.ms ?? Number.NaN, parallel));
}

/** The ratio summary of a point and operation: median of paired ratios, and whether it meets the target. */
export function ratioOf(point: PointResult, op: Operation, parallel: number): { ratio: Spread; met: boolean | undefined } {
  const ratio = spread(pairedRatios(point, op, point.provider, parallel));
  const target = ratioTarget(point.kind, op);
  return { ratio, met: target === undefined ? undefined : ratio.median <= target };
}

function timeTable(results: BenchResults, latencyMs: number): string[] {
  const { parallel } = results.settings;
  const points = results.points.filter((p) => p.latencyMs === latencyMs);
  const hasPlugin = points.some((p) => p.plugin !== undefined);
  const lines = [
    `| stack | operation | engine floor | this provider | ${hasPlugin ? "provider plugin | " : ""}ideal | provider / ideal | target | |`,
    `|---|---|---|---|---|---|---|---|${hasPlugin ? "---|" : ""}`,
  ];
  for (const point of points) {
    for (const op of OPERATIONS) {
      const floor = spread(point.floor[op].map((r) => r.ms));
      const provider = spread(point.provider[op].map((r) => r.ms));
      const plugin = point.plugin ? fmt(spread(point.plugin[op].map((r) => r.ms)), 2, 1000) : "not measured";
      const { ratio, met } = ratioOf(point, op, parallel);
      const target = ratioTarget(point.kind, op);
      lines.push(
        `| ${label(point)} | ${op} | ${fmt(floor, 2, 1000)} | ${fmt(provider, 2, 1000)} | ${hasPlugin ? `${plugin} | ` : ""}${seconds(ideal(point, op, floor.median, parallel))} | ${fmt(ratio)} | ${target === undefined ? "none" : `≤ ${target}`} | ${met === undefined ? "" : mark(met)} |`,
      );
    }
  }
  return lines;
}

/** How many points meet their time target, and which, so no hand-written text has to count them. */
function targetsAtAGlance(results: BenchResults): string[] {
  const lines = ["Time targets, from the tables above:", ""];
  for (const kind of ["keys", "vxcs"] as const) {
    const judged = results.points
      .filter((p) => p.kind === kind)
      .flatMap((point) =>
        OPERATIONS.filter((op) => ratioTarget(kind, op) !== undefined).map((op) => ({
          name: `${label(point)} \`${op}\` at L = ${point.latencyMs} ms`,
          met: ratioOf(point, op, results.settings.parallel).met === true,
        })),
      );
    if (judged.length === 0) continue;
    const met = judged.filter((j) => j.met).map((j) => j.name);
    lines.push(
      `- ${kind === "keys" ? "Keys" : "VXCs"}: met at ${met.length} of ${judged.length} points${met.length ? ` (${met.join("; ")})` : ""}.`,
    );
  }
  return lines;
}

/**
 * Look-ups a whole run shares (docs/lifecycle.md), not counted against the per-resource target:
 * keys `up`, the product look-up of the preview checks; VXCs `up`, the key look-up and one look-up
 * per A-End (the bench spreads its VXCs over 4 A-Ends).
 */
const PER_RUN: Partial<Record<Kind, Partial<Record<Operation, Record<string, number>>>>> = {
  keys: { up: { "GET /v2/product/{uid}": 1 } },
  vxcs: { up: { "GET /v2/service/key": 1, "GET /v2/product/{uid}": 4 } },
};

/**
 * Requests of one run that are shared look-ups: at most {@link PER_RUN} of each endpoint per 30 s
 * of the operation (a shared look-up is kept 30 s: provider/resources/serviceKeyPreview.ts, vxcAEnds.ts).
 */
function sharedOf(measured: OperationMeasure, kind: Kind, op: Operation): number {
  const windows = Math.max(1, Math.ceil(measured.ms / 30_000));
  return Object.entries(PER_RUN[kind]?.[op] ?? {}).reduce(
    (sum, [endpoint, most]) => sum + Math.min(most * windows, measured.byEndpoint[endpoint] ?? 0),
    0,
  );
}

/** Polls: reads of the VXC after the buy (`GET /v2/product/{uid}` in a VXC create, A-End look-ups apart). */
function pollsOf(measured: OperationMeasure, kind: Kind, op: Operation, n: number): number {
  if (kind !== "vxcs" || op !== "up") return 0;
  const reads = measured.byEndpoint["GET /v2/product/{uid}"] ?? 0;
  return (reads - Math.min(PER_RUN.vxcs?.up?.["GET /v2/product/{uid}"] ?? 0, reads)) / n;
}

function endpoints(measured: OperationMeasure, n: number): string {
  return Object.entries(measured.byEndpoint)
    .sort(([, a], [, b]) => b - a)
    .map(([endpoint, count]) => `\`${endpoint}\` ${(count / n).toFixed(2)}`)
    .join("; ");
}

function requestTable(results: BenchResults): string[] {
  const lines = [
    "| stack | L | operation | requests per resource | of them shared by the run (per resource) | of them VXC status polls | target (shared look-ups apart) | | by endpoint, per resource |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const point of results.points) {
    for (const op of OPERATIONS) {
      const first = point.provider[op][0];
      if (first === undefined) continue;
      const perResource = first.apiRequests / point.n;
      const polls = pollsOf(first, point.kind, op, point.n);
      const target = REQUEST_TARGET[point.kind][op];
      const shared = sharedOf(first, point.kind, op) / point.n;
      const counted = perResource - shared - polls;
      const isVxcUp = point.kind === "vxcs" && op === "up";
      lines.push(
        `| ${label(point)} | ${point.latencyMs} ms | ${op} | ${perResource.toFixed(2)} | ${shared === 0 ? "" : shared.toFixed(2)} | ${isVxcUp ? polls.toFixed(2) : ""} | ${isVxcUp ? `≤ ${target} + polls` : target} | ${mark(counted <= target + 1e-9)} | ${endpoints(first, point.n)} |`,
      );
    }
  }
  return lines;
}

function tokenTable(results: BenchResults): string[] {
  const lines = ["| stack | L | most token requests per account in one operation | target | |", "|---|---|---|---|---|"];
  for (const point of results.points) {
    const counts = OPERATIONS.flatMap((op) => point.provider[op].flatMap((r) => Object.values(r.tokenRequestsByAccount)));
    const most = counts.length === 0 ? 0 : Math.max(...counts);
    lines.push(`| ${label(point)} | ${point.latencyMs} ms | ${most} | 1 per account | ${mark(most <= 1)} |`);
  }
  return lines;
}

function resourceTable(results: BenchResults): string[] {
  const lines = [
    "| stack | L | operation | TCP connections | HTTP requests | provider peak RSS (MB) | floor peak RSS (MB) |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const point of results.points) {
    for (const op of OPERATIONS) {
      const runs = point.provider[op];
      if (runs.length === 0) continue;
      const connections = spread(runs.map((r) => r.connectionsOpened));
      const requests = spread(runs.map((r) => r.apiRequests + Object.values(r.tokenRequestsByAccount).reduce((a, b) => a + b, 0)));
      const rss = spread(runs.map((r) => r.providerPeakKb / 1024));
      const floorRss = spread(point.floor[op].map((r) => r.providerPeakKb / 1024));
      lines.push(
        `| ${label(point)} | ${point.latencyMs} ms | ${op} | ${fmt(connections, 0)} | ${fmt(requests, 0)} | ${fmt(rss, 1)} | ${fmt(floorRss, 1)} |`,
      );
    }
  }
  return lines;
}

function stateSection(results: BenchResults): string[] {
  const lines = [
    "| stack | provider checkpoint bytes | per resource | floor per resource | provider plugin per resource | target < 20 KB | |",
    "|---|---|---|---|---|---|---|",
  ];
  const seen = new Set<string>();
  for (const point of results.points) {
    const key = `${point.kind}-${point.n}`;
    if (point.state === undefined || seen.has(key)) continue;
    seen.add(key);
    const perResource = point.state.providerBytes / point.n;
    lines.push(
      `| ${label(point)} | ${point.state.providerBytes} | ${(perResource / 1024).toFixed(1)} KB | ${(point.state.floorBytes / point.n / 1024).toFixed(1)} KB | ${point.state.pluginBytes === undefined ? "not measured" : `${(point.state.pluginBytes / point.n / 1024).toFixed(1)} KB`} | 20 KB | ${mark(perResource < 20 * 1024)} |`,
    );
  }
  lines.push("");
  lines.push("Average bytes per resource in the checkpoint, by part (the file backend's indented JSON):", "");
  lines.push("| part | floor (no-op resource) | service key | VXC | service key, provider plugin |", "|---|---|---|---|---|");
  const byKind = (kind: Kind) => results.points.find((p) => p.kind === kind && p.state !== undefined)?.state;
  const keys = byKind("keys");
  const vxcs = byKind("vxcs");
  const detailed = results.points.find((p) => p.state?.floorBreakdown !== undefined);
  const parts = new Set([
    ...Object.keys(detailed?.state?.floorBreakdown ?? {}),
    ...Object.keys(keys?.breakdown ?? {}),
    ...Object.keys(vxcs?.breakdown ?? {}),
    ...Object.keys(keys?.pluginBreakdown ?? {}),
  ]);
  const cell = (b: StateBreakdown | undefined, part: string) => (b?.[part] === undefined ? "" : `${Math.round(b[part])}`);
  for (const part of parts) {
    lines.push(
      `| ${part} | ${cell(detailed?.state?.floorBreakdown, part)} | ${cell(keys?.breakdown, part)} | ${cell(vxcs?.breakdown, part)} | ${cell(keys?.pluginBreakdown, part)} |`,
    );
  }
  return lines;
}

function profileSection(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const point of results.points) {
    if (point.profile === undefined) continue;
    lines.push(`### ${label(point)}, L = ${point.latencyMs} ms`, "");
    lines.push(`| category | ${OPERATIONS.map((op) => `${op} (ms per resource)`).join(" | ")} |`);
    lines.push(`|---|${OPERATIONS.map(() => "---").join("|")}|`);
    const perResource = (summary: ProfileSummary | undefined) => (summary?.cpuMs ?? 0) / point.n;
    lines.push(
      `| **provider process CPU, total** | ${OPERATIONS.map((op) => perResource(point.profile?.[op]).toFixed(2)).join(" | ")} |`,
      `| engine floor's provider process CPU, total | ${OPERATIONS.map((op) => perResource(point.floorProfile?.[op]).toFixed(2)).join(" | ")} |`,
      `| **this provider's own (total − floor)** | ${OPERATIONS.map((op) => (perResource(point.profile?.[op]) - perResource(point.floorProfile?.[op])).toFixed(2)).join(" | ")} |`,
      `| *the provider process, by where the code comes from:* | | | |`,
    );
    for (const category of CATEGORIES) {
      lines.push(
        `| ${category} | ${OPERATIONS.map((op) => ((point.profile?.[op]?.byCategory[category] ?? 0) / point.n).toFixed(2)).join(" | ")} |`,
      );
    }
    lines.push("");
    for (const op of OPERATIONS) {
      const summary = point.profile[op];
      if (summary === undefined) continue;
      lines.push(`Most self time, ${op} (ms per resource): ${summary.top.slice(0, 8).map((t) => `\`${t.fn}\` ${(t.ms / point.n).toFixed(3)}`).join("; ")}.`, "");
    }
  }
  return lines.length === 0 ? ["No profiled run (BENCH_PROFILE=0)."] : lines;
}

/** The short table printed at the end of every run (the quick run's only output). */
export function renderSummary(results: BenchResults): string {
  const lines: string[] = [];
  for (const latencyMs of results.settings.latencies) lines.push(`L = ${latencyMs} ms`, ...timeTable(results, latencyMs), "");
  lines.push(...profileSection(results));
  return lines.join("\n");
}

/** The whole RESULTS.md. */
export function renderResults(results: BenchResults, pngName: string): string {
  const { settings, machine } = results;
  const lines: string[] = [];
  lines.push("# Benchmark results", "");
  lines.push("Produced by:", "", "```sh", results.command, "```", "");
  const limits = Object.entries(settings.limits).map(([l, n]) => `at L = ${l} ms only N ≤ ${n}`);
  lines.push(
    `Settings: every API request answered L ms late by the emulator (its own process; the token endpoint included), L = ${settings.latencies.join(" and ")} ms${limits.length ? ` (${limits.join("; ")})` : ""}; ` +
      `engine parallelism P = ${settings.parallel} (\`--parallel\`, the CLI's default); provisioning delay ${settings.provisioningDelayMs} ms; status polls every ${settings.pollIntervalMs} ms; ` +
      `N = ${settings.sizes.join(", ")} service keys and ${settings.vxcs.join(", ")} VXCs; ${settings.reps} runs per point.`,
    "",
  );
  lines.push(
    `Machine: ${machine.cpu}; ${machine.memoryGb} GB RAM; ${machine.os}; Node ${machine.node}; Pulumi CLI ${machine.pulumi}; ` +
      `${machine.started} to ${machine.finished}; 1-minute load average ${machine.load.start} at the start, ${machine.load.end} at the end ` +
      "(the machine is shared with other work: times are noisy, which is why each point is repeated and paired).",
    "",
  );
  lines.push(
    "Method: each repetition starts a fresh emulator and runs the engine floor (N no-op `pulumi.dynamic.Resource`s) and this provider " +
      "alternately, operation by operation (floor first in odd repetitions, provider first in even ones). Times are the median of the runs " +
      "with [min–max]. Ideal = the floor's median + minimal API calls per resource × L × N / P; provider / ideal is the median " +
      "[min–max] of the paired ratios (each provider run against the floor run beside it), so drift of the machine between " +
      "repetitions cancels. Minimal calls per resource with the guarantees of docs/lifecycle.md: " +
      `key create ${MINIMAL_CALLS.keys.up}, refresh ${MINIMAL_CALLS.keys.refresh}, delete ${MINIMAL_CALLS.keys.destroy} (the read before the read-merge-write PUT); ` +
      `VXC create ${MINIMAL_CALLS.vxcs.up} (validate, buy, one status read, the tags PUT), refresh ${MINIMAL_CALLS.vxcs.refresh}, delete ${MINIMAL_CALLS.vxcs.destroy}. ` +
      "Targets: keys ≤ 1.1 × ideal for every operation; VXC `up` ≤ 1.2 × ideal.",
    "",
  );
  for (const latencyMs of settings.latencies) {
    lines.push(`## Time (seconds), L = ${latencyMs} ms`, "");
    lines.push(...timeTable(results, latencyMs), "");
  }
  lines.push(...targetsAtAGlance(results), "");
  if (!results.points.some((p) => p.plugin !== undefined)) {
    lines.push("The provider plugin's path (provider/plugin/) was not measured in this run.", "");
  } else {
    lines.push(
      "Provider plugin: the same N keys as a Pulumi YAML program with `pulumi-resource-megaport-service-keys` (provider/plugin/), " +
        "run with the plain CLI (`pulumi up --yes --skip-preview`, `refresh`, `destroy`, same `--parallel`), in the same repetitions. " +
        "VXCs are measured on the dynamic path only.",
      "",
    );
  }
  lines.push(`![pulumi up time against N](${pngName})`, "");
  lines.push("## API requests per resource (first run of each point; token requests counted apart)", "");
  lines.push(...requestTable(results), "");
  lines.push("## Token requests per account (one provider process per operation)", "");
  lines.push(...tokenTable(results), "");
  lines.push("## TCP connections and peak memory", "");
  lines.push(
    "Connections: accepted by the emulator during the operation, against the HTTP requests made. Peak memory: the highest VmHWM of the " +
      "`dynamic-provider` node process, polled from /proc every 50 ms.",
    "",
  );
  lines.push(...resourceTable(results), "");
  lines.push("## State size (the checkpoint file after up)", "");
  lines.push(...stateSection(results), "");
  lines.push("## Where the provider's time goes (V8's CPU profiler in the provider process, one extra run; bench/cpuProfiler.ts)", "");
  lines.push(...profileSection(results), "");
  const notes = path.join(__dirname, "..", "..", "bench", "NOTES.md");
  if (fs.existsSync(notes)) lines.push(fs.readFileSync(notes, "utf8").trim(), "");
  return lines.join("\n");
}
