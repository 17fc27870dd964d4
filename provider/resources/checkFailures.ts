/**
 * Input checking shared by the three resources: the preview-time unknown-value guard, zod issues
 * turned into Pulumi check failures, and the plain-JSON rule for everything a provider returns.
 *
 * The only top-level import is zod's types; at run time this module is loaded by the
 * implementation inside the provider process, never serialized
 * (docs/architecture.md, "The thin serialized shim").
 */
import type { z } from "zod";

/**
 * The value Pulumi puts in place of any input that is not known yet during preview, whatever the
 * input's type (docs/architecture.md, "Check failures").
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `value` is, or contains at any depth, the preview-time unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

/** A Pulumi check failure (the shape `dynamic.CheckFailure` has). */
export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * Inputs whose values are secret. The engine prints the value of a failing property
 * (`property serviceKey value {…} has a problem`), so their failures leave `property` empty and
 * name the input in the reason only.
 */
const SECRET_INPUTS = new Set(["serviceKey", "existingKey"]);

/** A failure whose reason starts with the property, so the engine's message reads on its own. */
export function failure(property: string, message: string): CheckFailure {
  const reason = property === "" ? message : `${property}: ${message}`;
  return { property: SECRET_INPUTS.has(property.split(".")[0] ?? "") ? "" : property, reason };
}

/** zod issues → check failures; `prefix` is the input property the issues were found under. */
export function issuesToFailures(issues: readonly z.core.$ZodIssue[], prefix: string): CheckFailure[] {
  return issues.map((issue) => {
    const property = [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".");
    return failure(property, issue.message);
  });
}

/** Whether an input property is known (not the preview sentinel) in the inputs being checked. */
export type IsKnown = (property: string) => boolean;

/** The outcome of checking a resource's inputs. */
export interface CheckedInputs {
  /** The inputs with defaults applied; unknown values are passed through untouched. */
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}

/**
 * Validates inputs against a zod object schema property by property, so that a value unknown at
 * preview skips only its own rules: every unknown property is passed through as is and every known
 * one is parsed (defaults applied). Cross-property `rules` run on the assembled values once every
 * property parsed, and are told which properties are known.
 */
export function checkAgainstSchema(
  fields: z.ZodObject,
  news: Record<string, unknown>,
  rules: (values: Record<string, unknown>, isKnown: IsKnown) => CheckFailure[],
): CheckedInputs {
  const unknown = new Set(Object.keys(news).filter((key) => containsUnknown(news[key])));
  const isKnown: IsKnown = (property) => !unknown.has(property);
  const inputs: Record<string, unknown> = {};
  const failures: CheckFailure[] = [];
  const shape = fields.shape as Record<string, z.ZodType>;
  for (const [key, schema] of Object.entries(shape)) {
    if (unknown.has(key)) {
      inputs[key] = news[key];
      continue;
    }
    const parsed = schema.safeParse(news[key]);
    if (parsed.success) {
      if (parsed.data !== undefined) inputs[key] = parsed.data;
    } else {
      failures.push(...issuesToFailures(parsed.error.issues, key));
    }
  }
  for (const key of Object.keys(news)) {
    if (!(key in shape) && key !== "__provider") {
      failures.push(failure(key, "is not an input of this resource"));
    }
  }
  if (failures.length === 0) failures.push(...rules(inputs, isKnown));
  return { inputs: toPlainJson(inputs), failures };
}

/**
 * A deep copy that is plain JSON: no `undefined` (anywhere), no Date (becomes its ISO string), no
 * class instances. Every result handed back to the Pulumi host goes through this, because an
 * `undefined` value makes the host fail with "Unexpected struct type"
 * (docs/architecture.md, "Plain JSON results").
 */
export function toPlainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The values of a resource's inputs found in `values` (its outputs, or its declared inputs): what
 * `read` reports as the refreshed inputs, and the input part of the outputs.
 */
export function inputsAmong(schema: z.ZodObject, values: object): Record<string, unknown> {
  const record = values as Record<string, unknown>;
  return toPlainJson(
    Object.fromEntries(
      Object.keys(schema.shape)
        .filter((key) => record[key] !== undefined)
        .map((key) => [key, record[key]]),
    ),
  );
}
