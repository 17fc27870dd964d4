/**
 * The shape of a `ServiceKeyVxc`: its checked inputs (the zod schema, single source of truth), its
 * facts and outputs (docs/megaport-api.md, "VXCs").
 */
import { z } from "zod";
import { timeoutsSchema } from "./waiting";

/** Contract terms the API accepts, in months (docs/megaport-api.md, "Validate and buy"). */
export const VXC_TERMS = [1, 12, 24, 36, 48, 60] as const;

/** The checked inputs of a ServiceKeyVxc: the single source of truth for its input shape. */
export const serviceKeyVxcInputsSchema = z.object({
  serviceKey: z.string().min(8, { message: "the full service key is required" }),
  aEndProductUid: z.string().min(1, { message: "the UID of your Port, MCR or MVE is required" }),
  name: z.string().min(1, { message: "a name is required" }),
  rateLimit: z
    .number({ message: "the rate limit in Mbps is required" })
    .int({ message: "must be a whole number of Mbps" })
    .positive({ message: "must be a positive number of Mbps" }),
  aEndVlan: z
    .union(
      [
        z
          .number()
          .int({ message: 'must be a VLAN 2-4093 or "untagged"' })
          .min(2, { message: 'must be a VLAN 2-4093 or "untagged"' })
          .max(4093, { message: 'must be a VLAN 2-4093 or "untagged"' }),
        z.literal("untagged"),
      ],
      {
        message: 'must be a VLAN 2-4093 or "untagged" (omit it to let Megaport assign one)',
      },
    )
    .optional(),
  /** The vNIC of an MVE A-End (docs/megaport-api-variance.md); required for an MVE, refused otherwise. */
  aEndVnicIndex: z
    .number({ message: "must be the index of a vNIC of the MVE (0 for the first)" })
    .int({ message: "must be the index of a vNIC of the MVE (0 for the first)" })
    .min(0, { message: "must be the index of a vNIC of the MVE (0 for the first)" })
    .optional(),
  term: z
    .number()
    .refine((term) => (VXC_TERMS as readonly number[]).includes(term), {
      message: "must be 1, 12, 24, 36, 48 or 60 months",
    })
    .default(1),
  shutdown: z.boolean().default(false),
  promoCode: z.string().min(1).optional(),
  costCentre: z.string().max(255, { message: "must be at most 255 characters" }).optional(),
  waitForApproval: z.boolean().default(false),
  timeouts: timeoutsSchema.optional(),
  account: z.string().min(1).optional(),
  resourceName: z.string().optional(),
  /** `<project>/<stack>/<name>`, set by the resource class: identifies this resource's orders. */
  orderIdentity: z.string().optional(),
});
export type ServiceKeyVxcInputs = z.infer<typeof serviceKeyVxcInputsSchema>;

/** Approval states a service-key order can show (docs/megaport-api.md, "Approval states"). */
export type ApprovalStatus = "APPROVED" | "PENDING_EXTERNAL" | "PENDING_INTERNAL" | "REJECTED" | "FAILED";

/** What the API tells about the VXC, beyond the inputs. */
export interface ServiceKeyVxcFacts {
  /** The VXC's product UID (also the Pulumi id). */
  productUid: string;
  provisioningStatus: string;
  approvalStatus: ApprovalStatus | null;
  approvalMessage: string | null;
  bEndProductUid: string | null;
  bEndProductName: string | null;
  bEndVlan: number | null;
  serviceName: string | null;
  createDate: string | null;
}

/** The outputs (state): every input (`aEndVlan` as assigned) plus the facts. */
export type ServiceKeyVxcOutputs = ServiceKeyVxcInputs & ServiceKeyVxcFacts;
