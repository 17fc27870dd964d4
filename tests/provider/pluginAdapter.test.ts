import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { MegaportClient } from "../../sdk";
import { RESOURCE_WORDS } from "../../provider/plugin/descriptions";
import { conceal, pluginProvider, reveal } from "../../provider/plugin/provider";
import { orderTag } from "../../provider/resources/vxcOrders";
import type { ServiceKeyVxcInputs } from "../../provider/resources/serviceKeyVxcInputs";
import { admin, startHarness, stopHarness } from "./harness";

// The provider-plugin adapter (provider/plugin/provider.ts) against the emulator: it carries calls
// to the same provider/resources/ implementations the dynamic classes use, sets the identity inputs
// from the URN, keeps secrets secret, predicts outputs at preview and imports by id.
const SECRET = "4dabf18193072939515e22adb298388d";
const urn = (type: string, name: string) =>
  `urn:pulumi:dev::onboarding::megaport-service-keys:index:${type}::${name}`;

describe("provider: the plugin adapter", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  const plugin = pluginProvider();
  let east: string;
  let westPort: string;

  before(async () => {
    emulator = await startHarness();
    east = emulator.accounts.east.products.port10G;
    westPort = emulator.accounts.west.products.port1G;
    const accounts = Object.fromEntries(
      ["east", "west"].map((n) => [n, { accessKey: emulator.accounts[n]?.accessKey, secretKey: emulator.accounts[n]?.secretKey }]),
    );
    // Provider inputs as Configure sends them: typed, the secret one wrapped.
    plugin.configure(
      conceal({ baseUrl: emulator.url, accounts: JSON.stringify(accounts), acceptPurchaseTerms: true }, ["accounts"]),
      {},
    );
  });
  after(async () => stopHarness(emulator));

  const keyInputs = {
    account: "east",
    productUid: "",
    maxSpeed: 1000,
    singleUse: true,
    vlan: 321,
    description: "adapter key",
    validFor: { start: "2026-01-01T00:00:00.000Z", end: "2031-01-01T00:00:00.000Z" },
  };

  async function createKey(name: string, overrides: Record<string, unknown> = {}) {
    const checked = await plugin.check!(urn("ServiceKey", name), {}, { ...keyInputs, productUid: east, ...overrides });
    assert.deepEqual(checked.failures, []);
    return plugin.create!(urn("ServiceKey", name), checked.inputs);
  }

  it("creates a key with outputs exactly the schema's properties, the key secret, no identity input", async () => {
    const created = await createKey("k1");
    assert.match(created.id, /^sk-[0-9a-f]{24}$/);
    const outs = created.outs as Record<string, unknown>;
    const words = RESOURCE_WORDS.ServiceKey;
    const declared = [...Object.keys(words?.inputs ?? {}), ...Object.keys(words?.outputs ?? {})];
    for (const property of Object.keys(outs)) assert.ok(declared.includes(property), `${property} is in the schema`);
    for (const output of Object.keys(words?.outputs ?? {})) assert.ok(output in outs, `${output} is returned`);
    assert.equal((outs.key as Record<string, unknown>)[SECRET], "1b47061264138c4ac30d75fd1eb44270");
    assert.ok(!("resourceName" in outs));
  });

  it("imports a key by its id (also `account/id`) with the state a create gave, and no key in the id", async () => {
    const created = await createKey("k2", { vlan: 322 });
    const imported = await plugin.read!(`east/${created.id}`, urn("ServiceKey", "k2"), {});
    assert.equal(imported.id, created.id);
    assert.deepEqual(reveal(imported.props).values, reveal(created.outs).values);
    const inputs = reveal(imported.inputs).values;
    assert.deepEqual(
      Object.fromEntries(Object.entries(inputs).sort()),
      Object.fromEntries(Object.entries({ ...keyInputs, productUid: east, vlan: 322, active: true, preApproved: false }).sort()),
    );
    assert.deepEqual(await plugin.read!("east/sk-000000000000000000000000", urn("ServiceKey", "k2"), {}), {});
  });

  it("sets orderIdentity from the URN, as the dynamic class does from the stack and name", async () => {
    const key = await createKey("k3", { vlan: 323, preApproved: true });
    const keyText = reveal(key.outs).values.key as string;
    const vxcUrn = urn("ServiceKeyVxc", "vxc1");
    const news = conceal(
      { account: "west", serviceKey: keyText, aEndProductUid: westPort, name: "adapter vxc", rateLimit: 100 },
      ["serviceKey"],
    );
    const checked = await plugin.check!(vxcUrn, {}, news);
    assert.deepEqual(checked.failures, []);
    assert.ok(!("orderIdentity" in checked.inputs) && !("resourceName" in checked.inputs));
    assert.equal(checked.inputs.serviceKey[SECRET], "1b47061264138c4ac30d75fd1eb44270");
    const created = await plugin.create!(vxcUrn, checked.inputs);
    const west = new MegaportClient({ ...emulator.accounts.west, baseUrl: emulator.url });
    try {
      const tags = await west.products.tags(created.id);
      const expected = orderTag({ orderIdentity: "onboarding/dev/vxc1", serviceKey: keyText } as ServiceKeyVxcInputs);
      assert.ok(tags.some((tag) => tag.key === expected?.key && tag.value === expected.value), JSON.stringify(tags));
    } finally {
      await west.close();
    }

    // Imported by product UID: the create's state but the key, which the next update records.
    const imported = await plugin.read!(`west/${created.id}`, vxcUrn, {});
    // The VXC goes on provisioning meanwhile: its status is the API's at each read.
    const { serviceKey: _key, provisioningStatus: _status, ...createdState } = reveal(created.outs).values;
    const { provisioningStatus: _now, ...importedState } = reveal(imported.props).values;
    assert.deepEqual(importedState, createdState);
    const diff = await plugin.diff!(created.id, vxcUrn, imported.props, checked.inputs);
    assert.deepEqual(diff.replaces, []);
    const updated = await plugin.update!(created.id, vxcUrn, imported.props, checked.inputs);
    const { provisioningStatus: _later, ...updatedState } = reveal(updated.outs).values;
    assert.deepEqual(updatedState, { ...createdState, serviceKey: keyText });
  });

  it("refuses to record a key of another product for an imported VXC", async () => {
    const key = await createKey("k4", { vlan: 324, preApproved: true });
    const other = await createKey("k5", { productUid: emulator.accounts.east.products.port1G, vlan: 325 });
    const vxcUrn = urn("ServiceKeyVxc", "vxc2");
    const news = { account: "west", serviceKey: reveal(key.outs).values.key, aEndProductUid: westPort, name: "v2", rateLimit: 100 };
    const created = await plugin.create!(vxcUrn, (await plugin.check!(vxcUrn, {}, news)).inputs);
    const imported = await plugin.read!(`west/${created.id}`, vxcUrn, {});
    const wrong = { ...news, serviceKey: reveal(other.outs).values.key, term: 1, shutdown: false, waitForApproval: false };
    await assert.rejects(plugin.update!(created.id, vxcUrn, imported.props, wrong), /serviceKey: not a key of the product/);
  });

  it("predicts at preview: a create calls no API, an in-place update keeps the key known", async () => {
    const before = await admin<{ serviceKeys: unknown[] }>(emulator, "GET", "/_emulator/state");
    const preview = await plugin.previewCreate(urn("ServiceKey", "k6"), { ...keyInputs, productUid: east, vlan: 326 });
    assert.equal(preview.id, "");
    assert.equal(preview.outs.valid, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    const after = await admin<{ serviceKeys: unknown[] }>(emulator, "GET", "/_emulator/state");
    assert.equal(after.serviceKeys.length, before.serviceKeys.length);

    const key = await createKey("k7", { vlan: 327 });
    const news = { ...keyInputs, productUid: east, vlan: 327, active: true, preApproved: false, validFor: { end: "2032-01-01T00:00:00Z" } };
    const predicted = await plugin.previewUpdate(key.id, urn("ServiceKey", "k7"), key.outs as Record<string, unknown>, news);
    assert.deepEqual(predicted.outs.key, (key.outs as Record<string, unknown>).key, "the key stays as it is, secret");
    assert.equal(predicted.outs.valid, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    assert.deepEqual(predicted.outs.validFor, news.validFor);
  });

  it("lists the owner's keys by import id without the key, and the orders waiting for approval", async () => {
    const key = await createKey("k8", { vlan: 328 });
    const { keys } = (await plugin.invoke!("megaport-service-keys:index:getServiceKeys", { account: "east", productUid: east })).outputs as {
      keys: { importId: string }[];
    };
    assert.ok(keys.some((k) => k.importId === key.id));
    const text = JSON.stringify(keys);
    for (const k of (await admin<{ serviceKeys: { key: string }[] }>(emulator, "GET", "/_emulator/state")).serviceKeys) {
      assert.ok(!text.includes(k.key.slice(0, 8)), "no key or prefix in the function's result");
    }
    const vxcUrn = urn("ServiceKeyVxc", "vxc3");
    const news = { account: "west", serviceKey: reveal(key.outs).values.key, aEndProductUid: westPort, name: "v3", rateLimit: 50 };
    const vxc = await plugin.create!(vxcUrn, (await plugin.check!(vxcUrn, {}, news)).inputs);
    const { orders } = (await plugin.invoke!("megaport-service-keys:index:getPendingOrders", { account: "east" })).outputs as {
      orders: { vxcProductUid: string; rateLimit: number; requestingCompany: string }[];
    };
    const order = orders.find((o) => o.vxcProductUid === vxc.id);
    assert.ok(order, JSON.stringify(orders));
    assert.equal(order.rateLimit, 50);
    await assert.rejects(
      plugin.invoke!("megaport-service-keys:index:getServiceKeys", { productUid: 5 }),
      /productUid: /,
    );
  });
});
