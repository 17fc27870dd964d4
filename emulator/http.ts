/**
 * HTTP building blocks shared by the routes: the response envelope, the typed API error, the reply
 * type and zod helpers for the API's lenient JSON (numeric strings, nulls for absent fields).
 */
import { z } from "zod";

/** The `terms` text of every envelope (docs/megaport-api.md, "Conventions"). */
export const TERMS =
  "This data is subject to the Acceptable Use Policy https://www.megaport.com/legal/acceptable-use-policy";

/** What a route handler answers; the server serialises it. */
export interface Reply {
  status: number;
  /** Serialised as JSON; undefined = empty body. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Stable codes of {@link ApiError}. */
export type ApiErrorCode =
  | "BAD_REQUEST"
  | "VALIDATION_FAILED"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "PAYLOAD_TOO_LARGE";

const STATUS_OF: Record<ApiErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
};

/**
 * An error answered in the API envelope `{message, terms, data}` with a string `data`, the shape
 * that gives Go clients the cleanest messages (docs/megaport-api.md, "Error shape").
 */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly data: string | null = null,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = STATUS_OF[code];
  }
}

/**
 * `400 Validation failed` with a string reason, the documented shape
 * (docs/megaport-api.md, "Known error texts").
 */
export function validationFailed(reason: string): ApiError {
  return new ApiError("VALIDATION_FAILED", "Validation failed", reason);
}

/**
 * Not found; the message also satisfies the legacy "Could not find a service with UID" check
 * (docs/megaport-api.md, "Not found").
 */
export function productNotFound(uid: string): ApiError {
  return new ApiError("NOT_FOUND", `Could not find a service with UID ${uid}`, `Product ${uid} not found`);
}

/** A success envelope. */
export function ok(message: string, data?: unknown, headers?: Record<string, string>): Reply {
  const body: Record<string, unknown> = { message, terms: TERMS };
  if (data !== undefined) body.data = data;
  return { status: 200, body, headers };
}

/** The error envelope for an {@link ApiError}. */
export function errorReply(error: ApiError): Reply {
  return { status: error.status, body: { message: error.message, terms: TERMS, data: error.data } };
}

/** Turns zod issues into one readable reason naming the fields, e.g. "maxSpeed: expected number". */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`)
    .join("; ");
}

/** Parses a request body with a schema, or throws `400 Validation failed` naming the bad fields. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw validationFailed(describeZodError(result.error));
  return result.data;
}

/** The API coerces numeric strings such as `"maxSpeed":"500"` (docs/megaport-api.md, "Conventions"). */
function coerceNumeric(value: unknown): unknown {
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return value;
}

/** An integer that may arrive as a numeric string; null is treated as absent. */
export const lenientInt = () =>
  z.preprocess((v) => (v === null ? undefined : coerceNumeric(v)), z.number().int().optional());

/** A boolean that may arrive as "true"/"false"; null is treated as absent. */
export const lenientBool = () =>
  z.preprocess(
    (v) => (v === null ? undefined : v === "true" ? true : v === "false" ? false : v),
    z.boolean().optional(),
  );

/** A string where null is treated as absent. */
export const lenientString = () => z.preprocess((v) => (v === null ? undefined : v), z.string().optional());
