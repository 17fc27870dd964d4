import assert from "node:assert/strict";
import { Harness, list, text } from "./harness";

describe("emulator: an MVE A-End needs a vNIC index (docs/megaport-api-variance.md)", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ provisioningDelayMs: 20 });
  });
  beforeEach(() => h.reset());
  after(() => h.close());

  const mve = () => h.account("east").products.mve;

  async function vxcCount(): Promise<number> {
    return list((await h.admin("GET", "/state")).body.vxcs).length;
  }

  it("the seeded MVE shows two vNICs", async () => {
    const answer = await h.api("east", "GET", `/v2/product/${mve()}`);
    assert.equal(list(answer.body.data.vnics).length, 2);
  });

  it("validate and buy refuse an MVE A-End without vNicIndex, naming the field; nothing is made", async () => {
    const key = await h.createKey("west");
    const vxc = { aEnd: { productUid: mve(), vlan: 0 } };
    for (const path of ["/v3/networkdesign/validate", "/v4/networkdesign/buy"]) {
      const body = h.design("east", key, vxc);
      const answer = await h.api("east", "POST", path, path.includes("v4") ? { networkDesign: body } : body);
      assert.equal(answer.status, 400, path);
      assert.match(text(answer.body.data), /^vNicIndex is required for an MVE A-End: MVE .* has vNICs 0-1$/);
    }
    assert.equal(await vxcCount(), 0);
  });

  it("refuses a vNicIndex beyond the MVE's vNICs", async () => {
    const key = await h.createKey("west");
    const answer = await h.buy("east", key, { aEnd: { productUid: mve(), vlan: 0, vNicIndex: 2 } });
    assert.equal(answer.status, 400);
    assert.match(text(answer.body.data), /^vNicIndex 2 is out of range/);
    assert.equal(await vxcCount(), 0);
  });

  it("orders from vNIC 1 and shows it as aEnd.vNicIndex; PUT aVnicIndex moves it to vNIC 0", async () => {
    const key = await h.createKey("west");
    const uid = await h.buyUid("east", key, { aEnd: { productUid: mve(), vlan: 0, vNicIndex: 1 } });
    assert.equal((await h.api("east", "GET", `/v2/product/${uid}`)).body.data.aEnd.vNicIndex, 1);
    const moved = await h.api("east", "PUT", `/v3/product/vxc/${uid}`, { aVnicIndex: 0 });
    assert.equal(moved.status, 200);
    assert.equal((await h.api("east", "GET", `/v2/product/${uid}`)).body.data.aEnd.vNicIndex, 0);
    const beyond = await h.api("east", "PUT", `/v3/product/vxc/${uid}`, { aVnicIndex: 5 });
    assert.equal(beyond.status, 400);
    assert.match(text(beyond.body.data), /^aVnicIndex 5 is out of range/);
  });

  it("a Port A-End ignores vNicIndex on order (megaportgo may send 0) but refuses aVnicIndex on PUT", async () => {
    const key = await h.createKey("west");
    const uid = await h.buyUid("east", key, { aEnd: { vlan: 0, vNicIndex: 0 } });
    assert.equal((await h.api("east", "GET", `/v2/product/${uid}`)).body.data.aEnd.vNicIndex, null);
    const answer = await h.api("east", "PUT", `/v3/product/vxc/${uid}`, { aVnicIndex: 0 });
    assert.equal(answer.status, 400);
    assert.match(text(answer.body.data), /^aVnicIndex applies to an MVE A-End only/);
  });
});
