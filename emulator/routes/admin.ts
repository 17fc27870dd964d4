/**
 * The admin API under `/_emulator/` (docs/architecture.md, "The emulator contract"): no auth, loopback only,
 * never logged as API traffic. Answers are plain JSON, not the API envelope.
 */
import { z } from "zod";
import { type FaultConfig, FaultConfigSchema, type Faults } from "../faults";
import { ApiError, parseBody, type Reply } from "../http";
import { ProvisioningStatusSchema } from "../model";
import type { RequestLog } from "../requestLog";
import { type RequestContext, type Route, route } from "../router";
import { MAX_VLAN, MIN_VLAN, UNTAGGED } from "../store";
import { serviceKeyView, vxcView } from "../views";

const json = (body: unknown, status = 200): Reply => ({ status, body });

const vlanValue = z
  .number()
  .int()
  .refine((v) => v === UNTAGGED || (v >= MIN_VLAN && v <= MAX_VLAN), "VLAN 2-4093 or -1");

const VxcPatchSchema = z.object({
  productName: z.string().min(1).optional(),
  rateLimit: z.number().int().min(1).optional(),
  provisioningStatus: ProvisioningStatusSchema.nullable().optional(),
  shutdown: z.boolean().optional(),
  costCentre: z.string().nullable().optional(),
  term: z.number().int().optional(),
  aEndVlan: vlanValue.optional(),
  bEndVlan: vlanValue.optional(),
  /** The A-End's vNIC as the API will show it (drift on an MVE A-End). */
  aEndVnicIndex: z.number().int().min(0).optional(),
});

const KeyPatchSchema = z.object({
  active: z.boolean().optional(),
  description: z.string().nullable().optional(),
  maxSpeed: z.number().int().min(1).optional(),
  vlan: z.number().int().nullable().optional(),
  preApproved: z.boolean().nullable().optional(),
  singleUse: z.boolean().optional(),
  validFor: z.object({ start: z.number(), end: z.number() }).optional(),
  lastUsed: z.number().nullable().optional(),
});

/** Counters of the listener itself: TCP connections accepted since start, requests under way. */
export interface EmulatorStats {
  connectionsOpened: number;
  /** API requests received and not yet answered or dropped (e.g. waiting out a latency fault). */
  inFlight: number;
}

/** Answer modes switched at run time; `enrich` starts as the `enrich` option. */
export interface EmulatorMode {
  enrich: boolean;
}

/** The admin routes, bound to the server's fault config, request log and answer mode. */
export function adminRoutes(
  faults: Faults,
  log: RequestLog,
  stats: () => EmulatorStats,
  mode: EmulatorMode,
): Route[] {
  const state = (ctx: RequestContext) => {
    const { store } = ctx;
    return json({
      now: store.now(),
      companies: store.state.companies,
      products: store.state.products,
      serviceKeys: store.state.serviceKeys.map((k) => ({
        ...k,
        expired: store.keyExpired(k),
        valid: store.keyValid(k),
      })),
      vxcs: store.state.vxcs.map((v) => ({ ...v, provisioningStatus: store.vxcStatus(v) })),
      approvals: store.state.approvals.map((a) => ({ ...a, status: store.approvalStatus(a) })),
      faults: faults.config,
      enrich: mode.enrich,
    });
  };

  const setEnrich = (ctx: RequestContext) => {
    mode.enrich = parseBody(z.object({ enabled: z.boolean() }), ctx.json()).enabled;
    return json({ enrich: mode.enrich });
  };

  const reset = (ctx: RequestContext) => {
    ctx.store.reset();
    faults.clear();
    log.clear();
    return json({ reset: true, now: ctx.store.now() });
  };

  const setFaults = (ctx: RequestContext) => {
    const body = ctx.json();
    const config: FaultConfig = body === undefined ? {} : parseBody(FaultConfigSchema, body);
    faults.set(config);
    return json(faults.config);
  };

  const clock = (ctx: RequestContext) => {
    const body = parseBody(z.object({ advanceMs: z.number().int().min(0) }), ctx.json());
    ctx.store.state.clockOffsetMs += body.advanceMs;
    return json({ now: ctx.store.now() });
  };

  const provisioning = (ctx: RequestContext) => {
    const body = parseBody(z.object({ held: z.boolean() }), ctx.json());
    ctx.store.state.provisioningHeld = body.held;
    return json({ held: body.held });
  };

  const requests = (ctx: RequestContext) => json(log.since(Number(ctx.query.since ?? 0) || 0));

  const clearRequests = () => {
    log.clear();
    return json({ cleared: true });
  };

  const patchVxc = (ctx: RequestContext) => {
    const vxc = ctx.store.findVxc(ctx.params.uid);
    if (vxc === undefined) throw new ApiError("NOT_FOUND", `No VXC ${ctx.params.uid}`, "Not Found");
    const patch = parseBody(VxcPatchSchema, ctx.json());
    if (patch.productName !== undefined) vxc.productName = patch.productName;
    if (patch.rateLimit !== undefined) vxc.rateLimit = patch.rateLimit;
    if (patch.provisioningStatus !== undefined) vxc.forcedStatus = patch.provisioningStatus;
    if (patch.shutdown !== undefined) vxc.shutdown = patch.shutdown;
    if (patch.costCentre !== undefined) vxc.costCentre = patch.costCentre;
    if (patch.term !== undefined) vxc.term = patch.term;
    if (patch.aEndVlan !== undefined) vxc.aEnd.vlan = patch.aEndVlan;
    if (patch.bEndVlan !== undefined) vxc.bEnd.vlan = patch.bEndVlan;
    if (patch.aEndVnicIndex !== undefined) vxc.aEnd.vNicIndex = patch.aEndVnicIndex;
    return json(vxcView(ctx.store, vxc, vxc.companyUid));
  };

  const patchKey = (ctx: RequestContext) => {
    const key = ctx.store.findKey(ctx.params.key);
    if (key === undefined) throw new ApiError("NOT_FOUND", "No such service key", "Not Found");
    const patch = parseBody(KeyPatchSchema, ctx.json());
    Object.assign(key, patch);
    return json(serviceKeyView(ctx.store, key, key.companyUid));
  };

  return [
    route("GET", "/_emulator/state", state),
    route("GET", "/_emulator/stats", () => json(stats())),
    route("POST", "/_emulator/reset", reset),
    route("POST", "/_emulator/faults", setFaults),
    route("POST", "/_emulator/clock", clock),
    route("POST", "/_emulator/enrich", setEnrich),
    route("POST", "/_emulator/provisioning", provisioning),
    route("GET", "/_emulator/requests", requests),
    route("DELETE", "/_emulator/requests", clearRequests),
    route("POST", "/_emulator/vxcs/:uid", patchVxc),
    route("POST", "/_emulator/service-keys/:key", patchKey),
  ];
}
