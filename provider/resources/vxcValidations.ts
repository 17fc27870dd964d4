/**
 * `POST /v3/networkdesign/validate` of a new VXC order, at check. The engine runs checks one at a
 * time (Pulumi's step generator), so a validation awaited in check costs one API round trip per
 * VXC in series: 100 VXCs at 200 ms are 20 s before the last buy can start, whatever `--parallel`
 * says (bench/RESULTS.md).
 *
 * - In a preview (and in the checks of an `up` before this process has changed anything) check
 *   awaits the validation and reports a rejection as a check failure naming the property, as ever.
 * - Once this process has created, updated or deleted something, it is running an update, not a
 *   preview (a preview never calls them): check starts the validation and returns; the create of
 *   that VXC awaits it before anything is bought, and refuses the buy with the same message when
 *   the API rejected the order. It also refuses when the validation of an order checked before it
 *   in this run was rejected, as the engine's stop at a failed check would have left it unbought.
 *
 * Either way no rejected order is bought (docs/lifecycle.md, "Create, check and preview").
 */
import type { CheckFailure } from "./checkFailures";

/** Whether this process has changed anything yet (see the module comment). */
let changing = false;

/** Every validation check started in this run, in the order of the checks. */
let started: { failures: Promise<CheckFailure[]>; resource: string }[] = [];
/** The validation of each checked order not yet awaited by its create: its index in `started`. */
const pending = new Map<string, number>();

/** Records that this process changes things: a create, update or delete was called. */
export function markChanging(): void {
  changing = true;
}

/** Whether check may leave the validation to create (this process is running an update). */
export function validationsDeferred(): boolean {
  return changing;
}

/**
 * A stable text of the checked inputs: check and create see the same inputs, maybe reordered, and
 * the engine's create also carries the serialized provider (`__provider`), which check's do not.
 */
function orderKey(inputs: Record<string, unknown>): string {
  const stable = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(stable)
      : typeof value === "object" && value !== null
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
          )
        : value;
  const { __provider: _provider, ...checked } = inputs;
  return JSON.stringify(stable(checked));
}

/** Keeps a started validation for the create of these checked inputs. */
export function deferValidation(inputs: Record<string, unknown>, failures: Promise<CheckFailure[]>): void {
  // A failure to validate at all (the network) is the create's to report, not an unhandled rejection.
  failures.catch(() => undefined);
  started.push({ failures, resource: String(inputs.resourceName ?? "a VXC") });
  pending.set(orderKey(inputs), started.length - 1);
}

/**
 * What the validation started at check says about this order (none was started: []), once it and
 * every validation checked before it have answered. Throws the validation's own error (network,
 * server); a rejection of an order checked earlier in this run is a failure of this one too.
 */
export async function deferredFailures(inputs: Record<string, unknown>): Promise<CheckFailure[]> {
  const key = orderKey(inputs);
  const index = pending.get(key);
  if (index === undefined) return [];
  pending.delete(key);
  const own = await started[index].failures;
  if (own.length > 0) return own;
  for (const earlier of started.slice(0, index)) {
    const rejected = await earlier.failures.catch((): CheckFailure[] => []);
    if (rejected.length > 0) {
      return [
        {
          property: "",
          reason: `not ordered: the order of ${earlier.resource}, checked before this one in this run, was rejected (${rejected.map((f) => f.reason).join("; ")})`,
        },
      ];
    }
  }
  return [];
}

/** Forgets the run's state, as a new provider process starts without it (tests). */
export function forgetDeferredValidations(): void {
  changing = false;
  started = [];
  pending.clear();
}
