import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { EngineRun } from "../e2e/engineRun";
import { assertFleetUp, type FleetShape, openFleetStack } from "./fleet";
import { requestsSince } from "./harness";

// Issue 8 §3: tokens live 5 minutes (the shortest lifetime the Portal allows,
// docs/megaport-api.md, "Environments and tokens") and expire again and again during one `pulumi up`. The
// provider cannot refresh ahead of time: it meets 401s and must fetch a new token and carry on, without
// failing a single resource. The emulator expires each token once it has carried 8 API requests (its
// `tokenUses` fault), so the expiries follow the work done, not how long the up happens to last. The up runs
// at most 4 operations at once, so a fresh token carries the retries that follow a 401 with room to spare (a
// retry that met a second expiry at once would be an artefact: real tokens live 5 minutes).
describe("reliability: tokens expiring during a long up", function () {
  this.timeout(180_000);
  const shape: FleetShape = { prefix: "token", keyCount: 16, vxcCount: 8 };
  let run: EngineRun;
  let stack: Stack;

  before(async () => {
    run = await EngineRun.start({ provisioningDelayMs: 50, tokenLifetimeSeconds: 300 });
    stack = await openFleetStack(run, "token-expiry", shape);
    await run.admin("POST", "faults", { tokenUses: 8, paths: ["/v2/", "/v3/", "/v4/"] });
  });
  after(async () => run.close());

  it("up succeeds while every token expires after carrying 8 API requests", async () => {
    const result = await run.up(stack, { parallel: 4 });
    assert.equal(result.summary.result, "succeeded");

    const log = await requestsSince(run);
    const answered = log.filter((r) => r.path !== "/oauth2/token" && r.status !== null && r.status !== 401);
    const expired = log.filter((r) => r.status === 401);
    const tokens = log.filter((r) => r.path === "/oauth2/token" && r.status === 200);
    // A token carries at most 8 requests: more than 40 calls used up at least 5 of them.
    assert.ok(answered.length > 40, `the up made ${answered.length} API calls: more than 5 tokens' worth`);
    assert.ok(tokens.length >= 6, `new tokens were fetched as they expired (${tokens.length} tokens)`);
    assert.ok(expired.length >= 3, `requests met an expired token and were retried (${expired.length})`);
    await assertFleetUp(run, stack, shape);
  });
});
