import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { engineRoot, offlineEngineEnv } from "../../scripts/pulumiStack";
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
      }));`;
    const { stdout } = await exec("node", ["-e", script], { cwd: project });
    const resolved = JSON.parse(stdout);
    assert.deepEqual(resolved.resources, ["function", "function", "function"]);
    assert.equal(resolved.client, "function");
    assert.equal(resolved.startEmulator, "function");
    assert.ok(resolved.from.startsWith(fs.realpathSync(project)), resolved.from);
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

  it("runs a program with a ServiceKey on the real engine: up, refresh and destroy", async () => {
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: user-project\nruntime: nodejs\n");
    fs.writeFileSync(
      path.join(project, "program.js"),
      `const pulumi = require("@pulumi/pulumi");
       const { ServiceKey } = require("pulumi-megaport-service-keys");
       const key = new ServiceKey("user-key", {
         productUid: new pulumi.Config().require("portUid"), maxSpeed: 100, singleUse: false,
       });
       exports.valid = key.valid;`,
    );
    // The runner uses the project's own @pulumi/pulumi (as a user's program would) and this
    // repository's engine.
    fs.writeFileSync(
      path.join(project, "run.js"),
      `const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
       (async () => {
         const pulumiCommand = await PulumiCommand.get({ root: ${JSON.stringify(engineRoot)} });
         const program = async () => ({ ...require("./program.js") });
         const stack = await LocalWorkspace.createOrSelectStack(
           { stackName: "user", projectName: "user-project", program },
           { workDir: __dirname, pulumiCommand, envVars: JSON.parse(process.env.ENGINE_ENV) });
         await stack.setAllConfig(JSON.parse(process.env.STACK_CONFIG));
         const up = await stack.up();
         await stack.refresh();
         // What \`pulumi stack export\` prints (exportStack() would pass --show-secrets).
         const state = JSON.parse(require("node:child_process").execFileSync(
           ${JSON.stringify(path.join(engineRoot, "bin", "pulumi"))}, ["stack", "export", "--stack", "user"],
           { cwd: __dirname, env: { ...process.env, ...JSON.parse(process.env.ENGINE_ENV) } }).toString());
         await stack.destroy();
         console.log(JSON.stringify({ valid: up.outputs.valid.value, state }));
       })().catch((e) => { console.error(e.message); process.exit(1); });`,
    );
    const account = emulator.accounts.east;
    fs.mkdirSync(path.join(project, ".state"));
    const { stdout } = await exec("node", ["run.js"], {
      cwd: project,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        ...process.env,
        ENGINE_ENV: JSON.stringify(offlineEngineEnv(path.join(project, ".state"), "user-test")),
        STACK_CONFIG: JSON.stringify({
          portUid: { value: account.products.port1G },
          "megaport:baseUrl": { value: emulator.url },
          "megaport:accessKey": { value: account.accessKey },
          "megaport:secretKey": { value: account.secretKey, secret: true },
        }),
      },
    });
    const { valid, state } = JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
    assert.equal(valid, true);
    const key = state.deployment.resources.find(
      (r: { type: string }) => r.type === "pulumi-nodejs:dynamic/megaport:ServiceKey",
    );
    assert.ok(key.outputs.__provider.length < 20_000, "the serialized provider is a thin shim");
    assert.ok(!JSON.stringify(state).includes(account.secretKey), "no credential in the state");
  });
});
