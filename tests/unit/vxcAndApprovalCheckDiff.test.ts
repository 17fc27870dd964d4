import * as assert from "node:assert/strict";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { UNKNOWN_VALUE } from "../../provider/resources/checkFailures";
import * as implementation from "../../provider/implementation";
import { apiChecksFor, serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { vxcOrderApprovalProvider } from "../../provider/resources/vxcOrderApproval";
import { parseDurationMs } from "../../provider/resources/waiting";
import { fakeConfig, namesProperty } from "../provider/harness";

const KEY = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const vxcInputs = { serviceKey: KEY, aEndProductUid: "port-2", name: "West to East", rateLimit: 500 };

/**
 * Without credentials ServiceKeyVxc's check makes no API call, so its rules can be tested alone:
 * every result then also carries the missing-credentials failure, which this takes out.
 */
const schemaFailures = (failures: { property: string; reason: string }[]) =>
  failures.filter((f) => !f.reason.startsWith("no Megaport credentials"));

describe("ServiceKeyVxc check (no credentials configured: no API call)", () => {
  const saved: Record<string, string | undefined> = {};
  before(() => {
    for (const name of ["MEGAPORT_ACCESS_KEY", "MEGAPORT_SECRET_KEY"]) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    implementation.configure({ get: () => undefined });
  });
  after(() => {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  });

  it("fails at preview without credentials, saying what to set", async () => {
    const result = await serviceKeyVxcProvider.check({}, vxcInputs);
    assert.equal(result.failures.length, 1);
    assert.match(result.failures[0]?.reason ?? "", /^no Megaport credentials: set megaport:accessKey/);
  });

  it("applies the defaults", async () => {
    const result = await serviceKeyVxcProvider.check({}, vxcInputs);
    assert.deepEqual(schemaFailures(result.failures), []);
    assert.deepEqual(result.inputs, { ...vxcInputs, term: 1, shutdown: false, waitForApproval: false });
  });

  const failing: [string, Record<string, unknown>, string, RegExp][] = [
    ["a missing serviceKey", { serviceKey: undefined }, "serviceKey", /serviceKey: /],
    ["a missing name", { name: "" }, "name", /name: a name is required/],
    ["a zero rateLimit", { rateLimit: 0 }, "rateLimit", /positive/],
    ["aEndVlan 1", { aEndVlan: 1 }, "aEndVlan", /2-4093 or "untagged"/],
    ["aEndVlan 4094", { aEndVlan: 4094 }, "aEndVlan", /2-4093/],
    ["aEndVlan text", { aEndVlan: "tagged" }, "aEndVlan", /untagged/],
    ["term 6", { term: 6 }, "term", /1, 12, 24, 36, 48 or 60/],
    ["a long costCentre", { costCentre: "x".repeat(256) }, "costCentre", /255/],
    ["timeouts.create 10", { timeouts: { create: "10" } }, "timeouts.create", /duration/],
    ["timeouts.create 0s", { timeouts: { create: "0s" } }, "timeouts.create", /greater than zero/],
    ["an unknown timeout key", { timeouts: { read: "1m" } }, "timeouts", /timeouts/],
  ];
  for (const [title, extra, property, reason] of failing) {
    it(`fails on ${title}, naming ${property}`, async () => {
      const { failures } = await serviceKeyVxcProvider.check({}, { ...vxcInputs, ...extra });
      assert.ok(
        failures.some((f) => namesProperty(f, property) && reason.test(f.reason)),
        JSON.stringify(failures),
      );
    });
  }

  it("accepts untagged and durations such as 90s, 15m, 1h", async () => {
    const { failures } = await serviceKeyVxcProvider.check(
      {},
      { ...vxcInputs, aEndVlan: "untagged", timeouts: { create: "90s", update: "15m", delete: "1h" } },
    );
    assert.deepEqual(schemaFailures(failures), []);
    assert.equal(parseDurationMs("1h30m"), 5_400_000);
  });

  it("tolerates an unknown serviceKey during preview", async () => {
    const result = await serviceKeyVxcProvider.check({}, { ...vxcInputs, serviceKey: UNKNOWN_VALUE });
    assert.deepEqual(schemaFailures(result.failures), []);
    assert.equal(result.inputs.serviceKey, UNKNOWN_VALUE);
  });

  it("re-checks the order with the API only for a new VXC or a change it depends on", () => {
    const olds = { ...vxcInputs, aEndVlan: 120, term: 1 };
    assert.equal(apiChecksFor({}, vxcInputs), "order");
    assert.equal(apiChecksFor(olds, { ...vxcInputs }), "none", "an assigned aEndVlan is no change");
    assert.equal(apiChecksFor(olds, { ...vxcInputs, name: "renamed" }), "none");
    assert.equal(apiChecksFor(olds, { ...vxcInputs, rateLimit: 100 }), "rateLimit");
    assert.equal(
      apiChecksFor(olds, { ...vxcInputs, aEndVlan: 121 }),
      "none",
      "changed in place by the update",
    );
    assert.equal(apiChecksFor(olds, { ...vxcInputs, serviceKey: "b".repeat(36) }), "order");
    assert.equal(apiChecksFor(olds, { ...vxcInputs, aEndProductUid: "port-3" }), "order");
  });
});

describe("ServiceKeyVxc diff", () => {
  const news = { ...vxcInputs, term: 1, shutdown: false, waitForApproval: false, account: "west" };
  const olds = {
    ...news,
    aEndVlan: 120,
    productUid: "vxc-1",
    provisioningStatus: "LIVE",
    approvalStatus: null,
    __provider: "old code",
  };

  it("no change for the same inputs, an assigned VLAN, a new account or new provider code", async () => {
    assert.deepEqual(await serviceKeyVxcProvider.diff("vxc-1", olds, { ...news, account: "west-2" }), {
      changes: false,
      replaces: [],
    });
  });

  const table: [string, unknown, "update" | "replace"][] = [
    ["name", "renamed", "update"],
    ["rateLimit", 100, "update"],
    ["aEndVlan", 121, "update"],
    ["term", 12, "update"],
    ["shutdown", true, "update"],
    ["costCentre", "cc", "update"],
    ["promoCode", "PROMO", "update"],
    ["waitForApproval", true, "update"],
    ["timeouts", { create: "20m" }, "update"],
    ["serviceKey", "b".repeat(36), "replace"],
    ["aEndProductUid", "port-3", "replace"],
  ];
  for (const [property, value, decision] of table) {
    it(`${decision === "update" ? "updates in place" : "replaces"} on ${property}`, async () => {
      const result = await serviceKeyVxcProvider.diff("vxc-1", olds, { ...news, [property]: value });
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, decision === "replace" ? [property] : []);
    });
    it(`treats an unknown ${property} as a ${decision}`, async () => {
      const result = await serviceKeyVxcProvider.diff("vxc-1", olds, { ...news, [property]: UNKNOWN_VALUE });
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, decision === "replace" ? [property] : []);
    });
  }

  it("deletes first when a new key keeps a fixed A-End VLAN on the same A-End", async () => {
    const result = await serviceKeyVxcProvider.diff("vxc-1", olds, {
      ...news,
      aEndVlan: 120,
      serviceKey: "b".repeat(36),
    });
    assert.deepEqual(result, { changes: true, replaces: ["serviceKey"], deleteBeforeReplace: true });
    const moved = await serviceKeyVxcProvider.diff("vxc-1", olds, {
      ...news,
      aEndVlan: 120,
      aEndProductUid: "port-3",
    });
    assert.equal(moved.deleteBeforeReplace, undefined);
    const assigned = await serviceKeyVxcProvider.diff("vxc-1", olds, { ...news, serviceKey: "b".repeat(36) });
    assert.equal(assigned.deleteBeforeReplace, undefined);
  });
});

describe("VxcOrderApproval check and diff", () => {
  // East of an emulator: check makes the account's one token request (docs/api-keys.md).
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ port: 0 });
    const { east } = emulator.accounts;
    implementation.configure(
      fakeConfig({
        "megaport:accessKey": east.accessKey,
        "megaport:secretKey": east.secretKey,
        "megaport:baseUrl": emulator.url,
      }),
    );
  });
  after(async () => {
    await implementation.closeClients();
    await emulator.close();
  });

  it("applies the defaults", async () => {
    const result = await vxcOrderApprovalProvider.check({}, { productUid: "vxc-1", decision: "approve" });
    assert.deepEqual(result, {
      inputs: { productUid: "vxc-1", decision: "approve", waitForOrder: false },
      failures: [],
    });
  });

  const failing: [string, Record<string, unknown>, string, RegExp][] = [
    [
      "neither productUid nor serviceKey",
      { decision: "approve" },
      "productUid",
      /productUid \(the VXC\) or serviceKey/,
    ],
    [
      "both productUid and serviceKey",
      { productUid: "v", serviceKey: KEY, decision: "approve" },
      "productUid",
      /not both/,
    ],
    ["a decision of maybe", { productUid: "v", decision: "maybe" }, "decision", /"approve" or "reject"/],
    [
      "a bad timeout",
      { productUid: "v", decision: "approve", timeouts: { create: "soon" } },
      "timeouts.create",
      /duration/,
    ],
  ];
  for (const [title, news, property, reason] of failing) {
    it(`fails on ${title}, naming ${property}`, async () => {
      const { failures } = await vxcOrderApprovalProvider.check({}, news);
      assert.ok(
        failures.some((f) => namesProperty(f, property) && reason.test(f.reason)),
        JSON.stringify(failures),
      );
    });
  }

  it("tolerates an unknown productUid during preview", async () => {
    const result = await vxcOrderApprovalProvider.check(
      {},
      { productUid: UNKNOWN_VALUE, decision: "approve" },
    );
    assert.deepEqual(result.failures, []);
  });

  const olds = {
    productUid: "vxc-1",
    decision: "approve",
    waitForOrder: false,
    status: "APPROVED",
    __provider: "x",
  };
  const table: [string, unknown, "update" | "replace"][] = [
    ["comment", "hi", "update"],
    ["waitForOrder", true, "update"],
    ["timeouts", { create: "1m" }, "update"],
    ["productUid", "vxc-2", "replace"],
    ["serviceKey", KEY, "replace"],
    ["decision", "reject", "replace"],
  ];
  for (const [property, value, decision] of table) {
    it(`${decision === "update" ? "updates in place" : "replaces"} on ${property}`, async () => {
      const news = { productUid: "vxc-1", decision: "approve", waitForOrder: false, [property]: value };
      const result = await vxcOrderApprovalProvider.diff("a-1", olds, news);
      assert.equal(result.changes, true);
      assert.deepEqual(result.replaces, decision === "replace" ? [property] : []);
    });
  }

  it("no change for the same inputs or another account", async () => {
    const result = await vxcOrderApprovalProvider.diff("a-1", olds, {
      productUid: "vxc-1",
      decision: "approve",
      waitForOrder: false,
      account: "east",
    });
    assert.deepEqual(result, { changes: false, replaces: [] });
  });
});
