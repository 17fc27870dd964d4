/**
 * `ServiceKeyVxc`: the consumer's business-to-business VXC, ordered with a service key from one of
 * the consumer's Ports, MCRs or MVEs (A-End) to the product behind the key (B-End)
 * (megaport-api.md §4).
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  type ServiceKey as ApiServiceKey,
  errorDataText,
  MegaportApiError,
  type MegaportClient,
  MegaportNotFoundError,
  MegaportTimeoutError,
  type Product,
  type ResourceTag,
  type Vxc,
  type VxcOrder,
  type VxcUpdate,
} from "../sdk";
import { clientFor, purchaseTermsAccepted, withAccountFailures } from "./accounts";
import {
  checkAgainstSchema,
  type CheckedInputs,
  type CheckFailure,
  containsUnknown,
  failure,
  inputsAmong,
  toPlainJson,
} from "./checkFailures";
import { type DiffResult, diffProperties, propertyChanged } from "./diffing";
import { logLine } from "./logging";
import { CLOCK_SKEW_MS, claim, createOnce, isClaimed } from "./reconcile";
import { serviceKeyVxcShim } from "./shim";
import { DEFAULT_TIMEOUT, parseDurationMs, pollIntervalMs, type Timeouts, timeoutsSchema } from "./waiting";

/** Contract terms the API accepts, in months (megaport-api.md §4.2). */
export const VXC_TERMS = [1, 12, 24, 36, 48, 60] as const;

/** The checked inputs of a ServiceKeyVxc: the single source of truth for its input shape. */
export const serviceKeyVxcInputsSchema = z.object({
  serviceKey: z.string().min(8, { message: "the full service key is required" }),
  aEndProductUid: z.string().min(1, { message: "the UID of your Port, MCR or MVE is required" }),
  name: z.string().min(1, { message: "a name is required" }),
  rateLimit: z
    .number({ message: "the rate limit in Mbps is required" })
    .int({ message: "must be a whole number of Mbps" })
    .positive({ message: "must be a positive number of Mbps" }),
  aEndVlan: z
    .union(
      [
        z
          .number()
          .int({ message: 'must be a VLAN 2-4093 or "untagged"' })
          .min(2, { message: 'must be a VLAN 2-4093 or "untagged"' })
          .max(4093, { message: 'must be a VLAN 2-4093 or "untagged"' }),
        z.literal("untagged"),
      ],
      {
        message: 'must be a VLAN 2-4093 or "untagged" (omit it to let Megaport assign one)',
      },
    )
    .optional(),
  /** The vNIC of an MVE A-End (docs/megaport-api-variance.md); required for an MVE, refused otherwise. */
  aEndVnicIndex: z
    .number({ message: "must be the index of a vNIC of the MVE (0 for the first)" })
    .int({ message: "must be the index of a vNIC of the MVE (0 for the first)" })
    .min(0, { message: "must be the index of a vNIC of the MVE (0 for the first)" })
    .optional(),
  term: z
    .number()
    .refine((term) => (VXC_TERMS as readonly number[]).includes(term), {
      message: "must be 1, 12, 24, 36, 48 or 60 months",
    })
    .default(1),
  shutdown: z.boolean().default(false),
  promoCode: z.string().min(1).optional(),
  costCentre: z.string().max(255, { message: "must be at most 255 characters" }).optional(),
  waitForApproval: z.boolean().default(false),
  timeouts: timeoutsSchema.optional(),
  account: z.string().min(1).optional(),
  resourceName: z.string().optional(),
  /** `<project>/<stack>/<name>`, set by the resource class: identifies this resource's orders. */
  orderIdentity: z.string().optional(),
});
export type ServiceKeyVxcInputs = z.infer<typeof serviceKeyVxcInputsSchema>;

/** Approval states a service-key order can show (megaport-api.md §4.5). */
export type ApprovalStatus = "APPROVED" | "PENDING_EXTERNAL" | "PENDING_INTERNAL" | "REJECTED" | "FAILED";

/** What the API tells about the VXC, beyond the inputs. */
export interface ServiceKeyVxcFacts {
  /** The VXC's product UID (also the Pulumi id). */
  productUid: string;
  provisioningStatus: string;
  approvalStatus: ApprovalStatus | null;
  approvalMessage: string | null;
  bEndProductUid: string | null;
  bEndProductName: string | null;
  bEndVlan: number | null;
  serviceName: string | null;
  createDate: string | null;
}

/** The outputs (state): every input (`aEndVlan` as assigned) plus the facts. */
export type ServiceKeyVxcOutputs = ServiceKeyVxcInputs & ServiceKeyVxcFacts;

/** A different key or A-End is a different VXC. */
const REPLACE_ONLY = ["serviceKey", "aEndProductUid"];
/**
 * Changed in place: through `PUT /v3/product/vxc` or, for the last four, with no API call. A new
 * `aEndVnicIndex` moves the VXC to another vNIC of the same MVE (megaportgo `AVnicIndex`).
 */
const IN_PLACE = [
  "name",
  "rateLimit",
  "aEndVlan",
  "aEndVnicIndex",
  "term",
  "shutdown",
  "costCentre",
  "promoCode",
  "waitForApproval",
  "timeouts",
];

/**
 * `aEndVlan` omitted means "Megaport assigns one": the state then holds the assigned VLAN, which is
 * no reason to change anything.
 */
function aEndVlanChanged(oldValue: unknown, newValue: unknown): boolean {
  return newValue !== undefined && propertyChanged(oldValue, newValue);
}

/**
 * What check must ask the API. A new order (a new VXC, or a replacement for a new key or A-End)
 * gets every order-time check. A new rate limit on an existing VXC is checked only against the
 * key's maximum: the key is consumed, and may be inactive, once its VXC exists, which is no reason
 * to refuse a change to that VXC. Anything else is changed in place with no API check.
 */
export function apiChecksFor(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): "order" | "rateLimit" | "none" {
  if (Object.keys(olds).length === 0 || olds.serviceKey === undefined) return "order";
  if (
    propertyChanged(olds.serviceKey, news.serviceKey) ||
    propertyChanged(olds.aEndProductUid, news.aEndProductUid)
  ) {
    return "order";
  }
  return propertyChanged(olds.rateLimit, news.rateLimit) ? "rateLimit" : "none";
}

/** Rules across properties (none beyond the per-property shapes yet). */
function serviceKeyVxcRules(): CheckFailure[] {
  return [];
}

/** A ServiceKeyVxc error with a stable code; its message never contains the key. */
export class ServiceKeyVxcError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ServiceKeyVxcError";
    this.code = code;
  }
}

/**
 * Pulumi's partial-failure error (pulumi-dynamic-providers.md §10.2): the VXC exists, so it goes
 * into state with these outputs and the next `up` updates it instead of buying another.
 */
export class VxcPartialFailureError extends ServiceKeyVxcError {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
  constructor(id: string, properties: object, reason: string) {
    super("ERR_VXC_NOT_READY", `VXC ${id}: ${reason}`);
    this.id = id;
    this.properties = toPlainJson(properties) as Record<string, unknown>;
    this.reasons = [reason];
  }
}

const READY = ["CONFIGURED", "LIVE"];

/** VXCs that a create of this process took over as an interrupted run's order (see delete). */
const takenOver = new Set<string>();
const GONE = ["DECOMMISSIONED", "CANCELLED", "CANCELLED_PARENT"];
const PENDING = ["PENDING_EXTERNAL", "PENDING_INTERNAL"];

/** How long a key look-up stays fresh, so that create right after check does not repeat it. */
const KEY_CACHE_MS = 60_000;
const keyCache = new Map<string, { key: ApiServiceKey; expiresAt: number }>();

/** The consumer's look-up of a key (`GET /v2/service/key?key=`), cached briefly per process. */
async function lookUpKey(client: MegaportClient, serviceKey: string): Promise<ApiServiceKey> {
  const cached = keyCache.get(serviceKey);
  if (cached !== undefined && cached.expiresAt > Date.now()) return cached.key;
  const key = await client.serviceKeys.get(serviceKey);
  keyCache.set(serviceKey, { key, expiresAt: Date.now() + KEY_CACHE_MS });
  return key;
}

/** The reason given when a replacement would need a single-use key that is already used. */
export const NEW_KEY_NEEDED =
  "the single-use service key has already been used, by this resource's VXC in the stack: a replacement needs a new service key from the key owner; nothing was cancelled";

/**
 * What the API would refuse about the key itself (megaport-api.md §3.6), as check failures.
 * `replacement`: this resource already holds a VXC made with the key (a used single-use key then
 * means that a replacement needs a new key).
 */
function keyFailures(key: ApiServiceKey, rateLimit: number, replacement = false): CheckFailure[] {
  if (!key.active) return [failure("serviceKey", "the service key is not active")];
  if (key.expired === true) return [failure("serviceKey", "the service key has expired")];
  if (key.singleUse && key.lastUsed !== null) {
    return [
      failure("serviceKey", replacement ? NEW_KEY_NEEDED : "the single-use service key has already been used"),
    ];
  }
  // The API's own clock decides validity: trust `valid`, never this machine's clock.
  if (key.valid === false) {
    return [failure("serviceKey", "the service key is not valid now (its validity window has not started)")];
  }
  if (rateLimit > key.maxSpeed) {
    return [failure("rateLimit", `${rateLimit} exceeds the service key's maximum of ${key.maxSpeed} Mbps`)];
  }
  return [];
}

/** A new rate limit for an existing VXC: within the key's maximum (megaport-api.md §3.6). */
async function rateLimitFailures(
  client: MegaportClient,
  inputs: ServiceKeyVxcInputs,
): Promise<CheckFailure[]> {
  const key = await lookUpKey(client, inputs.serviceKey).catch((error: unknown) => {
    if (error instanceof MegaportNotFoundError) return undefined;
    throw error;
  });
  // A key the consumer can no longer see (deactivated, say) is no reason to refuse a change to a
  // VXC that exists: the API decides at update time, as update itself does.
  if (key === undefined) return [];
  return inputs.rateLimit > key.maxSpeed
    ? [failure("rateLimit", `${inputs.rateLimit} exceeds the service key's maximum of ${key.maxSpeed} Mbps`)]
    : [];
}

/** The property an order-time API rejection is about, from its text (megaport-api.md §7.4). */
function propertyOfRejection(text: string): string {
  if (/vnic/i.test(text)) return "aEndVnicIndex";
  if (/rate ?limit/i.test(text)) return "rateLimit";
  if (/vlan/i.test(text)) return "aEndVlan";
  if (/service key/i.test(text)) return "serviceKey";
  if (/a-end/i.test(text)) return "aEndProductUid";
  if (/\bterm\b/i.test(text)) return "term";
  if (/cost ?centre/i.test(text)) return "costCentre";
  if (/productName|name/i.test(text)) return "name";
  return "";
}

/** An API rejection of the order, as a check failure naming the property. */
function rejectionFailure(error: MegaportApiError): CheckFailure {
  const text = errorDataText(error.data) || error.apiMessage;
  return failure(propertyOfRejection(text), text);
}

function apiVlan(aEndVlan: number | "untagged" | undefined): number | undefined {
  return aEndVlan === "untagged" ? -1 : aEndVlan;
}

/** The tags of a new order: this resource's order tag, and the mark of an order not yet recorded. */
function tagsOf(inputs: ServiceKeyVxcInputs): ResourceTag[] | undefined {
  const tag = orderTag(inputs);
  const resource = resourceTag(inputs);
  return tag === undefined || resource === undefined ? undefined : [tag, resource, UNRECORDED_TAG];
}

/**
 * The order for `/v3/networkdesign/validate` and `/v4/networkdesign/buy` (megaport-api.md §4.2).
 * `withVlan` false leaves the A-End VLAN out (validation of a replacement whose VLAN the old VXC holds).
 */
function buildOrder(inputs: ServiceKeyVxcInputs, bEndProductUid: string, withVlan = true): VxcOrder {
  return {
    productUid: inputs.aEndProductUid,
    associatedVxcs: [
      {
        productName: inputs.name,
        rateLimit: inputs.rateLimit,
        term: inputs.term,
        shutdown: inputs.shutdown,
        promoCode: inputs.promoCode,
        costCentre: inputs.costCentre,
        serviceKey: inputs.serviceKey,
        resourceTags: tagsOf(inputs),
        aEnd: {
          productUid: inputs.aEndProductUid,
          vlan: withVlan ? apiVlan(inputs.aEndVlan) : undefined,
          ...(inputs.aEndVnicIndex === undefined ? {} : { vNicIndex: inputs.aEndVnicIndex }),
        },
        // A B-End is required even with a key: the key's product (megaport-api.md §4.2, tf#483).
        bEnd: { productUid: bEndProductUid },
      },
    ],
  };
}

/**
 * `aEndVnicIndex` against the A-End's product type (docs/megaport-api-variance.md): required for an
 * MVE (megaportgo/Terraform: "Required for MVE connections"), refused for a Port or MCR, whose
 * orders have no vNIC (the API may ignore it there; a silently ignored input is refused instead).
 */
function vnicFailures(aEnd: Product, index: number | undefined): CheckFailure[] {
  const isMve = aEnd.productType.toUpperCase() === "MVE";
  if (isMve && index === undefined) {
    return [
      failure(
        "aEndVnicIndex",
        `required for an MVE A-End: the index of the vNIC of MVE ${aEnd.productUid} to connect (0 for the first)`,
      ),
    ];
  }
  if (!isMve && index !== undefined) {
    return [
      failure(
        "aEndVnicIndex",
        `applies to an MVE A-End only; ${aEnd.productUid} is a ${aEnd.productType}: remove aEndVnicIndex`,
      ),
    ];
  }
  return [];
}

/** The A-End's vNIC rule through one product look-up; an unknown A-End is left to validate. */
async function aEndVnicFailures(client: MegaportClient, inputs: ServiceKeyVxcInputs): Promise<CheckFailure[]> {
  try {
    return vnicFailures(await client.products.get(inputs.aEndProductUid), inputs.aEndVnicIndex);
  } catch (error) {
    if (error instanceof MegaportApiError && error.status >= 400 && error.status < 500) return [];
    throw error;
  }
}

/**
 * Every check the API makes at order time: the key look-up (exists, active, valid, not consumed,
 * rate limit within its maximum), the A-End's vNIC rule, then `POST /v3/networkdesign/validate`.
 */
async function orderFailures(client: MegaportClient, inputs: ServiceKeyVxcInputs): Promise<CheckFailure[]> {
  let key: ApiServiceKey;
  try {
    key = await lookUpKey(client, inputs.serviceKey);
  } catch (error) {
    if (error instanceof MegaportNotFoundError) return [failure("serviceKey", "no such service key")];
    throw error;
  }
  const own = await ownOrders(client, inputs);
  const failures = keyFailures(key, inputs.rateLimit, own.recorded.length > 0);
  if (key.singleUse && key.lastUsed !== null && own.unrecorded.length > 0) {
    // Used by an order of ours that an interrupted run never recorded: create adopts it.
    return failures.filter((f) => !/already been used/.test(f.reason));
  }
  if (failures.length > 0) return failures;
  const vnic = await aEndVnicFailures(client, inputs);
  if (vnic.length > 0) return vnic;
  // A fixed VLAN that this resource's own VXC holds (a replacement: the engine cancels that VXC
  // first when diff asks for it) is not counted against the order.
  const vlanHeldByOwn =
    inputs.aEndVlan !== undefined && own.holding.some((v) => (v.aEndVlan ?? -1) === apiVlan(inputs.aEndVlan)); // untagged: null or -1
  try {
    await client.networkDesign.validate([buildOrder(inputs, key.productUid, !vlanHeldByOwn)]);
  } catch (error) {
    if (error instanceof MegaportApiError && error.status >= 400 && error.status < 500)
      return [rejectionFailure(error)];
    throw error;
  }
  return [];
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** Approval state shown to the consumer; a FAILED order with no approval in play shows FAILED. */
function approvalStatusOf(vxc: Vxc): ApprovalStatus | null {
  const status = vxc.vxcApproval.status;
  if (status === "APPROVED" || status === "PENDING_EXTERNAL" || status === "PENDING_INTERNAL") return status;
  if (status === "REJECTED" || vxc.provisioningStatus === "FAILED")
    return status === "REJECTED" ? "REJECTED" : "FAILED";
  return null;
}

/** Outputs from the declared inputs (or state) and the VXC as the API shows it (drift included). */
function toOutputs(declared: Record<string, unknown>, vxc: Vxc): ServiceKeyVxcOutputs {
  const inputs = inputsAmong(serviceKeyVxcInputsSchema, declared);
  const vlan = vxc.aEnd.vlan;
  const declaredVnic = (inputs as ServiceKeyVxcInputs).aEndVnicIndex;
  return toPlainJson({
    ...(inputs as ServiceKeyVxcInputs),
    name: vxc.productName,
    rateLimit: vxc.rateLimit,
    // Untagged is -1 on the wire and may come back as null (megaport-api.md §4.2).
    aEndVlan: vlan === null || vlan === -1 ? "untagged" : vlan,
    // Only an MVE A-End has one; the API's value shows drift (a Port's end may show 0 or null).
    aEndVnicIndex: declaredVnic === undefined ? undefined : (vxc.aEnd.vNicIndex ?? declaredVnic),
    term: vxc.contractTermMonths ?? (declared.term as number),
    shutdown: vxc.shutdown ?? (declared.shutdown as boolean),
    costCentre: vxc.costCentre ?? undefined,
    productUid: vxc.productUid,
    provisioningStatus: vxc.provisioningStatus,
    approvalStatus: approvalStatusOf(vxc),
    approvalMessage: vxc.vxcApproval.message,
    bEndProductUid: vxc.bEnd.productUid,
    bEndProductName: vxc.bEnd.productName,
    bEndVlan: vxc.bEnd.vlan,
    serviceName: vxc.productName,
    createDate: isoOrNull(vxc.createDate),
  });
}

/**
 * After a lost buy answer: the VXC that request made, if any: on the A-End, same name, rate limit
 * and B-End, created since the request started, not claimed by this process.
 */
async function findPlacedVxc(
  client: MegaportClient,
  inputs: ServiceKeyVxcInputs,
  bEndProductUid: string,
  startedAt: number,
): Promise<Vxc | undefined> {
  const aEnd = await client.products.get(inputs.aEndProductUid);
  const tag = orderTag(inputs);
  const matches: Vxc[] = [];
  for (const summary of aEnd.associatedVxcs) {
    if (isClaimed(summary.productUid) || summary.productName !== inputs.name) continue;
    if (summary.rateLimit !== inputs.rateLimit || GONE.includes(summary.provisioningStatus ?? "")) continue;
    const vxc = await client.vxcs.get(summary.productUid);
    if (vxc.bEnd.productUid !== bEndProductUid || (vxc.createDate ?? 0) < startedAt - CLOCK_SKEW_MS) continue;
    // With this resource's order tag, another stack's same-named order is never taken; without
    // the unrecorded mark, neither is the VXC a replacement replaces.
    if (tag !== undefined) {
      const tags = await client.products.tags(summary.productUid);
      const ours = tags.some((t) => t.key === tag.key && t.value === tag.value);
      if (!ours || !tags.some(isUnrecordedMark)) continue;
    }
    matches.push(vxc);
  }
  return matches.sort((a, b) => (a.createDate ?? 0) - (b.createDate ?? 0))[0];
}

/** The resource tag that marks the orders of one resource with one key (never the key itself). */
const ORDER_TAG_KEY = "pulumi-megaport-service-keys/order";
/** The resource tag that marks the orders of one resource, whatever the key (a key rotation). */
const RESOURCE_TAG_KEY = "pulumi-megaport-service-keys/resource";

/**
 * This resource's tag, a digest of `<project>/<stack>/<name>` alone: it finds the VXC the resource
 * holds when the key changes (the order tag digests the key), e.g. the A-End VLAN it holds.
 */
function resourceTag(inputs: ServiceKeyVxcInputs): ResourceTag | undefined {
  if (inputs.orderIdentity === undefined) return undefined;
  const digest = createHash("sha256").update(inputs.orderIdentity).digest("hex");
  return { key: RESOURCE_TAG_KEY, value: digest.slice(0, 32) };
}

/**
 * This resource's tag for an order with this key: a digest of `<project>/<stack>/<name>` and the
 * key (never the key itself), so another stack's or resource's orders never match.
 */
export function orderTag(inputs: ServiceKeyVxcInputs): ResourceTag | undefined {
  if (inputs.orderIdentity === undefined) return undefined;
  const digest = createHash("sha256").update(`${inputs.orderIdentity}\n${inputs.serviceKey}`).digest("hex");
  return { key: ORDER_TAG_KEY, value: digest.slice(0, 32) };
}

/**
 * The mark of an order whose create has not returned to the engine yet: set with the order, taken
 * off (`PUT /v2/product/{uid}/tags`) just before create returns. Only a VXC that still carries it
 * can be an order that an interrupted run placed and never recorded; a VXC without it is in the
 * stack (or was, and was cancelled or forgotten on purpose) and is never adopted. VXCs ordered by
 * earlier releases carry no mark, so they are never adopted either (docs/lifecycle.md, "Replacing").
 */
export const UNRECORDED_TAG: ResourceTag = { key: "pulumi-megaport-service-keys/unrecorded", value: "true" };

const isUnrecordedMark = (t: ResourceTag) => t.key === UNRECORDED_TAG.key;

/** A live VXC on the A-End with this resource's name and order tag. */
interface OwnOrder {
  productUid: string;
  aEndVlan: number | null;
}

/**
 * This resource's live VXCs on its A-End with its name: with its order tag, `unrecorded` (still
 * carrying the mark: an interrupted run's order, to adopt) and `recorded` (the VXC the stack holds,
 * e.g. the one a replacement replaces; never adopted); `holding`, recorded ones with its resource
 * tag whatever their key (what a key rotation replaces; only their VLAN matters). Skips VXCs this
 * process already claimed.
 */
async function ownOrders(
  client: MegaportClient,
  inputs: ServiceKeyVxcInputs,
): Promise<{ unrecorded: OwnOrder[]; recorded: OwnOrder[]; holding: OwnOrder[] }> {
  const found = { unrecorded: [] as OwnOrder[], recorded: [] as OwnOrder[], holding: [] as OwnOrder[] };
  const tag = orderTag(inputs);
  const resource = resourceTag(inputs);
  if (tag === undefined || resource === undefined) return found;
  const has = (tags: ResourceTag[], wanted: ResourceTag) =>
    tags.some((t) => t.key === wanted.key && t.value === wanted.value);
  let aEnd: Product;
  try {
    aEnd = await client.products.get(inputs.aEndProductUid);
  } catch (error) {
    // Not this account's A-End (or none): it holds no order of ours, and validate or the buy says
    // what is wrong with it, naming aEndProductUid.
    if (error instanceof MegaportApiError && error.status >= 400 && error.status < 500) return found;
    throw error;
  }
  for (const summary of aEnd.associatedVxcs) {
    if (summary.productName !== inputs.name || isClaimed(summary.productUid)) continue;
    if (GONE.includes(summary.provisioningStatus ?? "")) continue;
    const tags = await client.products.tags(summary.productUid);
    const ordered = has(tags, tag);
    if (ordered && tags.some(isUnrecordedMark)) {
      found.unrecorded.push({ productUid: summary.productUid, aEndVlan: null });
    } else if (ordered || (has(tags, resource) && !tags.some(isUnrecordedMark))) {
      const vxc = await client.vxcs.get(summary.productUid);
      const own = { productUid: summary.productUid, aEndVlan: vxc.aEnd.vlan };
      found.holding.push(own);
      if (ordered) found.recorded.push(own);
    }
  }
  return found;
}

/**
 * Takes the unrecorded mark off a VXC (keeping every other tag) just before the engine records it.
 * Idempotent: no call when the mark is not there.
 */
async function markRecorded(client: MegaportClient, uid: string, known?: ResourceTag[]): Promise<void> {
  const tags = known ?? (await client.products.tags(uid));
  if (!tags.some(isUnrecordedMark)) return;
  await client.products.setTags(uid, tags.filter((t) => !isUnrecordedMark(t)));
}

/** Buys the VXC, reconciling a lost answer before anything is sent again: never buys twice. */
async function buyVxc(
  client: MegaportClient,
  inputs: ServiceKeyVxcInputs,
  order: VxcOrder,
  bEnd: string,
): Promise<string> {
  const made = await createOnce({
    product: inputs.aEndProductUid,
    create: async () => {
      const [result] = await client.networkDesign.buy([order]);
      return (result as { vxcJTechnicalServiceUid: string }).vxcJTechnicalServiceUid;
    },
    idOf: (uid) => uid,
    findMade: async (startedAt) => (await findPlacedVxc(client, inputs, bEnd, startedAt))?.productUid,
    onAdopted: (uid) =>
      logLine(inputs.resourceName, `the answer to the order was lost; adopted the VXC it made (${uid})`),
  });
  return made;
}

/** Why an order that will never be ready failed, with the owner's comment when there is one. */
async function failureReason(client: MegaportClient, vxc: Vxc): Promise<string> {
  let detail = "";
  try {
    const page = await client.orderApprovals.list({
      serviceIds: vxc.productId === null ? [] : [vxc.productId],
    });
    const decided = page.items.find((item) => item.status !== "PENDING" && item.status !== "APPROVED");
    if (decided !== undefined) {
      detail = `: order ${decided.status.toLowerCase()}${decided.comment ? ` (${decided.comment})` : ""}`;
    }
  } catch {
    // The reason is a courtesy; the status alone still says what happened.
  }
  return `the order failed (provisioningStatus ${vxc.provisioningStatus})${detail}`;
}

/**
 * Waits after the buy: for CONFIGURED/LIVE, or, while the order awaits the partner's approval,
 * finishes at once (or keeps waiting with progress lines when `waitForApproval`). Every failure
 * here is a partial failure carrying the VXC's id.
 */
async function waitAfterBuy(client: MegaportClient, inputs: ServiceKeyVxcInputs, uid: string): Promise<Vxc> {
  const timeout = inputs.timeouts?.create ?? DEFAULT_TIMEOUT;
  let lastStatus = "";
  let lastSeen: Vxc | undefined;
  const stopped = (vxc: Vxc) =>
    READY.includes(vxc.provisioningStatus) ||
    GONE.includes(vxc.provisioningStatus) ||
    vxc.provisioningStatus === "FAILED" ||
    (!inputs.waitForApproval && PENDING.includes(vxc.vxcApproval.status ?? ""));
  let vxc: Vxc;
  try {
    vxc = await client.vxcs.waitFor(uid, {
      until: stopped,
      timeoutMs: parseDurationMs(timeout),
      intervalMs: pollIntervalMs(),
      onProgress: (seen) => {
        lastSeen = seen;
        const status = `${seen.provisioningStatus}/${seen.vxcApproval.status ?? "-"}`;
        if (
          status !== lastStatus &&
          inputs.waitForApproval &&
          PENDING.includes(seen.vxcApproval.status ?? "")
        ) {
          logLine(
            inputs.resourceName,
            `waiting for ${seen.vxcApproval.message ?? "the key owner"} to approve the order (VXC ${uid})`,
          );
        }
        lastStatus = status;
      },
    });
  } catch (error) {
    const seen = error instanceof MegaportTimeoutError ? (error.lastSeen as Vxc | undefined) : lastSeen;
    const properties = seen === undefined ? { ...inputs, productUid: uid } : toOutputs(inputs, seen);
    const reason =
      error instanceof MegaportTimeoutError
        ? `not ready within ${timeout} (last status ${seen?.provisioningStatus ?? "unknown"}); it is kept in the stack and the next update continues`
        : `ordered, but reading its status failed: ${error instanceof Error ? error.message : String(error)}`;
    throw new VxcPartialFailureError(uid, properties, reason);
  }
  if (GONE.includes(vxc.provisioningStatus) || vxc.provisioningStatus === "FAILED") {
    throw new VxcPartialFailureError(uid, toOutputs(inputs, vxc), await failureReason(client, vxc));
  }
  if (PENDING.includes(vxc.vxcApproval.status ?? "")) {
    logLine(
      inputs.resourceName,
      `waiting for ${vxc.vxcApproval.message ?? "the key owner"} to approve the order (VXC ${uid})`,
    );
  }
  return vxc;
}

/** The in-place changes for `PUT /v3/product/vxc/{uid}` (megaport-api.md §4.6). */
function vxcChanges(olds: Record<string, unknown>, inputs: ServiceKeyVxcInputs): VxcUpdate {
  const changes: VxcUpdate = {};
  if (propertyChanged(olds.name, inputs.name)) changes.name = inputs.name;
  if (propertyChanged(olds.rateLimit, inputs.rateLimit)) changes.rateLimit = inputs.rateLimit;
  if (aEndVlanChanged(olds.aEndVlan, inputs.aEndVlan)) changes.aEndVlan = apiVlan(inputs.aEndVlan);
  if (inputs.aEndVnicIndex !== undefined && propertyChanged(olds.aEndVnicIndex, inputs.aEndVnicIndex)) {
    changes.aVnicIndex = inputs.aEndVnicIndex;
    // The Terraform provider sends the A-End VLAN with a vNIC move (vxc_resource.go Update).
    if (changes.aEndVlan === undefined && typeof olds.aEndVlan === "number") changes.aEndVlan = olds.aEndVlan;
  }
  if (propertyChanged(olds.term, inputs.term)) changes.term = inputs.term;
  if (propertyChanged(olds.shutdown, inputs.shutdown)) changes.shutdown = inputs.shutdown;
  if (propertyChanged(olds.costCentre, inputs.costCentre)) changes.costCentre = inputs.costCentre ?? "";
  return changes;
}

/**
 * A replacement's buy refused because the fixed A-End VLAN is still held, by the VXC being replaced
 * (a targeted `pulumi up --replace` creates before it deletes): says how to replace it.
 */
function vlanHeldError(error: unknown, inputs: ServiceKeyVxcInputs): unknown {
  if (!(error instanceof MegaportApiError) || error.status >= 500 || inputs.aEndVlan === undefined) return error;
  const text = errorDataText(error.data) || error.apiMessage;
  if (!/vlan/i.test(text)) return error;
  return new ServiceKeyVxcError(
    "ERR_VXC_VLAN_HELD",
    `aEndVlan: ${String(inputs.aEndVlan)} is held by the VXC this one replaces, which is cancelled only after the new one is ordered; nothing was cancelled. Replace it with the resource option deleteBeforeReplace: true (the old VXC is cancelled first), or give the replacement another aEndVlan (API: ${text})`,
  );
}

/** Rejects after `ms` with a timeout error naming the operation (the provider's own deadline). */
function withDeadline<T>(operation: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ServiceKeyVxcError("ERR_VXC_TIMEOUT", `${what} did not finish in time`)),
      ms,
    );
  });
  return Promise.race([operation, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The ServiceKeyVxc provider implementation. It runs in the provider process, loaded by the shim
 * (design.md §5); methods are in lifecycle order.
 */
export const serviceKeyVxcProvider = {
  /**
   * Validates the inputs with zod; for a new order (a new VXC, or a new key or A-End) also asks the
   * API what it would say at order time (key look-up, then `POST /v3/networkdesign/validate`), so
   * that preview catches a rejection before anything is bought; a new rate limit on an existing VXC
   * is checked against the key's maximum. The engine checks a targeted replacement (`pulumi up
   * --replace`) like a new resource, with no old inputs (docs/lifecycle.md, "Replacing").
   */
  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckedInputs> {
    const checked = await withAccountFailures(
      checkAgainstSchema(serviceKeyVxcInputsSchema, news, () => serviceKeyVxcRules()),
    );
    if (checked.failures.length > 0 || containsUnknown(checked.inputs)) return checked;
    const apiChecks = apiChecksFor(olds, checked.inputs);
    const inputs = checked.inputs as ServiceKeyVxcInputs;
    // Adding, changing or removing the vNIC of an existing VXC: one product look-up says whether
    // its A-End is an MVE.
    const vnicChanged = apiChecks !== "order" && propertyChanged(olds.aEndVnicIndex, inputs.aEndVnicIndex);
    if (apiChecks === "none" && !vnicChanged) return checked;
    const client = clientFor(inputs.account);
    const failures =
      apiChecks === "order"
        ? await orderFailures(client, inputs)
        : apiChecks === "rateLimit"
          ? await rateLimitFailures(client, inputs)
          : [];
    if (vnicChanged) failures.push(...(await aEndVnicFailures(client, inputs)));
    return { inputs: checked.inputs, failures };
  },

  /**
   * `serviceKey` and `aEndProductUid` replace the VXC; the rest changes in place. A fixed A-End
   * VLAN kept on the same A-End would clash with the old VXC's, so a replace the engine decides from
   * this diff (a new key, `replaceOnChanges`) deletes first; check has refused by then a
   * replacement whose key could not order again (docs/lifecycle.md, "Replacing").
   */
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult> {
    const changed = (property: string) =>
      property === "aEndVlan"
        ? aEndVlanChanged(olds.aEndVlan, news.aEndVlan)
        : propertyChanged(olds[property], news[property]);
    const result = diffProperties(olds, news, REPLACE_ONLY, IN_PLACE, changed);
    const keepsFixedVlan =
      news.aEndVlan !== undefined &&
      !containsUnknown(news.aEndVlan) &&
      !changed("aEndVlan") &&
      !changed("aEndProductUid");
    return keepsFixedVlan ? { ...result, deleteBeforeReplace: true } : result;
  },

  /**
   * Requires acceptPurchaseTerms (a VXC costs money); looks the key up (cached from check) for the
   * B-End; validates; buys (`POST /v4/networkdesign/buy`, reconciling a lost answer); then waits.
   * Pending partner approval finishes successfully with `approvalStatus` PENDING_EXTERNAL.
   */
  async create(news: Record<string, unknown>): Promise<{ id: string; outs: ServiceKeyVxcOutputs }> {
    if (!purchaseTermsAccepted()) {
      throw new ServiceKeyVxcError(
        "ERR_PURCHASE_TERMS_NOT_ACCEPTED",
        "a VXC is billed by Megaport: accept the purchase terms with `pulumi config set megaport:acceptPurchaseTerms true` (or MEGAPORT_ACCEPT_PURCHASE_TERMS=true)",
      );
    }
    const inputs = serviceKeyVxcInputsSchema.parse(news);
    const client = clientFor(inputs.account);
    // check validated this order moments ago (and the buy validates again): the key is cached.
    const key = await lookUpKey(client, inputs.serviceKey);
    // Only an order still marked unrecorded: never the VXC the stack holds (which a replacement replaces).
    const own = await ownOrders(client, inputs);
    const earlier = own.unrecorded[0]?.productUid;
    const replacement = own.recorded.length > 0;
    let uid: string;
    let known: ResourceTag[] | undefined;
    if (earlier !== undefined) {
      // An interrupted `pulumi up` ordered this VXC but never recorded it: take it over instead
      // of ordering a second one.
      claim(earlier);
      takenOver.add(earlier);
      logLine(inputs.resourceName, `adopted VXC ${earlier}, ordered for this resource by an earlier, interrupted run`);
      uid = earlier;
    } else {
      const failures = keyFailures(key, inputs.rateLimit, replacement);
      if (failures.length > 0) {
        const code = failures.some((f) => f.reason.includes(NEW_KEY_NEEDED))
          ? "ERR_VXC_NEW_KEY_NEEDED"
          : "ERR_VXC_ORDER_REJECTED";
        throw new ServiceKeyVxcError(code, failures.map((f) => f.reason).join("; "));
      }
      const order = buildOrder(inputs, key.productUid);
      uid = await buyVxc(client, inputs, order, key.productUid).catch((error: unknown) => {
        throw own.holding.length > 0 ? vlanHeldError(error, inputs) : error;
      });
      known = order.associatedVxcs[0]?.resourceTags;
    }
    keyCache.delete(inputs.serviceKey); // a single-use key is consumed now
    let vxc: Vxc;
    try {
      vxc = await waitAfterBuy(client, inputs, uid);
    } catch (error) {
      // The engine records a partial failure: the VXC is in the stack from now on.
      await markRecorded(client, uid, known).catch(() => undefined);
      throw error;
    }
    const outs = toOutputs(inputs, vxc);
    try {
      await markRecorded(client, uid, known);
    } catch (error) {
      throw new VxcPartialFailureError(
        uid,
        outs,
        `ordered, but taking its unrecorded mark off failed (${error instanceof Error ? error.message : String(error)}); the next update does it`,
      );
    }
    return { id: uid, outs };
  },

  /**
   * `GET /v2/product/{uid}`: status, approval and VLANs as they are now. Not found,
   * DECOMMISSIONED or CANCELLED → gone (`{}`).
   */
  async read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: ServiceKeyVxcOutputs; inputs?: Record<string, unknown> }> {
    let vxc: Vxc;
    try {
      vxc = await clientFor(props.account as string | undefined).vxcs.get(id);
    } catch (error) {
      if (error instanceof MegaportNotFoundError) return {};
      throw error;
    }
    if (GONE.includes(vxc.provisioningStatus)) return {};
    const outs = toOutputs(props, vxc);
    return { id, props: outs, inputs: inputsAmong(serviceKeyVxcInputsSchema, outs) };
  },

  /**
   * `PUT /v3/product/vxc/{uid}` with only what changed (name, rate limit, A-End VLAN, term,
   * shutdown, cost centre); `waitForApproval`, `timeouts` and `promoCode` change state only.
   * When the state says the order awaits approval, the VXC is read first: refused only while the
   * API still says so, and the outputs show its current status (docs/lifecycle.md).
   */
  async update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: ServiceKeyVxcOutputs }> {
    const inputs = serviceKeyVxcInputsSchema.parse(news);
    const changes = vxcChanges(olds, inputs);
    const client = clientFor(inputs.account);
    // The VXC is in the stack: after a create that could not take the mark off, take it off now.
    // Until it is off, a forced replacement could take this VXC over, so its failure fails the update.
    await markRecorded(client, id).catch((error: unknown) => {
      throw new ServiceKeyVxcError(
        "ERR_VXC_MARK",
        `could not take the unrecorded mark (tag ${UNRECORDED_TAG.key}) off VXC ${id}: ${error instanceof Error ? error.message : String(error)}; remove the tag in the Megaport portal or run pulumi up again`,
      );
    });
    // The state may say pending long after the owner approved (the approval is often in the same
    // stack, and pipelines do not refresh): decide on the API's view, read now.
    const current = PENDING.includes(String(olds.approvalStatus)) ? await client.vxcs.get(id) : undefined;
    if (Object.keys(changes).length === 0) {
      if (current !== undefined) return { outs: toOutputs(inputs, current) };
      // After a partial failure (bought, never ready) the engine runs an update on the next `up`:
      // carry on waiting for the VXC rather than copying the stale state.
      if (!READY.includes(String(olds.provisioningStatus))) {
        return { outs: toOutputs(inputs, await waitAfterBuy(client, inputs, id)) };
      }
      return {
        outs: toPlainJson({
          ...(olds as unknown as ServiceKeyVxcOutputs),
          ...inputs,
          aEndVlan: olds.aEndVlan as number,
        }),
      };
    }
    if (current !== undefined && PENDING.includes(current.vxcApproval.status ?? "")) {
      throw new ServiceKeyVxcError(
        "ERR_VXC_PENDING_APPROVAL",
        `VXC ${id} is waiting for ${current.vxcApproval.message ?? "the key owner"} to approve the order; it can be changed once approved`,
      );
    }
    if (changes.rateLimit !== undefined) {
      const key = await lookUpKey(client, inputs.serviceKey).catch(() => undefined);
      if (key !== undefined && changes.rateLimit > key.maxSpeed) {
        throw new ServiceKeyVxcError(
          "ERR_VXC_ORDER_REJECTED",
          `rateLimit: ${changes.rateLimit} exceeds the service key's maximum of ${key.maxSpeed} Mbps`,
        );
      }
    }
    const timeout = parseDurationMs(inputs.timeouts?.update ?? DEFAULT_TIMEOUT);
    const vxc = await withDeadline(client.vxcs.update(id, changes), timeout, `updating VXC ${id}`);
    return { outs: toOutputs(inputs, vxc) };
  },

  /**
   * `POST /v3/product/{uid}/action/CANCEL_NOW` (the SDK retries the transient "rollback-only"
   * failure, megaport-api.md §4.7); not found or already decommissioned is success. Honours
   * `timeouts.delete`.
   */
  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    if (takenOver.has(id)) {
      // Only the old half of a replace deletes a VXC that a create of this run took over: the
      // replacement holds it now (a mark that could not be taken off made it look unrecorded).
      logLine(props.resourceName, `VXC ${id} is held by the resource that replaced this one; not cancelled`);
      return;
    }
    const timeouts = (props.timeouts ?? {}) as Timeouts;
    const client = clientFor(props.account as string | undefined);
    await withDeadline(
      client.vxcs.cancel(id, "CANCEL_NOW"),
      parseDurationMs(timeouts.delete ?? DEFAULT_TIMEOUT),
      `cancelling VXC ${id}`,
    );
    logLine(props.resourceName, `cancelled VXC ${id} (CANCEL_NOW)`);
  },
};

/** Arguments of a {@link ServiceKeyVxc}. */
export interface ServiceKeyVxcArgs {
  /** The service key shared by the owner (secret). */
  serviceKey: pulumi.Input<string>;
  /** UID of your Port, MCR or MVE (the A-End). */
  aEndProductUid: pulumi.Input<string>;
  /** Name of the VXC. */
  name: pulumi.Input<string>;
  /** Rate limit in Mbps; at most the key's `maxSpeed`. */
  rateLimit: pulumi.Input<number>;
  /** A-End VLAN 2-4093, or "untagged"; omitted, Megaport assigns one. */
  aEndVlan?: pulumi.Input<number | "untagged">;
  /**
   * The vNIC of an MVE A-End to connect (0 for the first): required when `aEndProductUid` is an MVE,
   * refused for a Port or MCR. Changing it moves the VXC to another vNIC in place.
   */
  aEndVnicIndex?: pulumi.Input<number>;
  /** Contract term in months: 1 (default), 12, 24, 36, 48 or 60. */
  term?: pulumi.Input<number>;
  /** Create the VXC shut down (default false). */
  shutdown?: pulumi.Input<boolean>;
  promoCode?: pulumi.Input<string>;
  /** At most 255 characters. */
  costCentre?: pulumi.Input<string>;
  /** Wait for the key owner's approval (up to `timeouts.create`) instead of finishing as pending. */
  waitForApproval?: pulumi.Input<boolean>;
  /** Limits of the provider's own waits, e.g. `{ create: "15m" }` (default 10m each). */
  timeouts?: pulumi.Input<{
    create?: pulumi.Input<string>;
    update?: pulumi.Input<string>;
    delete?: pulumi.Input<string>;
  }>;
  /** Named account from `megaport:accounts`; the default account otherwise. */
  account?: pulumi.Input<string>;
}

/**
 * A VXC ordered with a service key (consumer side). Pending partner approval is a successful create
 * with `approvalStatus` PENDING_EXTERNAL. Deleting the resource cancels the VXC at once (CANCEL_NOW).
 */
export class ServiceKeyVxc extends pulumi.dynamic.Resource {
  declare readonly serviceKey: pulumi.Output<string>;
  declare readonly aEndProductUid: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly rateLimit: pulumi.Output<number>;
  /** The A-End VLAN, as assigned when it was omitted. */
  declare readonly aEndVlan: pulumi.Output<number | "untagged">;
  /** The MVE A-End's vNIC, as the API shows it; undefined for a Port or MCR A-End. */
  declare readonly aEndVnicIndex: pulumi.Output<number | undefined>;
  declare readonly term: pulumi.Output<number>;
  declare readonly shutdown: pulumi.Output<boolean>;
  declare readonly promoCode: pulumi.Output<string | undefined>;
  declare readonly costCentre: pulumi.Output<string | undefined>;
  declare readonly waitForApproval: pulumi.Output<boolean>;
  declare readonly timeouts: pulumi.Output<Timeouts | undefined>;
  declare readonly account: pulumi.Output<string | undefined>;
  /** The VXC's product UID (also the resource id). */
  declare readonly productUid: pulumi.Output<string>;
  declare readonly provisioningStatus: pulumi.Output<string>;
  declare readonly approvalStatus: pulumi.Output<ApprovalStatus | null>;
  declare readonly approvalMessage: pulumi.Output<string | null>;
  declare readonly bEndProductUid: pulumi.Output<string | null>;
  declare readonly bEndProductName: pulumi.Output<string | null>;
  declare readonly bEndVlan: pulumi.Output<number | null>;
  declare readonly serviceName: pulumi.Output<string | null>;
  /** ISO-8601. */
  declare readonly createDate: pulumi.Output<string | null>;

  constructor(name: string, args: ServiceKeyVxcArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      serviceKeyVxcShim,
      name,
      {
        productUid: undefined,
        provisioningStatus: undefined,
        approvalStatus: undefined,
        approvalMessage: undefined,
        bEndProductUid: undefined,
        bEndProductName: undefined,
        bEndVlan: undefined,
        serviceName: undefined,
        createDate: undefined,
        ...args,
        serviceKey: pulumi.secret(args.serviceKey),
        resourceName: name,
        orderIdentity: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["serviceKey"] }),
      "megaport",
      "ServiceKeyVxc",
    );
  }
}
