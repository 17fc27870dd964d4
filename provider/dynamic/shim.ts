/**
 * The thin serialized layer of docs/architecture.md, "The thin serialized shim". Pulumi serializes the object
 * handed to `dynamic.Resource` into every resource's `__provider` and runs that stored text for refresh and
 * destroy, so these objects capture NOTHING: each method loads the installed implementation by the package's
 * own name at call time and forwards the call. The text stays small and identical across releases, and no
 * client, schema or credential can end up in state.
 *
 * One module-level object per resource type: the serialization cache is keyed by object identity.
 * Types are imported as types only (erased at compile time).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loading at call time, by package name, is the point of the shim */
import type * as pulumi from "@pulumi/pulumi";

/** The implementation objects exported by `provider/implementation`, one per resource type. */
type ResourceType = "serviceKey" | "serviceKeyVxc" | "vxcOrderApproval";

/**
 * A shim that forwards every call to the installed implementation of `resource`. Serialized, it
 * holds this text, the resource type's name and the small loader below: nothing live.
 */
function forwardingShim(resource: ResourceType): pulumi.dynamic.ResourceProvider {
  const implementation = () => require("pulumi-megaport-service-keys/provider/implementation");
  return {
    configure: async (req) => implementation().configure(req.config),
    check: async (olds, news) => implementation()[resource].check(olds, news),
    diff: async (id, olds, news) => implementation()[resource].diff(id, olds, news),
    create: async (inputs) => implementation()[resource].create(inputs),
    read: async (id, props) => implementation()[resource].read(id, props),
    update: async (id, olds, news) => implementation()[resource].update(id, olds, news),
    delete: async (id, props) => implementation()[resource].delete(id, props),
  };
}

/** The Pulumi dynamic-provider shim of `ServiceKey`. */
export const serviceKeyShim = forwardingShim("serviceKey");
/** The Pulumi dynamic-provider shim of `ServiceKeyVxc`. */
export const serviceKeyVxcShim = forwardingShim("serviceKeyVxc");
/** The Pulumi dynamic-provider shim of `VxcOrderApproval`. */
export const vxcOrderApprovalShim = forwardingShim("vxcOrderApproval");
