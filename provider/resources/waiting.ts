/**
 * Deadlines and polling for the provider's own waits: the engine's `customTimeouts` never reach a
 * dynamic provider (docs/architecture.md, "Timeouts"), so resources take `timeouts` inputs such as
 * "15m" and enforce them here.
 */
import { z } from "zod";

const DURATION_PATTERN = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** A duration such as "90s", "15m", "1h" or "1h30m" (hours, minutes, seconds; at least one). */
export const durationSchema = z
  .string()
  .refine((text) => text !== "" && DURATION_PATTERN.test(text) && parseDurationMs(text) > 0, {
    message: 'must be a duration such as "90s", "15m", "1h" or "1h30m", greater than zero',
  });

/** Milliseconds in a duration accepted by `durationSchema` (0 when it does not match). */
export function parseDurationMs(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (match === null) return 0;
  const [hours, minutes, seconds] = [match[1], match[2], match[3]].map((part) => Number(part ?? 0));
  return (((hours ?? 0) * 60 + (minutes ?? 0)) * 60 + (seconds ?? 0)) * 1000;
}

/** `timeouts` input: per-operation limits for the provider's own waits. */
export const timeoutsSchema = z
  .object({
    create: durationSchema.optional(),
    update: durationSchema.optional(),
    delete: durationSchema.optional(),
  })
  .strict();
export type Timeouts = z.infer<typeof timeoutsSchema>;

/** Default limit of every wait when `timeouts` does not say otherwise. */
export const DEFAULT_TIMEOUT = "10m";

/**
 * Interval between status polls. Megaport's own clients poll every 30 s; the default here is 5 s.
 * `MEGAPORT_POLL_INTERVAL_MS` overrides it (used by the tests against the emulator).
 */
export function pollIntervalMs(): number {
  const fromEnv = Number(process.env.MEGAPORT_POLL_INTERVAL_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 5000;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * When a change is likely: the shortest time from an order to its VXC being ready seen in this
 * process (one `pulumi up`). The next VXC's first status poll waits that long instead of asking at
 * once and then at growing intervals: VXCs of one run provision alike, so the polls before it would
 * only see the status unchanged. 0 until a VXC was seen ready (the first poll is then at once).
 */
export class ReadyEstimate {
  private shortestMs: number | undefined;

  /** Records that a VXC was seen ready `ms` after its order. */
  observe(ms: number): void {
    this.shortestMs = this.shortestMs === undefined ? ms : Math.min(this.shortestMs, ms);
  }

  /** The wait before a new order's first poll. */
  firstPollMs(): number {
    return this.shortestMs ?? 0;
  }

  /** Forgets what was seen, as a new provider process starts without it (tests). */
  forget(): void {
    this.shortestMs = undefined;
  }
}

/** How soon after an order its VXC was ready, in this run. */
export const readyAfterOrder = new ReadyEstimate();
