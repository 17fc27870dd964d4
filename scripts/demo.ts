/**
 * `make demo` / `make demo-destroy`: the partner-onboarding program (`examples/partner-onboarding`,
 * the same program its README runs with plain `pulumi up`) on the real Pulumi engine against the
 * Megaport emulator, through the Automation API, so that it needs no Node.js language host
 * (docs/engine.md).
 *
 *   node dist/scripts/demo.js up       start the emulator, configure both accounts, up, up --refresh, summary
 *   node dist/scripts/demo.js destroy  start the emulator, destroy the stack
 *
 * The emulator's state (`.pulumi-state/emulator.json`) and the stack (`.pulumi-state/backend`)
 * survive between runs, so running the demo twice shows no changes the second time.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { OutputMap } from "@pulumi/pulumi/automation";
import { type RunningEmulator, startEmulator } from "../emulator";
import { openProgramStack, repoRoot } from "./pulumiStack";

/** Where the demo keeps its stack and the emulator's state (tests point it at a temporary folder). */
const stateDir = process.env.MEGAPORT_DEMO_STATE_DIR ?? path.join(repoRoot, ".pulumi-state");
const print = (text: string) => process.stdout.write(text);
/** The program's directory (its Pulumi.yaml) and its module as the repository's build compiles it. */
const programDir = path.join(repoRoot, "examples", "partner-onboarding");
const programModule = path.join(repoRoot, "dist", "examples", "partner-onboarding", "index.js");

async function main(command: string): Promise<void> {
  if (command !== "up" && command !== "destroy") {
    throw new Error(`usage: demo.js up|destroy (got ${JSON.stringify(command)})`);
  }
  fs.mkdirSync(stateDir, { recursive: true });
  adoptRootStackConfig();
  const emulator = await startDemoEmulator();
  print(`Megaport emulator listening on ${emulator.url}\n`);
  try {
    const stack = await openProgramStack({
      workDir: programDir,
      programModule,
      stackName: "demo",
      backendDir: path.join(stateDir, "backend"),
      passphrase: process.env.PULUMI_CONFIG_PASSPHRASE ?? "megaport-demo",
    });
    await configure(stack, emulator);
    if (command === "destroy") {
      await stack.destroy({ onOutput: print });
      print(
        "\nDemo destroyed: East's key is deactivated (keys cannot be deleted), West's VXC is cancelled.\n",
      );
      return;
    }
    print("\n── pulumi up ──────────────────────────────────────────────────────────────\n");
    const up = await stack.up({ onOutput: print });
    // A moment later the approved VXC is LIVE. A plain refresh would record that in the resources
    // but not in the stack outputs (it does not run the program), so they would still say
    // DEPLOYABLE: `up --refresh` refreshes and then runs the program, which changes nothing else.
    print("\n── pulumi up --refresh ────────────────────────────────────────────────────\n");
    const refreshed = await stack.up({ refresh: true, onOutput: print });
    const changes = Object.entries(up.summary.resourceChanges ?? {}).filter(([kind]) => kind !== "same");
    print(summary(JSON.parse(JSON.stringify(await stack.exportStack())), refreshed.outputs, changes));
  } finally {
    await emulator.close();
  }
}

/**
 * A demo stack made while the program lived at the repository root keeps its stack config there,
 * with the salt its secrets are encrypted with: it moves along with the program.
 */
function adoptRootStackConfig(): void {
  const old = path.join(repoRoot, "Pulumi.demo.yaml");
  const moved = path.join(programDir, "Pulumi.demo.yaml");
  if (fs.existsSync(old) && !fs.existsSync(moved)) fs.renameSync(old, moved);
}

/**
 * The emulator, on the port it had last time: `pulumi destroy` and `refresh` configure the
 * provider from the config saved in the state (they do not run the program), so the base URL must
 * not move between runs.
 */
async function startDemoEmulator(): Promise<RunningEmulator> {
  const portFile = path.join(stateDir, "emulator-port");
  const savedPort = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, "utf8")) : 0;
  const options = { stateFile: path.join(stateDir, "emulator.json"), provisioningDelayMs: 1000 };
  const emulator = await startEmulator({ ...options, port: savedPort }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "EADDRINUSE") throw error;
      print(`port ${savedPort} is taken: the demo's emulator moves, run \`make demo\` before destroying\n`);
      return startEmulator({ ...options, port: 0 });
    },
  );
  fs.writeFileSync(portFile, new URL(emulator.url).port);
  return emulator;
}

/** `pulumi config set` for both named accounts (secret) and the products the demo uses. */
async function configure(
  stack: Awaited<ReturnType<typeof openProgramStack>>,
  emulator: RunningEmulator,
): Promise<void> {
  const { east, west } = emulator.accounts;
  const accounts = {
    east: { accessKey: east.accessKey, secretKey: east.secretKey },
    west: { accessKey: west.accessKey, secretKey: west.secretKey },
  };
  await stack.setAllConfig({
    "megaport:baseUrl": { value: emulator.url },
    "megaport:accounts": { value: JSON.stringify(accounts), secret: true },
    "megaport:acceptPurchaseTerms": { value: "true" },
    "demo:eastPortUid": { value: east.products.port10G },
    "demo:westPortUid": { value: west.products.port1G },
  });
}

interface StateResource {
  type: string;
  urn: string;
  outputs?: Record<string, unknown>;
}

/** Whether the key can still be used: a single-use key is used up by the one VXC it made. */
function keyState(key: Record<string, unknown>): string {
  if (!key.active) return "inactive";
  if (key.expired) return "active, expired";
  if (key.valid) return "active, valid for an order";
  return key.singleUse ? "active, used (a single-use key makes one VXC)" : "active, not valid now";
}

/**
 * A few readable lines from the refreshed state (the key itself stays secret). The statuses are the
 * stack outputs, what `pulumi stack output` shows a user.
 */
function summary(
  exported: { deployment: { resources?: StateResource[] } },
  outputs: OutputMap,
  changes: [string, number][],
): string {
  const resources = exported.deployment.resources ?? [];
  const outputsOf = (type: string) =>
    resources.find((r) => r.type === `pulumi-nodejs:dynamic/megaport:${type}`)?.outputs ?? {};
  const key = outputsOf("ServiceKey");
  const vxc = outputsOf("ServiceKeyVxc");
  const approval = outputsOf("VxcOrderApproval");
  const line = (label: string, value: unknown) => `  ${label.padEnd(26)} ${value ?? "-"}\n`;
  return [
    "\n── partner onboarding: summary ────────────────────────────────────────────\n",
    line("this run's changes", changes.length ? changes.map(([k, n]) => `${n} ${k}`).join(", ") : "none"),
    line("East's service key", `[secret] on ${key.productName} (max ${key.maxSpeed} Mbps, VLAN ${key.vlan})`),
    line("East's key now", keyState(key)),
    line("West's VXC", `${vxc.productUid} "${vxc.name}" at ${vxc.rateLimit} Mbps`),
    line("VXC ends", `A-End VLAN ${vxc.aEndVlan} → ${vxc.bEndProductName} VLAN ${vxc.bEndVlan}`),
    line("East's decision", `${approval.decision} → ${approval.status}`),
    line("VXC approval status", vxc.approvalStatus),
    line("VXC provisioning status", outputs.provisioningStatus?.value),
    "  `pulumi stack output serviceKey --show-secrets` reveals the key; `make demo-destroy` tears down.\n",
  ].join("");
}

main(process.argv[2] ?? "up").catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
