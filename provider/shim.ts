/**
 * The thin serialized layer of design.md §5. Pulumi serializes the object handed to
 * `dynamic.Resource` into every resource's `__provider` and runs that stored text for refresh and
 * destroy, so these objects capture NOTHING: each method loads the installed implementation by the
 * package's own name at call time and forwards the call. The text stays small and identical across
 * releases, and no client, schema or credential can end up in state.
 *
 * One module-level object per resource type: the serialization cache is keyed by object identity.
 * Types are imported as types only (erased at compile time).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loading at call time, by package name, is the point of the shim */
import type * as pulumi from "@pulumi/pulumi";

/** The Pulumi dynamic-provider shim of `ServiceKey`. */
export const serviceKeyShim: pulumi.dynamic.ResourceProvider = {
  configure: async (req) =>
    require("pulumi-megaport-service-keys/provider/implementation").configure(req.config),
  check: async (olds, news) =>
    require("pulumi-megaport-service-keys/provider/implementation").serviceKey.check(olds, news),
  diff: async (id, olds, news) =>
    require("pulumi-megaport-service-keys/provider/implementation").serviceKey.diff(id, olds, news),
  create: async (inputs) =>
    require("pulumi-megaport-service-keys/provider/implementation").serviceKey.create(inputs),
  read: async (id, props) =>
    require("pulumi-megaport-service-keys/provider/implementation").serviceKey.read(id, props),
  update: async (id, olds, news) =>
    require("pulumi-megaport-service-keys/provider/implementation").serviceKey.update(id, olds, news),
  delete: async (id, props) =>
    require("pulumi-megaport-service-keys/provider/implementation").serviceKey.delete(id, props),
};

/** The Pulumi dynamic-provider shim of `ServiceKeyVxc`. */
export const serviceKeyVxcShim: pulumi.dynamic.ResourceProvider = {
  configure: async (req) =>
    require("pulumi-megaport-service-keys/provider/implementation").configure(req.config),
  check: async (olds, news) =>
    require("pulumi-megaport-service-keys/provider/implementation").serviceKeyVxc.check(olds, news),
  diff: async (id, olds, news) =>
    require("pulumi-megaport-service-keys/provider/implementation").serviceKeyVxc.diff(id, olds, news),
  create: async (inputs) =>
    require("pulumi-megaport-service-keys/provider/implementation").serviceKeyVxc.create(inputs),
  read: async (id, props) =>
    require("pulumi-megaport-service-keys/provider/implementation").serviceKeyVxc.read(id, props),
  update: async (id, olds, news) =>
    require("pulumi-megaport-service-keys/provider/implementation").serviceKeyVxc.update(id, olds, news),
  delete: async (id, props) =>
    require("pulumi-megaport-service-keys/provider/implementation").serviceKeyVxc.delete(id, props),
};

/** The Pulumi dynamic-provider shim of `VxcOrderApproval`. */
export const vxcOrderApprovalShim: pulumi.dynamic.ResourceProvider = {
  configure: async (req) =>
    require("pulumi-megaport-service-keys/provider/implementation").configure(req.config),
  check: async (olds, news) =>
    require("pulumi-megaport-service-keys/provider/implementation").vxcOrderApproval.check(olds, news),
  diff: async (id, olds, news) =>
    require("pulumi-megaport-service-keys/provider/implementation").vxcOrderApproval.diff(id, olds, news),
  create: async (inputs) =>
    require("pulumi-megaport-service-keys/provider/implementation").vxcOrderApproval.create(inputs),
  read: async (id, props) =>
    require("pulumi-megaport-service-keys/provider/implementation").vxcOrderApproval.read(id, props),
  update: async (id, olds, news) =>
    require("pulumi-megaport-service-keys/provider/implementation").vxcOrderApproval.update(id, olds, news),
  delete: async (id, props) =>
    require("pulumi-megaport-service-keys/provider/implementation").vxcOrderApproval.delete(id, props),
};
