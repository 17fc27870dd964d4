import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { EngineRun, fixture } from "../e2e/engineRun";
import { isBuy, pollUntil, requestsSince } from "./harness";
import { childPulumiCommands, isAlive, killTree } from "./processes";

const VXC = "ServiceKeyVxc";

// Issue 11 item 1: `pulumi up --replace` SIGKILLed after the replacement's order was placed and
// before the engine recorded it. The README's recovery (cancel, refresh --clear-pending-creates,
// then the same `up --replace`) takes over that order: no third VXC, the old one cancelled.
describe("reliability: pulumi up --replace killed after the new order", function () {
  this.timeout(240_000);
  let run: EngineRun;
  let stack: Stack;

  const accepted = async () => (await requestsSince(run)).filter((r) => r.status !== null && r.status < 300);
  const cancelled = async () =>
    (await accepted()).filter((r) => r.path.endsWith("/action/CANCEL_NOW")).map((r) => r.path.split("/")[3]);
  const apiVxc = async (uid: string) => (await run.state()).vxcs.find((v) => v.productUid === uid);

  before(async () => {
    // Provisioning takes 2 × 1.5 s after the buy: the replacement's create is still waiting when killed.
    run = await EngineRun.start({ provisioningDelayMs: 1500 });
    stack = await run.stack(fixture("vxc-lifecycle"), "interrupted-replace", {
      ...run.accountsConfig({ east: "east", west: "west" }),
      eastPortUid: { value: run.emulator.accounts.east.products.port10G },
      westPortUid: { value: run.emulator.accounts.west.products.port1G },
      singleUse: { value: "false" },
      preApproved: { value: "true" },
      withApproval: { value: "false" },
      rateLimit: { value: "200" },
    });
  });
  after(async () => run.close());

  it("the killed replace leaves the new order placed and not recorded, the old VXC untouched", async () => {
    await run.up(stack);
    const [old] = await run.resources(stack, VXC);
    const up = run.startUp(stack, { replace: [old.urn] });
    await pollUntil(
      "the replacement's order",
      async () => ((await accepted()).filter(isBuy).length >= 2 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    const [cli] = childPulumiCommands("up", up.pid);
    assert.ok(cli, "found the `pulumi up` process");
    const killed = killTree(up.pid);
    assert.ok(killed.includes(cli), "killed the CLI");
    await assert.rejects(up.result, /ended with no result \(SIGKILL\)/, "the up did not finish: it was killed");
    await pollUntil("the killed processes to go", async () => (killed.some(isAlive) ? undefined : true), {
      timeoutMs: 10_000,
    });
    await pollUntil(
      "the emulator to settle the requests under way",
      async () => ((await run.admin<{ inFlight: number }>("GET", "stats")).inFlight === 0 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    const [recorded] = await run.resources(stack, VXC);
    assert.equal(recorded.id, old.id, "the stack still holds the old VXC");
    assert.equal((await run.state()).vxcs.filter((v) => v.provisioningStatus !== "DECOMMISSIONED").length, 2);
    assert.deepEqual(await cancelled(), []);
  });

  it("cancel, refresh --clear-pending-creates, then up --replace again: takes that order over and cancels the old VXC", async () => {
    const [old] = await run.resources(stack, VXC);
    const placed = (await run.state()).vxcs.find((v) => v.productUid !== old.id);
    assert.ok(placed);
    await stack.cancel();
    await run.refresh(stack, { clearPendingCreates: true });
    await run.up(stack, { replace: [old.urn] });
    const [current] = await run.resources(stack, VXC);
    assert.equal(current.id, placed.productUid, "the interrupted run's order, taken over");
    assert.equal((await accepted()).filter(isBuy).length, 2, "no third order");
    assert.deepEqual(await cancelled(), [old.id]);
    assert.equal((await apiVxc(old.id))?.provisioningStatus, "DECOMMISSIONED");
    assert.ok(["CONFIGURED", "LIVE"].includes(String((await apiVxc(current.id))?.provisioningStatus)));
    assert.deepEqual((await run.preview(stack)).changeSummary, { same: 3 });
  });
});
