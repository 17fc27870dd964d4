import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { packedInstall } from "../../scripts/packedInstall";
import { engineRoot, offlineEngineEnv, repoRoot } from "../../scripts/pulumiStack";
import { userInstall } from "./userInstall";

const exec = promisify(execFile);

// The package as a user gets it: `npm pack`, installed into a fresh project next to
// @pulumi/pulumi. Every entry point resolves, and a program there runs on the real engine: the
// serialized provider loads the implementation by package name from the user's node_modules
// (docs/architecture.md, "The thin serialized shim"), not from this repository.
describe("e2e: the packed package in a user's project", function () {
  this.timeout(300_000);
  let project: string;
  let emulator: RunningEmulator;

  before(async () => {
    ({ project } = await userInstall());
    emulator = await startEmulator({ port: 0, provisioningDelayMs: 50 });
  });

  after(async () => {
    await emulator?.close();
  });

  it("holds only the built package, and every entry point of the exports map resolves", async () => {
    const installed = path.join(project, "node_modules", "pulumi-megaport-service-keys");
    assert.ok(!fs.lstatSync(installed).isSymbolicLink(), "a real copy, not a link to this repository");
    assert.ok(!fs.existsSync(path.join(installed, "dist", "tests")), "no tests in the package");
    const script = `
      const main = require("pulumi-megaport-service-keys");
      const sdk = require("pulumi-megaport-service-keys/sdk");
      const emulator = require("pulumi-megaport-service-keys/emulator");
      console.log(JSON.stringify({
        resources: [typeof main.ServiceKey, typeof main.ServiceKeyVxc, typeof main.VxcOrderApproval],
        client: typeof sdk.MegaportClient,
        startEmulator: typeof emulator.startEmulator,
        from: require.resolve("pulumi-megaport-service-keys"),
        // What stored state requires (docs/architecture.md, "The thin serialized shim").
        implementation: Object.keys(require("pulumi-megaport-service-keys/provider/implementation")).sort(),
        shims: ["serviceKey", "serviceKeyVxc", "vxcOrderApproval"].map((name) =>
          Object.keys(require("pulumi-megaport-service-keys/provider/shims/" + name))),
      }));`;
    const { stdout } = await exec("node", ["-e", script], { cwd: project });
    const resolved = JSON.parse(stdout);
    assert.deepEqual(resolved.resources, ["function", "function", "function"]);
    assert.equal(resolved.client, "function");
    assert.equal(resolved.startEmulator, "function");
    assert.ok(resolved.from.startsWith(fs.realpathSync(project)), resolved.from);
    assert.deepEqual(resolved.implementation, ["closeClients", "configure", "serviceKey", "serviceKeyVxc", "vxcOrderApproval"]);
    const methods = ["configure", "check", "diff", "create", "read", "update", "delete"];
    assert.deepEqual(resolved.shims, [methods, methods, methods]);
    // The installed bin runs (a failure rejects) and prints its own usage line, not a shell error
    // that merely names its path.
    const bin = await exec(path.join(project, "node_modules", ".bin", "megaport-emulator"), ["--help"], {
      cwd: project,
    });
    assert.match(bin.stdout, /^usage: megaport-emulator \[--host 127\.0\.0\.1\] \[--port 8080\|0\]/);
  });

  it("installs the provider plugin where the engine finds it: `pulumi package get-schema` reads its schema", async () => {
    const plugin = path.join(project, "node_modules", ".bin", "pulumi-resource-megaport-service-keys");
    assert.ok(fs.existsSync(plugin), "npm links the plugin bin");
    const env = { ...process.env, ...offlineEngineEnv(path.join(project, ".schema-state"), "user-test") };
    const { stdout } = await exec(path.join(engineRoot, "bin", "pulumi"), ["package", "get-schema", plugin], {
      cwd: project,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    const schema = JSON.parse(stdout);
    assert.equal(schema.name, "megaport-service-keys");
    assert.equal(
      schema.version,
      JSON.parse(fs.readFileSync(path.join(project, "node_modules", "pulumi-megaport-service-keys", "package.json"), "utf8")).version,
    );
    assert.deepEqual(Object.keys(schema.resources).sort(), [
      "megaport-service-keys:index:ServiceKey",
      "megaport-service-keys:index:ServiceKeyVxc",
      "megaport-service-keys:index:VxcOrderApproval",
    ]);
  });

  it("runs a program with a ServiceKey on the real engine: up, a clean preview, refresh and destroy, with the shim stored by reference", async () => {
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: user-project\nruntime: nodejs\n");
    const account = emulator.accounts.east;
    const result = await runInProject(
      project,
      "run.js",
      ".state",
      `const program = async () => {
         const pulumi = require("@pulumi/pulumi");
         const { ServiceKey } = require("pulumi-megaport-service-keys");
         const key = new ServiceKey("user-key", {
           productUid: new pulumi.Config().require("portUid"), maxSpeed: 100, singleUse: false, description: "user key",
         });
         return { valid: key.valid };
       };
       const stack = await openStack("user", program);
       const up = await stack.up();
       const preview = await stack.preview();
       await stack.refresh();
       const state = exportState("user");
       await stack.destroy();
       return { valid: up.outputs.valid.value, preview: preview.changeSummary, state, keys: await keysOfPort() };`,
      stackConfig(emulator),
    );
    assert.equal(result.valid, true);
    assert.deepEqual(Object.keys(result.preview), ["same"], "the preview after up changes nothing");
    const key = result.state.deployment.resources.find((r: { type: string }) => r.type === KEY_TYPE);
    // The state's cost per key (bench/NOTES.md): the `stack export` entry, indented as the checkpoint file.
    console.log(
      `      ServiceKey __provider: ${key.inputs.__provider.length} bytes; checkpoint entry: ${Buffer.byteLength(JSON.stringify(key, null, 4))} bytes`,
    );
    // The installed package's shim is the `module.exports` of provider/shims/serviceKey, so the
    // closure serializer stores a require of that subpath, not the shim's code
    // (docs/architecture.md, "The thin serialized shim").
    for (const stored of [key.inputs.__provider, key.outputs.__provider] as string[]) {
      assert.match(stored, /require\("pulumi-megaport-service-keys\/provider\/shims\/serviceKey"\)/);
      assert.ok(!stored.includes("provider/implementation"), "no shim code by value");
      assert.ok(stored.length < 600, `__provider is ${stored.length} bytes`);
    }
    assert.ok(!JSON.stringify(result.state).includes(account.secretKey), "no credential in the state");
    assert.deepEqual(
      result.keys.filter((k: { description: string }) => k.description === "user key").map((k: { active: boolean }) => k.active),
      [false],
      "destroy deactivated the key",
    );
  });

  it("in a project whose path holds the package's name, the stored reference is the file's subpath, and it resolves", async () => {
    // Pulumi finds the package.json of the shim's package by the first occurrence of its name in
    // the resolved path (`@pulumi/pulumi` runtime/closure/package.js, getPackageDefinition): here
    // that is the project's directory, so it cannot map the file to `provider/shims/serviceKey`
    // and stores the file's own subpath, which package.json exports for that reason.
    const named = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-megaport-service-keys-project-"));
    try {
      await packedInstall(named);
      fs.writeFileSync(path.join(named, "Pulumi.yaml"), "name: user-project\nruntime: nodejs\n");
      const result = await runInProject(
        named,
        "run.js",
        ".state",
        `const program = async () => {
           const pulumi = require("@pulumi/pulumi");
           const { ServiceKey } = require("pulumi-megaport-service-keys");
           new ServiceKey("named-key", { productUid: new pulumi.Config().require("portUid"), maxSpeed: 100, singleUse: false, description: "named key" });
         };
         const stack = await openStack("named", program);
         await stack.up();
         const preview = await stack.preview();
         await stack.refresh();
         const state = exportState("named");
         await stack.destroy();
         return { preview: preview.changeSummary, state, keys: await keysOfPort() };`,
        stackConfig(emulator),
      );
      const key = result.state.deployment.resources.find((r: { type: string }) => r.type === KEY_TYPE);
      assert.match(key.outputs.__provider, /require\("pulumi-megaport-service-keys\/dist\/provider\/dynamic\/shims\/serviceKey\.js"\)/);
      assert.ok(key.outputs.__provider.length < 600, `__provider is ${key.outputs.__provider.length} bytes`);
      assert.deepEqual(Object.keys(result.preview), ["same"]);
      assert.deepEqual(
        result.keys.filter((k: { description: string }) => k.description === "named key").map((k: { active: boolean }) => k.active),
        [false],
        "refresh and destroy ran the stored reference",
      );
    } finally {
      fs.rmSync(named, { recursive: true, force: true });
    }
  });

  it("upgrades a stack written by the previous release (its shim stored by value): a clean preview, refresh, update and destroy", async () => {
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: user-project\nruntime: nodejs\n");
    const previous = JSON.parse(
      fs.readFileSync(path.join(repoRoot, "tests", "e2e", "fixtures", "previous-release", "provider.json"), "utf8"),
    ) as { ServiceKey: string };
    assert.match(previous.ServiceKey, /require\("pulumi-megaport-service-keys\/provider\/implementation"\)/);
    const result = await runInProject(
      project,
      "upgrade.js",
      ".state-upgrade",
      `const program = async () => {
         const pulumi = require("@pulumi/pulumi");
         const { ServiceKey } = require("pulumi-megaport-service-keys");
         const config = new pulumi.Config();
         const productUid = config.require("portUid");
         new ServiceKey("kept", { productUid, maxSpeed: 100, singleUse: false, description: "upgrade kept" });
         const changed = new ServiceKey("changed", {
           productUid, maxSpeed: 100, singleUse: false, description: "upgrade changed", active: config.requireBoolean("changedActive"),
         });
         return { changedActive: changed.active };
       };
       const stack = await openStack("upgrade", program);
       await stack.setConfig("changedActive", { value: "true" });
       await stack.up();
       // The state as the previous release wrote it: its __provider in the inputs and outputs of each key.
       const written = exportState("upgrade");
       for (const r of written.deployment.resources) {
         if (r.type === ${JSON.stringify(KEY_TYPE)}) r.inputs.__provider = r.outputs.__provider = process.env.PREVIOUS_PROVIDER;
       }
       fs.writeFileSync(path.join(__dirname, "upgrade-state.json"), JSON.stringify(written));
       cli(["stack", "import", "--stack", "upgrade", "--file", path.join(__dirname, "upgrade-state.json")]);
       const providers = () => Object.fromEntries(exportState("upgrade").deployment.resources
         .filter((r) => r.type === ${JSON.stringify(KEY_TYPE)})
         .map((r) => [r.urn.split("::").pop(), { inputs: r.inputs.__provider, outputs: r.outputs.__provider }]));
       const imported = providers();
       const preview = await stack.preview();
       const refresh = await stack.refresh();
       const refreshed = providers();
       await stack.setConfig("changedActive", { value: "false" });
       const update = await stack.up();
       const updated = providers();
       const afterUpdate = await keysOfPort();
       const destroy = await stack.destroy();
       return {
         imported, preview: preview.changeSummary, refresh: refresh.summary.resourceChanges, refreshed,
         update: update.summary.resourceChanges, changedActive: update.outputs.changedActive.value, updated, afterUpdate,
         destroy: destroy.summary.resourceChanges, afterDestroy: await keysOfPort(),
       };`,
      stackConfig(emulator),
      { PREVIOUS_PROVIDER: previous.ServiceKey },
    );
    const active = (keys: { description: string; active: boolean }[], description: string) =>
      keys.filter((k) => k.description === description).map((k) => k.active);
    const byReference = /require\("pulumi-megaport-service-keys\/provider\/shims\/serviceKey"\)/;
    // What the upgrade starts from: the previous release's text, in inputs and outputs.
    for (const name of ["kept", "changed"]) {
      assert.deepEqual(result.imported[name], { inputs: previous.ServiceKey, outputs: previous.ServiceKey }, name);
    }
    assert.deepEqual(Object.keys(result.preview), ["same"], "a new __provider alone is no change");
    assert.deepEqual(Object.keys(result.refresh), ["same"], "refresh ran the stored (previous) shim, which loads this implementation");
    assert.equal(result.refreshed.kept.outputs, previous.ServiceKey, "refresh read with the stored shim");
    assert.equal(result.update.update, 1, "only the changed key is updated");
    assert.deepEqual(Object.keys(result.update).sort(), ["same", "update"]);
    assert.equal(result.changedActive, false);
    assert.deepEqual(active(result.afterUpdate, "upgrade changed"), [false], "the update reached the API");
    assert.deepEqual(active(result.afterUpdate, "upgrade kept"), [true]);
    assert.match(result.updated.changed.inputs, byReference);
    assert.match(result.updated.changed.outputs, byReference, "the updated key now stores the short form");
    assert.equal(result.updated.kept.outputs, previous.ServiceKey, "the unchanged key is destroyed with the previous release's shim");
    assert.deepEqual(Object.keys(result.destroy), ["delete"]);
    assert.deepEqual(active(result.afterDestroy, "upgrade kept"), [false], "destroyed through the previous shim");
    assert.deepEqual(active(result.afterDestroy, "upgrade changed"), [false]);
  });
});

const KEY_TYPE = "pulumi-nodejs:dynamic/megaport:ServiceKey";

/** The stack config of a user's program against the emulator's account `east`. */
function stackConfig(emulator: RunningEmulator): Record<string, { value: string; secret?: boolean }> {
  const account = emulator.accounts.east;
  return {
    portUid: { value: account.products.port1G },
    "megaport:baseUrl": { value: emulator.url },
    "megaport:accessKey": { value: account.accessKey },
    "megaport:secretKey": { value: account.secretKey, secret: true },
  };
}

/**
 * Runs `body` (the inside of an async function returning JSON) as the script `file` of the user's
 * project, in a process of its own, with the project's own @pulumi/pulumi (as a user's program
 * would) and this repository's engine, its state in `stateDir` of the project. The body has
 * `openStack(name, program)` (the Automation API's inline program, its config set),
 * `exportState(name)` (what \`pulumi stack export\` prints: exportStack() would pass
 * --show-secrets), `cli(args)` and `keysOfPort()` (the account's keys on the port, read through the
 * installed sdk).
 */
async function runInProject(
  project: string,
  file: string,
  stateDir: string,
  body: string,
  config: Record<string, { value: string; secret?: boolean }>,
  env: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the script's JSON
): Promise<any> {
  fs.writeFileSync(
    path.join(project, file),
    `const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
     const { MegaportClient } = require("pulumi-megaport-service-keys/sdk");
     const fs = require("node:fs");
     const path = require("node:path");
     const engineEnv = JSON.parse(process.env.ENGINE_ENV);
     const config = JSON.parse(process.env.STACK_CONFIG);
     const cli = (args) => require("node:child_process").execFileSync(
       ${JSON.stringify(path.join(engineRoot, "bin", "pulumi"))}, args,
       { cwd: __dirname, env: { ...process.env, ...engineEnv }, maxBuffer: 64 << 20 }).toString();
     const exportState = (name) => JSON.parse(cli(["stack", "export", "--stack", name]));
     const keysOfPort = async () => {
       const client = new MegaportClient({
         baseUrl: config["megaport:baseUrl"].value, accessKey: config["megaport:accessKey"].value, secretKey: config["megaport:secretKey"].value });
       const keys = await client.serviceKeys.list({ productIdOrUid: config.portUid.value });
       await client.close();
       return keys.map((k) => ({ description: k.description, active: k.active }));
     };
     const openStack = async (stackName, program) => {
       const pulumiCommand = await PulumiCommand.get({ root: ${JSON.stringify(engineRoot)} });
       const stack = await LocalWorkspace.createOrSelectStack(
         { stackName, projectName: "user-project", program }, { workDir: __dirname, pulumiCommand, envVars: engineEnv });
       await stack.setAllConfig(config);
       return stack;
     };
     (async () => {
       ${body}
     })().then((result) => console.log(JSON.stringify(result)), (e) => { console.error(e.message); process.exit(1); });`,
  );
  fs.mkdirSync(path.join(project, stateDir));
  const { stdout } = await exec("node", [file], {
    cwd: project,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      ...env,
      ENGINE_ENV: JSON.stringify(offlineEngineEnv(path.join(project, stateDir), "user-test")),
      STACK_CONFIG: JSON.stringify(config),
    },
  });
  return JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
}
