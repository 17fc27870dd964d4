import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { serviceKeyId } from "../../provider/resources/serviceKey";
import { engineRoot, offlineEngineEnv, repoRoot } from "../../scripts/pulumiStack";
import { MegaportClient } from "../../sdk";
import { assertNoSecretIn, emulatorSecrets } from "./engineRun";
import { userInstall } from "./userInstall";

const exec = promisify(execFile);

// examples/yaml-partner-onboarding with the plain Pulumi CLI in the example's directory:
// `pulumi up/preview/refresh/import/destroy`, the Pulumi YAML language host from .engine/bin
// (docs/engine.md), and the provider plugin from the packed package installed as a user installs
// it, on PATH (tests/e2e/userInstall.ts). Then a key and a VXC made outside the stack are
// imported; a copy of the example with the code `pulumi import` generated shows no changes.
const exampleDir = path.join(repoRoot, "examples", "yaml-partner-onboarding");
const STACK = "e2e-yaml";

interface EmulatorView {
  serviceKeys: { key: string; active: boolean; productUid: string; validFor: { start: number; end: number } }[];
  vxcs: { productUid: string; provisioningStatus: string }[];
}

interface PreviewStep {
  op: string;
  urn: string;
}

describe("e2e: the Pulumi YAML example with the provider plugin, on the plain CLI", function () {
  this.timeout(600_000);
  let emulator: RunningEmulator;
  let backendDir: string;
  let copyDir: string;
  let env: NodeJS.ProcessEnv;
  /** Everything the CLI printed, for the leak check. */
  let printed = "";

  /** `pulumi <args> --stack e2e-yaml`; a failure names the command only (its arguments may be secret). */
  const pulumi = async (args: string[], cwd = exampleDir): Promise<string> => {
    const stackArgs = args[0] === "stack" && ["init", "rm"].includes(args[1] ?? "") ? [] : ["--stack", STACK];
    try {
      const { stdout, stderr } = await exec(path.join(engineRoot, "bin", "pulumi"), [...args, ...stackArgs], {
        cwd,
        env,
        maxBuffer: 64 << 20,
      });
      printed += `${stdout}\n${stderr}\n`;
      return stdout;
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      printed += `${failed.stdout ?? ""}\n${failed.stderr ?? ""}\n`;
      throw new Error(`pulumi ${args.slice(0, 2).join(" ")} failed:\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
    }
  };
  const outputs = async (): Promise<Record<string, unknown>> => JSON.parse(await pulumi(["stack", "output", "--json"]));
  const view = async (): Promise<EmulatorView> =>
    (await (await fetch(`${emulator.url}/_emulator/state`)).json()) as EmulatorView;
  const previewSteps = async (cwd = exampleDir): Promise<PreviewStep[]> =>
    (JSON.parse(await pulumi(["preview", "--json"], cwd)) as { steps: PreviewStep[] }).steps;
  /** A resource's step in a preview; `same` when the preview lists none for it (unchanged). */
  const opOf = (steps: PreviewStep[], name: string) => steps.find((s) => s.urn.endsWith(`::${name}`))?.op ?? "same";
  const client = (account: "east" | "west") =>
    new MegaportClient({ ...emulator.accounts[account], baseUrl: emulator.url });

  before(async () => {
    const languageHost = path.join(engineRoot, "bin", "pulumi-language-yaml");
    assert.ok(fs.existsSync(languageHost), `${languageHost} is missing: run \`make engine\` (docs/engine.md)`);
    const { binDir } = await userInstall();
    emulator = await startEmulator({ port: 0, provisioningDelayMs: 50 });
    backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-yaml-"));
    copyDir = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-yaml-copy-"));
    const engineEnv = offlineEngineEnv(backendDir, "megaport-yaml-test");
    env = {
      ...process.env,
      ...engineEnv,
      // As a user who ran `npm install pulumi-megaport-service-keys` puts it: the project's bins on PATH.
      PATH: `${binDir}${path.delimiter}${engineEnv.PATH}`,
      PULUMI_SKIP_CONFIRMATIONS: "true",
      MEGAPORT_POLL_INTERVAL_MS: "100",
    };
    const { east, west } = emulator.accounts;
    const accounts = {
      east: { accessKey: east.accessKey, secretKey: east.secretKey },
      west: { accessKey: west.accessKey, secretKey: west.secretKey },
    };
    await pulumi(["stack", "init", STACK]);
    await pulumi(["config", "set", "megaport-service-keys:baseUrl", emulator.url]);
    await pulumi(["config", "set", "--secret", "megaport-service-keys:accounts", JSON.stringify(accounts)]);
    await pulumi(["config", "set", "megaport-service-keys:acceptPurchaseTerms", "true"]);
    await pulumi(["config", "set", "eastPortUid", east.products.port10G]);
    await pulumi(["config", "set", "westPortUid", west.products.port1G]);
  });

  after(async () => {
    await pulumi(["stack", "rm", "--yes", "--force", STACK]).catch(() => undefined);
    fs.rmSync(path.join(exampleDir, `Pulumi.${STACK}.yaml`), { force: true });
    fs.rmSync(backendDir, { recursive: true, force: true });
    fs.rmSync(copyDir, { recursive: true, force: true });
    await emulator?.close();
  });

  it("up makes both partners' keys with their windows, West's VXC and East's approval", async () => {
    const up = await pulumi(["up", "--yes"]);
    assert.match(up, /\+ 5 created/);
    const out = await outputs();
    assert.equal(out.approvalStatus, "APPROVED");
    assert.match(String(out.westKeyId), /^sk-[0-9a-f]{24}$/);
    const state = await view();
    const keys = state.serviceKeys.filter((k) => k.productUid === emulator.accounts.east.products.port10G);
    assert.equal(keys.length, 2);
    for (const key of keys) assert.equal(key.validFor.end, Date.parse("2030-01-01T00:00:00Z"));
    assert.ok(keys.some((k) => k.validFor.start === Date.parse("2026-01-01T00:00:00Z")));
    assert.ok(state.vxcs.some((v) => v.productUid === out.vxcId));
  });

  it("refresh, then a preview that expects no changes", async () => {
    await new Promise((resolve) => setTimeout(resolve, 300)); // the VXC goes LIVE
    await pulumi(["refresh", "--yes"]);
    const steps = await previewSteps();
    assert.ok(steps.every((s) => s.op === "same"), JSON.stringify(steps.map((s) => [s.op, s.urn])));
    await pulumi(["preview", "--expect-no-changes"]);
  });

  it("a new window updates both keys in place; the VXC using West's key shows no change, not a possible replace", async () => {
    await pulumi(["config", "set", "keysValidUntil", "2031-06-01T00:00:00Z"]);
    const steps = await previewSteps();
    assert.equal(opOf(steps, "westKey"), "update");
    assert.equal(opOf(steps, "northKey"), "update");
    assert.equal(opOf(steps, "westVxc"), "same", "the key stays known at preview (docs/lifecycle.md, \"Previews\")");
    assert.equal(opOf(steps, "westApproval"), "same");
    const up = await pulumi(["up", "--yes"]);
    assert.match(up, /~ 2 updated/);
    const keys = (await view()).serviceKeys.filter((k) => k.productUid === emulator.accounts.east.products.port10G);
    for (const key of keys) assert.equal(key.validFor.end, Date.parse("2031-06-01T00:00:00Z"));
  });

  /**
   * A copy of the example (same project name, same backend, the stack's config) with `generated`
   * added to its resources: what a user does with the code `pulumi import` prints.
   */
  function copyWith(generated: string, extraConfig = ""): void {
    const program = fs.readFileSync(path.join(exampleDir, "Pulumi.yaml"), "utf8");
    const body = generated.replace(/^resources:\n/, "");
    fs.writeFileSync(
      path.join(copyDir, "Pulumi.yaml"),
      program.replace("\nresources:\n", `\nresources:\n${body}`).replace("\nconfig:\n", `\nconfig:\n${extraConfig}`),
    );
    fs.copyFileSync(path.join(exampleDir, `Pulumi.${STACK}.yaml`), path.join(copyDir, `Pulumi.${STACK}.yaml`));
  }

  /**
   * A key's import id as a user finds it without handling the key: the function getServiceKeys,
   * called from a Pulumi YAML program of its own (docs/importing.md).
   */
  async function importIdFromFunction(productUid: string, description: string): Promise<string> {
    const lookupDir = path.join(copyDir, "lookup");
    fs.mkdirSync(lookupDir, { recursive: true });
    fs.writeFileSync(
      path.join(lookupDir, "Pulumi.yaml"),
      [
        "name: key-lookup",
        "runtime: yaml",
        "variables:",
        "  found:",
        "    fn::invoke:",
        "      function: megaport-service-keys:index:getServiceKeys",
        `      arguments: { account: east, productUid: ${productUid} }`,
        "outputs:",
        "  keys: ${found.keys}",
        "",
      ].join("\n"),
    );
    fs.copyFileSync(path.join(exampleDir, `Pulumi.${STACK}.yaml`), path.join(lookupDir, `Pulumi.${STACK}.yaml`));
    await pulumi(["stack", "init", STACK], lookupDir);
    await pulumi(["up", "--yes"], lookupDir);
    const { keys } = JSON.parse(await pulumi(["stack", "output", "--json"], lookupDir)) as {
      keys: { importId: string; description: string | null }[];
    };
    await pulumi(["destroy", "--yes"], lookupDir);
    await pulumi(["stack", "rm", "--yes", STACK], lookupDir);
    const match = keys.filter((k) => k.description === description);
    assert.equal(match.length, 1, JSON.stringify(keys));
    return match[0]?.importId ?? "";
  }

  it("imports a key made in the portal by its sk- id: no key in the id or the code, and the state is the program's", async () => {
    const east = client("east");
    const key = await east.serviceKeys.create({
      productUid: emulator.accounts.east.products.port1G,
      maxSpeed: 200,
      singleUse: false,
      active: true,
      description: "made in the portal",
      validFor: { start: Date.parse("2026-06-01T00:00:00Z"), end: Date.parse("2029-05-01T00:00:00Z") },
    });
    await east.close();
    const id = await importIdFromFunction(emulator.accounts.east.products.port1G, "made in the portal");
    assert.equal(id, serviceKeyId(key.key), "the id a create would give");
    const generatedFile = path.join(copyDir, "generated-key.yaml");
    await pulumi([
      "import",
      "megaport-service-keys:index:ServiceKey",
      "portalKey",
      `east/${id}`,
      "--yes",
      "--protect=false",
      "--out",
      generatedFile,
    ]);
    const generated = fs.readFileSync(generatedFile, "utf8");
    assert.ok(!generated.includes(key.key) && !generated.includes(key.key.slice(0, 8)), "no key in the code");
    assert.match(generated, /maxSpeed: 200/);
    assert.match(generated, /end: "?2029-05-01T00:00:00.000Z/);
    const state = JSON.parse(await pulumi(["stack", "export"]));
    const imported = state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::portalKey"));
    assert.equal(imported.id, id);
    const created = state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::northKey"));
    // The properties a create gives a multi-use key with a window, as northKey has them.
    assert.deepEqual(Object.keys(imported.outputs).sort(), Object.keys(created.outputs).sort());
    assert.ok(imported.outputs.key.ciphertext, "the key is secret in the state");

    copyWith(generated);
    await pulumi(["preview", "--expect-no-changes"], copyDir);
  });

  it("imports a VXC made outside the stack by its product UID; the declared key is recorded in place", async () => {
    const east = client("east");
    const west = client("west");
    const key = await east.serviceKeys.create({
      productUid: emulator.accounts.east.products.port1G,
      maxSpeed: 300,
      singleUse: false,
      active: true,
      preApproved: true,
      description: "for the imported VXC",
    });
    const westPort = emulator.accounts.west.products.port10G;
    const [bought] = await west.networkDesign.buy([
      {
        productUid: westPort,
        associatedVxcs: [
          {
            productName: "Portal VXC",
            rateLimit: 100,
            term: 12,
            shutdown: false,
            serviceKey: key.key,
            aEnd: { productUid: westPort, vlan: 300 },
            bEnd: { productUid: key.productUid },
          },
        ],
      },
    ]);
    await Promise.all([east.close(), west.close()]);
    const uid = (bought as { vxcJTechnicalServiceUid: string }).vxcJTechnicalServiceUid;
    const generatedFile = path.join(copyDir, "generated-vxc.yaml");
    await pulumi([
      "import",
      "megaport-service-keys:index:ServiceKeyVxc",
      "portalVxc",
      `west/${uid}`,
      "--yes",
      "--protect=false",
      "--out",
      generatedFile,
    ]);
    const generated = fs.readFileSync(generatedFile, "utf8");
    assert.match(generated, /aEndVlan: 300/);
    assert.match(generated, /term: 12/);
    // The API does not tell the consumer which key a VXC was ordered with: the user declares it.
    assert.match(generated, /serviceKey: ""/);
    const keyFile = fs.readFileSync(path.join(copyDir, "generated-key.yaml"), "utf8");
    copyWith(
      `${keyFile.replace(/^resources:\n/, "")}${generated.replace(/^resources:\n/, "").replace('serviceKey: ""', "serviceKey: ${portalVxcKey}")}`,
      "  portalVxcKey:\n    type: string\n    secret: true\n",
    );
    await pulumi(["config", "set", "--secret", "portalVxcKey", key.key], copyDir);
    const steps = await previewSteps(copyDir);
    assert.equal(opOf(steps, "portalVxc"), "update", "the key is recorded in place, not a replace");
    assert.equal(steps.filter((s) => s.op !== "same").length, 1, JSON.stringify(steps.map((s) => [s.op, s.urn])));
    await pulumi(["up", "--yes"], copyDir);
    await pulumi(["preview", "--expect-no-changes"], copyDir);
    assert.ok((await view()).vxcs.some((v) => v.productUid === uid && v.provisioningStatus !== "DECOMMISSIONED"));
  });

  it("never shows a key, its prefix or a credential in the state or the CLI's output", async () => {
    const state = await pulumi(["stack", "export"]);
    assertNoSecretIn({ state, output: printed }, await emulatorSecrets(emulator.url, emulator.accounts));
  });

  it("destroy deactivates every key and cancels every VXC, the imported ones too", async () => {
    const destroyed = await pulumi(["destroy", "--yes"], copyDir);
    assert.match(destroyed, /- 7 deleted/);
    const state = await view();
    const stackKeys = state.serviceKeys.filter((k) => k.productUid !== emulator.accounts.east.products.port1G || k.validFor.end < Date.parse("2099-01-01T00:00:00Z"));
    assert.equal(stackKeys.length, 3);
    assert.ok(stackKeys.every((k) => !k.active), "every key of the stack is inactive");
    assert.ok(state.vxcs.every((v) => v.provisioningStatus === "DECOMMISSIONED"), JSON.stringify(state.vxcs));
  });
});
