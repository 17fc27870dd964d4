/** Order approvals (docs/megaport-api.md, "Order approvals"). */
import { z } from "zod";
import { epochMs, informational, looseNumber, nullable, uid } from "./common";

/** An order approval (`GET /v3/order_approvals` item). */
export const OrderApprovalSchema = z.object({
  uid,
  status: z.string(),
  acctName: nullable(z.string()),
  serviceId: nullable(looseNumber),
  comment: nullable(z.string()),
  createDate: nullable(epochMs),
  /** megaportgo keeps it as raw JSON (order_approvals.go `Detail json.RawMessage`). */
  detail: informational(z.record(z.string(), z.unknown())),
  id: informational(looseNumber),
  referenceId: informational(z.string()),
  type: informational(z.string()),
  active: informational(z.boolean()),
  acctRef: informational(z.string()),
  approverCompanyId: informational(looseNumber),
  requesterCompanyId: informational(looseNumber),
});
/** An order approval. */
export type OrderApproval = z.infer<typeof OrderApprovalSchema>;

/** Filter of `orderApprovals.list` (query parameters of docs/megaport-api.md, "Order approvals"). */
export interface OrderApprovalFilter {
  status?: string;
  serviceIds?: number[];
  pageNumber?: number;
  pageSize?: number;
  sort?: string;
  direction?: "ASC" | "DESC";
}

/** One page of order approvals (pagination from the `Pagination-*` headers). */
export interface OrderApprovalPage {
  items: OrderApproval[];
  totalCount: number;
  page: number;
  pageSize: number;
  totalPages: number;
}
