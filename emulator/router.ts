/**
 * A tiny method + path router. Handlers are synchronous on purpose: validation and commit of one
 * request can never interleave with another's (node is single-threaded), which keeps invariants
 * such as "a single-use key is consumed once" under concurrency.
 */
import type { IncomingHttpHeaders } from "node:http";
import { ApiError, type Reply } from "./http";
import type { Store } from "./store";

/** What a handler sees of a request. */
export interface RequestContext {
  method: string;
  /** Percent-decoded, without query and trailing slash. */
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
  store: Store;
  /** The parsed JSON body (undefined when empty); throws 400 on malformed JSON. */
  json(): unknown;
  /** The caller's companyUid from a valid bearer token; throws 401 otherwise. */
  caller(): string;
}

export type Handler = (ctx: RequestContext) => Reply;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** `route("GET", "/v2/product/:uid", h)`: `:name` matches one non-empty path segment. */
export function route(method: string, path: string, handler: Handler): Route {
  const source = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:(\w+)/g, "(?<$1>[^/]+)");
  return { method, pattern: new RegExp(`^${source}$`), handler };
}

/** The handler for a request, or 404 (unknown path) / 405 (known path, other method). */
export function match(
  routes: Route[],
  method: string,
  path: string,
): { handler: Handler; params: Record<string, string> } {
  let pathKnown = false;
  for (const candidate of routes) {
    const found = candidate.pattern.exec(path);
    if (found === null) continue;
    pathKnown = true;
    if (candidate.method === method) return { handler: candidate.handler, params: { ...found.groups } };
  }
  if (pathKnown)
    throw new ApiError(
      "METHOD_NOT_ALLOWED",
      `Method ${method} is not allowed on ${path}`,
      "Method Not Allowed",
    );
  throw new ApiError("NOT_FOUND", `No endpoint ${method} ${path}`, "Not Found");
}
