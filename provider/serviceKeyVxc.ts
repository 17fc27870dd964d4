/**
 * `ServiceKeyVxc`: the consumer's business-to-business VXC, ordered with a service key from one of
 * the consumer's Ports, MCRs or MVEs (A-End) to the product behind the key (B-End)
 * (megaport-api.md §4).
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CheckedInputs, type CheckFailure, checkAgainstSchema, containsUnknown } from "./checkFailures";
import { type DiffResult, diffProperties, propertyChanged } from "./diffing";
import { serviceKeyVxcShim } from "./shim";
import { type Timeouts, timeoutsSchema } from "./waiting";

/** Contract terms the API accepts, in months (megaport-api.md §4.2). */
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
    .union([z.number().int().min(2).max(4093), z.literal("untagged")], {
      message: 'must be a VLAN 2-4093 or "untagged" (omit it to let Megaport assign one)',
    })
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
});
export type ServiceKeyVxcInputs = z.infer<typeof serviceKeyVxcInputsSchema>;

/** Approval states a service-key order can show (megaport-api.md §4.5). */
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

/** A different key or A-End is a different VXC. */
const REPLACE_ONLY = ["serviceKey", "aEndProductUid"];
/** Changed in place: through `PUT /v3/product/vxc` or, for the last four, with no API call. */
const IN_PLACE = [
  "name",
  "rateLimit",
  "aEndVlan",
  "term",
  "shutdown",
  "costCentre",
  "promoCode",
  "waitForApproval",
  "timeouts",
];

/**
 * `aEndVlan` omitted means "Megaport assigns one": the state then holds the assigned VLAN, which is
 * no reason to change anything.
 */
function aEndVlanChanged(oldValue: unknown, newValue: unknown): boolean {
  return newValue !== undefined && propertyChanged(oldValue, newValue);
}

/** Whether check must ask the API again: a new VXC, or a change to what the order depends on. */
export function needsOrderChecks(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  if (Object.keys(olds).length === 0 || olds.serviceKey === undefined) return true;
  return (
    propertyChanged(olds.serviceKey, news.serviceKey) ||
    propertyChanged(olds.aEndProductUid, news.aEndProductUid) ||
    propertyChanged(olds.rateLimit, news.rateLimit) ||
    aEndVlanChanged(olds.aEndVlan, news.aEndVlan)
  );
}

/** Rules across properties (none beyond the per-property shapes yet). */
function serviceKeyVxcRules(): CheckFailure[] {
  return [];
}

/** The effective timeouts of a VXC, as set in its inputs. */
export function vxcTimeouts(inputs: { timeouts?: Timeouts }): Timeouts {
  return inputs.timeouts ?? {};
}

/**
 * The ServiceKeyVxc provider implementation. It runs in the provider process, loaded by the shim
 * (design.md §5); methods are in lifecycle order.
 */
export const serviceKeyVxcProvider = {
  /**
   * Validates the inputs with zod; for a new VXC, or when the key, A-End, rate limit or A-End VLAN
   * changed, also asks the API what it would say at order time (key look-up, then
   * `POST /v3/networkdesign/validate`), so that preview catches a rejection before anything is bought.
   */
  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckedInputs> {
    const checked = checkAgainstSchema(serviceKeyVxcInputsSchema, news, () => serviceKeyVxcRules());
    if (checked.failures.length > 0 || containsUnknown(checked.inputs)) return checked;
    if (!needsOrderChecks(olds, checked.inputs)) return checked;
    return checked;
  },

  /**
   * `serviceKey` and `aEndProductUid` replace the VXC; the rest changes in place. A fixed A-End VLAN
   * kept on the same A-End would clash with the old VXC's, so that replace deletes first.
   */
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult> {
    const changed = (property: string) =>
      property === "aEndVlan"
        ? aEndVlanChanged(olds.aEndVlan, news.aEndVlan)
        : propertyChanged(olds[property], news[property]);
    const result = diffProperties(olds, news, REPLACE_ONLY, IN_PLACE, changed);
    const keepsFixedVlan =
      news.aEndVlan !== undefined &&
      !containsUnknown(news.aEndVlan) &&
      !changed("aEndVlan") &&
      !changed("aEndProductUid");
    if (result.replaces.length > 0 && keepsFixedVlan) return { ...result, deleteBeforeReplace: true };
    return result;
  },
};

/** Arguments of a {@link ServiceKeyVxc}. */
export interface ServiceKeyVxcArgs {
  /** The service key shared by the owner (secret). */
  serviceKey: pulumi.Input<string>;
  /** UID of your Port, MCR or MVE (the A-End). */
  aEndProductUid: pulumi.Input<string>;
  /** Name of the VXC. */
  name: pulumi.Input<string>;
  /** Rate limit in Mbps; at most the key's `maxSpeed`. */
  rateLimit: pulumi.Input<number>;
  /** A-End VLAN 2-4093, or "untagged"; omitted, Megaport assigns one. */
  aEndVlan?: pulumi.Input<number | "untagged">;
  /** Contract term in months: 1 (default), 12, 24, 36, 48 or 60. */
  term?: pulumi.Input<number>;
  /** Create the VXC shut down (default false). */
  shutdown?: pulumi.Input<boolean>;
  promoCode?: pulumi.Input<string>;
  /** At most 255 characters. */
  costCentre?: pulumi.Input<string>;
  /** Wait for the key owner's approval (up to `timeouts.create`) instead of finishing as pending. */
  waitForApproval?: pulumi.Input<boolean>;
  /** Limits of the provider's own waits, e.g. `{ create: "15m" }` (default 10m each). */
  timeouts?: pulumi.Input<{
    create?: pulumi.Input<string>;
    update?: pulumi.Input<string>;
    delete?: pulumi.Input<string>;
  }>;
  /** Named account from `megaport:accounts`; the default account otherwise. */
  account?: pulumi.Input<string>;
}

/**
 * A VXC ordered with a service key (consumer side). Pending partner approval is a successful create
 * with `approvalStatus` PENDING_EXTERNAL. Deleting the resource cancels the VXC at once (CANCEL_NOW).
 */
export class ServiceKeyVxc extends pulumi.dynamic.Resource {
  declare readonly serviceKey: pulumi.Output<string>;
  declare readonly aEndProductUid: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly rateLimit: pulumi.Output<number>;
  /** The A-End VLAN, as assigned when it was omitted. */
  declare readonly aEndVlan: pulumi.Output<number | "untagged">;
  declare readonly term: pulumi.Output<number>;
  declare readonly shutdown: pulumi.Output<boolean>;
  declare readonly promoCode: pulumi.Output<string | undefined>;
  declare readonly costCentre: pulumi.Output<string | undefined>;
  declare readonly waitForApproval: pulumi.Output<boolean>;
  declare readonly timeouts: pulumi.Output<Timeouts | undefined>;
  declare readonly account: pulumi.Output<string | undefined>;
  /** The VXC's product UID (also the resource id). */
  declare readonly productUid: pulumi.Output<string>;
  declare readonly provisioningStatus: pulumi.Output<string>;
  declare readonly approvalStatus: pulumi.Output<ApprovalStatus | null>;
  declare readonly approvalMessage: pulumi.Output<string | null>;
  declare readonly bEndProductUid: pulumi.Output<string | null>;
  declare readonly bEndProductName: pulumi.Output<string | null>;
  declare readonly bEndVlan: pulumi.Output<number | null>;
  declare readonly serviceName: pulumi.Output<string | null>;
  /** ISO-8601. */
  declare readonly createDate: pulumi.Output<string | null>;

  constructor(name: string, args: ServiceKeyVxcArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      serviceKeyVxcShim,
      name,
      {
        productUid: undefined,
        provisioningStatus: undefined,
        approvalStatus: undefined,
        approvalMessage: undefined,
        bEndProductUid: undefined,
        bEndProductName: undefined,
        bEndVlan: undefined,
        serviceName: undefined,
        createDate: undefined,
        ...args,
        serviceKey: pulumi.secret(args.serviceKey),
        resourceName: name,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["serviceKey"] }),
      "megaport",
      "ServiceKeyVxc",
    );
  }
}
