/**
 * The Pulumi dynamic-provider shim of `ServiceKeyVxc`, the whole `module.exports` of this module, so that an
 * installed package's resources store `require("pulumi-megaport-service-keys/provider/shims/serviceKeyVxc")`
 * as their `__provider` (../shim.ts; docs/architecture.md, "The thin serialized shim"). Released
 * stacks' state refers to that subpath (or to this file's, ../shim.ts): keep this module, its
 * path and its export.
 */
import { forwardingShim } from "../shim";

export = forwardingShim("serviceKeyVxc");
