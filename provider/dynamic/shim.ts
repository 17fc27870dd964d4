/**
 * The thin serialized layer of docs/architecture.md, "The thin serialized shim". Pulumi serializes the object
 * handed to `dynamic.Resource` into every resource's `__provider` and runs that stored text for refresh and
 * destroy, so these objects capture NOTHING: each method loads the installed implementation by the package's
 * own name at call time and forwards the call. No client, schema or credential can end up in state.
 *
 * Each shim is the whole `module.exports` of a module of its own (`./shims/<resource type>.ts`), exported
 * by package.json under `pulumi-megaport-service-keys/provider/shims/<resource type>`. Where the package
 * is installed under `node_modules`, Pulumi's closure serializer then stores only
 * `require("pulumi-megaport-service-keys/provider/shims/serviceKey")` (a few hundred bytes) instead of the
 * shim's code; where it is not (this repository's own link, a `file:` install), it stores the code
 * below by value, which forwards the same way. In a project whose own path holds the package's name,
 * Pulumi cannot map the file through `exports` and stores its file subpath
 * (`dist/provider/dynamic/shims/*.js`, exported for that case). These entry points,
 * `provider/shims/*`, `dist/provider/dynamic/shims/*.js` and `provider/implementation`, are in
 * released stacks' state: keep them.
 *
 * One module-level object per resource type: the serialization cache is keyed by object identity.
 * Types are imported as types only (erased at compile time).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loading at call time, by package name, is the point of the shim */
import type * as pulumi from "@pulumi/pulumi";

/** The implementation objects exported by `provider/implementation`, one per resource type. */
export type ResourceType = "serviceKey" | "serviceKeyVxc" | "vxcOrderApproval";

/**
 * A shim that forwards every call to the installed implementation of `resource`. Serialized by
 * value, it holds this text, the resource type's name and the small loader below: nothing live.
 */
export function forwardingShim(resource: ResourceType): pulumi.dynamic.ResourceProvider {
  // Short names on purpose: this text is stored twice per resource (inputs and outputs), and each
  // method is serialized with its captured names (bench/RESULTS.md, "State size").
  const impl = () => require("pulumi-megaport-service-keys/provider/implementation");
  const r = resource;
  return {
    configure: async (q) => impl().configure(q.config),
    check: async (o, n) => impl()[r].check(o, n),
    diff: async (i, o, n) => impl()[r].diff(i, o, n),
    create: async (n) => impl()[r].create(n),
    read: async (i, p) => impl()[r].read(i, p),
    update: async (i, o, n) => impl()[r].update(i, o, n),
    delete: async (i, p) => impl()[r].delete(i, p),
  };
}
