/** VXCs ordered with a service key (docs/megaport-api.md, "VXCs"). */
import { z } from "zod";
import { epochMs, informational, looseNumber, nullable, uid } from "./common";

/** One end of a VXC (`aEnd` / `bEnd`). */
export const VxcEndSchema = z.object({
  productUid: nullable(z.string()),
  productName: nullable(z.string()),
  vlan: nullable(looseNumber),
  /** The MVE vNIC of this end (megaportgo `VXCEndConfiguration.NetworkInterfaceIndex`). */
  vNicIndex: nullable(looseNumber),
  ownerUid: informational(z.string()),
  locationId: informational(looseNumber),
  location: informational(z.string()),
  innerVlan: informational(looseNumber),
  secondaryName: informational(z.string()),
});
/** One end of a VXC. */
export type VxcEnd = z.infer<typeof VxcEndSchema>;

const allNullApproval = { status: null, message: null, uid: null, type: null, newSpeed: null };

/**
 * `vxcApproval`: every member null when no approval is in play (docs/megaport-api.md, "Approval states");
 * `status` decides.
 */
export const VxcApprovalSchema = z
  .object({
    status: nullable(z.string()),
    message: nullable(z.string()),
    uid: nullable(z.string()),
    type: nullable(z.string()),
    newSpeed: nullable(looseNumber),
  })
  .nullish()
  .transform((value) => value ?? allNullApproval);
/** The approval state of a VXC order. */
export type VxcApproval = z.infer<typeof VxcApprovalSchema>;

/**
 * `resources.vll`: an object, but `[]` after decommissioning (docs/megaport-api.md, "The VXC product"); `[]`
 * becomes null.
 */
const VllSchema = z
  .union([
    z.array(z.unknown()).transform(() => null),
    z.looseObject({
      a_vlan: nullable(looseNumber),
      b_vlan: nullable(looseNumber),
      rate_limit_mbps: nullable(looseNumber),
      up: nullable(z.union([z.boolean(), z.number()])),
      shutdown: nullable(z.boolean()),
    }),
  ])
  .nullish()
  .transform((value) => value ?? null);

/** `resources` of a VXC; only `vll` is interpreted, the rest passes through. */
export const VxcResourcesSchema = z
  .looseObject({ vll: VllSchema })
  .nullish()
  .transform((value) => value ?? null);

/** A VXC (`GET /v2/product/{uid}`, docs/megaport-api.md, "The VXC product"). */
export const VxcSchema = z.object({
  productId: nullable(looseNumber),
  productUid: uid,
  productName: z.string(),
  rateLimit: looseNumber,
  provisioningStatus: z.string(),
  createDate: nullable(epochMs),
  costCentre: nullable(z.string()),
  contractTermMonths: nullable(looseNumber),
  shutdown: nullable(z.boolean()),
  productType: informational(z.string()),
  companyUid: informational(z.string()),
  companyName: informational(z.string()),
  liveDate: informational(epochMs),
  distanceBand: informational(z.string()),
  locked: informational(z.boolean()),
  adminLocked: informational(z.boolean()),
  cancelable: informational(z.boolean()),
  aEnd: VxcEndSchema,
  bEnd: VxcEndSchema,
  vxcApproval: VxcApprovalSchema,
  resources: VxcResourcesSchema,
});
/** A VXC as the API returns it. */
export type Vxc = z.infer<typeof VxcSchema>;

/**
 * Changes for `PUT /v3/product/vxc/{uid}`; send only what changes (docs/megaport-api.md, "Changing a VXC").
 */
export const VxcUpdateSchema = z.object({
  name: z.string().optional(),
  rateLimit: z.number().int().positive().optional(),
  costCentre: z.string().max(255).optional(),
  shutdown: z.boolean().optional(),
  term: z.number().int().optional(),
  aEndVlan: z.number().int().optional(),
  /** Only the B-End owner may change it (403 otherwise, docs/megaport-api.md, "Changing a VXC"). */
  bEndVlan: z.number().int().optional(),
  /** The approver's side: approve (true) or reject (false) a pending order. */
  isApproved: z.boolean().optional(),
  /** A new vNIC for an MVE A-End (megaportgo `VXCUpdate.AVnicIndex`, vxc_types.go). */
  aVnicIndex: z.number().int().min(0).optional(),
});
/** What `vxcs.update` takes. */
export type VxcUpdate = z.infer<typeof VxcUpdateSchema>;

/**
 * Lifecycle actions of `POST /v3/product/{uid}/action/{action}` (docs/megaport-api.md, "Cancelling a VXC").
 */
export type VxcCancelAction = "CANCEL_NOW" | "CANCEL" | "UN_CANCEL";
