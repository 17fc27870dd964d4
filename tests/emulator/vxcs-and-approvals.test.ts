import assert from "node:assert/strict";
import { Harness, list, plain, text } from "./harness";

const DELAY = 1000;
const DAY = 86400_000;

// docs/megaport-api.md, "VXCs" and "Order approvals".
describe("emulator: VXC lifecycle, updates and approvals", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ provisioningDelayMs: DELAY });
  });
  beforeEach(() => h.reset());
  after(() => h.close());

  const status = async (uid: string, as = "east") =>
    text((await h.api(as, "GET", `/v2/product/${uid}`)).body.data.provisioningStatus);

  async function pendingVxc() {
    const key = await h.createKey("west", { preApproved: false });
    const uid = await h.buyUid("east", key);
    const approvals = list((await h.api("west", "GET", "/v3/order_approvals")).body.data);
    return { key, uid, approvalUid: text(approvals[0].uid) };
  }

  describe("lifecycle", () => {
    it("pre-approved: DEPLOYABLE → CONFIGURED → LIVE on the emulator clock", async () => {
      const uid = await h.buyUid("east", await h.createKey("west"));
      assert.equal(await status(uid), "DEPLOYABLE");
      await h.advance(DELAY);
      assert.equal(await status(uid), "CONFIGURED");
      await h.advance(DELAY);
      assert.equal(await status(uid), "LIVE");
      const vxc = (await h.api("east", "GET", `/v2/product/${uid}`)).body.data;
      assert.equal(vxc.up, true);
      assert.equal(typeof vxc.liveDate, "number");
      assert.deepEqual(plain(vxc.vxcApproval), {
        status: null,
        message: null,
        uid: null,
        type: null,
        newSpeed: null,
      });
    });

    it("both companies see the VXC with the consumer as companyUid; a third company gets 403", async () => {
      const key = await h.createKey("west", { singleUse: true, vlan: 444 });
      const uid = await h.buyUid("east", key, { aEnd: { vlan: 12 } });
      const asEast = (await h.api("east", "GET", `/v2/product/${uid}`)).body;
      const asWest = (await h.api("west", "GET", `/v2/product/${uid}`)).body;
      assert.equal(asEast.message, `Found Product ${uid}`);
      for (const view of [asEast.data, asWest.data]) {
        assert.equal(view.productType, "VXC");
        assert.equal(view.companyUid, h.account("east").companyUid);
        assert.equal(view.aEnd.ownerUid, h.account("east").companyUid);
        assert.equal(view.bEnd.ownerUid, h.account("west").companyUid);
        assert.equal(view.aEnd.vlan, 12);
        assert.equal(view.bEnd.vlan, 444);
        assert.equal(view.rateLimit, 100);
      }
      assert.equal((await h.api("north", "GET", `/v2/product/${uid}`)).status, 403);
      assert.equal(
        (await h.api("east", "GET", "/v2/product/00000000-0000-4000-8000-000000000000")).status,
        404,
      );
    });

    it("not pre-approved: DEPLOYABLE with PENDING_EXTERNAL (consumer) / PENDING_INTERNAL (owner), the other party named", async () => {
      const { uid, approvalUid } = await pendingVxc();
      await h.advance(10 * DELAY);
      const asEast = (await h.api("east", "GET", `/v2/product/${uid}`)).body.data;
      const asWest = (await h.api("west", "GET", `/v2/product/${uid}`)).body.data;
      assert.equal(asEast.provisioningStatus, "DEPLOYABLE");
      assert.deepEqual(plain(asEast.vxcApproval), {
        status: "PENDING_EXTERNAL",
        message: "West Company",
        uid: approvalUid,
        type: "NEW",
        newSpeed: null,
      });
      assert.equal(asWest.vxcApproval.status, "PENDING_INTERNAL");
      assert.equal(asWest.vxcApproval.message, "East Company");
    });

    it("approval starts the provisioning clock and shows APPROVED", async () => {
      const { uid, approvalUid } = await pendingVxc();
      const answer = await h.api("west", "POST", `/v3/order_approvals/${approvalUid}/approve`, {
        comments: "ok",
      });
      assert.deepEqual(plain(answer.body), {
        message: "Success",
        terms: answer.body.terms,
        data: "Order request approved successfully",
      });
      assert.equal(await status(uid), "DEPLOYABLE");
      await h.advance(2 * DELAY);
      const vxc = (await h.api("east", "GET", `/v2/product/${uid}`)).body.data;
      assert.equal(vxc.provisioningStatus, "LIVE");
      assert.equal(vxc.vxcApproval.status, "APPROVED");
    });

    it("rejection → FAILED", async () => {
      const { uid, approvalUid } = await pendingVxc();
      const answer = await h.api("west", "POST", `/v3/order_approvals/${approvalUid}/reject`);
      assert.equal(answer.body.data, "Order request rejected successfully");
      assert.equal(await status(uid), "FAILED");
    });

    it("60 days without approval → FAILED, and the approval shows EXPIRED", async () => {
      const { uid } = await pendingVxc();
      await h.advance(59 * DAY);
      h.forgetTokens();
      assert.equal(await status(uid), "DEPLOYABLE");
      await h.advance(DAY);
      h.forgetTokens();
      assert.equal(await status(uid), "FAILED");
      const approvals = list((await h.api("west", "GET", "/v3/order_approvals")).body.data);
      assert.equal(approvals[0].status, "EXPIRED");
    });

    it("CANCEL_NOW → DECOMMISSIONED with resources.vll [] and no data; frees the VLAN", async () => {
      const key = await h.createKey("west");
      const uid = await h.buyUid("east", key, { aEnd: { vlan: 321 } });
      const answer = await h.api("east", "POST", `/v3/product/${uid}/action/CANCEL_NOW`);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.message, `Action [CANCEL_NOW Service ${uid}] has been done.`);
      assert.equal("data" in answer.body, false);
      const vxc = (await h.api("east", "GET", `/v2/product/${uid}`)).body.data;
      assert.equal(vxc.provisioningStatus, "DECOMMISSIONED");
      assert.deepEqual(plain(vxc.resources.vll), []);
      assert.equal((await h.buy("east", key, { aEnd: { vlan: 321 } })).status, 200);
    });

    it("CANCEL → CANCELLED, UN_CANCEL restores it; safe_delete/safeDelete accepted", async () => {
      const uid = await h.buyUid("east", await h.createKey("west"));
      await h.advance(2 * DELAY);
      assert.equal(
        (await h.api("east", "POST", `/v3/product/${uid}/action/CANCEL?safe_delete=true`)).status,
        200,
      );
      assert.equal(await status(uid), "CANCELLED");
      assert.equal((await h.api("east", "POST", `/v3/product/${uid}/action/UN_CANCEL`)).status, 200);
      assert.equal(await status(uid), "LIVE");
      assert.equal(
        (await h.api("east", "POST", `/v3/product/${uid}/action/CANCEL_NOW?safeDelete=true`)).status,
        200,
      );
    });

    it("the key owner may cancel its B-End side; a third company may not; unknown products are 404", async () => {
      const uid = await h.buyUid("east", await h.createKey("west"));
      assert.equal((await h.api("north", "POST", `/v3/product/${uid}/action/CANCEL_NOW`)).status, 403);
      assert.equal((await h.api("west", "POST", `/v3/product/${uid}/action/CANCEL_NOW`)).status, 200);
      assert.equal(await status(uid), "DECOMMISSIONED");
      const unknown = await h.api(
        "east",
        "POST",
        "/v3/product/00000000-0000-4000-8000-000000000000/action/CANCEL_NOW",
      );
      assert.equal(unknown.status, 404);
    });

    it("safeDelete refuses to cancel a port with VXCs attached", async () => {
      await h.buyUid("east", await h.createKey("west"));
      const port = h.account("east").products.port1G;
      const answer = await h.api("east", "POST", `/v3/product/${port}/action/CANCEL_NOW?safeDelete=true`);
      assert.equal(answer.status, 400);
      assert.equal((await h.api("east", "GET", `/v2/product/${port}`)).body.data.provisioningStatus, "LIVE");
    });
  });

  describe("PUT /v3/product/vxc/{uid}", () => {
    it("partially updates name, rateLimit, costCentre, shutdown, term and aEndVlan; answers the GET shape", async () => {
      const uid = await h.buyUid("east", await h.createKey("west", { maxSpeed: 500 }));
      const answer = await h.api("east", "PUT", `/v3/product/vxc/${uid}`, {
        name: "renamed",
        rateLimit: 500,
        costCentre: "cc",
        shutdown: true,
        term: 12,
        aEndVlan: 999,
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.data.productName, "renamed");
      assert.equal(answer.body.data.rateLimit, 500);
      assert.equal(answer.body.data.costCentre, "cc");
      assert.equal(answer.body.data.shutdown, true);
      assert.equal(answer.body.data.contractTermMonths, 12);
      assert.equal(answer.body.data.aEnd.vlan, 999);
      assert.equal(answer.body.data.productType, "VXC");
      const untag = await h.api("east", "PUT", `/v3/product/vxc/${uid}`, { aEndVlan: -1 });
      assert.equal(untag.body.data.aEnd.vlan, null);
    });

    it("rejects a rateLimit above the key's maxSpeed and changes nothing", async () => {
      const uid = await h.buyUid("east", await h.createKey("west", { maxSpeed: 500 }));
      const answer = await h.api("east", "PUT", `/v3/product/vxc/${uid}`, { name: "x", rateLimit: 501 });
      assert.equal(answer.status, 400);
      assert.match(text(answer.body.data), /exceeds the service key's maximum of 500 Mbps/);
      assert.equal(
        (await h.api("east", "GET", `/v2/product/${uid}`)).body.data.productName,
        "Service key VXC",
      );
    });

    it("403 Only B end owner can change B VLAN for the consumer; the owner can", async () => {
      const uid = await h.buyUid("east", await h.createKey("west"));
      const answer = await h.api("east", "PUT", `/v3/product/vxc/${uid}`, { bEndVlan: 500 });
      assert.equal(answer.status, 403);
      assert.equal(answer.body.message, "Only B end owner can change B VLAN");
      const owner = await h.api("west", "PUT", `/v3/product/vxc/${uid}`, { bEndVlan: 500 });
      assert.equal(owner.status, 200);
      assert.equal(owner.body.data.bEnd.vlan, 500);
    });

    it("400 for network changes while pending approval; name still changes", async () => {
      const { uid } = await pendingVxc();
      const answer = await h.api("east", "PUT", `/v3/product/vxc/${uid}`, { rateLimit: 50 });
      assert.equal(answer.status, 400);
      assert.match(text(answer.body.data), /awaiting approval/);
      assert.equal((await h.api("east", "PUT", `/v3/product/vxc/${uid}`, { name: "n" })).status, 200);
    });

    it("isApproved:true by the key owner approves; by the consumer it is 403", async () => {
      const { uid } = await pendingVxc();
      assert.equal((await h.api("east", "PUT", `/v3/product/vxc/${uid}`, { isApproved: true })).status, 403);
      const answer = await h.api("west", "PUT", `/v3/product/vxc/${uid}`, { isApproved: true });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.data.vxcApproval.status, "APPROVED");
    });

    it("isApproved:false rejects → FAILED", async () => {
      const { uid } = await pendingVxc();
      await h.api("west", "PUT", `/v3/product/vxc/${uid}`, { isApproved: false });
      assert.equal(await status(uid), "FAILED");
    });

    it("a third company cannot update; an unknown VXC is 404", async () => {
      const uid = await h.buyUid("east", await h.createKey("west"));
      assert.equal((await h.api("north", "PUT", `/v3/product/vxc/${uid}`, { name: "x" })).status, 403);
      assert.equal(
        (await h.api("east", "PUT", "/v3/product/vxc/00000000-0000-4000-8000-000000000000", { name: "x" }))
          .status,
        404,
      );
    });
  });

  describe("order approvals", () => {
    it("creates one record per unapproved order with the documented fields and the VXC uid extension", async () => {
      const { uid, approvalUid } = await pendingVxc();
      const vxc = (await h.api("east", "GET", `/v2/product/${uid}`)).body.data;
      const [record] = list((await h.api("west", "GET", "/v3/order_approvals")).body.data);
      assert.equal(record.uid, approvalUid);
      assert.equal(record.status, "PENDING");
      assert.equal(record.type, "NEW_ORDER");
      assert.equal(record.active, true);
      assert.equal(record.acctName, "East Company");
      assert.equal(record.serviceId, vxc.productId);
      assert.equal(record.productUid, uid);
      assert.equal(typeof record.createDate, "number");
      assert.equal(record.detail.requesterCompanyId, record.requesterCompanyId);
    });

    it("lists for approver and requester only, with filters and pagination headers", async () => {
      await pendingVxc();
      const second = await pendingVxc();
      await h.api("west", "POST", `/v3/order_approvals/${second.approvalUid}/approve`);
      assert.equal(list((await h.api("east", "GET", "/v3/order_approvals")).body.data).length, 2);
      assert.equal(list((await h.api("north", "GET", "/v3/order_approvals")).body.data).length, 0);
      const pending = await h.api("west", "GET", "/v3/order_approvals?status=PENDING");
      assert.equal(list(pending.body.data).length, 1);
      const serviceId = (await h.api("east", "GET", `/v2/product/${second.uid}`)).body.data.productId;
      const byService = await h.api("west", "GET", `/v3/order_approvals?serviceIds=${serviceId},1`);
      assert.equal(list(byService.body.data).length, 1);
      assert.equal(byService.body.data[0].productUid, second.uid);
      const paged = await h.api(
        "west",
        "GET",
        "/v3/order_approvals?pageNumber=2&pageSize=1&sort=createDate&direction=ASC",
      );
      assert.equal(list(paged.body.data).length, 1);
      assert.equal(paged.headers["pagination-total-count"], "2");
      assert.equal(paged.headers["pagination-page"], "2");
      assert.equal(paged.headers["pagination-limit"], "1");
      assert.equal(paged.headers["pagination-total-page"], "2");
      assert.equal(paged.body.data[0].uid, second.approvalUid);
    });

    it("only the approver approves or rejects, only the requester withdraws (403 otherwise)", async () => {
      const { approvalUid } = await pendingVxc();
      assert.equal((await h.api("east", "POST", `/v3/order_approvals/${approvalUid}/approve`)).status, 403);
      assert.equal((await h.api("north", "POST", `/v3/order_approvals/${approvalUid}/reject`)).status, 403);
      assert.equal((await h.api("west", "POST", `/v3/order_approvals/${approvalUid}/withdraw`)).status, 403);
      const withdrawn = await h.api("east", "POST", `/v3/order_approvals/${approvalUid}/withdraw`);
      assert.equal(withdrawn.body.data, "Order request withdrawn successfully");
    });

    it("approving an approved order succeeds; acting on a rejected or withdrawn one is 400", async () => {
      const a = await pendingVxc();
      assert.equal((await h.api("west", "POST", `/v3/order_approvals/${a.approvalUid}/approve`)).status, 200);
      assert.equal((await h.api("west", "POST", `/v3/order_approvals/${a.approvalUid}/approve`)).status, 200);
      const b = await pendingVxc();
      await h.api("west", "POST", `/v3/order_approvals/${b.approvalUid}/reject`);
      assert.equal((await h.api("west", "POST", `/v3/order_approvals/${b.approvalUid}/approve`)).status, 400);
      const c = await pendingVxc();
      await h.api("east", "POST", `/v3/order_approvals/${c.approvalUid}/withdraw`);
      assert.equal((await h.api("west", "POST", `/v3/order_approvals/${c.approvalUid}/reject`)).status, 400);
      assert.equal(await status(c.uid), "FAILED");
    });

    it("unknown approvals are 404", async () => {
      const answer = await h.api(
        "west",
        "POST",
        "/v3/order_approvals/00000000-0000-4000-8000-000000000000/approve",
      );
      assert.equal(answer.status, 404);
    });
  });
});
