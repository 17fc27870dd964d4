/** Shared zod building blocks for Megaport wire shapes (megaport-api.md §2). */
import { z } from "zod";

/** UIDs are non-empty strings (UUIDs on the real API; not enforced, the emulator may differ). */
export const uid = z.string().min(1);

/** Timestamps are epoch milliseconds as JSON numbers (§2). */
export const epochMs = z.number();

/** A JSON number; numeric strings are coerced because the API itself is loose about them (§2). */
export const looseNumber = z.preprocess(
  (value) =>
    typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)) ? Number(value) : value,
  z.number(),
);

/** An optional field: absent and null both become null (the API emits null for empty optionals). */
export function nullable<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value): z.output<T> | null => value ?? null);
}

/** `{start, end}` validity window in epoch ms. */
export const ValidForSchema = z.object({ start: epochMs, end: epochMs });
/** A validity window. */
export type ValidFor = z.infer<typeof ValidForSchema>;

/** The response envelope `{message, terms, data}` (§2). `data` is checked by each call's schema. */
export const EnvelopeSchema = z.object({
  message: z.string().nullish(),
  terms: z.string().nullish(),
  data: z.unknown().optional(),
});

/** Error `data`: a string, a list of `{error}`, or null (§7.1). */
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
