import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { clientFor } from "../../provider/resources/accounts";
import { forgetClaims } from "../../provider/resources/reconcile";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { forgetLookUps } from "../../provider/resources/serviceKeyPreview";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { admin, captureLog, rejection, requests, resetEmulator, startHarness, stopHarness } from "./harness";

// Edges an independent review of the lifecycle work found (docs/lifecycle.md): each test was red on
// the code it reviewed.
describe("lifecycle edges found in review", () => {
  let emulator: RunningEmulator;
  let eastPort: string;
  let westPort: string;
  let identity = 0;

  before(async () => {
    emulator = await startHarness();
    eastPort = emulator.accounts.east?.products.port10G as string;
    westPort = emulator.accounts.west?.products.port10G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => {
    await resetEmulator(emulator);
    await admin(emulator, "POST", "/_emulator/faults", {});
    forgetLookUps();
    forgetClaims();
    identity += 1;
  });

  async function makeKey(extra: Record<string, unknown> = {}) {
    const { inputs, failures } = await serviceKeyProvider.check(
      {},
      { productUid: eastPort, maxSpeed: 500, account: "east", ...extra },
    );
    assert.deepEqual(failures, []);
    return serviceKeyProvider.create(inputs);
  }

  const programInputs = (serviceKey: string, extra: Record<string, unknown> = {}) => ({
    serviceKey,
    aEndProductUid: westPort,
    name: "West to East",
    rateLimit: 200,
    account: "west",
    resourceName: "west-vxc",
    orderIdentity: `project/review-${identity}/west-vxc`,
    ...extra,
  });
  const create = async (inputs: Record<string, unknown>) => {
    const { result } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
    forgetClaims();
    return result;
  };
  const accepted = async () => (await requests(emulator)).filter((r) => r.status !== null && r.status < 300);
  const vxcState = async (uid: string) =>
    (await admin<{ vxcs: { productUid: string; provisioningStatus: string }[] }>(emulator, "GET", "/_emulator/state"))
      .vxcs.find((v) => v.productUid === uid)?.provisioningStatus;

  // docs/lifecycle.md, ServiceKeyVxc "Replace": "new serviceKey, fixed aEndVlan on the same A-End |
  // as above, cancel first (diff asks delete-before-replace) | the VLAN moves to the new VXC".
  it("rotating to a new key with a fixed A-End VLAN passes preview (the old VXC's VLAN is freed by the delete-first replace)", async () => {
    const oldKey = (await makeKey({ preApproved: true, singleUse: false })).outs.key;
    const first = await serviceKeyVxcProvider.check({}, programInputs(oldKey, { aEndVlan: 300 }));
    assert.deepEqual(first.failures, []);
    const old = await create(first.inputs);
    const newKey = (await makeKey({ preApproved: true, singleUse: false, description: "rotated" })).outs.key;

    const news = programInputs(newKey, { aEndVlan: 300 });
    const diff = await serviceKeyVxcProvider.diff(old.id, { ...old.outs }, news);
    assert.deepEqual(diff.replaces, ["serviceKey"]);
    assert.equal(diff.deleteBeforeReplace, true, "diff asks to cancel the old VXC first");

    // The check the engine runs with the olds (preview and up), then its second check without them.
    const withOlds = await serviceKeyVxcProvider.check({ ...old.outs }, news);
    assert.deepEqual(withOlds.failures, [], "preview of the key rotation");
    const second = await serviceKeyVxcProvider.check({}, news);
    assert.deepEqual(second.failures, [], "the engine's second check of the replacement");
  });

  // docs/lifecycle.md, "Replacing": a VXC whose mark could not be taken off looks like an
  // interrupted run's order, which a create takes over. The provider cannot tell the two apart (a
  // targeted replace reaches check with no olds), so the guarantee is the other half: the old
  // resource's delete never cancels a VXC that a create of the same run took over.
  it("a VXC whose unrecorded mark could not be taken off is never cancelled by its own --replace", async () => {
    const key = (await makeKey({ preApproved: true, singleUse: false })).outs.key;
    const { inputs } = await serviceKeyVxcProvider.check({}, programInputs(key));
    // The tag write fails (a consumer the real API does not let tag, or a transient outage that outlasts the retries).
    await admin(emulator, "POST", "/_emulator/faults", {
      errorRate: 1,
      status: 503,
      retryAfterSeconds: 0,
      paths: ["/v2/product/"],
      methods: ["PUT"],
    });
    const partial = await rejection(() => create(inputs));
    // The next update of that VXC fails loudly while the mark cannot be taken off.
    const stuck = await rejection(() =>
      serviceKeyVxcProvider.update(partial.id as string, { ...(partial.properties as object) }, { ...inputs, name: "renamed" }),
    );
    assert.equal(stuck.code, "ERR_VXC_MARK");
    await admin(emulator, "POST", "/_emulator/faults", {});
    forgetClaims(); // the next `pulumi up --replace` is a new provider process
    assert.equal(partial.code, "ERR_VXC_NOT_READY", "create reports a partial failure: the engine records the VXC");
    const heldId = partial.id as string;
    assert.equal(await vxcState(heldId), "LIVE");

    // `pulumi up --replace` of that resource: check with no olds, create, then delete of the old.
    const again = await serviceKeyVxcProvider.check({}, programInputs(key));
    const replacement = await create(again.inputs);
    const { lines } = await captureLog(() => serviceKeyVxcProvider.delete(heldId, { ...(partial.properties as object) }));
    assert.equal(await vxcState(heldId), "LIVE", "the VXC the stack still holds was not cancelled");
    assert.ok(["CONFIGURED", "LIVE"].includes(String(await vxcState(replacement.id))));
    assert.ok(!(await accepted()).some((r) => r.path.includes("/action/CANCEL")), "no cancel was sent");
    if (replacement.id === heldId) assert.match(lines.join("\n"), /held by the resource that replaced this one/);
  });

  // docs/lifecycle.md, ServiceKey "preview of a new key": failures naming `vlan` (held by another
  // active key). The memory of a replacement's kept VLAN must not excuse another resource.
  it("a new key on a VLAN an active key holds is refused at preview, even after another resource's replacement keeping that VLAN was checked", async () => {
    const held = await makeKey({ singleUse: true, vlan: 777, description: "a" });
    // Another resource of the same stack is replaced (description) keeping VLAN 777: its first check.
    const replacing = await serviceKeyProvider.check(
      { ...held.outs },
      { productUid: eastPort, maxSpeed: 500, account: "east", singleUse: true, vlan: 777, description: "b" },
    );
    assert.deepEqual(replacing.failures, []);
    // A brand-new resource on the same VLAN, e.g. a copy-paste in the same program.
    const intruder = await serviceKeyProvider.check(
      {},
      { productUid: eastPort, maxSpeed: 500, account: "east", singleUse: true, vlan: 777, resourceName: "intruder" },
    );
    // The API refuses it at create (the old key still holds VLAN 777)...
    const error = await rejection(() => serviceKeyProvider.create(intruder.inputs));
    assert.match(error.message, /vlan/i);
    assert.equal((await accepted()).filter((r) => r.method === "POST" && r.path === "/v2/service/key").length, 1);
    // ...so preview must have refused it too.
    assert.ok(
      intruder.failures.some((f) => f.property === "vlan"),
      `preview must refuse VLAN 777 (held by an active key), as create was refused (${error.message}); preview failures: ${JSON.stringify(intruder.failures)}`,
    );
  });

  it("an order carries its order tag and its resource tag; the unrecorded mark is off once created", async () => {
    const key = (await makeKey({ preApproved: true, singleUse: false })).outs.key;
    const made = await create((await serviceKeyVxcProvider.check({}, programInputs(key))).inputs);
    assert.deepEqual(
      (await clientFor("west").products.tags(made.id)).map((t) => t.key),
      ["pulumi-megaport-service-keys/order", "pulumi-megaport-service-keys/resource"],
    );
  });
});
