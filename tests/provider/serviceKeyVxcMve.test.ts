/** ServiceKeyVxc from an MVE A-End: `aEndVnicIndex` (docs/megaport-api-variance.md). */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { forgetAEnds } from "../../provider/resources/vxcAEnds";
import { admin, captureLog, namesProperty, requests, resetEmulator, startHarness, stopHarness } from "./harness";

interface EmulatorVxc {
  productUid: string;
  aEnd: { vlan: number; vNicIndex: number | null };
}

describe("ServiceKeyVxc from an MVE A-End (aEndVnicIndex)", () => {
  let emulator: RunningEmulator;
  let westMve: string;
  let westPort: string;

  before(async () => {
    emulator = await startHarness();
    westMve = emulator.accounts.west?.products.mve as string;
    westPort = emulator.accounts.west?.products.port10G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => resetEmulator(emulator));

  async function makeKey(): Promise<string> {
    const eastPort = emulator.accounts.east?.products.port10G as string;
    const { inputs } = await serviceKeyProvider.check(
      {},
      { productUid: eastPort, maxSpeed: 500, singleUse: false, preApproved: true, account: "east" },
    );
    return (await serviceKeyProvider.create(inputs)).outs.key;
  }

  function checked(serviceKey: string, extra: Record<string, unknown>) {
    return serviceKeyVxcProvider.check(
      {},
      { serviceKey, name: "from the MVE", rateLimit: 100, account: "west", resourceName: "mve-vxc", ...extra },
    );
  }

  async function orderCalls(): Promise<string[]> {
    return (await requests(emulator))
      .filter((r) => r.path.includes("/networkdesign/"))
      .map((r) => `${r.method} ${r.path}`);
  }

  async function emulatorVxc(uid: string): Promise<EmulatorVxc | undefined> {
    const state = await admin<{ vxcs: EmulatorVxc[] }>(emulator, "GET", "/_emulator/state");
    return state.vxcs.find((v) => v.productUid === uid);
  }

  it("preview fails naming aEndVnicIndex when an MVE A-End has none, before validate or buy", async () => {
    const key = await makeKey();
    await admin(emulator, "DELETE", "/_emulator/requests");
    const { failures } = await checked(key, { aEndProductUid: westMve });
    assert.equal(failures.length, 1, JSON.stringify(failures));
    assert.ok(namesProperty(failures[0], "aEndVnicIndex"));
    assert.match(failures[0].reason, /^aEndVnicIndex: required for an MVE A-End: the index of the vNIC of MVE /);
    assert.deepEqual(await orderCalls(), []);
  });

  it("preview refuses aEndVnicIndex for a Port A-End, naming it", async () => {
    const key = await makeKey();
    const { failures } = await checked(key, { aEndProductUid: westPort, aEndVnicIndex: 0 });
    assert.equal(failures.length, 1, JSON.stringify(failures));
    assert.ok(namesProperty(failures[0], "aEndVnicIndex"));
    assert.match(failures[0].reason, /^aEndVnicIndex: applies to an MVE A-End only; .* is a MEGAPORT: remove aEndVnicIndex$/);
  });

  it("preview reports a vNIC the MVE does not have (the API's validate), naming aEndVnicIndex", async () => {
    const key = await makeKey();
    const { failures } = await checked(key, { aEndProductUid: westMve, aEndVnicIndex: 7 });
    assert.equal(failures.length, 1, JSON.stringify(failures));
    assert.ok(namesProperty(failures[0], "aEndVnicIndex"));
    assert.match(failures[0].reason, /vNicIndex 7 is out of range/);
    assert.ok(!(await orderCalls()).some((call) => call.includes("/buy")));
  });

  it("orders from vNIC 1, shows it, moves it to vNIC 0 in place (keeping the VLAN), refreshes drift", async () => {
    const key = await makeKey();
    const { inputs, failures } = await checked(key, { aEndProductUid: westMve, aEndVnicIndex: 1 });
    assert.deepEqual(failures, []);
    const { result } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
    assert.equal(result.outs.aEndVnicIndex, 1);
    const vlan = result.outs.aEndVlan;
    assert.equal((await emulatorVxc(result.id))?.aEnd.vNicIndex, 1);

    const news = { ...inputs, aEndVnicIndex: 0 };
    const diff = await serviceKeyVxcProvider.diff(result.id, { ...result.outs }, news);
    assert.deepEqual(diff.replaces, [], "a vNIC move is in place");
    assert.equal(diff.changes, true);
    await admin(emulator, "DELETE", "/_emulator/requests");
    forgetAEnds(); // the change is the next `pulumi up`: a new provider process, no shared look-ups
    const recheck = await serviceKeyVxcProvider.check({ ...result.outs }, news);
    assert.deepEqual(recheck.failures, []);
    const { outs } = await serviceKeyVxcProvider.update(result.id, { ...result.outs }, recheck.inputs);
    assert.equal(outs.aEndVnicIndex, 0);
    assert.equal(outs.aEndVlan, vlan);
    assert.deepEqual((await emulatorVxc(result.id))?.aEnd, { productUid: westMve, vlan, vNicIndex: 0 });
    const calls = (await requests(emulator)).filter((r) => !r.path.startsWith("/oauth2"));
    assert.deepEqual(
      calls.map((r) => `${r.method} ${r.path}`).filter((c) => !c.startsWith("GET /v2/product/" + result.id)),
      [`GET /v2/product/${westMve}`, `PUT /v3/product/vxc/${result.id}`],
      "one product look-up at preview, one PUT",
    );

    await admin(emulator, "POST", `/_emulator/vxcs/${result.id}`, { aEndVnicIndex: 1 });
    const read = await serviceKeyVxcProvider.read(result.id, { ...outs });
    assert.equal(read.props?.aEndVnicIndex, 1, "refresh shows the API's vNIC");
    assert.equal(read.inputs?.aEndVnicIndex, 1);
  });

  it("removing aEndVnicIndex from an MVE VXC, or adding one to a Port VXC, fails at preview", async () => {
    const key = await makeKey();
    const mve = await checked(key, { aEndProductUid: westMve, aEndVnicIndex: 0 });
    const mveVxc = (await captureLog(() => serviceKeyVxcProvider.create(mve.inputs))).result;
    const removed = { ...mve.inputs };
    delete removed.aEndVnicIndex;
    const removal = await serviceKeyVxcProvider.check({ ...mveVxc.outs }, removed);
    assert.ok(namesProperty(removal.failures[0] ?? { property: "", reason: "" }, "aEndVnicIndex"));

    const port = await checked(key, { aEndProductUid: westPort, name: "from the port" });
    assert.deepEqual(port.failures, []);
    const portVxc = (await captureLog(() => serviceKeyVxcProvider.create(port.inputs))).result;
    assert.equal(portVxc.outs.aEndVnicIndex, undefined);
    const added = await serviceKeyVxcProvider.check({ ...portVxc.outs }, { ...port.inputs, aEndVnicIndex: 0 });
    assert.ok(namesProperty(added.failures[0] ?? { property: "", reason: "" }, "aEndVnicIndex"));
  });
});
