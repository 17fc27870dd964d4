/**
 * Status polls after a buy (provider/resources/waiting.ts `ReadyEstimate`): the first VXC of a run
 * is polled at once and then at growing intervals; the next one's first poll waits as long as the
 * first took to be ready, so a VXC that provisions alike is read once.
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { forgetClaims } from "../../provider/resources/reconcile";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { captureLog, requests, resetEmulator, startHarness, stopHarness } from "./harness";

describe("ServiceKeyVxc: status polls after the buy", () => {
  let emulator: RunningEmulator;

  before(async () => {
    // 50 ms to provision; polls every 20 ms growing ×1.5 (tests/provider/harness.ts).
    emulator = await startHarness();
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => {
    await resetEmulator(emulator);
    forgetClaims(); // a new provider process: nothing seen yet
  });

  /** Reads of one VXC (`GET /v2/product/{uid}`) the emulator answered. */
  const polls = async (uid: string) =>
    (await requests(emulator)).filter((r) => r.method === "GET" && r.path === `/v2/product/${uid}`).length;

  it("polls the first VXC of a run until ready, and the next one once, when it is expected ready", async () => {
    const { inputs: keyInputs } = await serviceKeyProvider.check(
      {},
      {
        productUid: emulator.accounts.east?.products.port10G,
        maxSpeed: 500,
        singleUse: false,
        preApproved: true,
        account: "east",
      },
    );
    const key = (await serviceKeyProvider.create(keyInputs)).outs.key;
    const order = async (name: string) => {
      const { inputs, failures } = await serviceKeyVxcProvider.check(
        {},
        {
          serviceKey: key,
          aEndProductUid: emulator.accounts.west?.products.port10G,
          name,
          rateLimit: 100,
          account: "west",
          resourceName: name,
          orderIdentity: `project/stack/${name}`,
        },
      );
      assert.deepEqual(failures, []);
      return (await captureLog(() => serviceKeyVxcProvider.create(inputs))).result;
    };
    const first = await order("first");
    const second = await order("second");
    assert.ok(await polls(first.id) > 1, "the first is polled until it is ready");
    assert.equal(await polls(second.id), 1, "the second is read once, when a change is likely");
    assert.ok(["CONFIGURED", "LIVE"].includes(String(second.outs.provisioningStatus)));
  });
});
