/**
 * The provider implementation loaded by the serialized shims at call time, by package name
 * (`pulumi-megaport-service-keys/provider/implementation`, design.md §5).
 */
export { closeClients, configure } from "./accounts";
export { serviceKeyProvider as serviceKey } from "./serviceKey";
export { serviceKeyVxcProvider as serviceKeyVxc } from "./serviceKeyVxc";
export { vxcOrderApprovalProvider as vxcOrderApproval } from "./vxcOrderApproval";
