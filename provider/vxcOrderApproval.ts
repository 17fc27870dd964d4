/**
 * `VxcOrderApproval`: the key owner's decision (approve or reject) on the pending order of a VXC
 * made with one of its keys, through `/v3/order_approvals` (megaport-api.md §5).
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CheckedInputs, type CheckFailure, checkAgainstSchema, failure } from "./checkFailures";
import { type DiffResult, diffProperties } from "./diffing";
import { vxcOrderApprovalShim } from "./shim";
import { type Timeouts, timeoutsSchema } from "./waiting";

/** The checked inputs of a VxcOrderApproval: the single source of truth for its input shape. */
export const vxcOrderApprovalInputsSchema = z.object({
  productUid: z.string().min(1).optional(),
  serviceKey: z.string().min(8, { message: "must be the full service key" }).optional(),
  decision: z.enum(["approve", "reject"], { message: 'must be "approve" or "reject"' }),
  comment: z.string().optional(),
  waitForOrder: z.boolean().default(false),
  timeouts: timeoutsSchema.optional(),
  account: z.string().min(1).optional(),
  resourceName: z.string().optional(),
});
export type VxcOrderApprovalInputs = z.infer<typeof vxcOrderApprovalInputsSchema>;

/** What the API tells about the order approval. */
export interface VxcOrderApprovalFacts {
  /** UID of the order approval (also the Pulumi id). */
  approvalUid: string;
  /** The approval's status: APPROVED, REJECTED, PENDING, FAILED, WITHDRAWN or EXPIRED. */
  status: string;
  /** The company that ordered the VXC. */
  requestingCompany: string | null;
  /** The ordered rate limit in Mbps. */
  rateLimit: number | null;
  /** ISO-8601 time the decision was recorded. */
  decidedAt: string | null;
  /** The VXC the order is for (resolved from `serviceKey` when that was the input). */
  vxcProductUid: string | null;
}

/** The outputs (state): every input plus the facts. */
export type VxcOrderApprovalOutputs = VxcOrderApprovalInputs & VxcOrderApprovalFacts;

/** Another order or another decision is another resource (a decision cannot be undone). */
const REPLACE_ONLY = ["productUid", "serviceKey", "decision"];
/** Kept in state only; no API call. */
const IN_PLACE = ["comment", "waitForOrder", "timeouts"];

function vxcOrderApprovalRules(
  values: Record<string, unknown>,
  isKnown: (p: string) => boolean,
): CheckFailure[] {
  const hasProduct = values.productUid !== undefined;
  const hasKey = values.serviceKey !== undefined;
  if (!isKnown("productUid") || !isKnown("serviceKey")) return [];
  if (hasProduct && hasKey) return [failure("productUid", "set either productUid or serviceKey, not both")];
  if (!hasProduct && !hasKey) {
    return [failure("productUid", "set productUid (the VXC) or serviceKey (a single-use key's order)")];
  }
  return [];
}

/** The effective timeouts of an approval, as set in its inputs. */
export function approvalTimeouts(inputs: { timeouts?: Timeouts }): Timeouts {
  return inputs.timeouts ?? {};
}

/**
 * The VxcOrderApproval provider implementation. It runs in the provider process, loaded by the
 * shim (design.md §5); methods are in lifecycle order.
 */
export const vxcOrderApprovalProvider = {
  /** Validates the inputs with zod: exactly one of `productUid` and `serviceKey`. No API call. */
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckedInputs> {
    return checkAgainstSchema(vxcOrderApprovalInputsSchema, news, vxcOrderApprovalRules);
  },

  /** Another order or decision replaces; `comment`, `waitForOrder` and `timeouts` only update state. */
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult> {
    return diffProperties(olds, news, REPLACE_ONLY, IN_PLACE);
  },
};

/** Arguments of a {@link VxcOrderApproval}. */
export interface VxcOrderApprovalArgs {
  /** The VXC whose order to decide on. */
  productUid?: pulumi.Input<string>;
  /** Or: the single-use key the order was made with (secret). */
  serviceKey?: pulumi.Input<string>;
  /** "approve" or "reject". */
  decision: pulumi.Input<"approve" | "reject">;
  /** Comment sent with the decision. */
  comment?: pulumi.Input<string>;
  /** Wait (up to `timeouts.create`, default 10m) for the consumer's order to appear. */
  waitForOrder?: pulumi.Input<boolean>;
  /** Limit of the wait for the order, e.g. `{ create: "15m" }`. */
  timeouts?: pulumi.Input<{ create?: pulumi.Input<string> }>;
  /** Named account (the key owner's) from `megaport:accounts`; the default account otherwise. */
  account?: pulumi.Input<string>;
}

/**
 * The key owner's decision on a VXC order. Deleting the resource only removes it from the stack:
 * a decision cannot be undone.
 */
export class VxcOrderApproval extends pulumi.dynamic.Resource {
  declare readonly productUid: pulumi.Output<string | undefined>;
  declare readonly serviceKey: pulumi.Output<string | undefined>;
  declare readonly decision: pulumi.Output<"approve" | "reject">;
  declare readonly comment: pulumi.Output<string | undefined>;
  declare readonly waitForOrder: pulumi.Output<boolean>;
  declare readonly timeouts: pulumi.Output<Timeouts | undefined>;
  declare readonly account: pulumi.Output<string | undefined>;
  declare readonly approvalUid: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly requestingCompany: pulumi.Output<string | null>;
  declare readonly rateLimit: pulumi.Output<number | null>;
  declare readonly decidedAt: pulumi.Output<string | null>;
  declare readonly vxcProductUid: pulumi.Output<string | null>;

  constructor(name: string, args: VxcOrderApprovalArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      vxcOrderApprovalShim,
      name,
      {
        approvalUid: undefined,
        status: undefined,
        requestingCompany: undefined,
        rateLimit: undefined,
        decidedAt: undefined,
        vxcProductUid: undefined,
        ...args,
        serviceKey: args.serviceKey === undefined ? undefined : pulumi.secret(args.serviceKey),
        resourceName: name,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["serviceKey"] }),
      "megaport",
      "VxcOrderApproval",
    );
  }
}
