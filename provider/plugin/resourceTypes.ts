/**
 * The resources and functions the provider plugin serves, each bound to its engine-agnostic
 * implementation in `../resources` and its zod input schema (the single source of truth the
 * package schema is derived from; docs/architecture.md). Nothing here decides anything about a
 * resource: it only says what the plugin adapter needs to carry calls across.
 */
import type { z } from "zod";
import { getPendingOrders, getPendingOrdersArgsSchema, getServiceKeys, getServiceKeysArgsSchema } from "../resources/functions";
import { serviceKeyInputsSchema, serviceKeyProvider } from "../resources/serviceKey";
import { serviceKeyVxcProvider } from "../resources/serviceKeyVxc";
import { serviceKeyVxcInputsSchema } from "../resources/serviceKeyVxcInputs";
import { vxcOrderApprovalInputsSchema, vxcOrderApprovalProvider } from "../resources/vxcOrderApproval";

/** The Pulumi package name: the plugin is `pulumi-resource-megaport-service-keys`. */
export const PACKAGE = "megaport-service-keys";

/** What every resource implementation offers (the objects in `../resources`). */
export interface ResourceImplementation {
  check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{
    inputs: Record<string, unknown>;
    failures: { property: string; reason: string }[];
  }>;
  diff(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace?: boolean }>;
  create(news: Record<string, unknown>): Promise<{ id: string; outs: object }>;
  read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: object; inputs?: Record<string, unknown> }>;
  update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs: object }>;
  delete(id: string, props: Record<string, unknown>): Promise<void>;
}

/** One resource type of the plugin. */
export interface ResourceType {
  /** The type's name in its token `megaport-service-keys:index:<name>`. */
  name: string;
  implementation: ResourceImplementation;
  /** The zod schema of its checked inputs. */
  inputs: z.ZodObject;
  /** Properties whose values are secret wherever they appear (inputs, outputs, state). */
  secrets: readonly string[];
  /**
   * Outputs an in-place update may change beyond its inputs: a preview predicts every other output
   * as it is now (docs/lifecycle.md, "The provider plugin"), these as unknown.
   */
  changedByUpdate: readonly string[];
}

/**
 * Inputs the dynamic resource classes set from the resource's name, never the user
 * (provider/dynamic/): the plugin sets them from the URN instead (provider/plugin/provider.ts).
 */
export const IDENTITY_INPUTS = ["resourceName", "orderIdentity"] as const;

/** Every resource type, by token. */
export const RESOURCE_TYPES: Record<string, ResourceType> = {
  [`${PACKAGE}:index:ServiceKey`]: {
    name: "ServiceKey",
    implementation: serviceKeyProvider,
    inputs: serviceKeyInputsSchema,
    secrets: ["key", "existingKey"],
    changedByUpdate: ["valid", "expired", "lastUsed", "validFor"],
  },
  [`${PACKAGE}:index:ServiceKeyVxc`]: {
    name: "ServiceKeyVxc",
    implementation: serviceKeyVxcProvider,
    inputs: serviceKeyVxcInputsSchema,
    secrets: ["serviceKey"],
    changedByUpdate: ["provisioningStatus", "approvalStatus", "approvalMessage", "aEndVlan", "aEndVnicIndex"],
  },
  [`${PACKAGE}:index:VxcOrderApproval`]: {
    name: "VxcOrderApproval",
    implementation: vxcOrderApprovalProvider,
    inputs: vxcOrderApprovalInputsSchema,
    secrets: ["serviceKey"],
    changedByUpdate: [],
  },
};

/** One function of the plugin (`pulumi` invoke; `fn::invoke` in Pulumi YAML). */
export interface FunctionType {
  name: string;
  args: z.ZodObject;
  call(args: Record<string, unknown>): Promise<object>;
}

/** Every function, by token. */
export const FUNCTION_TYPES: Record<string, FunctionType> = {
  [`${PACKAGE}:index:getServiceKeys`]: { name: "getServiceKeys", args: getServiceKeysArgsSchema, call: getServiceKeys },
  [`${PACKAGE}:index:getPendingOrders`]: {
    name: "getPendingOrders",
    args: getPendingOrdersArgsSchema,
    call: getPendingOrders,
  },
};
