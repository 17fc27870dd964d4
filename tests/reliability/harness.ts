/**
 * Shared pieces of the reliability suite: the fixtures under tests/reliability/fixtures, typed views
 * of the emulator's admin answers (state and request log), and the fault mix of issue 8.
 */
import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { z } from "zod";
import type { EngineRun, ProgramRef } from "../e2e/engineRun";

/** A program under tests/reliability/fixtures (compiled to dist/tests/reliability/fixtures). */
export const reliabilityFixture = (name: string): ProgramRef => ({
  dir: `tests/reliability/fixtures/${name}`,
  module: `dist/tests/reliability/fixtures/${name}/index.js`,
});

/** The parts of `GET /_emulator/state` the suite reads (zod strips the rest). */
export const EmulatorStateSchema = z.object({
  now: z.number(),
  companies: z.array(z.object({ name: z.string(), companyUid: z.string() })),
  serviceKeys: z.array(
    z.object({
      key: z.string(),
      companyUid: z.string(),
      productUid: z.string(),
      description: z.string().nullable(),
      active: z.boolean(),
      singleUse: z.boolean(),
      vlan: z.number().nullable(),
      maxSpeed: z.number(),
      consumedByVxcUid: z.string().nullable(),
    }),
  ),
  vxcs: z.array(
    z.object({
      productUid: z.string(),
      productName: z.string(),
      companyUid: z.string(),
      serviceKey: z.string(),
      rateLimit: z.number(),
      provisioningStatus: z.string(),
      aEnd: z.object({ productUid: z.string(), vlan: z.number() }),
    }),
  ),
  approvals: z.array(z.object({ uid: z.string(), vxcUid: z.string(), status: z.string() })),
});
export type EmulatorState = z.infer<typeof EmulatorStateSchema>;

/** One entry of `GET /_emulator/requests`. */
export const RequestLogEntrySchema = z.object({
  seq: z.number(),
  time: z.number(),
  method: z.string(),
  path: z.string(),
  status: z.number().nullable(),
  company: z.string().nullable(),
  fault: z.enum(["error", "reset", "lost"]).nullable(),
});
export type RequestLogEntry = z.infer<typeof RequestLogEntrySchema>;

/** The emulator's whole state. */
export async function emulatorState(run: EngineRun): Promise<EmulatorState> {
  return EmulatorStateSchema.parse(await run.admin("GET", "state"));
}

/** The API requests logged after `since` (a `seq`; 0 = all). */
export async function requestsSince(run: EngineRun, since = 0): Promise<RequestLogEntry[]> {
  return z.array(RequestLogEntrySchema).parse(await run.admin("GET", `requests?since=${since}`));
}

/** The `seq` of the newest logged request (0 when none): a bookmark for {@link requestsSince}. */
export async function lastRequestSeq(run: EngineRun): Promise<number> {
  const entries = await requestsSince(run);
  return entries.length === 0 ? 0 : entries[entries.length - 1].seq;
}

/** Requests that order or change something (create key, buy, update, cancel, approval decision). */
export function isMutation(entry: RequestLogEntry): boolean {
  if (entry.path === "/oauth2/token") return false;
  if (entry.path.endsWith("/networkdesign/validate")) return false;
  return entry.method !== "GET";
}

/** A VXC order (`POST /v3|v4/networkdesign/buy`, docs/megaport-api.md, "Validate and buy"). */
export const isBuy = (entry: RequestLogEntry) =>
  entry.method === "POST" && /^\/v[34]\/networkdesign\/buy$/.test(entry.path);

/**
 * Issue 8's fault mix on every API path (the token endpoint included): 20 % of requests fail (5 %
 * connection resets, 15 % answered 429 with `Retry-After: 1`, 500 or 503) and 10 % of requests lose
 * their answer after the change was committed. The emulator rolls reset first, then error, then
 * loss, so the configured rates are scaled to give those shares of all requests.
 */
export const issue8Faults = {
  resetRate: 0.05,
  errorRate: 0.15 / 0.95,
  status: [429, 500, 503],
  retryAfterSeconds: 1,
  lostResponseRate: 0.1 / 0.8,
  seed: 8,
};

/** Sleeps `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined; fails after
 * `timeoutMs` with `what` in the message. Every wait of the suite is bounded by it.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 100 }: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    assert.ok(Date.now() < deadline, `timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Groups items by a key. */
export function countBy<T>(items: T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

/** The property that marks a secret value in Pulumi's state format. */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/** A copy of `value` with every secret envelope replaced by "[secret]". */
function withoutSecretEnvelopes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecretEnvelopes);
  if (typeof value !== "object" || value === null) return value;
  if (SECRET_SIGNATURE in value) return "[secret]";
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecretEnvelopes(v)]));
}

/**
 * Asserts that no service key or credential appears in plaintext in the CLI output or outside a
 * secret in the state. (`Stack.exportStack()` runs `pulumi stack export --show-secrets`, so secret
 * envelopes arrive decrypted; on disk they are encrypted. They are masked before searching.)
 */
export async function assertNoPlaintextSecrets(run: EngineRun, stack: Stack): Promise<void> {
  const secrets = await run.secrets();
  assert.ok(secrets.length > 0, "there are secrets to look for");
  const state = JSON.stringify(withoutSecretEnvelopes(await stack.exportStack()));
  for (const secret of secrets) {
    assert.ok(!state.includes(secret), "a service key or credential is in plaintext in the state");
    assert.ok(!run.output.includes(secret), "a service key or credential is in plaintext in the CLI output");
  }
  // A key's first 8 characters look the key up as well as the whole key: they are secret too. As a
  // token of their own only, not 8 characters that happen to stand inside a product UID.
  for (const key of secrets.filter((secret) => /^[0-9a-f]{8}-/.test(secret))) {
    const prefix = new RegExp(`(?<![0-9a-f-])${key.slice(0, 8)}(?![0-9a-f])`);
    assert.ok(!prefix.test(state), "a service key's prefix is in plaintext in the state");
    assert.ok(!prefix.test(run.output), "a service key's prefix is in plaintext in the CLI output");
  }
}
