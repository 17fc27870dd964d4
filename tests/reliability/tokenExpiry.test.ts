import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { EngineRun } from "../e2e/engineRun";
import { assertFleetUp, type FleetShape, openFleetStack } from "./fleet";
import { requestsSince, sleep } from "./harness";

// Issue 8 §3: tokens live 5 minutes (the shortest lifetime the Portal allows, megaport-api.md §1.2)
// and the emulator's clock jumps past their expiry again and again during one `pulumi up`. The
// provider's clock does not move, so it cannot refresh ahead of time: it meets 401s and must fetch a
// new token and carry on, without failing a single resource. Jumps are 1.2 s apart, longer than any
// one request's life, so no request can meet two expiries (five real minutes cannot pass twice
// during one request either).
describe("reliability: tokens expiring during a long up", function () {
  this.timeout(180_000);
  const shape: FleetShape = { prefix: "token", keyCount: 16, vxcCount: 8 };
  let run: EngineRun;
  let stack: Stack;

  before(async () => {
    run = await EngineRun.start({ provisioningDelayMs: 50, tokenLifetimeSeconds: 300 });
    stack = await openFleetStack(run, "token-expiry", shape);
    // Slow every API answer down so the up lasts several seconds, long enough to span many expiries.
    await run.admin("POST", "faults", { latencyMs: 100 });
  });
  after(async () => run.close());

  it("up succeeds while the clock passes the tokens' expiry every 1.2 s", async () => {
    let upDone = false;
    const up = run.up(stack).finally(() => {
      upDone = true;
    });
    let advances = 0;
    // Bounded: at most 50 jumps (60 s), whatever happens to the up.
    while (!upDone && advances < 50) {
      await sleep(1200);
      // Only once the first token exists: then every jump expires the tokens in use.
      const tokens = (await requestsSince(run)).filter((r) => r.path === "/oauth2/token" && r.status === 200);
      if (tokens.length > 0) {
        await run.admin("POST", "clock", { advanceMs: 301_000 });
        advances += 1;
      }
    }
    const result = await up;
    assert.equal(result.summary.result, "succeeded");
    assert.ok(advances >= 3, `the clock jumped past the token lifetime ${advances} times during the up`);

    const log = await requestsSince(run);
    const expired = log.filter((r) => r.status === 401);
    assert.ok(expired.length > 0, "some requests met an expired token");
    // One token per account to begin with; any more were fetched after an expiry. (Which account
    // meets one depends on timing: the owner's keys are often all made before the first jump.)
    const tokens = log.filter((r) => r.path === "/oauth2/token" && r.status === 200);
    assert.ok(tokens.length > 2, `a new token was fetched after an expiry (${tokens.length} tokens)`);
    await assertFleetUp(run, stack, shape);
  });
});
