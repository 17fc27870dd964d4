/** Argument checks shared by the API area modules. */

/** Throws a TypeError naming `field` unless `value` is a non-empty string (never echoes it). */
export function requireNonEmpty(field: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`${field}: must be a non-empty string`);
  }
  return value;
}
