/**
 * `pulumi-megaport-service-keys/sdk`: a typed, resilient client for the Megaport API parts that
 * service keys and the VXCs ordered with them need. No Pulumi dependency.
 *
 * @packageDocumentation
 */
export {
  DEFAULT_RETRY,
  DEFAULT_TIMEOUTS,
  MegaportClient,
  type MegaportClientOptions,
  MegaportClientOptionsSchema,
} from "./client";
export {
  ENVIRONMENT_NAMES,
  ENVIRONMENTS,
  type EnvironmentUrls,
  environmentOfTokenUrl,
  type MegaportEnvironment,
  resolveEnvironment,
} from "./environments";
export * from "./errors";
export {
  HttpPipeline,
  type HttpPipelineConfig,
  type HttpRequest,
  type HttpResponse,
  PACKAGE_NAME,
  PACKAGE_VERSION,
  parseRetryAfter,
  Redactor,
  type RequestEvent,
  type RequestKind,
  type RetryPolicy,
  redactPath,
} from "./http";
export { NetworkDesignApi } from "./networkDesign";
export { OrderApprovalsApi } from "./orderApprovals";
export { ProductsApi } from "./products";
export * from "./schemas";
export { ServiceKeysApi } from "./serviceKeys";
export { TokenSource, type TokenSourceOptions } from "./tokens";
export { VxcsApi, type WaitForOptions } from "./vxcs";
