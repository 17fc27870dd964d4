import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { vxcOrderApprovalProvider } from "../../provider/resources/vxcOrderApproval";
import { admin, captureLog, rejection, requests, resetEmulator, startHarness, stopHarness } from "./harness";

// Rows of docs/lifecycle.md that no other test proves: each in-place update of a ServiceKeyVxc,
// its replace-only properties, and the VxcOrderApproval operations without an API decision.
describe("lifecycle rows: ServiceKeyVxc updates and replaces, VxcOrderApproval without a decision", () => {
  let emulator: RunningEmulator;
  let eastPort: string;
  let westPort: string;
  let westPort1G: string;

  before(async () => {
    emulator = await startHarness();
    eastPort = emulator.accounts.east?.products.port10G as string;
    westPort = emulator.accounts.west?.products.port10G as string;
    westPort1G = emulator.accounts.west?.products.port1G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => resetEmulator(emulator));

  async function makeKey(extra: Record<string, unknown> = {}): Promise<string> {
    const { inputs } = await serviceKeyProvider.check(
      {},
      { productUid: eastPort, maxSpeed: 500, account: "east", preApproved: true, singleUse: false, ...extra },
    );
    return (await serviceKeyProvider.create(inputs)).outs.key;
  }
  const program = (serviceKey: string, extra: Record<string, unknown> = {}) => ({
    serviceKey,
    aEndProductUid: westPort,
    name: "West to East",
    rateLimit: 200,
    account: "west",
    resourceName: "west-vxc",
    orderIdentity: "project/rows/west-vxc",
    ...extra,
  });
  async function liveVxc(extra: Record<string, unknown> = {}) {
    const key = await makeKey();
    const { inputs, failures } = await serviceKeyVxcProvider.check({}, program(key, extra));
    assert.deepEqual(failures, []);
    const created = (await captureLog(() => serviceKeyVxcProvider.create(inputs))).result;
    await admin(emulator, "DELETE", "/_emulator/requests");
    return { key, inputs, created };
  }
  /** Requests the API accepted since the log was last cleared. */
  const accepted = async () => (await requests(emulator)).filter((r) => r.status !== null && r.status < 300);
  const vxcPuts = async () =>
    (await accepted()).filter((r) => r.method === "PUT" && r.path.startsWith("/v3/product/vxc/"));

  describe("ServiceKeyVxc update of each property", () => {
    const inPlace: [string, unknown][] = [
      ["name", "Renamed link"],
      ["rateLimit", 300],
      ["aEndVlan", 777],
      ["term", 12],
      ["shutdown", true],
      ["costCentre", "CC-42"],
    ];
    for (const [property, value] of inPlace) {
      it(`${property}: one PUT /v3/product/vxc/{uid}; the outputs show the API's new value`, async () => {
        const { inputs, created } = await liveVxc();
        const news = { ...inputs, [property]: value };
        const diff = await serviceKeyVxcProvider.diff(created.id, { ...created.outs }, news);
        assert.deepEqual([diff.changes, diff.replaces], [true, []]);
        const { outs } = await serviceKeyVxcProvider.update(created.id, { ...created.outs }, news);
        assert.equal((outs as unknown as Record<string, unknown>)[property], value);
        assert.equal((await vxcPuts()).length, 1);
        const read = await serviceKeyVxcProvider.read(created.id, { ...outs });
        assert.equal((read.props as unknown as Record<string, unknown>)[property], value, "the API holds it");
      });
    }

    const stateOnly: [string, unknown][] = [
      ["promoCode", "PROMO"],
      ["waitForApproval", true],
      ["timeouts", { create: "20m" }],
    ];
    for (const [property, value] of stateOnly) {
      it(`${property}: kept in state, no PUT`, async () => {
        const { inputs, created } = await liveVxc();
        const { outs } = await serviceKeyVxcProvider.update(created.id, { ...created.outs }, {
          ...inputs,
          [property]: value,
        });
        assert.deepEqual((outs as unknown as Record<string, unknown>)[property], value);
        assert.equal((await vxcPuts()).length, 0);
      });
    }
  });

  describe("ServiceKeyVxc replace of each replace-only property", () => {
    it("serviceKey: the new key is checked as an order, the new VXC is ordered with it, the old one cancelled on delete", async () => {
      const { inputs, created } = await liveVxc();
      const newKey = await makeKey({ maxSpeed: 400 });
      const news = program(newKey);
      const checked = await serviceKeyVxcProvider.check({ ...inputs }, news);
      assert.deepEqual(checked.failures, []);
      assert.ok((await accepted()).some((r) => r.path === "/v3/networkdesign/validate"), "the new order is validated");
      const diff = await serviceKeyVxcProvider.diff(created.id, { ...created.outs }, checked.inputs);
      assert.deepEqual(diff.replaces, ["serviceKey"]);
      const replacement = (await captureLog(() => serviceKeyVxcProvider.create(checked.inputs))).result;
      assert.notEqual(replacement.id, created.id);
      await captureLog(() => serviceKeyVxcProvider.delete(created.id, { ...created.outs }));
      const cancels = (await accepted()).filter((r) => r.path.endsWith("/action/CANCEL_NOW"));
      assert.deepEqual(
        cancels.map((r) => r.path),
        [`/v3/product/${created.id}/action/CANCEL_NOW`],
      );
      const tooFast = await serviceKeyVxcProvider.check({ ...inputs }, { ...news, rateLimit: 450 });
      assert.ok(tooFast.failures.some((f) => f.property === "rateLimit"), "checked against the new key");
    });

    it("aEndProductUid: the new VXC is ordered on the new A-End", async () => {
      const { inputs, created } = await liveVxc();
      const news = { ...program(inputs.serviceKey as string), aEndProductUid: westPort1G };
      const checked = await serviceKeyVxcProvider.check({ ...inputs }, news);
      assert.deepEqual(checked.failures, []);
      const diff = await serviceKeyVxcProvider.diff(created.id, { ...created.outs }, checked.inputs);
      assert.deepEqual(diff.replaces, ["aEndProductUid"]);
      assert.equal(diff.deleteBeforeReplace, undefined, "another A-End: no VLAN clash, create first");
      const replacement = (await captureLog(() => serviceKeyVxcProvider.create(checked.inputs))).result;
      assert.notEqual(replacement.id, created.id);
      const read = await serviceKeyVxcProvider.read(replacement.id, { ...replacement.outs });
      assert.equal(read.props?.aEndProductUid, westPort1G);
    });
  });

  describe("ServiceKeyVxc refresh after a change made outside Pulumi", () => {
    it("cancelled in the portal: refresh drops it; the next up orders a new VXC, never the cancelled one", async () => {
      const { key, inputs, created } = await liveVxc();
      await admin(emulator, "POST", `/_emulator/vxcs/${created.id}`, { provisioningStatus: "DECOMMISSIONED" });
      assert.deepEqual(await serviceKeyVxcProvider.read(created.id, { ...created.outs }), {});
      // The resource is gone from the state: the next up checks and creates it as a new resource.
      const again = await serviceKeyVxcProvider.check({}, program(key));
      assert.deepEqual(again.failures, []);
      const recreated = (await captureLog(() => serviceKeyVxcProvider.create(again.inputs))).result;
      assert.notEqual(recreated.id, created.id);
      assert.equal(
        (await accepted()).filter((r) => r.path === "/v4/networkdesign/buy").length,
        1,
        "one new order",
      );
      assert.equal(inputs.name, recreated.outs.name);
    });

    it("rate limit changed outside Pulumi: refresh shows it, and the next update puts the declared one back", async () => {
      const { inputs, created } = await liveVxc();
      await admin(emulator, "POST", `/_emulator/vxcs/${created.id}`, { rateLimit: 100 });
      const read = await serviceKeyVxcProvider.read(created.id, { ...created.outs });
      assert.equal(read.props?.rateLimit, 100);
      assert.equal(read.inputs?.rateLimit, 100);
      const diff = await serviceKeyVxcProvider.diff(created.id, { ...read.props }, inputs);
      assert.deepEqual([diff.changes, diff.replaces], [true, []]);
      const { outs } = await serviceKeyVxcProvider.update(created.id, { ...read.props }, inputs);
      assert.equal(outs.rateLimit, 200);
      assert.equal((await vxcPuts()).length, 1);
    });
  });

  describe("VxcOrderApproval", () => {
    async function pendingVxc() {
      const key = await makeKey({ preApproved: false });
      const { inputs } = await serviceKeyVxcProvider.check({}, program(key));
      const created = (await captureLog(() => serviceKeyVxcProvider.create(inputs))).result;
      return { key, created };
    }

    it("no order for the VXC yet, without waitForOrder: ERR_APPROVAL_NO_ORDER, no decision sent", async () => {
      const key = await makeKey({ preApproved: false, singleUse: true, vlan: 170 });
      const { inputs } = await vxcOrderApprovalProvider.check({}, { serviceKey: key, decision: "approve", account: "east" });
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      assert.equal(error.code, "ERR_APPROVAL_NO_ORDER");
      assert.match(error.message, /set waitForOrder to wait for it/);
      assert.equal((await accepted()).filter((r) => r.path.includes("/order_approvals/")).length, 0);
    });

    it("a multi-use key cannot name one order: ERR_APPROVAL_MULTI_USE_KEY", async () => {
      const { key } = await pendingVxc();
      const { inputs } = await vxcOrderApprovalProvider.check({}, { serviceKey: key, decision: "approve", account: "east" });
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      assert.equal(error.code, "ERR_APPROVAL_MULTI_USE_KEY");
    });

    it("update of comment, waitForOrder or timeouts changes state only; delete makes no API call", async () => {
      const { created } = await pendingVxc();
      const { inputs } = await vxcOrderApprovalProvider.check({}, {
        productUid: created.id,
        decision: "approve",
        account: "east",
        resourceName: "east-approval",
      });
      const approval = (await captureLog(() => vxcOrderApprovalProvider.create(inputs))).result;
      await admin(emulator, "DELETE", "/_emulator/requests");
      const news = { ...inputs, comment: "later", waitForOrder: true, timeouts: { create: "1m" } };
      const diff = await vxcOrderApprovalProvider.diff(approval.id, { ...approval.outs }, news);
      assert.deepEqual(diff, { changes: true, replaces: [] });
      const { outs } = await vxcOrderApprovalProvider.update(approval.id, { ...approval.outs }, news);
      assert.equal(outs.comment, "later");
      assert.equal(outs.status, "APPROVED");
      await captureLog(() => vxcOrderApprovalProvider.delete(approval.id, { ...outs }));
      assert.deepEqual(await requests(emulator), [], "no API call");
    });

    it("lost answer to the decision: create fails; the next up finds the decision made and sends no second one", async () => {
      const { created } = await pendingVxc();
      const { inputs } = await vxcOrderApprovalProvider.check({}, { productUid: created.id, decision: "approve", account: "east" });
      await admin(emulator, "POST", "/_emulator/faults", { lostResponseRate: 1, paths: ["/v3/order_approvals/"] });
      try {
        await rejection(() => captureLog(() => vxcOrderApprovalProvider.create(inputs)));
      } finally {
        await admin(emulator, "POST", "/_emulator/faults", {});
      }
      await admin(emulator, "DELETE", "/_emulator/requests");
      const again = (await captureLog(() => vxcOrderApprovalProvider.create(inputs))).result;
      assert.equal(again.outs.status, "APPROVED");
      assert.equal((await accepted()).filter((r) => r.method === "POST").length, 0, "no second decision");
    });

    it("refresh: an approval the API no longer lists is gone", async () => {
      const { created } = await pendingVxc();
      const { inputs } = await vxcOrderApprovalProvider.check({}, { productUid: created.id, decision: "approve", account: "east" });
      const approval = (await captureLog(() => vxcOrderApprovalProvider.create(inputs))).result;
      assert.deepEqual(await vxcOrderApprovalProvider.read("not-listed", { ...approval.outs }), {});
      const listed = await vxcOrderApprovalProvider.read(approval.id, { ...approval.outs });
      assert.equal(listed.props?.status, "APPROVED");
    });
  });
});
