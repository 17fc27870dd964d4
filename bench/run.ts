/**
 * The benchmarks (`make bench`, issues 8 and 13): on the real engine, with the emulator (in a
 * process of its own) answering every API request L ms late, the engine floor (N no-op dynamic
 * resources) against this provider's `pulumi up`, `refresh` and `destroy` of N service keys and of
 * N VXCs. Every point is repeated; in each repetition the floor and the provider alternate
 * operation by operation (floor first in odd repetitions, provider first in even ones), so that
 * the machine's drift hits both; each repetition gets a fresh emulator. One more, profiled run
 * (V8's CPU profiler in the provider process, bench/cpuProfiler.ts) gives the provider's CPU per resource.
 *
 * `make bench` writes bench/RESULTS.md, bench/up-time-vs-n.png and bench/results/bench.json;
 * `make bench QUICK=1` is the quick development run (fewer points, one repetition) and writes only
 * bench/results/quick.json and the table on stdout.
 *
 * Settings (environment, each overrides the mode's default): BENCH_REPS, BENCH_SIZES (keys),
 * BENCH_VXCS (`none`: no VXCs), BENCH_LATENCIES (ms), BENCH_LIMIT (`L:maxN,…`: at latency L only N ≤ maxN),
 * BENCH_PROFILE (0 = no profiled run), BENCH_PARALLEL (default 8, the CLI's default),
 * The provider plugin (provider/plugin/, issue 12) is a third series for keys: the same N keys as a
 * Pulumi YAML program on the plain CLI ({@link pluginSeries}).
 * The keys' TypeScript program runs in a packed install of the package, as a user's does
 * (bench/packedProgram.ts); the floor's and the VXCs' in this repository (the package through its own link).
 * BENCH_RENDER=1 (no run: RESULTS.md and the plot again from bench/results/bench.json).
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { packedInstall } from "../scripts/packedInstall";
import { engineRoot, offlineEngineEnv, openProgramStack, repoRoot } from "../scripts/pulumiStack";
import { MegaportClient } from "../sdk";
import { type EmulatorProcess, startEmulatorProcess } from "./emulatorProcess";
import { EmulatorAdmin, measure, type OperationMeasure } from "./measure";
import { startPackedProgram } from "./packedProgram";
import { summarizeProfiles } from "./profile";
import { type BenchResults, type Kind, type Operation, OPERATIONS, type PointResult, renderResults, renderSummary } from "./report";
import { checkpointFile, stateBreakdown } from "./stateSize";

const QUICK = process.env.QUICK === "1";
const list = (text: string | undefined, fallback: number[]) =>
  text === undefined || text.trim() === "" ? fallback : text === "none" ? [] : text.split(",").map(Number);
const REPS = Number(process.env.BENCH_REPS ?? (QUICK ? 1 : 3));
const SIZES = list(process.env.BENCH_SIZES, QUICK ? [10, 100] : [10, 50, 100, 200, 500]);
const VXCS = list(process.env.BENCH_VXCS, QUICK ? [25] : [25, 100]);
const LATENCIES = list(process.env.BENCH_LATENCIES, QUICK ? [50] : [50, 200]);
const LIMITS = new Map(
  (process.env.BENCH_LIMIT ?? "")
    .split(",")
    .filter((pair) => pair.includes(":"))
    .map((pair) => pair.split(":").map(Number) as [number, number]),
);
const PROFILE = process.env.BENCH_PROFILE !== "0";
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 8);
const PASSPHRASE = "megaport-bench";
/** The points profiled (at the first latency): the largest keys N up to 200, the largest VXC N. */
const PROFILE_KEYS_N = Math.max(0, ...SIZES.filter((n) => n <= 200));
const PROFILE_VXCS_N = Math.max(0, ...VXCS);

const benchDir = path.join(repoRoot, "bench");
const distDir = path.join(repoRoot, "dist");
const resultsDir = path.join(benchDir, "results");

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The 1-minute load average, rounded (the machine is shared; RESULTS.md reports it). */
const load = () => Math.round(os.loadavg()[0] * 100) / 100;

/** The command that reproduces this run, with the settings that differ from the mode's defaults. */
function commandLine(): string {
  const names = ["BENCH_REPS", "BENCH_SIZES", "BENCH_VXCS", "BENCH_LATENCIES", "BENCH_LIMIT", "BENCH_PROFILE", "BENCH_PARALLEL"];
  const settings = names.filter((name) => process.env[name] !== undefined).map((name) => `${name}=${process.env[name]}`);
  return [...settings, "make bench", ...(QUICK ? ["QUICK=1"] : [])].join(" ");
}

function pulumiVersion(): string {
  return execFileSync(path.join(repoRoot, ".engine", "bin", "pulumi"), ["version"], { encoding: "utf8" }).trim();
}

/** Draws the PNG with matplotlib from a venv under .engine/ (created on first use). */
function plot(jsonFile: string, pngFile: string): void {
  const venv = path.join(repoRoot, ".engine", "bench-venv");
  const python = path.join(venv, "bin", "python");
  if (!fs.existsSync(python)) {
    log("creating .engine/bench-venv with matplotlib (first run only)");
    execFileSync("python3", ["-m", "venv", venv], { stdio: "inherit" });
    execFileSync(path.join(venv, "bin", "pip"), ["install", "--quiet", "matplotlib"], { stdio: "inherit" });
  }
  execFileSync(python, [path.join(benchDir, "plot.py"), jsonFile, pngFile], { stdio: "inherit" });
}

const exec = promisify(execFile);

/** One series of a point: the operations of one stack, however it is run. */
interface Series {
  up(): Promise<unknown>;
  refresh(): Promise<unknown>;
  destroy(): Promise<unknown>;
  /** Its checkpoint file in the backend. */
  stateName: string;
}

/** A TypeScript program's stack (the floor and the dynamic provider's), driven by the Automation API. */
interface ProgramStack {
  series: Series;
  setAllConfig(config: ConfigMap): Promise<void>;
  /** Sets (or, with `undefined`, removes) one variable of the CLI's environment. */
  setEnv(name: string, value: string | undefined): Promise<void>;
  close(): void;
}

/** A program's stack driven from this process. */
function localProgram(stack: Stack): ProgramStack {
  const quiet = { parallel: PARALLEL, onOutput: () => {} };
  return {
    series: {
      up: () => stack.up(quiet),
      refresh: () => stack.refresh(quiet),
      destroy: () => stack.destroy(quiet),
      stateName: stack.name,
    },
    setAllConfig: (config) => stack.setAllConfig(config),
    setEnv: async (name, value) => {
      if (value === undefined) delete stack.workspace.envVars[name];
      else stack.workspace.envVars[name] = value;
    },
    close: () => {},
  };
}

/** A packed install's program's stack, driven from a process of its own (bench/packedProgram.ts). */
function packedProgram(fixture: Fixture, stackName: string, backendDir: string, envVars: Record<string, string>): ProgramStack {
  const program = startPackedProgram({
    ...fixture,
    stackName,
    engineRoot,
    envVars: { ...offlineEngineEnv(backendDir, PASSPHRASE), ...envVars },
  });
  return {
    series: {
      up: () => program.run("up", PARALLEL),
      refresh: () => program.run("refresh", PARALLEL),
      destroy: () => program.run("destroy", PARALLEL),
      stateName: stackName,
    },
    setAllConfig: (config) => program.setAllConfig(config),
    setEnv: (name, value) => program.setEnv(name, value),
    close: () => program.close(),
  };
}

/**
 * A Pulumi YAML program of `n` service keys declared as bench/fixtures/keys declares them (YAML has
 * no loops: the program is written out).
 */
function yamlKeysProgram(n: number, productUid: string): string {
  const lines = ["name: bench-plugin-keys", "runtime: yaml", "resources:"];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  key-${i}:`,
      "    type: megaport-service-keys:index:ServiceKey",
      "    properties:",
      "      account: owner",
      `      productUid: ${productUid}`,
      "      maxSpeed: 1000",
      "      singleUse: false",
      "      preApproved: true",
      `      description: bench key ${i}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A directory holding the provider plugin under its engine name, as an install puts it on PATH. */
function pluginOnPath(): string {
  const bin = path.join(distDir, "provider", "plugin", "bin.js");
  fs.chmodSync(bin, 0o755);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-bench-plugin-"));
  fs.symlinkSync(bin, path.join(dir, "pulumi-resource-megaport-service-keys"));
  return dir;
}

/**
 * The provider plugin's series (provider/plugin/, issue 12): the same N keys as a Pulumi YAML
 * program on the plain CLI, in a directory of its own, with the commands the Automation API runs
 * for the other series. `configure` points it at each repetition's emulator.
 */
async function pluginSeries(
  backendDir: string,
  pluginDir: string,
  n: number,
  stackName: string,
): Promise<Series & { configure(emulator: EmulatorProcess): Promise<void>; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-bench-yaml-"));
  const engineEnv = offlineEngineEnv(backendDir, PASSPHRASE);
  const env = {
    ...process.env,
    ...engineEnv,
    PATH: `${pluginDir}${path.delimiter}${engineEnv.PATH}`,
    MEGAPORT_POLL_INTERVAL_MS: "100",
  };
  const pulumi = (args: string[]) =>
    exec(path.join(engineRoot, "bin", "pulumi"), args, { cwd: dir, env, maxBuffer: 256 << 20 });
  const run = (command: string) => () =>
    pulumi([command, "--yes", "--skip-preview", "--parallel", String(PARALLEL), "--non-interactive"]);
  let initialized = false;
  return {
    dir,
    stateName: stackName,
    up: run("up"),
    refresh: run("refresh"),
    destroy: run("destroy"),
    async configure(emulator) {
      const { east, west } = emulator.accounts;
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yamlKeysProgram(n, east.products.port10G));
      if (!initialized) await pulumi(["stack", "init", stackName]);
      initialized = true;
      const accounts = {
        owner: { accessKey: east.accessKey, secretKey: east.secretKey },
        consumer: { accessKey: west.accessKey, secretKey: west.secretKey },
      };
      await pulumi(["config", "set", "megaport-service-keys:baseUrl", emulator.url]);
      await pulumi(["config", "set", "--secret", "megaport-service-keys:accounts", JSON.stringify(accounts)]);
    },
  };
}

const emptyRuns = (): Record<Operation, OperationMeasure[]> => ({ up: [], refresh: [], destroy: [] });

/** Where a fixture's program runs: its directory (`Pulumi.yaml`; the provider process runs there) and its compiled module. */
interface Fixture {
  workDir: string;
  programModule: string;
  /** In a packed install (run from a process of its own), or in this repository. */
  packed: boolean;
}

/** A fixture as it is in this repository: the package resolves through the repository's own link. */
function repositoryFixture(name: string): Fixture {
  return {
    workDir: path.join(benchDir, "fixtures", name),
    programModule: path.join(distDir, "bench", "fixtures", name, "index.js"),
    packed: false,
  };
}

/**
 * The fixture `name` copied into a packed install of the package in `dir` (scripts/packedInstall.ts),
 * as a user's program runs: each resource's `__provider` is the short `require` of its shim
 * (docs/architecture.md, "The thin serialized shim"), where this repository's link stores the
 * shim's code (bench/NOTES.md, "Keys: ≤ 1.1 × ideal").
 */
async function packedFixture(name: string, dir: string): Promise<Fixture> {
  await packedInstall(dir);
  // The engine checks that the project's `main` exists: here it is the compiled program.
  const project = fs.readFileSync(path.join(benchDir, "fixtures", name, "Pulumi.yaml"), "utf8");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), project.replace(/^main:.*$/m, "main: index.js"));
  fs.copyFileSync(path.join(distDir, "bench", "fixtures", name, "index.js"), path.join(dir, "index.js"));
  return { workDir: dir, programModule: path.join(dir, "index.js"), packed: true };
}

/** The provider's config for one emulator: both accounts, and what the fixture needs. */
async function providerConfig(kind: Kind, n: number, emulator: EmulatorProcess): Promise<ConfigMap> {
  const { east, west } = emulator.accounts;
  const accounts = {
    owner: { accessKey: east.accessKey, secretKey: east.secretKey },
    consumer: { accessKey: west.accessKey, secretKey: west.secretKey },
  };
  const base: ConfigMap = {
    "megaport:baseUrl": { value: emulator.url },
    "megaport:accounts": { value: JSON.stringify(accounts), secret: true },
    "megaport:acceptPurchaseTerms": { value: "true" },
    count: { value: String(n) },
  };
  if (kind === "keys") return { ...base, productUid: { value: east.products.port10G } };
  // Every VXC is ordered with one multi-use key, made here on this emulator.
  const owner = new MegaportClient({ accessKey: east.accessKey, secretKey: east.secretKey, baseUrl: emulator.url });
  const key = await owner.serviceKeys.create({
    productUid: east.products.port10G,
    maxSpeed: 1000,
    singleUse: false,
    active: true,
    preApproved: true,
    description: "bench: one key for every VXC",
  });
  await owner.close();
  return {
    ...base,
    serviceKey: { value: key.key, secret: true },
    mveProductUid: { value: west.products.mve },
    aEndProductUids: {
      value: JSON.stringify([west.products.port1G, west.products.port10G, west.products.mcr, west.products.mve]),
    },
  };
}

/** A fresh emulator answering every request `latencyMs` late. */
async function freshEmulator(latencyMs: number): Promise<{ emulator: EmulatorProcess; admin: EmulatorAdmin }> {
  const emulator = await startEmulatorProcess(distDir, 0);
  const admin = new EmulatorAdmin(emulator.url);
  await admin.call("POST", "faults", { latencyMs });
  return { emulator, admin };
}

async function runPoint(
  backendDir: string,
  pluginDir: string,
  fixtures: Record<"floor" | Kind, Fixture>,
  kind: Kind,
  n: number,
  latencyMs: number,
  profile: boolean,
): Promise<PointResult> {
  const label = `${n} ${kind === "keys" ? "keys" : "VXCs"}, L = ${latencyMs} ms`;
  const point: PointResult = {
    kind,
    n,
    latencyMs,
    floor: emptyRuns(),
    provider: emptyRuns(),
    plugin: undefined,
    pluginSkipped: undefined,
    load: { start: load(), end: 0 },
  };
  const envVars = { MEGAPORT_POLL_INTERVAL_MS: "100" };
  const open = async (name: "floor" | Kind, stackName: string): Promise<ProgramStack> => {
    const fixture = fixtures[name];
    if (fixture.packed) return packedProgram(fixture, stackName, backendDir, envVars);
    return localProgram(await openProgramStack({ ...fixture, stackName, backendDir, passphrase: PASSPHRASE, envVars }));
  };
  const suffix = `${kind}-${n}-l${latencyMs}`;
  const floorStack = await open("floor", `floor-${suffix}`);
  const providerStack = await open(kind, `provider-${suffix}`);
  // The plugin's series: N keys through the provider plugin (VXCs: the dynamic path only so far).
  const plugin = kind === "keys" ? await pluginSeries(backendDir, pluginDir, n, `plugin-${suffix}`) : undefined;
  if (plugin === undefined) point.pluginSkipped = "VXCs are measured on the dynamic path only";
  else point.plugin = emptyRuns();
  await floorStack.setAllConfig({ count: { value: String(n) } });

  try {
    for (let rep = 0; rep < REPS; rep++) {
      const { emulator, admin } = await freshEmulator(latencyMs);
      try {
        await providerStack.setAllConfig(await providerConfig(kind, n, emulator));
        await plugin?.configure(emulator);
        const series: ["floor" | "provider" | "plugin", Series][] = [
          ["floor", floorStack.series],
          ["provider", providerStack.series],
          ...(plugin ? ([["plugin", plugin]] as ["plugin", Series][]) : []),
        ];
        if (rep % 2 === 1) series.reverse();
        for (const op of OPERATIONS) {
          for (const [name, run] of series) {
            const measured = await measure(admin, () => run[op]());
            point[name]?.[op].push(measured);
            log(`${label}, rep ${rep + 1}/${REPS}: ${name} ${op} ${(measured.ms / 1000).toFixed(2)} s`);
            if (op === "up" && rep === 0) {
              const file = checkpointFile(backendDir, run.stateName);
              point.state = point.state ?? { floorBytes: 0, providerBytes: 0, breakdown: {} };
              const bytes = fs.statSync(file).size;
              if (name === "floor") {
                point.state.floorBytes = bytes;
                point.state.floorBreakdown = stateBreakdown(file, "pulumi-nodejs:dynamic");
              } else if (name === "provider") {
                point.state.providerBytes = bytes;
                point.state.breakdown = stateBreakdown(file, "pulumi-nodejs:dynamic");
              } else {
                point.state.pluginBytes = bytes;
                point.state.pluginBreakdown = stateBreakdown(file, "megaport-service-keys:");
              }
            }
          }
        }
      } finally {
        await emulator.close();
      }
    }
  } finally {
    if (plugin) fs.rmSync(plugin.dir, { recursive: true, force: true });
  }
  const stacks = { floor: floorStack, provider: providerStack };

  if (profile) {
    // One more lifecycle of the floor and of the provider with V8's CPU profiler in the provider
    // process (bench/cpuProfiler.ts): one profile per operation (each operation starts its own
    // provider process). Not timed; the floor's profile is what the engine's protocol costs alone.
    const { emulator, admin } = await freshEmulator(latencyMs);
    const profileRoot = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-bench-prof-"));
    const profiled: [string, ProgramStack][] = [
      ["floor", stacks.floor],
      ["provider", stacks.provider],
    ];
    try {
      await stacks.provider.setAllConfig(await providerConfig(kind, n, emulator));
      point.profile = {};
      point.floorProfile = {};
      for (const op of OPERATIONS) {
        for (const [name, stack] of profiled) {
          const dir = path.join(profileRoot, name, op);
          await stack.setEnv("NODE_OPTIONS", `--require ${path.join(distDir, "bench", "cpuProfiler.js")}`);
          await stack.setEnv("BENCH_CPU_PROFILE_DIR", dir);
          await measure(admin, () => stack.series[op]());
          const summary = summarizeProfiles(dir);
          (name === "floor" ? point.floorProfile : point.profile)[op] = summary;
          log(`${label}, profiled: ${name} ${op} CPU ${((summary?.cpuMs ?? 0) / n).toFixed(2)} ms per resource`);
        }
      }
    } finally {
      for (const [, stack] of profiled) {
        await stack.setEnv("NODE_OPTIONS", undefined);
        await stack.setEnv("BENCH_CPU_PROFILE_DIR", undefined);
      }
      await emulator.close();
      fs.rmSync(profileRoot, { recursive: true, force: true });
    }
  }
  floorStack.close();
  providerStack.close();
  point.load.end = load();
  return point;
}

async function main(): Promise<void> {
  // The programs' providers load the implementation by package name (docs/architecture.md).
  if (!fs.existsSync(path.join(repoRoot, "node_modules", "pulumi-megaport-service-keys"))) {
    throw new Error("node_modules/pulumi-megaport-service-keys is missing: `make install` links it to the repository");
  }
  const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-bench-"));
  const pluginDir = pluginOnPath();
  const installDir = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-bench-install-"));
  const results: BenchResults = {
    command: commandLine(),
    quick: QUICK,
    settings: { reps: REPS, sizes: SIZES, vxcs: VXCS, latencies: LATENCIES, limits: Object.fromEntries(LIMITS), parallel: PARALLEL, provisioningDelayMs: 0, pollIntervalMs: 100 },
    machine: {
      cpu: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}`,
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      pulumi: pulumiVersion(),
      started: new Date().toISOString(),
      finished: "",
      load: { start: load(), end: 0 },
    },
    points: [],
  };
  try {
    const fixtures = {
      floor: repositoryFixture("floor"),
      keys: SIZES.length > 0 ? await packedFixture("keys", installDir) : repositoryFixture("keys"),
      vxcs: repositoryFixture("vxcs"),
    };
    for (const latencyMs of LATENCIES) {
      const limit = LIMITS.get(latencyMs) ?? Number.POSITIVE_INFINITY;
      const profileHere = PROFILE && latencyMs === LATENCIES[0];
      for (const n of SIZES.filter((size) => size <= limit))
        results.points.push(await runPoint(backendDir, pluginDir, fixtures, "keys", n, latencyMs, profileHere && n === PROFILE_KEYS_N));
      for (const n of VXCS.filter((size) => size <= limit))
        results.points.push(await runPoint(backendDir, pluginDir, fixtures, "vxcs", n, latencyMs, profileHere && n === PROFILE_VXCS_N));
    }
  } finally {
    fs.rmSync(backendDir, { recursive: true, force: true });
    fs.rmSync(pluginDir, { recursive: true, force: true });
    fs.rmSync(installDir, { recursive: true, force: true });
    // The Automation API writes each stack's config file next to its program: drop them.
    for (const fixture of fs.readdirSync(path.join(benchDir, "fixtures"))) {
      const dir = path.join(benchDir, "fixtures", fixture);
      for (const file of fs.readdirSync(dir)) if (/^Pulumi\..+\.yaml$/.test(file)) fs.rmSync(path.join(dir, file));
    }
  }
  results.machine.finished = new Date().toISOString();
  results.machine.load.end = load();

  fs.mkdirSync(resultsDir, { recursive: true });
  const jsonFile = path.join(resultsDir, QUICK ? "quick.json" : "bench.json");
  fs.writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  log("");
  log(renderSummary(results));
  if (QUICK) {
    log(`quick run: wrote ${path.relative(repoRoot, jsonFile)} (bench/RESULTS.md is written by the full run)`);
    return;
  }
  const pngFile = path.join(benchDir, "up-time-vs-n.png");
  plot(jsonFile, pngFile);
  fs.writeFileSync(path.join(benchDir, "RESULTS.md"), renderResults(results, path.basename(pngFile)));
  log(`wrote bench/RESULTS.md, bench/${path.basename(pngFile)} and ${path.relative(repoRoot, jsonFile)}`);
}

/** `BENCH_RENDER=1`: writes bench/RESULTS.md and the plot again from bench/results/bench.json (new notes). */
function renderAgain(): void {
  const jsonFile = path.join(resultsDir, "bench.json");
  const results = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as BenchResults;
  const pngFile = path.join(benchDir, "up-time-vs-n.png");
  plot(jsonFile, pngFile);
  fs.writeFileSync(path.join(benchDir, "RESULTS.md"), renderResults(results, path.basename(pngFile)));
  log("wrote bench/RESULTS.md and the plot from bench/results/bench.json");
}

(process.env.BENCH_RENDER === "1" ? Promise.resolve().then(renderAgain) : main()).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
