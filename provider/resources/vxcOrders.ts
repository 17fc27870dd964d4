/**
 * A `ServiceKeyVxc`'s orders on the wire: the order sent to validate and buy, its resource tags
 * (which find this resource's orders again after a lost answer or an interrupted run), the buy that
 * never buys twice, the wait after it, and the outputs made from the API's view of the VXC
 * (docs/lifecycle.md, "Replacing"; docs/megaport-api.md, "VXCs").
 */
import { createHash } from "node:crypto";
import {
  MegaportApiError,
  type MegaportClient,
  MegaportNotFoundError,
  MegaportTimeoutError,
  type Product,
  type ResourceTag,
  type Vxc,
  type VxcOrder,
} from "../../sdk";
import { inputsAmong, toPlainJson } from "./checkFailures";
import { logLine } from "./logging";
import { CLOCK_SKEW_MS, createOnce, isClaimed } from "./reconcile";
import {
  type ApprovalStatus,
  type ServiceKeyVxcInputs,
  type ServiceKeyVxcOutputs,
  serviceKeyVxcInputsSchema,
} from "./serviceKeyVxcInputs";
import { lookUpAEnd } from "./vxcAEnds";
import { DEFAULT_TIMEOUT, parseDurationMs, pollIntervalMs, readyAfterOrder } from "./waiting";

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
 * Pulumi's partial-failure error (docs/architecture.md, "Partial failure"): the VXC exists, so it goes
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

/** Statuses of a VXC that is ready, gone for good, or waiting for the key owner. */
export const READY = ["CONFIGURED", "LIVE"];

export const GONE = ["DECOMMISSIONED", "CANCELLED", "CANCELLED_PARENT"];
export const PENDING = ["PENDING_EXTERNAL", "PENDING_INTERNAL"];

/** The A-End VLAN as the API takes it: untagged is -1. */
export function apiVlan(aEndVlan: number | "untagged" | undefined): number | undefined {
  return aEndVlan === "untagged" ? -1 : aEndVlan;
}

/** The tags of a new order: this resource's order tag, and the mark of an order not yet recorded. */
function tagsOf(inputs: ServiceKeyVxcInputs): ResourceTag[] | undefined {
  const tag = orderTag(inputs);
  const resource = resourceTag(inputs);
  return tag === undefined || resource === undefined ? undefined : [tag, resource, UNRECORDED_TAG];
}

/**
 * The order for `/v3/networkdesign/validate` and `/v4/networkdesign/buy`
 * (docs/megaport-api.md, "Validate and buy"). `withVlan` false leaves the A-End VLAN out (validation of a
 * replacement whose VLAN the old VXC holds).
 */
export function buildOrder(inputs: ServiceKeyVxcInputs, bEndProductUid: string, withVlan = true): VxcOrder {
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
        // A B-End is required even with a key: the key's product (docs/megaport-api.md, "Validate and buy",
        // tf#483).
        bEnd: { productUid: bEndProductUid },
      },
    ],
  };
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
export function toOutputs(declared: Record<string, unknown>, vxc: Vxc): ServiceKeyVxcOutputs {
  const inputs = inputsAmong(serviceKeyVxcInputsSchema, declared);
  const vlan = vxc.aEnd.vlan;
  const declaredVnic = (inputs as ServiceKeyVxcInputs).aEndVnicIndex;
  return toPlainJson({
    ...(inputs as ServiceKeyVxcInputs),
    name: vxc.productName,
    rateLimit: vxc.rateLimit,
    // Untagged is -1 on the wire and may come back as null (docs/megaport-api.md, "Validate and buy").
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
export async function findPlacedVxc(
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

/** Whether a tag is the unrecorded mark. */
export const isUnrecordedMark = (t: ResourceTag) => t.key === UNRECORDED_TAG.key;

/** A live VXC on the A-End with this resource's name and order tag. */
export interface OwnOrder {
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
export async function ownOrders(
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
    // Shared by the checks and creates of this run (provider/resources/vxcAEnds.ts).
    aEnd = await lookUpAEnd(client, inputs.aEndProductUid);
  } catch (error) {
    // Not this account's A-End (or none): it holds no order of ours, and validate or the buy says
    // what is wrong with it, naming aEndProductUid.
    if (error instanceof MegaportApiError && error.status >= 400 && error.status < 500) return found;
    throw error;
  }
  for (const summary of aEnd.associatedVxcs) {
    if (summary.productName !== inputs.name || isClaimed(summary.productUid)) continue;
    if (GONE.includes(summary.provisioningStatus ?? "")) continue;
    // A VXC listed on the A-End may be gone by the time it is read (cancelled meanwhile): not ours to find.
    const tags = await client.products.tags(summary.productUid).catch(gone);
    if (tags === undefined) continue;
    const ordered = has(tags, tag);
    if (ordered && tags.some(isUnrecordedMark)) {
      found.unrecorded.push({ productUid: summary.productUid, aEndVlan: null });
    } else if (ordered || (has(tags, resource) && !tags.some(isUnrecordedMark))) {
      const vxc = await client.vxcs.get(summary.productUid).catch(gone);
      if (vxc === undefined || GONE.includes(vxc.provisioningStatus)) continue;
      const own = { productUid: summary.productUid, aEndVlan: vxc.aEnd.vlan };
      found.holding.push(own);
      if (ordered) found.recorded.push(own);
    }
  }
  return found;
}

/** Undefined for a product that no longer exists; any other error propagates. */
function gone(error: unknown): undefined {
  if (error instanceof MegaportNotFoundError) return undefined;
  throw error;
}

/**
 * Takes the unrecorded mark off a VXC (keeping every other tag) just before the engine records it.
 * Idempotent: no call when the mark is not there.
 */
export async function markRecorded(client: MegaportClient, uid: string, known?: ResourceTag[]): Promise<void> {
  const tags = known ?? (await client.products.tags(uid));
  if (!tags.some(isUnrecordedMark)) return;
  await client.products.setTags(uid, tags.filter((t) => !isUnrecordedMark(t)));
}

/** Buys the VXC, reconciling a lost answer before anything is sent again: never buys twice. */
export async function buyVxc(
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

/**
 * The wait before the first status poll: as long as this run's VXCs took to be ready, counted from
 * the order, and only right after this run's own order. An order that waits for the key owner's
 * approval is read at once: its first poll says what it waits for (a progress line).
 */
function firstPollMs(inputs: ServiceKeyVxcInputs, orderedAt: number | undefined): number {
  if (orderedAt === undefined || inputs.waitForApproval) return 0;
  return Math.max(0, orderedAt + readyAfterOrder.firstPollMs() - Date.now());
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
export async function waitAfterBuy(
  client: MegaportClient,
  inputs: ServiceKeyVxcInputs,
  uid: string,
  orderedAt?: number,
): Promise<Vxc> {
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
      firstPollMs: firstPollMs(inputs, orderedAt),
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
  // Provisioning time only: a wait for the key owner's approval says nothing about the next order.
  if (orderedAt !== undefined && !inputs.waitForApproval && READY.includes(vxc.provisioningStatus)) {
    readyAfterOrder.observe(Date.now() - orderedAt);
  }
  if (PENDING.includes(vxc.vxcApproval.status ?? "")) {
    logLine(
      inputs.resourceName,
      `waiting for ${vxc.vxcApproval.message ?? "the key owner"} to approve the order (VXC ${uid})`,
    );
  }
  return vxc;
}
