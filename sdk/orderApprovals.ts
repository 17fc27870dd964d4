/** Order approvals: list, approve, reject, withdraw (docs/megaport-api.md, "Order approvals"). */
import { z } from "zod";
import { requireNonEmpty } from "./args";
import {
  type OrderApprovalFilter,
  type OrderApprovalPage,
  OrderApprovalSchema,
} from "./schemas/orderApproval";
import type { ApiTransport } from "./transport";

function headerNumber(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

/** `client.orderApprovals`. */
export class OrderApprovalsApi {
  /** Made by {@link MegaportClient}; use the client's property rather than constructing one. */
  constructor(private readonly api: ApiTransport) {}

  /**
   * `GET /v3/order_approvals`. Pagination comes from the `Pagination-Total-Count`,
   * `Pagination-Page`, `Pagination-Limit` and `Pagination-Total-Page` headers
   * (docs/megaport-api.md, "Order approvals"); when absent, it is derived from the page itself.
   */
  async list(filter: OrderApprovalFilter = {}): Promise<OrderApprovalPage> {
    const result = await this.api.send({
      method: "GET",
      path: "/v3/order_approvals",
      query: {
        status: filter.status,
        serviceIds: filter.serviceIds?.join(","),
        pageNumber: filter.pageNumber,
        pageSize: filter.pageSize,
        sort: filter.sort,
        direction: filter.direction,
      },
    });
    const items = this.api.parse(
      "GET",
      "/v3/order_approvals",
      result.data ?? [],
      z.array(OrderApprovalSchema),
    );
    const pageSize = headerNumber(result.headers["pagination-limit"]) ?? filter.pageSize ?? items.length;
    const totalCount = headerNumber(result.headers["pagination-total-count"]) ?? items.length;
    return {
      items,
      totalCount,
      page: headerNumber(result.headers["pagination-page"]) ?? filter.pageNumber ?? 1,
      pageSize,
      totalPages:
        headerNumber(result.headers["pagination-total-page"]) ??
        (pageSize > 0 ? Math.ceil(totalCount / pageSize) : 1),
    };
  }

  /** Approves a pending order (the key owner's side). Idempotent on the API, so retried. */
  async approve(uid: string, comment?: string): Promise<void> {
    await this.act(uid, "approve", comment);
  }

  /** Rejects a pending order; the VXC becomes `FAILED` (docs/megaport-api.md, "Approval states"). */
  async reject(uid: string, comment?: string): Promise<void> {
    await this.act(uid, "reject", comment);
  }

  /** Withdraws one's own pending request. */
  async withdraw(uid: string, comment?: string): Promise<void> {
    await this.act(uid, "withdraw", comment);
  }

  private async act(uid: string, action: "approve" | "reject" | "withdraw", comment?: string): Promise<void> {
    requireNonEmpty("uid", uid);
    await this.api.send({
      method: "POST",
      path: `/v3/order_approvals/${encodeURIComponent(uid)}/${action}`,
      // The API's field is `comments` (docs/megaport-api.md, "Order approvals").
      body: comment === undefined ? {} : { comments: comment },
      change: `${action} an order`,
    });
  }
}
