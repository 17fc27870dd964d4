/**
 * "Never makes two" (provider/resources/reconcile.ts) through ServiceKey creates against the
 * emulator: how often a create whose outcome is unknown is sent again, and that a create waits for
 * a reconciliation running on its product (docs/lifecycle.md, "ServiceKey").
 */
import * as assert from "node:assert/strict";
import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { MAX_CREATE_ATTEMPTS, SETTLE_MS } from "../../provider/resources/reconcile";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { MegaportApiError, MegaportOutcomeUnknownError } from "../../sdk";
import { admin, captureLog, rejection, requests, startHarness, stopHarness, resetEmulator } from "./harness";

describe("provider: a create whose answer is lost is reconciled before it is sent again", () => {
  let emulator: RunningEmulator;
  let port: string;

  before(async () => {
    emulator = await startHarness();
    port = emulator.accounts.east?.products.port10G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => resetEmulator(emulator));

  async function checkedKey(description: string) {
    const { inputs, failures } = await serviceKeyProvider.check(
      {},
      { productUid: port, maxSpeed: 500, singleUse: false, account: "east", description },
    );
    assert.deepEqual(failures, []);
    return inputs;
  }
  const faults = (config: Record<string, unknown>) => admin(emulator, "POST", "/_emulator/faults", config);
  const isCreate = (r: RequestLogEntry) => r.method === "POST" && r.path === "/v2/service/key" && r.status !== 401;
  // A look the token check refused (401, then retried with a new token) is not a look.
  const isLook = (r: RequestLogEntry) => r.method === "GET" && r.query.productIdOrUid === port && r.status !== 401;
  const keys = async () => (await admin<{ serviceKeys: { key: string }[] }>(emulator, "GET", "/_emulator/state")).serviceKeys;

  it(`a create answered 500 every time is sent ${MAX_CREATE_ATTEMPTS} times, each followed by two looks, then fails`, async function () {
    this.timeout(20_000);
    const inputs = await checkedKey("never");
    await admin(emulator, "DELETE", "/_emulator/requests");
    await faults({ errorRate: 1, status: 500, methods: ["POST"], paths: ["/v2/service/key"] });
    const started = Date.now();
    const error = await rejection(() => serviceKeyProvider.create(inputs));
    const elapsed = Date.now() - started;
    assert.ok(error instanceof MegaportOutcomeUnknownError, String(error));
    const log = (await requests(emulator)).filter((r) => isCreate(r) || isLook(r));
    assert.deepEqual(
      log.map((r) => (isCreate(r) ? "create" : "look")),
      ["create", "look", "look", "create", "look", "look", "create", "look", "look"],
    );
    assert.ok(elapsed >= MAX_CREATE_ATTEMPTS * SETTLE_MS, `settled ${elapsed} ms in all`);
    assert.deepEqual(await keys(), []);
  });

  it("a create the API refuses (400) is not reconciled: one request, the API's error", async () => {
    const inputs = await checkedKey("refused");
    await admin(emulator, "DELETE", "/_emulator/requests");
    await faults({ errorRate: 1, status: 400, methods: ["POST"], paths: ["/v2/service/key"] });
    const error = await rejection(() => serviceKeyProvider.create(inputs));
    assert.ok(error instanceof MegaportApiError && error.status === 400, String(error));
    const log = await requests(emulator);
    assert.equal(log.filter(isCreate).length, 1);
    assert.equal(log.filter(isLook).length, 0);
  });

  it("a create started while a reconciliation runs on the product waits until it is over", async function () {
    this.timeout(20_000);
    const inputs = await checkedKey("queued");
    await admin(emulator, "DELETE", "/_emulator/requests");
    await faults({ errorRate: 1, status: 500, methods: ["POST"], paths: ["/v2/service/key"], times: 1 });
    const { result } = await captureLog(async () => {
      const first = serviceKeyProvider.create(inputs);
      // The first create's reconciliation has begun (its first look), and settles for a while.
      while (!(await requests(emulator)).some(isLook)) await new Promise((resolve) => setTimeout(resolve, 5));
      const second = serviceKeyProvider.create(inputs);
      return Promise.all([first, second]);
    });
    const log = (await requests(emulator)).filter((r) => isCreate(r) || isLook(r));
    assert.deepEqual(
      log.map((r) => (isCreate(r) ? "create" : "look")),
      ["create", "look", "look", "create", "create"],
      JSON.stringify(await requests(emulator)),
    );
    const made = (await keys()).map((k) => k.key);
    assert.equal(made.length, 2);
    assert.deepEqual(new Set(result.map((r) => r.outs.key)), new Set(made), "each create got its own key");
  });
});
