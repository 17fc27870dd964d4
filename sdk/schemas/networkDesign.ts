/** Network design validate and buy (docs/megaport-api.md, "Validate and buy"). */
import { z } from "zod";
import { epochMs, informational, looseNumber, uid } from "./common";

/** A VXC inside an order (`associatedVxcs[j]`, docs/megaport-api.md, "Validate and buy"). */
export const VxcOrderItemSchema = z.object({
  productName: z.string().min(1),
  rateLimit: z.number().int().positive(),
  term: z.number().int(),
  shutdown: z.boolean(),
  promoCode: z.string().optional(),
  costCentre: z.string().max(255).optional(),
  /** The full service key; a secret. */
  serviceKey: z.string().optional(),
  /**
   * Tags of the new VXC (docs/megaport-api.md, "Validate and buy"), read back with `products.tags`
   * (docs/megaport-api.md, "Products").
   */
  resourceTags: z.array(z.object({ key: z.string().min(1), value: z.string() })).optional(),
  /**
   * `vNicIndex`: the MVE vNIC of an MVE A-End (megaportgo `VXCOrderMVEConfig.NetworkInterfaceIndex`,
   * the Terraform provider's `vnic_index`); left out for a Port or MCR.
   */
  aEnd: z.object({
    productUid: z.string().optional(),
    vlan: z.number().int().optional(),
    vNicIndex: z.number().int().min(0).optional(),
  }),
  /**
   * Must be the key's product (a missing B-End gives "Valid B-End is required",
   * docs/megaport-api.md, "Validate and buy").
   */
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

/**
 * One item of a validate answer (price and summary, docs/megaport-api.md, "Validate and buy"). Nothing reads
 * it and megaportgo ignores the whole body (product.go `ValidateProductOrder`), so every field is {@link
 * informational}.
 */
export const ValidationResultSchema = z.object({
  price: informational(z.record(z.string(), z.unknown())),
  serviceName: informational(z.string()),
  productType: informational(z.string()),
  productUid: informational(z.string()),
  market: informational(z.string()),
  /** The API's field literally named `string` holds the metro (docs/megaport-api.md, "Validate and buy"). */
  string: informational(z.string()),
});
/** One item of a validate answer. */
export type ValidationResult = z.infer<typeof ValidationResultSchema>;

/**
 * One item of a buy answer (docs/megaport-api.md, "Validate and buy"). Only the new VXC's UID is read (all
 * megaportgo decodes too: vxc_types.go `VXCOrderConfirmation`); the rest is {@link informational}. The echoed
 * `serviceKey` is deliberately dropped.
 */
export const VxcOrderResultSchema = z.object({
  vxcJTechnicalServiceUid: uid,
  vxcJTechnicalServiceId: informational(looseNumber),
  vxcOrderId: informational(looseNumber),
  createDate: informational(epochMs),
  serviceName: informational(z.string()),
  speed: informational(looseNumber),
  payerVlanId: informational(looseNumber),
  nonPayerVlanId: informational(looseNumber),
  payerCompanyName: informational(z.string()),
  nonPayerCompanyName: informational(z.string()),
  payerStatus: informational(z.string()),
  nonPayerStatus: informational(z.string()),
  fullyApproved: informational(z.boolean()),
  orderType: informational(z.string()),
  fixedTerm: informational(z.boolean()),
  duration: informational(looseNumber),
  costCentre: informational(z.string()),
  vxc: informational(z.object({ provisioningStatus: informational(z.string()) })),
});
/** One item of a buy answer. */
export type VxcOrderResult = z.infer<typeof VxcOrderResultSchema>;
