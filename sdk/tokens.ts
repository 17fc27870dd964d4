/**
 * OAuth2 client-credentials token source (megaport-api.md §1.2): HTTP Basic auth, `grant_type` in
 * a form body, tokens cached until shortly before they expire, one shared in-flight request.
 */
import { z } from "zod";
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
}

/** Hands out bearer tokens, requesting a new one only when the cached one is near its expiry. */
export class TokenSource {
  private cached: { token: string; refreshAt: number } | undefined;
  private inflight: Promise<string> | undefined;
  private fetched = 0;
  private readonly basic: string;
  private readonly now: () => number;

  constructor(private readonly options: TokenSourceOptions) {
    this.basic = Buffer.from(`${options.accessKey}:${options.secretKey}`).toString("base64");
    options.redactor.add(options.secretKey);
    options.redactor.add(this.basic);
    this.now = options.now ?? Date.now;
  }

  /** Number of token requests made (retries of one request count once). */
  get tokenRequestCount(): number {
    return this.fetched;
  }

  /** A valid token: the cached one, the one being fetched, or a new one. */
  getToken(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return Promise.resolve(this.cached.token);
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
      const text = this.options.redactor.scrub(`token request refused: ${response.status}${reason}`);
      if (response.status >= 400 && response.status < 500) throw new MegaportAuthError(text, response.status);
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
    this.cached = { token, refreshAt: requestedAt + lifetimeSeconds * 1000 - marginMs };
    return token;
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
