/**
 * A ServiceKeyVxc's orders on the wire and the outputs made from the API's view (provider/resources/
 * vxcOrders.ts) on the edges a broken provider survived (issue 17): untagged VLANs, approval states,
 * why a failed order failed, progress lines once per change, and no tag write without a mark.
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import * as implementation from "../../provider/implementation";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { vxcOrderApprovalProvider } from "../../provider/resources/vxcOrderApproval";
import {
  admin,
  captureLog,
  emulatorConfig,
  fakeConfig,
  makeKey,
  rejection,
  requests,
  resetEmulator,
  startHarness,
  startRewritingProxy,
  stopHarness,
  vxcProgram,
} from "./harness";

describe("ServiceKeyVxc orders: outputs, failure reasons and progress", () => {
  let emulator: RunningEmulator;
  let eastPort: string;
  let westPort: string;

  before(async () => {
    emulator = await startHarness();
    eastPort = emulator.accounts.east?.products.port10G as string;
    westPort = emulator.accounts.west?.products.port10G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => resetEmulator(emulator));

  async function checked(key: string, extra: Record<string, unknown> = {}) {
    const { inputs, failures } = await serviceKeyVxcProvider.check({}, vxcProgram(westPort, key, extra));
    assert.deepEqual(failures, []);
    return inputs;
  }
  const state = () =>
    admin<{ vxcs: { productUid: string; aEnd: { vlan: number | null } }[] }>(emulator, "GET", "/_emulator/state");
  async function decide(key: string, decision: "approve" | "reject", comment?: string) {
    const { inputs } = await vxcOrderApprovalProvider.check(
      {},
      { serviceKey: key, decision, account: "east", waitForOrder: true, ...(comment === undefined ? {} : { comment }) },
    );
    return captureLog(() => vxcOrderApprovalProvider.create(inputs));
  }

  it("an untagged A-End is -1 on the wire and \"untagged\" in the outputs; no approval in play is null", async () => {
    const key = await makeKey(eastPort, { preApproved: true });
    const { outs } = (await captureLog(async () => serviceKeyVxcProvider.create(await checked(key, { aEndVlan: "untagged" })))).result;
    assert.equal((await state()).vxcs[0]?.aEnd.vlan, -1);
    assert.equal(outs.aEndVlan, "untagged");
    assert.equal(outs.approvalStatus, null);
    assert.equal(outs.approvalMessage, null);
    assert.equal(outs.bEndProductUid, eastPort);
    assert.equal(outs.serviceName, "West to East");
    assert.equal(typeof outs.createDate, "string");
    assert.equal(new Date(Date.parse(outs.createDate as string)).toISOString(), outs.createDate);
  });

  it("a rejected order without a comment: the reason says rejected, and nothing more", async function () {
    this.timeout(20_000);
    const key = await makeKey(eastPort, { singleUse: true, vlan: 300 });
    const inputs = await checked(key, { waitForApproval: true, timeouts: { create: "20s" } });
    const creating = rejection(() => captureLog(() => serviceKeyVxcProvider.create(inputs)));
    await decide(key, "reject");
    const error = await creating;
    assert.deepEqual(error.reasons, ["the order failed (provisioningStatus FAILED): order rejected"]);
  });

  it("a failed order whose approvals cannot be listed still says it failed, with its status", async function () {
    this.timeout(20_000);
    const key = await makeKey(eastPort, { singleUse: true, vlan: 300 });
    const inputs = await checked(key, { waitForApproval: true, timeouts: { create: "20s" } });
    const creating = rejection(() => captureLog(() => serviceKeyVxcProvider.create(inputs)));
    await decide(key, "reject", "no");
    await admin(emulator, "POST", "/_emulator/faults", { errorRate: 1, status: 400, paths: ["/v3/order_approvals"], methods: ["GET"] });
    const error = await creating;
    assert.deepEqual(error.reasons, ["the order failed (provisioningStatus FAILED)"]);
  });

  it("waitForApproval: one progress line per change of status, not per poll", async function () {
    this.timeout(20_000);
    const key = await makeKey(eastPort, { singleUse: true, vlan: 300 });
    const inputs = await checked(key, { waitForApproval: true, timeouts: { create: "20s" } });
    const creating = captureLog(() => serviceKeyVxcProvider.create(inputs));
    // Several polls (20 ms apart) see the same pending status before the owner decides.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await decide(key, "approve");
    const { result, lines } = await creating;
    assert.deepEqual(lines, [`west-vxc: waiting for East Company to approve the order (VXC ${result.id})`]);
    assert.equal(result.outs.approvalStatus, "APPROVED");
  });

  it("an update of a VXC without the unrecorded mark reads its tags and writes none", async () => {
    const key = await makeKey(eastPort, { preApproved: true });
    const inputs = await checked(key);
    const { id, outs } = (await captureLog(() => serviceKeyVxcProvider.create(inputs))).result;
    await admin(emulator, "DELETE", "/_emulator/requests");
    await serviceKeyVxcProvider.update(id, { ...outs }, { ...inputs, name: "renamed" });
    const tagCalls = (await requests(emulator)).filter((r) => r.path === `/v2/product/${id}/tags`).map((r) => r.method);
    assert.deepEqual(tagCalls, ["GET"]);
  });

  it("a lost buy answer: the VXC it made is adopted, and the log line says so", async () => {
    const key = await makeKey(eastPort, { preApproved: true });
    const inputs = await checked(key);
    await admin(emulator, "POST", "/_emulator/faults", { lostResponseRate: 1, paths: ["/v4/networkdesign/buy"], times: 1 });
    const { result, lines } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
    assert.equal((await state()).vxcs.length, 1);
    assert.deepEqual(lines, [`west-vxc: the answer to the order was lost; adopted the VXC it made (${result.id})`]);
  });

  it("a buy answered 500 that made nothing is looked for, then sent again: one VXC", async function () {
    this.timeout(15_000);
    const key = await makeKey(eastPort, { preApproved: true });
    const inputs = await checked(key);
    await admin(emulator, "DELETE", "/_emulator/requests");
    await admin(emulator, "POST", "/_emulator/faults", { errorRate: 1, status: 500, paths: ["/v4/networkdesign/buy"], times: 1 });
    const { result, lines } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
    const buys = (await requests(emulator)).filter((r) => r.path === "/v4/networkdesign/buy" && r.status !== 401);
    assert.deepEqual(buys.map((r) => r.status), [500, 200]);
    assert.deepEqual((await state()).vxcs.map((v) => v.productUid), [result.id]);
    assert.deepEqual(lines, []);
  });

  it("a VXC cancelled at term end (CANCELLED) or with its parent (CANCELLED_PARENT) is gone on refresh", async () => {
    const key = await makeKey(eastPort, { preApproved: true });
    const { id, outs } = (await captureLog(async () => serviceKeyVxcProvider.create(await checked(key)))).result;
    await admin(emulator, "POST", `/_emulator/vxcs/${id}`, { provisioningStatus: "CANCELLED_PARENT" });
    assert.deepEqual(await serviceKeyVxcProvider.read(id, { ...outs }), {});
    await admin(emulator, "POST", `/_emulator/vxcs/${id}`, { provisioningStatus: "CANCELLED" });
    assert.deepEqual(await serviceKeyVxcProvider.read(id, { ...outs }), {});
    await admin(emulator, "POST", `/_emulator/vxcs/${id}`, { provisioningStatus: "LIVE" });
    assert.equal((await serviceKeyVxcProvider.read(id, { ...outs })).id, id);
  });

  it("a VXC whose mark could not be taken off carries it as the tag pulumi-megaport-service-keys/unrecorded=true", async () => {
    const key = await makeKey(eastPort, { preApproved: true });
    const inputs = await checked(key);
    await admin(emulator, "POST", "/_emulator/faults", { errorRate: 1, status: 400, paths: ["/v2/product/"], methods: ["PUT"] });
    const error = await rejection(() => captureLog(() => serviceKeyVxcProvider.create(inputs)));
    await admin(emulator, "POST", "/_emulator/faults", {});
    assert.equal(error.code, "ERR_VXC_NOT_READY");
    const tags = await admin<{ vxcs: { resourceTags: { key: string; value: string }[] }[] }>(emulator, "GET", "/_emulator/state");
    assert.deepEqual(
      tags.vxcs[0]?.resourceTags.filter((t) => t.key.endsWith("/unrecorded")),
      [{ key: "pulumi-megaport-service-keys/unrecorded", value: "true" }],
    );
  });

  it("an API that shows the VLAN as null, the approval as REJECTED, and no term, shutdown or cost centre", async () => {
    const key = await makeKey(eastPort, { preApproved: true });
    const inputs = await checked(key, { term: 12, shutdown: true, costCentre: "cc" });
    const proxy = await startRewritingProxy(emulator.url, ({ method, path }, body) => {
      const data = (body as { data?: Record<string, unknown> }).data;
      if (method === "GET" && path.startsWith("/v2/product/") && data?.productType === "VXC") {
        (data.aEnd as Record<string, unknown>).vlan = null;
        data.vxcApproval = { ...(data.vxcApproval as object), status: "REJECTED" };
        data.contractTermMonths = null;
        data.shutdown = null;
        data.costCentre = null;
      }
      return body;
    });
    implementation.configure(fakeConfig(emulatorConfig(emulator, { "megaport:baseUrl": proxy.url })));
    try {
      const { id, outs } = (await captureLog(() => serviceKeyVxcProvider.create(inputs))).result;
      const read = await serviceKeyVxcProvider.read(id, { ...outs });
      assert.equal(read.props?.aEndVlan, "untagged");
      assert.equal(read.props?.approvalStatus, "REJECTED");
      assert.equal(read.props?.term, 12, "the declared term when the API shows none");
      assert.equal(read.props?.shutdown, true);
      assert.equal(read.props?.costCentre, undefined);
    } finally {
      implementation.configure(fakeConfig(emulatorConfig(emulator)));
      await proxy.close();
    }
  });
});
