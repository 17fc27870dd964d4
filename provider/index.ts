/**
 * `pulumi-megaport-service-keys`: Pulumi dynamic resources for Megaport service keys and the
 * business-to-business VXCs ordered with them.
 *
 * - {@link ServiceKey}: the owner's key (delete deactivates it).
 * - {@link ServiceKeyVxc}: the consumer's VXC ordered with a key (delete cancels it).
 * - {@link VxcOrderApproval}: the owner's decision on a pending order.
 *
 * Configuration: stack config `megaport:*` or `MEGAPORT_*` environment variables
 * (docs/architecture.md, "Configuration and credentials").
 *
 * @packageDocumentation
 */
export { type DateInput, ServiceKey, type ServiceKeyArgs } from "./dynamic/serviceKey";
export type { ApprovalStatus } from "./resources/serviceKeyVxcInputs";
export { ServiceKeyVxc, type ServiceKeyVxcArgs } from "./dynamic/serviceKeyVxc";
export { VxcOrderApproval, type VxcOrderApprovalArgs } from "./dynamic/vxcOrderApproval";
