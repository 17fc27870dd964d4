/**
 * OAuth2 client-credentials token source (docs/megaport-api.md, "Environments and tokens"): HTTP Basic auth,
 * `grant_type` in a form body, tokens cached until shortly before they expire, one shared in-flight request.
 * Expiry is followed on the local clock and on the API's (its `Date` headers), whichever says sooner, so a
 * token is renewed before it expires even when the two clocks disagree (docs/api-keys.md).
 */
import { z } from "zod";
import { environmentOfTokenUrl } from "./environments";
import { MegaportApiError, MegaportAuthError, MegaportResponseError } from "./errors";
import type { HttpPipeline, Redactor } from "./http";

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().nullish(),
});

/** Settings of a {@link TokenSource}. */
export interface TokenSourceOptions {
  tokenUrl: string;
  accessKey: string;
  secretKey: string;
  http: HttpPipeline;
  redactor: Redactor;
  /** Clock in epoch ms; injectable for tests of the caching rule. */
  now?: () => number;
  /** Who these credentials are, for messages (e.g. `account "east"`); never a secret. */
  label?: string;
  /** Where the key and secret came from, for messages (e.g. `megaport:accessKey and megaport:secretKey`). */
  credentialSource?: string;
  /** Where the environment or token URL came from, for messages (e.g. `megaport:environment`). */
  environmentSource?: string;
}

/** Hands out bearer tokens, requesting a new one only when the cached one is near its expiry. */
export class TokenSource {
  /**
   * `refreshAt` on the local clock; `serverRefreshAt` on the API's clock (local + `serverOffset`),
   * once that is known. `refreshIn` is the time from the request to the refresh.
   */
  private cached:
    | { token: string; requestedAt: number; refreshIn: number; refreshAt: number; serverRefreshAt?: number }
    | undefined;
  /**
   * The API's clock minus the local clock, in ms, from the latest API answer's `Date` header. Only
   * API answers count (not the token endpoint's, another host), so a token's renewal is timed on
   * the clock of the server that checks it.
   */
  private serverOffset: number | undefined;
  private inflight: Promise<string> | undefined;
  private fetched = 0;
  private readonly basic: string;
  private readonly now: () => number;

  /** Requests no token until the first {@link TokenSource.getToken} call. */
  constructor(private readonly options: TokenSourceOptions) {
    this.basic = Buffer.from(`${options.accessKey}:${options.secretKey}`).toString("base64");
    options.redactor.add(options.secretKey);
    options.redactor.add(this.basic);
    this.now = options.now ?? Date.now;
  }

  /** Who these credentials are and where they came from, for messages (never a secret). */
  get credentials(): { label: string; source: string } {
    return {
      label: this.options.label ?? "the API key",
      source: this.options.credentialSource ?? "the accessKey and secretKey",
    };
  }

  /** Number of token requests made (retries of one request count once). */
  get tokenRequestCount(): number {
    return this.fetched;
  }

  /**
   * Notes the API's clock from an answer's `Date` header (second precision), so that a token is
   * renewed before the API would call it expired, even if that clock runs ahead of ours.
   */
  observeServerDate(date: string | string[] | undefined): void {
    const text = Array.isArray(date) ? date[0] : date;
    const serverNow = text === undefined ? Number.NaN : Date.parse(text);
    if (!Number.isFinite(serverNow)) return;
    this.serverOffset = serverNow - this.now();
    // A token fetched before the API's clock was known is timed from its request, on that clock.
    if (this.cached !== undefined && this.cached.serverRefreshAt === undefined) {
      this.cached.serverRefreshAt = this.cached.requestedAt + this.serverOffset + this.cached.refreshIn;
    }
  }

  /** A valid token: the cached one, the one being fetched, or a new one. */
  getToken(): Promise<string> {
    const now = this.now();
    const serverNow = this.serverOffset === undefined ? undefined : now + this.serverOffset;
    const fresh =
      this.cached !== undefined &&
      now < this.cached.refreshAt &&
      (serverNow === undefined || this.cached.serverRefreshAt === undefined || serverNow < this.cached.serverRefreshAt);
    if (fresh && this.cached !== undefined) return Promise.resolve(this.cached.token);
    if (!this.inflight) {
      this.inflight = this.fetchToken().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /** Forgets `token` after the API refused it (401); a newer token is kept. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    this.fetched += 1;
    const url = new URL(this.options.tokenUrl);
    const requestedAt = this.now();
    const response = await this.options.http.send({
      method: "POST",
      url,
      kind: "safe", // a token request has no side effect
      // so even a 500 is worth another try (Cognito hiccups); 4xx refusals are final
      retryStatus: (status) => status >= 500,
      headers: {
        authorization: `Basic ${this.basic}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    const displayPath = this.options.http.displayPath(url);
    let body: unknown;
    try {
      body = JSON.parse(response.bodyText);
    } catch {
      body = undefined;
    }
    if (response.status < 200 || response.status >= 300) {
      const reason = describeTokenError(body);
      if (response.status >= 400 && response.status < 500) {
        const text = this.options.redactor.scrub(this.refusal(`${response.status}${reason}`));
        throw new MegaportAuthError(text, response.status);
      }
      throw new MegaportApiError({
        status: response.status,
        method: "POST",
        path: displayPath,
        apiMessage: this.options.redactor.scrub(`token request failed${reason}`),
        data: null,
        traceId: null,
      });
    }
    const parsed = TokenResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new MegaportResponseError("POST", displayPath, "token response lacks access_token or expires_in");
    }
    const { access_token: token, expires_in: lifetimeSeconds } = parsed.data;
    this.options.redactor.add(token);
    // Refresh 60 s before expiry, or at half the lifetime when that comes later (short lifetimes).
    const marginMs = Math.min(60_000, (lifetimeSeconds * 1000) / 2);
    // The API's clock at the request is the best guess of when it started the token's lifetime.
    const refreshIn = lifetimeSeconds * 1000 - marginMs;
    this.cached = {
      token,
      requestedAt,
      refreshIn,
      refreshAt: requestedAt + refreshIn,
      serverRefreshAt: this.serverOffset === undefined ? undefined : requestedAt + this.serverOffset + refreshIn,
    };
    return token;
  }

  /**
   * What to fix when the token endpoint refuses the key: the same answer (`invalid_client`) comes
   * for a wrong secret, a deleted key and a key of another environment (docs/api-keys.md).
   */
  private refusal(answer: string): string {
    const { tokenUrl, environmentSource } = this.options;
    const { label, source } = this.credentials;
    const environment = environmentOfTokenUrl(tokenUrl);
    const where =
      (environment === undefined ? `the token URL ${tokenUrl}` : `Megaport ${environment} (${tokenUrl})`) +
      (environmentSource === undefined ? "" : `, set by ${environmentSource}`);
    return (
      `${label}: the token endpoint refused the API key: ${answer}. ` +
      `Check ${source}: the secret may be wrong, the key deleted, ` +
      `or the key created in another environment than ${where}; ` +
      "Megaport API keys work only in the environment where they were created."
    );
  }
}

function describeTokenError(body: unknown): string {
  if (typeof body !== "object" || body === null) return "";
  const record = body as Record<string, unknown>;
  const parts = [record.error, record.error_description, record.message].filter(
    (part): part is string => typeof part === "string" && part !== "",
  );
  return parts.length > 0 ? ` ${parts.join(": ")}` : "";
}
