/**
 * The benchmarks of issue 8 (`make bench`): in one run, side by side, with the emulator adding a
 * fixed latency L to every API request, the engine floor (N no-op dynamic resources) against this
 * provider's `pulumi up`, `refresh` and `destroy` of N service keys (N = 10, 50, 100, 200) and of
 * N/4 VXCs (N = 100), on the real engine; and the same N keys through the provider plugin (issue 12),
 * as a Pulumi YAML program on the plain CLI. Writes bench/RESULTS.md, bench/up-time-vs-n.png (through
 * matplotlib in a venv under .engine/) and the raw figures in bench/results/bench.json.
 *
 * Settings (environment): BENCH_LATENCY_MS (default 50), BENCH_SIZES (default "10,50,100,200"),
 * BENCH_VXC_N (default 100: N/4 = 25 VXCs), BENCH_PARALLEL (default 8, the CLI's default).
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator";
import { engineRoot, offlineEngineEnv, openProgramStack, repoRoot } from "../scripts/pulumiStack";
import { MegaportClient } from "../sdk";
import { EmulatorAdmin, measure, type OperationMeasure } from "./measure";
import { type BenchResults, type Lifecycle, renderResults } from "./report";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const SIZES = (process.env.BENCH_SIZES ?? "10,50,100,200").split(",").map(Number);
const VXC_N = Number(process.env.BENCH_VXC_N ?? 100);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 8);
const PASSPHRASE = "megaport-bench";

const benchDir = path.join(repoRoot, "bench");
const resultsDir = path.join(benchDir, "results");

type Operation = "up" | "refresh" | "destroy";

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs up, refresh and destroy of one stack, measuring each; `after` sees the stack after each step. */
async function measureLifecycle(
  admin: EmulatorAdmin,
  stack: Stack,
  onUp: () => Promise<void> = async () => {},
): Promise<Record<Operation, OperationMeasure>> {
  const quiet = { parallel: PARALLEL, onOutput: () => {} };
  const up = await measure(admin, () => stack.up(quiet));
  await onUp();
  const refresh = await measure(admin, () => stack.refresh(quiet));
  const destroy = await measure(admin, () => stack.destroy(quiet));
  return { up, refresh, destroy };
}

const exec = promisify(execFile);

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

/** A directory holding the plugin under its engine name, as an install puts it on PATH. */
function pluginOnPath(): string {
  const bin = path.join(repoRoot, "dist", "provider", "plugin", "bin.js");
  fs.chmodSync(bin, 0o755);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-bench-plugin-"));
  fs.symlinkSync(bin, path.join(dir, "pulumi-resource-megaport-service-keys"));
  return dir;
}

/**
 * up, refresh and destroy of `n` keys through the provider plugin, with the plain CLI in a
 * directory of its own (the commands the Automation API runs for the dynamic stacks).
 */
async function measurePluginKeys(
  admin: EmulatorAdmin,
  n: number,
  options: { backendDir: string; pluginDir: string; productUid: string; baseUrl: string; accounts: object },
): Promise<Lifecycle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-bench-yaml-"));
  const stackName = `plugin-keys-${n}`;
  const engineEnv = offlineEngineEnv(options.backendDir, PASSPHRASE);
  const env = {
    ...process.env,
    ...engineEnv,
    PATH: `${options.pluginDir}${path.delimiter}${engineEnv.PATH}`,
    MEGAPORT_POLL_INTERVAL_MS: "100",
  };
  const pulumi = (args: string[]) =>
    exec(path.join(engineRoot, "bin", "pulumi"), args, { cwd: dir, env, maxBuffer: 256 << 20 });
  try {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yamlKeysProgram(n, options.productUid));
    await pulumi(["stack", "init", stackName]);
    await pulumi(["config", "set", "megaport-service-keys:baseUrl", options.baseUrl]);
    await pulumi(["config", "set", "--secret", "megaport-service-keys:accounts", JSON.stringify(options.accounts)]);
    const run = (command: string) => () =>
      pulumi([command, "--yes", "--skip-preview", "--parallel", String(PARALLEL), "--non-interactive"]);
    const up = await measure(admin, run("up"));
    const stateBytes = stateFileBytes(options.backendDir, stackName);
    const refresh = await measure(admin, run("refresh"));
    const destroy = await measure(admin, run("destroy"));
    await pulumi(["stack", "rm", "--yes", stackName]);
    return { up, refresh, destroy, stateBytes };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Size in bytes of the stack's checkpoint file in the file backend. */
function stateFileBytes(backendDir: string, stackName: string): number {
  const stacksDir = path.join(backendDir, ".pulumi", "stacks");
  for (const project of fs.readdirSync(stacksDir)) {
    const file = path.join(stacksDir, project, `${stackName}.json`);
    if (fs.existsSync(file)) return fs.statSync(file).size;
  }
  throw new Error(`no checkpoint for ${stackName} under ${stacksDir}`);
}

function pulumiVersion(): string {
  return execFileSync(path.join(repoRoot, ".engine", "bin", "pulumi"), ["version"], {
    encoding: "utf8",
  }).trim();
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

async function main(): Promise<void> {
  // The programs' providers load the implementation by package name
  // (docs/architecture.md, "The thin serialized shim").
  if (!fs.existsSync(path.join(repoRoot, "node_modules", "pulumi-megaport-service-keys"))) {
    throw new Error("node_modules/pulumi-megaport-service-keys is missing: `make install` links it to the repository");
  }
  const emulator = await startEmulator({ port: 0, provisioningDelayMs: 0 });
  const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-bench-"));
  const admin = new EmulatorAdmin(emulator.url);
  const { east, west } = emulator.accounts;
  const accounts = {
    owner: { accessKey: east.accessKey, secretKey: east.secretKey },
    consumer: { accessKey: west.accessKey, secretKey: west.secretKey },
  };
  const megaportConfig: ConfigMap = {
    "megaport:baseUrl": { value: emulator.url },
    "megaport:accounts": { value: JSON.stringify(accounts), secret: true },
    "megaport:acceptPurchaseTerms": { value: "true" },
  };
  const openStack = async (fixture: string, stackName: string, config: ConfigMap) => {
    const stack = await openProgramStack({
      workDir: path.join(benchDir, "fixtures", fixture),
      programModule: path.join(repoRoot, "dist", "bench", "fixtures", fixture, "index.js"),
      stackName,
      backendDir,
      passphrase: PASSPHRASE,
      envVars: { MEGAPORT_POLL_INTERVAL_MS: "100" },
    });
    await stack.setAllConfig(config);
    return stack;
  };

  const results: BenchResults = {
    command: "make bench   # npx tsc -p tsconfig.json && node dist/bench/run.js",
    settings: {
      latencyMs: LATENCY_MS,
      parallel: PARALLEL,
      sizes: SIZES,
      vxcN: VXC_N,
      provisioningDelayMs: 0,
    },
    machine: {
      cpu: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}`,
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      pulumi: pulumiVersion(),
      date: new Date().toISOString(),
    },
    floor: {},
    keys: {},
    vxcs: undefined,
    pluginKeys: {},
  };
  const pluginDir = pluginOnPath();

  try {
    // Every API request (the token endpoint included) answers L ms late.
    await admin.call("POST", "faults", { latencyMs: LATENCY_MS });
    const vxcCount = Math.round(VXC_N / 4);
    for (const n of [...new Set([...SIZES, vxcCount])].sort((a, b) => a - b)) {
      log(`floor: ${n} no-op dynamic resources`);
      const floor = await openStack("floor", `floor-${n}`, { count: { value: String(n) } });
      let floorStateBytes = 0;
      results.floor[n] = await measureLifecycle(admin, floor, async () => {
        floorStateBytes = stateFileBytes(backendDir, `floor-${n}`);
      });
      results.floor[n].stateBytes = floorStateBytes;
      if (!SIZES.includes(n)) continue;

      log(`keys: ${n} service keys`);
      const keys = await openStack("keys", `keys-${n}`, {
        ...megaportConfig,
        count: { value: String(n) },
        productUid: { value: east.products.port10G },
      });
      let keysStateBytes = 0;
      results.keys[n] = await measureLifecycle(admin, keys, async () => {
        keysStateBytes = stateFileBytes(backendDir, `keys-${n}`);
      });
      results.keys[n].stateBytes = keysStateBytes;

      log(`plugin: ${n} service keys (Pulumi YAML, provider plugin)`);
      (results.pluginKeys as Record<number, Lifecycle>)[n] = await measurePluginKeys(admin, n, {
        backendDir,
        pluginDir,
        productUid: east.products.port10G,
        baseUrl: emulator.url,
        accounts,
      });
    }

    log(`vxcs: ${vxcCount} VXCs`);
    const owner = new MegaportClient({
      accessKey: east.accessKey,
      secretKey: east.secretKey,
      baseUrl: emulator.url,
    });
    const key = await owner.serviceKeys.create({
      productUid: east.products.port10G,
      maxSpeed: 1000,
      singleUse: false,
      active: true,
      preApproved: true,
      description: "bench: one key for every VXC",
    });
    await owner.close();
    const vxcs = await openStack("vxcs", `vxcs-${vxcCount}`, {
      ...megaportConfig,
      count: { value: String(vxcCount) },
      serviceKey: { value: key.key, secret: true },
      mveProductUid: { value: west.products.mve },
      aEndProductUids: {
        value: JSON.stringify([
          west.products.port1G,
          west.products.port10G,
          west.products.mcr,
          west.products.mve,
        ]),
      },
    });
    let vxcStateBytes = 0;
    const vxcMeasures = await measureLifecycle(admin, vxcs, async () => {
      vxcStateBytes = stateFileBytes(backendDir, `vxcs-${vxcCount}`);
    });
    results.vxcs = { n: vxcCount, ...vxcMeasures, stateBytes: vxcStateBytes };
  } finally {
    await emulator.close();
    fs.rmSync(backendDir, { recursive: true, force: true });
    fs.rmSync(pluginDir, { recursive: true, force: true });
    // The Automation API writes each stack's config file next to its program: drop them.
    for (const fixture of ["floor", "keys", "vxcs"]) {
      const dir = path.join(benchDir, "fixtures", fixture);
      for (const file of fs.readdirSync(dir))
        if (/^Pulumi\..+\.yaml$/.test(file)) fs.rmSync(path.join(dir, file));
    }
  }

  fs.mkdirSync(resultsDir, { recursive: true });
  const jsonFile = path.join(resultsDir, "bench.json");
  fs.writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  const pngFile = path.join(benchDir, "up-time-vs-n.png");
  plot(jsonFile, pngFile);
  fs.writeFileSync(path.join(benchDir, "RESULTS.md"), renderResults(results, path.basename(pngFile)));
  log(`wrote bench/RESULTS.md, bench/${path.basename(pngFile)} and bench/results/bench.json`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
