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
 * below by value, which forwards the same way. Where the package sits in another package's folder
 * (pnpm's `.pnpm/<name>@<version>/…`, a nested `node_modules`), the serializer would name that folder
 * or fail (pnpm), so the classes hand it a copy instead, stored by value ({@link storedShim}).
 * In a project whose own path holds the package's name,
 * Pulumi cannot map the file through `exports` and stores its file subpath
 * (`dist/provider/dynamic/shims/*.js`, exported for that case). These entry points,
 * `provider/shims/*`, `dist/provider/dynamic/shims/*.js` and `provider/implementation`, are in
 * released stacks' state: keep them.
 *
 * One module-level object per resource type: the serialization cache is keyed by object identity.
 * Types are imported as types only (erased at compile time).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loading at call time, by package name, is the point of the shim */
import * as path from "node:path";
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

/**
 * Whether the shim module at `file` (its real path) is stored by a reference that stays put when
 * the program in `cwd` serializes it. Pulumi keeps the path after the FIRST `node_modules` segment
 * of `file` relative to `cwd` (`@pulumi/pulumi` runtime/closure/createClosure.js, `captureModuleAsync`):
 * stable only where the package itself follows it (npm's layout, hoisted or not). Behind another
 * package's folder, or pnpm's `.pnpm/<name>@<version>/node_modules/…`, the stored path would name
 * one version's folder and break at the next install. True also outside `node_modules`, where the
 * serializer stores the code by value anyway.
 */
export function storedByStableReference(file: string, cwd: string): boolean {
  const parts = path.relative(cwd, file).split(path.sep);
  const first = parts.indexOf("node_modules");
  return first < 0 || parts[first + 1] === "pulumi-megaport-service-keys";
}

const copies = new Map<ResourceType, pulumi.dynamic.ResourceProvider>();

/**
 * The provider a resource class hands to `dynamic.Resource`: `shim`, the `module.exports` of the
 * module at `file`, where it is stored by a stable reference; else one copy per resource type,
 * not any module's exports, so stored by value (the same forwarding code, as before the shims
 * were modules).
 */
export function storedShim(resource: ResourceType, shim: pulumi.dynamic.ResourceProvider, file: string): pulumi.dynamic.ResourceProvider {
  if (storedByStableReference(file, process.cwd())) return shim;
  let copy = copies.get(resource);
  if (copy === undefined) {
    copy = forwardingShim(resource);
    copies.set(resource, copy);
  }
  return copy;
}
