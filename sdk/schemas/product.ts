/** Products: Port (`MEGAPORT`), MCR (`MCR2`), MVE and VXC summaries (megaport-api.md §6). */
import { z } from "zod";
import { epochMs, looseNumber, nullable, uid } from "./common";

/**
 * Ports and the key's `productDto` spell it `vxcpermitted`, MCR/MVE/orders `vxcPermitted` (§2).
 * Both are read and exposed as `vxcPermitted`.
 */
function unifyVxcPermitted(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const record = raw as Record<string, unknown>;
  if (record.vxcPermitted === undefined && record.vxcpermitted !== undefined) {
    return { ...record, vxcPermitted: record.vxcpermitted };
  }
  return record;
}

/** A VXC as listed under a product's `associatedVxcs` (only the summary fields). */
export const AssociatedVxcSchema = z.object({
  productUid: uid,
  productName: nullable(z.string()),
  provisioningStatus: nullable(z.string()),
  rateLimit: nullable(looseNumber),
});
/** A VXC summary under a product. */
export type AssociatedVxc = z.infer<typeof AssociatedVxcSchema>;

/** A product (`GET /v2/product/{uid}`, `GET /v2/products`, a key's `productDto`). */
export const ProductSchema = z.preprocess(
  unifyVxcPermitted,
  z.object({
    productId: nullable(z.number()),
    productUid: uid,
    productName: nullable(z.string()),
    productType: z.string(),
    provisioningStatus: z.string(),
    createDate: nullable(epochMs),
    portSpeed: nullable(looseNumber),
    maxVxcSpeed: nullable(looseNumber),
    rateLimit: nullable(looseNumber),
    locationId: nullable(z.number()),
    market: nullable(z.string()),
    companyUid: nullable(z.string()),
    companyName: nullable(z.string()),
    costCentre: nullable(z.string()),
    contractTermMonths: nullable(z.number()),
    marketplaceVisibility: nullable(z.boolean()),
    vxcPermitted: nullable(z.boolean()),
    vxcAutoApproval: nullable(z.boolean()),
    virtual: nullable(z.boolean()),
    locked: nullable(z.boolean()),
    adminLocked: nullable(z.boolean()),
    cancelable: nullable(z.boolean()),
    aggregationId: nullable(z.union([z.number(), z.string()])),
    associatedVxcs: z
      .array(AssociatedVxcSchema)
      .nullish()
      .transform((value) => value ?? []),
  }),
);
/** A Port, MCR, MVE or VXC summary. */
export type Product = z.infer<typeof ProductSchema>;

/** A resource tag of a product or VXC (§4.2, §6). */
export const ResourceTagSchema = z.object({ key: z.string(), value: z.string() });
/** A resource tag. */
export type ResourceTag = z.infer<typeof ResourceTagSchema>;

/** `data` of `GET /v2/product/{uid}/tags` (megaportgo reads `data.resourceTags`, §4.1). */
export const ResourceTagsSchema = z.object({ resourceTags: z.array(ResourceTagSchema) });
