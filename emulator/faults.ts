/**
 * Fault injection for API paths (design.md §3.3): latency, error statuses, connection resets and
 * lost responses (the change is committed, the answer never arrives).
 */
import { z } from "zod";

const FaultStatusSchema = z.union([z.literal(429), z.literal(500), z.literal(503)]);

const rate = () => z.number().min(0).max(1).optional();

/** The body of `POST /_emulator/faults`; an empty body clears every fault. */
export const FaultConfigSchema = z.object({
  latencyMs: z.number().int().min(0).max(60000).optional(),
  errorRate: rate(),
  status: z.union([FaultStatusSchema, z.array(FaultStatusSchema).min(1)]).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  resetRate: rate(),
  lostResponseRate: rate(),
  /** Path prefixes such as "/v2/service/key"; omitted = every API path including /oauth2/token. */
  paths: z.array(z.string()).optional(),
  /** HTTP methods such as "POST"; omitted = every method (lose a create's answer, not the reads). */
  methods: z.array(z.string().transform((method) => method.toUpperCase())).optional(),
  /** Seed for deterministic randomness. */
  seed: z.number().int().optional(),
});
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

  set(config: FaultConfig): void {
    this.config = config;
    this.random = config.seed === undefined ? Math.random : mulberry32(config.seed);
  }

  clear(): void {
    this.set({});
  }

  /** Whether faults apply to this method and decoded API path. */
  applies(method: string, path: string): boolean {
    const { paths, methods } = this.config;
    return (
      (paths === undefined || paths.some((prefix) => path.startsWith(prefix))) &&
      (methods === undefined || methods.includes(method))
    );
  }

  /** Rolls the dice for a rate (0 or absent = never). */
  roll(rateValue: number | undefined): boolean {
    if (rateValue === undefined || rateValue <= 0) return false;
    return this.random() < rateValue;
  }

  /** The status of an injected error: the configured one, or one picked at random from an array. */
  pickStatus(): 429 | 500 | 503 {
    const status = this.config.status ?? 503;
    if (!Array.isArray(status)) return status;
    return status[Math.min(status.length - 1, Math.floor(this.random() * status.length))];
  }
}
