import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import type { RequestLogEntry } from "../../emulator";
import { EngineRun, fixture } from "./engineRun";

const VXC = "ServiceKeyVxc";

// Issue 11 items 1 and 2 on the real engine, in the demo's shape (key, VXC and approval in one
// stack): `pulumi up --replace` on the VXC with a multi-use and with a used single-use key, and a
// rate-limit change after the in-stack approval with no refresh in between.
describe("e2e: ServiceKeyVxc replace and in-stack approval", function () {
  this.timeout(300_000);
  let run: EngineRun;

  const openStack = (name: string, singleUse: boolean) =>
    run.stack(fixture("vxc-lifecycle"), name, {
      ...run.accountsConfig({ east: "east", west: "west" }),
      eastPortUid: { value: run.emulator.accounts.east.products.port10G },
      westPortUid: { value: run.emulator.accounts.west.products.port1G },
      singleUse: { value: String(singleUse) },
      rateLimit: { value: "200" },
    });
  /** Requests the API accepted (a refused token is retried, and logged twice). */
  const log = async () =>
    (await run.admin<RequestLogEntry[]>("GET", "requests")).filter((r) => r.status !== null && r.status < 300);
  const buys = async () => (await log()).filter((r) => r.method === "POST" && /\/networkdesign\/buy$/.test(r.path));
  const cancelled = async () =>
    (await log())
      .filter((r) => r.method === "POST" && r.path.endsWith("/action/CANCEL_NOW"))
      .map((r) => r.path.split("/")[3]);
  const apiVxc = async (uid: string) => (await run.state()).vxcs.find((v) => v.productUid === uid);

  before(async () => {
    run = await EngineRun.start({ provisioningDelayMs: 100 });
  });
  after(async () => run.close());

  describe("with a multi-use key", () => {
    let stack: Stack;
    before(async () => {
      stack = await openStack("multi", false);
    });

    it("changes the rate limit on the next up after the in-stack approval, with no refresh", async () => {
      const up = await run.up(stack);
      assert.equal(up.summary.resourceChanges?.create, 4);
      const [vxc] = await run.resources(stack, VXC);
      assert.equal(vxc.outputs.approvalStatus, "PENDING_EXTERNAL", "the state saw the order before its approval");

      await stack.setConfig("rateLimit", { value: "300" });
      const changed = await run.up(stack);
      assert.deepEqual(changed.summary.resourceChanges, { same: 3, update: 1 });
      assert.equal((await apiVxc(vxc.id))?.rateLimit, 300);
      const [after] = await run.resources(stack, VXC);
      assert.equal(after.outputs.approvalStatus, "APPROVED", "the outputs show the API's status");
      assert.equal(changed.outputs.vxcApprovalStatus.value, "APPROVED");
    });

    it("`up --replace` orders a new VXC, then cancels the old one: the stack holds a live VXC", async () => {
      const [old] = await run.resources(stack, VXC);
      const buysBefore = (await buys()).length;
      const up = await run.up(stack, { replace: [old.urn] });
      assert.equal(up.summary.resourceChanges?.replace, 2, "the VXC, and the approval of its order");
      const [current] = await run.resources(stack, VXC);
      assert.notEqual(current.id, old.id);
      assert.equal((await buys()).length, buysBefore + 1, "one new order");
      assert.deepEqual(await cancelled(), [old.id], "only the replaced VXC is cancelled");
      assert.equal((await apiVxc(old.id))?.provisioningStatus, "DECOMMISSIONED");
      assert.equal(up.outputs.decision.value, "APPROVED", "the replaced approval approved the new order");
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal((await apiVxc(current.id))?.provisioningStatus, "LIVE");

      // A second forced replace from state this release wrote: again a new VXC.
      const again = await run.up(stack, { replace: [current.urn] });
      assert.equal(again.summary.resourceChanges?.replace, 2);
      const [third] = await run.resources(stack, VXC);
      assert.ok(![old.id, current.id].includes(third.id));
      assert.deepEqual(await cancelled(), [old.id, current.id]);
      assert.deepEqual((await run.preview(stack)).changeSummary, { same: 4 });
      await run.assertNoSecretsLeaked(stack);
    });
  });

  describe("with a single-use key", () => {
    let stack: Stack;
    before(async () => {
      stack = await openStack("single", true);
    });

    it("`up --replace` fails before anything is cancelled, saying a new key is needed", async () => {
      await run.up(stack);
      const [old] = await run.resources(stack, VXC);
      const buysBefore = (await buys()).length;
      const cancelsBefore = (await cancelled()).length;
      const failure = await run.up(stack, { replace: [old.urn] }).then(
        () => "succeeded",
        (error: Error) => error.message,
      );
      assert.match(failure, /a replacement needs a new service key/);
      assert.equal((await buys()).length, buysBefore, "nothing ordered");
      assert.equal((await cancelled()).length, cancelsBefore, "nothing cancelled");
      assert.ok(["CONFIGURED", "LIVE"].includes(String((await apiVxc(old.id))?.provisioningStatus)));
      const [kept] = await run.resources(stack, VXC);
      assert.equal(kept.id, old.id, "the stack still holds the VXC");
      await run.assertNoSecretsLeaked(stack);
    });
  });
});
