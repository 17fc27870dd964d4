/**
 * The dynamic-resource class of `VxcOrderApproval` (owner side): inputs for the engine, handed
 * through the serialized shim to `../resources/vxcOrderApproval` (docs/architecture.md).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Timeouts } from "../resources/waiting";
import vxcOrderApprovalShim from "./shims/vxcOrderApproval";
import { storedShim } from "./shim";

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
  declare readonly serviceId: pulumi.Output<number | null>;

  /** Declares the owner's decision on the pending order of a VXC made with one of its keys. */
  constructor(name: string, args: VxcOrderApprovalArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      storedShim("vxcOrderApproval", vxcOrderApprovalShim, require.resolve("./shims/vxcOrderApproval")),
      name,
      {
        approvalUid: undefined,
        status: undefined,
        requestingCompany: undefined,
        rateLimit: undefined,
        decidedAt: undefined,
        vxcProductUid: undefined,
        serviceId: undefined,
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
