import * as assert from "node:assert/strict";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { UNKNOWN_VALUE } from "../../provider/resources/checkFailures";
import * as implementation from "../../provider/implementation";
import { serviceKeyId, serviceKeyProvider } from "../../provider/resources/serviceKey";
import { fakeConfig, namesProperty } from "../provider/harness";

/**
 * A default account: East of an emulator. The checks here make no API call but the account's one
 * token request (credentials are checked at preview, docs/api-keys.md): each fails on its own inputs
 * first, or is of a key whose replace-only properties do not change (the API checks are in
 * tests/provider).
 */
let emulator: RunningEmulator;
let defaultAccount: ReturnType<typeof fakeConfig>;

const base = { productUid: "port-1", maxSpeed: 500, singleUse: true, vlan: 100 };
const inFuture = new Date(Date.now() + 86_400_000 * 30).toISOString();

/** State as create would leave it, for diff tables. */
const state = {
  ...base,
  preApproved: false,
  active: true,
  description: "link for West",
  account: "east",
  resourceName: "east-key",
  key: "11111111-2222-3333-4444-555555555555",
  productName: "East Port 10G",
  valid: true,
  expired: false,
  __provider: "exports.handler = ...",
};

describe("ServiceKey check", () => {
  before(async () => {
    emulator = await startEmulator({ port: 0 });
    const { east } = emulator.accounts;
    defaultAccount = fakeConfig({
      "megaport:accessKey": east.accessKey,
      "megaport:secretKey": east.secretKey,
      "megaport:baseUrl": emulator.url,
    });
    implementation.configure(defaultAccount);
  });
  after(async () => {
    await implementation.closeClients();
    await emulator.close();
  });

  const failing: [string, Record<string, unknown>, string, RegExp][] = [
    ["missing productUid", { maxSpeed: 500 }, "productUid", /productUid: /],
    ["empty productUid", { productUid: "", maxSpeed: 500 }, "productUid", /Port, MCR or MVE/],
    ["missing maxSpeed", { productUid: "p" }, "maxSpeed", /maxSpeed: .*Mbps/],
    ["zero maxSpeed", { productUid: "p", maxSpeed: 0 }, "maxSpeed", /positive/],
    ["fractional maxSpeed", { productUid: "p", maxSpeed: 1.5 }, "maxSpeed", /whole number/],
    ["VLAN below 2", { ...base, vlan: 1 }, "vlan", /2-4093/],
    ["VLAN above 4093", { ...base, vlan: 4094 }, "vlan", /2-4093/],
    [
      "VLAN on a multi-use key",
      { ...base, singleUse: false },
      "vlan",
      /vlan: only single-use keys take a VLAN/,
    ],
    [
      "a single-use key without a VLAN",
      { productUid: "port-1", maxSpeed: 500 },
      "vlan",
      /vlan: a single-use key needs a VLAN/,
    ],
    ["singleUse not a boolean", { ...base, singleUse: "yes" }, "singleUse", /singleUse: /],
    ["validFor without end", { ...base, validFor: { start: inFuture } }, "validFor.end", /validFor.end: /],
    ["validFor end not a date", { ...base, validFor: { end: "soon" } }, "validFor.end", /ISO-8601/],
    [
      "validFor end before start",
      { ...base, validFor: { start: inFuture, end: "2020-01-01T00:00:00Z" } },
      "validFor.end",
      /end must be after start/,
    ],
    [
      "validFor end in the past",
      { ...base, validFor: { end: "2020-01-01T00:00:00Z" } },
      "validFor.end",
      /future/,
    ],
    ["short existingKey", { ...base, existingKey: "abc" }, "existingKey", /full service key/],
    ["an input it does not have", { ...base, speed: 1 }, "speed", /not an input/],
  ];
  for (const [title, news, property, reason] of failing) {
    it(`fails on ${title}, naming ${property}`, async () => {
      const result = await serviceKeyProvider.check({}, news);
      assert.ok(
        result.failures.some((f) => namesProperty(f, property) && reason.test(f.reason)),
        JSON.stringify(result.failures),
      );
    });
  }

  it("fails at preview without credentials or with an unknown account, saying what to set", async () => {
    implementation.configure(fakeConfig({}));
    try {
      const missing = await serviceKeyProvider.check({}, base);
      assert.deepEqual(missing.failures.length, 1);
      assert.match(missing.failures[0]?.reason ?? "", /no Megaport credentials: set megaport:accessKey/);
    } finally {
      implementation.configure(defaultAccount);
    }
    const unknown = await serviceKeyProvider.check({}, { ...base, account: "nobody" });
    assert.match(unknown.failures[0]?.reason ?? "", /account "nobody" is not in megaport:accounts/);
  });

  it("refuses to remove the validity window of an existing key (the API keeps it)", async () => {
    const olds = { ...base, validFor: { end: inFuture } };
    const result = await serviceKeyProvider.check(olds, base);
    assert.deepEqual(result.failures, [
      { property: "validFor", reason: "validFor: a key's validity window cannot be removed; set a later end instead" },
    ]);
  });

  /** Inputs as a previous check left them (defaults applied): what the engine hands back as olds. */
  const checkedBase = { ...base, preApproved: false, active: true };

  it("does not fail an existing key whose window has since passed", async () => {
    const window = { end: "2020-01-01T00:00:00Z" };
    const result = await serviceKeyProvider.check(
      { ...checkedBase, validFor: window },
      { ...base, validFor: window },
    );
    assert.deepEqual(result.failures, []);
  });

  it("compares windows as instants: a date-only end that has passed is the refreshed one, unchanged", async () => {
    // After a refresh the olds hold the API's form of the window; the program still says the date.
    for (const [refreshed, program] of [
      ["2020-01-01T00:00:00.000Z", "2020-01-01"],
      ["2020-01-01T00:00:00Z", "2020-01-01T00:00:00.000Z"],
    ]) {
      const result = await serviceKeyProvider.check(
        { ...checkedBase, validFor: { end: refreshed } },
        { ...base, validFor: { end: program } },
      );
      assert.deepEqual(result.failures, [], `${refreshed} vs ${program}`);
    }
    const moved = await serviceKeyProvider.check(
      { ...checkedBase, validFor: { end: "2020-01-01T00:00:00.000Z" } },
      { ...base, validFor: { end: "2020-01-02" } },
    );
    assert.deepEqual(moved.failures.map((f) => f.property), ["validFor.end"], "a new window still must end in the future");
  });

  it("passes unknown values through and skips their rules", async () => {
    const result = await serviceKeyProvider.check(
      {},
      { productUid: UNKNOWN_VALUE, maxSpeed: UNKNOWN_VALUE, vlan: 100, singleUse: UNKNOWN_VALUE },
    );
    assert.deepEqual(result.failures, []);
    assert.equal(result.inputs.productUid, UNKNOWN_VALUE);
    assert.equal(result.inputs.maxSpeed, UNKNOWN_VALUE);
    assert.equal(result.inputs.singleUse, UNKNOWN_VALUE);
    assert.equal(result.inputs.active, true);
  });

  it("tolerates an unknown nested inside validFor", async () => {
    const result = await serviceKeyProvider.check({}, { ...base, validFor: { end: UNKNOWN_VALUE } });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.inputs.validFor, { end: UNKNOWN_VALUE });
  });

  it("still reports known properties when others are unknown", async () => {
    const result = await serviceKeyProvider.check({}, { productUid: UNKNOWN_VALUE, maxSpeed: -1 });
    assert.deepEqual(
      result.failures.map((f) => f.property),
      ["maxSpeed"],
    );
  });
});

describe("ServiceKey diff", () => {
  const news = {
    ...base,
    preApproved: false,
    active: true,
    description: "link for West",
    account: "east",
    resourceName: "east-key",
  };
  const id = serviceKeyId(state.key);

  it("reports no change for the same inputs (a provider-code-only change is no change)", async () => {
    const result = await serviceKeyProvider.diff(id, { ...state, __provider: "old code" }, news);
    assert.deepEqual(result, { changes: false, replaces: [] });
  });

  it("ignores account and resourceName", async () => {
    const result = await serviceKeyProvider.diff(id, state, {
      ...news,
      account: "east-2",
      resourceName: "renamed",
    });
    assert.equal(result.changes, false);
  });

  const table: [string, unknown, "update" | "replace"][] = [
    ["active", false, "update"],
    ["validFor", { end: inFuture }, "update"],
    ["productUid", "port-2", "replace"],
    ["singleUse", false, "replace"],
    ["maxSpeed", 1000, "replace"],
    ["vlan", 200, "replace"],
    ["preApproved", true, "replace"],
    ["description", "other", "replace"],
    ["existingKey", "99999999-0000-0000-0000-000000000000", "replace"],
  ];
  for (const [property, value, decision] of table) {
    it(`${decision === "update" ? "updates in place" : "replaces"} on ${property}`, async () => {
      const result = await serviceKeyProvider.diff(id, state, { ...news, [property]: value });
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, decision === "replace" ? [property] : []);
    });
    it(`treats an unknown ${property} as a ${decision}`, async () => {
      const result = await serviceKeyProvider.diff(id, state, { ...news, [property]: UNKNOWN_VALUE });
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, decision === "replace" ? [property] : []);
    });
  }

  it("compares validFor by instant and ignores a start the inputs do not set", async () => {
    const old = {
      ...state,
      validFor: { start: "2025-01-01T00:00:00.000Z", end: "2030-01-01T00:00:00.000Z" },
    };
    const same = await serviceKeyProvider.diff(id, old, {
      ...news,
      validFor: { end: "2030-01-01T00:00:00Z" },
    });
    assert.equal(same.changes, false);
    const moved = await serviceKeyProvider.diff(id, old, {
      ...news,
      validFor: { start: "2025-02-01T00:00:00Z", end: "2030-01-01T00:00:00Z" },
    });
    assert.deepEqual(moved, { changes: true, replaces: [] });
  });

  it("deletes first when a single-use key keeps its VLAN on the same product", async () => {
    const result = await serviceKeyProvider.diff(id, state, { ...news, maxSpeed: 1000 });
    assert.deepEqual(result, { changes: true, replaces: ["maxSpeed"], deleteBeforeReplace: true });
  });

  it("deletes first when an adopted key is replaced (the new resource adopts it again)", async () => {
    const adopted = { ...state, singleUse: false, vlan: undefined, existingKey: state.key };
    const result = await serviceKeyProvider.diff(id, adopted, {
      ...news,
      singleUse: false,
      vlan: undefined,
      existingKey: state.key,
      maxSpeed: 800,
    });
    assert.deepEqual(result, { changes: true, replaces: ["maxSpeed"], deleteBeforeReplace: true });
  });

  it("creates first when the VLAN or the product changes", async () => {
    const vlan = await serviceKeyProvider.diff(id, state, { ...news, vlan: 101 });
    assert.equal(vlan.deleteBeforeReplace, undefined);
    const product = await serviceKeyProvider.diff(id, state, { ...news, productUid: "port-2" });
    assert.equal(product.deleteBeforeReplace, undefined);
  });

  it("never hands out the key as the id", () => {
    assert.match(id, /^sk-[0-9a-f]{24}$/);
    assert.ok(!id.includes(state.key.slice(0, 8)));
  });
});
