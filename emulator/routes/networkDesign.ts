/**
 * Ordering VXCs with a service key: `POST /v3/networkdesign/validate`, `POST /v3/networkdesign/buy`
 * (bare arrays) and `POST /v4/networkdesign/buy` (`{networkDesign, discountCodes}`)
 * (docs/megaport-api.md, "Validate and buy").
 */
import { z } from "zod";
import { ApiError, lenientBool, lenientInt, lenientString, ok, parseBody, validationFailed } from "../http";
import { type Approval, type Product, VALID_TERMS, type Vxc } from "../model";
import { type RequestContext, route } from "../router";
import { MAX_VLAN, MIN_VLAN, type Store, UNTAGGED } from "../store";
import { orderView } from "../views";

/** One end of an order; `vNicIndex` is megaportgo's `VXCOrderMVEConfig.NetworkInterfaceIndex`. */
const EndSchema = z
  .object({ productUid: lenientString(), vlan: lenientInt(), vNicIndex: lenientInt() })
  .nullish();

const VxcOrderSchema = z.object({
  productName: lenientString(),
  rateLimit: lenientInt(),
  term: lenientInt(),
  shutdown: lenientBool(),
  promoCode: lenientString(),
  costCentre: lenientString(),
  serviceKey: lenientString(),
  resourceTags: z.array(z.object({ key: z.string(), value: z.string() })).nullish(),
  aEnd: EndSchema,
  bEnd: EndSchema,
});

const OrderSchema = z.object({
  productUid: lenientString(),
  associatedVxcs: z.array(VxcOrderSchema).nullish(),
});

const DesignSchema = z.array(OrderSchema).min(1, "at least one order is required");
const V4BuySchema = z.object({ networkDesign: DesignSchema, discountCodes: z.array(z.unknown()).nullish() });

type VxcOrder = z.infer<typeof VxcOrderSchema>;

/** A checked order, ready to commit. */
interface PlannedVxc {
  order: VxcOrder;
  keyValue: string;
  aEndUid: string;
  bEndUid: string;
  aEndVlan: number;
  aEndVnicIndex: number | null;
  bEndVlan: number;
  term: number;
}

/**
 * The A-End's vNIC: required for an MVE and within its vNICs; ignored for a Port or MCR, because
 * megaportgo sends `vNicIndex` (0) with any inner VLAN, whatever the product (vxc_types.go
 * `VXCOrderMVEConfig`). The texts are inferred; emulator only.
 */
export function checkVnicIndex(aEnd: Product, index: number | undefined, field: string): number | null {
  if (aEnd.productType !== "MVE") return null;
  const count = aEnd.vnics ?? 1;
  if (index === undefined) {
    throw validationFailed(
      `${field} is required for an MVE A-End: MVE ${aEnd.productUid} has vNICs 0-${count - 1}`,
    );
  }
  if (index < 0 || index >= count) {
    throw validationFailed(
      `${field} ${index} is out of range: MVE ${aEnd.productUid} has vNICs 0-${count - 1}`,
    );
  }
  return index;
}

/**
 * Checks one VXC order against the state and what earlier orders of the same request planned.
 * Error texts are invented where docs/megaport-api.md, "Known error texts" says none are known, in the
 * `Validation failed` / string-`data` shape; none contains the key.
 */
function checkOrder(
  store: Store,
  caller: string,
  order: VxcOrder,
  aEndFallback: string | undefined,
  plannedVlans: Set<string>,
  plannedKeys: Set<string>,
): PlannedVxc {
  if (order.productName === undefined || order.productName.trim() === "")
    throw validationFailed("productName is required");
  if (order.serviceKey === undefined || order.serviceKey === "") {
    throw validationFailed("serviceKey is required: this emulator orders VXCs with a service key only");
  }
  const bEndUid = order.bEnd?.productUid;
  if (bEndUid === undefined || bEndUid === "") throw validationFailed("Valid B-End is required");
  const key = store.findKey(order.serviceKey);
  if (key === undefined) throw validationFailed("The service key is not valid: no such key");
  if (!key.active) throw validationFailed("The service key is not active");
  if (key.validFor.start > store.now())
    throw validationFailed("The service key is not valid yet (validFor.start is in the future)");
  if (store.keyExpired(key)) throw validationFailed("The service key has expired");
  if (key.singleUse && (key.consumedByVxcUid !== null || plannedKeys.has(key.key))) {
    throw validationFailed("The single-use service key has already been used");
  }
  if (bEndUid !== key.productUid) {
    throw validationFailed(
      `Valid B-End is required: B-End ${bEndUid} is not the service key's product ${key.productUid}`,
    );
  }
  const bEnd = store.findProduct(bEndUid);
  if (bEnd === undefined) throw validationFailed(`Valid B-End is required: product ${bEndUid} not found`);
  if (order.rateLimit === undefined) throw validationFailed("rateLimit is required");
  if (order.rateLimit < 1) throw validationFailed(`rateLimit ${order.rateLimit} must be at least 1 Mbps`);
  if (order.rateLimit > key.maxSpeed) {
    throw validationFailed(
      `rateLimit ${order.rateLimit} exceeds the service key's maximum of ${key.maxSpeed} Mbps`,
    );
  }
  const aEndUid = order.aEnd?.productUid ?? aEndFallback;
  if (aEndUid === undefined || aEndUid === "")
    throw validationFailed("Valid A-End is required: productUid is missing");
  const aEnd = store.findProduct(aEndUid);
  if (aEnd === undefined) throw validationFailed(`Valid A-End is required: product ${aEndUid} not found`);
  if (aEnd.companyUid !== caller)
    throw validationFailed(`A-End product ${aEndUid} does not belong to your company`);
  if (aEnd.provisioningStatus !== "LIVE" && aEnd.provisioningStatus !== "CONFIGURED") {
    throw validationFailed(`A-End product ${aEndUid} is ${aEnd.provisioningStatus}, not LIVE`);
  }
  const aEndVnicIndex = checkVnicIndex(aEnd, order.aEnd?.vNicIndex, "vNicIndex");
  const term = order.term ?? 1;
  if (!(VALID_TERMS as readonly number[]).includes(term)) {
    throw validationFailed(`term ${term} is not a valid contract term (${VALID_TERMS.join(", ")} months)`);
  }
  if (order.costCentre !== undefined && order.costCentre.length > 255) {
    throw validationFailed("costCentre must be at most 255 characters");
  }
  // A-End VLAN: 2-4093, 0/absent = allocate, -1 = untagged (docs/megaport-api.md, "Validate and buy").
  const requested = order.aEnd?.vlan ?? 0;
  let aEndVlan: number;
  if (requested === 0) {
    const allocated = store.allocateVlan(aEndUid, {}, plannedVlans);
    if (allocated === undefined)
      throw validationFailed(`No free VLAN left on ${aEnd.productType} service ${aEnd.productId}`);
    aEndVlan = allocated;
  } else if (requested === UNTAGGED || (requested >= MIN_VLAN && requested <= MAX_VLAN)) {
    if (!store.vlanFree(aEndUid, requested, {}, plannedVlans))
      throw validationFailed(store.vlanUnavailable(requested, aEnd));
    aEndVlan = requested;
  } else {
    throw validationFailed(
      `A-End VLAN ${requested} is out of range (${MIN_VLAN}-${MAX_VLAN}, 0 to allocate, -1 for untagged)`,
    );
  }
  // B-End VLAN: a single-use key fixes it to the key's VLAN; otherwise the requested one when free,
  // else allocated (inferred, docs/megaport-api.md, "Validate and buy").
  let bEndVlan: number;
  if (key.singleUse && key.vlan !== null) {
    bEndVlan = key.vlan;
  } else {
    const wanted = order.bEnd?.vlan ?? 0;
    const wantedOk =
      wanted >= MIN_VLAN &&
      wanted <= MAX_VLAN &&
      store.vlanFree(bEndUid, wanted, {}, plannedVlans) &&
      !(aEndUid === bEndUid && wanted === aEndVlan);
    const allocated = wantedOk
      ? wanted
      : store.allocateVlan(bEndUid, {}, new Set([...plannedVlans, `${aEndUid}/${aEndVlan}`]));
    if (allocated === undefined)
      throw validationFailed(`No free VLAN left on ${bEnd.productType} service ${bEnd.productId}`);
    bEndVlan = allocated;
  }
  plannedVlans.add(`${aEndUid}/${aEndVlan}`);
  plannedVlans.add(`${bEndUid}/${bEndVlan}`);
  plannedKeys.add(key.key);
  return { order, keyValue: key.key, aEndUid, bEndUid, aEndVlan, aEndVnicIndex, bEndVlan, term };
}

/** Checks every VXC of a design; throws on the first problem, so nothing is committed. */
function checkDesign(store: Store, caller: string, design: z.infer<typeof DesignSchema>): PlannedVxc[] {
  const plannedVlans = new Set<string>();
  const plannedKeys = new Set<string>();
  const planned: PlannedVxc[] = [];
  for (const order of design) {
    const vxcs = order.associatedVxcs ?? [];
    if (vxcs.length === 0)
      throw validationFailed("Only VXC orders (associatedVxcs) are supported by this emulator");
    for (const vxc of vxcs)
      planned.push(checkOrder(store, caller, vxc, order.productUid, plannedVlans, plannedKeys));
  }
  return planned;
}

function validate(ctx: RequestContext) {
  const caller = ctx.caller();
  const design = parseBody(DesignSchema, ctx.json());
  const planned = checkDesign(ctx.store, caller, design);
  return ok(
    "Validation passed",
    planned.map((p) => ({
      price: {
        monthlyRate: Math.round(p.order.rateLimit ?? 0) / 10,
        currency: "USD",
        productType: "VXC",
        hourlySetup: 0,
        dailySetup: 0,
        monthlySetup: 0,
        longHaulMbpsRate: 0,
        mbpsRate: 0.1,
        monthlyRackRate: Math.round(p.order.rateLimit ?? 0) / 10,
      },
      serviceName: p.order.productName,
      productType: "VXC",
      productUid: p.aEndUid,
      market: "AU",
      string: "Sydney",
    })),
  );
}

/** Creates the VXCs (and approval records for keys that are not pre-approved), all or nothing. */
function buy(ctx: RequestContext, design: z.infer<typeof DesignSchema>) {
  const caller = ctx.caller();
  const store = ctx.store;
  const planned = checkDesign(store, caller, design);
  // Everything checked: commit synchronously (no await between check and commit).
  const now = store.now();
  const orders = planned.map((p) => {
    const key = store.findKey(p.keyValue);
    if (key === undefined) throw new ApiError("NOT_FOUND", "Service key not found", null);
    const vxcUid = store.newUid();
    const preApproved = key.preApproved === true || key.companyUid === caller;
    let approval: Approval | undefined;
    if (!preApproved) {
      approval = {
        uid: store.newUid(),
        id: store.nextId(),
        referenceId: vxcUid,
        status: "PENDING",
        approverCompanyUid: key.companyUid,
        requesterCompanyUid: caller,
        vxcUid,
        comment: null,
        createDate: now,
      };
      store.state.approvals.push(approval);
    }
    const vxc: Vxc = {
      productUid: vxcUid,
      productId: store.nextId(),
      productName: p.order.productName ?? "",
      rateLimit: p.order.rateLimit ?? 0,
      term: p.term,
      shutdown: p.order.shutdown ?? false,
      costCentre: p.order.costCentre ?? null,
      promoCode: p.order.promoCode ?? null,
      createDate: now,
      companyUid: caller,
      aEnd: { productUid: p.aEndUid, vlan: p.aEndVlan, vNicIndex: p.aEndVnicIndex },
      bEnd: { productUid: p.bEndUid, vlan: p.bEndVlan, vNicIndex: null },
      serviceKey: key.key,
      approvalUid: approval?.uid ?? null,
      provisioningStartedAt: preApproved ? now : null,
      lifecycle: "ACTIVE",
      terminateDate: null,
      forcedStatus: null,
      resourceTags: (p.order.resourceTags ?? []).map((t) => ({ key: t.key, value: t.value })),
    };
    store.state.vxcs.push(vxc);
    key.lastUsed = now;
    if (key.singleUse) key.consumedByVxcUid = vxcUid;
    return orderView(store, vxc, store.nextId(), caller);
  });
  const uids = orders.map((o) => o.vxcJTechnicalServiceUid).join(", ");
  return ok(`VXC [${uids}] created.`, orders);
}

export const networkDesignRoutes = [
  route("POST", "/v3/networkdesign/validate", validate),
  route("POST", "/v3/networkdesign/buy", (ctx) => buy(ctx, parseBody(DesignSchema, ctx.json()))),
  route("POST", "/v4/networkdesign/buy", (ctx) => {
    // megaportgo ≥ 170e3b1 posts {networkDesign, discountCodes}; accept a bare array here too.
    const body = ctx.json();
    const design = Array.isArray(body)
      ? parseBody(DesignSchema, body)
      : parseBody(V4BuySchema, body).networkDesign;
    return buy(ctx, design);
  }),
];
