/**
 * Read-only look-ups for programs that cannot call the SDK themselves (Pulumi YAML, through the
 * provider plugin's functions; docs/importing.md): the owner's keys, described without the key, and
 * the orders waiting for the owner's decision. Engine-agnostic: plain objects in, plain JSON out.
 */
import { z } from "zod";
import type { OrderApproval } from "../../sdk";
import { clientFor } from "./accounts";
import { toPlainJson } from "./checkFailures";
import { serviceKeyId } from "./serviceKey";

/** Arguments of {@link getServiceKeys}. */
export const getServiceKeysArgsSchema = z
  .object({
    productUid: z.string().min(1).optional(),
    account: z.string().min(1).optional(),
  })
  .strict();

/** Arguments of {@link getPendingOrders}. */
export const getPendingOrdersArgsSchema = z.object({ account: z.string().min(1).optional() }).strict();

/** One of the owner's keys, as {@link getServiceKeys} describes it: never the key or its prefix. */
export interface ServiceKeySummary {
  /** The Pulumi id of a ServiceKey holding this key, and its `pulumi import` id. */
  importId: string;
  productUid: string;
  productName: string | null;
  description: string | null;
  maxSpeed: number;
  singleUse: boolean;
  vlan: number | null;
  preApproved: boolean;
  active: boolean;
  valid: boolean;
  expired: boolean;
  validFrom: string | null;
  validUntil: string | null;
  createDate: string | null;
  lastUsed: string | null;
}

/** An order waiting for the owner's approval. */
export interface PendingOrder {
  approvalUid: string;
  /** The VXC ordered: `productUid` of a VxcOrderApproval deciding on it. */
  vxcProductUid: string | null;
  serviceId: number | null;
  requestingCompany: string | null;
  rateLimit: number | null;
  createDate: string | null;
}

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** Failures of a function's arguments, as `property: reason` lines (zod's, named by the field). */
function parseArgs<T>(schema: z.ZodType<T>, args: Record<string, unknown>): T {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  throw new Error(
    parsed.error.issues.map((issue) => `${issue.path.map(String).join(".") || "arguments"}: ${issue.message}`).join("; "),
  );
}

/** `GET /v2/service/key` (optionally `?productIdOrUid=`): the account's keys, each with its import id. */
export async function getServiceKeys(args: Record<string, unknown>): Promise<{ keys: ServiceKeySummary[] }> {
  const { productUid, account } = parseArgs(getServiceKeysArgsSchema, args);
  const keys = await clientFor(account).serviceKeys.list({ productIdOrUid: productUid });
  return toPlainJson({
    keys: keys.map((key) => ({
      importId: serviceKeyId(key.key),
      productUid: key.productUid,
      productName: key.productName,
      description: key.description ?? null,
      maxSpeed: key.maxSpeed,
      singleUse: key.singleUse,
      vlan: key.vlan ?? null,
      preApproved: key.preApproved ?? false,
      active: key.active,
      valid: key.valid ?? false,
      expired: key.expired ?? false,
      validFrom: iso(key.validFor?.start),
      validUntil: iso(key.validFor?.end),
      createDate: iso(key.createDate),
      lastUsed: iso(key.lastUsed),
    })),
  });
}

/** A number, also one sent as text (the API's `detail` is untyped; docs/megaport-api-variance.md). */
function numberOrNull(value: unknown): number | null {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : null;
}

function vxcOf(approval: OrderApproval): { productUid: string | null; rateLimit: number | null } {
  const requests = approval.detail?.productRequest;
  const first = Array.isArray(requests) ? (requests[0] as Record<string, unknown> | undefined) : undefined;
  return {
    productUid: typeof first?.productUid === "string" ? first.productUid : null,
    rateLimit: numberOrNull(first?.rateLimit),
  };
}

/** `GET /v3/order_approvals?status=PENDING`: the orders made with the account's keys, awaiting its decision. */
export async function getPendingOrders(args: Record<string, unknown>): Promise<{ orders: PendingOrder[] }> {
  const { account } = parseArgs(getPendingOrdersArgsSchema, args);
  const client = clientFor(account);
  const orders: PendingOrder[] = [];
  for (let page = 1; ; page++) {
    const result = await client.orderApprovals.list({ status: "PENDING", pageNumber: page, pageSize: 100 });
    for (const approval of result.items.filter((item) => item.status === "PENDING")) {
      const vxc = vxcOf(approval);
      orders.push({
        approvalUid: approval.uid,
        vxcProductUid: vxc.productUid,
        serviceId: approval.serviceId,
        requestingCompany: approval.acctName,
        rateLimit: vxc.rateLimit,
        createDate: iso(approval.createDate),
      });
    }
    if (page >= result.totalPages || result.items.length === 0) break;
  }
  return toPlainJson({ orders });
}
