/**
 * The input-checking and diff helpers shared by the three resources (provider/resources/
 * checkFailures.ts, provider/resources/diffing.ts) on the edges a broken provider survived (issue 17).
 */
import * as assert from "node:assert/strict";
import { checkAgainstSchema, containsUnknown, UNKNOWN_VALUE } from "../../provider/resources/checkFailures";
import { diffProperties, propertyChanged } from "../../provider/resources/diffing";
import { serviceKeyVxcInputsSchema } from "../../provider/resources/serviceKeyVxcInputs";

describe("unit: check and diff helpers", () => {
  it("a value holding the preview's unknown anywhere in a list is unknown, not only a list of unknowns", () => {
    assert.equal(containsUnknown(["known", UNKNOWN_VALUE]), true);
    assert.equal(containsUnknown({ create: "5m", update: [UNKNOWN_VALUE, "x"] }), true);
    assert.equal(containsUnknown(["known", "x"]), false);
  });

  it("the serialized provider the engine passes with the inputs is no unknown input", () => {
    const news = {
      serviceKey: "11111111-2222-3333-4444-555555555555",
      aEndProductUid: "port-1",
      name: "vxc",
      rateLimit: 100,
      __provider: "exports.handler = …",
      colour: "blue",
    };
    assert.deepEqual(checkAgainstSchema(serviceKeyVxcInputsSchema, news, () => []).failures, [
      { property: "colour", reason: "colour: is not an input of this resource" },
    ]);
  });

  it("objects with the same entries in another key order are no change", () => {
    assert.equal(propertyChanged({ create: "5m", delete: "7m", update: "6m" }, { update: "6m", delete: "7m", create: "5m" }), false);
    assert.equal(propertyChanged({ create: "5m", update: "6m" }, { create: "5m", update: "7m" }), true);
    assert.deepEqual(
      diffProperties({ timeouts: { create: "5m", update: "6m" } }, { timeouts: { update: "6m", create: "5m" } }, [], ["timeouts"]),
      { changes: false, replaces: [] },
    );
  });
  it("a ServiceKeyVxc's inputs: whole VLANs and vNIC indexes, a promo code and an account of any length but empty", () => {
    const base = { serviceKey: "11111111-2222-3333-4444-555555555555", aEndProductUid: "port-1", name: "vxc", rateLimit: 100 };
    const failures = (extra: Record<string, unknown>) =>
      checkAgainstSchema(serviceKeyVxcInputsSchema, { ...base, ...extra }, () => []).failures;
    assert.deepEqual(failures({ aEndVlan: 100.5 }), [
      { property: "aEndVlan", reason: 'aEndVlan: must be a VLAN 2-4093 or "untagged" (omit it to let Megaport assign one)' },
    ]);
    const vnic = "aEndVnicIndex: must be the index of a vNIC of the MVE (0 for the first)";
    assert.deepEqual(failures({ aEndVnicIndex: 0.5 }), [{ property: "aEndVnicIndex", reason: vnic }]);
    assert.deepEqual(failures({ aEndVnicIndex: -1 }), [{ property: "aEndVnicIndex", reason: vnic }]);
    assert.deepEqual(failures({ aEndVnicIndex: 0, promoCode: "SPRING-2026", account: "west" }), []);
    assert.deepEqual(
      failures({ promoCode: "", account: "" }).map((f) => f.property),
      ["promoCode", "account"],
    );
  });
});
