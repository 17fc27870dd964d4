/**
 * The provider implementation loaded by the serialized shims at call time, by package name
 * (`pulumi-megaport-service-keys/provider/implementation`; docs/architecture.md). Every released
 * version's state refers to this entry point: it must keep these names.
 */
export { closeClients, configure } from "./resources/accounts";
export { serviceKeyProvider as serviceKey } from "./resources/serviceKey";
export { serviceKeyVxcProvider as serviceKeyVxc } from "./resources/serviceKeyVxc";
export { vxcOrderApprovalProvider as vxcOrderApproval } from "./resources/vxcOrderApproval";
