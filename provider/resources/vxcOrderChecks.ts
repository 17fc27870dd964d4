/**
 * What the API would say at order time, asked at check so that preview shows it: the key look-up
 * (exists, active, valid, not consumed, rate limit within its maximum), the A-End's vNIC rule and
 * `POST /v3/networkdesign/validate`, as check failures naming the property (docs/lifecycle.md).
 */
import {
  type ServiceKey as ApiServiceKey,
  errorDataText,
  MegaportApiError,
  type MegaportClient,
  MegaportNotFoundError,
  type Product,
  type VxcOrder,
} from "../../sdk";
import { type CheckFailure, failure } from "./checkFailures";
import type { ServiceKeyVxcInputs } from "./serviceKeyVxcInputs";
import { lookUpAEnd } from "./vxcAEnds";
import { deferValidation, validationsDeferred } from "./vxcValidations";
import { apiVlan, buildOrder, ownOrders } from "./vxcOrders";

/** How long a key look-up stays fresh, so that create right after check does not repeat it. */
const KEY_CACHE_MS = 60_000;
const keyCache = new Map<string, { key: ApiServiceKey; expiresAt: number }>();

/** The consumer's look-up of a key (`GET /v2/service/key?key=`), cached briefly per process. */
export async function lookUpKey(client: MegaportClient, serviceKey: string): Promise<ApiServiceKey> {
  const cached = keyCache.get(serviceKey);
  if (cached !== undefined && cached.expiresAt > Date.now()) return cached.key;
  const key = await client.serviceKeys.get(serviceKey);
  keyCache.set(serviceKey, { key, expiresAt: Date.now() + KEY_CACHE_MS });
  return key;
}

/** Forgets a key's look-up: after a buy, a single-use key is consumed. */
export function forgetKeyLookUp(serviceKey: string): void {
  keyCache.delete(serviceKey);
}

/** The reason given when a replacement would need a single-use key that is already used. */
export const NEW_KEY_NEEDED =
  "the single-use service key has already been used, by this resource's VXC in the stack: a replacement needs a new service key from the key owner; nothing was cancelled";

/**
 * What the API would refuse about the key itself (docs/megaport-api.md, "Key rules"), as check failures.
 * `replacement`: this resource already holds a VXC made with the key (a used single-use key then
 * means that a replacement needs a new key).
 */
export function keyFailures(key: ApiServiceKey, rateLimit: number, replacement = false): CheckFailure[] {
  if (!key.active) return [failure("serviceKey", "the service key is not active")];
  if (key.expired === true) return [failure("serviceKey", "the service key has expired")];
  if (key.singleUse && key.lastUsed !== null) {
    return [
      failure("serviceKey", replacement ? NEW_KEY_NEEDED : "the single-use service key has already been used"),
    ];
  }
  // The API's own clock decides validity: trust `valid`, never this machine's clock.
  if (key.valid === false) {
    return [failure("serviceKey", "the service key is not valid now (its validity window has not started)")];
  }
  if (rateLimit > key.maxSpeed) {
    return [failure("rateLimit", `${rateLimit} exceeds the service key's maximum of ${key.maxSpeed} Mbps`)];
  }
  return [];
}

/** A new rate limit for an existing VXC: within the key's maximum (docs/megaport-api.md, "Key rules"). */
export async function rateLimitFailures(
  client: MegaportClient,
  inputs: ServiceKeyVxcInputs,
): Promise<CheckFailure[]> {
  const key = await lookUpKey(client, inputs.serviceKey).catch((error: unknown) => {
    if (error instanceof MegaportNotFoundError) return undefined;
    throw error;
  });
  // A key the consumer can no longer see (deactivated, say) is no reason to refuse a change to a
  // VXC that exists: the API decides at update time, as update itself does.
  if (key === undefined) return [];
  return inputs.rateLimit > key.maxSpeed
    ? [failure("rateLimit", `${inputs.rateLimit} exceeds the service key's maximum of ${key.maxSpeed} Mbps`)]
    : [];
}

/**
 * The property an order-time API rejection is about, from its text
 * (docs/megaport-api.md, "Known error texts").
 */
function propertyOfRejection(text: string): string {
  if (/vnic/i.test(text)) return "aEndVnicIndex";
  if (/rate ?limit/i.test(text)) return "rateLimit";
  if (/vlan/i.test(text)) return "aEndVlan";
  if (/service key/i.test(text)) return "serviceKey";
  if (/a-end/i.test(text)) return "aEndProductUid";
  if (/\bterm\b/i.test(text)) return "term";
  if (/cost ?centre/i.test(text)) return "costCentre";
  if (/productName|name/i.test(text)) return "name";
  return "";
}

/** An API rejection of the order, as a check failure naming the property. */
function rejectionFailure(error: MegaportApiError): CheckFailure {
  const text = errorDataText(error.data) || error.apiMessage;
  return failure(propertyOfRejection(text), text);
}

/**
 * `aEndVnicIndex` against the A-End's product type (docs/megaport-api-variance.md): required for an
 * MVE (megaportgo/Terraform: "Required for MVE connections"), refused for a Port or MCR, whose
 * orders have no vNIC (the API may ignore it there; a silently ignored input is refused instead).
 */
function vnicFailures(aEnd: Product, index: number | undefined): CheckFailure[] {
  const isMve = aEnd.productType.toUpperCase() === "MVE";
  if (isMve && index === undefined) {
    return [
      failure(
        "aEndVnicIndex",
        `required for an MVE A-End: the index of the vNIC of MVE ${aEnd.productUid} to connect (0 for the first)`,
      ),
    ];
  }
  if (!isMve && index !== undefined) {
    return [
      failure(
        "aEndVnicIndex",
        `applies to an MVE A-End only; ${aEnd.productUid} is a ${aEnd.productType}: remove aEndVnicIndex`,
      ),
    ];
  }
  return [];
}

/** The A-End's vNIC rule through the run's shared A-End look-up; an unknown A-End is left to validate. */
export async function aEndVnicFailures(client: MegaportClient, inputs: ServiceKeyVxcInputs): Promise<CheckFailure[]> {
  try {
    return vnicFailures(await lookUpAEnd(client, inputs.aEndProductUid), inputs.aEndVnicIndex);
  } catch (error) {
    if (error instanceof MegaportApiError && error.status >= 400 && error.status < 500) return [];
    throw error;
  }
}

/**
 * Every check the API makes at order time: the key look-up (exists, active, valid, not consumed,
 * rate limit within its maximum), the A-End's vNIC rule, then `POST /v3/networkdesign/validate`.
 */
export async function orderFailures(client: MegaportClient, inputs: ServiceKeyVxcInputs): Promise<CheckFailure[]> {
  let key: ApiServiceKey;
  try {
    key = await lookUpKey(client, inputs.serviceKey);
  } catch (error) {
    if (error instanceof MegaportNotFoundError) return [failure("serviceKey", "no such service key")];
    throw error;
  }
  const own = await ownOrders(client, inputs);
  const failures = keyFailures(key, inputs.rateLimit, own.recorded.length > 0);
  if (key.singleUse && key.lastUsed !== null && own.unrecorded.length > 0) {
    // Used by an order of ours that an interrupted run never recorded: create adopts it.
    return failures.filter((f) => !/already been used/.test(f.reason));
  }
  if (failures.length > 0) return failures;
  const vnic = await aEndVnicFailures(client, inputs);
  if (vnic.length > 0) return vnic;
  // A fixed VLAN that this resource's own VXC holds (a replacement: the engine cancels that VXC
  // first when diff asks for it) is not counted against the order.
  const vlanHeldByOwn =
    inputs.aEndVlan !== undefined && own.holding.some((v) => (v.aEndVlan ?? -1) === apiVlan(inputs.aEndVlan)); // untagged: null or -1
  const validation = validateOrder(client, buildOrder(inputs, key.productUid, !vlanHeldByOwn));
  // In an update, create awaits it before buying; check does not wait (provider/resources/vxcValidations.ts).
  if (!validationsDeferred()) return validation;
  deferValidation(inputs as unknown as Record<string, unknown>, validation);
  return [];
}

/** `POST /v3/networkdesign/validate`: the API's rejection as a check failure naming the property. */
async function validateOrder(client: MegaportClient, order: VxcOrder): Promise<CheckFailure[]> {
  try {
    await client.networkDesign.validate([order]);
  } catch (error) {
    if (error instanceof MegaportApiError && error.status >= 400 && error.status < 500)
      return [rejectionFailure(error)];
    throw error;
  }
  return [];
}
