/**
 * The dynamic-resource class of `ServiceKey` (owner side). It only shapes inputs for the engine
 * (Dates to ISO strings, secrets, the resource's name) and hands them, through the serialized
 * shim, to the engine-agnostic implementation in `../resources/serviceKey` (docs/architecture.md).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ValidFor } from "../resources/serviceKey";
import serviceKeyShim from "./shims/serviceKey";
import { storedShim } from "./shim";

/** A point in time for `validFor`: an ISO-8601 string or a Date. */
export type DateInput = string | Date;

/** Arguments of a {@link ServiceKey}. */
export interface ServiceKeyArgs {
  /** UID of the Port, MCR or MVE the key gives access to (the B-End of VXCs ordered with it). */
  productUid: pulumi.Input<string>;
  /** Highest rate limit, in Mbps, a VXC ordered with the key may have. */
  maxSpeed: pulumi.Input<number>;
  /** One VXC only (default true); false makes a multi-use key. */
  singleUse?: pulumi.Input<boolean>;
  /** B-End VLAN (2-4093) of the VXC; single-use keys only. */
  vlan?: pulumi.Input<number>;
  /** Orders made with the key need no approval from the owner (default false). */
  preApproved?: pulumi.Input<boolean>;
  /** The key can be used (default true). */
  active?: pulumi.Input<boolean>;
  /**
   * Validity window. `start` defaults to the creation time; omitted altogether, the key has no
   * expiry of its own (the API's default window).
   */
  validFor?: pulumi.Input<{ start?: pulumi.Input<DateInput>; end: pulumi.Input<DateInput> }>;
  /** Free text shown to the owner. */
  description?: pulumi.Input<string>;
  /** Named account from `megaport:accounts`; the default account otherwise. */
  account?: pulumi.Input<string>;
  /** Adopt this existing key instead of creating one (secret). Delete deactivates it too. */
  existingKey?: pulumi.Input<string>;
}

function toIsoString(value: DateInput | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : value;
}

/** One instant as an ISO string input; a Date must not reach `pulumi.output`, which flattens it to {}. */
function isoInput(value: pulumi.Input<DateInput> | undefined): pulumi.Input<string> | undefined {
  if (value === undefined || typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  if (pulumi.Output.isInstance(value)) return value.apply((v) => toIsoString(v) as string);
  return Promise.resolve(value).then((v) => toIsoString(v) as string);
}

/** `validFor` with Dates turned into ISO-8601 strings, the form the provider checks and stores. */
function validForInput(validFor: ServiceKeyArgs["validFor"]): pulumi.Input<ValidFor> | undefined {
  if (validFor === undefined) return undefined;
  if (validFor instanceof Promise) {
    // Its Dates become strings before `pulumi.output` sees them: it would flatten each to {}.
    return pulumi.output(
      validFor.then((window) => ({
        start: toIsoString(window.start as DateInput | undefined),
        end: toIsoString(window.end as DateInput) as string,
      })),
    );
  }
  if (pulumi.Output.isInstance(validFor)) {
    return validFor.apply((window) => ({
      start: toIsoString(window.start as DateInput | undefined),
      end: toIsoString(window.end as DateInput) as string,
    }));
  }
  const window = validFor as { start?: pulumi.Input<DateInput>; end: pulumi.Input<DateInput> };
  return {
    start: isoInput(window.start),
    end: isoInput(window.end) as pulumi.Input<string>,
  } as pulumi.Input<ValidFor>;
}

/**
 * A Megaport service key (owner side). Its Pulumi id is an opaque digest of the key; the key itself
 * is the secret output `key`. Deleting the resource deactivates the key: the API cannot remove keys.
 */
export class ServiceKey extends pulumi.dynamic.Resource {
  declare readonly productUid: pulumi.Output<string>;
  declare readonly maxSpeed: pulumi.Output<number>;
  declare readonly singleUse: pulumi.Output<boolean>;
  declare readonly vlan: pulumi.Output<number | undefined>;
  declare readonly preApproved: pulumi.Output<boolean>;
  declare readonly active: pulumi.Output<boolean>;
  declare readonly validFor: pulumi.Output<ValidFor | undefined>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly account: pulumi.Output<string | undefined>;
  declare readonly existingKey: pulumi.Output<string | undefined>;
  /** The service key (secret). */
  declare readonly key: pulumi.Output<string>;
  declare readonly productName: pulumi.Output<string | null>;
  declare readonly productType: pulumi.Output<string | null>;
  declare readonly companyUid: pulumi.Output<string | null>;
  declare readonly companyName: pulumi.Output<string | null>;
  /** ISO-8601. */
  declare readonly createDate: pulumi.Output<string | null>;
  /** ISO-8601, or null when the key was never used. */
  declare readonly lastUsed: pulumi.Output<string | null>;
  declare readonly valid: pulumi.Output<boolean>;
  declare readonly expired: pulumi.Output<boolean>;

  /** Declares a service key named `name` (the Pulumi resource name); `key` is a secret output. */
  constructor(name: string, args: ServiceKeyArgs, opts?: pulumi.CustomResourceOptions) {
    const validFor = validForInput(args.validFor);
    super(
      storedShim("serviceKey", serviceKeyShim, require.resolve("./shims/serviceKey")),
      name,
      {
        key: undefined,
        productName: undefined,
        productType: undefined,
        companyUid: undefined,
        companyName: undefined,
        createDate: undefined,
        lastUsed: undefined,
        valid: undefined,
        expired: undefined,
        ...args,
        validFor,
        existingKey: args.existingKey === undefined ? undefined : pulumi.secret(args.existingKey),
        resourceName: name,
      },
      // An adopted key is the same key on both sides of any replace (`--replace` included): the
      // old resource deactivates it first, then the new one adopts and reactivates it. Create-first
      // would have the old resource's delete deactivate the key its replacement holds, in this run
      // or, if interrupted, the next (docs/lifecycle.md).
      pulumi.mergeOptions(opts, {
        additionalSecretOutputs: ["key", "existingKey"],
        ...(args.existingKey === undefined ? {} : { deleteBeforeReplace: true }),
      }),
      "megaport",
      "ServiceKey",
    );
  }
}
