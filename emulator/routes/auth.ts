/**
 * `POST /oauth2/token` (OAuth2 client credentials, HTTP Basic;
 * docs/megaport-api.md, "Environments and tokens"), the bearer token check used by every API route, and the
 * API key roles: a Read Only key's tokens are refused on every call that changes something
 * (docs/api-keys.md).
 */
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { ApiError, type Reply } from "../http";
import type { Company, State } from "../model";
import { type RequestContext, type Route, route } from "../router";
import type { Store } from "../store";

/** The API key named by an `Authorization: Basic` header, if the credentials match. */
function basicCredentials(header: string | undefined, store: Store) {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const accessKey = decoded.slice(0, colon);
  const secretKey = decoded.slice(colon + 1);
  for (const company of store.state.companies) {
    const apiKey = company.apiKeys.find((k) => k.accessKey === accessKey);
    if (apiKey !== undefined) return apiKey.secretKey === secretKey ? { company, apiKey } : undefined;
  }
  return undefined;
}

/** The company a request speaks for (token or Basic credentials), for the request log; expiry ignored. */
export function requestCompany(headers: IncomingHttpHeaders, store: Store): Company | undefined {
  const header = headers.authorization;
  if (header === undefined) return undefined;
  if (/^bearer /i.test(header)) {
    const token = store.state.tokens[header.slice(7).trim()];
    return token === undefined
      ? undefined
      : store.state.companies.find((c) => c.companyUid === token.companyUid);
  }
  return basicCredentials(header, store)?.company;
}

/** The record of a valid, unexpired bearer token (emulator clock), else 401. */
function bearerToken(headers: IncomingHttpHeaders, store: Store): State["tokens"][string] {
  const header = headers.authorization;
  if (header === undefined || !/^bearer /i.test(header)) {
    throw new ApiError("UNAUTHORIZED", "Unauthorized", "A bearer token is required");
  }
  const token = store.state.tokens[header.slice(7).trim()];
  if (token === undefined) throw new ApiError("UNAUTHORIZED", "Unauthorized", "The access token is invalid");
  if (token.expiresAt <= store.now())
    throw new ApiError("UNAUTHORIZED", "Unauthorized", "The access token has expired");
  return token;
}

/** The caller's companyUid for a valid, unexpired bearer token (emulator clock), else 401. */
export function bearerCaller(headers: IncomingHttpHeaders, store: Store): string {
  return bearerToken(headers, store).companyUid;
}

/**
 * Calls other than GET that a Read Only key may make: validating an order changes nothing (the
 * Portal lets Read Only users design services; docs/api-keys.md).
 */
const READ_ONLY_POSTS = new Set(["/v3/networkdesign/validate"]);

/**
 * The routes with the role rule in front of every call that changes something: the token is checked
 * (401) before the role (403), and both before the body, so a Read Only key learns nothing else.
 * The 403 is the API's error envelope; its texts are inferred (docs/api-keys.md).
 */
export function withRoles(routes: Route[]): Route[] {
  return routes.map((candidate) => {
    const readOnlyAllowed =
      candidate.method === "GET" ||
      [...READ_ONLY_POSTS].some((path) => candidate.pattern.test(path)) ||
      candidate.handler === issueToken;
    if (readOnlyAllowed) return candidate;
    return {
      ...candidate,
      handler: (ctx: RequestContext) => {
        if (bearerToken(ctx.headers, ctx.store).role === "READ_ONLY") {
          throw new ApiError(
            "FORBIDDEN",
            "You do not have permission to perform this action",
            "This API key has the Read Only role: it can view and design services, not change them",
          );
        }
        return candidate.handler(ctx);
      },
    };
  });
}

/**
 * Cognito-style token error (docs/megaport-api.md, "Environments and tokens": probably
 * `{"error":"invalid_client"}`).
 */
function tokenError(status: number, error: string): Reply {
  return { status, body: { error } };
}

function issueToken(ctx: RequestContext): Reply {
  // megaportgo sends grant_type in the query with an empty body; the docs send a form body
  // (docs/megaport-api.md, "Environments and tokens").
  const form = new URLSearchParams(ctx.rawBody);
  const grantType = ctx.query.grant_type ?? form.get("grant_type");
  const credentials = basicCredentials(ctx.headers.authorization, ctx.store);
  if (credentials === undefined) return tokenError(401, "invalid_client");
  if (grantType !== "client_credentials") return tokenError(400, "unsupported_grant_type");
  const { tokenLifetimeMinutes, role } = credentials.apiKey;
  const lifetime =
    tokenLifetimeMinutes === undefined ? ctx.store.defaultTokenLifetimeSeconds : tokenLifetimeMinutes * 60;
  // Opaque, JWT-looking: three base64url parts.
  const accessToken = [
    "eyJhbGciOiJIUzI1NiJ9",
    randomBytes(24).toString("base64url"),
    randomBytes(24).toString("base64url"),
  ].join(".");
  ctx.store.state.tokens[accessToken] = {
    companyUid: credentials.company.companyUid,
    expiresAt: ctx.store.now() + lifetime * 1000,
    role,
  };
  // Drop expired tokens so the state file does not grow forever.
  for (const [token, record] of Object.entries(ctx.store.state.tokens)) {
    if (record.expiresAt <= ctx.store.now()) delete ctx.store.state.tokens[token];
  }
  return { status: 200, body: { access_token: accessToken, expires_in: lifetime, token_type: "Bearer" } };
}

export const authRoutes = [route("POST", "/oauth2/token", issueToken)];
