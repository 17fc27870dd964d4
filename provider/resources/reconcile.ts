/**
 * "Nothing is lost and nothing is doubled" (docs/architecture.md, "Principles") within one provider process:
 * the keys and VXC uids this process created or adopted, and {@link createOnce}, which sends a create and,
 * when its answer was lost, finds what it made before anything is sent again.
 *
 * Creates on one product run in parallel. A reconciliation after a lost answer waits until every
 * create already in flight on that product has settled (and claimed what it made), then runs alone;
 * creates that start meanwhile wait for it. So an unclaimed match can only be what the lost create
 * made.
 */
import { MegaportOutcomeUnknownError } from "../../sdk";
import { forgetAEnds } from "./vxcAEnds";
import { forgetDeferredValidations } from "./vxcValidations";
import { readyAfterOrder } from "./waiting";

/** Keys and VXC uids created or adopted by this process: never adopted a second time. */
const claimed = new Set<string>();
/** Creates in flight, per product (settled promises are removed). */
const inFlight = new Map<string, Set<Promise<void>>>();
/** The reconciliation running (or queued) on a product, if any. */
const reconciling = new Map<string, Promise<unknown>>();

/** Records that this process owns `id` (a key or a VXC uid). */
export function claim(id: string): void {
  claimed.add(id);
}

/** Whether this process already owns `id`. */
export function isClaimed(id: string): boolean {
  return claimed.has(id);
}

/** How many times a create is sent again when reconciliation found nothing it could have made. */
export const MAX_CREATE_ATTEMPTS = 3;

/** How long a reconciliation that found nothing waits before looking again (then the create is re-sent). */
export const SETTLE_MS = 1_000;

/** Tolerance for clock differences between this machine and the API when matching creation times. */
export const CLOCK_SKEW_MS = 5_000;

export interface CreateOnce<T> {
  /** The product the create is on (the key's product, the VXC's A-End). */
  product: string;
  /** Sends the create. */
  create: () => Promise<T>;
  /** The id to claim: the key, or the VXC uid. */
  idOf: (made: T) => string;
  /** What a lost create made: unclaimed, matching the request, made at or after `startedAt`. */
  findMade: (startedAt: number) => Promise<T | undefined>;
  /** Called when a lost create's result was found and adopted (to log it). */
  onAdopted: (made: T) => void;
}

/** Sends the create; reconciles a lost answer before anything is sent again. Never makes two. */
export async function createOnce<T>(request: CreateOnce<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const made = await tracked(request.product, request.create);
      claim(request.idOf(made));
      return made;
    } catch (error) {
      if (!(error instanceof MegaportOutcomeUnknownError)) throw error;
      const found = await alone(request.product, async () => {
        await Promise.all([...(inFlight.get(request.product) ?? [])]);
        let made = await request.findMade(error.startedAt);
        if (made === undefined) {
          // A gateway timeout can come back while the API is still committing: look once more.
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
          made = await request.findMade(error.startedAt);
        }
        if (made !== undefined) claim(request.idOf(made));
        return made;
      });
      if (found !== undefined) {
        request.onAdopted(found);
        return found;
      }
      if (attempt >= MAX_CREATE_ATTEMPTS) throw error;
    }
  }
}

/** Starts `create` once no reconciliation runs on `product`, and keeps it visible until it settles. */
async function tracked<T>(product: string, create: () => Promise<T>): Promise<T> {
  while (reconciling.has(product)) await reconciling.get(product);
  const promise = create();
  const settled = promise.then(
    () => undefined,
    () => undefined,
  );
  const creates = inFlight.get(product) ?? new Set<Promise<void>>();
  inFlight.set(product, creates);
  creates.add(settled);
  void settled.then(() => {
    creates.delete(settled);
    if (creates.size === 0 && inFlight.get(product) === creates) inFlight.delete(product);
  });
  return promise;
}

/** Runs `task` after the reconciliations queued on `product` before it: one at a time. */
function alone<T>(product: string, task: () => Promise<T>): Promise<T> {
  const previous = reconciling.get(product) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  reconciling.set(product, tail);
  void tail.then(() => {
    if (reconciling.get(product) === tail) reconciling.delete(product);
  });
  return run;
}

/**
 * Forgets every claim, the A-End look-ups shared by this run (provider/resources/vxcAEnds.ts) and
 * the run's deferred validations (provider/resources/vxcValidations.ts) and provisioning times:
 * the state of a provider process that has just started, as each `pulumi up` starts one. For tests
 * that model a second run within one process.
 */
export function forgetClaims(): void {
  claimed.clear();
  forgetAEnds();
  forgetDeferredValidations();
  readyAfterOrder.forget();
}
