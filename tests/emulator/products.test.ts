import assert from "node:assert/strict";
import { Harness, list, plain } from "./harness";

// docs/megaport-api.md, "Products" and "The VXC product" (tags).
describe("emulator: products and tags", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  after(() => h.close());

  it("seeds port1G, port10G, mcr and mve LIVE for every account, with deterministic uids", async () => {
    const products = list((await h.api("east", "GET", "/v2/products")).body.data);
    const byUid = new Map(products.map((p) => [String(p.productUid), p]));
    const east = h.account("east");
    assert.equal(east.companyName, "East Company");
    assert.equal(h.account("west").companyName, "West Company");
    assert.deepEqual(Object.keys(east.products).sort(), ["mcr", "mve", "port10G", "port1G"]);
    assert.equal(products.length, 4);
    assert.equal(byUid.get(east.products.port10G)?.productName, "East Port 10G");
    assert.equal(byUid.get(east.products.port10G)?.portSpeed, 10000);
    for (const p of products) assert.equal(p.provisioningStatus, "LIVE");
    const again = await Harness.start();
    try {
      assert.deepEqual(again.account("east"), east);
    } finally {
      await again.close();
    }
  });

  it("answers ports with vxcpermitted and MCR/MVE with vxcPermitted and maxVxcSpeed", async () => {
    const east = h.account("east");
    const port = (await h.api("east", "GET", `/v2/product/${east.products.port1G}`)).body.data;
    assert.equal(port.productType, "MEGAPORT");
    assert.equal(port.vxcpermitted, true);
    assert.equal(port.portSpeed, 1000);
    assert.equal(port.virtual, false);
    assert.equal(port.aggregationId, null);
    assert.equal(port.locationDetail.city, "Sydney");
    const mcr = (await h.api("east", "GET", `/v2/product/${east.products.mcr}`)).body.data;
    assert.equal(mcr.productType, "MCR2");
    assert.equal(mcr.vxcPermitted, true);
    assert.equal(mcr.maxVxcSpeed, 5000);
    assert.equal(mcr.connectType, "VROUTER");
    const mve = (await h.api("east", "GET", `/v2/product/${east.products.mve}`)).body.data;
    assert.equal(mve.productType, "MVE");
    assert.equal(mve.portSpeed, null);
    assert.equal(mve.maxVxcSpeed, 10000);
    assert.equal(mve.connectType, "MVE");
  });

  it("GET of another company's port is 403", async () => {
    const answer = await h.api("east", "GET", `/v2/product/${h.account("west").products.port1G}`);
    assert.equal(answer.status, 403);
  });

  it("a VXC appears in associatedVxcs of both ends' products", async () => {
    const uid = await h.buyUid("east", await h.createKey("west"));
    const eastPorts = list((await h.api("east", "GET", "/v2/products")).body.data);
    const westPorts = list((await h.api("west", "GET", "/v2/products")).body.data);
    const has = (products: typeof eastPorts) =>
      products.some((p) => list(p.associatedVxcs).some((v) => String(v.productUid) === uid));
    assert.ok(has(eastPorts));
    assert.ok(has(westPorts));
    assert.equal(
      list((await h.api("north", "GET", "/v2/products")).body.data).some(
        (p) => list(p.associatedVxcs).length > 0,
      ),
      false,
    );
  });

  it("GET and PUT tags: data.resourceTags always present; only the owning company writes", async () => {
    const uid = await h.buyUid("east", await h.createKey("west"), {
      resourceTags: [{ key: "env", value: "demo" }],
    });
    const initial = await h.api("east", "GET", `/v2/product/${uid}/tags`);
    assert.deepEqual(plain(initial.body.data), { resourceTags: [{ key: "env", value: "demo" }] });
    const put = await h.api("east", "PUT", `/v2/product/${uid}/tags`, {
      resourceTags: [{ key: "team", value: "net" }],
    });
    assert.equal(put.status, 200);
    const after = await h.api("west", "GET", `/v2/product/${uid}/tags`);
    assert.deepEqual(plain(after.body.data.resourceTags), [{ key: "team", value: "net" }]);
    assert.equal((await h.api("west", "PUT", `/v2/product/${uid}/tags`, { resourceTags: [] })).status, 403);
    const port = h.account("east").products.port1G;
    assert.deepEqual(plain((await h.api("east", "GET", `/v2/product/${port}/tags`)).body.data), {
      resourceTags: [],
    });
  });
});
