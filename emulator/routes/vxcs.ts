/**
 * VXC changes: `PUT /v3/product/vxc/{uid}` (docs/megaport-api.md, "Changing a VXC") and
 * `POST /v3/product/{uid}/action/CANCEL_NOW|CANCEL|UN_CANCEL` (docs/megaport-api.md, "Cancelling a VXC").
 */
import { z } from "zod";
import {
  ApiError,
  lenientBool,
  lenientInt,
  lenientString,
  ok,
  parseBody,
  type Reply,
  validationFailed,
} from "../http";
import { VALID_TERMS, type Vxc } from "../model";
import { type RequestContext, route } from "../router";
import { MAX_VLAN, MIN_VLAN, type Store, UNTAGGED } from "../store";
import { vxcView } from "../views";
import { checkVnicIndex } from "./networkDesign";
import { decide } from "./approvals";
import { visibleProduct } from "./products";

const VxcUpdateSchema = z.object({
  name: lenientString(),
  rateLimit: lenientInt(),
  costCentre: lenientString(),
  shutdown: lenientBool(),
  term: lenientInt(),
  aEndVlan: lenientInt(),
  bEndVlan: lenientInt(),
  isApproved: lenientBool(),
  /** The A-End's new vNIC (megaportgo `VXCUpdate.AVnicIndex`). */
  aVnicIndex: lenientInt(),
});

/**
 * Resolves a VLAN change: 2-4093 when free, 0 = allocate, -1 = untagged
 * (docs/megaport-api.md, "Changing a VXC").
 */
function newVlan(store: Store, vxc: Vxc, end: "aEnd" | "bEnd", requested: number): number {
  const productUid = vxc[end].productUid;
  const product = store.findProduct(productUid);
  const label = end === "aEnd" ? "A-End" : "B-End";
  if (requested === vxc[end].vlan) return requested;
  if (requested === 0) {
    const allocated = store.allocateVlan(productUid, { vxcUid: vxc.productUid });
    if (allocated === undefined) throw validationFailed(`No free VLAN left on the ${label} product`);
    return allocated;
  }
  if (requested !== UNTAGGED && (requested < MIN_VLAN || requested > MAX_VLAN)) {
    throw validationFailed(
      `${label} VLAN ${requested} is out of range (${MIN_VLAN}-${MAX_VLAN}, 0 to allocate, -1 for untagged)`,
    );
  }
  if (product !== undefined && !store.vlanFree(productUid, requested, { vxcUid: vxc.productUid })) {
    throw validationFailed(store.vlanUnavailable(requested, product));
  }
  return requested;
}

function updateVxc(ctx: RequestContext): Reply {
  const caller = ctx.caller();
  const store = ctx.store;
  const body = parseBody(VxcUpdateSchema, ctx.json() ?? {});
  const found = visibleProduct(store, ctx.params.uid, caller);
  if (found.kind !== "vxc") throw validationFailed(`Product ${ctx.params.uid} is not a VXC`);
  const vxc = found.vxc;
  const status = store.vxcStatus(vxc);
  if (status === "DECOMMISSIONED" || status === "CANCELLED" || status === "FAILED") {
    throw validationFailed(`VXC ${vxc.productUid} is ${status} and cannot be changed`);
  }
  const aEndOwner = store.findProduct(vxc.aEnd.productUid)?.companyUid;
  const bEndOwner = store.findProduct(vxc.bEnd.productUid)?.companyUid;
  if (body.bEndVlan !== undefined && caller !== bEndOwner) {
    // The real text (tf#126, docs/megaport-api.md, "Known error texts").
    throw new ApiError(
      "FORBIDDEN",
      "Only B end owner can change B VLAN",
      "Only B end owner can change B VLAN",
    );
  }
  if ((body.aEndVlan !== undefined || body.aVnicIndex !== undefined) && caller !== aEndOwner) {
    throw new ApiError(
      "FORBIDDEN",
      "Only A end owner can change A VLAN",
      "Only A end owner can change A VLAN",
    );
  }
  const approval = store.approvalOf(vxc);
  if (body.isApproved !== undefined) {
    if (approval === undefined)
      throw validationFailed(`VXC ${vxc.productUid} has no order awaiting approval`);
    decide(store, approval, caller, body.isApproved ? "approve" : "reject");
  }
  const pending = approval !== undefined && store.approvalStatus(approval) === "PENDING";
  const networkChange =
    body.aVnicIndex !== undefined ||
    body.rateLimit !== undefined ||
    body.aEndVlan !== undefined ||
    body.bEndVlan !== undefined ||
    body.term !== undefined ||
    body.shutdown !== undefined;
  if (pending && networkChange) {
    // While an order awaits approval, network changes are rejected with a 400 (TF PR #402,
    // docs/megaport-api.md, "Changing a VXC").
    throw validationFailed(
      `VXC ${vxc.productUid} is awaiting approval; network changes are not allowed until it is approved`,
    );
  }
  if (body.rateLimit !== undefined) {
    const key = store.findKey(vxc.serviceKey);
    const max = key?.maxSpeed ?? body.rateLimit;
    if (body.rateLimit < 1) throw validationFailed(`rateLimit ${body.rateLimit} must be at least 1 Mbps`);
    if (body.rateLimit > max)
      throw validationFailed(`rateLimit ${body.rateLimit} exceeds the service key's maximum of ${max} Mbps`);
  }
  if (body.term !== undefined && !(VALID_TERMS as readonly number[]).includes(body.term)) {
    throw validationFailed(
      `term ${body.term} is not a valid contract term (${VALID_TERMS.join(", ")} months)`,
    );
  }
  if (body.costCentre !== undefined && body.costCentre.length > 255)
    throw validationFailed("costCentre must be at most 255 characters");
  if (body.name !== undefined && body.name.trim() === "") throw validationFailed("name must not be empty");
  const aEndProduct = store.findProduct(vxc.aEnd.productUid);
  if (body.aVnicIndex !== undefined && aEndProduct?.productType !== "MVE") {
    // Inferred; emulator only (megaportgo: "When moving a VXC for an MVE").
    throw validationFailed(`aVnicIndex applies to an MVE A-End only; this A-End is a ${aEndProduct?.productType}`);
  }
  const aVnicIndex =
    body.aVnicIndex === undefined || aEndProduct === undefined
      ? undefined
      : checkVnicIndex(aEndProduct, body.aVnicIndex, "aVnicIndex");
  const aEndVlan = body.aEndVlan === undefined ? undefined : newVlan(store, vxc, "aEnd", body.aEndVlan);
  const bEndVlan = body.bEndVlan === undefined ? undefined : newVlan(store, vxc, "bEnd", body.bEndVlan);
  // All checks passed: commit.
  if (body.name !== undefined) vxc.productName = body.name;
  if (body.rateLimit !== undefined) vxc.rateLimit = body.rateLimit;
  if (body.costCentre !== undefined) vxc.costCentre = body.costCentre;
  if (body.shutdown !== undefined) vxc.shutdown = body.shutdown;
  if (body.term !== undefined) vxc.term = body.term;
  if (aEndVlan !== undefined) vxc.aEnd.vlan = aEndVlan;
  if (aVnicIndex !== undefined) vxc.aEnd.vNicIndex = aVnicIndex;
  if (bEndVlan !== undefined) vxc.bEnd.vlan = bEndVlan;
  return ok(`Product [${vxc.productUid}] has been updated`, vxcView(store, vxc, caller));
}

const ACTIONS = ["CANCEL_NOW", "CANCEL", "UN_CANCEL"] as const;

/**
 * Cancels (either party of a VXC; the owner of a port) or restores a product; no `data`
 * (docs/megaport-api.md, "Cancelling a VXC").
 */
function productAction(ctx: RequestContext): Reply {
  const caller = ctx.caller();
  const store = ctx.store;
  const action = ACTIONS.find((a) => a === ctx.params.action.toUpperCase());
  if (action === undefined)
    throw validationFailed(`Unknown action ${ctx.params.action} (${ACTIONS.join(", ")})`);
  const found = visibleProduct(store, ctx.params.uid, caller);
  // megaportgo spells it safeDelete, the release notes safe_delete
  // (docs/megaport-api.md, "Cancelling a VXC"): accept both.
  const safeDelete = (ctx.query.safeDelete ?? ctx.query.safe_delete) === "true";
  const done = ok(`Action [${action} Service ${ctx.params.uid}] has been done.`);
  if (found.kind === "port") {
    const product = found.product;
    if (action === "UN_CANCEL") {
      if (product.provisioningStatus !== "CANCELLED")
        throw validationFailed(`Product ${product.productUid} is not CANCELLED`);
      product.provisioningStatus = "LIVE";
      product.terminateDate = null;
      return done;
    }
    if (product.provisioningStatus === "DECOMMISSIONED")
      throw validationFailed(`Product ${product.productUid} is already DECOMMISSIONED`);
    const attached = store.state.vxcs.some(
      (v) =>
        (v.aEnd.productUid === product.productUid || v.bEnd.productUid === product.productUid) &&
        store.vxcHoldsVlans(v),
    );
    if (safeDelete && attached)
      throw validationFailed(`Product ${product.productUid} has VXCs attached; safe delete refused`);
    product.provisioningStatus = action === "CANCEL_NOW" ? "DECOMMISSIONED" : "CANCELLED";
    product.terminateDate = store.now();
    return done;
  }
  const vxc = found.vxc;
  const status = store.vxcStatus(vxc);
  if (action === "UN_CANCEL") {
    if (status !== "CANCELLED") throw validationFailed(`VXC ${vxc.productUid} is ${status}, not CANCELLED`);
    vxc.lifecycle = "ACTIVE";
    vxc.forcedStatus = null;
    vxc.terminateDate = null;
    return done;
  }
  if (status === "DECOMMISSIONED") throw validationFailed(`VXC ${vxc.productUid} is already DECOMMISSIONED`);
  vxc.lifecycle = action === "CANCEL_NOW" ? "DECOMMISSIONED" : "CANCELLED";
  vxc.forcedStatus = null;
  vxc.terminateDate = store.now();
  const approval = store.approvalOf(vxc);
  if (action === "CANCEL_NOW" && approval !== undefined && approval.status === "PENDING")
    approval.status = "WITHDRAWN";
  return done;
}

export const vxcRoutes = [
  route("PUT", "/v3/product/vxc/:uid", updateVxc),
  route("POST", "/v3/product/:uid/action/:action", productAction),
];
