/** Every API area of the SDK against the emulator over real HTTP. */
import assert from "node:assert/strict";
import type { MegaportClient, ServiceKey, VxcOrder } from "../../sdk";
import { MegaportNotFoundError } from "../../sdk";
import { Harness } from "./harness";

describe("sdk: API areas", () => {
  let harness: Harness;
  let owner: MegaportClient;
  let consumer: MegaportClient;

  before(async () => {
    harness = await Harness.start();
    owner = harness.client(harness.east);
    consumer = harness.client(harness.west);
  });

  after(async () => {
    await harness.close();
  });

  function order(key: ServiceKey, vlan: number, name = "b2b"): VxcOrder[] {
    return [
      {
        productUid: harness.west.products.port1G,
        associatedVxcs: [
          {
            productName: name,
            rateLimit: 100,
            term: 12,
            shutdown: false,
            serviceKey: key.key,
            aEnd: { vlan },
            bEnd: { productUid: key.productUid },
          },
        ],
      },
    ];
  }

  describe("serviceKeys", () => {
    it("create sends every field, active:false included, and returns the parsed key", async () => {
      const validFor = { start: Date.now() - 1000, end: Date.now() + 86_400_000 };
      const key = await owner.serviceKeys.create({
        productUid: harness.east.products.port1G,
        maxSpeed: 500,
        singleUse: true,
        vlan: 321,
        active: false,
        preApproved: true,
        description: "for west",
        validFor,
      });
      assert.match(key.key, /^[0-9a-f-]{36}$/);
      // An omitted active would have become true (docs/megaport-api.md, "Create").
      assert.equal(key.active, false);
      assert.equal(key.singleUse, true);
      assert.equal(key.vlan, 321);
      assert.equal(key.maxSpeed, 500);
      assert.equal(key.preApproved, true);
      assert.equal(key.description, "for west");
      assert.deepEqual(key.validFor, validFor);
      assert.equal(key.companyUid, harness.east.companyUid);
      assert.equal(key.productDto?.productUid, harness.east.products.port1G);
      assert.equal(key.productDto?.vxcPermitted, true); // read from `vxcpermitted`
    });

    it("get finds a key by its full value and by its 8-character prefix, across companies", async () => {
      const key = await owner.serviceKeys.create({
        productUid: harness.east.products.port10G,
        maxSpeed: 1000,
        singleUse: false,
        active: true,
      });
      const byConsumer = await consumer.serviceKeys.get(key.key);
      assert.equal(byConsumer.key, key.key);
      assert.equal(byConsumer.productUid, harness.east.products.port10G);
      assert.equal(byConsumer.companyName, "East Company");
      const byPrefix = await owner.serviceKeys.get(key.key.slice(0, 8));
      assert.equal(byPrefix.key, key.key);
    });

    it("list returns the caller's keys, optionally those of one product", async () => {
      const mcrKey = await owner.serviceKeys.create({
        productUid: harness.east.products.mcr,
        maxSpeed: 200,
        singleUse: false,
        active: true,
      });
      const all = await owner.serviceKeys.list();
      assert.ok(all.some((k) => k.key === mcrKey.key));
      assert.ok(all.every((k) => k.companyUid === harness.east.companyUid));
      const ofMcr = await owner.serviceKeys.list({ productIdOrUid: harness.east.products.mcr });
      assert.deepEqual(
        ofMcr.map((k) => k.key),
        [mcrKey.key],
      );
      assert.deepEqual(await consumer.serviceKeys.list({ productIdOrUid: harness.west.products.mve }), []);
    });

    it("update is read-merge-write: it keeps singleUse, vlan, maxSpeed and description", async () => {
      const key = await owner.serviceKeys.create({
        productUid: harness.east.products.port1G,
        maxSpeed: 300,
        singleUse: true,
        vlan: 555,
        active: true,
        description: "keep me",
      });
      const deactivated = await owner.serviceKeys.update(key.key, { active: false });
      assert.equal(deactivated.active, false);
      assert.equal(deactivated.singleUse, true);
      assert.equal(deactivated.vlan, 555);
      assert.equal(deactivated.maxSpeed, 300);
      assert.equal(deactivated.description, "keep me");
      const window = { start: Date.now(), end: Date.now() + 3_600_000 };
      const moved = await owner.serviceKeys.update(key.key, { validFor: window });
      assert.equal(moved.active, false, "a validFor change must not reactivate the key");
      assert.deepEqual(moved.validFor, window);
      const reactivated = await owner.serviceKeys.update(key.key, { active: true });
      assert.equal(reactivated.active, true);
      assert.deepEqual(reactivated.validFor, window);
    });
  });

  describe("products", () => {
    it("get returns a port, an MCR and an MVE with one vxcPermitted spelling", async () => {
      const port = await owner.products.get(harness.east.products.port1G);
      assert.equal(port.productType, "MEGAPORT");
      assert.equal(port.portSpeed, 1000);
      assert.equal(port.vxcPermitted, true);
      const mcr = await owner.products.get(harness.east.products.mcr);
      assert.equal(mcr.productType, "MCR2");
      assert.equal(mcr.maxVxcSpeed, 5000);
      const mve = await owner.products.get(harness.east.products.mve);
      assert.equal(mve.productType, "MVE");
      assert.equal(mve.portSpeed, null);
    });

    it("list returns the caller's products", async () => {
      const products = await owner.products.list();
      const uids = products.map((p) => p.productUid).sort();
      assert.deepEqual(uids, Object.values(harness.east.products).sort());
    });

    it("get of an unknown uid throws MegaportNotFoundError", async () => {
      await assert.rejects(owner.products.get("00000000-0000-4000-8000-00000000dead"), MegaportNotFoundError);
    });
  });

  describe("networkDesign, vxcs and orderApprovals", () => {
    let pendingKey: ServiceKey;
    let vxcUid: string;

    before(async () => {
      pendingKey = await owner.serviceKeys.create({
        productUid: harness.east.products.port10G,
        maxSpeed: 1000,
        singleUse: false,
        active: true,
        preApproved: false,
      });
    });

    it("validate returns the price summary of a valid order", async () => {
      const results = await consumer.networkDesign.validate(order(pendingKey, 201));
      assert.equal(results.length, 1);
      assert.equal(results[0].serviceName, "b2b");
      assert.equal(results[0].productType, "VXC");
      assert.equal(Number(results[0].price?.monthlyRate), 10); // a number, or a numeric string when enriched
    });

    it("buy orders a VXC that waits for the key owner's approval", async () => {
      const [result, ...rest] = await consumer.networkDesign.buy(order(pendingKey, 202), []);
      assert.equal(rest.length, 0);
      assert.equal(result.payerVlanId, 202);
      assert.equal(result.fullyApproved, false);
      vxcUid = result.vxcJTechnicalServiceUid;
      const vxc = await consumer.vxcs.get(vxcUid);
      assert.equal(vxc.productUid, vxcUid);
      assert.equal(vxc.provisioningStatus, "DEPLOYABLE");
      assert.equal(vxc.vxcApproval.status, "PENDING_EXTERNAL");
      assert.equal(vxc.vxcApproval.message, "East Company");
      assert.equal(vxc.aEnd.vlan, 202);
      assert.equal(vxc.bEnd.productUid, harness.east.products.port10G);
      assert.equal(vxc.bEnd.ownerUid, harness.east.companyUid);
      assert.equal(vxc.rateLimit, 100);
      assert.equal(vxc.contractTermMonths, 12);
    });

    it("orderApprovals.list pages the owner's pending approvals; approve lets the VXC go LIVE", async () => {
      const page = await owner.orderApprovals.list({ status: "PENDING", pageNumber: 1, pageSize: 10 });
      assert.equal(page.totalCount, 1);
      assert.equal(page.page, 1);
      assert.equal(page.pageSize, 10);
      assert.equal(page.totalPages, 1);
      const approval = page.items[0];
      assert.equal(approval.status, "PENDING");
      assert.equal(approval.type, "NEW_ORDER");
      await owner.orderApprovals.approve(approval.uid, "welcome");
      await owner.orderApprovals.approve(approval.uid); // idempotent
      const seen: string[] = [];
      const live = await consumer.vxcs.waitFor(vxcUid, {
        until: (vxc) => vxc.provisioningStatus === "LIVE",
        timeoutMs: 5000,
        intervalMs: 10,
        onProgress: (vxc) => seen.push(vxc.provisioningStatus),
      });
      assert.equal(live.provisioningStatus, "LIVE");
      assert.equal(seen.at(-1), "LIVE");
      assert.equal((await owner.orderApprovals.list({ status: "PENDING" })).totalCount, 0);
    });

    it("buy carries resourceTags, and products.tags reads them back", async () => {
      const [tagged] = order(pendingKey, 205, "tagged");
      tagged.associatedVxcs[0].resourceTags = [{ key: "team", value: "network" }];
      const [result] = await consumer.networkDesign.buy([tagged]);
      assert.deepEqual(await consumer.products.tags(result.vxcJTechnicalServiceUid), [
        { key: "team", value: "network" },
      ]);
    });

    it("reject and withdraw end pending orders as FAILED", async () => {
      const [rejected] = await consumer.networkDesign.buy(order(pendingKey, 203, "to reject"));
      const [withdrawn] = await consumer.networkDesign.buy(order(pendingKey, 204, "to withdraw"));
      const uidOf = async (client: MegaportClient, vxc: string) => {
        const page = await client.orderApprovals.list({ status: "PENDING" });
        const item = page.items.find((a) => a.referenceId === vxc);
        assert.ok(item, `an approval for ${vxc}`);
        return item.uid;
      };
      await owner.orderApprovals.reject(await uidOf(owner, rejected.vxcJTechnicalServiceUid), "no");
      await consumer.orderApprovals.withdraw(await uidOf(consumer, withdrawn.vxcJTechnicalServiceUid));
      const rejectedVxc = await consumer.vxcs.get(rejected.vxcJTechnicalServiceUid);
      const withdrawnVxc = await consumer.vxcs.get(withdrawn.vxcJTechnicalServiceUid);
      assert.equal(rejectedVxc.provisioningStatus, "FAILED");
      assert.equal(withdrawnVxc.provisioningStatus, "FAILED");
      const serviceIds = [rejectedVxc.productId, withdrawnVxc.productId].map(Number);
      const after = await owner.orderApprovals.list({ serviceIds });
      const statusOf = new Map(after.items.map((a) => [a.serviceId, a.status]));
      assert.equal(statusOf.get(serviceIds[0]), "REJECTED");
      assert.equal(statusOf.get(serviceIds[1]), "WITHDRAWN");
      assert.equal(after.items.length, 2, "both orders are listed");
    });

    it("vxcs.update changes fields and returns the re-read VXC", async () => {
      const updated = await consumer.vxcs.update(vxcUid, {
        name: "renamed",
        rateLimit: 200,
        costCentre: "cc-1",
      });
      assert.equal(updated.productName, "renamed");
      assert.equal(updated.rateLimit, 200);
      assert.equal(updated.costCentre, "cc-1");
    });

    it("vxcs.cancel decommissions (vll: [] tolerated) and is idempotent", async () => {
      await consumer.vxcs.cancel(vxcUid);
      const gone = await consumer.vxcs.get(vxcUid);
      assert.equal(gone.provisioningStatus, "DECOMMISSIONED");
      assert.equal(gone.resources?.vll, null);
      await consumer.vxcs.cancel(vxcUid); // the API answers 400 now; the SDK sees it is done
      await consumer.vxcs.cancel("00000000-0000-4000-8000-00000000dead"); // already gone
    });

    it("vxcs.cancel with CANCEL then UN_CANCEL restores the VXC", async () => {
      const key = await owner.serviceKeys.create({
        productUid: harness.east.products.port1G,
        maxSpeed: 500,
        singleUse: false,
        active: true,
        preApproved: true,
      });
      const [bought] = await consumer.networkDesign.buy(order(key, 210));
      const uid = bought.vxcJTechnicalServiceUid;
      await consumer.vxcs.waitFor(uid, {
        until: (v) => v.provisioningStatus === "LIVE",
        timeoutMs: 5000,
        intervalMs: 10,
      });
      await consumer.vxcs.cancel(uid, "CANCEL");
      assert.equal((await consumer.vxcs.get(uid)).provisioningStatus, "CANCELLED");
      await consumer.vxcs.cancel(uid, "UN_CANCEL");
      assert.notEqual((await consumer.vxcs.get(uid)).provisioningStatus, "CANCELLED");
    });

    it("waitFor stops on abort", async () => {
      const controller = new AbortController();
      const waiting = consumer.vxcs.waitFor(vxcUid, {
        until: () => false,
        timeoutMs: 10_000,
        intervalMs: 20,
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(new Error("stop waiting")), 50);
      await assert.rejects(waiting, /stop waiting/);
    });
  });
});
