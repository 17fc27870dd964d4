import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { EngineRun, fixture } from "./engineRun";

// The owner's key through its whole life on the real engine: an in-place update, a replace (with
// delete-before-replace, because the new single-use key takes the same VLAN), drift made behind
// Pulumi's back that refresh shows and the next up repairs, and a destroy that deactivates.
describe("e2e: ServiceKey lifecycle", function () {
  this.timeout(300_000);
  let run: EngineRun;
  let stack: Stack;
  let portUid: string;

  const keysOnPort = async () =>
    (await run.state()).serviceKeys.filter(
      (k) => k.productUid === portUid,
    );
  const stateKey = async () => (await run.resources(stack, "ServiceKey"))[0];

  before(async () => {
    run = await EngineRun.start();
    portUid = run.emulator.accounts.east.products.port10G;
    stack = await run.stack(fixture("service-key-lifecycle"), "lifecycle", {
      ...run.accountsConfig({ owner: "east" }),
      portUid: { value: portUid },
      maxSpeed: { value: "500" },
      active: { value: "true" },
    });
  });
  after(async () => run.close());

  it("creates the key; a second preview shows no changes", async () => {
    const up = await run.up(stack);
    assert.equal(up.summary.resourceChanges?.create, 2);
    assert.equal(up.outputs.active.value, true);
    const preview = await run.preview(stack);
    assert.deepEqual(preview.changeSummary, { same: 2 });
    assert.equal((await keysOnPort()).length, 1);
  });

  it("updates `active` in place: same id, the key deactivated in the API", async () => {
    const before = await stateKey();
    await stack.setConfig("active", { value: "false" });
    const up = await run.up(stack);
    assert.equal(up.summary.resourceChanges?.update, 1);
    assert.equal((await stateKey()).id, before.id);
    const [key] = await keysOnPort();
    assert.equal(key.active, false);
    assert.equal(key.vlan, 410, "the update did not reset the VLAN");
  });

  it("replaces on `maxSpeed`, deleting the old key first so the VLAN can move", async () => {
    const before = await stateKey();
    await stack.setConfig("active", { value: "true" });
    await stack.setConfig("maxSpeed", { value: "600" });
    const up = await run.up(stack);
    assert.equal(up.summary.resourceChanges?.replace, 1);
    const after = await stateKey();
    assert.notEqual(after.id, before.id);
    const keys = await keysOnPort();
    assert.equal(keys.length, 2, "one new key; the old one is kept, inactive (keys cannot be deleted)");
    const [old, current] = [keys.find((k) => k.maxSpeed === 500), keys.find((k) => k.maxSpeed === 600)];
    assert.equal(old?.active, false);
    assert.equal(current?.active, true);
    assert.equal(current?.vlan, 410);
  });

  it("up --replace of a single-use key on its VLAN is refused at check, with nothing deactivated", async () => {
    // A targeted replace reaches check without the old inputs (Pulumi's step generator), so the old
    // key's VLAN looks taken: refused before anything changes, saying how to rotate the key.
    const before = await stateKey();
    const refused = await run.up(stack, { replace: [(before as unknown as { urn: string }).urn] }).then(
      () => assert.fail("up --replace passed"),
      (error: Error) => error.message,
    );
    assert.match(refused, /vlan: VLAN 410 is already in use .*pulumi up --replace.*change a replace-only property/);
    assert.equal((await stateKey()).id, before.id);
    assert.equal((await keysOnPort()).filter((k) => k.active).length, 1, "the key is still active");
  });

  it("shows drift on refresh after the owner deactivates the key behind Pulumi's back, and up repairs it", async () => {
    const current = (await keysOnPort()).find((k) => k.active);
    assert.ok(current);
    await run.admin("POST", `service-keys/${current.key}`, { active: false });
    await run.refresh(stack);
    assert.equal((await stateKey()).outputs.active, false, "refresh shows the drift");
    const preview = await run.preview(stack);
    assert.equal(preview.changeSummary.update, 1);
    await run.up(stack);
    assert.equal((await keysOnPort()).find((k) => k.key === current.key)?.active, true);
    assert.deepEqual((await run.preview(stack)).changeSummary, { same: 2 });
  });

  it("never shows the key or a credential in plaintext, and destroy leaves the key inactive", async () => {
    await run.assertNoSecretsLeaked(stack);
    const destroy = await run.destroy(stack);
    assert.equal(destroy.summary.result, "succeeded");
    assert.ok((await keysOnPort()).every((k) => !k.active));
    assert.match(run.output, /deactivat/i, "delete says that it deactivates");
  });
});
