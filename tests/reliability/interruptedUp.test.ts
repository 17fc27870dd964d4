import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { EngineRun } from "../e2e/engineRun";
import { assertFleetUp, type FleetShape, fleetRecords, openFleetStack } from "./fleet";
import { emulatorState, isBuy, pollUntil, requestsSince } from "./harness";
import { childPulumiCommands, isAlive, killTree } from "./processes";

// Issue 8 §2: `pulumi up` is SIGKILLed (with the provider process it started) while it orders VXCs:
// some orders are placed and recorded, some placed but not yet recorded (their create was waiting
// for provisioning), some not placed. The recovery (the README must document it): `pulumi cancel`
// to remove the lock the killed CLI left on the file backend, `pulumi refresh
// --clear-pending-creates`, then `pulumi up`; it must converge with no VXC ordered twice and none
// orphaned.
describe("reliability: pulumi up killed while ordering VXCs", function () {
  this.timeout(240_000);
  const shape: FleetShape = { prefix: "interrupted", keyCount: 8, vxcCount: 8 };
  let run: EngineRun;
  let stack: Stack;
  let boughtBeforeKill = 0;

  before(async () => {
    // Provisioning takes 2 × 400 ms after each buy, and each buy answers after 300 ms, so at any
    // moment of the VXC phase some orders are placed but their creates have not returned.
    run = await EngineRun.start({ provisioningDelayMs: 400 });
    stack = await openFleetStack(run, "interrupted", shape);
    await run.admin("POST", "faults", {
      latencyMs: 300,
      paths: ["/v3/networkdesign/buy", "/v4/networkdesign/buy"],
    });
  });
  after(async () => run.close());

  it("SIGKILL after the third buy leaves placed orders behind", async () => {
    const up = run.startUp(stack, { parallel: 4 });
    await pollUntil(
      "three VXC orders",
      async () => ((await requestsSince(run)).filter(isBuy).length >= 3 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    const [cli] = childPulumiCommands("up", up.pid);
    assert.ok(cli, "found the `pulumi up` process");
    const killed = killTree(up.pid);
    assert.ok(killed.includes(cli), "killed the CLI");
    assert.ok(killed.length >= 3, "killed the program, the CLI and the provider process the CLI started");
    await assert.rejects(up.result, /ended with no result \(SIGKILL\)/, "the up did not finish: it was killed");
    await pollUntil("the killed processes to go", async () => (killed.some(isAlive) ? undefined : true), {
      timeoutMs: 10_000,
    });
    // Orders still waiting out the emulator's latency are committed (or not) once none is in flight.
    await pollUntil(
      "the emulator to settle the requests under way",
      async () => ((await run.admin<{ inFlight: number }>("GET", "stats")).inFlight === 0 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    const { vxcs } = fleetRecords(await emulatorState(run), shape);
    boughtBeforeKill = vxcs.length;
    assert.ok(
      boughtBeforeKill >= 3 && boughtBeforeKill < shape.vxcCount,
      `${boughtBeforeKill} orders placed`,
    );
    const recorded = (await run.resources(stack, "ServiceKeyVxc")).length;
    assert.ok(recorded < boughtBeforeKill, `some placed orders are not in the state (${recorded} recorded)`);
  });

  it("cancel, refresh --clear-pending-creates, then up, converges: every VXC once, all in state", async () => {
    const locked = await run.refresh(stack).then(
      () => "",
      (error: Error) => error.message,
    );
    assert.match(locked, /currently locked/, "the killed CLI left its lock");
    await stack.cancel();
    await run.refresh(stack, { clearPendingCreates: true });
    await run.up(stack);
    await assertFleetUp(run, stack, shape);
    const preview = await run.preview(stack);
    const changes = Object.entries(preview.changeSummary).filter(([kind, n]) => kind !== "same" && n > 0);
    assert.deepEqual(changes, [], "a preview afterwards shows no changes");
  });
});
