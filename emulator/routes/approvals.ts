/**
 * Order approvals: `GET /v3/order_approvals` and `POST /v3/order_approvals/{uid}/approve|reject|withdraw`
 * (docs/megaport-api.md, "Order approvals").
 */
import { z } from "zod";
import { ApiError, lenientString, ok, parseBody, type Reply, validationFailed } from "../http";
import type { Approval } from "../model";
import { type RequestContext, route } from "../router";
import type { Store } from "../store";
import { approvalView } from "../views";

export type ApprovalDecision = "approve" | "reject" | "withdraw";

const PAST_TENSE: Record<ApprovalDecision, string> = {
  approve: "approved",
  reject: "rejected",
  withdraw: "withdrawn",
};

/**
 * Applies a decision by `caller`: approve/reject by the approver (the key owner), withdraw by the
 * requester, else 403. Approving an approved order succeeds again; acting on a rejected, withdrawn
 * or expired one is 400. Approval starts the provisioning clock.
 */
export function decide(
  store: Store,
  approval: Approval,
  caller: string,
  decision: ApprovalDecision,
  comment?: string,
): void {
  const allowed = decision === "withdraw" ? approval.requesterCompanyUid : approval.approverCompanyUid;
  if (caller !== allowed) {
    const who = decision === "withdraw" ? "requesting" : "approving";
    throw new ApiError(
      "FORBIDDEN",
      `Only the ${who} company can ${decision} this order`,
      `Order approval ${approval.uid}`,
    );
  }
  const status = store.approvalStatus(approval);
  if (decision === "approve" && status === "APPROVED") return;
  if (status !== "PENDING") {
    throw validationFailed(
      `Order approval ${approval.uid} is ${status} and can no longer be ${PAST_TENSE[decision]}`,
    );
  }
  const vxc = store.findVxc(approval.vxcUid);
  approval.status = decision === "approve" ? "APPROVED" : decision === "reject" ? "REJECTED" : "WITHDRAWN";
  if (comment !== undefined) approval.comment = comment;
  if (decision === "approve" && vxc !== undefined) vxc.provisioningStartedAt = store.now();
}

function findApproval(store: Store, uid: string): Approval {
  const approval = store.state.approvals.find((a) => a.uid === uid || String(a.id) === uid);
  if (approval === undefined) throw new ApiError("NOT_FOUND", `Order approval ${uid} not found`, "Not Found");
  return approval;
}

const DecisionBodySchema = z.object({ comments: lenientString() }).nullish();

function decisionRoute(decision: ApprovalDecision) {
  return (ctx: RequestContext): Reply => {
    const caller = ctx.caller();
    const body = parseBody(DecisionBodySchema, ctx.json());
    const approval = findApproval(ctx.store, ctx.params.uid);
    decide(ctx.store, approval, caller, decision, body?.comments);
    return ok("Success", `Order request ${PAST_TENSE[decision]} successfully`);
  };
}

const SORT_FIELDS = ["createDate", "id", "status", "serviceId", "uid"] as const;

/** The caller's records as approver or requester, filtered, sorted and paged (pagination in headers). */
function listApprovals(ctx: RequestContext): Reply {
  const caller = ctx.caller();
  const store = ctx.store;
  const { status, serviceIds, sort, direction } = ctx.query;
  const pageNumber = Math.max(1, Number.parseInt(ctx.query.pageNumber ?? "1", 10) || 1);
  const pageSize = Math.min(1000, Math.max(1, Number.parseInt(ctx.query.pageSize ?? "20", 10) || 20));
  const wantedIds =
    serviceIds === undefined ? undefined : new Set(serviceIds.split(",").map((s) => s.trim()));
  let views = store.state.approvals
    .filter((a) => a.approverCompanyUid === caller || a.requesterCompanyUid === caller)
    .map((a) => approvalView(store, a))
    .filter((v) => status === undefined || v.status === status.toUpperCase())
    .filter((v) => wantedIds === undefined || wantedIds.has(String(v.serviceId)));
  const sortField = SORT_FIELDS.find((f) => f === sort) ?? "createDate";
  const sign = (direction ?? "DESC").toUpperCase() === "ASC" ? 1 : -1;
  views = views.sort((a, b) => {
    const left = a[sortField] ?? "";
    const right = b[sortField] ?? "";
    if (left === right) return sign * (a.id - b.id);
    return left < right ? -sign : sign;
  });
  const total = views.length;
  const page = views.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return ok(`Found [${total}] order approvals`, page, {
    "Pagination-Total-Count": String(total),
    "Pagination-Page": String(pageNumber),
    "Pagination-Limit": String(pageSize),
    "Pagination-Total-Page": String(Math.max(1, Math.ceil(total / pageSize))),
  });
}

export const approvalRoutes = [
  route("GET", "/v3/order_approvals", listApprovals),
  route("POST", "/v3/order_approvals/:uid/approve", decisionRoute("approve")),
  route("POST", "/v3/order_approvals/:uid/reject", decisionRoute("reject")),
  route("POST", "/v3/order_approvals/:uid/withdraw", decisionRoute("withdraw")),
];
