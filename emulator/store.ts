/**
 * The emulator's state and the rules computed from it: the clock, look-ups, provisioning and
 * approval status, VLAN availability and atomic persistence. Every method is synchronous, so a
 * request's validation and commit can never interleave with another request's.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { ApiError, productNotFound } from "./http";
import {
  APPROVAL_EXPIRY_MS,
  type Approval,
  type Company,
  type ParsedSeed,
  type Product,
  type ProvisioningStatus,
  type ServiceKey,
  type State,
  StateSchema,
  type Vxc,
} from "./model";
import { stateFromSeed } from "./seed";

/** Approval status as the order-approvals API shows it (docs/megaport-api.md, "Order approvals"). */
export type ApprovalStatus = "PENDING" | "APPROVED" | "REJECTED" | "WITHDRAWN" | "EXPIRED";

/** VLAN range for tagged ends (docs/megaport-api.md, "Validate and buy"). */
export const MIN_VLAN = 2;
export const MAX_VLAN = 4093;
/** Stored for an untagged end; emitted as null. */
export const UNTAGGED = -1;

/** Something that holds a VLAN on a product, so it can be excluded from its own clash check. */
export interface VlanHolder {
  serviceKey?: string;
  vxcUid?: string;
}

export class Store {
  state: State;

  constructor(
    private readonly seed: ParsedSeed,
    readonly provisioningDelayMs: number,
    readonly defaultTokenLifetimeSeconds: number,
    private readonly stateFile: string | undefined,
  ) {
    this.state =
      stateFile !== undefined && existsSync(stateFile)
        ? StateSchema.parse(JSON.parse(readFileSync(stateFile, "utf8")))
        : stateFromSeed(seed);
  }

  /** The emulator clock in epoch ms: real time plus whatever `/_emulator/clock` added. */
  now(): number {
    return Date.now() + this.state.clockOffsetMs;
  }

  /** Back to the seed (clock included). */
  reset(): void {
    this.state = stateFromSeed(this.seed);
  }

  /** Writes the state atomically (temp file + rename) when a state file is configured. */
  save(): void {
    if (this.stateFile === undefined) return;
    const temp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.state));
    renameSync(temp, this.stateFile);
  }

  /** A fresh numeric id (products, orders, approvals). */
  nextId(): number {
    this.state.nextId += 1;
    return this.state.nextId;
  }

  newUid(): string {
    return randomUUID();
  }

  company(companyUid: string): Company {
    const company = this.state.companies.find((c) => c.companyUid === companyUid);
    if (company === undefined) throw new Error(`state references unknown company ${companyUid}`);
    return company;
  }

  companyByIdOrUid(idOrUid: string): Company | undefined {
    return this.state.companies.find((c) => c.companyUid === idOrUid || String(c.companyId) === idOrUid);
  }

  findProduct(uidOrId: string): Product | undefined {
    return this.state.products.find((p) => p.productUid === uidOrId || String(p.productId) === uidOrId);
  }

  findVxc(uid: string): Vxc | undefined {
    return this.state.vxcs.find((v) => v.productUid === uid);
  }

  /** A Port/MCR/MVE owned by the caller, or 404 / 403. */
  ownProduct(uidOrId: string, companyUid: string): Product {
    const product = this.findProduct(uidOrId);
    if (product === undefined) throw productNotFound(uidOrId);
    if (product.companyUid !== companyUid) {
      throw new ApiError(
        "FORBIDDEN",
        "You do not have permission to access this service",
        `Product ${uidOrId}`,
      );
    }
    return product;
  }

  findKey(key: string): ServiceKey | undefined {
    return this.state.serviceKeys.find((k) => k.key === key);
  }

  /** The fastest VXC a product takes: portSpeed for ports, maxVxcSpeed for MCR and MVE. */
  productSpeed(product: Product): number {
    return (product.productType === "MEGAPORT" ? product.portSpeed : product.maxVxcSpeed) ?? 10000;
  }

  keyExpired(key: ServiceKey): boolean {
    return key.validFor.end < this.now();
  }

  /**
   * valid = active && !expired && started && !(singleUse && consumed) (docs/megaport-api.md, "Key rules").
   */
  keyValid(key: ServiceKey): boolean {
    return (
      key.active &&
      !this.keyExpired(key) &&
      key.validFor.start <= this.now() &&
      !(key.singleUse && key.consumedByVxcUid !== null)
    );
  }

  approvalOf(vxc: Vxc): Approval | undefined {
    return vxc.approvalUid === null ? undefined : this.state.approvals.find((a) => a.uid === vxc.approvalUid);
  }

  /** Stored status, plus EXPIRED for an order pending for 60 days on the emulator clock. */
  approvalStatus(approval: Approval): ApprovalStatus {
    if (approval.status === "PENDING" && this.now() - approval.createDate >= APPROVAL_EXPIRY_MS)
      return "EXPIRED";
    return approval.status;
  }

  /**
   * A VXC's provisioning status on the emulator clock (docs/megaport-api.md, "Approval states"): DEPLOYABLE
   * while it waits for approval; FAILED once rejected, withdrawn or expired; otherwise DEPLOYABLE →
   * CONFIGURED → LIVE, one provisioning delay apart, from when provisioning started; DEPLOYABLE whatever the
   * clock says while provisioning is held (a test control, emulator only).
   */
  vxcStatus(vxc: Vxc): ProvisioningStatus {
    if (vxc.forcedStatus !== null) return vxc.forcedStatus;
    if (vxc.lifecycle === "DECOMMISSIONED") return "DECOMMISSIONED";
    if (vxc.lifecycle === "CANCELLED") return "CANCELLED";
    const approval = this.approvalOf(vxc);
    if (approval !== undefined) {
      const status = this.approvalStatus(approval);
      if (status === "PENDING") return "DEPLOYABLE";
      if (status !== "APPROVED") return "FAILED";
    }
    if (vxc.provisioningStartedAt === null || this.state.provisioningHeld) return "DEPLOYABLE";
    const elapsed = this.now() - vxc.provisioningStartedAt;
    if (elapsed < this.provisioningDelayMs) return "DEPLOYABLE";
    if (elapsed < 2 * this.provisioningDelayMs) return "CONFIGURED";
    return "LIVE";
  }

  /** When the VXC became (or becomes) LIVE, or null. */
  vxcLiveDate(vxc: Vxc): number | null {
    if (vxc.provisioningStartedAt === null) return null;
    const live = vxc.provisioningStartedAt + 2 * this.provisioningDelayMs;
    return live <= this.now() ? live : null;
  }

  /** A VXC holds its VLANs until it is decommissioned or has failed. */
  vxcHoldsVlans(vxc: Vxc): boolean {
    const status = this.vxcStatus(vxc);
    return status !== "DECOMMISSIONED" && status !== "FAILED";
  }

  /**
   * Whether `vlan` is free on a product: not a single-use key's VLAN there and not an end of a VXC
   * there (docs/megaport-api.md, "Key rules" and "Validate and buy"). `extra` adds VLANs planned earlier in
   * the same request.
   */
  vlanFree(
    productUid: string,
    vlan: number,
    except: VlanHolder = {},
    extra: Set<string> = new Set(),
  ): boolean {
    if (extra.has(`${productUid}/${vlan}`)) return false;
    for (const key of this.state.serviceKeys) {
      if (key.key === except.serviceKey || key.productUid !== productUid) continue;
      // A deactivated key gives its VLAN back (inferred: keys cannot be deleted, so a replaced key
      // would otherwise hold its VLAN forever); reactivating it checks the VLAN again.
      if (key.singleUse && key.active && key.vlan === vlan && key.consumedByVxcUid === null) return false;
    }
    for (const vxc of this.state.vxcs) {
      if (vxc.productUid === except.vxcUid || !this.vxcHoldsVlans(vxc)) continue;
      // A key's own VXC holds the key's VLAN on the B-End by right (a consumed key reactivated).
      if (except.serviceKey !== undefined && vxc.serviceKey === except.serviceKey) continue;
      if (vxc.aEnd.productUid === productUid && vxc.aEnd.vlan === vlan) return false;
      if (vxc.bEnd.productUid === productUid && vxc.bEnd.vlan === vlan) return false;
    }
    return true;
  }

  /** The lowest free tagged VLAN on a product (for "0 = allocate"), or undefined when full. */
  allocateVlan(
    productUid: string,
    except: VlanHolder = {},
    extra: Set<string> = new Set(),
  ): number | undefined {
    for (let vlan = MIN_VLAN; vlan <= MAX_VLAN; vlan++) {
      if (this.vlanFree(productUid, vlan, except, extra)) return vlan;
    }
    return undefined;
  }

  /**
   * The real API's clash text (docs/megaport-api.md, "Known error texts": "VLAN 4001 not available on
   * MEGAPORT service 5088").
   */
  vlanUnavailable(vlan: number, product: Product): string {
    return `VLAN ${vlan} is not available on ${product.productType} service ${product.productId}`;
  }
}
