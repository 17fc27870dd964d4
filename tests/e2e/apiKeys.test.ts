import * as assert from "node:assert/strict";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { type Seed, startEmulator } from "../../emulator";
import { defaultSeed } from "../../emulator/seed";
import { MegaportClient } from "../../sdk";
import { lastRequestSeq, requestsSince } from "../reliability/harness";
import { EngineRun, fixture } from "./engineRun";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The one line of the CLI output (or the error) that holds `marker`, as the user sees it. */
function userLine(run: EngineRun, error: unknown, marker: string): string {
  const text = `${run.output}\n${String(error)}`;
  const line = text.split("\n").find((l) => l.includes(marker));
  assert.ok(line !== undefined, `the output says "${marker}"`);
  return line.trim();
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected the operation to fail");
}

// API keys as Megaport defines them (docs/api-keys.md), on the real engine against the emulator:
// credentials are checked at preview, a refused key or a Read Only key says what to fix, least
// privilege works (Read Only preview and refresh, Company Admin up), and a 5-minute key lasts
// through a longer wait for approval.
describe("e2e: API keys", function () {
  this.timeout(300_000);
  let run: EngineRun;
  let owner: MegaportClient;

  before(async () => {
    run = await EngineRun.start();
    const { east } = run.emulator.accounts;
    owner = new MegaportClient({ accessKey: east.accessKey, secretKey: east.secretKey, baseUrl: run.emulator.url });
  });
  after(async () => {
    await owner.close();
    await run.close();
  });

  /** A multi-use key of East's, pre-approved unless asked otherwise. */
  const partnerKey = async (preApproved = true) =>
    (
      await owner.serviceKeys.create({
        productUid: run.emulator.accounts.east.products.port10G,
        maxSpeed: 500,
        singleUse: false,
        active: true,
        preApproved,
      })
    ).key;

  /** The fixture's config: West's default account with these credentials, ordering with `key`. */
  function config(credentials: { accessKey: string; secretKey: string }, key: string): ConfigMap {
    return {
      "megaport:baseUrl": { value: run.emulator.url },
      "megaport:accessKey": { value: credentials.accessKey, secret: true },
      "megaport:secretKey": { value: credentials.secretKey, secret: true },
      "megaport:acceptPurchaseTerms": { value: "true" },
      serviceKey: { value: key, secret: true },
      portUid: { value: run.emulator.accounts.west.products.port1G },
    };
  }

  it("a wrong secret fails pulumi preview, naming the default account, its config keys and the environment rule", async () => {
    const { west } = run.emulator.accounts;
    const key = await partnerKey();
    const stack = await run.stack(fixture("api-keys"), "wrong-secret", config(west, key));
    assert.equal((await run.up(stack)).summary.result, "succeeded");
    // Nothing to change, so no check needs the API for its inputs: only the credential check asks.
    await stack.setAllConfig(config({ accessKey: west.accessKey, secretKey: "not-the-secret-of-west-0001" }, key));
    const since = await lastRequestSeq(run);
    const error = await rejection(run.preview(stack));
    const line = userLine(run, error, "the token endpoint refused");
    console.log(`      wrong secret → ${line}`);
    assert.match(
      line,
      new RegExp(
        "the default account: the token endpoint refused the API key: 401 invalid_client\\. Check " +
          "megaport:accessKey and megaport:secretKey \\(stack config\\): the secret may be wrong, the key " +
          `deleted, or the key created in another environment than the token URL ${run.emulator.url}/oauth2/token, ` +
          "set by megaport:baseUrl; Megaport API keys work only in the environment where they were created\\.",
      ),
    );
    const log = await requestsSince(run, since);
    assert.deepEqual(
      log.map((r) => `${r.path} ${r.status}`),
      ["/oauth2/token 401"],
      "preview asked for one token and nothing else",
    );
    assert.ok(!run.output.includes("not-the-secret-of-west-0001"), "the wrong secret is not printed");
    await run.assertNoSecretsLeaked(stack);
  });

  it("a key made in another environment fails pulumi preview, naming the account and the environment rule", async () => {
    // The same companies in a second environment, with keys of their own.
    const seed = structuredClone(defaultSeed) as Seed;
    for (const company of seed.companies) {
      company.apiKeys = [{ accessKey: `${company.name}-staging-key`, secretKey: `${company.name}-staging-secret-0001` }];
    }
    const staging = await startEmulator({ port: 0, seed });
    try {
      const stagingKey = staging.accounts.west;
      const check = new MegaportClient({ ...stagingKey, baseUrl: staging.url });
      await check.authenticate(); // the key works where it was made
      await check.close();
      const stack = await run.stack(fixture("api-keys"), "other-environment", {
        ...config(run.emulator.accounts.west, await partnerKey()),
        account: { value: "west" },
        "megaport:accounts": {
          value: JSON.stringify({ west: { accessKey: stagingKey.accessKey, secretKey: stagingKey.secretKey } }),
          secret: true,
        },
      });
      const error = await rejection(run.preview(stack));
      const line = userLine(run, error, 'account "west": the token endpoint refused');
      console.log(`      key from another environment → ${line}`);
      assert.match(line, /Check megaport:accounts \(the accessKey and secretKey of "west"\)/);
      assert.match(line, /or the key created in another environment than the token URL http:\/\/127\.0\.0\.1:\d+\/oauth2\/token/);
      assert.match(line, /Megaport API keys work only in the environment where they were created\./);
      assert.ok(!run.output.includes(stagingKey.secretKey), "the key's secret is not printed");
    } finally {
      await staging.close();
    }
  });

  it("least privilege: Read Only keys preview (order checks included) and refresh; up fails before changing anything", async () => {
    const { west } = run.emulator.accounts;
    assert.ok(west.readOnly);
    const key = await partnerKey();
    const stack = await run.stack(fixture("api-keys"), "least-privilege", config(west.readOnly, key));

    let since = await lastRequestSeq(run);
    const preview = await run.preview(stack);
    assert.equal(preview.changeSummary.create, 2, "the VXC and the stack would be created");
    const previewLog = await requestsSince(run, since);
    assert.ok(
      previewLog.some((r) => r.path === "/v3/networkdesign/validate" && r.status === 200),
      "preview validated the order with the Read Only key",
    );
    assert.ok(previewLog.every((r) => r.status === 200), "and nothing was refused");

    since = await lastRequestSeq(run);
    const vxcsBefore = (await run.state()).vxcs.length; // the earlier tests' stacks ordered some
    const error = await rejection(run.up(stack));
    const line = userLine(run, error, "was refused: POST");
    console.log(`      Read Only key at up → ${line}`);
    assert.match(
      line,
      /the default account: order a VXC was refused: POST \/v4\/networkdesign\/buy: 403 .*Changes need a Company Admin API key: if the key from megaport:accessKey and megaport:secretKey \(stack config\) is Read Only/,
    );
    const upLog = await requestsSince(run, since);
    const changes = upLog.filter(
      (r) => r.method !== "GET" && r.path !== "/oauth2/token" && r.path !== "/v3/networkdesign/validate",
    );
    assert.deepEqual(
      changes.map((r) => `${r.method} ${r.path} ${r.status}`),
      ["POST /v4/networkdesign/buy 403"],
      "the one change attempted was refused",
    );
    assert.equal((await run.state()).vxcs.length, vxcsBefore, "no VXC was ordered");

    // The same stack with the Company Admin key: up orders the VXC.
    await stack.setAllConfig(config(west, key));
    const up = await run.up(stack);
    assert.equal(up.summary.result, "succeeded");
    assert.equal((await run.state()).vxcs.length, vxcsBefore + 1);

    // Back to the Read Only key: refresh and a preview with no changes work.
    await stack.setAllConfig(config(west.readOnly, key));
    since = await lastRequestSeq(run);
    const refresh = await run.refresh(stack);
    assert.equal(refresh.summary.result, "succeeded");
    const again = await run.preview(stack);
    assert.deepEqual(
      Object.keys(again.changeSummary).filter((kind) => kind !== "same"),
      [],
      "no changes",
    );
    assert.ok((await requestsSince(run, since)).every((r) => r.status === 200), "nothing was refused");
    await run.assertNoSecretsLeaked(stack);
  });
});

// Issue 15 §6: West's key mints 5-minute tokens, and its VXC waits ten minutes (on the API's clock)
// for East's approval. The provider renews its token before the API would call it expired: not one
// request meets a 401. The clock moves in 30 s steps, as time passes, not in one jump.
describe("e2e: a 5-minute API key through a longer wait for approval", function () {
  this.timeout(300_000);
  let run: EngineRun;

  before(async () => {
    const seed = structuredClone(defaultSeed) as Seed;
    const west = seed.companies.find((c) => c.name === "west");
    assert.ok(west);
    west.apiKeys[0].tokenLifetimeMinutes = 5;
    run = await EngineRun.start({ seed });
  });
  after(async () => run.close());

  it("keeps working: tokens renewed before expiry, never after a 401", async () => {
    const { east, west } = run.emulator.accounts;
    const owner = new MegaportClient({ accessKey: east.accessKey, secretKey: east.secretKey, baseUrl: run.emulator.url });
    let stack: Stack;
    try {
      const key = await owner.serviceKeys.create({
        productUid: east.products.port10G,
        maxSpeed: 500,
        singleUse: false,
        active: true,
        preApproved: false,
      });
      stack = await run.stack(fixture("api-keys"), "five-minute-key", {
        ...run.defaultAccountConfig("west"),
        serviceKey: { value: key.key, secret: true },
        portUid: { value: west.products.port1G },
        waitForApproval: { value: "true" },
      });
      const since = await lastRequestSeq(run);
      let done = false;
      const up = run.up(stack).finally(() => {
        done = true;
      });
      // Wait for the order, then let ten minutes pass on the API's clock while the create waits.
      let pending = await owner.orderApprovals.list({ status: "PENDING" });
      for (let i = 0; pending.items.length === 0 && !done && i < 300; i++) {
        await sleep(100);
        pending = await owner.orderApprovals.list({ status: "PENDING" });
      }
      assert.equal(pending.items.length, 1, "the order waits for East's approval");
      for (let step = 0; step < 20 && !done; step++) {
        await run.admin("POST", "clock", { advanceMs: 30_000 });
        await sleep(400);
      }
      assert.equal(done, false, "the create was still waiting after ten minutes");
      await owner.orderApprovals.approve(pending.items[0].uid);
      const result = await up;
      assert.equal(result.summary.result, "succeeded");
      assert.equal(result.outputs.approvalStatus.value, "APPROVED");

      const westLog = (await requestsSince(run, since)).filter((r) => r.company === "west");
      assert.deepEqual(
        westLog.filter((r) => r.status === 401).map((r) => `${r.method} ${r.path}`),
        [],
        "no request met an expired token",
      );
      const tokens = westLog.filter((r) => r.path === "/oauth2/token").length;
      assert.ok(tokens >= 3, `the token was renewed as the API's clock moved (${tokens} token requests)`);
    } finally {
      await owner.close();
    }
  });
});
