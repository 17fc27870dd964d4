/**
 * The exported zod schemas (sdk/schemas/) parsed directly: how loose each wire shape is
 * (docs/megaport-api-variance.md) and what the input shapes refuse. The emulator's answers always
 * fit, so these edges are only reachable by parsing. Written against the surviving mutants of
 * `make mutation` (docs/testing.md, "Mutation testing").
 */
import assert from "node:assert/strict";
import { z } from "zod";
import {
  CreateServiceKeyInputSchema,
  epochMs,
  formatIssues,
  looseNumber,
  ProductSchema,
  ResourceTagsSchema,
  ServiceKeyChangesSchema,
  ServiceKeySchema,
  ValidationResultSchema,
  VxcOrderResultSchema,
  VxcOrderSchema,
  VxcSchema,
  VxcUpdateSchema,
} from "../../sdk";

const ok = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;

/** The issues of a failed parse, formatted as the SDK formats them. */
const issues = (schema: z.ZodType, value: unknown, prefix = "data") => {
  const parsed = schema.safeParse(value);
  assert.ok(!parsed.success, `expected ${JSON.stringify(value)} to fail`);
  return formatIssues(parsed.error, prefix);
};

describe("sdk: schemas", () => {
  describe("common", () => {
    it("looseNumber takes numbers and numeric strings (trimmed), nothing else", () => {
      assert.equal(looseNumber.parse(5), 5);
      assert.equal(looseNumber.parse("42"), 42);
      assert.equal(looseNumber.parse(" 7 "), 7);
      assert.equal(looseNumber.parse("1.5"), 1.5);
      for (const bad of ["", "   ", "abc", "12abc", null, true]) assert.ok(!ok(looseNumber, bad), String(bad));
    });

    it("epochMs takes epoch numbers, numeric strings and ISO-8601 dates", () => {
      assert.equal(epochMs.parse(1_700_000_000_000), 1_700_000_000_000);
      assert.equal(epochMs.parse("1700000000000"), 1_700_000_000_000);
      assert.equal(epochMs.parse("2026-12-03"), Date.parse("2026-12-03"));
      assert.equal(epochMs.parse("2026-12-03T10:20:30Z"), Date.parse("2026-12-03T10:20:30Z"));
      assert.equal(epochMs.parse(" 2026-12-03T10:20:30.5+02:00 "), Date.parse("2026-12-03T10:20:30.5+02:00"));
      assert.equal(epochMs.parse("2026-12-03 10:20:30+0200"), Date.parse("2026-12-03T10:20:30+02:00"));
      // Only ISO-8601: not the other texts Date.parse would read ("x 2026-12-03", "… GMT").
      for (const bad of ["2026-13-45", "03/12/2026", "x 2026-12-03", "2026-12-03 10:00 GMT", "2026-1-3", "tomorrow", null]) {
        assert.ok(!ok(epochMs, bad), String(bad));
      }
    });

    it("formatIssues names at most five field paths, or (root), never the values", () => {
      const schema = z.object({ a: z.string(), b: z.string(), c: z.string(), d: z.string(), e: z.string(), f: z.string() });
      const text = issues(schema, { a: 1, b: 1, c: 1, d: 1, e: 1, f: 1 }, "");
      assert.deepEqual(
        text.split("; ").map((part) => part.split(":")[0]),
        ["a", "b", "c", "d", "e"],
      );
      assert.equal(issues(z.string(), 5, ""), "(root): Invalid input: expected string, received number");
      assert.match(issues(z.object({ x: z.object({ y: z.string() }) }), { x: { y: 1 } }, "data"), /^data\.x\.y: /);
      assert.ok(!issues(z.number(), "secret-value-2", "").includes("secret-value-2"));
    });
  });

  describe("product", () => {
    const product = {
      productUid: "p-1",
      productType: "MEGAPORT",
      provisioningStatus: "LIVE",
      portSpeed: 1000,
    };

    it("reads vxcpermitted as vxcPermitted; vxcPermitted wins when both are present", () => {
      assert.equal(ProductSchema.parse({ ...product, vxcpermitted: true }).vxcPermitted, true);
      assert.equal(ProductSchema.parse({ ...product, vxcPermitted: false, vxcpermitted: true }).vxcPermitted, false);
      assert.equal(ProductSchema.parse(product).vxcPermitted, null);
      assert.ok(!ok(ProductSchema, [product]), "a list is not a product");
      assert.ok(!ok(ProductSchema, null));
    });

    it("associatedVxcs: null is none; each item needs a productUid, the rest may be null", () => {
      assert.deepEqual(ProductSchema.parse({ ...product, associatedVxcs: null }).associatedVxcs, []);
      assert.deepEqual(
        ProductSchema.parse({ ...product, associatedVxcs: [{ productUid: "v", rateLimit: "50" }] }).associatedVxcs,
        [{ productUid: "v", productName: null, provisioningStatus: null, rateLimit: 50 }],
      );
      assert.match(issues(ProductSchema, { ...product, associatedVxcs: [{ productUid: "" }] }), /^data\.associatedVxcs\.0\.productUid: /);
    });

    it("informational fields of another type read as null; read fields of another type fail", () => {
      const parsed = ProductSchema.parse({ ...product, productName: 5, createDate: "soon", locked: "no", aggregationId: "a" });
      assert.equal(parsed.productName, null);
      assert.equal(parsed.createDate, null);
      assert.equal(parsed.locked, null);
      assert.equal(parsed.aggregationId, "a");
      assert.match(issues(ProductSchema, { ...product, portSpeed: "fast" }), /^data\.portSpeed: /);
      assert.match(issues(ProductSchema, { ...product, productType: null }), /^data\.productType: /);
    });

    it("resource tags: null data or null list is none; a tag needs a string key and value", () => {
      assert.deepEqual(ResourceTagsSchema.parse(null), { resourceTags: [] });
      assert.deepEqual(ResourceTagsSchema.parse(undefined), { resourceTags: [] });
      assert.deepEqual(ResourceTagsSchema.parse({ resourceTags: [{ key: "k", value: "v" }] }), {
        resourceTags: [{ key: "k", value: "v" }],
      });
      assert.ok(!ok(ResourceTagsSchema, { resourceTags: [{ key: "k", value: 1 }] }));
    });
  });

  describe("service key", () => {
    const key = {
      key: "k-1",
      productUid: "p-1",
      maxSpeed: "100",
      singleUse: false,
      active: true,
      validFor: { start: "1700000000000", end: 1_800_000_000_000 },
      productDto: { productUid: "p-1" },
    };

    it("coerces numbers, keeps a broken productDto as null, and requires the fields the code reads", () => {
      const parsed = ServiceKeySchema.parse(key);
      assert.equal(parsed.maxSpeed, 100);
      assert.deepEqual(parsed.validFor, { start: 1_700_000_000_000, end: 1_800_000_000_000 });
      assert.equal(parsed.productDto, null, "a productDto without productType is informational: null");
      assert.equal(parsed.vlan, null);
      for (const field of ["key", "productUid", "maxSpeed", "singleUse", "active"]) {
        const { [field]: _dropped, ...rest } = key as Record<string, unknown>;
        assert.match(issues(ServiceKeySchema, rest), new RegExp(`^data\\.${field}: `), field);
      }
    });

    it("the create input needs a positive whole maxSpeed and a whole vlan; changes take active and validFor", () => {
      const input = { productUid: "p", maxSpeed: 10, singleUse: true, active: true };
      assert.ok(ok(CreateServiceKeyInputSchema, { ...input, vlan: 5, preApproved: false, description: "d" }));
      for (const bad of [{ maxSpeed: 0 }, { maxSpeed: 1.5 }, { vlan: 1.5 }, { productUid: "" }, { active: undefined }]) {
        assert.ok(!ok(CreateServiceKeyInputSchema, { ...input, ...bad }), JSON.stringify(bad));
      }
      assert.ok(ok(ServiceKeyChangesSchema, {}));
      assert.ok(ok(ServiceKeyChangesSchema, { active: false, validFor: { start: 1, end: 2 } }));
      assert.ok(!ok(ServiceKeyChangesSchema, { active: "yes" }));
    });
  });

  describe("network design", () => {
    const item = {
      productName: "v",
      rateLimit: 100,
      term: 12,
      shutdown: false,
      aEnd: { vlan: 10 },
      bEnd: { productUid: "b" },
    };

    it("an order needs a product, at least one VXC, a name, a positive whole rate limit, a B-End product", () => {
      assert.ok(ok(VxcOrderSchema, { productUid: "a", associatedVxcs: [item] }));
      assert.ok(ok(VxcOrderSchema, { productUid: "a", associatedVxcs: [{ ...item, aEnd: { vNicIndex: 0 }, costCentre: "x".repeat(255), resourceTags: [{ key: "k", value: "" }] }] }));
      const bad: Record<string, unknown>[] = [
        { productUid: "" },
        { associatedVxcs: [] },
        { associatedVxcs: [{ ...item, productName: "" }] },
        { associatedVxcs: [{ ...item, rateLimit: 0 }] },
        { associatedVxcs: [{ ...item, rateLimit: 1.5 }] },
        { associatedVxcs: [{ ...item, term: 1.5 }] },
        { associatedVxcs: [{ ...item, costCentre: "x".repeat(256) }] },
        { associatedVxcs: [{ ...item, resourceTags: [{ key: "", value: "v" }] }] },
        { associatedVxcs: [{ ...item, aEnd: { vNicIndex: -1 } }] },
        { associatedVxcs: [{ ...item, aEnd: { vlan: 1.5 } }] },
        { associatedVxcs: [{ ...item, bEnd: { productUid: "" } }] },
        { associatedVxcs: [{ ...item, bEnd: { productUid: "b", vlan: 2.5 } }] },
      ];
      for (const change of bad) {
        assert.ok(!ok(VxcOrderSchema, { productUid: "a", associatedVxcs: [item], ...change }), JSON.stringify(change));
      }
    });

    it("a validate item of any shape parses, its fields null when they do not fit", () => {
      assert.deepEqual(ValidationResultSchema.parse({ price: "free", serviceName: 5, string: "Sydney" }), {
        price: null,
        serviceName: null,
        productType: null,
        productUid: null,
        market: null,
        string: "Sydney",
      });
    });

    it("a buy item needs the new VXC's uid; the rest is read loosely", () => {
      const parsed = VxcOrderResultSchema.parse({
        vxcJTechnicalServiceUid: "v-1",
        speed: "100",
        createDate: "2026-12-03",
        vxc: { provisioningStatus: 5 },
        fullyApproved: "yes",
      });
      assert.equal(parsed.speed, 100);
      assert.equal(parsed.createDate, Date.parse("2026-12-03"));
      assert.deepEqual(parsed.vxc, { provisioningStatus: null });
      assert.equal(parsed.fullyApproved, null);
      assert.match(issues(VxcOrderResultSchema, { vxcJTechnicalServiceUid: "" }), /^data\.vxcJTechnicalServiceUid: /);
    });
  });

  describe("vxc", () => {
    const end = { productUid: "p", productName: null, vlan: "10", vNicIndex: null };
    const vxc = {
      productUid: "v-1",
      productName: "n",
      rateLimit: "100",
      provisioningStatus: "LIVE",
      aEnd: end,
      bEnd: end,
    };

    it("vxcApproval null or absent reads as all-null; its members are kept when present", () => {
      const none = { status: null, message: null, uid: null, type: null, newSpeed: null };
      assert.deepEqual(VxcSchema.parse(vxc).vxcApproval, none);
      assert.deepEqual(VxcSchema.parse({ ...vxc, vxcApproval: null }).vxcApproval, none);
      assert.deepEqual(VxcSchema.parse({ ...vxc, vxcApproval: { status: "PENDING", newSpeed: "200" } }).vxcApproval, {
        ...none,
        status: "PENDING",
        newSpeed: 200,
      });
      assert.equal(VxcSchema.parse(vxc).aEnd.vlan, 10);
    });

    it("resources.vll: [] after decommissioning reads as null; an object keeps its fields", () => {
      assert.equal(VxcSchema.parse({ ...vxc, resources: { vll: [] } }).resources?.vll, null);
      assert.equal(VxcSchema.parse({ ...vxc, resources: null }).resources, null);
      assert.equal(VxcSchema.parse({ ...vxc, resources: {} }).resources?.vll, null);
      const vll = VxcSchema.parse({
        ...vxc,
        resources: { vll: { a_vlan: "10", b_vlan: null, rate_limit_mbps: 100, up: 1, shutdown: false, extra: "x" } },
        other: true,
      }).resources?.vll as Record<string, unknown>;
      assert.deepEqual(vll, { a_vlan: 10, b_vlan: null, rate_limit_mbps: 100, up: 1, shutdown: false, extra: "x" });
      assert.ok(!ok(VxcSchema, { ...vxc, resources: { vll: { up: "yes" } } }));
      assert.ok(!ok(VxcSchema, { ...vxc, resources: { vll: "gone" } }));
    });

    it("the update input: whole numbers, a positive rate limit, cost centre up to 255, vNIC 0 or more", () => {
      assert.ok(ok(VxcUpdateSchema, { name: "n", rateLimit: 1, costCentre: "x".repeat(255), aVnicIndex: 0, isApproved: true }));
      for (const bad of [
        { rateLimit: 0 },
        { rateLimit: 1.5 },
        { costCentre: "x".repeat(256) },
        { term: 1.5 },
        { aEndVlan: 1.5 },
        { bEndVlan: 1.5 },
        { aVnicIndex: -1 },
        { aVnicIndex: 0.5 },
        { shutdown: "no" },
      ]) {
        assert.ok(!ok(VxcUpdateSchema, bad), JSON.stringify(bad));
      }
    });
  });
});
