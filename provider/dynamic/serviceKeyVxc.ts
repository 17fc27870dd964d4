/**
 * The dynamic-resource class of `ServiceKeyVxc` (consumer side): inputs for the engine, handed
 * through the serialized shim to `../resources/serviceKeyVxc` (docs/architecture.md).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ApprovalStatus } from "../resources/serviceKeyVxcInputs";
import type { Timeouts } from "../resources/waiting";
import serviceKeyVxcShim from "./shims/serviceKeyVxc";
import { storedShim } from "./shim";

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
  /**
   * The vNIC of an MVE A-End to connect (0 for the first): required when `aEndProductUid` is an MVE,
   * refused for a Port or MCR. Changing it moves the VXC to another vNIC in place.
   */
  aEndVnicIndex?: pulumi.Input<number>;
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
  /** The MVE A-End's vNIC, as the API shows it; undefined for a Port or MCR A-End. */
  declare readonly aEndVnicIndex: pulumi.Output<number | undefined>;
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

  /** Declares a VXC ordered with a service key; `serviceKey` stays secret in inputs and outputs. */
  constructor(name: string, args: ServiceKeyVxcArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      storedShim("serviceKeyVxc", serviceKeyVxcShim, require.resolve("./shims/serviceKeyVxc")),
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
        orderIdentity: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["serviceKey"] }),
      "megaport",
      "ServiceKeyVxc",
    );
  }
}
