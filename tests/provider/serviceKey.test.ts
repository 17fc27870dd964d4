import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { MegaportClient } from "../../sdk";
import * as implementation from "../../provider/implementation";
import { serviceKeyId, serviceKeyProvider } from "../../provider/resources/serviceKey";
import { forgetLookUps } from "../../provider/resources/serviceKeyPreview";
import {
  admin,
  captureLog,
  emulatorConfig,
  fakeConfig,
  requests,
  startHarness,
  stopHarness,
  resetEmulator,
} from "./harness";

interface EmulatorKey {
  key: string;
  active: boolean;
  description: string | null;
  maxSpeed: number;
  vlan: number | null;
  preApproved: boolean | null;
}

describe("ServiceKey provider against the emulator", () => {
  let emulator: RunningEmulator;
  let port10G: string;

  before(async () => {
    emulator = await startHarness();
    port10G = emulator.accounts.east?.products.port10G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => {
    await resetEmulator(emulator);
    forgetLookUps();
  });

  async function created(extra: Record<string, unknown> = {}) {
    const { inputs, failures } = await serviceKeyProvider.check(
      {},
      {
        productUid: port10G,
        maxSpeed: 500,
        vlan: 100,
        description: "for West",
        account: "east",
        resourceName: "east-key",
        ...extra,
      },
    );
    assert.deepEqual(failures, []);
    return { inputs, result: await serviceKeyProvider.create(inputs) };
  }

  async function emulatorKey(key: string): Promise<EmulatorKey | undefined> {
    const state = await admin<{ serviceKeys: EmulatorKey[] }>(emulator, "GET", "/_emulator/state");
    return state.serviceKeys.find((k) => k.key === key);
  }

  it("applies the defaults and keeps what was given", async () => {
    const result = await serviceKeyProvider.check({}, { productUid: port10G, maxSpeed: 500, vlan: 100, account: "east" });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.inputs, {
      account: "east",
      productUid: port10G,
      maxSpeed: 500,
      vlan: 100,
      singleUse: true,
      preApproved: false,
      active: true,
    });
  });

  it("creates a key with one API call and an opaque id", async () => {
    const { inputs } = await serviceKeyProvider.check(
      {},
      { productUid: port10G, maxSpeed: 500, vlan: 100, description: "for West", account: "east", resourceName: "east-key" },
    );
    await admin(emulator, "DELETE", "/_emulator/requests");
    const result = await serviceKeyProvider.create(inputs);
    const outs = result.outs;
    assert.equal(result.id, serviceKeyId(outs.key));
    assert.ok(!result.id.includes(outs.key.slice(0, 8)));
    assert.equal(outs.active, true);
    assert.equal(outs.valid, true);
    assert.equal(outs.companyName, "East Company");
    assert.equal(outs.description, "for West");
    assert.equal(JSON.stringify(outs).includes("undefined"), false);
    const calls = (await requests(emulator)).filter((r) => !r.path.startsWith("/oauth2"));
    assert.deepEqual(
      calls.map((r) => `${r.method} ${r.path}`),
      ["POST /v2/service/key"],
    );
  });

  it("keeps its clients when the host configures again with the same config (once per resource type)", async () => {
    const { result } = await created();
    await admin(emulator, "DELETE", "/_emulator/requests");
    await admin(emulator, "POST", "/_emulator/faults", { latencyMs: 150, paths: ["/v2/service/key"] });
    try {
      const reading = serviceKeyProvider.read(result.id, { ...result.outs });
      implementation.configure(fakeConfig(emulatorConfig(emulator)));
      const read = await reading;
      assert.equal(read.props?.key, result.outs.key, "the call in flight survived the second configure");
    } finally {
      await admin(emulator, "POST", "/_emulator/faults", {});
    }
    const tokens = (await requests(emulator)).filter((r) => r.path.startsWith("/oauth2"));
    assert.equal(tokens.length, 0, "no new token: the cached client was kept");
  });

  it("a lost create answer adopts the key that was made: one POST, one key", async () => {
    await created({ vlan: 101 }); // a token for the account, so that nothing but the fault intervenes
    await admin(emulator, "DELETE", "/_emulator/requests");
    await admin(emulator, "POST", "/_emulator/faults", {
      lostResponseRate: 1,
      paths: ["/v2/service/key"],
      methods: ["POST"],
    });
    let result: Awaited<ReturnType<typeof created>>["result"];
    try {
      result = (await created()).result;
    } finally {
      await admin(emulator, "POST", "/_emulator/faults", {});
    }
    const state = await admin<{ serviceKeys: EmulatorKey[] }>(emulator, "GET", "/_emulator/state");
    assert.equal(state.serviceKeys.length, 2, "the warm-up key and the one whose answer was lost");
    assert.ok(state.serviceKeys.some((k) => k.key === result.outs.key));
    const posts = (await requests(emulator)).filter((r) => r.method === "POST" && r.path === "/v2/service/key");
    assert.equal(posts.length, 1, "the create was not sent again");
  });

  it("creates an inactive key when asked (active is always sent)", async () => {
    const { result } = await created({ active: false });
    assert.equal(result.outs.active, false);
    assert.equal((await emulatorKey(result.outs.key))?.active, false);
  });

  it("reads with one call and shows drift in every property as the API reports it", async () => {
    const { result } = await created();
    await admin(emulator, "POST", `/_emulator/service-keys/${result.outs.key}`, {
      active: false,
      description: null,
      maxSpeed: 200,
    });
    await admin(emulator, "DELETE", "/_emulator/requests");
    const read = await serviceKeyProvider.read(result.id, { ...result.outs });
    assert.equal(read.id, result.id);
    assert.equal(read.props?.active, false);
    assert.equal(read.props?.description, undefined, "the API's description, not the state's");
    assert.equal(read.props?.maxSpeed, 200);
    assert.equal(read.inputs?.active, false);
    assert.equal(read.inputs?.maxSpeed, 200, "refreshed inputs carry the drift, so the next diff sees it");
    assert.equal(read.inputs?.key, undefined, "the key is an output, not an input");
    const calls = (await requests(emulator)).filter((r) => !r.path.startsWith("/oauth2"));
    assert.equal(calls.length, 1);
  });

  it("updates active and validFor in place and returns the full outputs", async () => {
    const { inputs, result } = await created();
    const end = new Date(Date.now() + 90 * 86_400_000).toISOString();
    const news = { ...inputs, active: false, validFor: { end } };
    const diff = await serviceKeyProvider.diff(result.id, { ...result.outs }, news);
    assert.deepEqual(diff, { changes: true, replaces: [] });
    const { outs } = await serviceKeyProvider.update(result.id, { ...result.outs }, news);
    assert.equal(outs.active, false);
    assert.equal(Date.parse(outs.validFor?.end as string), Date.parse(end));
    assert.equal(outs.key, result.outs.key);
    assert.equal(outs.description, "for West");
    assert.equal(outs.productName, result.outs.productName);
    const key = await emulatorKey(result.outs.key);
    assert.equal(key?.active, false);
    // The emulator's PUT resets what it is not sent (as the real one is seen to): the PUT carried it.
    assert.equal(key?.description, "for West");
    assert.equal(key?.maxSpeed, 500);
    assert.equal(key?.vlan, 100);
  });

  it("an update sends the API's current values, not stale state, for what it does not change", async () => {
    const { inputs, result } = await created({ preApproved: true });
    // Changed in the portal after the last refresh: state still says 500 and "for West".
    await admin(emulator, "POST", `/_emulator/service-keys/${result.outs.key}`, {
      maxSpeed: 300,
      description: "renamed in the portal",
    });
    const { outs } = await serviceKeyProvider.update(result.id, { ...result.outs }, { ...inputs, active: false });
    const key = await emulatorKey(result.outs.key);
    assert.equal(key?.active, false);
    assert.equal(key?.maxSpeed, 300, "the PUT did not write the stale maxSpeed back");
    assert.equal(key?.description, "renamed in the portal");
    assert.equal(key?.preApproved, true);
    assert.equal(outs.maxSpeed, 300, "the outputs show the key as it is, so the next diff sees the drift");
  });

  it("delete deactivates the key with a read-merge-write PUT that changes only active, and says so without the key", async () => {
    const { result } = await created();
    await admin(emulator, "POST", `/_emulator/service-keys/${result.outs.key}`, { maxSpeed: 300 });
    await admin(emulator, "DELETE", "/_emulator/requests");
    const { lines } = await captureLog(() => serviceKeyProvider.delete(result.id, { ...result.outs }));
    const calls = (await requests(emulator)).filter((r) => !r.path.startsWith("/oauth2"));
    assert.deepEqual(
      calls.map((r) => `${r.method} ${r.path}`),
      ["GET /v2/service/key", "PUT /v2/service/key"],
    );
    const key = await emulatorKey(result.outs.key);
    assert.equal(key?.active, false);
    assert.equal(key?.description, "for West", "the PUT carried the description");
    assert.equal(key?.maxSpeed, 300, "the PUT carried the API's maxSpeed, not the state's");
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? "", /^east-key: service keys cannot be deleted: deactivated key sk-/);
    assert.ok(!lines[0]?.includes(result.outs.key));
  });

  it("delete of a key already deactivated makes no PUT, even when its VLAN was reused", async () => {
    const { inputs, result } = await created();
    await admin(emulator, "POST", `/_emulator/service-keys/${result.outs.key}`, { active: false });
    // Another key now holds the VLAN: a PUT re-sending it would be refused.
    await serviceKeyProvider.create({ ...inputs, resourceName: "successor" });
    await admin(emulator, "DELETE", "/_emulator/requests");
    const { lines } = await captureLog(() => serviceKeyProvider.delete(result.id, { ...result.outs }));
    const calls = (await requests(emulator)).filter((r) => !r.path.startsWith("/oauth2"));
    assert.deepEqual(
      calls.map((r) => `${r.method} ${r.path}`),
      ["GET /v2/service/key"],
    );
    assert.equal((await emulatorKey(result.outs.key))?.active, false);
    assert.match(lines.join("\n"), /already inactive/);
  });

  it("delete of a key that no longer exists succeeds with no PUT", async () => {
    const { result } = await created();
    const gone = { ...result.outs, key: "00000000-0000-4000-8000-000000000000" };
    const { lines } = await captureLog(() => serviceKeyProvider.delete(result.id, gone));
    assert.match(lines.join("\n"), /no longer exists/);
    assert.equal((await emulatorKey(result.outs.key))?.active, true, "the real key was not touched");
  });

  it("read of a key that no longer exists reports it gone", async () => {
    const { result } = await created();
    const read = await serviceKeyProvider.read(result.id, {
      ...result.outs,
      key: "00000000-0000-4000-8000-000000000000",
    });
    assert.deepEqual(read, {});
  });

  it("adopts an existing key with existingKey instead of creating one, once", async () => {
    const owner = new MegaportClient({
      accessKey: emulator.accounts.east?.accessKey as string,
      secretKey: emulator.accounts.east?.secretKey as string,
      baseUrl: emulator.url,
    });
    const madeElsewhere = await owner.serviceKeys
      .create({ productUid: port10G, maxSpeed: 500, singleUse: true, vlan: 100, active: true })
      .finally(() => owner.close());
    const before = (await admin<{ serviceKeys: unknown[] }>(emulator, "GET", "/_emulator/state")).serviceKeys
      .length;
    const { result } = await created({ existingKey: madeElsewhere.key, description: undefined });
    const after = (await admin<{ serviceKeys: unknown[] }>(emulator, "GET", "/_emulator/state")).serviceKeys
      .length;
    assert.equal(after, before);
    assert.equal(result.outs.key, madeElsewhere.key);
    assert.equal(result.id, serviceKeyId(madeElsewhere.key));
    await assert.rejects(
      () => created({ existingKey: madeElsewhere.key, description: undefined }),
      /existingKey: another resource of this stack already manages this key/,
      "a second resource would deactivate the key on its own delete",
    );
  });

  it("refuses at preview to adopt a key of another product, naming productUid", async () => {
    const { result: original } = await created();
    const other = emulator.accounts.east?.products.port1G as string;
    const { failures } = await serviceKeyProvider.check(
      {},
      { productUid: other, maxSpeed: 500, vlan: 100, description: "for West", account: "east", existingKey: original.outs.key },
    );
    assert.deepEqual(
      failures.map((f) => f.property),
      ["productUid"],
    );
    assert.ok(!JSON.stringify(failures).includes(original.outs.key.slice(0, 8)));
  });
});
