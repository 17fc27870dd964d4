/**
 * The order validation of a new VXC in an update (provider/resources/vxcValidations.ts): once the
 * process has changed something, check starts `POST /v3/networkdesign/validate` and create awaits
 * it before buying, so that the engine's one-at-a-time checks do not wait for the API; a preview
 * still reports the rejection at check. No rejected order is bought either way.
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { forgetClaims } from "../../provider/resources/reconcile";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { markChanging } from "../../provider/resources/vxcValidations";
import { MegaportApiError } from "../../sdk";
import { admin, captureLog, rejection, requests, resetEmulator, startHarness, stopHarness } from "./harness";

describe("ServiceKeyVxc: order validation in an update", () => {
  let emulator: RunningEmulator;
  let eastPort: string;
  let westPort: string;

  before(async () => {
    emulator = await startHarness();
    eastPort = emulator.accounts.east?.products.port10G as string;
    westPort = emulator.accounts.west?.products.port10G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => {
    await resetEmulator(emulator);
    forgetClaims(); // each test is a new provider process: not changing anything yet
  });

  const calls = async (path: string) => (await requests(emulator)).filter((r) => r.path === path).length;

  async function multiUseKey(): Promise<string> {
    const { inputs } = await serviceKeyProvider.check(
      {},
      { productUid: eastPort, maxSpeed: 500, singleUse: false, preApproved: true, account: "east" },
    );
    return (await serviceKeyProvider.create(inputs)).outs.key;
  }

  /** A new VXC on West's 10G port, on A-End VLAN `vlan`. */
  const order = (serviceKey: string, name: string, vlan: number) => ({
    serviceKey,
    aEndProductUid: westPort,
    aEndVlan: vlan,
    name,
    rateLimit: 100,
    account: "west",
    resourceName: name,
    orderIdentity: `project/stack/${name}`,
  });

  /** A first VXC holding A-End VLAN 700, so that an order for VLAN 700 is rejected by validate. */
  async function vlanTaken(serviceKey: string): Promise<void> {
    const { inputs, failures } = await serviceKeyVxcProvider.check({}, order(serviceKey, "first", 700));
    assert.deepEqual(failures, []);
    await captureLog(() => serviceKeyVxcProvider.create(inputs));
  }

  it("a preview (nothing changed by this process) reports the rejection at check", async () => {
    const key = await multiUseKey();
    await vlanTaken(key);
    forgetClaims(); // the preview of the next run: a new process
    const { failures } = await serviceKeyVxcProvider.check({}, order(key, "second", 700));
    assert.equal(failures.length, 1);
    assert.match(failures[0]?.reason ?? "", /^aEndVlan: .*700/);
  });

  it("in an update, check does not wait for the validation; create refuses the rejected order, naming the property, and buys nothing", async () => {
    const key = await multiUseKey();
    await vlanTaken(key);
    const buysBefore = await calls("/v4/networkdesign/buy");
    markChanging();
    const validationsBefore = await calls("/v3/networkdesign/validate");
    const { inputs, failures } = await serviceKeyVxcProvider.check({}, order(key, "second", 700));
    assert.deepEqual(failures, [], "check leaves the validation's answer to create");
    // As the engine calls it: the checked inputs, and the serialized provider.
    const error = await rejection(() =>
      captureLog(() => serviceKeyVxcProvider.create({ ...inputs, __provider: "exports.handler = …" })),
    );
    assert.equal(error.code, "ERR_VXC_ORDER_REJECTED");
    assert.match(error.message, /aEndVlan: .*700/);
    assert.equal(await calls("/v3/networkdesign/validate"), validationsBefore + 1, "validated once, at check");
    assert.equal(await calls("/v4/networkdesign/buy"), buysBefore, "nothing bought");
  });

  it("in an update, an order checked after a rejected one is not bought either", async () => {
    const key = await multiUseKey();
    await vlanTaken(key);
    const buysBefore = await calls("/v4/networkdesign/buy");
    markChanging();
    const rejected = await serviceKeyVxcProvider.check({}, order(key, "second", 700));
    const fine = await serviceKeyVxcProvider.check({}, order(key, "third", 701));
    assert.deepEqual([rejected.failures, fine.failures], [[], []]);
    const error = await rejection(() => captureLog(() => serviceKeyVxcProvider.create(fine.inputs)));
    assert.match(error.message, /not ordered: the order of second, checked before this one in this run, was rejected \(aEndVlan: /);
    assert.equal(await calls("/v4/networkdesign/buy"), buysBefore, "nothing bought");
  });

  it("in an update, an order whose validation passed is bought with no second validation", async () => {
    const key = await multiUseKey();
    markChanging();
    const validationsBefore = await calls("/v3/networkdesign/validate");
    const { inputs, failures } = await serviceKeyVxcProvider.check({}, order(key, "only", 702));
    assert.deepEqual(failures, []);
    const { result } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
    assert.equal(result.outs.aEndVlan, 702);
    assert.equal(await calls("/v3/networkdesign/validate"), validationsBefore + 1);
    assert.equal(await calls("/v4/networkdesign/buy"), 1);
  });
  it("in an update, an order rejected at validate but checked after this one is no reason to refuse this one", async () => {
    const key = await multiUseKey();
    await vlanTaken(key);
    markChanging();
    const fine = await serviceKeyVxcProvider.check({}, order(key, "second", 701));
    const rejected = await serviceKeyVxcProvider.check({}, order(key, "third", 700));
    assert.deepEqual([fine.failures, rejected.failures], [[], []]);
    const { result } = await captureLog(() => serviceKeyVxcProvider.create(fine.inputs));
    assert.equal(result.outs.aEndVlan, 701);
  });

  it("in an update, an earlier order is named `a VXC` when it has no resource name", async () => {
    const key = await multiUseKey();
    await vlanTaken(key);
    markChanging();
    const { resourceName: _name, ...unnamed } = order(key, "second", 700);
    await serviceKeyVxcProvider.check({}, unnamed);
    const fine = await serviceKeyVxcProvider.check({}, order(key, "third", 701));
    const error = await rejection(() => captureLog(() => serviceKeyVxcProvider.create(fine.inputs)));
    assert.match(error.message, /^not ordered: the order of a VXC, checked before this one in this run, was rejected \(aEndVlan: /);
  });

  it("in an update, an earlier validation that failed to answer (a 5xx) is its own create's error, not a rejection of the next order", async () => {
    const key = await multiUseKey();
    markChanging();
    await admin(emulator, "POST", "/_emulator/faults", {
      errorRate: 1,
      status: 500,
      methods: ["POST"],
      paths: ["/v3/networkdesign/validate"],
    });
    const failed = await serviceKeyVxcProvider.check({}, order(key, "first", 703));
    assert.deepEqual(failed.failures, []);
    const error = await rejection(() => captureLog(() => serviceKeyVxcProvider.create(failed.inputs)));
    assert.ok(error instanceof MegaportApiError && error.status === 500, String(error));
    await admin(emulator, "POST", "/_emulator/faults", {});
    const fine = await serviceKeyVxcProvider.check({}, order(key, "second", 704));
    const { result } = await captureLog(() => serviceKeyVxcProvider.create(fine.inputs));
    assert.equal(result.outs.aEndVlan, 704);
  });
});
