/**
 * Per-process bookkeeping for "nothing is lost and nothing is doubled" (design.md §4): the keys and
 * VXC uids this provider process created or adopted, and a small promise-chain mutex per product so
 * that a reconciliation after a lost answer runs only once the other creates on that product have
 * settled (and have claimed what they made).
 */

/** Keys and VXC uids created or adopted by this process: never adopted a second time. */
const claimed = new Set<string>();
/** The tail of each product's chain of creates. */
const chains = new Map<string, Promise<unknown>>();

/** Records that this process owns `id` (a key or a VXC uid). */
export function claim(id: string): void {
  claimed.add(id);
}

/** Whether this process already owns `id`. */
export function isClaimed(id: string): boolean {
  return claimed.has(id);
}

/** Runs `task` after every earlier task on `product` settled; tasks on other products run freely. */
export function withProductLock<T>(product: string, task: () => Promise<T>): Promise<T> {
  const previous = chains.get(product) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.catch(() => undefined);
  chains.set(product, tail);
  void tail.then(() => {
    if (chains.get(product) === tail) chains.delete(product);
  });
  return run;
}

/** How many times a create is sent again when reconciliation found nothing it could have made. */
export const MAX_CREATE_ATTEMPTS = 3;

/** Tolerance for clock differences between this machine and the API when matching creation times. */
export const CLOCK_SKEW_MS = 5_000;
