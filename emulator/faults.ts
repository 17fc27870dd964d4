/**
 * Fault injection for API paths (docs/architecture.md, "The emulator contract"): latency, error statuses,
 * connection resets and lost responses (the change is committed, the answer never arrives), and error bodies
 * that echo the request's service key (to test that clients scrub what an API error repeats back).
 */
import { z } from "zod";

/**
 * Injectable statuses: 400 and 403 are refusals a client must not retry or read as "not found";
 * 502 and 504 are a gateway's answers (the request may have reached the API behind it).
 */
const FaultStatusSchema = z.union([
  z.literal(400),
  z.literal(403),
  z.literal(429),
  z.literal(500),
  z.literal(502),
  z.literal(503),
  z.literal(504),
]);
export type FaultStatus = z.infer<typeof FaultStatusSchema>;

const rate = () => z.number().min(0).max(1).optional();

/** The body of `POST /_emulator/faults`; an empty body clears every fault. */
export const FaultConfigSchema = z.object({
  latencyMs: z.number().int().min(0).max(60000).optional(),
  errorRate: rate(),
  status: z.union([FaultStatusSchema, z.array(FaultStatusSchema).min(1)]).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  resetRate: rate(),
  /**
   * How a reset ends the connection: `close` (the default) closes it (FIN: a client sees the other
   * side close), `rst` aborts it (TCP RST: a client sees ECONNRESET).
   */
  resetKind: z.enum(["close", "rst"]).optional(),
  lostResponseRate: rate(),
  /** The change is committed, then its answer waits this long (a slow answer to a done create). */
  answerDelayMs: z.number().int().min(0).max(60000).optional(),
  /**
   * The change is committed, the status line, headers and first half of the body are sent, then
   * the rest of the body after this long (a response body that stalls mid-way).
   */
  stallBodyMs: z.number().int().min(0).max(60000).optional(),
  /**
   * A bearer token expires once it has carried this many matching requests (as if the clock had
   * passed its lifetime): the client's next call meets a 401 and must fetch a new token, which
   * carries this many again, so a refresh-and-retry always gets through.
   */
  tokenUses: z.number().int().min(1).optional(),
  /** The faults apply to this many matching requests, then to none (the config stays as set). */
  times: z.number().int().min(1).optional(),
  /** Path prefixes such as "/v2/service/key"; omitted = every API path including /oauth2/token. */
  paths: z.array(z.string()).optional(),
  /** HTTP methods such as "POST"; omitted = every method (lose a create's answer, not the reads). */
  methods: z.array(z.string().transform((method) => method.toUpperCase())).optional(),
  /**
   * An injected error repeats the request's service key (the `key` query, or a `key`/`serviceKey`
   * field anywhere in the JSON body) and its 8-character prefix in its `message` and in `data`,
   * as a string or as a list of `{error}` items. Inferred; emulator only: the real API's error
   * texts are not known to quote keys, but a client must be safe if one does.
   */
  echoKey: z.enum(["string", "list"]).optional(),
  /** Seed for deterministic randomness. */
  seed: z.number().int().optional(),
});
/** Faults injected on matching API paths (`POST /_emulator/faults`); an empty object clears them. */
export type FaultConfig = z.infer<typeof FaultConfigSchema>;

/** mulberry32: a small deterministic PRNG for seeded fault decisions. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The active fault configuration and its random source. */
export class Faults {
  config: FaultConfig = {};
  private random: () => number = Math.random;
  /** Matching requests the faults still apply to (`times`); undefined = no limit. */
  private remaining: number | undefined;

  set(config: FaultConfig): void {
    this.config = config;
    this.random = config.seed === undefined ? Math.random : mulberry32(config.seed);
    this.remaining = config.times;
    this.uses = new Map();
  }

  clear(): void {
    this.set({});
  }

  /** Whether faults apply to this method and decoded API path; counts the request against `times`. */
  applies(method: string, path: string): boolean {
    const { paths, methods } = this.config;
    const matches =
      (paths === undefined || paths.some((prefix) => path.startsWith(prefix))) &&
      (methods === undefined || methods.includes(method));
    if (!matches || this.remaining === undefined) return matches;
    if (this.remaining <= 0) return false;
    this.remaining -= 1;
    return true;
  }

  /** Matching requests each bearer token carried since `tokenUses` was set. */
  private uses = new Map<string, number>();

  /** Counts a matching request carried by `token`; true when that was the token's last use. */
  usedUp(config: FaultConfig, token: string | undefined): boolean {
    if (config.tokenUses === undefined || token === undefined) return false;
    const uses = (this.uses.get(token) ?? 0) + 1;
    this.uses.set(token, uses);
    return uses >= config.tokenUses;
  }

  /** Rolls the dice for a rate (0 or absent = never). */
  roll(rateValue: number | undefined): boolean {
    if (rateValue === undefined || rateValue <= 0) return false;
    return this.random() < rateValue;
  }

  /** The status of an injected error: the configured one, or one picked at random from an array. */
  pickStatus(config: FaultConfig = this.config): FaultStatus {
    const status = config.status ?? 503;
    if (!Array.isArray(status)) return status;
    return status[Math.min(status.length - 1, Math.floor(this.random() * status.length))];
  }
}

/** The service key a request carries: its `key` query, or a `key`/`serviceKey` string in its body. */
export function requestKey(query: Record<string, string>, bodyText: string): string | undefined {
  if (query.key !== undefined && query.key !== "") return query.key;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const search = (value: unknown): string | undefined => {
    if (Array.isArray(value)) {
      for (const item of value) {
        const found = search(item);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (typeof value !== "object" || value === null) return undefined;
    for (const [name, field] of Object.entries(value)) {
      if ((name === "key" || name === "serviceKey") && typeof field === "string" && field !== "") return field;
      const found = search(field);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return search(body);
}
