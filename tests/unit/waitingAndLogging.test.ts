/**
 * The provider's own deadlines and progress lines (provider/resources/waiting.ts, logging.ts): the
 * `timeouts` durations users write, the poll interval, and the name every log line starts with.
 */
import * as assert from "node:assert/strict";
import { logLine } from "../../provider/resources/logging";
import {
  DEFAULT_TIMEOUT,
  durationSchema,
  parseDurationMs,
  pollIntervalMs,
  sleep,
  timeoutsSchema,
} from "../../provider/resources/waiting";

const DURATION_RULE = 'must be a duration such as "90s", "15m", "1h" or "1h30m", greater than zero';

describe("unit: durations of `timeouts`", () => {
  const valid: [string, number][] = [
    ["90s", 90_000],
    ["15m", 900_000],
    ["1h", 3_600_000],
    ["1h30m", 5_400_000],
    ["2h3m4s", (2 * 3600 + 3 * 60 + 4) * 1000],
    ["1m1s", 61_000],
    ["10m", 600_000],
  ];
  for (const [text, ms] of valid) {
    it(`"${text}" is ${ms} ms and accepted`, () => {
      assert.equal(parseDurationMs(text), ms);
      assert.deepEqual(durationSchema.safeParse(text), { success: true, data: text });
    });
  }

  for (const text of ["", "0s", "0h0m0s", "90", "1d", "1m30", "s", " 1m", "1m ", "1s1m", "-5s", "1.5m"]) {
    it(`refuses ${JSON.stringify(text)}, saying what a duration is`, () => {
      const result = durationSchema.safeParse(text);
      assert.equal(result.success, false);
      assert.deepEqual(
        result.error?.issues.map((issue) => issue.message),
        [DURATION_RULE],
      );
    });
  }

  it("parses what does not match as 0 ms", () => {
    for (const text of ["", "abc", "1d", "90", "1m30"]) assert.equal(parseDurationMs(text), 0, text);
  });

  it("the default limit is ten minutes", () => {
    assert.equal(parseDurationMs(DEFAULT_TIMEOUT), 600_000);
  });

  it("timeouts takes create, update and delete only", () => {
    assert.deepEqual(timeoutsSchema.parse({ create: "1m", update: "2m", delete: "3m" }), {
      create: "1m",
      update: "2m",
      delete: "3m",
    });
    assert.deepEqual(timeoutsSchema.parse({}), {});
    const unknownKey = timeoutsSchema.safeParse({ read: "1m" });
    assert.equal(unknownKey.success, false);
    assert.deepEqual(unknownKey.error?.issues.map((issue) => issue.code), ["unrecognized_keys"]);
    const badDelete = timeoutsSchema.safeParse({ delete: "soon" });
    assert.deepEqual(
      badDelete.error?.issues.map((issue) => [issue.path.join("."), issue.message]),
      [["delete", DURATION_RULE]],
    );
  });
});

describe("unit: the poll interval", () => {
  let saved: string | undefined;
  before(() => {
    saved = process.env.MEGAPORT_POLL_INTERVAL_MS;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.MEGAPORT_POLL_INTERVAL_MS;
    else process.env.MEGAPORT_POLL_INTERVAL_MS = saved;
  });

  it("is 5 s unless MEGAPORT_POLL_INTERVAL_MS sets a positive number", () => {
    const cases: [string | undefined, number][] = [
      [undefined, 5000],
      ["20", 20],
      ["0.5", 0.5],
      ["0", 5000],
      ["-20", 5000],
      ["soon", 5000],
      ["Infinity", 5000],
    ];
    for (const [value, expected] of cases) {
      if (value === undefined) delete process.env.MEGAPORT_POLL_INTERVAL_MS;
      else process.env.MEGAPORT_POLL_INTERVAL_MS = value;
      assert.equal(pollIntervalMs(), expected, String(value));
    }
  });

  it("sleep waits the time it is given", async () => {
    const started = Date.now();
    await sleep(60);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 55, `slept ${elapsed} ms`);
  });
});

describe("unit: progress lines", () => {
  function logged(resourceName: unknown, message: string): string[] {
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
    try {
      logLine(resourceName, message);
    } finally {
      console.log = original;
    }
    return lines;
  }

  it("start with the resource's name, or `megaport` when there is none", () => {
    assert.deepEqual(logged("east-key", "made"), ["east-key: made"]);
    assert.deepEqual(logged("", "made"), ["megaport: made"]);
    assert.deepEqual(logged(undefined, "made"), ["megaport: made"]);
    assert.deepEqual(logged(42, "made"), ["megaport: made"]);
  });
});
