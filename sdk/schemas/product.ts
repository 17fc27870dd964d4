/** Products: Port (`MEGAPORT`), MCR (`MCR2`), MVE and VXC summaries (docs/megaport-api.md, "Products"). */
import { z } from "zod";
import { epochMs, informational, looseArray, looseNumber, nullable, uid } from "./common";

/**
 * Ports and the key's `productDto` spell it `vxcpermitted`, MCR/MVE/orders `vxcPermitted`
 * (docs/megaport-api.md, "Conventions"). Both are read and exposed as `vxcPermitted`.
 */
function unifyVxcPermitted(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const record = raw as Record<string, unknown>;
  if (record.vxcPermitted === undefined && record.vxcpermitted !== undefined) {
    return { ...record, vxcPermitted: record.vxcpermitted };
  }
  return record;
}

/** A VXC as listed under a product's `associatedVxcs` (only the summary fields the code reads). */
export const AssociatedVxcSchema = z.object({
  productUid: uid,
  productName: nullable(z.string()),
  provisioningStatus: nullable(z.string()),
  rateLimit: nullable(looseNumber),
});
/** A VXC summary under a product. */
export type AssociatedVxc = z.infer<typeof AssociatedVxcSchema>;

/**
 * A product (`GET /v2/product/{uid}`, `GET /v2/products`, a key's `productDto`). The UID, type,
 * status, speeds, `vxcPermitted` and `associatedVxcs` are read; every other field is
 * {@link informational}. `productType` is compared case-insensitively, as megaportgo does
 * (product.go `GetProductType`, `ListProducts`).
 */
export const ProductSchema = z.preprocess(
  unifyVxcPermitted,
  z.object({
    productUid: uid,
    productType: z.string(),
    provisioningStatus: z.string(),
    portSpeed: nullable(looseNumber),
    maxVxcSpeed: nullable(looseNumber),
    vxcPermitted: nullable(z.boolean()),
    associatedVxcs: looseArray(AssociatedVxcSchema),
    productId: informational(looseNumber),
    productName: informational(z.string()),
    createDate: informational(epochMs),
    rateLimit: informational(looseNumber),
    locationId: informational(looseNumber),
    market: informational(z.string()),
    companyUid: informational(z.string()),
    companyName: informational(z.string()),
    costCentre: informational(z.string()),
    contractTermMonths: informational(looseNumber),
    marketplaceVisibility: informational(z.boolean()),
    vxcAutoApproval: informational(z.boolean()),
    virtual: informational(z.boolean()),
    locked: informational(z.boolean()),
    adminLocked: informational(z.boolean()),
    cancelable: informational(z.boolean()),
    aggregationId: informational(z.union([z.number(), z.string()])),
  }),
);
/** A Port, MCR, MVE or VXC summary. */
export type Product = z.infer<typeof ProductSchema>;

/** A resource tag of a product or VXC (docs/megaport-api.md, "Validate and buy" and "Products"). */
export const ResourceTagSchema = z.object({ key: z.string(), value: z.string() });
/** A resource tag. */
export type ResourceTag = z.infer<typeof ResourceTagSchema>;

/**
 * `data` of `GET /v2/product/{uid}/tags` (megaportgo reads `data.resourceTags`,
 * docs/megaport-api.md, "The VXC product"); null = none.
 */
export const ResourceTagsSchema = z
  .object({ resourceTags: looseArray(ResourceTagSchema) })
  .nullish()
  .transform((value) => value ?? { resourceTags: [] });
