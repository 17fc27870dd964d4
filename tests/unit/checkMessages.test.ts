/**
 * The exact check failures a user sees for bad input to each resource: the property named, and the
 * rule in words (docs/lifecycle.md). The other unit tests match parts of these; a message emptied or
 * a rule dropped fails here. No API call but each account's one token request.
 */
import * as assert from "node:assert/strict";
import { type RunningEmulator, startEmulator } from "../../emulator";
import * as implementation from "../../provider/implementation";
import { UNKNOWN_VALUE } from "../../provider/resources/checkFailures";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { vxcOrderApprovalProvider } from "../../provider/resources/vxcOrderApproval";
import { fakeConfig } from "../provider/harness";

type Failure = { property: string; reason: string };
const KEY = "a".repeat(36);
const inFuture = new Date(Date.now() + 86_400_000 * 30).toISOString();
const later = new Date(Date.now() + 86_400_000 * 60).toISOString();

describe("unit: check failures, word for word", () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ port: 0 });
    const { east } = emulator.accounts;
    implementation.configure(
      fakeConfig({ "megaport:accessKey": east.accessKey, "megaport:secretKey": east.secretKey, "megaport:baseUrl": emulator.url }),
    );
  });
  after(async () => {
    await implementation.closeClients();
    await emulator.close();
  });

  describe("ServiceKey", () => {
    const key = { productUid: "port-1", maxSpeed: 500, singleUse: true, vlan: 100 };
    const cases: [string, Record<string, unknown>, Failure[]][] = [
      ["an empty productUid", { ...key, productUid: "" }, [f("productUid", "the UID of a Port, MCR or MVE is required")]],
      ["no maxSpeed", { ...key, maxSpeed: undefined }, [f("maxSpeed", "the key's maximum rate limit in Mbps is required")]],
      ["a fractional maxSpeed", { ...key, maxSpeed: 1.5 }, [f("maxSpeed", "must be a whole number of Mbps")]],
      ["a zero maxSpeed", { ...key, maxSpeed: 0 }, [f("maxSpeed", "must be a positive number of Mbps")]],
      ["a fractional vlan", { ...key, vlan: 100.5 }, [f("vlan", "a VLAN is a whole number")]],
      ["vlan 1", { ...key, vlan: 1 }, [f("vlan", "a VLAN is 2-4093")]],
      ["vlan 4094", { ...key, vlan: 4094 }, [f("vlan", "a VLAN is 2-4093")]],
      ["a short existingKey", { ...key, existingKey: "abc" }, [{ property: "", reason: "existingKey: must be the full service key to adopt" }]],
      ["a validFor end that is no date", { ...key, validFor: { end: "soon" } }, [f("validFor.end", "must be an ISO-8601 date-time")]],
      [
        "a validFor start that is no date",
        { ...key, validFor: { start: "soon", end: inFuture } },
        // Only the start is wrong: the window rule does not blame the end for it.
        [f("validFor.start", "must be an ISO-8601 date-time")],
      ],
      [
        "a validFor end before its start",
        { ...key, validFor: { start: later, end: inFuture } },
        [f("validFor.end", "end must be after start")],
      ],
      [
        "a validFor end equal to its start",
        { ...key, validFor: { start: inFuture, end: inFuture } },
        [f("validFor.end", "end must be after start")],
      ],
      ["a VLAN on a multi-use key", { ...key, singleUse: false }, [f("vlan", "only single-use keys take a VLAN")]],
      [
        "a single-use key without a VLAN",
        { productUid: "port-1", maxSpeed: 500 },
        [f("vlan", "a single-use key needs a VLAN (2-4093), or set singleUse: false")],
      ],
      [
        "a new window that has already ended",
        { ...key, validFor: { end: "2020-01-01T00:00:00Z" } },
        [f("validFor.end", "must be in the future (the key would be born expired)")],
      ],
    ];
    for (const [title, news, failures] of cases) {
      it(`${title}`, async () => {
        assert.deepEqual((await serviceKeyProvider.check({}, news)).failures, failures);
      });
    }

    it("a window end that is now or past counts only for a new window; a start alone is no new window", async () => {
      const olds = { ...key, preApproved: false, active: true, validFor: { end: "2020-01-01T00:00:00.000Z" } };
      // The same instant written another way is the same window: no failure.
      assert.deepEqual((await serviceKeyProvider.check(olds, { ...key, validFor: { end: "2020-01-01T00:00:00Z" } })).failures, []);
      // A new start on an old, passed window is a new window: its past end fails.
      assert.deepEqual(
        (await serviceKeyProvider.check(olds, { ...key, validFor: { start: "2019-01-01T00:00:00Z", end: "2020-01-01T00:00:00Z" } }))
          .failures,
        [f("validFor.end", "must be in the future (the key would be born expired)")],
      );
    });

    it("a rule that reads an unknown property does not run", async () => {
      for (const news of [
        { ...key, singleUse: UNKNOWN_VALUE, vlan: 100 },
        { ...key, singleUse: false, vlan: UNKNOWN_VALUE },
        { productUid: "port-1", maxSpeed: 500, existingKey: UNKNOWN_VALUE },
        { ...key, validFor: UNKNOWN_VALUE },
      ]) {
        assert.deepEqual((await serviceKeyProvider.check({}, news)).failures, [], JSON.stringify(news));
      }
      const removed = await serviceKeyProvider.check({ ...key, validFor: { end: inFuture } }, { ...key, validFor: UNKNOWN_VALUE });
      assert.deepEqual(removed.failures, []);
    });
  });

  describe("ServiceKeyVxc", () => {
    const vxc = { serviceKey: KEY, aEndProductUid: "port-9", name: "link", rateLimit: 100, account: undefined };
    const vnicRule = "must be the index of a vNIC of the MVE (0 for the first)";
    const vlanRule = 'must be a VLAN 2-4093 or "untagged" (omit it to let Megaport assign one)';
    const cases: [string, Record<string, unknown>, Failure[]][] = [
      ["a short serviceKey", { serviceKey: "abc" }, [{ property: "", reason: "serviceKey: the full service key is required" }]],
      ["an empty aEndProductUid", { aEndProductUid: "" }, [f("aEndProductUid", "the UID of your Port, MCR or MVE is required")]],
      ["an empty name", { name: "" }, [f("name", "a name is required")]],
      ["no rateLimit", { rateLimit: undefined }, [f("rateLimit", "the rate limit in Mbps is required")]],
      ["a fractional rateLimit", { rateLimit: 1.5 }, [f("rateLimit", "must be a whole number of Mbps")]],
      ["a zero rateLimit", { rateLimit: 0 }, [f("rateLimit", "must be a positive number of Mbps")]],
      ["aEndVlan 1", { aEndVlan: 1 }, [f("aEndVlan", 'must be a VLAN 2-4093 or "untagged"')]],
      ["aEndVlan 4094", { aEndVlan: 4094 }, [f("aEndVlan", 'must be a VLAN 2-4093 or "untagged"')]],
      // Not a whole number: no member of the union matches, so the union's own message.
      ["a fractional aEndVlan", { aEndVlan: 2.5 }, [f("aEndVlan", vlanRule)]],
      ["aEndVlan text", { aEndVlan: "tagged" }, [f("aEndVlan", vlanRule)]],
      ["aEndVnicIndex text", { aEndVnicIndex: "first" }, [f("aEndVnicIndex", vnicRule)]],
      ["a fractional aEndVnicIndex", { aEndVnicIndex: 0.5 }, [f("aEndVnicIndex", vnicRule)]],
      ["a negative aEndVnicIndex", { aEndVnicIndex: -1 }, [f("aEndVnicIndex", vnicRule)]],
      ["term 6", { term: 6 }, [f("term", "must be 1, 12, 24, 36, 48 or 60 months")]],
      ["a costCentre of 256 characters", { costCentre: "x".repeat(256) }, [f("costCentre", "must be at most 255 characters")]],
    ];
    for (const [title, extra, failures] of cases) {
      it(`${title}`, async () => {
        assert.deepEqual((await serviceKeyVxcProvider.check({}, { ...vxc, ...extra })).failures, failures);
      });
    }

    it("takes every contract term the API does, and a costCentre of 255 characters", async () => {
      for (const term of [1, 12, 24, 36, 48, 60]) {
        assert.deepEqual((await serviceKeyVxcProvider.check({ ...vxc }, { ...vxc, term })).failures, [], `term ${term}`);
      }
      const olds = { ...vxc, costCentre: "x".repeat(255), serviceKey: KEY };
      assert.deepEqual((await serviceKeyVxcProvider.check(olds, olds)).failures, []);
    });
  });

  describe("VxcOrderApproval", () => {
    const cases: [string, Record<string, unknown>, Failure[]][] = [
      ["a short serviceKey", { serviceKey: "abc", decision: "approve" }, [{ property: "", reason: "serviceKey: must be the full service key" }]],
      ["a decision of maybe", { productUid: "v", decision: "maybe" }, [f("decision", 'must be "approve" or "reject"')]],
      ["both productUid and serviceKey", { productUid: "v", serviceKey: KEY, decision: "approve" }, [f("productUid", "set either productUid or serviceKey, not both")]],
      [
        "neither productUid nor serviceKey",
        { decision: "reject" },
        [f("productUid", "set productUid (the VXC) or serviceKey (a single-use key's order)")],
      ],
      ["an unknown serviceKey with a productUid", { productUid: "v", serviceKey: UNKNOWN_VALUE, decision: "approve" }, []],
      ["an unknown productUid alone", { productUid: UNKNOWN_VALUE, decision: "approve" }, []],
    ];
    for (const [title, news, failures] of cases) {
      it(`${title}`, async () => {
        assert.deepEqual((await vxcOrderApprovalProvider.check({}, news)).failures, failures);
      });
    }
  });
});

/** A failure as check reports it: the property, and a reason that starts with it. */
function f(property: string, rule: string): Failure {
  return { property, reason: `${property}: ${rule}` };
}
