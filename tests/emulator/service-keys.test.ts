import assert from "node:assert/strict";
import { Harness, http, list, plain, text } from "./harness";

// docs/megaport-api.md, "Service keys".
describe("emulator: service keys", () => {
  let h: Harness;
  let westPort: string;
  before(async () => {
    h = await Harness.start();
    westPort = h.account("west").products.port1G;
  });
  beforeEach(() => h.reset());
  after(() => h.close());

  it("creates a key with the full documented shape, productDto included, and active defaulting to true", async () => {
    const answer = await h.api("west", "POST", "/v2/service/key", {
      productUid: westPort,
      singleUse: false,
      maxSpeed: 500,
    });
    assert.equal(answer.status, 200);
    const key = answer.body.data;
    assert.match(text(key.key), /^[0-9a-f-]{36}$/);
    assert.equal(answer.body.message, `New service key [${text(key.key).slice(0, 8)}] generated`);
    assert.equal(key.active, true);
    assert.equal(key.valid, true);
    assert.equal(key.expired, false);
    assert.equal(key.companyName, "West Company");
    assert.equal(key.productName, "West Port 1G");
    assert.equal(key.vlan, null);
    assert.equal(key.description, null);
    assert.equal(key.lastUsed, null);
    assert.equal(key.promoCode, null);
    assert.equal(key.productDto.productType, "MEGAPORT");
    assert.equal(key.productDto.vxcpermitted, true);
    assert.equal(typeof key.validFor.start, "number");
    assert.ok(
      Number(key.validFor.end) > Date.now() + 50 * 365 * 86400_000,
      "default end is far in the future",
    );
  });

  it("accepts productId instead of productUid and coerces numeric strings", async () => {
    const productId = (await h.api("west", "GET", `/v2/product/${westPort}`)).body.data.productId;
    const answer = await h.api("west", "POST", "/v2/service/key", {
      productId: String(productId),
      maxSpeed: "500",
      singleUse: false,
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.data.maxSpeed, 500);
    assert.equal(answer.body.data.productUid, westPort);
  });

  it("ignores the stray capital-V ValidFor and reads validFor case-sensitively", async () => {
    const answer = await h.api("west", "POST", "/v2/service/key", {
      productUid: westPort,
      maxSpeed: 500,
      validFor: { start: 1735689600000, end: 4102444700000 },
      ValidFor: { start: "2025-01-01T00:00:00Z", end: "2026-12-31T23:59:59Z" },
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(plain(answer.body.data.validFor), { start: 1735689600000, end: 4102444700000 });
  });

  it("keeps active:false when sent", async () => {
    const key = await h.createKey("west", { active: false });
    assert.equal(key.view.active, false);
    assert.equal(key.view.valid, false);
  });

  it("requires a VLAN 2-4093 on single-use keys", async () => {
    const missing = await h.api("west", "POST", "/v2/service/key", {
      productUid: westPort,
      singleUse: true,
      maxSpeed: 100,
    });
    assert.equal(missing.status, 400);
    assert.match(text(missing.body.data), /VLAN is required/);
    const outOfRange = await h.api("west", "POST", "/v2/service/key", {
      productUid: westPort,
      singleUse: true,
      vlan: 4094,
    });
    assert.equal(outOfRange.status, 400);
    assert.match(text(outOfRange.body.data), /4094/);
  });

  it("rejects a VLAN already taken on the product, naming it", async () => {
    await h.createKey("west", { singleUse: true, vlan: 100 });
    const clash = await h.api("west", "POST", "/v2/service/key", {
      productUid: westPort,
      singleUse: true,
      vlan: 100,
      maxSpeed: 100,
    });
    assert.equal(clash.status, 400);
    assert.equal(clash.body.message, "Validation failed");
    assert.match(text(clash.body.data), /^VLAN 100 is not available on MEGAPORT service \d+$/);
    const otherProduct = await h.createKey("west", {
      productUid: h.account("west").products.port10G,
      singleUse: true,
      vlan: 100,
    });
    assert.equal(otherProduct.view.vlan, 100);
  });

  it("rejects a VLAN used by a VXC B-End on the product", async () => {
    const multi = await h.createKey("west", { singleUse: false });
    const uid = await h.buyUid("east", multi, { bEnd: { productUid: multi.productUid, vlan: 777 } });
    const vxc = (await h.api("east", "GET", `/v2/product/${uid}`)).body.data;
    assert.equal(vxc.bEnd.vlan, 777);
    const clash = await h.api("west", "POST", "/v2/service/key", {
      productUid: westPort,
      singleUse: true,
      vlan: 777,
      maxSpeed: 100,
    });
    assert.equal(clash.status, 400);
    assert.match(text(clash.body.data), /VLAN 777 is not available/);
  });

  it("rejects a VLAN on a multi-use key", async () => {
    const answer = await h.api("west", "POST", "/v2/service/key", {
      productUid: westPort,
      singleUse: false,
      vlan: 200,
    });
    assert.equal(answer.status, 400);
    assert.match(text(answer.body.data), /single-use/);
  });

  it("bounds maxSpeed by the product speed (portSpeed, or maxVxcSpeed for MCR/MVE)", async () => {
    const tooFast = await h.api("west", "POST", "/v2/service/key", { productUid: westPort, maxSpeed: 1001 });
    assert.equal(tooFast.status, 400);
    assert.match(text(tooFast.body.data), /1000/);
    const negative = await h.api("west", "POST", "/v2/service/key", { productUid: westPort, maxSpeed: -5 });
    assert.equal(negative.status, 400);
    const mcr = h.account("west").products.mcr;
    assert.equal(
      (await h.api("west", "POST", "/v2/service/key", { productUid: mcr, maxSpeed: 5001 })).status,
      400,
    );
    assert.equal(
      (await h.api("west", "POST", "/v2/service/key", { productUid: mcr, maxSpeed: 5000 })).status,
      200,
    );
    const mve = h.account("west").products.mve;
    assert.equal(
      (await h.api("west", "POST", "/v2/service/key", { productUid: mve, maxSpeed: 10000 })).status,
      200,
    );
  });

  it("normalises an unset maxSpeed (Go sends 0) to the product speed", async () => {
    const answer = await h.api("west", "POST", "/v2/service/key", {
      productUid: h.account("west").products.port10G,
      maxSpeed: 0,
    });
    assert.equal(answer.body.data.maxSpeed, 10000);
  });

  it("answers 403 for a key on another company's product and 404 for an unknown product", async () => {
    const foreign = await h.api("east", "POST", "/v2/service/key", { productUid: westPort, maxSpeed: 100 });
    assert.equal(foreign.status, 403);
    const unknown = await h.api("east", "POST", "/v2/service/key", {
      productUid: "00000000-0000-4000-8000-000000000000",
    });
    assert.equal(unknown.status, 404);
  });

  it("requires validFor.end after validFor.start", async () => {
    const answer = await h.api("west", "POST", "/v2/service/key", {
      productUid: westPort,
      validFor: { start: 2000, end: 1000 },
    });
    assert.equal(answer.status, 400);
    assert.match(text(answer.body.data), /validFor/);
  });

  it("lists own keys, by product and by company, and refuses another company's list", async () => {
    await h.createKey("west");
    await h.createKey("west", { productUid: h.account("west").products.port10G });
    await h.createKey("east", { productUid: h.account("east").products.port1G });
    const all = await h.api("west", "GET", "/v2/service/key");
    assert.equal(list(all.body.data).length, 2);
    assert.match(text(all.body.message), /^Found \[2\] service keys for company \[\d+\]$/);
    const byProduct = await h.api("west", "GET", `/v2/service/key?productIdOrUid=${westPort}`);
    assert.equal(list(byProduct.body.data).length, 1);
    const byCompany = await h.api(
      "west",
      "GET",
      `/v2/service/key?companyIdOrUid=${h.account("west").companyUid}`,
    );
    assert.equal(list(byCompany.body.data).length, 2);
    assert.equal((await h.api("east", "GET", `/v2/service/key?productIdOrUid=${westPort}`)).status, 403);
    assert.equal(
      (await h.api("east", "GET", `/v2/service/key?companyIdOrUid=${h.account("west").companyUid}`)).status,
      403,
    );
  });

  it("looks a key up by full key or 8-char prefix across companies, returning one object", async () => {
    const key = await h.createKey("west", { description: "for east" });
    const full = await h.api("east", "GET", `/v2/service/key?key=${key.key}`);
    assert.equal(full.status, 200);
    assert.equal(Array.isArray(full.body.data), false);
    assert.equal(full.body.data.key, key.key);
    assert.equal(full.body.data.companyName, "West Company");
    assert.deepEqual(plain(full.body.data.productDto.associatedVxcs), []);
    const prefix = await h.api("east", "GET", `/v2/service/key?key=${key.key.slice(0, 8)}`);
    assert.equal(prefix.body.data.key, key.key);
    assert.equal(prefix.body.message, `Found service key [${key.key.slice(0, 8)}]`);
  });

  it("serves the Go SDK's percent-encoded look-up path /v2/service/key%3Fkey=<key>", async () => {
    const key = await h.createKey("west");
    const token = await h.token("east");
    const answer = await http(h.url, "GET", `/v2/service/key%3Fkey=${key.key}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.data.key, key.key);
  });

  it("answers 404 in the envelope for an unknown key, without echoing it", async () => {
    const unknown = "deadbeef-0000-4000-8000-000000000000";
    const answer = await h.api("east", "GET", `/v2/service/key?key=${unknown}`);
    assert.equal(answer.status, 404);
    assert.equal(typeof answer.body.data, "string");
    assert.doesNotMatch(JSON.stringify(answer.body), /deadbeef-0000/);
  });

  it("PUT replaces: description → null, maxSpeed → product speed, vlan → null, preApproved → null, validFor kept", async () => {
    const key = await h.createKey("west", {
      singleUse: true,
      vlan: 300,
      description: "d",
      maxSpeed: 500,
      preApproved: true,
      validFor: { start: 1735689600000, end: 4102444700000 },
    });
    const answer = await h.api("west", "PUT", "/v2/service/key", {
      key: key.key,
      productUid: westPort,
      singleUse: true,
      active: true,
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.message, `Service key [${key.key.slice(0, 8)}] updated`);
    const updated = answer.body.data;
    assert.equal(updated.description, null);
    assert.equal(updated.maxSpeed, 1000);
    assert.equal(updated.vlan, null);
    assert.equal(updated.preApproved, null);
    assert.equal(updated.singleUse, true);
    assert.equal(updated.active, true);
    assert.deepEqual(plain(updated.validFor), { start: 1735689600000, end: 4102444700000 });
  });

  it("PUT takes singleUse and active as sent: omitting them turns both off (ESD-1417)", async () => {
    const key = await h.createKey("west", { singleUse: true, vlan: 301 });
    const answer = await h.api("west", "PUT", "/v2/service/key", { key: key.key });
    assert.equal(answer.body.data.active, false);
    assert.equal(answer.body.data.singleUse, false);
  });

  it("PUT keeps a single-use VLAN when given, and deactivates/reactivates", async () => {
    const key = await h.createKey("west", { singleUse: true, vlan: 302 });
    const off = await h.api("west", "PUT", "/v2/service/key", {
      key: key.key,
      singleUse: true,
      vlan: 302,
      active: false,
    });
    assert.equal(off.body.data.vlan, 302);
    assert.equal(off.body.data.active, false);
    assert.equal(off.body.data.valid, false);
    const on = await h.api("west", "PUT", "/v2/service/key", {
      key: key.key,
      singleUse: true,
      vlan: 302,
      active: true,
    });
    assert.equal(on.body.data.valid, true);
  });

  it("a deactivated key gives its VLAN back; reactivating checks the VLAN again", async () => {
    const old = await h.createKey("west", { singleUse: true, vlan: 303 });
    await h.api("west", "PUT", "/v2/service/key", {
      key: old.key,
      singleUse: true,
      vlan: 303,
      active: false,
    });
    const successor = await h.createKey("west", { singleUse: true, vlan: 303 });
    assert.equal(successor.view.vlan, 303, "the replacement key takes the VLAN");
    const reactivate = await h.api("west", "PUT", "/v2/service/key", {
      key: old.key,
      singleUse: true,
      vlan: 303,
      active: true,
    });
    assert.equal(reactivate.status, 400);
    assert.match(text(reactivate.body.data), /^VLAN 303 is not available/);
  });

  it("reactivating a consumed single-use key does not clash with its own VXC's B-End VLAN", async () => {
    const key = await h.createKey("west", { singleUse: true, vlan: 304, preApproved: true });
    await h.buyUid("east", key);
    const update = (active: boolean) =>
      h.api("west", "PUT", "/v2/service/key", { key: key.key, singleUse: true, vlan: 304, active });
    assert.equal((await update(false)).status, 200);
    const on = await update(true);
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.equal(on.body.data.vlan, 304);
  });

  it("PUT by a non-owner is 403 and changes nothing; an unknown key is 404", async () => {
    const key = await h.createKey("west", { description: "keep" });
    const answer = await h.api("east", "PUT", "/v2/service/key", { key: key.key, active: false });
    assert.equal(answer.status, 403);
    const after = await h.api("west", "GET", `/v2/service/key?key=${key.key}`);
    assert.equal(after.body.data.active, true);
    assert.equal(after.body.data.description, "keep");
    const unknown = await h.api("west", "PUT", "/v2/service/key", {
      key: "00000000-0000-4000-8000-000000000000",
      active: true,
    });
    assert.equal(unknown.status, 404);
  });

  it("computes expired and valid on the emulator clock, and valid=false before the window starts", async () => {
    const now = Date.now();
    const key = await h.createKey("west", { validFor: { start: now - 1000, end: now + 3_600_000 } });
    assert.equal(key.view.valid, true);
    await h.advance(3_700_000);
    const later = (await h.api("west", "GET", `/v2/service/key?key=${key.key}`)).body.data;
    assert.equal(later.expired, true);
    assert.equal(later.valid, false);
    assert.equal(later.active, true);
    const future = await h.createKey("west", {
      validFor: { start: Date.now() + 10 * 86400_000, end: Date.now() + 20 * 86400_000 },
    });
    assert.equal(future.view.valid, false);
    assert.equal(future.view.expired, false);
  });

  it("sets lastUsed on a buy and makes a single-use key invalid after one VXC", async () => {
    const key = await h.createKey("west", { singleUse: true, vlan: 310 });
    await h.buyUid("east", key);
    const after = (await h.api("west", "GET", `/v2/service/key?key=${key.key}`)).body.data;
    assert.equal(typeof after.lastUsed, "number");
    assert.equal(after.valid, false);
    assert.equal(after.active, true);
  });

  it("legacy GET /v2/service/key/validate answers a boolean", async () => {
    const key = await h.createKey("west");
    const answer = await h.api("east", "GET", `/v2/service/key/validate?key=${key.key}`);
    assert.equal(answer.body.data, true);
  });
});
