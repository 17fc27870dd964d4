/** Shared set-up for the SDK suites: an emulator on a free loopback port and its admin API. */
import { type EmulatorAccount, type RequestLogEntry, type RunningEmulator, startEmulator } from "../../emulator";
import { MegaportClient, type MegaportClientOptions, type RequestEvent } from "../../sdk";

/**
 * `MEGAPORT_EMULATOR_ENRICH=1` runs a suite against enriched answers (emulator/enrich.ts): the
 * same tests must pass when the API varies the ways megaportgo tolerates.
 */
export const ENRICHED = process.env.MEGAPORT_EMULATOR_ENRICH === "1";

/** Short retry delays so the suites stay fast. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 50 };

/** A running emulator plus helpers for its admin endpoints and for clients against it. */
export class Harness {
  private readonly clients: MegaportClient[] = [];

  private constructor(readonly emulator: RunningEmulator) {}

  static async start(options: { tokenLifetimeSeconds?: number } = {}): Promise<Harness> {
    return new Harness(await startEmulator({ port: 0, provisioningDelayMs: 20, enrich: ENRICHED, ...options }));
  }

  get east(): EmulatorAccount {
    return this.emulator.accounts.east;
  }

  get west(): EmulatorAccount {
    return this.emulator.accounts.west;
  }

  /** A client for `account`, closed by {@link Harness.close}. */
  client(account: EmulatorAccount, options: Partial<MegaportClientOptions> = {}): MegaportClient {
    const client = new MegaportClient({
      accessKey: account.accessKey,
      secretKey: account.secretKey,
      baseUrl: this.emulator.url,
      retry: FAST_RETRY,
      ...options,
    });
    this.clients.push(client);
    return client;
  }

  /** Like {@link Harness.client}, also collecting every `onRequest` event. */
  observedClient(
    account: EmulatorAccount,
    options: Partial<MegaportClientOptions> = {},
  ): { client: MegaportClient; events: RequestEvent[] } {
    const events: RequestEvent[] = [];
    const client = this.client(account, { ...options, onRequest: (event) => events.push(event) });
    return { client, events };
  }

  async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.emulator.url}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${text}`);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  faults(config: Record<string, unknown>): Promise<unknown> {
    return this.admin("POST", "/_emulator/faults", config);
  }

  clearFaults(): Promise<unknown> {
    return this.admin("POST", "/_emulator/faults", {});
  }

  advanceClock(advanceMs: number): Promise<unknown> {
    return this.admin("POST", "/_emulator/clock", { advanceMs });
  }

  requests(): Promise<RequestLogEntry[]> {
    return this.admin<RequestLogEntry[]>("GET", "/_emulator/requests");
  }

  clearRequests(): Promise<unknown> {
    return this.admin("DELETE", "/_emulator/requests");
  }

  reset(): Promise<unknown> {
    return this.admin("POST", "/_emulator/reset");
  }

  /**
   * West orders a VXC with a new multi-use key of East's, through the API (no provider involved).
   * Answers West's client and the new VXC's uid.
   */
  async orderVxc(order: {
    name: string;
    ownerProduct: string;
    aEnd: string;
    rateLimit: number;
    preApproved: boolean;
    aEndVlan?: number;
  }): Promise<{ consumer: MegaportClient; uid: string }> {
    const consumer = this.client(this.west);
    const key = await this.client(this.east).serviceKeys.create({
      productUid: order.ownerProduct,
      maxSpeed: 100,
      singleUse: false,
      active: true,
      preApproved: order.preApproved,
    });
    const [bought] = await consumer.networkDesign.buy([
      {
        productUid: order.aEnd,
        associatedVxcs: [
          {
            productName: order.name,
            rateLimit: order.rateLimit,
            term: 1,
            shutdown: false,
            serviceKey: key.key,
            aEnd: order.aEndVlan === undefined ? {} : { vlan: order.aEndVlan },
            bEnd: { productUid: key.productUid },
          },
        ],
      },
    ]);
    return { consumer, uid: bought.vxcJTechnicalServiceUid };
  }

  /** Service keys the emulator holds (every company). */
  async serviceKeys(): Promise<{ key: string; productUid: string }[]> {
    const state = await this.admin<{ serviceKeys: { key: string; productUid: string }[] }>(
      "GET",
      "/_emulator/state",
    );
    return state.serviceKeys;
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
    await this.emulator.close();
  }
}

/** Counts token requests in a request log. */
export function tokenRequests(log: RequestLogEntry[]): number {
  return log.filter((entry) => entry.path === "/oauth2/token").length;
}
