/**
 * The HTTP pipeline: one undici Agent per client (keep-alive, connect and request timeouts), a
 * User-Agent naming this package, retries with full-jitter backoff and `Retry-After`, and
 * redaction of secrets in every event, debug line and error message.
 *
 * What undici provides and what stays hand-written here (checked against undici 7.30):
 * - undici: the connection pool and keep-alive, the connect timeout, and `headersTimeout` /
 *   `bodyTimeout` as a backstop.
 * - Hand-written: the per-attempt deadline. undici's headers and body timers are always its "fast
 *   timers" (`lib/dispatcher/client-h1.js`, `TIMEOUT_HEADERS = 2 | USE_FAST_TIMER`), which tick
 *   about every 500 ms: a 100 ms `requestMs` fired only after the 300 ms answer had arrived, and
 *   `tests/sdk/resilience.test.ts` "a read slower than requestMs …" failed with them alone. The
 *   body timer is also an idle timer between chunks, not a limit on the whole attempt.
 * - Hand-written: the retry loop. undici's `RetryAgent` / `RetryHandler` does not fit its rules:
 *   (1) a create is re-sent only when it provably never reached the server, or after 429/503,
 *   and a 500/502/504 or a lost answer to it is `MegaportOutcomeUnknownError`: the decision is
 *   per request, not per method; (2) a timed-out attempt must be retried, but the only way to
 *   time out one attempt precisely is an `AbortSignal`, and a request's signal belongs to the
 *   whole request (undici's request handler sits above the retry handler), so aborting one
 *   attempt ends them all; (3) a body that fails half-way is resumed with a `Range` request,
 *   which the Megaport API does not offer, where this re-sends the request; (4) by default
 *   (`throwOnError`) the last retryable answer becomes a `RequestRetryError` without its body,
 *   whose message the API error needs; (5) every attempt is reported to `onRequest`, and
 *   `maxElapsedMs` and full-jitter backoff bound the whole loop. A custom `retry` callback with
 *   `throwOnError: false` could express (1), (4) and (5) only by re-implementing them, and not
 *   (2) or (3). So the loop below stays, with its rules in one place.
 */
import * as path from "node:path";
import { Agent } from "undici";
import { MegaportNetworkError, MegaportOutcomeUnknownError } from "./errors";

/** npm name of this package, used in the User-Agent. */
export const PACKAGE_NAME = "pulumi-megaport-service-keys";

/**
 * Version of this package, read from its package.json. Compiled files live in `dist/sdk/`, so the
 * package root is two levels up, both in the repository and in an installed package.
 */
export const PACKAGE_VERSION: string = readPackageVersion();

function readPackageVersion(): string {
  for (const candidate of [
    path.join(__dirname, "..", "..", "package.json"),
    path.join(__dirname, "..", "package.json"),
  ]) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- found at run time (repo or installed)
      const pkg = require(candidate) as { name?: unknown; version?: unknown };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === "string") return pkg.version;
    } catch {
      // not this layout; try the next candidate
    }
  }
  return "0.0.0";
}

/** One HTTP attempt, as reported to `onRequest` and the debug log. Never contains secrets. */
export interface RequestEvent {
  method: string;
  /** Path and query, with service keys redacted. */
  path: string;
  /** HTTP status, absent when the attempt failed without a response. */
  status?: number;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  durationMs: number;
  /** Network error code (e.g. `ECONNRESET`, `UND_ERR_HEADERS_TIMEOUT`) when there was no response. */
  errorCode?: string;
}

/** Retry bounds. */
export interface RetryPolicy {
  maxAttempts: number;
  maxElapsedMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * `safe`: the request may be re-sent after any transient failure (GET, PUT, validate, approvals,
 * cancel, token). `create`: re-sent only when it provably never reached the server.
 */
export type RequestKind = "safe" | "create";

/** A request handed to {@link HttpPipeline.send}. */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: URL;
  headers: Record<string, string>;
  body?: string;
  kind: RequestKind;
  /** Further answers to retry (the token endpoint retries every 5xx; safe requests already retry 5xx). */
  retryStatus?: (status: number, bodyText: string) => boolean;
}

/** A final HTTP answer (2xx, non-retryable, or the last one after retries ran out). */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
}

const REDACTED = "[REDACTED]";

/** Redacts service keys in a path: `key=` query values and whatever follows `/service/key/`. */
export function redactPath(pathAndQuery: string): string {
  return pathAndQuery
    .replace(/((?:[?&]|%3F|%26)key(?:=|%3D))[^&#\s]*/gi, `$1${REDACTED}`)
    .replace(/(\/service\/key\/)(?!validate\b)[^/?#\s]+/gi, `$1${REDACTED}`);
}

/**
 * Scrubs known secrets (the secret key, tokens, service keys the client has seen) and bearer or
 * basic credentials from any text before it leaves the SDK.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly prefixes = new Set<string>();
  /**
   * The secrets longest first and one pattern for every prefix, made again only after a new secret:
   * a provider that has seen hundreds of keys scrubs every request's path, and sorting the secrets
   * and compiling a pattern per prefix on each call grew with the keys seen (bench/RESULTS.md).
   */
  private ordered: string[] | undefined;
  private prefixPattern: RegExp | null | undefined;

  /**
   * Registers a secret. Service keys are also masked by their 8-character prefix
   * (docs/megaport-api.md, "Looking a key up").
   */
  add(secret: string, alsoPrefix = false): void {
    if (secret.length >= 6 && !this.secrets.has(secret)) {
      this.secrets.add(secret);
      this.ordered = undefined;
    }
    const prefix = secret.slice(0, 8);
    if (alsoPrefix && secret.length > 8 && !this.prefixes.has(prefix)) {
      this.prefixes.add(prefix);
      this.prefixPattern = undefined;
    }
  }

  /** `text` with every registered secret, key prefix and bearer or basic credential replaced. */
  scrub(text: string): string {
    let out = text;
    // longest first, so a full key is replaced before anything shorter inside it
    this.ordered ??= [...this.secrets].sort((a, b) => b.length - a.length);
    for (const secret of this.ordered) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    // A prefix only as a token of its own (`key=d2d7fd14`, `[d2d7fd14]`), never eight characters
    // that happen to stand inside another identifier such as a product UID. All prefixes have eight
    // characters, so one alternation finds the same tokens as one pattern per prefix.
    if (this.prefixPattern === undefined) {
      this.prefixPattern =
        this.prefixes.size === 0
          ? null
          : new RegExp(`(?<![0-9A-Za-z-])(?:${[...this.prefixes].map(escapeRegExp).join("|")})(?![0-9A-Za-z])`, "g");
    }
    if (this.prefixPattern !== null) out = out.replace(this.prefixPattern, REDACTED);
    return redactPath(out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Pipeline settings, already validated by the client. */
export interface HttpPipelineConfig {
  userAgent: string;
  connectMs: number;
  requestMs: number;
  retry: RetryPolicy;
  /** Called after every HTTP attempt, with redacted paths; an exception it throws is ignored. */
  onRequest?: (event: RequestEvent) => void;
  redactor: Redactor;
}

/** Network error codes that prove the request never reached the server. */
const NEVER_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * The client itself is closing or closed: retrying cannot help. (An abort is never fatal: the only
 * signal is the per-attempt deadline, whose abort is reported as a timeout.)
 */
const FATAL_CODES = new Set(["UND_ERR_CLOSED", "UND_ERR_DESTROYED"]);

function networkErrorCode(err: unknown): string {
  if (typeof err === "object" && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const inner = (err as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.length > 0) return networkErrorCode(inner[0]);
  }
  return "UNKNOWN";
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends requests over one keep-alive undici Agent, retrying transient failures. */
export class HttpPipeline {
  private readonly agent: Agent;
  private connections = 0;
  private requests = 0;

  /** Opens no connection until the first request. */
  constructor(private readonly config: HttpPipelineConfig) {
    this.agent = new Agent({
      connect: { timeout: config.connectMs },
      headersTimeout: config.requestMs,
      bodyTimeout: config.requestMs,
      keepAliveTimeout: 10_000,
    });
    this.agent.on("connect", () => {
      this.connections += 1;
    });
  }

  /** TCP connections opened so far (diagnostics: sequential calls should share one). */
  get connectionCount(): number {
    return this.connections;
  }

  /** HTTP attempts sent so far, retries included. */
  get requestCount(): number {
    return this.requests;
  }

  /** Closes every connection; later requests fail. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Redacted form of a URL's path and query, for events and messages. */
  displayPath(url: URL): string {
    return this.config.redactor.scrub(redactPath(url.pathname + url.search));
  }

  /**
   * Sends a request with retries. Resolves with the final answer, whatever its status, except that
   * a `create` whose answer was lost or was a 500/502/504 rejects with
   * {@link MegaportOutcomeUnknownError}, and network failures that outlast the retries reject with
   * {@link MegaportNetworkError}.
   */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const { retry } = this.config;
    // Scrubbed only when something shows it (an observer, the debug log, an error).
    let shown: string | undefined;
    const displayPath = () => (shown ??= this.displayPath(request.url));
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
      const sentAt = Date.now();
      let response: HttpResponse | undefined;
      let failure: { code: string; error: unknown } | undefined;
      this.requests += 1;
      // Our own per-attempt deadline: undici's headersTimeout/bodyTimeout run on coarse (~0.5-1 s)
      // fast timers whatever the delay, too imprecise for short requestMs values, and the body
      // timer only limits the gap between chunks; they remain as a backstop (see the file's header).
      const deadline = new AbortController();
      let phase: "headers" | "body" = "headers";
      const timer = setTimeout(() => deadline.abort(), this.config.requestMs);
      try {
        const res = await this.agent.request({
          origin: request.url.origin,
          path: request.url.pathname + request.url.search,
          method: request.method,
          headers: {
            accept: "application/json",
            "user-agent": this.config.userAgent,
            ...request.headers,
          },
          body: request.body,
          headersTimeout: this.config.requestMs,
          bodyTimeout: this.config.requestMs,
          signal: deadline.signal,
        });
        phase = "body";
        const bodyText = await res.body.text();
        // undici marks the socket free only after the body's end event has been processed; without
        // this yield the next sequential request finds it busy and opens a second connection.
        await new Promise<void>((resolve) => setImmediate(resolve));
        response = { status: res.statusCode, headers: res.headers, bodyText };
      } catch (error) {
        const code = deadline.signal.aborted
          ? phase === "headers"
            ? "UND_ERR_HEADERS_TIMEOUT"
            : "UND_ERR_BODY_TIMEOUT"
          : networkErrorCode(error);
        failure = { code, error };
      } finally {
        clearTimeout(timer);
      }
      this.report(() => ({
        method: request.method,
        path: displayPath(),
        attempt,
        durationMs: Date.now() - sentAt,
        ...(response ? { status: response.status } : { errorCode: failure?.code }),
      }));

      let retryAfterMs: number | undefined;
      if (response) {
        const { status } = response;
        if (status === 429 || status === 503) {
          // Refused before processing: safe to re-send even a create.
          retryAfterMs = parseRetryAfter(response.headers["retry-after"]);
        } else if (status === 500 || status === 502 || status === 504) {
          if (request.kind === "create") {
            throw new MegaportOutcomeUnknownError(request.method, displayPath(), startedAt, `HTTP ${status}`);
          }
          // A safe request is idempotent: re-sending it after a server error changes nothing.
        } else if (request.retryStatus?.(status, response.bodyText) !== true) {
          return response;
        }
      } else if (failure) {
        if (FATAL_CODES.has(failure.code)) {
          throw this.networkError(request, displayPath(), failure, attempt);
        }
        if (request.kind === "create" && !NEVER_SENT_CODES.has(failure.code)) {
          throw new MegaportOutcomeUnknownError(
            request.method,
            displayPath(),
            startedAt,
            this.describe(failure.code),
          );
        }
      }

      const backoff = Math.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
      const delay = retryAfterMs ?? backoff;
      const outOfTime = Date.now() - startedAt + delay > retry.maxElapsedMs;
      if (attempt >= retry.maxAttempts || outOfTime) {
        if (response) return response;
        throw this.networkError(request, displayPath(), failure, attempt);
      }
      await sleep(delay);
    }
  }

  private networkError(
    request: HttpRequest,
    displayPath: string,
    failure: { code: string; error: unknown } | undefined,
    attempts: number,
  ): MegaportNetworkError {
    const code = failure?.code ?? "UNKNOWN";
    return new MegaportNetworkError(request.method, displayPath, code, this.describe(code), attempts);
  }

  private describe(code: string): string {
    switch (code) {
      case "UND_ERR_HEADERS_TIMEOUT":
        return `no response within ${this.config.requestMs} ms`;
      case "UND_ERR_BODY_TIMEOUT":
        return `response body stalled for ${this.config.requestMs} ms`;
      case "UND_ERR_CONNECT_TIMEOUT":
        return `could not connect within ${this.config.connectMs} ms`;
      case "ECONNREFUSED":
        return "connection refused";
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return "host name not resolved";
      case "UND_ERR_SOCKET":
      case "ECONNRESET":
      case "EPIPE":
        return "connection closed before the response arrived";
      case "UND_ERR_CLOSED":
      case "UND_ERR_DESTROYED":
        return "client is closed";
      default:
        return "network error";
    }
  }

  private report(describe: () => RequestEvent): void {
    if (!process.env.MEGAPORT_DEBUG && this.config.onRequest === undefined) return;
    const event = describe();
    if (process.env.MEGAPORT_DEBUG) {
      const outcome = event.status !== undefined ? String(event.status) : (event.errorCode ?? "error");
      process.stderr.write(
        `[megaport] ${event.method} ${event.path} -> ${outcome} attempt=${event.attempt} ${event.durationMs}ms\n`,
      );
    }
    try {
      this.config.onRequest?.(event);
    } catch {
      // an observer must never break a request
    }
  }
}
