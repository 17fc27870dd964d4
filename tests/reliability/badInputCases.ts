/**
 * The bad inputs of issue 8 §4: each one names the property its error must name and the rule the
 * message must state. `args` is a patch over the resource's valid base arguments (a property set to
 * `undefined` is removed). Cases marked `alone` run in a preview of their own (rules across
 * properties, API look-ups, accounts and credentials); the others are packed, several per
 * preview, into one resource with distinct bad properties (check reports every failure at once).
 */
import type { ConfigMap } from "@pulumi/pulumi/automation";

export type ResourceKind = "ServiceKey" | "ServiceKeyVxc" | "VxcOrderApproval";

/** One bad input. */
export interface BadInputCase {
  title: string;
  resource: ResourceKind;
  args: Record<string, unknown>;
  /** The property (or config key) the error must name. */
  property: string;
  /** What the message must say about it. */
  reason: RegExp;
  alone?: boolean;
  /** Stack config set for this case only (values as for `setAllConfig`). */
  config?: ConfigMap;
  /** Stack config removed for this case only. */
  unsetConfig?: string[];
}

/** Products and keys the cases refer to. Keys are written `$key:<name>` (see the fixture). */
export interface CaseContext {
  eastPort: string;
  westPort: string;
  /** An MVE of the consumer: its VXCs need `aEndVnicIndex`. */
  westMve: string;
  unknownProductUid: string;
}

/** The valid arguments each case starts from. */
export function baseArgs(resource: ResourceKind, ctx: CaseContext): Record<string, unknown> {
  switch (resource) {
    case "ServiceKey":
      return { account: "owner", productUid: ctx.eastPort, maxSpeed: 500, singleUse: true, vlan: 300 };
    case "ServiceKeyVxc":
      return {
        account: "consumer",
        serviceKey: "$key:good",
        aEndProductUid: ctx.westPort,
        name: "bad input",
        rateLimit: 100,
      };
    case "VxcOrderApproval":
      return { account: "owner", productUid: ctx.unknownProductUid, decision: "approve" };
  }
}

/**
 * What a missing required property must say: "required", or zod's "expected string, received
 * undefined" (clear enough, though "is required" reads better).
 */
const MISSING = /required|expected (string|number), received (undefined|null)/i;

/** Every bad input: 52 cases over the three resources and the provider configuration. */
export function badInputCases(ctx: CaseContext): BadInputCase[] {
  /** A builder of the cases of one resource. */
  const casesOf =
    (resource: ResourceKind) =>
    (title: string, args: Record<string, unknown>, property: string, reason: RegExp, alone = false): BadInputCase => ({
      title,
      resource,
      args,
      property,
      reason,
      alone,
    });
  const key = casesOf("ServiceKey");
  const vxc = casesOf("ServiceKeyVxc");
  const approval = casesOf("VxcOrderApproval");
  return [
    // ServiceKey: types and ranges
    key("productUid missing", { productUid: undefined }, "productUid", MISSING),
    key("productUid a number", { productUid: 42 }, "productUid", /string|required/i),
    key("maxSpeed missing", { maxSpeed: undefined }, "maxSpeed", MISSING),
    key("maxSpeed a string", { maxSpeed: "fast" }, "maxSpeed", /Mbps|number/i),
    key("maxSpeed zero", { maxSpeed: 0 }, "maxSpeed", /positive/i),
    key("maxSpeed negative", { maxSpeed: -100 }, "maxSpeed", /positive/i),
    key("maxSpeed fractional", { maxSpeed: 1.5 }, "maxSpeed", /whole/i),
    key("vlan below range", { vlan: 1 }, "vlan", /2-4093/),
    key("vlan above range", { vlan: 4094 }, "vlan", /2-4093/),
    key("vlan a string", { vlan: "100" }, "vlan", /number|VLAN/i),
    key("singleUse not a boolean", { singleUse: "yes" }, "singleUse", /boolean/i),
    key("preApproved not a boolean", { preApproved: 1 }, "preApproved", /boolean/i),
    key("active not a boolean", { active: "false" }, "active", /boolean/i),
    key("description not a string", { description: 42 }, "description", /string/i),
    key("validFor.end not a date", { validFor: { end: "next tuesday" } }, "validFor", /ISO-8601|date/i),
    key(
      "validFor.start not a date",
      { validFor: { start: "2030-13-45", end: "2031-01-01T00:00:00Z" } },
      "validFor",
      /ISO-8601|date/i,
    ),
    key(
      "validFor without an end",
      { validFor: { start: "2030-01-01T00:00:00Z" } },
      "validFor",
      /end|required/i,
    ),
    key("existingKey malformed", { existingKey: "abc" }, "existingKey", /service key/i),
    // ServiceKey: rules across properties, accounts
    key("a VLAN on a multi-use key", { singleUse: false, vlan: 100 }, "vlan", /single-use/i, true),
    key("a single-use key without a VLAN", { vlan: undefined }, "vlan", /needs a VLAN/i, true),
    key(
      "validFor ends before it starts",
      { validFor: { start: "2031-01-01T00:00:00Z", end: "2030-01-01T00:00:00Z" } },
      "validFor",
      /after/i,
      true,
    ),
    key("an unknown account", { account: "nobody" }, "account", /nobody|megaport:accounts/i, true),

    // ServiceKeyVxc: types and ranges
    vxc("serviceKey missing", { serviceKey: undefined }, "serviceKey", MISSING),
    vxc("aEndProductUid missing", { aEndProductUid: undefined }, "aEndProductUid", MISSING),
    vxc("name missing", { name: undefined }, "name", MISSING),
    vxc("rateLimit zero", { rateLimit: 0 }, "rateLimit", /positive/i),
    vxc("aEndVlan below range", { aEndVlan: 1 }, "aEndVlan", /2-4093/),
    vxc("term not a contract term", { term: 7 }, "term", /1, 12, 24, 36, 48 or 60/),
    vxc("costCentre too long", { costCentre: "c".repeat(256) }, "costCentre", /255/),
    vxc("shutdown not a boolean", { shutdown: "no" }, "shutdown", /boolean/i),
    vxc("waitForApproval not a boolean", { waitForApproval: "yes" }, "waitForApproval", /boolean/i),
    vxc(
      "timeouts.create not a duration",
      { timeouts: { create: "soon" } },
      "timeouts",
      /duration|15m|invalid|must/i,
    ),
    vxc("rateLimit a string", { rateLimit: "fast" }, "rateLimit", /Mbps|number/i),
    vxc("aEndVlan above range", { aEndVlan: 5000 }, "aEndVlan", /2-4093/),
    vxc("aEndVlan an unknown word", { aEndVlan: "tagged" }, "aEndVlan", /untagged/),
    vxc("serviceKey too short to be a key", { serviceKey: "abc" }, "serviceKey", /service key/i),
    vxc("aEndVnicIndex negative", { aEndVnicIndex: -1 }, "aEndVnicIndex", /vNIC/),
    // ServiceKeyVxc: what the API would say (key look-up and validate), accounts
    vxc(
      "a key of another environment",
      { serviceKey: "$key:foreign" },
      "serviceKey",
      /not found|no such|does not exist|unknown|not valid/i,
      true,
    ),
    vxc("an inactive key", { serviceKey: "$key:inactive" }, "serviceKey", /not active|inactive/i, true),
    vxc(
      "an MVE A-End without aEndVnicIndex",
      { aEndProductUid: ctx.westMve },
      "aEndVnicIndex",
      /required for an MVE A-End/,
      true,
    ),
    vxc("aEndVnicIndex on a Port A-End", { aEndVnicIndex: 0 }, "aEndVnicIndex", /MVE A-End only/, true),
    vxc("an expired key", { serviceKey: "$key:expired" }, "serviceKey", /expired/i, true),
    vxc("a used single-use key", { serviceKey: "$key:consumed" }, "serviceKey", /used|consumed/i, true),
    vxc(
      "rateLimit above the key's maxSpeed",
      { serviceKey: "$key:small", rateLimit: 200 },
      "rateLimit",
      /exceeds|maximum/i,
      true,
    ),
    vxc(
      "an A-End of another company",
      { aEndProductUid: ctx.eastPort },
      "aEndProductUid",
      /belong|company|owner/i,
      true,
    ),
    vxc(
      "an A-End that does not exist",
      { aEndProductUid: ctx.unknownProductUid },
      "aEndProductUid",
      /not found|does not exist|unknown/i,
      true,
    ),
    vxc("an unknown account", { account: "nobody" }, "account", /nobody|megaport:accounts/i, true),

    // VxcOrderApproval
    approval("decision not approve or reject", { decision: "maybe" }, "decision", /approve.*reject/i),
    approval("comment not a string", { comment: 42 }, "comment", /string/i),
    approval("waitForOrder not a boolean", { waitForOrder: "yes" }, "waitForOrder", /boolean/i),
    approval("decision missing", { decision: undefined }, "decision", /approve.*reject|required/i, true),
    approval(
      "neither productUid nor serviceKey",
      { productUid: undefined },
      "productUid",
      /serviceKey/i,
      true,
    ),

    // Provider configuration
    {
      title: "missing credentials",
      resource: "ServiceKey",
      args: { account: undefined },
      property: "megaport:accessKey",
      reason: /credentials|secretKey/i,
      alone: true,
      unsetConfig: ["megaport:accounts"],
    },
    {
      title: "an unknown environment",
      resource: "ServiceKey",
      args: {},
      property: "megaport:environment",
      reason: /production, staging, development|production.*staging/i,
      alone: true,
      config: { "megaport:environment": { value: "moon" } },
    },
  ];
}

/** Properties a patch touches (a case conflicts with another that touches one of them). */
const touched = (badCase: BadInputCase) => Object.keys(badCase.args);

/**
 * Packs the cases into previews: `alone` cases get their own; the others share a resource with
 * cases of the same resource type whose patches touch different properties.
 */
export function packCases(cases: BadInputCase[]): BadInputCase[][] {
  const groups: BadInputCase[][] = [];
  for (const badCase of cases) {
    if (badCase.alone) {
      groups.push([badCase]);
      continue;
    }
    const fits = groups.find(
      (group) =>
        !group[0].alone &&
        group[0].resource === badCase.resource &&
        group.every((other) => touched(other).every((property) => !touched(badCase).includes(property))),
    );
    if (fits) fits.push(badCase);
    else groups.push([badCase]);
  }
  return groups;
}

/** The arguments of a packed group: the base with every patch applied (undefined removes). */
export function groupArgs(group: BadInputCase[], ctx: CaseContext): Record<string, unknown> {
  const args = baseArgs(group[0].resource, ctx);
  for (const badCase of group) {
    for (const [property, value] of Object.entries(badCase.args)) {
      if (value === undefined) delete args[property];
      else args[property] = value;
    }
  }
  return args;
}
