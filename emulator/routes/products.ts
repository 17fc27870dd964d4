/**
 * Products: `GET /v2/products`, `GET /v2/product/{uid}`, tags
 * (docs/megaport-api.md, "Products" and "The VXC product").
 */
import { z } from "zod";
import { ApiError, ok, parseBody, validationFailed } from "../http";
import type { Product, Vxc } from "../model";
import { type RequestContext, route } from "../router";
import type { Store } from "../store";
import { productView, vxcView } from "../views";

/** A Port/MCR/MVE of the caller, or a VXC with an end owned by the caller. */
export type Visible = { kind: "port"; product: Product } | { kind: "vxc"; vxc: Vxc };

/** Whether the caller owns either end of a VXC (the consumer's A-End or the key owner's B-End). */
export function vxcParty(store: Store, vxc: Vxc, caller: string): boolean {
  return (
    vxc.companyUid === caller ||
    store.findProduct(vxc.aEnd.productUid)?.companyUid === caller ||
    store.findProduct(vxc.bEnd.productUid)?.companyUid === caller
  );
}

/** 404 for an unknown uid, 403 for another company's product or a VXC the caller is not a party to. */
export function visibleProduct(store: Store, uid: string, caller: string): Visible {
  const vxc = store.findVxc(uid);
  if (vxc !== undefined) {
    if (!vxcParty(store, vxc, caller)) {
      throw new ApiError("FORBIDDEN", "You do not have permission to access this service", `Product ${uid}`);
    }
    return { kind: "vxc", vxc };
  }
  return { kind: "port", product: store.ownProduct(uid, caller) };
}

function getProduct(ctx: RequestContext) {
  const caller = ctx.caller();
  const found = visibleProduct(ctx.store, ctx.params.uid, caller);
  const data =
    found.kind === "vxc"
      ? vxcView(ctx.store, found.vxc, caller)
      : productView(ctx.store, found.product, caller);
  return ok(`Found Product ${ctx.params.uid}`, data);
}

/**
 * The caller's own Ports, MCRs and MVEs; VXCs appear in their `associatedVxcs`
 * (docs/megaport-api.md, "Products").
 */
function listProducts(ctx: RequestContext) {
  const caller = ctx.caller();
  const products = ctx.store.state.products.filter((p) => p.companyUid === caller);
  return ok(
    "Found products",
    products.map((p) => productView(ctx.store, p, caller)),
  );
}

function tagsOf(found: Visible) {
  return found.kind === "vxc" ? found.vxc.resourceTags : found.product.resourceTags;
}

function getTags(ctx: RequestContext) {
  const found = visibleProduct(ctx.store, ctx.params.uid, ctx.caller());
  // megaportgo dereferences data.resourceTags without a nil check (docs/megaport-api.md, "The VXC product").
  return ok("Resource tags retrieved", { resourceTags: tagsOf(found) });
}

const TagsSchema = z.object({
  resourceTags: z.array(z.object({ key: z.string().min(1).max(128), value: z.string().max(256) })).max(50),
});

function putTags(ctx: RequestContext) {
  const caller = ctx.caller();
  const body = parseBody(TagsSchema, ctx.json());
  const found = visibleProduct(ctx.store, ctx.params.uid, caller);
  // Tags belong to the product's company: the consumer for a VXC (inferred).
  const owner = found.kind === "vxc" ? found.vxc.companyUid : found.product.companyUid;
  if (owner !== caller) {
    throw new ApiError(
      "FORBIDDEN",
      "You do not have permission to tag this service",
      `Product ${ctx.params.uid}`,
    );
  }
  const tags = body.resourceTags.map((t) => ({ key: t.key, value: t.value }));
  if (found.kind === "vxc") found.vxc.resourceTags = tags;
  else found.product.resourceTags = tags;
  return ok("Resource tags updated", { resourceTags: tags });
}

/**
 * `GET /v2/product/port/{uid}/vlan?vlan=N`: `data` lists N when the VLAN is free on the caller's
 * port (megaportgo `port.go`, `CheckPortVLANAvailability`: "N is in data" means available). A VLAN
 * held by an active single-use key counts as taken (inferred; emulator only).
 */
function portVlanAvailability(ctx: RequestContext) {
  const caller = ctx.caller();
  const product = ctx.store.ownProduct(ctx.params.uid, caller);
  if (product.productType !== "MEGAPORT") throw validationFailed(`${ctx.params.uid} is not a port`);
  const vlan = Number(ctx.query.vlan);
  if (!Number.isInteger(vlan)) throw validationFailed("vlan must be a whole number");
  const free = vlan >= 2 && vlan <= 4094 && ctx.store.vlanFree(product.productUid, vlan);
  return ok(`VLAN ${vlan} availability`, free ? [vlan] : []);
}

export const productRoutes = [
  route("GET", "/v2/products", listProducts),
  route("GET", "/v2/product/:uid", getProduct),
  route("GET", "/v2/product/:uid/tags", getTags),
  route("PUT", "/v2/product/:uid/tags", putTags),
  route("GET", "/v2/product/port/:uid/vlan", portVlanAvailability),
];
