import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { MegaportClient } from "../../sdk";
import { EngineRun, example } from "./engineRun";

// Every example, on the real engine against the emulator: up, a preview that shows no changes,
// refresh, destroy; then the emulator shows what destroy means (keys inactive, VXCs cancelled), and
// neither the CLI output nor the exported state holds a key or a credential in plaintext.
describe("e2e: examples", function () {
  this.timeout(300_000);
  let run: EngineRun;

  before(async () => {
    run = await EngineRun.start();
  });
  after(async () => run.close());

  async function upPreviewRefresh(stack: Stack) {
    const up = await run.up(stack);
    assert.equal(up.summary.result, "succeeded");
    const preview = await run.preview(stack);
    assert.deepEqual(
      Object.keys(preview.changeSummary).filter((kind) => kind !== "same"),
      [],
      "a second preview shows no changes",
    );
    const refresh = await run.refresh(stack);
    assert.equal(refresh.summary.result, "succeeded");
    return up;
  }

  it("service-key: creates a key, and destroy deactivates it", async () => {
    const { east } = run.emulator.accounts;
    const stack = await run.stack(example("service-key"), "service-key", {
      ...run.defaultAccountConfig("east"),
      portUid: { value: east.products.port10G },
    });
    const up = await upPreviewRefresh(stack);
    assert.equal(up.outputs.valid.value, true);
    assert.equal(up.outputs.serviceKey.secret, true, "the key output is secret");
    const [key] = await run.resources(stack, "ServiceKey");
    assert.match(key.id, /^sk-/, "the id is a digest, not the key");

    await run.assertNoSecretsLeaked(stack);
    await run.destroy(stack);
    const state = await run.state();
    const keys = state.serviceKeys.filter((k) => k.productUid === east.products.port10G);
    assert.equal(keys.length, 1, "exactly one key was created");
    assert.equal(keys[0].active, false, "destroy deactivated the key");
  });

  it("partner-vxc: waits for the owner's approval, then goes LIVE; destroy cancels it", async () => {
    const { east, west } = run.emulator.accounts;
    const owner = new MegaportClient({
      accessKey: east.accessKey,
      secretKey: east.secretKey,
      baseUrl: run.emulator.url,
    });
    try {
      const key = await owner.serviceKeys.create({
        productUid: east.products.port1G,
        maxSpeed: 200,
        singleUse: true,
        vlan: 222,
        active: true,
        preApproved: false,
      });
      const stack = await run.stack(example("partner-vxc"), "partner-vxc", {
        ...run.defaultAccountConfig("west"),
        serviceKey: { value: key.key, secret: true },
        portUid: { value: west.products.port1G },
        rateLimit: { value: "150" },
      });
      const up = await run.up(stack);
      assert.equal(up.outputs.approvalStatus.value, "PENDING_EXTERNAL");
      assert.equal(up.outputs.provisioningStatus.value, "DEPLOYABLE");

      const pending = await owner.orderApprovals.list({ status: "PENDING" });
      assert.equal(pending.items.length, 1);
      await owner.orderApprovals.approve(pending.items[0].uid);
      await new Promise((resolve) => setTimeout(resolve, 600));

      await run.refresh(stack);
      const [vxc] = await run.resources(stack, "ServiceKeyVxc");
      assert.equal(vxc.outputs.provisioningStatus, "LIVE");
      const preview = await run.preview(stack);
      assert.deepEqual(Object.keys(preview.changeSummary), ["same"]);

      await run.assertNoSecretsLeaked(stack);
      await run.destroy(stack);
      const state = await run.state();
      assert.equal(state.vxcs.find((v) => v.productUid === vxc.id)?.provisioningStatus, "DECOMMISSIONED");
    } finally {
      await owner.close();
    }
  });

  it("multi-use-key: one key, three VXCs (one untagged); destroy cancels all and deactivates the key", async () => {
    const { east, west } = run.emulator.accounts;
    const stack = await run.stack(example("multi-use-key"), "multi-use-key", {
      ...run.accountsConfig({ owner: "east", consumer: "west" }),
      ownerProductUid: { value: east.products.mcr },
      consumerPortA: { value: west.products.port1G },
      consumerPortB: { value: west.products.port10G },
      consumerPortC: { value: west.products.mcr },
    });
    const up = await upPreviewRefresh(stack);
    const vxcIds = up.outputs.vxcIds.value as string[];
    assert.equal(new Set(vxcIds).size, 3);
    const [assigned, chosen, untagged] = up.outputs.aEndVlans.value as unknown[];
    assert.equal(typeof assigned, "number");
    assert.equal(chosen, 300);
    assert.equal(untagged, "untagged");

    await run.assertNoSecretsLeaked(stack);
    await run.destroy(stack);
    const state = await run.state();
    for (const id of vxcIds) {
      assert.equal(state.vxcs.find((v) => v.productUid === id)?.provisioningStatus, "DECOMMISSIONED");
    }
    assert.equal(state.serviceKeys.find((k) => k.productUid === east.products.mcr)?.active, false);
  });
});
