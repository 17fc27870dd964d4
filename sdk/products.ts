/** Products: Ports, MCRs, MVEs and VXC summaries (docs/megaport-api.md, "Products"). */
import { requireNonEmpty } from "./args";
import { looseArray, looseNumber } from "./schemas/common";
import { type Product, ProductSchema, type ResourceTag, ResourceTagsSchema } from "./schemas/product";
import type { ApiTransport } from "./transport";

/** `client.products`. */
export class ProductsApi {
  /** Made by {@link MegaportClient}; use the client's property rather than constructing one. */
  constructor(private readonly api: ApiTransport) {}

  /**
   * `GET /v2/product/{uid}`. Unknown uid → `MegaportNotFoundError` (404 or legacy 400,
   * docs/megaport-api.md, "Not found").
   */
  async get(uid: string): Promise<Product> {
    requireNonEmpty("uid", uid);
    return this.api.call({ method: "GET", path: `/v2/product/${encodeURIComponent(uid)}` }, ProductSchema);
  }

  /**
   * `GET /v2/product/{uid}/tags`: a product's (or VXC's) resource tags (docs/megaport-api.md, "Products").
   */
  async tags(uid: string): Promise<ResourceTag[]> {
    requireNonEmpty("uid", uid);
    const { resourceTags } = await this.api.call(
      { method: "GET", path: `/v2/product/${encodeURIComponent(uid)}/tags` },
      ResourceTagsSchema,
    );
    return resourceTags;
  }

  /**
   * `GET /v2/product/port/{uid}/vlan?vlan=N`: whether VLAN N is free on a Port (megaportgo
   * `CheckPortVLANAvailability`: available when N is listed in `data`). Ports only.
   */
  async portVlanAvailable(uid: string, vlan: number): Promise<boolean> {
    requireNonEmpty("uid", uid);
    const free = await this.api.call(
      { method: "GET", path: `/v2/product/port/${encodeURIComponent(uid)}/vlan`, query: { vlan: String(vlan) } },
      looseArray(looseNumber),
    );
    return free.includes(vlan);
  }

  /**
   * `PUT /v2/product/{uid}/tags` with `{ resourceTags }`: replaces every resource tag of a product
   * or VXC (megaportgo `UpdateProductResourceTags`, docs/lifecycle.md).
   */
  async setTags(uid: string, tags: ResourceTag[]): Promise<void> {
    requireNonEmpty("uid", uid);
    await this.api.send({
      method: "PUT",
      path: `/v2/product/${encodeURIComponent(uid)}/tags`,
      body: { resourceTags: tags },
    });
  }

  /**
   * `GET /v2/products`: every product of the caller, decommissioned ones included
   * (docs/megaport-api.md, "Products").
   */
  async list(): Promise<Product[]> {
    return this.api.call({ method: "GET", path: "/v2/products" }, looseArray(ProductSchema));
  }
}
