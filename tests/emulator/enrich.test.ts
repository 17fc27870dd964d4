import assert from "node:assert/strict";
import { Harness, list, text } from "./harness";

describe("emulator: enriched answers (docs/megaport-api-variance.md)", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ enrich: true, provisioningDelayMs: 20 });
  });
  beforeEach(() => h.reset());
  after(() => h.close());

  it("a key: unknown fields everywhere, productDto numbers as strings and dates as ISO, key fields untouched", async () => {
    const key = await h.createKey("east", { maxSpeed: 300 });
    const answer = await h.api("west", "GET", `/v2/service/key?key=${key.key}`);
    assert.equal(answer.status, 200);
    const data = answer.body.data;
    assert.equal(answer.body.emulatorEnriched, true);
    assert.equal(data.emulatorEnriched, true);
    assert.equal(data.validFor.emulatorEnriched, true);
    // megaportgo decodes these into int, bool and Time (epoch ms): left as they are.
    assert.equal(data.maxSpeed, 300);
    assert.equal(typeof data.createDate, "number");
    assert.equal(typeof data.validFor.start, "number");
    assert.equal(data.singleUse, false);
    // megaportgo's ServiceKey has no productDto: anything goes there.
    assert.equal(typeof data.productId, "number");
    assert.equal(data.productDto.productId, String(data.productId));
    assert.equal(data.productDto.portSpeed, "1000");
    assert.match(text(data.productDto.createDate), /^\d{4}-\d{2}-\d{2}T/);
    assert.equal(data.productDto.associatedVxcs, null, "empty arrays become null");
    assert.deepEqual(data.productDto.attributeTags, {}, "string maps gain no fields");
  });

  it("an empty list answers data: null; errors keep their data and gain envelope fields only", async () => {
    const keys = await h.api("north", "GET", "/v2/service/key");
    assert.equal(keys.status, 200);
    assert.equal(keys.body.data, null);
    const missing = await h.api("west", "GET", "/v2/product/no-such-product");
    assert.equal(missing.status, 404);
    assert.equal(typeof missing.body.data, "string");
    assert.equal(missing.body.emulatorEnriched, true);
  });

  it("validate: numbers as strings; buy: only vxcJTechnicalServiceUid kept, createDate as ISO", async () => {
    const key = await h.createKey("west", { maxSpeed: 500 });
    const validated = await h.api("east", "POST", "/v3/networkdesign/validate", h.design("east", key));
    assert.equal(validated.status, 200);
    assert.equal(typeof list(validated.body.data)[0].price.monthlyRate, "string");
    const bought = await h.buy("east", key);
    assert.equal(bought.status, 200);
    const item = list(bought.body.data)[0];
    assert.match(text(item.vxcJTechnicalServiceUid), /^[0-9a-f-]{36}$/);
    assert.equal(typeof item.speed, "string");
    assert.match(text(item.createDate), /^\d{4}-\d{2}-\d{2}T/);
  });

  it("a VXC: terminateDate as ISO once cancelled, vll [] as null; the fields megaportgo decodes stay numbers", async () => {
    const key = await h.createKey("west", { maxSpeed: 500 });
    const uid = await h.buyUid("east", key);
    assert.equal((await h.api("east", "POST", `/v3/product/${uid}/action/CANCEL_NOW`)).status, 200);
    const vxc = (await h.api("east", "GET", `/v2/product/${uid}`)).body.data;
    assert.equal(vxc.provisioningStatus, "DECOMMISSIONED");
    assert.match(text(vxc.terminateDate), /^\d{4}-\d{2}-\d{2}T/);
    assert.equal(vxc.resources.vll, null);
    assert.equal(vxc.rateLimit, 100);
    assert.equal(typeof vxc.createDate, "number");
  });

  it("the admin toggle switches the mode at run time and the state shows it", async () => {
    try {
      assert.deepEqual((await h.admin("POST", "/enrich", { enabled: false })).body, { enrich: false });
      const plainKeys = await h.api("north", "GET", "/v2/service/key");
      assert.deepEqual(plainKeys.body.data, []);
      assert.equal(plainKeys.body.emulatorEnriched, undefined);
      assert.equal((await h.admin("GET", "/state")).body.enrich, false);
      assert.equal((await h.admin("POST", "/enrich", { enabled: "yes" })).status, 400);
    } finally {
      await h.admin("POST", "/enrich", { enabled: true });
    }
    assert.equal((await h.api("north", "GET", "/v2/service/key")).body.data, null);
  });
});
