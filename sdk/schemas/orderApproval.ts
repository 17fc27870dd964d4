/** Order approvals (megaport-api.md §5). */
import { z } from "zod";
import { epochMs, nullable, uid } from "./common";

/** An order approval (`GET /v3/order_approvals` item). */
export const OrderApprovalSchema = z.object({
  uid,
  id: nullable(z.number()),
  referenceId: nullable(z.string()),
  status: z.string(),
  type: nullable(z.string()),
  active: nullable(z.boolean()),
  acctName: nullable(z.string()),
  acctRef: nullable(z.string()),
  approverCompanyId: nullable(z.number()),
  requesterCompanyId: nullable(z.number()),
  serviceId: nullable(z.number()),
  comment: nullable(z.string()),
  createDate: nullable(epochMs),
  detail: nullable(z.record(z.string(), z.unknown())),
});
/** An order approval. */
export type OrderApproval = z.infer<typeof OrderApprovalSchema>;

/** Filter of `orderApprovals.list` (query parameters of §5). */
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
