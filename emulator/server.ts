/**
 * The HTTP server: path decoding, body limits, faults, the request log, error envelopes, rollback of
 * failed requests and persistence. Routes live in ./routes.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ENRICH_EXTRA_FIELDS, enrichBody } from "./enrich";
import { type FaultStatus, Faults, requestKey } from "./faults";
import { ApiError, errorReply, type Reply, TERMS } from "./http";
import type { Seed } from "./model";
import { RequestLog } from "./requestLog";
import { match, type RequestContext, type Route } from "./router";
import { adminRoutes } from "./routes/admin";
import { approvalRoutes } from "./routes/approvals";
import { authRoutes, bearerCaller, requestCompany, withRoles } from "./routes/auth";
import { networkDesignRoutes } from "./routes/networkDesign";
import { productRoutes } from "./routes/products";
import { serviceKeyRoutes } from "./routes/serviceKeys";
import { vxcRoutes } from "./routes/vxcs";
import { defaultSeed, loadSeedFile, parseSeed } from "./seed";
import { Store } from "./store";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Listen address; default "127.0.0.1". */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** A seed object, or the path of a JSON seed file; default {@link defaultSeed}. */
  seed?: Seed | string;
  /** Load state from this file when present, and write it atomically after every mutating request. */
  stateFile?: string;
  /** Time between DEPLOYABLE → CONFIGURED → LIVE on the emulator clock; default 1000 ms. */
  provisioningDelayMs?: number;
  /** Token lifetime for API keys that do not set their own; default 86400 s. */
  tokenLifetimeSeconds?: number;
  /**
   * Enrich every API answer the ways a real one may vary without breaking megaportgo (unknown
   * fields, null for empty arrays, numbers and dates as strings where megaportgo does not decode
   * them; emulator/enrich.ts). Default false; `POST /_emulator/enrich` switches it at run time.
   */
  enrich?: boolean;
}

/** A seeded account: a company with its API key and its products by nickname. */
export interface EmulatorAccount {
  /** Account name, e.g. "east". */
  name: string;
  /** e.g. "East Company". */
  companyName: string;
  companyUid: string;
  accessKey: string;
  secretKey: string;
  /** The company's first Read Only API key, if it has one (the default seed does). */
  readOnly: { accessKey: string; secretKey: string } | undefined;
  /** Product nickname (port1G, port10G, mcr, mve) → productUid. */
  products: Record<string, string>;
}

/** A running emulator. */
export interface RunningEmulator {
  /** e.g. "http://127.0.0.1:PORT", no trailing slash. */
  url: string;
  /** `url + "/oauth2/token"`. */
  tokenUrl: string;
  /** Seeded accounts by name. */
  accounts: Record<string, EmulatorAccount>;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

/** Request bodies above this are answered with 413. */
const MAX_BODY_BYTES = 1024 * 1024;

const API_ROUTES: Route[] = withRoles([
  ...authRoutes,
  ...serviceKeyRoutes,
  ...productRoutes,
  ...networkDesignRoutes,
  ...vxcRoutes,
  ...approvalRoutes,
]);

/**
 * The real text of the transient cancel failure
 * (docs/megaport-api.md, "Cancelling a VXC" and "Known error texts").
 */
const ROLLBACK_ONLY = "Transaction silently rolled back because it has been marked as rollback-only";

function isLoopback(address: string | undefined): boolean {
  return (
    address !== undefined &&
    (address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127."))
  );
}

/**
 * Splits a raw request target into a decoded path and a query. The Go SDK's look-up arrives as
 * `/v2/service/key%3Fkey=<key>`: after decoding, a `?` in the path starts the query
 * (docs/megaport-api.md, "Looking a key up"). Trailing slashes are dropped.
 */
export function parseTarget(target: string): { path: string; query: Record<string, string> } {
  const questionMark = target.indexOf("?");
  const rawPath = questionMark < 0 ? target : target.slice(0, questionMark);
  const query: Record<string, string> = {};
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    throw new ApiError("BAD_REQUEST", "Bad Request", "The request path is not valid percent-encoding");
  }
  const embedded = decoded.indexOf("?");
  if (embedded >= 0) {
    for (const [k, v] of new URLSearchParams(decoded.slice(embedded + 1))) query[k] = v;
    decoded = decoded.slice(0, embedded);
  }
  if (questionMark >= 0) {
    for (const [k, v] of new URLSearchParams(target.slice(questionMark + 1))) query[k] = v;
  }
  const path = decoded.length > 1 ? decoded.replace(/\/+$/, "") || "/" : decoded;
  return { path, query };
}

/** A request whose client went away before its body was read (e.g. while it waited out a latency). */
class ClientGoneError extends Error {}

/**
 * Reads the body up to the limit; `tooLarge` when it exceeded it (the rest is drained). Rejects with
 * `ClientGoneError` when the client is gone, even if it went before this was called.
 */
function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const gone = () => reject(new ClientGoneError("the client closed the connection"));
    if (req.destroyed && !req.readableEnded) return gone();
    req.on("close", () => {
      if (!req.readableEnded) gone();
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => resolve({ text: tooLarge ? "" : Buffer.concat(chunks).toString("utf8"), tooLarge }));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, traceId: string, reply: Reply): void {
  const headers: Record<string, string> = { "Trace-Id": traceId, ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const payload = JSON.stringify(reply.body);
  headers["Content-Type"] = "application/json;charset=UTF-8";
  headers["Content-Length"] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Like {@link send}, but the second half of the body follows `stallMs` after the first. */
async function sendStalled(res: ServerResponse, traceId: string, reply: Reply, stallMs: number): Promise<void> {
  const payload = Buffer.from(JSON.stringify(reply.body));
  res.writeHead(reply.status, {
    "Trace-Id": traceId,
    ...reply.headers,
    "Content-Type": "application/json;charset=UTF-8",
    "Content-Length": String(payload.length),
  });
  const half = Math.floor(payload.length / 2);
  res.write(payload.subarray(0, half));
  await sleep(stallMs);
  if (!res.destroyed) res.end(payload.subarray(half));
}

function faultReply(status: FaultStatus, path: string, retryAfterSeconds: number): Reply {
  if (status === 400) {
    return { status, body: { message: "Bad Request", terms: TERMS, data: "The request was refused" } };
  }
  if (status === 403) {
    return { status, body: { message: "Forbidden", terms: TERMS, data: "Access denied" } };
  }
  if (status === 429) {
    return {
      status,
      body: { message: "Too Many Requests", terms: TERMS, data: "Rate limit exceeded" },
      headers: { "Retry-After": String(retryAfterSeconds) },
    };
  }
  if (status === 502 || status === 504) {
    const message = status === 502 ? "Bad Gateway" : "Gateway Timeout";
    return { status, body: { message, terms: TERMS, data: message } };
  }
  if (status === 500) {
    const cancel = /\/action\/CANCEL/i.test(path);
    const message = cancel ? ROLLBACK_ONLY : "Internal Server Error";
    return {
      status,
      body: { message, terms: TERMS, data: cancel ? ROLLBACK_ONLY : "Internal Server Error" },
    };
  }
  return {
    status,
    body: { message: "Service Unavailable", terms: TERMS, data: "The API is under maintenance" },
  };
}

/** An injected error whose message and `data` repeat `key` and its prefix (`echoKey` fault). */
function echoingKey(reply: Reply, key: string | undefined, form: "string" | "list"): Reply {
  if (key === undefined) return reply;
  const body = reply.body as { message: string; terms: string; data: unknown };
  const prefix = key.slice(0, 8);
  const texts = [`service key ${key} was refused`, `key prefix ${prefix} (${String(body.data)})`];
  return {
    ...reply,
    body: {
      ...body,
      message: `${body.message} for key ${key} [${prefix}]`,
      data: form === "string" ? texts.join("; ") : texts.map((error) => ({ error })),
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts an emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const seed =
    typeof options.seed === "string"
      ? loadSeedFile(options.seed)
      : options.seed === undefined
        ? defaultSeed
        : parseSeed(options.seed);
  const store = new Store(
    seed,
    options.provisioningDelayMs ?? 1000,
    options.tokenLifetimeSeconds ?? 86400,
    options.stateFile,
  );
  const faults = new Faults();
  const log = new RequestLog();
  let connectionsOpened = 0;
  const mode = { enrich: options.enrich ?? false };
  /** API requests received and not yet answered (or dropped), latency and answer delays included. */
  let inFlight = 0;
  const admin = adminRoutes(faults, log, () => ({ connectionsOpened, inFlight }), mode);

  /** Runs a handler synchronously; a failed mutating request is rolled back to its snapshot. */
  function dispatch(
    routes: Route[],
    method: string,
    path: string,
    query: Record<string, string>,
    req: IncomingMessage,
    body: string,
  ): Reply {
    const snapshot = method === "GET" ? undefined : structuredClone(store.state);
    try {
      const { handler, params } = match(routes, method, path);
      const ctx: RequestContext = {
        method,
        path,
        params,
        query,
        headers: req.headers,
        rawBody: body,
        store,
        json() {
          if (body.trim() === "") return undefined;
          try {
            return JSON.parse(body) as unknown;
          } catch {
            throw new ApiError("BAD_REQUEST", "Malformed JSON", "The request body is not valid JSON");
          }
        },
        caller: () => bearerCaller(req.headers, store),
      };
      const reply = handler(ctx);
      if (snapshot !== undefined && reply.status >= 400) store.state = snapshot;
      return reply;
    } catch (error) {
      if (snapshot !== undefined) store.state = snapshot;
      if (error instanceof ApiError) return errorReply(error);
      process.stderr.write(
        `megaport-emulator: internal error on ${method} ${path}: ${(error as Error).message}\n`,
      );
      return {
        status: 500,
        body: { message: "Internal Server Error", terms: TERMS, data: "Internal Server Error" },
      };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const traceId = randomUUID();
    const method = (req.method ?? "GET").toUpperCase();
    let target: { path: string; query: Record<string, string> };
    try {
      target = parseTarget(req.url ?? "/");
    } catch (error) {
      req.resume();
      send(res, traceId, errorReply(error as ApiError));
      return;
    }
    const { path, query } = target;

    if (path === "/_emulator" || path.startsWith("/_emulator/")) {
      const { text, tooLarge } = await readBody(req);
      if (!isLoopback(req.socket.remoteAddress)) {
        send(
          res,
          traceId,
          errorReply(new ApiError("NOT_FOUND", `No endpoint ${method} ${path}`, "Not Found")),
        );
        return;
      }
      if (tooLarge) {
        send(
          res,
          traceId,
          errorReply(new ApiError("PAYLOAD_TOO_LARGE", "Payload Too Large", "The body exceeds 1 MiB")),
        );
        return;
      }
      const reply = dispatch(admin, method, path, query, req, text);
      if (method !== "GET" && reply.status < 400) store.save();
      send(res, traceId, reply);
      return;
    }

    inFlight += 1;
    try {
      await handleApi(req, res, traceId, method, path, query);
    } finally {
      inFlight -= 1;
    }
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    traceId: string,
    method: string,
    path: string,
    query: Record<string, string>,
  ): Promise<void> {
    let requestBody: string | null = null;
    const header = (name: string): string | null => {
      const value = req.headers[name];
      return (Array.isArray(value) ? value.join(", ") : value) ?? null;
    };
    const logEntry = (status: number | null, fault: "error" | "reset" | "lost" | null) =>
      log.add({
        time: store.now(),
        method,
        path,
        query,
        status,
        company: requestCompany(req.headers, store)?.name ?? null,
        fault,
        headers: { userAgent: header("user-agent"), accept: header("accept"), contentType: header("content-type") },
        body: requestBody,
      });

    const faulted = faults.applies(method, path);
    // The config as this request found it: a test may set the next fault while it is under way.
    const config = faults.config;
    if (faulted && faults.roll(config.resetRate)) {
      logEntry(null, "reset");
      if (config.resetKind === "rst") req.socket.resetAndDestroy();
      else req.socket.destroy();
      return;
    }
    if (faulted && (config.latencyMs ?? 0) > 0) await sleep(config.latencyMs ?? 0);
    const { text, tooLarge } = await readBody(req);
    requestBody = tooLarge ? null : text;
    if (faulted && faults.roll(config.errorRate)) {
      const injected = faultReply(faults.pickStatus(config), path, config.retryAfterSeconds ?? 1);
      const echo = config.echoKey;
      const reply = echo === undefined ? injected : echoingKey(injected, requestKey(query, text), echo);
      logEntry(reply.status, "error");
      send(res, traceId, reply);
      return;
    }
    let reply = tooLarge
      ? errorReply(new ApiError("PAYLOAD_TOO_LARGE", "Payload Too Large", "The body exceeds 1 MiB"))
      : dispatch(API_ROUTES, method, path, query, req, text);
    if (mode.enrich && path !== "/oauth2/token" && reply.body !== undefined) {
      // Errors keep their `data`: only the envelope gains unknown fields.
      const body =
        reply.status < 400
          ? enrichBody(method, path, reply.body)
          : { ...(reply.body as Record<string, unknown>), ...ENRICH_EXTRA_FIELDS };
      reply = { ...reply, body };
    }
    if (method !== "GET" && reply.status < 400) store.save();
    const bearer = /^bearer /i.test(req.headers.authorization ?? "")
      ? (req.headers.authorization ?? "").slice(7).trim()
      : undefined;
    if (faulted && reply.status !== 401 && faults.usedUp(config, bearer)) {
      const record = store.state.tokens[bearer as string];
      if (record !== undefined) record.expiresAt = Math.min(record.expiresAt, store.now());
    }
    if (faulted && (config.answerDelayMs ?? 0) > 0) await sleep(config.answerDelayMs ?? 0);
    if (faulted && faults.roll(config.lostResponseRate)) {
      // The change is committed (and saved); the answer is lost.
      logEntry(reply.status, "lost");
      req.socket.destroy();
      return;
    }
    logEntry(reply.status, null);
    if (faulted && (config.stallBodyMs ?? 0) > 0 && reply.body !== undefined) {
      await sendStalled(res, traceId, reply, config.stallBodyMs ?? 0);
      return;
    }
    send(res, traceId, reply);
  }

  const server = createServer((req, res) => {
    // Every answer's Date is the emulator clock, so clients see it move (token renewal, docs/api-keys.md).
    res.setHeader("Date", new Date(store.now()).toUTCString());
    handle(req, res).catch((error: unknown) => {
      // Nothing was done for a client that went away before its request was read: nobody to answer.
      if (error instanceof ClientGoneError) return;
      process.stderr.write(`megaport-emulator: ${(error as Error).message}\n`);
      if (!res.headersSent)
        send(res, randomUUID(), {
          status: 500,
          body: { message: "Internal Server Error", terms: TERMS, data: null },
        });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  server.on("connection", () => {
    connectionsOpened++;
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;

  const accounts: Record<string, EmulatorAccount> = {};
  for (const company of store.state.companies) {
    const products: Record<string, string> = {};
    for (const product of store.state.products) {
      if (product.companyUid === company.companyUid && product.nickname !== null)
        products[product.nickname] = product.productUid;
    }
    const admin = company.apiKeys.find((k) => k.role === "COMPANY_ADMIN") ?? company.apiKeys[0];
    const readOnly = company.apiKeys.find((k) => k.role === "READ_ONLY");
    accounts[company.name] = {
      name: company.name,
      companyName: company.companyName,
      companyUid: company.companyUid,
      accessKey: admin.accessKey,
      secretKey: admin.secretKey,
      readOnly: readOnly && { accessKey: readOnly.accessKey, secretKey: readOnly.secretKey },
      products,
    };
  }

  return {
    url,
    tokenUrl: `${url}/oauth2/token`,
    accounts,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
