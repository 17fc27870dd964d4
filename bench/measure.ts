/**
 * What one benchmark operation measures: wall time, the API requests the emulator logged (per
 * endpoint and per resource), token requests per account, TCP connections the emulator accepted,
 * and the peak resident memory (VmHWM) of the provider process (the dynamic provider or the
 * provider plugin), polled from /proc.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import { z } from "zod";

/** One API request from `GET /_emulator/requests`. */
const RequestLogEntrySchema = z.object({
  seq: z.number(),
  method: z.string(),
  path: z.string(),
  company: z.string().nullable(),
});
type RequestLogEntry = z.infer<typeof RequestLogEntrySchema>;

/** The emulator admin API of one emulator. */
export class EmulatorAdmin {
  constructor(private readonly url: string) {}

  /**
   * One admin call on a connection of its own (no keep-alive agent), so that the emulator's
   * connection counter moves by exactly one per admin call and the provider's connections can be
   * told apart.
   */
  call(method: "GET" | "POST", adminPath: string, body?: unknown): Promise<unknown> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        `${this.url}/_emulator/${adminPath}`,
        {
          method,
          agent: false,
          headers: payload === undefined ? {} : { "content-type": "application/json" },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if ((response.statusCode ?? 500) >= 400)
              reject(new Error(`${method} /_emulator/${adminPath}: ${response.statusCode}`));
            else resolve(text === "" ? undefined : JSON.parse(text));
          });
        },
      );
      request.on("error", reject);
      request.end(payload);
    });
  }

  async requestsSince(since: number): Promise<RequestLogEntry[]> {
    return z.array(RequestLogEntrySchema).parse(await this.call("GET", `requests?since=${since}`));
  }

  async lastSeq(): Promise<number> {
    const entries = await this.requestsSince(0);
    return entries.length === 0 ? 0 : entries[entries.length - 1].seq;
  }

  async connectionsOpened(): Promise<number> {
    return z.object({ connectionsOpened: z.number() }).parse(await this.call("GET", "stats"))
      .connectionsOpened;
  }
}

/** An API endpoint with ids and keys folded, e.g. `GET /v2/product/{uid}`. */
export function endpointOf(entry: { method: string; path: string }): string {
  const path = entry.path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "{uid}");
  return `${entry.method} ${path}`;
}

/** The command lines of provider processes: the dynamic provider, or the provider plugin. */
const PROVIDER_PROCESSES = ["cmd/dynamic-provider", "pulumi-resource-megaport-service-keys", "provider/plugin/bin.js"];

/** Polls /proc for provider processes (PROVIDER_PROCESSES) and keeps the highest VmHWM seen (kB). */
export class ProviderMemoryProbe {
  private peakKb = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 50) {
    this.timer = setInterval(() => this.poll(), intervalMs);
  }

  private poll(): void {
    for (const name of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, "utf8");
        if (!PROVIDER_PROCESSES.some((process) => cmdline.includes(process))) continue;
        const status = fs.readFileSync(`/proc/${name}/status`, "utf8");
        const hwm = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
        this.peakKb = Math.max(this.peakKb, hwm);
      } catch {
        // the process ended between readdir and read
      }
    }
  }

  /** Stops polling; the peak in kB (0 when no provider process was seen). */
  stop(): number {
    clearInterval(this.timer);
    this.poll();
    return this.peakKb;
  }
}

/** What one operation cost. */
export interface OperationMeasure {
  ms: number;
  apiRequests: number;
  byEndpoint: Record<string, number>;
  tokenRequestsByAccount: Record<string, number>;
  connectionsOpened: number;
  providerPeakKb: number;
}

/** Runs `operation` and measures it against the emulator behind `admin`. */
export async function measure(
  admin: EmulatorAdmin,
  operation: () => Promise<unknown>,
): Promise<OperationMeasure> {
  const since = await admin.lastSeq();
  const connectionsBefore = await admin.connectionsOpened();
  const probe = new ProviderMemoryProbe();
  const started = performance.now();
  let providerPeakKb = 0;
  try {
    await operation();
  } finally {
    providerPeakKb = probe.stop();
  }
  const ms = performance.now() - started;
  // Each admin call opens exactly one connection of its own (see EmulatorAdmin.call): not counted.
  const connectionsOpened = (await admin.connectionsOpened()) - connectionsBefore - 1;
  const entries = await admin.requestsSince(since);
  const byEndpoint: Record<string, number> = {};
  const tokenRequestsByAccount: Record<string, number> = {};
  let apiRequests = 0;
  for (const entry of entries) {
    if (entry.path === "/oauth2/token") {
      const account = entry.company ?? "unknown";
      tokenRequestsByAccount[account] = (tokenRequestsByAccount[account] ?? 0) + 1;
      continue;
    }
    apiRequests += 1;
    const endpoint = endpointOf(entry);
    byEndpoint[endpoint] = (byEndpoint[endpoint] ?? 0) + 1;
  }
  return { ms, apiRequests, byEndpoint, tokenRequestsByAccount, connectionsOpened, providerPeakKb };
}
