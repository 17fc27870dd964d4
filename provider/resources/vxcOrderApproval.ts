/**
 * `VxcOrderApproval`: the key owner's decision (approve or reject) on the pending order of a VXC
 * made with one of its keys, through `/v3/order_approvals` (docs/megaport-api.md, "Order approvals").
 */
import { z } from "zod";
import {
  MegaportApiError,
  type MegaportClient,
  MegaportNotFoundError,
  type OrderApproval,
  type Vxc,
} from "../../sdk";
import { clientFor, withAccountFailures } from "./accounts";
import {
  checkAgainstSchema,
  type CheckedInputs,
  type CheckFailure,
  failure,
  inputsAmong,
  toPlainJson,
} from "./checkFailures";
import { type DiffResult, diffProperties } from "./diffing";
import { logLine } from "./logging";
import { DEFAULT_TIMEOUT, parseDurationMs, pollIntervalMs, sleep, timeoutsSchema } from "./waiting";

/** The checked inputs of a VxcOrderApproval: the single source of truth for its input shape. */
export const vxcOrderApprovalInputsSchema = z.object({
  productUid: z.string().min(1).optional(),
  serviceKey: z.string().min(8, { message: "must be the full service key" }).optional(),
  decision: z.enum(["approve", "reject"], { message: 'must be "approve" or "reject"' }),
  comment: z.string().optional(),
  waitForOrder: z.boolean().default(false),
  timeouts: timeoutsSchema.optional(),
  account: z.string().min(1).optional(),
  resourceName: z.string().optional(),
});
export type VxcOrderApprovalInputs = z.infer<typeof vxcOrderApprovalInputsSchema>;

/** What the API tells about the order approval. */
export interface VxcOrderApprovalFacts {
  /** UID of the order approval (also the Pulumi id). */
  approvalUid: string;
  /** The approval's status: APPROVED, REJECTED, PENDING, FAILED, WITHDRAWN or EXPIRED. */
  status: string;
  /** The company that ordered the VXC. */
  requestingCompany: string | null;
  /** The ordered rate limit in Mbps. */
  rateLimit: number | null;
  /** ISO-8601 time the decision was recorded. */
  decidedAt: string | null;
  /** The VXC the order is for (resolved from `serviceKey` when that was the input). */
  vxcProductUid: string | null;
  /** The VXC's numeric service id, used to find the approval again on refresh. */
  serviceId: number | null;
}

/** The outputs (state): every input plus the facts. */
export type VxcOrderApprovalOutputs = VxcOrderApprovalInputs & VxcOrderApprovalFacts;

/** Another order or another decision is another resource (a decision cannot be undone). */
const REPLACE_ONLY = ["productUid", "serviceKey", "decision"];
/** Kept in state only; no API call. */
const IN_PLACE = ["comment", "waitForOrder", "timeouts"];

function vxcOrderApprovalRules(
  values: Record<string, unknown>,
  isKnown: (p: string) => boolean,
): CheckFailure[] {
  const hasProduct = values.productUid !== undefined;
  const hasKey = values.serviceKey !== undefined;
  if (!isKnown("productUid") || !isKnown("serviceKey")) return [];
  if (hasProduct && hasKey) return [failure("productUid", "set either productUid or serviceKey, not both")];
  if (!hasProduct && !hasKey) {
    return [failure("productUid", "set productUid (the VXC) or serviceKey (a single-use key's order)")];
  }
  return [];
}

/** A VxcOrderApproval error with a stable code; its message never contains a key. */
export class VxcOrderApprovalError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "VxcOrderApprovalError";
    this.code = code;
  }
}

const NOT_YOURS =
  "this order was not made with one of this account's service keys: only the key owner can approve or reject it";

/** The VXC named by the inputs, as the key owner sees it; undefined while it does not exist yet. */
async function findVxc(client: MegaportClient, inputs: VxcOrderApprovalInputs): Promise<Vxc | undefined> {
  if (inputs.productUid !== undefined) {
    try {
      return await client.vxcs.get(inputs.productUid);
    } catch (error) {
      if (error instanceof MegaportNotFoundError) return undefined;
      if (error instanceof MegaportApiError && error.status === 403) {
        throw new VxcOrderApprovalError("ERR_APPROVAL_NOT_OWNER", `productUid: ${NOT_YOURS}`);
      }
      throw error;
    }
  }
  // A single-use key's order: the VXC on the key's product carrying the key's B-End VLAN.
  const key = await client.serviceKeys.get(inputs.serviceKey as string);
  if (!key.singleUse) {
    throw new VxcOrderApprovalError(
      "ERR_APPROVAL_MULTI_USE_KEY",
      "serviceKey: only a single-use key identifies one order; use productUid",
    );
  }
  let product: Awaited<ReturnType<MegaportClient["products"]["get"]>>;
  try {
    product = await client.products.get(key.productUid);
  } catch (error) {
    if (error instanceof MegaportApiError && (error.status === 403 || error.status === 404)) {
      throw new VxcOrderApprovalError("ERR_APPROVAL_NOT_OWNER", `serviceKey: ${NOT_YOURS}`);
    }
    throw error;
  }
  for (const summary of product.associatedVxcs) {
    if (["DECOMMISSIONED", "CANCELLED"].includes(summary.provisioningStatus ?? "")) continue;
    const vxc = await client.vxcs.get(summary.productUid);
    if (vxc.bEnd.vlan === key.vlan && (vxc.createDate ?? 0) >= (key.createDate ?? 0)) return vxc;
  }
  return undefined;
}

/** The order approval of a VXC (`GET /v3/order_approvals?serviceIds=`), newest first. */
async function approvalOf(client: MegaportClient, serviceId: number): Promise<OrderApproval | undefined> {
  const page = await client.orderApprovals.list({ serviceIds: [serviceId], direction: "DESC" });
  return page.items
    .filter((item) => item.serviceId === serviceId)
    .sort((a, b) => (b.createDate ?? 0) - (a.createDate ?? 0))[0];
}

function rateLimitOf(approval: OrderApproval, vxc: Vxc | undefined): number | null {
  const requests = approval.detail?.productRequest;
  const first = Array.isArray(requests) ? (requests[0] as { rateLimit?: unknown } | undefined) : undefined;
  return typeof first?.rateLimit === "number" ? first.rateLimit : (vxc?.rateLimit ?? null);
}

/**
 * The VxcOrderApproval provider implementation. It runs in the provider process, loaded by the
 * shim (docs/architecture.md, "The thin serialized shim"); methods are in lifecycle order.
 */
export const vxcOrderApprovalProvider = {
  /** Validates the inputs with zod: exactly one of `productUid` and `serviceKey`. No API call. */
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckedInputs> {
    return withAccountFailures(checkAgainstSchema(vxcOrderApprovalInputsSchema, news, vxcOrderApprovalRules));
  },

  /** Another order or decision replaces; `comment`, `waitForOrder` and `timeouts` only update state. */
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult> {
    return diffProperties(olds, news, REPLACE_ONLY, IN_PLACE);
  },

  /**
   * Finds the order (waiting for it up to `timeouts.create` when `waitForOrder`), then
   * `POST /v3/order_approvals/{uid}/approve|reject`. Deciding the same way twice is success; an
   * order of another company's key fails with a clear error.
   */
  async create(news: Record<string, unknown>): Promise<{ id: string; outs: VxcOrderApprovalOutputs }> {
    const inputs = vxcOrderApprovalInputsSchema.parse(news);
    const client = clientFor(inputs.account);
    const deadline = Date.now() + parseDurationMs(inputs.timeouts?.create ?? DEFAULT_TIMEOUT);
    let vxc = await findVxc(client, inputs);
    let approval = vxc?.productId == null ? undefined : await approvalOf(client, vxc.productId);
    while (approval === undefined && inputs.waitForOrder && Date.now() < deadline) {
      await sleep(Math.min(pollIntervalMs(), Math.max(0, deadline - Date.now())));
      vxc = await findVxc(client, inputs);
      approval = vxc?.productId == null ? undefined : await approvalOf(client, vxc.productId);
    }
    if (vxc === undefined || approval === undefined) {
      const what = inputs.productUid === undefined ? "for this service key" : `for VXC ${inputs.productUid}`;
      throw new VxcOrderApprovalError(
        "ERR_APPROVAL_NO_ORDER",
        `no order awaiting approval ${what}${inputs.waitForOrder ? ` within ${inputs.timeouts?.create ?? DEFAULT_TIMEOUT}` : " (set waitForOrder to wait for it)"}`,
      );
    }
    const wanted = inputs.decision === "approve" ? "APPROVED" : "REJECTED";
    if (approval.status !== wanted) {
      try {
        if (inputs.decision === "approve") await client.orderApprovals.approve(approval.uid, inputs.comment);
        else await client.orderApprovals.reject(approval.uid, inputs.comment);
      } catch (error) {
        // 403 on the decision: either not the key owner's order, or the owner's API key is Read Only
        // (it could read the VXC and the approval above; docs/api-keys.md). The API does not say
        // which, so the message gives both, the second with the SDK's words on the credentials.
        if (error instanceof MegaportApiError && error.status === 403) {
          throw new VxcOrderApprovalError(
            "ERR_APPROVAL_NOT_OWNER",
            `${inputs.productUid === undefined ? "serviceKey" : "productUid"}: ${NOT_YOURS}. ` +
              `If this account is the key owner: ${error.message}`,
          );
        }
        throw error;
      }
      logLine(
        inputs.resourceName,
        `${inputs.decision === "approve" ? "approved" : "rejected"} the order of VXC ${vxc.productUid} from ${approval.acctName ?? "the requesting company"}`,
      );
    }
    const outs = toPlainJson({
      ...inputs,
      approvalUid: approval.uid,
      status: wanted,
      requestingCompany: approval.acctName,
      rateLimit: rateLimitOf(approval, vxc),
      decidedAt: new Date().toISOString(),
      vxcProductUid: vxc.productUid,
      serviceId: vxc.productId,
    });
    return { id: approval.uid, outs };
  },

  /** `GET /v3/order_approvals?serviceIds=`: the order's current status; gone when it is not listed. */
  async read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: VxcOrderApprovalOutputs; inputs?: Record<string, unknown> }> {
    const state = props as unknown as VxcOrderApprovalOutputs;
    if (state.serviceId === null || state.serviceId === undefined) return {};
    // This decision's own approval, by its uid: a later one for the same VXC (a speed change) is
    // another decision, not a reason to drop this one.
    const page = await clientFor(state.account).orderApprovals.list({ serviceIds: [state.serviceId] });
    const approval = page.items.find((item) => item.uid === id);
    if (approval === undefined) return {};
    const outs = toPlainJson({ ...state, status: approval.status, requestingCompany: approval.acctName });
    return { id, props: outs, inputs: inputsAmong(vxcOrderApprovalInputsSchema, outs) };
  },

  /** Only `comment`, `waitForOrder` and `timeouts` change in place: they are kept in state, no API call. */
  async update(
    _id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: VxcOrderApprovalOutputs }> {
    const inputs = vxcOrderApprovalInputsSchema.parse(news);
    const state = olds as unknown as VxcOrderApprovalOutputs;
    return { outs: toPlainJson({ ...state, comment: undefined, timeouts: undefined, ...inputs }) };
  },

  /** A decision cannot be undone: delete only removes the resource from the stack, and says so. */
  async delete(_id: string, props: Record<string, unknown>): Promise<void> {
    logLine(
      props.resourceName,
      `an order decision cannot be undone: removed the ${String(props.status ?? "").toLowerCase()} decision on VXC ${String(props.vxcProductUid ?? props.productUid)} from the stack only`,
    );
  },
};
