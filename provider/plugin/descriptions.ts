/**
 * The words of the package schema: a description for every resource, property, object type and
 * function, and the type of every output (outputs are not zod schemas). Input TYPES are not here:
 * schema.ts derives them from the zod schemas. tests/unit/pluginSchema.test.ts holds this table to
 * the zod schemas and to what the implementations return, so the two cannot drift.
 */

/** A Pulumi schema type of an output (or of a function's result member). */
export type OutputType =
  | { type: "string" | "integer" | "number" | "boolean" }
  | { $ref: string }
  | { oneOf: { type: string }[] }
  | { type: "array"; items: { $ref: string } };

export interface OutputSpec {
  description: string;
  type: OutputType;
}

export interface ResourceWords {
  description: string;
  /** Every input of the zod schema (identity inputs excepted), by name. */
  inputs: Record<string, string>;
  /** Every output that is not an input, with its type. */
  outputs: Record<string, OutputSpec>;
}

const str = { type: "string" } as const;
const int = { type: "integer" } as const;
const bool = { type: "boolean" } as const;

const account =
  "Named account from the provider's `accounts`; the default account (accessKey/secretKey) otherwise.";

export const RESOURCE_WORDS: Record<string, ResourceWords> = {
  ServiceKey: {
    description:
      "A Megaport service key (owner side): lets another company order a VXC to one of the owner's Ports, MCRs or MVEs. Its id is `sk-` and a digest of the key, never the key: import an existing key by that id (docs/importing.md). Deleting the resource deactivates the key: the API cannot remove keys.",
    inputs: {
      productUid: "UID of the Port, MCR or MVE the key gives access to (the B-End of VXCs ordered with it).",
      maxSpeed: "Highest rate limit, in Mbps, a VXC ordered with the key may have.",
      singleUse: "One VXC only (default true); false makes a multi-use key.",
      vlan: "B-End VLAN (2-4093) of the VXC; single-use keys only, and required for them.",
      preApproved: "Orders made with the key need no approval from the owner (default false).",
      active: "The key can be used (default true).",
      validFor:
        "Validity window. `start` defaults to the creation time; omitted altogether, the key has no expiry of its own. A window cannot be removed once set.",
      description: "Free text shown to the owner.",
      account,
      existingKey: "Adopt this existing key instead of creating one (secret). Delete deactivates it too.",
    },
    outputs: {
      key: { description: "The service key (secret): share it with the partner who orders the VXC.", type: str },
      productName: { description: "Name of the key's product.", type: str },
      productType: { description: "Type of the key's product: MEGAPORT, MCR2 or MVE.", type: str },
      companyUid: { description: "UID of the owner's company.", type: str },
      companyName: { description: "Name of the owner's company.", type: str },
      createDate: { description: "When the key was made (ISO-8601).", type: str },
      lastUsed: { description: "When the key was last used to order (ISO-8601), or null.", type: str },
      valid: { description: "The API considers the key usable now.", type: bool },
      expired: { description: "The key's validity window has ended.", type: bool },
    },
  },
  ServiceKeyVxc: {
    description:
      "A VXC ordered with a service key (consumer side), from one of your Ports, MCRs or MVEs to the product behind the key. Pending partner approval is a successful create with `approvalStatus` PENDING_EXTERNAL. Deleting the resource cancels the VXC at once (CANCEL_NOW). Import it by its product UID (docs/importing.md).",
    inputs: {
      serviceKey: "The service key shared by the owner (secret).",
      aEndProductUid: "UID of your Port, MCR or MVE (the A-End).",
      name: "Name of the VXC.",
      rateLimit: "Rate limit in Mbps; at most the key's maxSpeed.",
      aEndVlan: 'A-End VLAN 2-4093, or "untagged"; omitted, Megaport assigns one.',
      aEndVnicIndex:
        "The vNIC of an MVE A-End to connect (0 for the first): required for an MVE, refused for a Port or MCR.",
      term: "Contract term in months: 1 (default), 12, 24, 36, 48 or 60.",
      shutdown: "Create the VXC shut down (default false).",
      promoCode: "Promotion code sent with the order.",
      costCentre: "Cost centre shown on invoices; at most 255 characters.",
      waitForApproval: "Wait for the key owner's approval (up to timeouts.create) instead of finishing as pending.",
      timeouts: 'Limits of the provider\'s own waits, e.g. `{ create: "15m" }` (default 10m each).',
      account,
    },
    outputs: {
      productUid: { description: "The VXC's product UID (also the resource id).", type: str },
      provisioningStatus: { description: "The VXC's provisioning status, e.g. DEPLOYABLE or LIVE.", type: str },
      approvalStatus: {
        description: "APPROVED, PENDING_EXTERNAL, PENDING_INTERNAL, REJECTED or FAILED; null when none is in play.",
        type: str,
      },
      approvalMessage: { description: "The API's message about the approval, or null.", type: str },
      bEndProductUid: { description: "UID of the key's product (the B-End).", type: str },
      bEndProductName: { description: "Name of the B-End product.", type: str },
      bEndVlan: { description: "The B-End VLAN, or null.", type: int },
      serviceName: { description: "The VXC's service name.", type: str },
      createDate: { description: "When the VXC was ordered (ISO-8601).", type: str },
    },
  },
  VxcOrderApproval: {
    description:
      "The key owner's decision (approve or reject) on the pending order of a VXC made with one of its keys. Deleting the resource only removes it from the stack: a decision cannot be undone.",
    inputs: {
      productUid: "The VXC whose order to decide on (see the function getPendingOrders).",
      serviceKey: "Or: the single-use key the order was made with (secret).",
      decision: '"approve" or "reject".',
      comment: "Comment sent with the decision.",
      waitForOrder: "Wait (up to timeouts.create, default 10m) for the consumer's order to appear.",
      timeouts: 'Limit of the wait for the order, e.g. `{ create: "15m" }`.',
      account: "Named account (the key owner's) from the provider's `accounts`; the default account otherwise.",
    },
    outputs: {
      approvalUid: { description: "UID of the order approval (also the resource id).", type: str },
      status: { description: "The approval's status: APPROVED, REJECTED, PENDING, FAILED, WITHDRAWN or EXPIRED.", type: str },
      requestingCompany: { description: "The company that ordered the VXC.", type: str },
      rateLimit: { description: "The ordered rate limit in Mbps.", type: int },
      decidedAt: { description: "When the decision was recorded (ISO-8601).", type: str },
      vxcProductUid: { description: "The VXC the order is for.", type: str },
      serviceId: { description: "The VXC's numeric service id.", type: int },
    },
  },
};

/** Members of the object types the inputs use, by the input property that holds them. */
export const OBJECT_WORDS: Record<string, { type: string; description: string; members: Record<string, string> }> = {
  validFor: {
    type: "ValidFor",
    description: "A service key's validity window (ISO-8601 date-times).",
    members: { start: "Start of the window; the creation time when omitted.", end: "End of the window." },
  },
  timeouts: {
    type: "Timeouts",
    description: 'Limits of the provider\'s own waits, as durations such as "90s", "15m" or "1h".',
    members: {
      create: "Limit of the wait at create (default 10m).",
      update: "Limit of the wait at update (default 10m).",
      delete: "Limit of the wait at delete (default 10m).",
    },
  },
};

/** The provider's configuration (stack config `megaport-service-keys:<name>`, or provider inputs). */
export const CONFIG_WORDS: Record<string, { description: string; type: "string" | "boolean"; secret?: boolean; env: string }> = {
  accessKey: {
    description: "Access key of the default account's API key (docs/api-keys.md).",
    type: "string",
    secret: true,
    env: "MEGAPORT_ACCESS_KEY",
  },
  secretKey: { description: "Secret of the default account's API key.", type: "string", secret: true, env: "MEGAPORT_SECRET_KEY" },
  environment: {
    description: "Megaport environment: production, staging or development.",
    type: "string",
    env: "MEGAPORT_ENVIRONMENT",
  },
  baseUrl: { description: "API base URL (e.g. an emulator's), instead of an environment.", type: "string", env: "MEGAPORT_BASE_URL" },
  tokenUrl: { description: "OAuth token URL, when not derived from the environment or base URL.", type: "string", env: "MEGAPORT_TOKEN_URL" },
  accounts: {
    description:
      'Named accounts, a JSON object `{ "name": { "accessKey": …, "secretKey": …, "environment"?, "baseUrl"?, "tokenUrl"? } }` (secret).',
    type: "string",
    secret: true,
    env: "(none)",
  },
  acceptPurchaseTerms: {
    description: "true accepts Megaport's purchase terms: required before a VXC is ordered (VXCs are billed).",
    type: "boolean",
    env: "MEGAPORT_ACCEPT_PURCHASE_TERMS",
  },
};

export interface FunctionWords {
  description: string;
  args: Record<string, string>;
  result: { name: string; description: string; item: string; members: Record<string, OutputSpec> };
}

export const FUNCTION_WORDS: Record<string, FunctionWords> = {
  getServiceKeys: {
    description:
      "The account's service keys, optionally of one product, each described without the key: its importId is the id to `pulumi import` it by (docs/importing.md).",
    args: { productUid: "Only the keys of this Port, MCR or MVE.", account },
    result: {
      name: "keys",
      description: "The account's keys, each without the key itself.",
      item: "ServiceKeySummary",
      members: {
        importId: { description: "The key's resource id and `pulumi import` id (a digest, not the key).", type: str },
        productUid: { description: "UID of the key's product.", type: str },
        productName: { description: "Name of the key's product.", type: str },
        description: { description: "The key's description, or null.", type: str },
        maxSpeed: { description: "Highest rate limit in Mbps.", type: int },
        singleUse: { description: "One VXC only.", type: bool },
        vlan: { description: "B-End VLAN of a single-use key, or null.", type: int },
        preApproved: { description: "Orders need no approval.", type: bool },
        active: { description: "The key can be used.", type: bool },
        valid: { description: "The API considers the key usable now.", type: bool },
        expired: { description: "The key's window has ended.", type: bool },
        validFrom: { description: "Start of the validity window (ISO-8601), or null.", type: str },
        validUntil: { description: "End of the validity window (ISO-8601), or null.", type: str },
        createDate: { description: "When the key was made (ISO-8601).", type: str },
        lastUsed: { description: "When the key was last used (ISO-8601), or null.", type: str },
      },
    },
  },
  getPendingOrders: {
    description: "The VXC orders made with the account's keys that wait for its decision (a VxcOrderApproval).",
    args: { account },
    result: {
      name: "orders",
      description: "The orders that wait for the owner's decision.",
      item: "PendingOrder",
      members: {
        approvalUid: { description: "UID of the order approval.", type: str },
        vxcProductUid: { description: "The VXC ordered: the productUid of a VxcOrderApproval.", type: str },
        serviceId: { description: "The VXC's numeric service id.", type: int },
        requestingCompany: { description: "The company that ordered.", type: str },
        rateLimit: { description: "The ordered rate limit in Mbps.", type: int },
        createDate: { description: "When the order was made (ISO-8601).", type: str },
      },
    },
  },
};
