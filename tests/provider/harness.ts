/** Shared set-up of the provider tests: an emulator on loopback and a configured implementation. */
import * as http from "node:http";
import { type RequestLogEntry, type RunningEmulator, startEmulator } from "../../emulator";
import * as implementation from "../../provider/implementation";
import { forgetLookUps } from "../../provider/resources/serviceKeyPreview";
import { forgetAEnds } from "../../provider/resources/vxcAEnds";
import { forgetDeferredValidations } from "../../provider/resources/vxcValidations";

/** A fake stack config, as the dynamic provider host hands it to `configure`. */
export function fakeConfig(values: Record<string, string>) {
  return {
    get: (key: string): string | undefined => values[key],
    require: (key: string): string => {
      const value = values[key];
      if (value === undefined) throw new Error(`missing required configuration ${key}`);
      return value;
    },
  };
}

/** The stack config of the tests: both seeded companies as named accounts. */
export function emulatorConfig(
  emulator: RunningEmulator,
  extra: Record<string, string> = {},
): Record<string, string> {
  const accounts = Object.fromEntries(
    ["east", "west", "north"].map((name) => [
      name,
      { accessKey: emulator.accounts[name]?.accessKey, secretKey: emulator.accounts[name]?.secretKey },
    ]),
  );
  return {
    "megaport:baseUrl": emulator.url,
    "megaport:accounts": JSON.stringify(accounts),
    "megaport:acceptPurchaseTerms": "true",
    ...extra,
  };
}

/**
 * Starts the emulator with short delays and configures the implementation against it. Answers are
 * enriched (emulator/enrich.ts) when asked, or with `MEGAPORT_EMULATOR_ENRICH=1` for a whole suite.
 */
export async function startHarness(options: { enrich?: boolean } = {}): Promise<RunningEmulator> {
  process.env.MEGAPORT_POLL_INTERVAL_MS = "20";
  const enrich = options.enrich ?? process.env.MEGAPORT_EMULATOR_ENRICH === "1";
  const emulator = await startEmulator({ port: 0, provisioningDelayMs: 50, enrich });
  implementation.configure(fakeConfig(emulatorConfig(emulator)));
  return emulator;
}

/** Stops the emulator and closes the provider's clients. */
export async function stopHarness(emulator: RunningEmulator | undefined): Promise<void> {
  await implementation.closeClients();
  await emulator?.close();
}

/** A JSON call to the emulator's admin API. */
export async function admin<T = unknown>(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === "" ? undefined : JSON.parse(text)) as T;
}

/** The API requests the emulator saw (admin calls are not logged). */
export function requests(emulator: RunningEmulator): Promise<RequestLogEntry[]> {
  return admin<RequestLogEntry[]>(emulator, "GET", "/_emulator/requests");
}

/** Captures console.log lines written while `task` runs. */
export async function captureLog<T>(task: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  };
  try {
    return { result: await task(), lines };
  } finally {
    console.log = original;
  }
}

/** Runs `task` expecting it to throw; returns the error. */
export async function rejection(task: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await task();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}

/**
 * Whether a check failure names `property`: in its `property`, or, for the secret inputs whose
 * values the engine would print, at the start of its reason only (provider/resources/checkFailures.ts).
 */
export function namesProperty(failure: { property: string; reason: string }, property: string): boolean {
  return ["serviceKey", "existingKey"].includes(property)
    ? failure.property === "" && failure.reason.startsWith(`${property}: `)
    : failure.property === property;
}

/**
 * Resets the emulator to its seed, and forgets the look-ups the provider shares within a run (a
 * product's keys, provider/resources/serviceKeyPreview.ts; A-Ends, provider/resources/vxcAEnds.ts;
 * whether the run has changed anything yet, provider/resources/vxcValidations.ts):
 * the next test is a new run, as a new provider process starts.
 */
export async function resetEmulator(emulator: RunningEmulator): Promise<void> {
  await admin(emulator, "POST", "/_emulator/reset");
  forgetLookUps();
  forgetAEnds();
  forgetDeferredValidations();
}

/**
 * Makes a key through the ServiceKey provider (check, then create) and answers the key: East's
 * multi-use key of 500 Mbps on `productUid` unless `extra` says otherwise.
 */
export async function makeKey(productUid: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { inputs, failures } = await implementation.serviceKey.check(
    {},
    { productUid, maxSpeed: 500, singleUse: false, account: "east", ...extra },
  );
  if (failures.length > 0) throw new Error(`makeKey: ${JSON.stringify(failures)}`);
  return (await implementation.serviceKey.create(inputs)).outs.key;
}

/** The inputs of West's VXC to `aEndProductUid` with `serviceKey`, as a program declares them. */
export function vxcProgram(
  aEndProductUid: string,
  serviceKey: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    serviceKey,
    aEndProductUid,
    name: "West to East",
    rateLimit: 200,
    account: "west",
    resourceName: "west-vxc",
    orderIdentity: "project/stack/west-vxc",
    ...extra,
  };
}

/** A proxy in front of the emulator that rewrites JSON answers (an API answering otherwise). */
export interface RewritingProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a loopback HTTP proxy to `target` that passes every request on and hands each JSON answer
 * to `rewrite` (method, path without query, parsed body) before answering: the real path, HTTP to the
 * emulator, with an answer the emulator never gives (a field reset, null, another order).
 */
export async function startRewritingProxy(
  target: string,
  rewrite: (request: { method: string; path: string }, body: unknown) => unknown,
): Promise<RewritingProxy> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === "string" && !["host", "connection", "content-length"].includes(name)) headers[name] = value;
        }
        const body = chunks.length === 0 ? undefined : Buffer.concat(chunks);
        const answer = await fetch(`${target}${req.url ?? ""}`, { method: req.method, headers, body });
        let text = await answer.text();
        if ((answer.headers.get("content-type") ?? "").includes("json") && text !== "") {
          const path = new URL(req.url ?? "/", target).pathname;
          text = JSON.stringify(rewrite({ method: req.method ?? "GET", path }, JSON.parse(text)));
        }
        const out: Record<string, string> = {};
        answer.headers.forEach((value, name) => {
          if (!["content-length", "transfer-encoding", "connection", "content-encoding", "keep-alive"].includes(name)) out[name] = value;
        });
        res.writeHead(answer.status, out);
        res.end(text);
      })().catch((error: unknown) => {
        res.writeHead(502);
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
