/**
 * A-End look-ups (`GET /v2/product/{uid}`) shared by the checks and creates of one provider process
 * (one `pulumi up`): N VXCs on one A-End cost one look-up, not one per check and one per create,
 * each in series (the engine runs checks one at a time) and each parsing the A-End's growing list
 * of VXCs. Concurrent look-ups of one A-End share one request.
 *
 * What is read from the answer: the A-End's product type (it never changes) and the VXCs on it, by
 * which `ownOrders` finds the orders of this resource placed before this process started (an
 * interrupted run's order, the VXC a replacement replaces; docs/lifecycle.md, "Replacing"). An
 * answer taken after the process started holds every such order; what this process orders later
 * it has claimed, and ownOrders skips claimed VXCs. What this process changes on an A-End's VXCs
 * otherwise (a cancel, a new name, a vNIC move) drops the A-End's answer ({@link forgetAEnd}). The
 * reconciliation after a lost buy answer does not use this: it reads the A-End afresh.
 */
import type { MegaportClient, Product } from "../../sdk";

/** How long an A-End's answer is shared. */
const SHARED_MS = 30_000;

let shared = new WeakMap<MegaportClient, Map<string, { value: Promise<Product>; expiresAt: number }>>();

/** The A-End's product as the API answered it this run; failed look-ups are not kept. */
export function lookUpAEnd(client: MegaportClient, uid: string): Promise<Product> {
  let byUid = shared.get(client);
  if (byUid === undefined) {
    byUid = new Map();
    shared.set(client, byUid);
  }
  const hit = byUid.get(uid);
  if (hit !== undefined && hit.expiresAt > Date.now()) return hit.value;
  const value = client.products.get(uid);
  const entry = { value, expiresAt: Date.now() + SHARED_MS };
  byUid.set(uid, entry);
  value.catch(() => {
    if (byUid.get(uid) === entry) byUid.delete(uid);
  });
  return value;
}

/** Drops an A-End's shared answer: this process changed a VXC on it. */
export function forgetAEnd(client: MegaportClient, uid: string | undefined): void {
  if (uid !== undefined) shared.get(client)?.delete(uid);
}

/** Drops every shared answer, as a new provider process starts without them (tests). */
export function forgetAEnds(): void {
  shared = new WeakMap();
}
