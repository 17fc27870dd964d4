/**
 * A bare HTTP server for the answers the emulator, being faithful to the Megaport API, never gives:
 * HTML pages, JSON errors of other shapes, missing pagination headers, malformed 2xx bodies.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MegaportClient } from "../../sdk";
import { FAST_RETRY } from "./harness";

/** One canned answer of the bare server. */
export interface Canned {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A bare server: a token for any token request, then `next` for every API request. */
export class BareApi {
  next: Canned = { status: 200, body: "{}" };
  /** Headers sent more than once (each value on its own line), added to `next`'s. */
  multiHeaders: Record<string, string[]> | undefined;
  private readonly server: Server;
  private constructor() {
    this.server = createServer((req, res) => {
      req.resume();
      if (req.url?.startsWith("/oauth2/token")) {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ access_token: "bare-token-value", expires_in: 3600 }));
        return;
      }
      for (const [name, values] of Object.entries(this.multiHeaders ?? {})) res.setHeader(name, values);
      res.writeHead(this.next.status, this.next.headers ?? {});
      res.end(this.next.body);
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<BareApi> {
    const api = new BareApi();
    await new Promise<void>((resolve) => api.server.listen(0, "127.0.0.1", resolve));
    return api;
  }

  client(): MegaportClient {
    return new MegaportClient({
      accessKey: "bare-access",
      secretKey: "bare-secret-value",
      baseUrl: this.url,
      retry: { ...FAST_RETRY, maxAttempts: 1 },
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A JSON answer with its content type. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Canned => ({
  status,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json", ...headers },
});
