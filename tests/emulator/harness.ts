/** Test harness: a real emulator on 127.0.0.1:0 and real HTTP calls through undici. */
import { request } from "undici";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../../emulator";

/** Parsed JSON as tests walk it: any member access yields more Json; see {@link list} and {@link text}. */
export interface Json {
  readonly [key: string]: Json;
}

/** A Json value known to be an array. */
export function list(value: Json | undefined): Json[] {
  if (!Array.isArray(value)) throw new Error(`expected an array, got ${JSON.stringify(value)}`);
  return value as unknown as Json[];
}

/** A Json value known to be a string. */
export function text(value: Json | undefined): string {
  if (typeof value !== "string") throw new Error(`expected a string, got ${JSON.stringify(value)}`);
  return value;
}

/** A Json value as a plain value for deepEqual. */
export const plain = (value: Json | undefined): unknown => value;

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
}

/** A raw HTTP call; `path` is sent exactly as given (no re-encoding). */
export async function http(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const response = await request(`${baseUrl}${path}`, {
    method: method as "GET",
    body: options.body,
    headers: options.headers,
  });
  const raw = await response.body.text();
  let body: unknown = raw;
  try {
    body = raw === "" ? undefined : JSON.parse(raw);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.statusCode, headers: response.headers, body: body as Json };
}

const basic = (accessKey: string, secretKey: string) =>
  `Basic ${Buffer.from(`${accessKey}:${secretKey}`).toString("base64")}`;

export class Harness {
  private tokens = new Map<string, string>();
  constructor(readonly emulator: RunningEmulator) {}

  static async start(options: EmulatorOptions = {}): Promise<Harness> {
    return new Harness(await startEmulator({ provisioningDelayMs: 1000, ...options }));
  }

  get url(): string {
    return this.emulator.url;
  }

  account(name: string) {
    const account = this.emulator.accounts[name];
    if (account === undefined) throw new Error(`no account ${name}`);
    return account;
  }

  /** A fresh token from /oauth2/token (grant_type in the query, as megaportgo sends it). */
  async newToken(name: string): Promise<string> {
    const account = this.account(name);
    const answer = await http(this.url, "POST", "/oauth2/token?grant_type=client_credentials", {
      headers: { authorization: basic(account.accessKey, account.secretKey) },
    });
    if (answer.status !== 200) throw new Error(`token for ${name}: ${answer.status}`);
    return text(answer.body.access_token);
  }

  async token(name: string): Promise<string> {
    const cached = this.tokens.get(name);
    if (cached !== undefined) return cached;
    const token = await this.newToken(name);
    this.tokens.set(name, token);
    return token;
  }

  /** An authenticated API call as `account`, with a JSON body when given. */
  async api(name: string, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.token(name)}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    return http(this.url, method, path, {
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** An admin call (no auth). */
  async admin(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    return http(this.url, method, `/_emulator${path}`, {
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Drops cached tokens (after moving the clock past their lifetime). */
  forgetTokens(): void {
    this.tokens.clear();
  }

  /** Back to the seed; tokens are state, so they are fetched again. */
  async reset(): Promise<void> {
    const answer = await this.admin("POST", "/reset");
    if (answer.status !== 200) throw new Error(`reset: ${answer.status}`);
    this.tokens.clear();
  }

  async advance(ms: number): Promise<number> {
    return Number((await this.admin("POST", "/clock", { advanceMs: ms })).body.now);
  }

  /** Creates a key on the owner's product; answers its key object. */
  async createKey(owner: string, fields: Record<string, unknown> = {}) {
    const answer = await this.api(owner, "POST", "/v2/service/key", {
      productUid: this.account(owner).products.port1G,
      singleUse: false,
      maxSpeed: 500,
      preApproved: true,
      ...fields,
    });
    if (answer.status !== 200) throw new Error(`create key: ${answer.status} ${JSON.stringify(answer.body)}`);
    return {
      key: text(answer.body.data.key),
      productUid: text(answer.body.data.productUid),
      view: answer.body.data,
    };
  }

  /** A VXC order array for `consumer` with `key` (B-End = the key's product). */
  design(consumer: string, key: { key: string; productUid: string }, vxc: Record<string, unknown> = {}) {
    const aEnd = this.account(consumer).products.port1G;
    return [
      {
        productUid: aEnd,
        associatedVxcs: [
          {
            productName: "Service key VXC",
            rateLimit: 100,
            term: 1,
            shutdown: false,
            serviceKey: key.key,
            aEnd: { productUid: aEnd, vlan: 0 },
            bEnd: { productUid: key.productUid },
            ...vxc,
          },
        ],
      },
    ];
  }

  /** Buys a VXC through /v4; answers the whole HTTP answer. */
  async buy(consumer: string, key: { key: string; productUid: string }, vxc: Record<string, unknown> = {}) {
    return this.api(consumer, "POST", "/v4/networkdesign/buy", {
      networkDesign: this.design(consumer, key, vxc),
      discountCodes: [],
    });
  }

  /** Buys a VXC and answers its uid, or throws. */
  async buyUid(
    consumer: string,
    key: { key: string; productUid: string },
    vxc: Record<string, unknown> = {},
  ) {
    const answer = await this.buy(consumer, key, vxc);
    if (answer.status !== 200) throw new Error(`buy: ${answer.status} ${JSON.stringify(answer.body)}`);
    return text(answer.body.data[0].vxcJTechnicalServiceUid);
  }

  close(): Promise<void> {
    return this.emulator.close();
  }
}
