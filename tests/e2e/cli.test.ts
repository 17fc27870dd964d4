import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engineRoot, offlineEngineEnv, repoRoot } from "../../scripts/pulumiStack";
import { assertNoSecretIn, emulatorSecrets } from "./engineRun";
import { freePort, ReadmeShell, readmeSteps } from "./readmeSteps";

// Every example as its README tells a user to run it, with the plain Pulumi CLI and the Node.js
// language host `pulumi-language-nodejs` (no Automation API): the "Try it against the emulator"
// steps (npm install, the emulator, stack init, config set, pulumi up), then a preview that must
// show no changes, then the "Clean up" steps (pulumi destroy). Each test asserts what its README
// says `pulumi up` creates, and what destroy leaves at the emulator. The language host is not
// served by the Go module proxy (docs/engine.md): without one, this suite says so and skips.

/** `pulumi-language-nodejs` in .engine/bin or on PATH, when it reports the CLI's version. */
function languageHost(): { path?: string; skipped?: string } {
  const cliVersion = execFileSync(path.join(engineRoot, "bin", "pulumi"), ["version"], { encoding: "utf8" }).trim();
  const dirs = [path.join(engineRoot, "bin"), ...(process.env.PATH ?? "").split(path.delimiter)];
  const found = dirs.map((dir) => path.join(dir, "pulumi-language-nodejs")).find((file) => fs.existsSync(file));
  if (!found) return { skipped: "no pulumi-language-nodejs on PATH or in .engine/bin" };
  const version = execFileSync(found, ["-version"], { encoding: "utf8" }).trim();
  if (version !== cliVersion) return { skipped: `${found} is ${version}, the CLI ${cliVersion}` };
  return { path: found };
}

interface Outputs {
  [name: string]: unknown;
}

interface EmulatorView {
  serviceKeys: { key: string; active: boolean; maxSpeed: number; vlan: number | null; productUid: string }[];
  vxcs: { productUid: string; provisioningStatus: string; rateLimit: number; aEnd?: { productUid: string } }[];
}

const host = languageHost();

describe("e2e: every example's README steps with the plain Pulumi CLI", function () {
  this.timeout(600_000);
  if (!host.path) {
    it(`skipped: ${host.skipped} (docs/engine.md, "The Node.js language host")`);
    return;
  }

  const examples = ["service-key", "partner-vxc", "multi-use-key", "partner-onboarding"];
  /** The READMEs' stack, `dev`: its config file, if a user's own run left one, is set aside meanwhile. */
  const stackFiles = examples.map((example) => path.join(repoRoot, "examples", example, "Pulumi.dev.yaml"));
  const aside = (file: string) => file.replace(/\.yaml$/, ".aside-during-cli-test.yaml");
  let backendDir: string;
  let port: number;
  let shell: ReadmeShell;
  /** The emulator's default seed accounts, read from its own `MEGAPORT_EMULATOR_ACCOUNTS=` line. */
  let accounts: Record<string, { secretKey: string }> = {};

  before(async () => {
    for (const file of stackFiles.filter((f) => fs.existsSync(f))) fs.renameSync(file, aside(file));
    backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-cli-"));
    port = await freePort();
    shell = new ReadmeShell(
      {
        ...process.env,
        ...offlineEngineEnv(backendDir, "megaport-readme"),
        // `pulumi up` and `pulumi destroy` ask for a confirmation, which a user gives by typing.
        PULUMI_SKIP_CONFIRMATIONS: "true",
        MEGAPORT_POLL_INTERVAL_MS: "200",
      },
      port,
    );
  });
  after(async () => {
    await shell?.stopJob();
    fs.rmSync(backendDir, { recursive: true, force: true });
    for (const file of stackFiles) {
      fs.rmSync(file, { force: true });
      if (fs.existsSync(aside(file))) fs.renameSync(aside(file), file);
    }
  });

  const url = () => `http://127.0.0.1:${port}`;
  const dirOf = (example: string) => path.join(repoRoot, "examples", example);

  /**
   * Runs one README section of `example` (the `pulumi up` output, etc. go to the transcript);
   * `before` runs ahead of each line, e.g. to look at the emulator before `kill %1` stops it.
   */
  async function steps(example: string, section: string, before?: (line: string) => Promise<void>) {
    const lines = readmeSteps(path.join(dirOf(example), "README.md"), section);
    assert.ok(lines.length > 0, `${example}: "${section}" has steps`);
    for (const line of lines) {
      await before?.(line);
      await shell.run(dirOf(example), line);
      if (line.includes("npx megaport-emulator")) {
        accounts = JSON.parse(/MEGAPORT_EMULATOR_ACCOUNTS=(.*)/.exec(shell.jobOutput)?.[1] ?? "{}");
      }
    }
  }

  /** What the CLI printed for the README line starting with `prefix` (the last such line run). */
  const printed = (prefix: string) =>
    [...shell.transcript].reverse().find((step) => step.line.startsWith(prefix))?.output ?? "";

  const cli = (example: string, args: string[]) =>
    execFileSync("pulumi", args, {
      cwd: dirOf(example),
      env: shell.env,
      encoding: "utf8",
      maxBuffer: 64 << 20,
      stdio: ["ignore", "pipe", "pipe"],
    });

  const outputs = (example: string): Outputs => JSON.parse(cli(example, ["stack", "output", "--json"]));

  async function emulator(): Promise<EmulatorView> {
    const response = await fetch(`${url()}/_emulator/state`);
    assert.ok(response.ok);
    return (await response.json()) as EmulatorView;
  }

  /** A second look changes nothing, and no key or credential is in plaintext in the state or the CLI output. */
  async function settledAndSecret(example: string) {
    cli(example, ["preview", "--expect-no-changes", "--non-interactive"]);
    const cliOutput = shell.transcript
      .filter((step) => /^pulumi (up|preview|refresh|destroy)/.test(step.line))
      .map((step) => step.output)
      .join("\n");
    const state = cli(example, ["stack", "export"]);
    assertNoSecretIn({ state, "CLI output": cliOutput }, await emulatorSecrets(url(), accounts));
  }

  const serviceKeyPort = "ea000100-0002-4000-9000-000000000001";

  it("service-key: `pulumi up` creates the key on East Port 10G, valid, its id a digest", async () => {
    await steps("service-key", "Try it against the emulator");
    assert.match(printed("pulumi up"), /\+ 2 created/);
    const out = outputs("service-key");
    assert.equal(out.port, "East Port 10G");
    assert.equal(out.valid, true);
    assert.match(String(out.keyId), /^sk-[0-9a-f]{24}$/);
    assert.equal(out.serviceKey, "[secret]");
    const keys = (await emulator()).serviceKeys.filter((k) => k.productUid === serviceKeyPort);
    assert.deepEqual(
      keys.map((k) => ({ active: k.active, maxSpeed: k.maxSpeed, vlan: k.vlan })),
      [{ active: true, maxSpeed: 500, vlan: 200 }],
    );
    // `pulumi stack output serviceKey --show-secrets` printed the key itself, for the partner.
    assert.equal(printed("pulumi stack output serviceKey").trim(), keys[0].key);
    await settledAndSecret("service-key");
  });

  it("partner-vxc: `pulumi up` orders a VXC with East's key that waits for East; destroy cancels it", async () => {
    await steps("partner-vxc", "Try it against the emulator");
    assert.match(printed("pulumi up"), /\+ 2 created/);
    const out = outputs("partner-vxc");
    assert.equal(out.partnerProduct, "East Port 10G");
    assert.equal(out.approvalStatus, "PENDING_EXTERNAL");
    assert.equal(out.provisioningStatus, "DEPLOYABLE");
    const vxc = (await emulator()).vxcs.find((v) => v.productUid === out.vxcId);
    assert.equal(vxc?.rateLimit, 100);
    await settledAndSecret("partner-vxc");

    await steps("partner-vxc", "Clean up");
    const after = (await emulator()).vxcs.find((v) => v.productUid === out.vxcId);
    assert.equal(after?.provisioningStatus, "DECOMMISSIONED");
  });

  /** The README's "Clean up" steps; returns the emulator's state just before `kill %1` stops it. */
  async function cleanUp(example: string): Promise<EmulatorView> {
    let last: EmulatorView | undefined;
    await steps(example, "Clean up", async (line) => {
      if (line.startsWith("kill %1")) last = await emulator();
    });
    assert.ok(last, `${example}: the clean-up stops the emulator it started`);
    await assert.rejects(emulator(), "`kill %1` stopped the emulator");
    return last;
  }

  it("service-key: destroy deactivates the key, and `kill %1` stops the emulator", async () => {
    const state = await cleanUp("service-key");
    assert.match(printed("pulumi destroy"), /- 2 deleted/);
    const keys = state.serviceKeys.filter((k) => k.productUid === serviceKeyPort);
    assert.deepEqual(
      keys.map((k) => k.active),
      [false],
    );
  });

  it("multi-use-key: `pulumi up` makes one pre-approved key and three provisioned VXCs", async () => {
    await steps("multi-use-key", "Try it against the emulator");
    assert.match(printed("pulumi up"), /\+ 5 created/);
    const out = outputs("multi-use-key");
    const vxcIds = out.vxcIds as string[];
    assert.equal(new Set(vxcIds).size, 3);
    const [assigned, chosen, untagged] = out.aEndVlans as unknown[];
    assert.equal(typeof assigned, "number");
    assert.deepEqual([chosen, untagged], [300, "untagged"]);
    for (const status of out.provisioningStatuses as string[]) assert.match(status, /^(CONFIGURED|LIVE)$/);
    await settledAndSecret("multi-use-key");

    const state = await cleanUp("multi-use-key");
    assert.match(printed("pulumi destroy"), /- 5 deleted/);
    for (const id of vxcIds) {
      assert.equal(state.vxcs.find((v) => v.productUid === id)?.provisioningStatus, "DECOMMISSIONED");
    }
    assert.deepEqual(
      state.serviceKeys.map((k) => k.active),
      [false],
    );
  });

  it("partner-onboarding: `pulumi up` issues, orders and approves; refresh records the VXC LIVE", async () => {
    let live: EmulatorView | undefined;
    await steps("partner-onboarding", "Try it against the emulator", async (line) => {
      if (!line.startsWith("pulumi refresh")) return;
      // "a moment later": the emulator provisions an approved VXC one delay per state.
      for (let i = 0; i < 60 && !live; i++) {
        const state = await emulator();
        if (state.vxcs.length > 0 && state.vxcs.every((v) => v.provisioningStatus === "LIVE")) live = state;
        else await new Promise((resolve) => setTimeout(resolve, 250));
      }
    });
    assert.ok(live, "the approved VXC went LIVE at the emulator");
    assert.match(printed("pulumi up"), /\+ 4 created/);
    assert.equal(outputs("partner-onboarding").approvalStatus, "APPROVED");
    const state = JSON.parse(cli("partner-onboarding", ["stack", "export"]));
    const vxc = state.deployment.resources.find(
      (r: { type: string }) => r.type === "pulumi-nodejs:dynamic/megaport:ServiceKeyVxc",
    );
    assert.equal(vxc.outputs.provisioningStatus, "LIVE", "the refresh recorded the VXC LIVE");
    await settledAndSecret("partner-onboarding");

    const after = await cleanUp("partner-onboarding");
    assert.match(printed("pulumi destroy"), /- 4 deleted/);
    assert.match(printed("pulumi destroy"), /decision cannot be undone|removed from the stack/i);
    assert.equal(after.vxcs.find((v) => v.productUid === vxc.id)?.provisioningStatus, "DECOMMISSIONED");
    assert.deepEqual(
      after.serviceKeys.map((k) => k.active),
      [false],
    );
  });
});
