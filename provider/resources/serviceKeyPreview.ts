/**
 * What the API would refuse about a ServiceKey, asked at preview (`check`) so that `pulumi preview`
 * fails before any key is made (docs/lifecycle.md, "ServiceKey"):
 *
 * - a new key: `maxSpeed` above the product's speed (a Port's `portSpeed`, an MCR's or MVE's
 *   `maxVxcSpeed`), and a single-use key's VLAN already taken on the product;
 * - an adopted key (`existingKey`): every property a key cannot change must be declared as the key
 *   has it, because adopting never rewrites a key someone else set up.
 *
 * Look-ups of a product and of its keys are shared by the checks of one `pulumi up` (one provider
 * process) for a short while, so N keys on one product cost one product and one key-list request.
 */
import {
  type ServiceKey as ApiServiceKey,
  MegaportApiError,
  type MegaportClient,
  MegaportNotFoundError,
  type Product,
} from "../../sdk";
import { type CheckFailure, failure } from "./checkFailures";

/** What these checks read of a key's checked inputs. */
export interface DeclaredKey {
  productUid: string;
  maxSpeed: number;
  singleUse: boolean;
  vlan?: number;
  preApproved: boolean;
  description?: string;
}

/** How long a product or key-list look-up is shared between the checks of one run. */
const SHARED_MS = 30_000;
const shared = new Map<string, { value: Promise<unknown>; expiresAt: number }>();

/** One look-up per `cacheKey` per {@link SHARED_MS}; a failed look-up is not kept. */
function sharedLookUp<T>(cacheKey: string, lookUp: () => Promise<T>): Promise<T> {
  const hit = shared.get(cacheKey);
  if (hit !== undefined && hit.expiresAt > Date.now()) return hit.value as Promise<T>;
  const value = lookUp();
  shared.set(cacheKey, { value, expiresAt: Date.now() + SHARED_MS });
  value.catch(() => shared.delete(cacheKey));
  return value;
}

/** Forgets every shared look-up, as a new provider process would (tests run many `up`s in one). */
export function forgetLookUps(): void {
  shared.clear();
}

/**
 * Brings the shared key list of a key's product up to date after this process made, changed or
 * deactivated the key: the key as the API answered replaces the listed one. The product look-up
 * stays: a key changes nothing the checks read of its product (speed, type, name). Dropping the
 * list instead would send every later check of the run back to the API, one request per key,
 * in series (the engine runs checks one at a time; docs/lifecycle.md, "ServiceKey").
 */
export function noteKey(account: string, key: ApiServiceKey): void {
  const cacheKey = `keys|${account}|${key.productUid}`;
  const hit = shared.get(cacheKey);
  if (hit === undefined) return;
  const value = (hit.value as Promise<ApiServiceKey[]>).then((keys) => [
    ...keys.filter((listed) => listed.key !== key.key),
    key,
  ]);
  value.catch(() => shared.delete(cacheKey));
  shared.set(cacheKey, { value, expiresAt: hit.expiresAt });
}

/** The speed a key on this product may allow at most, or null when the API does not say. */
function productSpeed(product: Product): number | null {
  return product.productType.toUpperCase() === "MEGAPORT" ? product.portSpeed : product.maxVxcSpeed;
}

/** The API's refusal of a look-up on `property`, as a check failure; other errors propagate. */
function lookUpFailure(error: unknown, property: string, notFound: string): CheckFailure {
  if (error instanceof MegaportNotFoundError) return failure(property, notFound);
  if (error instanceof MegaportApiError && error.status >= 400 && error.status < 500) {
    return failure(property, error.apiMessage);
  }
  throw error;
}

/**
 * A new key's refusals: the product exists and is the account's, `maxSpeed` is within its speed,
 * and a new single-use VLAN is free (other active keys on the product; a Port's VLAN availability).
 * `vlanIsNew` is false when the VLAN is the one the key being replaced holds (delete-first frees it).
 */
export async function newKeyFailures(
  client: MegaportClient,
  account: string,
  declared: DeclaredKey,
  vlanIsNew: boolean,
): Promise<CheckFailure[]> {
  let product: Product;
  try {
    product = await sharedLookUp(`product|${account}|${declared.productUid}`, () =>
      client.products.get(declared.productUid),
    );
  } catch (error) {
    return [lookUpFailure(error, "productUid", "no Port, MCR or MVE with this UID in this account")];
  }
  const failures: CheckFailure[] = [];
  const speed = productSpeed(product);
  if (speed !== null && declared.maxSpeed > speed) {
    failures.push(
      failure("maxSpeed", `${declared.maxSpeed} exceeds the ${product.productType} speed of ${speed} Mbps`),
    );
  }
  if (declared.singleUse && declared.vlan !== undefined && vlanIsNew) {
    const vlan = declared.vlan;
    const keys = await sharedLookUp(`keys|${account}|${declared.productUid}`, () =>
      client.serviceKeys.list({ productIdOrUid: declared.productUid }),
    );
    const heldByKey = keys.some((key) => key.active && key.singleUse && key.vlan === vlan);
    const takenOnPort =
      !heldByKey &&
      product.productType.toUpperCase() === "MEGAPORT" &&
      !(await client.products.portVlanAvailable(declared.productUid, vlan));
    if (heldByKey || takenOnPort) {
      const holder = heldByKey ? "by an active single-use key" : "by a connection";
      failures.push(
        failure(
          "vlan",
          `VLAN ${vlan} is already in use on ${product.productName ?? declared.productUid} (${holder}); choose a free VLAN. If it is this resource's own key (pulumi up --replace), change a replace-only property instead, such as description: that replace deactivates the old key first`,
        ),
      );
    }
  }
  return failures;
}

/** The value the API reports for each property a key cannot change, as inputs would declare it. */
export function replaceOnlyValues(key: ApiServiceKey): DeclaredKey {
  return {
    productUid: key.productUid,
    maxSpeed: key.maxSpeed,
    singleUse: key.singleUse,
    vlan: key.vlan ?? undefined,
    preApproved: key.preApproved ?? false,
    description: key.description ?? undefined,
  };
}

/**
 * How a key differs from what adopting it declares: each property a key cannot change must be
 * declared as the key has it (the reason gives the value to declare). Adopting never rewrites a key.
 */
export function adoptionMismatches(key: ApiServiceKey, declared: DeclaredKey): CheckFailure[] {
  const actual = replaceOnlyValues(key);
  return (Object.keys(actual) as (keyof DeclaredKey)[])
    .filter((property) => (actual[property] ?? null) !== (declared[property] ?? null))
    .map((property) =>
      failure(
        property,
        `the existing key has ${property} ${JSON.stringify(actual[property] ?? null)}, which a key cannot change: declare that value to adopt it, or remove existingKey to create a new key`,
      ),
    );
}

/** An adoption's refusals at preview: the key exists and {@link adoptionMismatches} finds nothing. */
export async function adoptionFailures(
  client: MegaportClient,
  account: string,
  existingKey: string,
  declared: DeclaredKey,
): Promise<CheckFailure[]> {
  let key: ApiServiceKey;
  try {
    key = await client.serviceKeys.get(existingKey);
  } catch (error) {
    return [lookUpFailure(error, "existingKey", "no such service key")];
  }
  // Anyone can look a key up; only the owner of its product can manage it.
  try {
    await sharedLookUp(`product|${account}|${key.productUid}`, () => client.products.get(key.productUid));
  } catch (error) {
    if (error instanceof MegaportApiError && error.status >= 400 && error.status < 500) {
      return [failure("existingKey", NOT_THE_OWNER)];
    }
    throw error;
  }
  return adoptionMismatches(key, declared);
}

/** Why a key of another company's product cannot be adopted. */
export const NOT_THE_OWNER =
  "the service key belongs to a product of another company: only the key's owner can adopt (and deactivate) it";
