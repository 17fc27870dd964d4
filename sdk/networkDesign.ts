/** Network design: validate and buy VXC orders (docs/megaport-api.md, "Validate and buy"). */
import { z } from "zod";
import { looseArray } from "./schemas/common";
import {
  type ValidationResult,
  ValidationResultSchema,
  type VxcOrder,
  type VxcOrderResult,
  VxcOrderResultSchema,
} from "./schemas/networkDesign";
import type { ApiTransport } from "./transport";

/** `client.networkDesign`. */
export class NetworkDesignApi {
  /** Made by {@link MegaportClient}; use the client's property rather than constructing one. */
  constructor(private readonly api: ApiTransport) {}

  /**
   * `POST /v3/networkdesign/validate` with a bare array body (there is no v4 validate,
   * docs/megaport-api.md, "Validate and buy"). Validation changes nothing, so it is retried like a GET.
   */
  async validate(orders: VxcOrder[]): Promise<ValidationResult[]> {
    this.registerKeys(orders);
    const result = await this.api.send({ method: "POST", path: "/v3/networkdesign/validate", body: orders });
    // megaportgo ignores this body (product.go `ValidateProductOrder`): nothing here may fail the
    // call, so an answer of another shape reports nothing.
    return this.api.parse(
      "POST",
      "/v3/networkdesign/validate",
      result.data,
      looseArray(ValidationResultSchema).catch([]),
    );
  }

  /**
   * `POST /v4/networkdesign/buy` with `{networkDesign, discountCodes}`
   * (docs/megaport-api.md, "Validate and buy"). A create: re-sent only when it provably never reached the
   * server; otherwise `MegaportOutcomeUnknownError`.
   */
  async buy(orders: VxcOrder[], discountCodes: string[] = []): Promise<VxcOrderResult[]> {
    this.registerKeys(orders);
    return this.api.call(
      {
        method: "POST",
        path: "/v4/networkdesign/buy",
        body: { networkDesign: orders, discountCodes },
        kind: "create",
        change: "order a VXC",
      },
      z.array(VxcOrderResultSchema).min(1),
    );
  }

  /** Service keys in orders are secrets: mask them in any message that echoes them. */
  private registerKeys(orders: VxcOrder[]): void {
    for (const order of orders) {
      for (const vxc of order.associatedVxcs) {
        if (vxc.serviceKey) this.api.redactor.add(vxc.serviceKey, true);
      }
    }
  }
}
