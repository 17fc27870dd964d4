import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation";
import { repoRoot } from "../../scripts/pulumiStack";
import { EngineRun, example } from "./engineRun";

const run = promisify(execFile);

// The partner-onboarding demo: East's key, West's VXC, East's approval, in one stack with two
// named accounts.
describe("e2e: partner onboarding (the demo)", function () {
  this.timeout(300_000);

  it("`make demo` works, twice in a row (the second up changes nothing), and `make demo-destroy` tears it down", async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-demo-"));
    const demo = (command: string) =>
      run("node", [path.join(repoRoot, "dist", "scripts", "demo.js"), command], {
        cwd: repoRoot,
        env: { ...process.env, MEGAPORT_DEMO_STATE_DIR: stateDir },
        maxBuffer: 16 * 1024 * 1024,
      });
    try {
      const first = await demo("up");
      assert.match(first.stdout, /this run's changes\s+4 create/);
      assert.match(first.stdout, /East's decision\s+approve → APPROVED/);
      // The stack output, not only the resource in state: a plain refresh left it DEPLOYABLE.
      assert.match(first.stdout, /VXC provisioning status\s+LIVE/);
      const second = await demo("up");
      assert.match(second.stdout, /this run's changes\s+none/);
      assert.match(second.stdout, /VXC provisioning status\s+LIVE/);
      const destroyed = await demo("destroy");
      assert.match(destroyed.stdout, /Demo destroyed/);
      const emulatorState = fs.readFileSync(path.join(stateDir, "emulator.json"), "utf8");
      assert.match(emulatorState, /DECOMMISSIONED/);
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });

  describe("drift on both sides", () => {
    let engine: EngineRun;
    let stack: Stack;

    before(async () => {
      engine = await EngineRun.start({ provisioningDelayMs: 100 });
      const { east, west } = engine.emulator.accounts;
      stack = await engine.stack(example("partner-onboarding"), "drift", {
        ...engine.accountsConfig({ east: "east", west: "west" }),
        "demo:eastPortUid": { value: east.products.port10G },
        "demo:westPortUid": { value: west.products.port1G },
      });
    });
    after(async () => engine.close());

    it("goes from a pending order to LIVE once East approves", async () => {
      const up = await engine.up(stack);
      assert.equal(up.summary.resourceChanges?.create, 4);
      assert.equal(up.outputs.approvalStatus.value, "APPROVED");
      await new Promise((resolve) => setTimeout(resolve, 400));
      await engine.refresh(stack);
      const [vxc] = await engine.resources(stack, "ServiceKeyVxc");
      assert.equal(vxc.outputs.provisioningStatus, "LIVE");
      assert.deepEqual((await engine.preview(stack)).changeSummary, { same: 4 });
    });

    it("shows a deactivated key and a changed VXC on refresh, and up repairs both", async () => {
      const [key] = await engine.resources(stack, "ServiceKey");
      const [vxc] = await engine.resources(stack, "ServiceKeyVxc");
      const state = await engine.state();
      const apiKey = state.serviceKeys.find((k) => k.productUid === key.outputs.productUid && k.active);
      assert.ok(apiKey);
      await engine.admin("POST", `service-keys/${apiKey.key}`, { active: false });
      await engine.admin("POST", `vxcs/${vxc.id}`, { rateLimit: 100 });

      await engine.refresh(stack);
      assert.equal((await engine.resources(stack, "ServiceKey"))[0].outputs.active, false);
      assert.equal((await engine.resources(stack, "ServiceKeyVxc"))[0].outputs.rateLimit, 100);
      // The preview shows the key's update; its dependents show as possible replaces, because
      // an updated dynamic resource's outputs (the key) are unknown until it runs (README,
      // "Previews while a key changes"). The up itself diffs with the known key: two updates.
      assert.ok(((await engine.preview(stack)).changeSummary.update ?? 0) >= 1);

      const up = await engine.up(stack);
      assert.deepEqual(up.summary.resourceChanges, { same: 2, update: 2 });
      const repaired = await engine.state();
      assert.equal(repaired.serviceKeys.find((k) => k.key === apiKey.key)?.active, true);
      assert.equal(repaired.vxcs.find((v) => v.productUid === vxc.id)?.rateLimit, 500);
      assert.deepEqual((await engine.preview(stack)).changeSummary, { same: 4 });
    });

    it("never leaks a key or credential, and destroy leaves the key inactive and the VXC cancelled", async () => {
      await engine.assertNoSecretsLeaked(stack);
      const [vxc] = await engine.resources(stack, "ServiceKeyVxc");
      await engine.destroy(stack);
      const state = await engine.state();
      assert.equal(state.vxcs.find((v) => v.productUid === vxc.id)?.provisioningStatus, "DECOMMISSIONED");
      const east = engine.emulator.accounts.east.products.port10G;
      assert.ok(state.serviceKeys.filter((k) => k.productUid === east).every((k) => !k.active));
      assert.match(engine.output, /decision cannot be undone|removed from the stack/i);
    });
  });
});
