/**
 * Diff helpers shared by the three resources. A diff compares the old OUTPUTS (state) with the new
 * checked INPUTS, only on the properties the resource owns, never `__provider`
 * (docs/architecture.md, "Diff").
 */
import { containsUnknown } from "./checkFailures";

/** The shape `dynamic.DiffResult` has (only what the Node host forwards). */
export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace?: boolean;
}

/** JSON text with object keys sorted, so that equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return item;
    const entries = Object.entries(item as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries);
  });
}

/** Compares one property; an unknown new value (preview) always counts as a change. */
export function propertyChanged(oldValue: unknown, newValue: unknown): boolean {
  if (containsUnknown(newValue)) return true;
  return canonical(oldValue ?? null) !== canonical(newValue ?? null);
}

/**
 * Builds a diff from the changed properties: `replaceOnly` ones force a replacement, `inPlace`
 * ones are updates. Properties in neither list (e.g. `account`, `resourceName`) are no change.
 */
export function diffProperties(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  replaceOnly: readonly string[],
  inPlace: readonly string[],
  changed: (property: string) => boolean = (property) => propertyChanged(olds[property], news[property]),
): DiffResult {
  const replaces = replaceOnly.filter(changed);
  return { changes: replaces.length > 0 || inPlace.some(changed), replaces };
}
