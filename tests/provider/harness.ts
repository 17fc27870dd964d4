/** Shared set-up of the provider tests: an emulator on loopback and a configured implementation. */
import { type RequestLogEntry, type RunningEmulator, startEmulator } from "../../emulator";
import * as implementation from "../../provider/implementation";
import { forgetLookUps } from "../../provider/resources/serviceKeyPreview";
import { forgetAEnds } from "../../provider/resources/vxcAEnds";

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
 * product's keys, provider/resources/serviceKeyPreview.ts; A-Ends, provider/resources/vxcAEnds.ts):
 * the next test is a new run, as a new provider process starts.
 */
export async function resetEmulator(emulator: RunningEmulator): Promise<void> {
  await admin(emulator, "POST", "/_emulator/reset");
  forgetLookUps();
  forgetAEnds();
}
