/**
 * Typed errors of the Megaport client. Every error has a stable `code` (like undici's errors) so
 * callers can branch on `err.code` instead of parsing messages. Messages never contain the secret
 * key, a bearer token or a service key: they are built from redacted paths and scrubbed texts.
 */

/** Base class of every error thrown by the SDK. */
export class MegaportError extends Error {
  /** Stable machine-readable code, e.g. `ERR_MEGAPORT_API`. */
  readonly code: string;

  /** `code` is the stable error code; `cause` keeps the underlying error. */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Invalid client options at construction; the message names the offending field. */
export class MegaportConfigError extends MegaportError {
  /** `message` names the offending option and the rule. */
  constructor(message: string) {
    super("ERR_MEGAPORT_CONFIG", message);
  }
}

/**
 * The token endpoint refused the credentials (or answered something unusable). The message names
 * the credentials (the client's `label` and `credentialSource`), the token URL and its environment,
 * and that an API key works only in the environment where it was created; never the key or secret.
 */
export class MegaportAuthError extends MegaportError {
  /** HTTP status of the token response, when there was one. */
  readonly status: number | undefined;

  /** `status` is the token endpoint's HTTP status, when there was an answer. */
  constructor(message: string, status?: number) {
    super("ERR_MEGAPORT_AUTH", message);
    this.status = status;
  }
}

/**
 * `data` of an API error envelope: a string, a list of `{error}` objects, or null
 * (docs/megaport-api.md, "Error shape").
 */
export type MegaportApiErrorData = string | { error: string }[] | null;

/** Fields of a {@link MegaportApiError}. */
export interface MegaportApiErrorDetails {
  status: number;
  method: string;
  /** Redacted request path (no service keys). */
  path: string;
  apiMessage: string;
  data: MegaportApiErrorData;
  traceId: string | null;
}

/** Joins the texts of an error `data` (string or `{error}[]`) for messages. */
export function errorDataText(data: MegaportApiErrorData): string {
  if (data === null) return "";
  if (typeof data === "string") return data;
  return data.map((item) => item.error).join("; ");
}

/** The API answered with a non-2xx status (after any retries). */
export class MegaportApiError extends MegaportError {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly apiMessage: string;
  readonly data: MegaportApiErrorData;
  readonly traceId: string | null;

  /** Builds the message from the redacted request and the API's answer. */
  constructor(details: MegaportApiErrorDetails, code = "ERR_MEGAPORT_API") {
    const dataText = errorDataText(details.data);
    const text = [details.apiMessage, dataText].filter((part) => part !== "").join(": ");
    super(code, `${details.method} ${details.path}: ${details.status}${text === "" ? "" : ` ${text}`}`);
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.apiMessage = details.apiMessage;
    this.data = details.data;
    this.traceId = details.traceId;
  }
}

/**
 * 403 on a call that changes something (create, update, order, approve, cancel). Its message names
 * the credentials, what the call would have changed, and that changes need a Company Admin API key:
 * a Read Only key can read and validate, not change anything (docs/api-keys.md).
 */
export class MegaportForbiddenError extends MegaportApiError {
  /** What the refused call would have changed, e.g. "create a service key". */
  readonly change: string;

  /** `change` is what the refused call would have changed, e.g. "create a service key". */
  constructor(details: MegaportApiErrorDetails, change: string, message: string) {
    super(details, "ERR_MEGAPORT_FORBIDDEN");
    this.change = change;
    this.message = message;
  }
}

/** 404, or the legacy 400 "Could not find a service with UID" (docs/megaport-api.md, "Not found"). */
export class MegaportNotFoundError extends MegaportApiError {
  /** Built from a 404, or from a 400 whose message says the service was not found. */
  constructor(details: MegaportApiErrorDetails) {
    super(details, "ERR_MEGAPORT_NOT_FOUND");
  }
}

/** A response body that is not JSON or does not match the expected schema. */
export class MegaportResponseError extends MegaportError {
  readonly method: string;
  readonly path: string;

  /** `path` is redacted; `detail` says what was wrong with the answer. */
  constructor(method: string, path: string, detail: string) {
    super("ERR_MEGAPORT_INVALID_RESPONSE", `${method} ${path}: unexpected response: ${detail}`);
    this.method = method;
    this.path = path;
  }
}

/** Network failures (refused, reset, timeouts) that outlasted every retry. */
export class MegaportNetworkError extends MegaportError {
  readonly method: string;
  readonly path: string;
  /** The underlying error code, e.g. `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`. */
  readonly causeCode: string;
  readonly attempts: number;

  /** `causeCode` is the network error code of the last attempt; `attempts` counts every try. */
  constructor(method: string, path: string, causeCode: string, detail: string, attempts: number) {
    super(
      "ERR_MEGAPORT_NETWORK",
      `${method} ${path}: ${detail} (${causeCode}) after ${attempts} attempt${attempts === 1 ? "" : "s"}`,
    );
    this.method = method;
    this.path = path;
    this.causeCode = causeCode;
    this.attempts = attempts;
  }
}

/**
 * A create (service key create, network-design buy) may or may not have happened: the request may
 * have reached the server but its answer was lost. It is never re-sent blindly; the caller must
 * reconcile (e.g. list keys created since `startedAt`).
 */
export class MegaportOutcomeUnknownError extends MegaportError {
  readonly method: string;
  readonly path: string;
  /** Epoch ms taken before the (last) request was sent. */
  readonly startedAt: number;

  /** `startedAt` is when the request was first sent (epoch ms), to match what it may have made. */
  constructor(method: string, path: string, startedAt: number, detail: string) {
    super(
      "ERR_MEGAPORT_OUTCOME_UNKNOWN",
      `${method} ${path}: outcome unknown (${detail}); the request may have been applied, reconcile before retrying`,
    );
    this.method = method;
    this.path = path;
    this.startedAt = startedAt;
  }
}

/** `waitFor` ran out of time; `lastSeen` is the last value observed (if any). */
export class MegaportTimeoutError<T = unknown> extends MegaportError {
  readonly lastSeen: T | undefined;

  /** `lastSeen` is the last state read before the deadline passed. */
  constructor(message: string, lastSeen: T | undefined) {
    super("ERR_MEGAPORT_TIMEOUT", message);
    this.lastSeen = lastSeen;
  }
}
