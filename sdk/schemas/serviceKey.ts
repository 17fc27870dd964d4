/** Service keys (docs/megaport-api.md, "Service keys"). */
import { z } from "zod";
import { epochMs, informational, looseNumber, nullable, uid, ValidForSchema } from "./common";
import { ProductSchema } from "./product";

/**
 * The service key object: `data` of look-up, create and update, and each item of a list
 * (docs/megaport-api.md, "The key object"). `productDto` is {@link informational} as a whole (megaportgo's
 * `ServiceKey` does not decode it): only its `productType` is shown, and any variation in it makes it null
 * rather than failing.
 */
export const ServiceKeySchema = z.object({
  key: uid,
  createDate: nullable(epochMs),
  companyId: informational(looseNumber),
  companyUid: nullable(z.string()),
  companyName: nullable(z.string()),
  description: nullable(z.string()),
  productId: informational(looseNumber),
  productUid: uid,
  productName: nullable(z.string()),
  productDto: informational(ProductSchema),
  /** B-End VLAN of a single-use key; null for multi-use keys. */
  vlan: nullable(looseNumber),
  maxSpeed: looseNumber,
  preApproved: nullable(z.boolean()),
  singleUse: z.boolean(),
  lastUsed: nullable(epochMs),
  active: z.boolean(),
  validFor: nullable(ValidForSchema),
  expired: nullable(z.boolean()),
  valid: nullable(z.boolean()),
  promoCode: informational(z.string()),
});
/** A service key as the API returns it. */
export type ServiceKey = z.infer<typeof ServiceKeySchema>;

/** Input of `serviceKeys.create` (POST /v2/service/key, docs/megaport-api.md, "Create"). */
export const CreateServiceKeyInputSchema = z.object({
  productUid: uid,
  maxSpeed: z.number().int().positive(),
  singleUse: z.boolean(),
  /**
   * Always sent: an omitted `active` defaults to true on the API
   * (docs/megaport-api.md, "Create" and "Key rules").
   */
  active: z.boolean(),
  /** Required by the API for single-use keys (the B-End VLAN). */
  vlan: z.number().int().optional(),
  preApproved: z.boolean().optional(),
  description: z.string().optional(),
  validFor: ValidForSchema.optional(),
});
/** What `serviceKeys.create` takes. */
export type CreateServiceKeyInput = z.infer<typeof CreateServiceKeyInputSchema>;

/**
 * Changes accepted by `serviceKeys.update` (the in-place updatable fields, docs/megaport-api.md, "Update").
 */
export const ServiceKeyChangesSchema = z.object({
  active: z.boolean().optional(),
  validFor: ValidForSchema.optional(),
});
/** What `serviceKeys.update` takes. */
export type ServiceKeyChanges = z.infer<typeof ServiceKeyChangesSchema>;

/**
 * What a `PUT /v2/service/key` must carry so that nothing is reset by it (docs/megaport-api.md, "Update").
 */
export type ServiceKeyFields = Pick<
  ServiceKey,
  | "key"
  | "productUid"
  | "singleUse"
  | "active"
  | "validFor"
  | "vlan"
  | "maxSpeed"
  | "preApproved"
  | "description"
>;

/** Filter of `serviceKeys.list`. */
export interface ServiceKeyListFilter {
  /** A product UID or numeric id: only that product's keys. */
  productIdOrUid?: string;
}
