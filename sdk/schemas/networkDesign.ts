/** Network design validate and buy (megaport-api.md §4.2, §4.3). */
import { z } from "zod";
import { epochMs, looseNumber, nullable, uid } from "./common";

/** A VXC inside an order (`associatedVxcs[j]`, §4.2). */
export const VxcOrderItemSchema = z.object({
  productName: z.string().min(1),
  rateLimit: z.number().int().positive(),
  term: z.number().int(),
  shutdown: z.boolean(),
  promoCode: z.string().optional(),
  costCentre: z.string().max(255).optional(),
  /** The full service key; a secret. */
  serviceKey: z.string().optional(),
  /** Tags of the new VXC (§4.2), read back with `products.tags` (§6). */
  resourceTags: z.array(z.object({ key: z.string().min(1), value: z.string() })).optional(),
  aEnd: z.object({ productUid: z.string().optional(), vlan: z.number().int().optional() }),
  /** Must be the key's product (a missing B-End gives "Valid B-End is required", §4.2). */
  bEnd: z.object({ productUid: uid, vlan: z.number().int().optional() }),
});
/** A VXC inside an order. */
export type VxcOrderItem = z.infer<typeof VxcOrderItemSchema>;

/** One order of the network design: the A-End product and its new VXCs. */
export const VxcOrderSchema = z.object({
  productUid: uid,
  associatedVxcs: z.array(VxcOrderItemSchema).min(1),
});
/** One order of a network design. */
export type VxcOrder = z.infer<typeof VxcOrderSchema>;

/** One item of a validate answer (price and summary, §4.2; the price object is loose). */
export const ValidationResultSchema = z.object({
  price: nullable(z.record(z.string(), z.unknown())),
  serviceName: nullable(z.string()),
  productType: nullable(z.string()),
  productUid: nullable(z.string()),
  market: nullable(z.string()),
  /** The API's field literally named `string` holds the metro (§4.2). */
  string: nullable(z.string()),
});
/** One item of a validate answer. */
export type ValidationResult = z.infer<typeof ValidationResultSchema>;

/** One item of a buy answer (§4.3). The echoed `serviceKey` is deliberately dropped. */
export const VxcOrderResultSchema = z.object({
  vxcJTechnicalServiceUid: uid,
  vxcJTechnicalServiceId: nullable(z.number()),
  vxcOrderId: nullable(z.number()),
  createDate: nullable(epochMs),
  serviceName: nullable(z.string()),
  speed: nullable(looseNumber),
  payerVlanId: nullable(looseNumber),
  nonPayerVlanId: nullable(looseNumber),
  payerCompanyName: nullable(z.string()),
  nonPayerCompanyName: nullable(z.string()),
  payerStatus: nullable(z.string()),
  nonPayerStatus: nullable(z.string()),
  fullyApproved: nullable(z.boolean()),
  orderType: nullable(z.string()),
  fixedTerm: nullable(z.boolean()),
  duration: nullable(looseNumber),
  costCentre: nullable(z.string()),
  vxc: nullable(z.object({ provisioningStatus: nullable(z.string()) })),
});
/** One item of a buy answer. */
export type VxcOrderResult = z.infer<typeof VxcOrderResultSchema>;
