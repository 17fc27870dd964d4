/**
 * The JSON shapes the API answers with (docs/megaport-api.md, "The key object", "VXCs", "Order approvals",
 * "Products"). Empty optionals are emitted as null, dates as epoch-ms numbers.
 */
import type { Approval, Product, ServiceKey, Vxc } from "./model";
import { type Store, UNTAGGED } from "./store";

const LOCATIONS: Record<number, { name: string; city: string; metro: string; country: string }> = {
  354: { name: "Equinix SY1", city: "Sydney", metro: "Sydney", country: "Australia" },
  65: { name: "Global Switch Sydney", city: "Sydney", metro: "Sydney", country: "Australia" },
};

function locationDetail(locationId: number) {
  return (
    LOCATIONS[locationId] ?? {
      name: `Location ${locationId}`,
      city: "Sydney",
      metro: "Sydney",
      country: "Australia",
    }
  );
}

function contractEnd(start: number, months: number): number {
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + months);
  return end.getTime();
}

const emitVlan = (vlan: number): number | null => (vlan === UNTAGGED ? null : vlan);

/** The fields every Port/MCR/MVE view shares, also used as a service key's `productDto`. */
function productCore(store: Store, product: Product) {
  const company = store.company(product.companyUid);
  return {
    productId: product.productId,
    productUid: product.productUid,
    productName: product.productName,
    productType: product.productType,
    provisioningStatus: product.provisioningStatus,
    createDate: product.createDate,
    createdBy: "emulator",
    portSpeed: product.portSpeed,
    terminateDate: product.terminateDate,
    liveDate: product.createDate,
    market: "AU",
    locationId: product.locationId,
    costCentre: product.costCentre,
    usageAlgorithm:
      product.productType === "MCR2" ? "POST_PAID_HOURLY_SPEED_MCR2" : "POST_PAID_HOURLY_SPEED_LONG_HAUL",
    marketplaceVisibility: product.marketplaceVisibility,
    vxcAutoApproval: product.vxcAutoApproval,
    secondaryName: null,
    lagPrimary: false,
    lagId: null,
    aggregationId: null,
    companyUid: company.companyUid,
    companyName: company.companyName,
    contractStartDate: product.createDate,
    contractEndDate: contractEnd(product.createDate, 12),
    contractTermMonths: 12,
    attributeTags: {},
    virtual: product.productType !== "MEGAPORT",
    buyoutPort: false,
    locked: false,
    adminLocked: false,
    cancelable: true,
  };
}

/** VXCs with an end on the product, seen by `viewerUid`. */
function associatedVxcs(store: Store, product: Product, viewerUid: string) {
  return store.state.vxcs
    .filter((v) => v.aEnd.productUid === product.productUid || v.bEnd.productUid === product.productUid)
    .map((v) => vxcView(store, v, viewerUid));
}

/**
 * A Port (`vxcpermitted`), MCR or MVE (`vxcPermitted`) in the `GET /v2/product/{uid}` shape
 * (docs/megaport-api.md, "Products"; the spelling differs per type, docs/megaport-api.md, "Conventions").
 */
export function productView(store: Store, product: Product, viewerUid: string) {
  const core = productCore(store, product);
  const common = {
    ...core,
    diversityZone: null,
    locationDetail: locationDetail(product.locationId),
    associatedVxcs: associatedVxcs(store, product, viewerUid),
    associatedIxs: [],
  };
  if (product.productType === "MEGAPORT") {
    return {
      ...common,
      vxcpermitted: true,
      resources: { interface: { demarcation: "", up: 1, media: "LR4", port_speed: product.portSpeed } },
    };
  }
  if (product.productType === "MCR2") {
    return {
      ...common,
      vxcPermitted: true,
      maxVxcSpeed: product.maxVxcSpeed,
      connectType: "VROUTER",
      resources: {
        virtual_router: {
          mcrAsn: 133937,
          resource_name: "vrouter",
          resource_type: "vrouter",
          speed: product.maxVxcSpeed,
        },
      },
      addOns: [],
    };
  }
  return {
    ...common,
    portSpeed: null,
    vxcPermitted: true,
    maxVxcSpeed: product.maxVxcSpeed,
    vendor: "Cisco",
    mveSize: "MEDIUM",
    mveLabel: "MVE 4/16",
    connectType: "MVE",
    vnics: Array.from({ length: product.vnics ?? 1 }, (_, index) => ({
      vlan: null,
      description: `Data Plane ${index}`,
    })),
    resources: { virtual_machine: [{ id: 1, cpu_count: 4, resource_type: "virtual_machine", up: true }] },
  };
}

/**
 * A service key (docs/megaport-api.md, "The key object"). `productDto` is the port-style summary; a viewer
 * that does not own the key gets an empty `associatedVxcs` there (whether the real API still exposes other
 * companies' VXCs to a consumer is unknown, docs/megaport-api.md, "What the emulator infers": the emulator
 * chooses privacy).
 */
export function serviceKeyView(store: Store, key: ServiceKey, viewerUid: string) {
  const company = store.company(key.companyUid);
  const product = store.findProduct(key.productUid);
  const productDto =
    product === undefined
      ? null
      : {
          ...productCore(store, product),
          vxcpermitted: true,
          associatedVxcs: viewerUid === key.companyUid ? associatedVxcs(store, product, viewerUid) : [],
          associatedIxs: [],
        };
  return {
    key: key.key,
    createDate: key.createDate,
    companyId: company.companyId,
    companyUid: company.companyUid,
    companyName: company.companyName,
    description: key.description,
    productId: product?.productId ?? null,
    productUid: key.productUid,
    productName: product?.productName ?? null,
    productDto,
    vlan: key.vlan,
    maxSpeed: key.maxSpeed,
    preApproved: key.preApproved,
    singleUse: key.singleUse,
    lastUsed: key.lastUsed,
    active: key.active,
    validFor: { start: key.validFor.start, end: key.validFor.end },
    expired: store.keyExpired(key),
    valid: store.keyValid(key),
    promoCode: key.promoCode,
  };
}

function vxcEnd(store: Store, end: Vxc["aEnd"]) {
  const product = store.findProduct(end.productUid);
  const location = locationDetail(product?.locationId ?? 354);
  return {
    ownerUid: product?.companyUid ?? null,
    productUid: end.productUid,
    productName: product?.productName ?? null,
    locationId: product?.locationId ?? null,
    location: location.name,
    locationDetail: location,
    vlan: emitVlan(end.vlan),
    innerVlan: null,
    vNicIndex: product?.productType === "MVE" ? (end.vNicIndex ?? 0) : null,
    secondaryName: null,
  };
}

/**
 * `vxcApproval` (docs/megaport-api.md, "Approval states"): all members null without an approval in play;
 * while pending, PENDING_EXTERNAL for the consumer and PENDING_INTERNAL for the key owner, `message` = the
 * other party's company name; APPROVED after approval. After a rejection, withdrawal or expiry the members
 * are null again and `provisioningStatus` (FAILED) decides (inferred).
 */
function vxcApprovalView(store: Store, vxc: Vxc, viewerUid: string) {
  const empty = { status: null, message: null, uid: null, type: null, newSpeed: null };
  const approval = store.approvalOf(vxc);
  if (approval === undefined) return empty;
  const status = store.approvalStatus(approval);
  const viewerIsApprover = viewerUid === approval.approverCompanyUid;
  const otherParty = store.company(
    viewerIsApprover ? approval.requesterCompanyUid : approval.approverCompanyUid,
  );
  if (status === "PENDING") {
    return {
      status: viewerIsApprover ? "PENDING_INTERNAL" : "PENDING_EXTERNAL",
      message: otherParty.companyName,
      uid: approval.uid,
      type: "NEW",
      newSpeed: null,
    };
  }
  if (status === "APPROVED") {
    return {
      status: "APPROVED",
      message: otherParty.companyName,
      uid: approval.uid,
      type: "NEW",
      newSpeed: null,
    };
  }
  return empty;
}

/**
 * A VXC in the `GET /v2/product/{uid}` shape (docs/megaport-api.md, "The VXC product"), seen by `viewerUid`.
 */
export function vxcView(store: Store, vxc: Vxc, viewerUid: string) {
  const company = store.company(vxc.companyUid);
  const status = store.vxcStatus(vxc);
  const up = status === "LIVE" && !vxc.shutdown;
  return {
    productId: vxc.productId,
    productUid: vxc.productUid,
    nServiceId: vxc.productId,
    productName: vxc.productName,
    productType: "VXC",
    rateLimit: vxc.rateLimit,
    distanceBand: "METRO",
    provisioningStatus: status,
    secondaryName: null,
    usageAlgorithm: "POST_PAID_HOURLY_SPEED_LONG_HAUL_VXC",
    createdBy: "api",
    liveDate: store.vxcLiveDate(vxc),
    createDate: vxc.createDate,
    terminateDate: vxc.terminateDate,
    contractStartDate: vxc.createDate,
    contractEndDate: contractEnd(vxc.createDate, vxc.term),
    contractTermMonths: vxc.term,
    companyUid: company.companyUid,
    companyName: company.companyName,
    costCentre: vxc.costCentre,
    locked: false,
    adminLocked: false,
    attributeTags: {},
    cancelable: status !== "DECOMMISSIONED",
    shutdown: vxc.shutdown,
    up,
    aEnd: vxcEnd(store, vxc.aEnd),
    bEnd: vxcEnd(store, vxc.bEnd),
    // After decommissioning `vll` comes back as [] (docs/megaport-api.md, "The VXC product").
    resources:
      status === "DECOMMISSIONED"
        ? { interface: [], vll: [] }
        : {
            interface: [],
            vll: {
              a_vlan: emitVlan(vxc.aEnd.vlan),
              b_vlan: emitVlan(vxc.bEnd.vlan),
              rate_limit_mbps: vxc.rateLimit,
              resource_name: "vll",
              resource_type: "vll",
              up: up ? 1 : 0,
              shutdown: vxc.shutdown,
            },
          },
    vxcApproval: vxcApprovalView(store, vxc, viewerUid),
  };
}

/**
 * An order approval record (docs/megaport-api.md, "Order approvals"); `productUid` (the VXC uid) is an
 * emulator extension.
 */
export function approvalView(store: Store, approval: Approval) {
  const requester = store.company(approval.requesterCompanyUid);
  const approver = store.company(approval.approverCompanyUid);
  const vxc = store.findVxc(approval.vxcUid);
  const status = store.approvalStatus(approval);
  return {
    uid: approval.uid,
    id: approval.id,
    referenceId: approval.referenceId,
    status,
    type: "NEW_ORDER",
    active: status === "PENDING",
    acctName: requester.companyName,
    acctRef: requester.companyUid,
    approverCompanyId: approver.companyId,
    requesterCompanyId: requester.companyId,
    serviceId: vxc?.productId ?? null,
    productUid: approval.vxcUid,
    comment: approval.comment,
    createDate: approval.createDate,
    detail: {
      type: "VXC",
      origin: "API",
      userName: "api",
      requesterCompanyId: requester.companyId,
      productRequest:
        vxc === undefined
          ? []
          : [
              {
                productUid: vxc.productUid,
                productName: vxc.productName,
                rateLimit: vxc.rateLimit,
                aEndProductUid: vxc.aEnd.productUid,
                bEndProductUid: vxc.bEnd.productUid,
              },
            ],
    },
  };
}

/**
 * One item of a buy response's `data` (docs/megaport-api.md, "Validate and buy"); payer = consumer, non-payer
 * = key owner.
 */
export function orderView(store: Store, vxc: Vxc, orderId: number, viewerUid: string) {
  const aEnd = store.findProduct(vxc.aEnd.productUid);
  const bEnd = store.findProduct(vxc.bEnd.productUid);
  const payer = store.company(vxc.companyUid);
  const nonPayer = store.company(bEnd?.companyUid ?? vxc.companyUid);
  const approval = store.approvalOf(vxc);
  const fullyApproved = approval === undefined || approval.status === "APPROVED";
  return {
    createDate: vxc.createDate,
    vxcOrderId: orderId,
    payerMegaPortId: aEnd?.productId ?? null,
    payerMegaPortName: aEnd?.productName ?? null,
    nonPayerMegaPortId: bEnd?.productId ?? null,
    nonPayerMegaPortName: bEnd?.productName ?? null,
    payerCompanyId: payer.companyId,
    payerCompanyName: payer.companyName,
    nonPayerCompanyId: nonPayer.companyId,
    nonPayerCompanyName: nonPayer.companyName,
    payerLocationId: aEnd?.locationId ?? null,
    nonPayerLocationId: bEnd?.locationId ?? null,
    payerVlanId: emitVlan(vxc.aEnd.vlan),
    nonPayerVlanId: emitVlan(vxc.bEnd.vlan),
    payerInnerVlanId: null,
    nonPayerInnerVlanId: null,
    payerApproverName: null,
    payerApproverId: null,
    nonPayerApproverName: null,
    nonPayerApproverId: null,
    payerApproval: vxc.createDate,
    nonPayerApproval: fullyApproved ? vxc.createDate : null,
    fixedTerm: vxc.term > 1,
    duration: vxc.term,
    rollover: true,
    serviceName: vxc.productName,
    payerStatus: "APPROVED",
    nonPayerStatus: fullyApproved ? "APPROVED" : "PENDING",
    speed: vxc.rateLimit,
    distanceBand: "METRO",
    promoCode: vxc.promoCode,
    rateType: "MONTHLY",
    vxcJTechnicalServiceId: vxc.productId,
    vxcJTechnicalServiceUid: vxc.productUid,
    provisionDate: null,
    orderType: "NEW",
    usageAlgorithm: "POST_PAID_HOURLY_SPEED_LONG_HAUL_VXC",
    costCentre: vxc.costCentre,
    azureServiceKey: null,
    oracleVirtualCircuitId: null,
    serviceKey: vxc.serviceKey,
    connectType: "DEFAULT",
    payerConfig: {},
    nonPayerConfig: {},
    attributeTags: {},
    fullyApproved,
    vxc: vxcView(store, vxc, viewerUid),
  };
}
