import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { clientFor } from "../../provider/resources/accounts";
import { forgetClaims } from "../../provider/resources/reconcile";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import type { ServiceKeyVxcInputs } from "../../provider/resources/serviceKeyVxcInputs";
import { orderTag, UNRECORDED_TAG } from "../../provider/resources/vxcOrders";
import { vxcOrderApprovalProvider } from "../../provider/resources/vxcOrderApproval";
import { admin, captureLog, namesProperty, rejection, requests, resetEmulator, startHarness, stopHarness } from "./harness";

// Issue 11, items 1 and 2 at the provider level (docs/lifecycle.md): what a replacement orders and
// cancels, and updates decided on the API's view of the approval rather than the state's.
describe("ServiceKeyVxc replacements and stale approval state against the emulator", () => {
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
    identity += 1; // each test is its own stack resource: no order tag is shared between tests
  });

  async function makeKey(extra: Record<string, unknown> = {}): Promise<string> {
    const { inputs } = await serviceKeyProvider.check(
      {},
      { productUid: eastPort, maxSpeed: 500, account: "east", ...extra },
    );
    return (await serviceKeyProvider.create(inputs)).outs.key;
  }

  /** The program's inputs of one ServiceKeyVxc, as the resource class sends them. */
  const programInputs = (serviceKey: string, extra: Record<string, unknown> = {}) => ({
    serviceKey,
    aEndProductUid: westPort,
    name: "West to East",
    rateLimit: 200,
    account: "west",
    resourceName: "west-vxc",
    orderIdentity: `project/stack-${identity}/west-vxc`,
    ...extra,
  });

  /** A create, as in a run of its own: the next step starts like a new provider process. */
  const create = async (inputs: Record<string, unknown>) => {
    const { result } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
    forgetClaims();
    return result;
  };
  const apiVxcs = async () =>
    (await admin<{ vxcs: { productUid: string; provisioningStatus: string; rateLimit: number }[] }>(
      emulator,
      "GET",
      "/_emulator/state",
    )).vxcs;
  /** Requests the API accepted (a token refused after a reset is retried, and logged twice). */
  const accepted = async () => (await requests(emulator)).filter((r) => r.status !== null && r.status < 300);
  const buys = async () => (await accepted()).filter((r) => r.path.includes("/networkdesign/buy"));
  const cancels = async () => (await accepted()).filter((r) => r.path.endsWith("/action/CANCEL_NOW"));

  /** An order placed as a run would place it, whose create never returned (or, `marked` false, as the release before the mark did). */
  async function placeOrder(serviceKey: string, marked: boolean): Promise<string> {
    const tag = orderTag(programInputs(serviceKey) as ServiceKeyVxcInputs);
    assert.ok(tag);
    const [bought] = await clientFor("west").networkDesign.buy([
      {
        productUid: westPort,
        associatedVxcs: [
          {
            productName: "West to East",
            rateLimit: 200,
            term: 1,
            shutdown: false,
            serviceKey,
            resourceTags: marked ? [tag, UNRECORDED_TAG] : [tag],
            aEnd: { productUid: westPort },
            bEnd: { productUid: eastPort },
          },
        ],
      },
    ]);
    return (bought as { vxcJTechnicalServiceUid: string }).vxcJTechnicalServiceUid;
  }
  const tagsOf = async (uid: string) => clientFor("west").products.tags(uid);

  describe("replacing (issue 11 item 1)", () => {
    it("a forced replacement orders a new VXC and the old resource's delete cancels only the old one", async () => {
      const key = await makeKey({ preApproved: true, singleUse: false });
      const first = await serviceKeyVxcProvider.check({}, programInputs(key));
      assert.deepEqual(first.failures, []);
      const old = await create(first.inputs);
      assert.deepEqual(
        (await tagsOf(old.id)).map((t) => t.key),
        ["pulumi-megaport-service-keys/order", "pulumi-megaport-service-keys/resource"],
        "the mark of an unrecorded order is off once create returns",
      );

      // `pulumi up --replace`: the engine checks like a new resource (no old inputs), creates, then
      // deletes; a diff-driven replace checks once more the same way.
      const again = await serviceKeyVxcProvider.check({}, programInputs(key));
      assert.deepEqual(again.failures, []);
      const replacement = await create(again.inputs);
      assert.notEqual(replacement.id, old.id, "the replacement is a new VXC, not the one it replaces");
      await captureLog(() => serviceKeyVxcProvider.delete(old.id, { ...old.outs }));

      assert.equal((await buys()).length, 2);
      assert.deepEqual(
        (await cancels()).map((r) => r.path),
        [`/v3/product/${old.id}/action/CANCEL_NOW`],
      );
      const vxcs = await apiVxcs();
      assert.equal(vxcs.find((v) => v.productUid === old.id)?.provisioningStatus, "DECOMMISSIONED");
      assert.ok(
        ["CONFIGURED", "LIVE"].includes(String(vxcs.find((v) => v.productUid === replacement.id)?.provisioningStatus)),
      );
    });

    it("a replacement with a used single-use key is refused at check, and by create, before anything is bought or cancelled", async () => {
      const key = await makeKey({ preApproved: true, singleUse: true, vlan: 150 });
      const first = await serviceKeyVxcProvider.check({}, programInputs(key));
      const old = await create(first.inputs);
      const again = await serviceKeyVxcProvider.check({}, programInputs(key));
      assert.ok(
        again.failures.some((f) => namesProperty(f, "serviceKey") && /a replacement needs a new service key/.test(f.reason)),
        JSON.stringify(again.failures),
      );
      const error = await rejection(() => serviceKeyVxcProvider.create(again.inputs));
      assert.equal(error.code, "ERR_VXC_NEW_KEY_NEEDED");
      assert.match(error.message, /a replacement needs a new service key/);
      assert.ok(!error.message.includes(key) && !error.message.includes(key.slice(0, 8)), "no key in the error");
      assert.equal((await buys()).length, 1);
      assert.equal((await cancels()).length, 0);
      const [live] = await apiVxcs();
      assert.equal(live?.productUid, old.id);
      assert.ok(["CONFIGURED", "LIVE"].includes(String(live?.provisioningStatus)));
    });

    it("a replacement whose buy answer is lost, seconds after the first order, takes the new VXC, not the old one", async () => {
      const key = await makeKey({ preApproved: true, singleUse: false });
      const old = await create((await serviceKeyVxcProvider.check({}, programInputs(key))).inputs);
      const again = await serviceKeyVxcProvider.check({}, programInputs(key));
      await admin(emulator, "POST", "/_emulator/faults", { lostResponseRate: 1, paths: ["/v4/networkdesign/buy"] });
      let replacement: Awaited<ReturnType<typeof create>>;
      try {
        replacement = await create(again.inputs);
      } finally {
        await admin(emulator, "POST", "/_emulator/faults", {});
      }
      assert.notEqual(replacement.id, old.id);
      assert.equal((await apiVxcs()).length, 2, "exactly one new VXC");
    });

    it("a VXC ordered by the release before the mark (order tag only) is never taken over by a replacement", async () => {
      const key = await makeKey({ preApproved: true, singleUse: false });
      const legacy = await placeOrder(key, false);
      const { inputs } = await serviceKeyVxcProvider.check({}, programInputs(key));
      const replacement = await create(inputs);
      assert.notEqual(replacement.id, legacy);
      assert.equal((await buys()).length, 2);
    });

    it("an order an interrupted run placed (still marked) is taken over, once, and loses its mark", async () => {
      const key = await makeKey({ preApproved: true, singleUse: false });
      const held = await create((await serviceKeyVxcProvider.check({}, programInputs(key))).inputs);
      const placed = await placeOrder(key, true);
      const rerun = await serviceKeyVxcProvider.check({}, programInputs(key));
      const { result, lines } = await captureLog(() => serviceKeyVxcProvider.create(rerun.inputs));
      assert.equal(result.id, placed, "the interrupted order, not the VXC the stack holds");
      assert.notEqual(result.id, held.id);
      assert.ok(lines.some((line) => /adopted VXC/.test(line)));
      assert.equal((await buys()).length, 2, "no third order");
      assert.ok((await tagsOf(placed)).every((t) => t.key !== UNRECORDED_TAG.key));
    });

    it("an interrupted create of a single-use key's VXC is checked and taken over", async () => {
      const key = await makeKey({ preApproved: true, singleUse: true, vlan: 160 });
      const placed = await placeOrder(key, true);
      const { inputs, failures } = await serviceKeyVxcProvider.check({}, programInputs(key));
      assert.deepEqual(failures, [], "the key is used by our own unrecorded order");
      assert.equal((await create(inputs)).id, placed);
      assert.equal((await buys()).length, 1);
    });

    it("a fixed A-End VLAN: the replacement's check passes, diff deletes first, and a create-first replace is refused before any cancel", async () => {
      const key = await makeKey({ preApproved: true, singleUse: false });
      const first = await serviceKeyVxcProvider.check({}, programInputs(key, { aEndVlan: 300 }));
      const old = await create(first.inputs);
      const diff = await serviceKeyVxcProvider.diff(old.id, { ...old.outs }, first.inputs);
      assert.equal(diff.changes, false);
      assert.equal(diff.deleteBeforeReplace, true, "any replace of it must cancel first to free the VLAN");
      const again = await serviceKeyVxcProvider.check({}, programInputs(key, { aEndVlan: 300 }));
      assert.deepEqual(again.failures, [], "the VLAN its own VXC holds is not counted against it");
      const other = await serviceKeyVxcProvider.check({}, programInputs(key, { aEndVlan: 300, name: "Other" }));
      assert.ok(
        other.failures.some((f) => f.property === "aEndVlan"),
        "another resource is still refused the VLAN",
      );

      // `pulumi up --replace` creates first (the engine asks no diff): refused, nothing cancelled.
      const error = await rejection(() => serviceKeyVxcProvider.create(again.inputs));
      assert.equal(error.code, "ERR_VXC_VLAN_HELD");
      assert.match(error.message, /deleteBeforeReplace/);
      assert.equal((await cancels()).length, 0);

      // Delete first, as diff asks: the new VXC gets the same VLAN.
      await captureLog(() => serviceKeyVxcProvider.delete(old.id, { ...old.outs }));
      const replacement = await create(again.inputs);
      assert.notEqual(replacement.id, old.id);
      assert.equal(replacement.outs.aEndVlan, 300);
    });
  });

  describe("updates after an approval the state has not seen (issue 11 item 2)", () => {
    async function pendingVxc() {
      const key = await makeKey({ preApproved: false, singleUse: false });
      const { inputs } = await serviceKeyVxcProvider.check({}, programInputs(key));
      const created = await create(inputs);
      assert.equal(created.outs.approvalStatus, "PENDING_EXTERNAL");
      return { inputs, created };
    }

    async function approve(productUid: string) {
      const { inputs } = await vxcOrderApprovalProvider.check(
        {},
        { productUid, decision: "approve", account: "east" },
      );
      await captureLog(() => vxcOrderApprovalProvider.create(inputs));
    }

    it("a rate-limit change goes ahead once the API says APPROVED, and the outputs say so", async () => {
      const { inputs, created } = await pendingVxc();
      await approve(created.id);
      const { outs } = await serviceKeyVxcProvider.update(
        created.id,
        { ...created.outs },
        { ...inputs, rateLimit: 300 },
      );
      assert.equal(outs.rateLimit, 300);
      assert.equal(outs.approvalStatus, "APPROVED");
      assert.equal((await apiVxcs()).find((v) => v.productUid === created.id)?.rateLimit, 300);
    });

    it("a change kept in state only, after the approval, shows the API's approval status", async () => {
      const { inputs, created } = await pendingVxc();
      await approve(created.id);
      const { outs } = await serviceKeyVxcProvider.update(
        created.id,
        { ...created.outs },
        { ...inputs, waitForApproval: true },
      );
      assert.equal(outs.approvalStatus, "APPROVED");
      assert.equal(outs.waitForApproval, true);
    });

    it("still refused, with no PUT, while the API says the order is pending", async () => {
      const { inputs, created } = await pendingVxc();
      const error = await rejection(() =>
        serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...inputs, rateLimit: 300 }),
      );
      assert.equal(error.code, "ERR_VXC_PENDING_APPROVAL");
      assert.match(error.message, /waiting for East Company to approve/);
      assert.equal((await requests(emulator)).filter((r) => r.method === "PUT" && r.path.startsWith("/v3/product/vxc")).length, 0);
    });
  });
});
