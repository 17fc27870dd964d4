/**
 * The look-ups the checks of one run share (provider/resources/serviceKeyPreview.ts): the engine
 * runs checks one at a time, so a look-up repeated per check is a round trip in series. What the
 * run itself makes, changes or deactivates updates the shared key list, so its VLAN checks stay right.
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { forgetLookUps } from "../../provider/resources/serviceKeyPreview";
import { captureLog, requests, resetEmulator, startHarness, stopHarness } from "./harness";

describe("ServiceKey: look-ups shared by the checks of a run", () => {
  let emulator: RunningEmulator;
  let port: string;

  before(async () => {
    emulator = await startHarness();
    port = emulator.accounts.east?.products.port10G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => {
    await resetEmulator(emulator);
    forgetLookUps(); // a new run
  });

  const calls = async (path: string) => (await requests(emulator)).filter((r) => r.method === "GET" && r.path === path).length;
  const key = (name: string, vlan: number) => ({
    productUid: port,
    maxSpeed: 100,
    singleUse: true,
    vlan,
    account: "east",
    resourceName: name,
  });

  it("N new keys on one product cost one product look-up, however many are made in between", async () => {
    for (let i = 0; i < 4; i++) {
      const { inputs, failures } = await serviceKeyProvider.check({}, key(`key-${i}`, 600 + i));
      assert.deepEqual(failures, []);
      await serviceKeyProvider.create(inputs);
    }
    assert.equal(await calls(`/v2/product/${port}`), 1);
    assert.equal(await calls("/v2/service/key"), 1, "one key list for the product");
  });

  it("a VLAN a key of this run took is refused, and free again once the run deactivated it, with no new key list", async () => {
    const first = await serviceKeyProvider.check({}, key("first", 620));
    const made = await serviceKeyProvider.create(first.inputs);
    const taken = await serviceKeyProvider.check({}, key("second", 620));
    assert.equal(taken.failures.length, 1);
    assert.match(taken.failures[0]?.reason ?? "", /^vlan: VLAN 620 is already in use .*by an active single-use key/);
    await captureLog(() => serviceKeyProvider.delete(made.id, made.outs as unknown as Record<string, unknown>));
    const free = await serviceKeyProvider.check({}, key("third", 620));
    assert.deepEqual(free.failures, []);
    assert.equal(await calls("/v2/service/key"), 2, "one key list, and the delete's own look-up of its key");
  });
});
