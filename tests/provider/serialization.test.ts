import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import type { RunningEmulator } from "../../emulator";
import serviceKeyShim from "../../provider/dynamic/shims/serviceKey";
import serviceKeyVxcShim from "../../provider/dynamic/shims/serviceKeyVxc";
import vxcOrderApprovalShim from "../../provider/dynamic/shims/vxcOrderApproval";
import { emulatorConfig, startHarness, stopHarness } from "./harness";

const repoRoot = path.resolve(__dirname, "..", "..", "..");

describe("serialized provider shims", () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startHarness();
  });
  after(async () => stopHarness(emulator));

  for (const [name, shim] of [
    ["ServiceKey", serviceKeyShim],
    ["ServiceKeyVxc", serviceKeyVxcShim],
    ["VxcOrderApproval", vxcOrderApprovalShim],
  ] as const) {
    it(`${name}: captures no secret, no credential, and stays small`, async () => {
      const { text, containsSecrets } = await pulumi.runtime.serializeFunction(() => shim, {
        allowSecrets: true,
      });
      console.log(`      ${name} __provider: ${text.length} bytes`);
      assert.equal(containsSecrets, false);
      assert.ok(text.length < 20_000, `${text.length} bytes`);
      for (const account of Object.values(emulator.accounts)) {
        assert.ok(!text.includes(account.secretKey) && !text.includes(account.accessKey));
      }
      assert.match(text, /pulumi-megaport-service-keys\/provider\/implementation/);
      assert.ok(!text.includes("zod") && !text.includes("undici"), "no library captured");
    });
  }

  it("loads in a fresh process and runs configure, create and read against the emulator", async function () {
    this.timeout(20_000);
    const { text } = await pulumi.runtime.serializeFunction(() => serviceKeyShim, { allowSecrets: true });
    // The repository resolves its own package name through node_modules (the Makefile's link).
    const link = path.join(repoRoot, "node_modules", "pulumi-megaport-service-keys");
    if (!fs.existsSync(link)) fs.symlinkSync("..", link);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shim-"));
    const textFile = path.join(dir, "provider.js");
    fs.writeFileSync(textFile, text);
    const script = `
      const text = require("fs").readFileSync(${JSON.stringify(textFile)}, "utf8");
      const provider = require("require-from-string")(text).handler();
      const values = JSON.parse(process.env.SHIM_CONFIG);
      (async () => {
        await provider.configure({ config: { get: (k) => values[k], require: (k) => values[k] } });
        const checked = await provider.check({}, { productUid: process.env.SHIM_PORT, maxSpeed: 100, vlan: 300, account: "east" });
        const created = await provider.create(checked.inputs);
        const read = await provider.read(created.id, created.outs);
        process.stdout.write(JSON.stringify({ id: created.id, readId: read.id, active: read.props.active, pid: process.pid }));
        process.exit(0);
      })().catch((e) => { process.stderr.write(String(e && e.message)); process.exit(1); });`;
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], {
      cwd: repoRoot,
      env: {
        ...process.env,
        SHIM_CONFIG: JSON.stringify(emulatorConfig(emulator)),
        SHIM_PORT: emulator.accounts.east?.products.port1G,
      },
    });
    fs.rmSync(dir, { recursive: true, force: true });
    const result = JSON.parse(stdout) as { id: string; readId: string; active: boolean; pid: number };
    assert.notEqual(result.pid, process.pid);
    assert.match(result.id, /^sk-[0-9a-f]{24}$/);
    assert.equal(result.readId, result.id);
    assert.equal(result.active, true);
  });
});
