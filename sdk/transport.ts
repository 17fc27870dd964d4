/**
 * Authenticated JSON calls: bearer token (refreshed once on a 401), the `{message, terms, data}`
 * envelope, error mapping (docs/megaport-api.md, "Errors") and schema validation of `data`.
 */
import type { z } from "zod";
import {
  errorDataText,
  MegaportApiError,
  type MegaportApiErrorData,
  MegaportForbiddenError,
  MegaportNotFoundError,
  MegaportOutcomeUnknownError,
  MegaportResponseError,
} from "./errors";
import type { HttpPipeline, HttpResponse, Redactor, RequestKind } from "./http";
import { EnvelopeSchema, ErrorDataSchema, formatIssues } from "./schemas/common";
import type { TokenSource } from "./tokens";

/** One API call. */
export interface ApiCall {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path below the base URL, starting with `/`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Default `safe`. */
  kind?: RequestKind;
  retryStatus?: (status: number, bodyText: string) => boolean;
  /**
   * What the call changes, e.g. "create a service key": set on every call that changes something,
   * so that a 403 says a Company Admin key is needed (docs/api-keys.md).
   */
  change?: string;
}

/** A successful call: the envelope's message and data, and the response headers. */
export interface ApiResult {
  message: string | null;
  data: unknown;
  headers: HttpResponse["headers"];
}

/** Legacy not-found text (docs/megaport-api.md, "Not found"). */
const LEGACY_NOT_FOUND = /could not find a service with uid/i;

/** Sends authenticated calls to one Megaport API base URL. */
export class ApiTransport {
  constructor(
    private readonly http: HttpPipeline,
    private readonly tokens: TokenSource,
    private readonly baseUrl: string,
    /** Registers and scrubs secrets. */
    readonly redactor: Redactor,
  ) {}

  /** Sends the call; a non-2xx answer throws a typed {@link MegaportApiError}. */
  async send(call: ApiCall): Promise<ApiResult> {
    const url = new URL(this.baseUrl + call.path);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const attempt = async (token: string) =>
      this.http.send({
        method: call.method,
        url,
        kind: call.kind ?? "safe",
        retryStatus: call.retryStatus,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body,
      });
    let token = await this.tokens.getToken();
    let response = await attempt(token);
    this.tokens.observeServerDate(response.headers.date);
    if (response.status === 401) {
      // The token was revoked early (expiry is foreseen, tokens.ts): refresh once, try once more
      // (docs/megaport-api.md, "Environments and tokens").
      this.tokens.invalidate(token);
      token = await this.tokens.getToken();
      response = await attempt(token);
      this.tokens.observeServerDate(response.headers.date);
    }
    // Scrubbed only for an error: the happy path shows no path.
    const displayPath = () => this.http.displayPath(url);
    if (response.status < 200 || response.status >= 300) {
      throw this.apiError(call.method, displayPath(), response, call.change);
    }
    if (response.bodyText.trim() === "") return { message: null, data: undefined, headers: response.headers };
    let json: unknown;
    try {
      json = JSON.parse(response.bodyText);
    } catch {
      throw new MegaportResponseError(call.method, displayPath(), "body is not JSON");
    }
    const envelope = EnvelopeSchema.safeParse(json);
    if (!envelope.success) {
      throw new MegaportResponseError(call.method, displayPath(), formatIssues(envelope.error, ""));
    }
    return { message: envelope.data.message ?? null, data: envelope.data.data, headers: response.headers };
  }

  /**
   * Sends the call and validates `data` against `schema`. A create that the API answered 2xx was
   * applied, whatever the answer looks like: when the answer cannot be read, the caller must
   * reconcile as after a lost answer, so that is what it is told.
   */
  async call<S extends z.ZodType>(call: ApiCall, schema: S): Promise<z.output<S>> {
    const startedAt = Date.now();
    try {
      const result = await this.send(call);
      return this.parse(call.method, call.path, result.data, schema);
    } catch (error) {
      if (call.kind !== "create" || !(error instanceof MegaportResponseError)) throw error;
      throw new MegaportOutcomeUnknownError(
        call.method,
        this.redactor.scrub(call.path),
        startedAt,
        `the answer could not be read: ${error.message}`,
      );
    }
  }

  /** Validates `data`; failures name the field path, never the value. */
  parse<S extends z.ZodType>(method: string, path: string, data: unknown, schema: S): z.output<S> {
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new MegaportResponseError(
        method,
        this.redactor.scrub(path),
        this.redactor.scrub(formatIssues(parsed.error, "data")),
      );
    }
    return parsed.data;
  }

  private apiError(
    method: string,
    displayPath: string,
    response: HttpResponse,
    change: string | undefined,
  ): MegaportApiError {
    let json: unknown;
    try {
      json = JSON.parse(response.bodyText);
    } catch {
      json = undefined;
    }
    const record = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
    const rawMessage =
      typeof record.message === "string"
        ? record.message
        : typeof record.error === "string"
          ? record.error
          : json === undefined
            ? response.bodyText.slice(0, 200)
            : "";
    const parsedData = ErrorDataSchema.safeParse(record.data);
    const rawData: MegaportApiErrorData = parsedData.success ? (parsedData.data ?? null) : null;
    const scrub = (text: string) => this.redactor.scrub(text);
    const data: MegaportApiErrorData =
      rawData === null
        ? null
        : typeof rawData === "string"
          ? scrub(rawData)
          : rawData.map((item) => ({ error: scrub(item.error) }));
    const headerTrace = response.headers["trace-id"];
    const traceId =
      (Array.isArray(headerTrace) ? headerTrace[0] : headerTrace) ??
      (typeof record.trace_id === "string" ? record.trace_id : null);
    const details = {
      status: response.status,
      method,
      path: displayPath,
      apiMessage: scrub(rawMessage),
      data,
      traceId,
    };
    const dataText =
      typeof rawData === "string" ? rawData : (rawData ?? []).map((item) => item.error).join(" ");
    const notFound =
      response.status === 404 ||
      (response.status === 400 && (LEGACY_NOT_FOUND.test(rawMessage) || LEGACY_NOT_FOUND.test(dataText)));
    if (notFound) return new MegaportNotFoundError(details);
    if (response.status === 403 && change !== undefined) {
      const { label, source } = this.tokens.credentials;
      const answer = [details.apiMessage, errorDataText(data)].filter((part) => part !== "").join(": ");
      return new MegaportForbiddenError(
        details,
        change,
        `${label}: ${change} was refused: ${method} ${displayPath}: 403${answer === "" ? "" : ` ${answer}`}. ` +
          `Changes need a Company Admin API key: if the key from ${source} is Read Only (it can preview ` +
          "and refresh, not change anything), run this with a Company Admin key.",
      );
    }
    return new MegaportApiError(details);
  }
}
