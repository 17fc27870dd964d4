import assert from "node:assert/strict";
import { Harness, list, text } from "./harness";

// docs/megaport-api.md, "Validate and buy".
describe("emulator: network design validate and buy", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  after(() => h.close());

  async function validate(vxc: Record<string, unknown>, key?: { key: string; productUid: string }) {
    const used = key ?? (await h.createKey("west", { maxSpeed: 500 }));
    return h.api("east", "POST", "/v3/networkdesign/validate", h.design("east", used, vxc));
  }

  async function reason(
    vxc: Record<string, unknown>,
    key?: { key: string; productUid: string },
  ): Promise<string> {
    const answer = await validate(vxc, key);
    assert.equal(answer.status, 400, JSON.stringify(answer.body));
    assert.equal(answer.body.message, "Validation failed");
    return text(answer.body.data);
  }

  it("validates a correct order: Validation passed with a price per VXC", async () => {
    const answer = await validate({});
    assert.equal(answer.status, 200);
    assert.equal(answer.body.message, "Validation passed");
    assert.equal(list(answer.body.data).length, 1);
    assert.equal(answer.body.data[0].productType, "VXC");
    assert.equal(answer.body.data[0].price.currency, "USD");
  });

  it("validate changes nothing: no VXC, the single-use key stays unused", async () => {
    const key = await h.createKey("west", { singleUse: true, vlan: 50 });
    assert.equal((await validate({}, key)).status, 200);
    const state = (await h.admin("GET", "/state")).body;
    assert.equal(list(state.vxcs).length, 0);
    assert.equal((await h.api("west", "GET", `/v2/service/key?key=${key.key}`)).body.data.valid, true);
  });

  it("requires the B-End product: Valid B-End is required", async () => {
    assert.equal(await reason({ bEnd: {} }), "Valid B-End is required");
    assert.equal(await reason({ bEnd: null }), "Valid B-End is required");
  });

  it("requires the B-End to be the key's product", async () => {
    assert.match(
      await reason({ bEnd: { productUid: h.account("west").products.port10G } }),
      /Valid B-End is required: B-End/,
    );
  });

  it("rejects an unknown key without echoing it", async () => {
    const data = await reason(
      {},
      { key: "11111111-2222-4333-8444-555555555555", productUid: h.account("west").products.port1G },
    );
    assert.match(data, /service key is not valid/);
    assert.doesNotMatch(data, /11111111/);
  });

  it("rejects an inactive key", async () => {
    const key = await h.createKey("west", { active: false });
    assert.match(await reason({}, key), /not active/);
  });

  it("rejects a key outside its window (not yet valid, and expired)", async () => {
    const future = await h.createKey("west", {
      validFor: { start: Date.now() + 86400_000, end: Date.now() + 2 * 86400_000 },
    });
    assert.match(await reason({}, future), /not valid yet/);
    const soon = await h.createKey("west", {
      validFor: { start: Date.now() - 1000, end: Date.now() + 60_000 },
    });
    await h.advance(120_000);
    assert.match(await reason({}, soon), /expired/);
  });

  it("rejects a consumed single-use key", async () => {
    const key = await h.createKey("west", { singleUse: true, vlan: 60 });
    await h.buyUid("east", key);
    assert.match(await reason({}, key), /already been used/);
  });

  it("bounds rateLimit to 1..key.maxSpeed, with the message naming both numbers", async () => {
    assert.equal(
      await reason({ rateLimit: 1000 }),
      "rateLimit 1000 exceeds the service key's maximum of 500 Mbps",
    );
    assert.match(await reason({ rateLimit: 0 }), /at least 1/);
    assert.match(await reason({ rateLimit: undefined }), /rateLimit is required/);
    assert.equal((await validate({ rateLimit: "500" })).status, 200, "numeric strings are coerced");
  });

  it("requires the A-End product to exist and belong to the caller", async () => {
    assert.match(await reason({ aEnd: { productUid: "00000000-0000-4000-8000-000000000000" } }), /A-End/);
    const foreign = h.account("north").products.port1G;
    assert.match(await reason({ aEnd: { productUid: foreign } }), /does not belong to your company/);
  });

  it("checks the A-End VLAN: 2-4093, 0 allocates, -1 untagged, and it must be free", async () => {
    assert.match(await reason({ aEnd: { vlan: 1 } }), /A-End VLAN 1 is out of range/);
    assert.match(await reason({ aEnd: { vlan: 4094 } }), /out of range/);
    assert.equal((await validate({ aEnd: { vlan: -1 } })).status, 200);
    const key = await h.createKey("west");
    await h.buyUid("east", key, { aEnd: { vlan: 123 } });
    assert.match(
      await reason({ aEnd: { vlan: 123 } }, key),
      /^VLAN 123 is not available on MEGAPORT service \d+$/,
    );
  });

  it("checks the term (1, 12, 24, 36, 48, 60; default 1), costCentre length and productName", async () => {
    assert.match(await reason({ term: 7 }), /term 7/);
    assert.equal((await validate({ term: 36 })).status, 200);
    assert.match(await reason({ costCentre: "c".repeat(256) }), /costCentre/);
    assert.match(await reason({ productName: "" }), /productName is required/);
    const uid = await h.buyUid("east", await h.createKey("west"), { term: undefined });
    assert.equal((await h.api("east", "GET", `/v2/product/${uid}`)).body.data.contractTermMonths, 1);
  });

  it("buys with /v4 {networkDesign, discountCodes}: VXC [uid] created. and the documented order fields", async () => {
    const key = await h.createKey("west", { singleUse: true, vlan: 373, preApproved: true });
    const answer = await h.buy("east", key, { aEnd: { vlan: 2 }, costCentre: "cc-1" });
    assert.equal(answer.status, 200);
    const order = answer.body.data[0];
    assert.equal(answer.body.message, `VXC [${text(order.vxcJTechnicalServiceUid)}] created.`);
    assert.equal(order.payerVlanId, 2);
    assert.equal(order.nonPayerVlanId, 373);
    assert.equal(order.payerStatus, "APPROVED");
    assert.equal(order.nonPayerStatus, "APPROVED");
    assert.equal(order.fullyApproved, true);
    assert.equal(order.orderType, "NEW");
    assert.equal(order.payerCompanyName, "East Company");
    assert.equal(order.nonPayerCompanyName, "West Company");
    assert.equal(order.costCentre, "cc-1");
    assert.equal(order.vxc.provisioningStatus, "DEPLOYABLE");
  });

  it("buys with /v3 and a bare array", async () => {
    const key = await h.createKey("west");
    const answer = await h.api("east", "POST", "/v3/networkdesign/buy", h.design("east", key));
    assert.equal(answer.status, 200);
    assert.match(text(answer.body.data[0].vxcJTechnicalServiceUid), /^[0-9a-f-]{36}$/);
  });

  it("a key that is not pre-approved gives a pending order (fullyApproved false)", async () => {
    const key = await h.createKey("west", { preApproved: false });
    const order = (await h.buy("east", key)).body.data[0];
    assert.equal(order.fullyApproved, false);
    assert.equal(order.nonPayerStatus, "PENDING");
    assert.equal(order.vxc.vxcApproval.status, "PENDING_EXTERNAL");
  });

  it("allocates a free A-End VLAN for 0 and never reuses one", async () => {
    const key = await h.createKey("west");
    const first = (await h.buy("east", key)).body.data[0].payerVlanId;
    const second = (await h.buy("east", key)).body.data[0].payerVlanId;
    assert.equal(typeof first, "number");
    assert.notEqual(first, second);
  });

  it("a failing VXC in a multi-VXC design commits nothing", async () => {
    const good = await h.createKey("west");
    const design = h.design("east", good);
    const firstOrder = design[0].associatedVxcs[0];
    design[0].associatedVxcs.push({ ...firstOrder, rateLimit: 100000 });
    const answer = await h.api("east", "POST", "/v3/networkdesign/buy", design);
    assert.equal(answer.status, 400);
    assert.equal(list((await h.admin("GET", "/state")).body.vxcs).length, 0);
  });

  it("50 parallel buys racing for one single-use key create exactly one VXC", async () => {
    const key = await h.createKey("west", { singleUse: true, vlan: 900 });
    await h.token("east");
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.buy("east", key)));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    assert.equal(answers.filter((a) => a.status === 400).length, 49);
    const vxcs = list((await h.admin("GET", "/state")).body.vxcs);
    assert.equal(vxcs.length, 1);
  });
});
