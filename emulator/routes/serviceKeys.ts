/**
 * Service keys: `GET|POST|PUT /v2/service/key` (docs/megaport-api.md, "Service keys"). There is no DELETE.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  ApiError,
  lenientBool,
  lenientInt,
  lenientString,
  ok,
  parseBody,
  productNotFound,
  validationFailed,
} from "../http";
import type { Product, ServiceKey } from "../model";
import { type RequestContext, route } from "../router";
import { MAX_VLAN, MIN_VLAN, type Store } from "../store";
import { serviceKeyView } from "../views";

/** Default end of a key's window when none is given: "far future" (2099-12-31). */
const FAR_FUTURE = 4102444799000;

const ValidForSchema = z.object({ start: lenientInt(), end: lenientInt() });

// zod objects strip unknown keys, so megaportgo's stray capital-V `ValidFor` is ignored and never
// clobbers `validFor` (keys are case-sensitive; docs/megaport-api.md, "Create").
const CreateKeySchema = z.object({
  productUid: lenientString(),
  productId: lenientInt(),
  singleUse: lenientBool(),
  maxSpeed: lenientInt(),
  vlan: lenientInt(),
  active: lenientBool(),
  preApproved: lenientBool(),
  description: lenientString(),
  validFor: ValidForSchema.nullish(),
  promoCode: lenientString(),
});

const UpdateKeySchema = CreateKeySchema.extend({ key: z.string().min(1) });

/** Only the first 8 characters appear in messages: the key is a secret. */
const keyLabel = (key: string) => key.slice(0, 8);

function resolveProduct(store: Store, caller: string, productUid?: string, productId?: number): Product {
  if (productUid === undefined && productId === undefined)
    throw validationFailed("productUid or productId is required");
  const byUid = productUid === undefined ? undefined : store.findProduct(productUid);
  const byId =
    productId === undefined ? undefined : store.state.products.find((p) => p.productId === productId);
  if (productUid !== undefined && byUid === undefined) throw productNotFound(productUid);
  if (productId !== undefined && byId === undefined) throw productNotFound(String(productId));
  if (byUid !== undefined && byId !== undefined && byUid !== byId) {
    throw validationFailed(`productUid ${productUid} and productId ${productId} name different products`);
  }
  const product = (byUid ?? byId) as Product;
  return store.ownProduct(product.productUid, caller);
}

function checkMaxSpeed(store: Store, product: Product, maxSpeed: number | undefined): number {
  const speed = store.productSpeed(product);
  // Go sends 0 when unset; the API normalises it to the product speed (inferred,
  // docs/megaport-api.md, "Key rules").
  if (maxSpeed === undefined || maxSpeed === 0) return speed;
  if (maxSpeed < 1 || maxSpeed > speed) {
    throw validationFailed(
      `maxSpeed ${maxSpeed} must be between 1 and the ${product.productType} speed of ${speed} Mbps`,
    );
  }
  return maxSpeed;
}

/**
 * Single-use keys need a free VLAN 2-4093 on the product; multi-use keys take none
 * (docs/megaport-api.md, "Key rules").
 */
function checkVlan(
  store: Store,
  product: Product,
  singleUse: boolean,
  vlan: number | undefined,
  key?: string,
) {
  const given = vlan !== undefined && vlan !== 0 ? vlan : undefined;
  if (!singleUse) {
    if (given !== undefined) throw validationFailed("A VLAN can only be set on a single-use service key");
    return null;
  }
  if (given === undefined) throw validationFailed("A VLAN is required for a single-use service key");
  if (given < MIN_VLAN || given > MAX_VLAN)
    throw validationFailed(`VLAN ${given} is out of range (${MIN_VLAN}-${MAX_VLAN})`);
  if (!store.vlanFree(product.productUid, given, { serviceKey: key })) {
    throw validationFailed(store.vlanUnavailable(given, product));
  }
  return given;
}

function checkValidFor(validFor: { start?: number; end?: number }, now: number) {
  const start = validFor.start ?? now;
  const end = validFor.end ?? FAR_FUTURE;
  if (end <= start) throw validationFailed(`validFor.end (${end}) must be after validFor.start (${start})`);
  return { start, end };
}

function createKey(ctx: RequestContext) {
  const caller = ctx.caller();
  const body = parseBody(CreateKeySchema, ctx.json());
  const product = resolveProduct(ctx.store, caller, body.productUid, body.productId);
  const singleUse = body.singleUse ?? false;
  const key: ServiceKey = {
    key: randomUUID(),
    createDate: ctx.store.now(),
    companyUid: caller,
    productUid: product.productUid,
    description: body.description ?? null,
    vlan: checkVlan(ctx.store, product, singleUse, body.vlan),
    maxSpeed: checkMaxSpeed(ctx.store, product, body.maxSpeed),
    preApproved: body.preApproved ?? false,
    singleUse,
    lastUsed: null,
    // An omitted `active` defaults to true (observed on staging, docs/megaport-api.md, "Create").
    active: body.active ?? true,
    validFor: checkValidFor(body.validFor ?? {}, ctx.store.now()),
    promoCode: body.promoCode ?? null,
    consumedByVxcUid: null,
  };
  ctx.store.state.serviceKeys.push(key);
  return ok(`New service key [${keyLabel(key.key)}] generated`, serviceKeyView(ctx.store, key, caller));
}

/**
 * Replace semantics (docs/megaport-api.md, "Update", observed on staging): description → null, maxSpeed →
 * product speed, vlan → null unless single-use and given, preApproved → null when omitted;
 * singleUse and active as sent (absent = false); validFor kept when omitted.
 */
function updateKey(ctx: RequestContext) {
  const caller = ctx.caller();
  const body = parseBody(UpdateKeySchema, ctx.json());
  const key = ctx.store.findKey(body.key);
  if (key === undefined)
    throw new ApiError("NOT_FOUND", "Service key not found", "No service key matches the given key");
  if (key.companyUid !== caller) {
    throw new ApiError(
      "FORBIDDEN",
      "You do not have permission to update this service key",
      "Only the key owner can update it",
    );
  }
  if (body.productUid !== undefined || body.productId !== undefined) {
    const product = resolveProduct(ctx.store, caller, body.productUid, body.productId);
    if (product.productUid !== key.productUid)
      throw validationFailed("A service key cannot be moved to another product");
  }
  const product = ctx.store.findProduct(key.productUid);
  if (product === undefined) throw productNotFound(key.productUid);
  const singleUse = body.singleUse ?? false;
  const vlan =
    singleUse && body.vlan !== undefined && body.vlan !== 0
      ? checkVlan(ctx.store, product, true, body.vlan, key.key)
      : null;
  const maxSpeed = checkMaxSpeed(ctx.store, product, body.maxSpeed);
  const validFor = body.validFor == null ? key.validFor : checkValidFor(body.validFor, ctx.store.now());
  // All checks passed: commit.
  key.description = body.description ?? null;
  key.maxSpeed = maxSpeed;
  key.vlan = vlan;
  key.preApproved = body.preApproved ?? null;
  key.singleUse = singleUse;
  key.active = body.active ?? false;
  key.validFor = validFor;
  return ok(`Service key [${keyLabel(key.key)}] updated`, serviceKeyView(ctx.store, key, caller));
}

/**
 * `?key=` full key or its first 8 characters; any company may look a key up
 * (docs/megaport-api.md, "Looking a key up").
 */
function lookUpKey(store: Store, input: string): ServiceKey {
  const wanted = input.trim().toLowerCase();
  const key =
    wanted.length === 8
      ? store.state.serviceKeys.find((k) => k.key.toLowerCase().startsWith(wanted))
      : store.state.serviceKeys.find((k) => k.key.toLowerCase() === wanted);
  if (key === undefined)
    throw new ApiError("NOT_FOUND", "Service key not found", "No service key matches the given key");
  return key;
}

function getKeys(ctx: RequestContext) {
  const caller = ctx.caller();
  const store = ctx.store;
  if (ctx.query.key !== undefined) {
    const key = lookUpKey(store, ctx.query.key);
    return ok(`Found service key [${keyLabel(ctx.query.key)}]`, serviceKeyView(store, key, caller));
  }
  let keys = store.state.serviceKeys.filter((k) => k.companyUid === caller);
  if (ctx.query.productIdOrUid !== undefined) {
    const product = store.ownProduct(ctx.query.productIdOrUid, caller);
    keys = keys.filter((k) => k.productUid === product.productUid);
  }
  if (ctx.query.companyIdOrUid !== undefined) {
    const company = store.companyByIdOrUid(ctx.query.companyIdOrUid);
    if (company === undefined)
      throw new ApiError("NOT_FOUND", "Company not found", `Company ${ctx.query.companyIdOrUid}`);
    if (company.companyUid !== caller) {
      throw new ApiError(
        "FORBIDDEN",
        "You do not have permission to list this company's service keys",
        company.companyName,
      );
    }
  }
  const company = store.company(caller);
  return ok(
    `Found [${keys.length}] service keys for company [${company.companyId}]`,
    keys.map((k) => serviceKeyView(store, k, caller)),
  );
}

/** Legacy `GET /v2/service/key/validate?key=` → boolean `data` (Java client). */
function validateKey(ctx: RequestContext) {
  ctx.caller();
  const input = ctx.query.key ?? "";
  const key = ctx.store.state.serviceKeys.find((k) => k.key === input);
  return ok("Service key validated", key !== undefined && ctx.store.keyValid(key));
}

export const serviceKeyRoutes = [
  route("GET", "/v2/service/key", getKeys),
  route("POST", "/v2/service/key", createKey),
  route("PUT", "/v2/service/key", updateKey),
  route("GET", "/v2/service/key/validate", validateKey),
];
