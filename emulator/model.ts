/**
 * The emulator's data model: zod schemas for the seed, the persisted state and each stored record.
 * Types come from `z.infer`; nothing here knows about HTTP.
 */
import { z } from "zod";

/** Provisioning statuses of the API (docs/megaport-api.md, "Conventions"). */
export const ProvisioningStatusSchema = z.enum([
  "NEW",
  "DESIGN",
  "IN_PROGRESS",
  "ON_HOLD",
  "DEPLOYABLE",
  "CONFIGURED",
  "LIVE",
  "CANCELLED",
  "CANCELLED_PARENT",
  "SLEEP",
  "FAILED",
  "DECOMMISSIONED",
]);
export type ProvisioningStatus = z.infer<typeof ProvisioningStatusSchema>;

/** Product types a service key can target (docs/megaport-api.md, "Key rules"). */
export const PortLikeTypeSchema = z.enum(["MEGAPORT", "MCR2", "MVE"]);
export type PortLikeType = z.infer<typeof PortLikeTypeSchema>;

const ResourceTagSchema = z.object({ key: z.string(), value: z.string() });
export type ResourceTag = z.infer<typeof ResourceTagSchema>;

/**
 * The role of an API key, as the Portal offers it ("Company Admin" or "Read Only"; docs/api-keys.md).
 * A Read Only key's tokens may read and validate, never change anything (inferred; emulator only).
 */
export const ApiKeyRoleSchema = z.enum(["COMPANY_ADMIN", "READ_ONLY"]);
export type ApiKeyRole = z.infer<typeof ApiKeyRoleSchema>;

/** An API key (OAuth2 client) of a company. */
export const ApiKeySchema = z.object({
  accessKey: z.string().min(1),
  secretKey: z.string().min(1),
  role: ApiKeyRoleSchema.default("COMPANY_ADMIN"),
  /** Lifetime of this key's tokens: 5 to 1440 minutes, as the Portal allows (docs/api-keys.md). */
  tokenLifetimeMinutes: z.number().int().min(5).max(1440).optional(),
});

/** A Port, MCR or MVE as written in a seed. */
export const SeedProductSchema = z.object({
  nickname: z.string().min(1),
  productUid: z.string().min(1),
  productId: z.number().int(),
  productName: z.string(),
  productType: PortLikeTypeSchema,
  portSpeed: z.number().int().positive().nullable().optional(),
  maxVxcSpeed: z.number().int().positive().nullable().optional(),
  locationId: z.number().int().default(354),
  provisioningStatus: ProvisioningStatusSchema.default("LIVE"),
  marketplaceVisibility: z.boolean().default(false),
  vxcAutoApproval: z.boolean().default(false),
  /** MVE only: how many vNICs it has (indexes 0..n-1); default 2. Ignored for other types. */
  vnics: z.number().int().min(1).max(5).optional(),
});

/** A company with its API keys and products, as written in a seed. */
export const SeedCompanySchema = z.object({
  /** Account name, e.g. "east". */
  name: z.string().min(1),
  companyName: z.string().min(1),
  companyUid: z.string().min(1),
  companyId: z.number().int(),
  apiKeys: z.array(ApiKeySchema).min(1),
  products: z.array(SeedProductSchema),
});

/** The seed: the state the emulator starts from and returns to on reset. */
export const SeedSchema = z.object({ companies: z.array(SeedCompanySchema).min(1) });
/** A seed as written (defaults such as `locationId` and `provisioningStatus` may be omitted). */
export type Seed = z.input<typeof SeedSchema>;
/** A validated seed with its defaults filled in. */
export type ParsedSeed = z.output<typeof SeedSchema>;

export const CompanySchema = z.object({
  name: z.string(),
  companyName: z.string(),
  companyUid: z.string(),
  companyId: z.number().int(),
  apiKeys: z.array(ApiKeySchema),
});
export type Company = z.infer<typeof CompanySchema>;

/** A stored Port, MCR or MVE. */
export const ProductSchema = z.object({
  nickname: z.string().nullable(),
  productUid: z.string(),
  productId: z.number().int(),
  productName: z.string(),
  productType: PortLikeTypeSchema,
  portSpeed: z.number().int().nullable(),
  maxVxcSpeed: z.number().int().nullable(),
  locationId: z.number().int(),
  provisioningStatus: ProvisioningStatusSchema,
  marketplaceVisibility: z.boolean(),
  vxcAutoApproval: z.boolean(),
  companyUid: z.string(),
  createDate: z.number(),
  costCentre: z.string().nullable(),
  terminateDate: z.number().nullable(),
  resourceTags: z.array(ResourceTagSchema),
  /** MVE: its number of vNICs; null for Ports and MCRs. Absent in older state files. */
  vnics: z.number().int().nullable().default(null),
});
export type Product = z.infer<typeof ProductSchema>;

export const ServiceKeySchema = z.object({
  key: z.string(),
  createDate: z.number(),
  companyUid: z.string(),
  productUid: z.string(),
  description: z.string().nullable(),
  vlan: z.number().int().nullable(),
  maxSpeed: z.number().int(),
  preApproved: z.boolean().nullable(),
  singleUse: z.boolean(),
  lastUsed: z.number().nullable(),
  active: z.boolean(),
  validFor: z.object({ start: z.number(), end: z.number() }),
  promoCode: z.string().nullable(),
  /** The VXC that consumed this single-use key, if any. */
  consumedByVxcUid: z.string().nullable(),
});
export type ServiceKey = z.infer<typeof ServiceKeySchema>;

const VxcEndSchema = z.object({
  productUid: z.string(),
  /** 2..4093, or -1 for untagged (emitted as null). */
  vlan: z.number().int(),
  /** The MVE vNIC of this end; null for a Port or MCR end. Absent in older state files. */
  vNicIndex: z.number().int().nullable().default(null),
});

/** Where a VXC is in its life, apart from approval and the provisioning clock. */
export const VxcLifecycleSchema = z.enum(["ACTIVE", "CANCELLED", "DECOMMISSIONED"]);

export const VxcSchema = z.object({
  productUid: z.string(),
  productId: z.number().int(),
  productName: z.string(),
  rateLimit: z.number().int(),
  term: z.number().int(),
  shutdown: z.boolean(),
  costCentre: z.string().nullable(),
  promoCode: z.string().nullable(),
  createDate: z.number(),
  /** The consumer: it owns the A-End and pays. */
  companyUid: z.string(),
  aEnd: VxcEndSchema,
  bEnd: VxcEndSchema,
  serviceKey: z.string(),
  approvalUid: z.string().nullable(),
  /** Emulator-clock ms when provisioning started (buy with a pre-approved key, or approval). */
  provisioningStartedAt: z.number().nullable(),
  lifecycle: VxcLifecycleSchema,
  terminateDate: z.number().nullable(),
  /** Set through the admin API to simulate a change behind the client's back. */
  forcedStatus: ProvisioningStatusSchema.nullable(),
  resourceTags: z.array(ResourceTagSchema),
});
export type Vxc = z.infer<typeof VxcSchema>;

export const StoredApprovalStatusSchema = z.enum(["PENDING", "APPROVED", "REJECTED", "WITHDRAWN"]);
export type StoredApprovalStatus = z.infer<typeof StoredApprovalStatusSchema>;

export const ApprovalSchema = z.object({
  uid: z.string(),
  id: z.number().int(),
  referenceId: z.string(),
  status: StoredApprovalStatusSchema,
  approverCompanyUid: z.string(),
  requesterCompanyUid: z.string(),
  vxcUid: z.string(),
  comment: z.string().nullable(),
  createDate: z.number(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

export const TokenSchema = z.object({
  companyUid: z.string(),
  expiresAt: z.number(),
  /** The role of the API key that minted it. Absent in older state files. */
  role: ApiKeyRoleSchema.default("COMPANY_ADMIN"),
});

/** Everything the emulator persists. */
export const StateSchema = z.object({
  version: z.literal(1),
  clockOffsetMs: z.number(),
  /** `POST /_emulator/provisioning {held}`: approved VXCs stay DEPLOYABLE until released. */
  provisioningHeld: z.boolean().default(false),
  nextId: z.number().int(),
  companies: z.array(CompanySchema),
  products: z.array(ProductSchema),
  serviceKeys: z.array(ServiceKeySchema),
  vxcs: z.array(VxcSchema),
  approvals: z.array(ApprovalSchema),
  /** Issued bearer tokens, so a restart with the same state file keeps clients logged in. */
  tokens: z.record(z.string(), TokenSchema),
});
export type State = z.infer<typeof StateSchema>;

/** Days an order may wait for approval before it fails (docs/megaport-api.md, "Approval states"). */
export const APPROVAL_EXPIRY_MS = 60 * 24 * 60 * 60 * 1000;

/** Valid contract terms in months (docs/megaport-api.md, "Conventions"). */
export const VALID_TERMS = [1, 12, 24, 36, 48, 60] as const;
