/**
 * Shared zod building blocks for Megaport wire shapes (docs/megaport-api.md, "Conventions"). How loose each
 * one is, and why, is in docs/megaport-api-variance.md: fields the code reads are parsed as loosely as
 * megaportgo decodes them (or looser); fields nothing reads never fail a parse.
 */
import { z } from "zod";

/** UIDs are non-empty strings (UUIDs on the real API; not enforced, the emulator may differ). */
export const uid = z.string().min(1);

function numericString(value: unknown): unknown {
  return typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)) ? Number(value) : value;
}

/**
 * A JSON number; numeric strings are coerced because the API itself is loose about them
 * (docs/megaport-api.md, "Conventions").
 */
export const looseNumber = z.preprocess(numericString, z.number());

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A timestamp as epoch milliseconds. The API sends JSON numbers (megaportgo's `Time` decodes
 * nothing else); a numeric string or an ISO-8601 date string is accepted too, as some Megaport
 * answers carry dates as strings (docs/megaport-api-variance.md).
 */
export const epochMs = z.preprocess((value) => {
  if (typeof value === "string" && ISO_DATE.test(value.trim())) {
    const ms = Date.parse(value.trim());
    return Number.isNaN(ms) ? value : ms;
  }
  return numericString(value);
}, z.number());

/** An optional field: absent and null both become null (the API emits null for empty optionals). */
export function nullable<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value): z.output<T> | null => value ?? null);
}

/**
 * A field that no code of this package reads: any variation of it (another type, null, absent)
 * parses as null instead of failing the whole answer (docs/megaport-api-variance.md).
 */
export function informational<T extends z.ZodType>(schema: T) {
  return nullable(schema).catch(null);
}

/** A list where null or absent means empty (Go clients decode JSON null as an empty slice). */
export function looseArray<T extends z.ZodType>(schema: T) {
  return z
    .array(schema)
    .nullish()
    .transform((value): z.output<T>[] => value ?? []);
}

/** `{start, end}` validity window in epoch ms. */
export const ValidForSchema = z.object({ start: epochMs, end: epochMs });
/** A validity window. */
export type ValidFor = z.infer<typeof ValidForSchema>;

/**
 * The response envelope `{message, terms, data}` (docs/megaport-api.md, "Conventions"). `data` is checked by
 * each call's schema.
 */
export const EnvelopeSchema = z.object({
  message: z.string().nullish(),
  terms: z.string().nullish(),
  data: z.unknown().optional(),
});

/** Error `data`: a string, a list of `{error}`, or null (docs/megaport-api.md, "Error shape"). */
export const ErrorDataSchema = z.union([z.string(), z.array(z.object({ error: z.string() }))]).nullish();

/**
 * Formats zod issues as `field.path: problem`. zod's messages describe expectations, not the
 * offending values, so no key or secret ends up in the text.
 */
export function formatIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const fieldPath = [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".");
      return `${fieldPath || "(root)"}: ${issue.message}`;
    })
    .join("; ");
}
