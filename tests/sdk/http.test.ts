/**
 * The HTTP pipeline (sdk/http.ts) in detail: what every request carries, redaction, `Retry-After`,
 * the backoff arithmetic, which failures are retried and which are not, and the exact texts of
 * network errors, events and debug lines. Written against the surviving mutants of
 * `make mutation` (docs/testing.md, "Mutation testing").
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { createServer } from "node:net";
import * as path from "node:path";
import {
  MegaportApiError,
  MegaportClient,
  MegaportNetworkError,
  MegaportOutcomeUnknownError,
  PACKAGE_NAME,
  PACKAGE_VERSION,
  parseRetryAfter,
  Redactor,
  type RequestEvent,
  redactPath,
} from "../../sdk";
import { FAST_RETRY, Harness } from "./harness";

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected an error");
}

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(address && typeof address === "object");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

/** Runs `fn` with `Math.random` answering `value`: the backoff's jitter becomes predictable. */
async function withRandom<T>(value: number, fn: () => Promise<T>): Promise<T> {
  const original = Math.random;
  Math.random = () => value;
  try {
    return await fn();
  } finally {
    Math.random = original;
  }
}

/** Runs `fn` with `MEGAPORT_DEBUG` as given, collecting the `[megaport]` lines written to stderr. */
async function debugLines(debug: string | undefined, fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const originalWrite = process.stderr.write.bind(process.stderr);
  const previous = process.env.MEGAPORT_DEBUG;
  if (debug === undefined) delete process.env.MEGAPORT_DEBUG;
  else process.env.MEGAPORT_DEBUG = debug;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (text.startsWith("[megaport]")) {
      lines.push(text);
      return true;
    }
    return (originalWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    await fn().catch(() => undefined);
  } finally {
    process.stderr.write = originalWrite;
    if (previous === undefined) delete process.env.MEGAPORT_DEBUG;
    else process.env.MEGAPORT_DEBUG = previous;
  }
  return lines;
}

/** Events without their (variable) durations. */
const shape = (events: RequestEvent[]) =>
  events.map(({ durationMs, ...rest }) => {
    assert.ok(Number.isInteger(durationMs) && durationMs >= 0, `durationMs ${durationMs}`);
    return rest;
  });

describe("sdk: HTTP pipeline", () => {
  let harness: Harness;

  before(async () => {
    harness = await Harness.start({ tokenLifetimeSeconds: 300 });
  });

  beforeEach(async () => {
    await harness.clearFaults();
    await harness.clearRequests();
  });

  after(async () => {
    await harness.close();
  });

  const newKey = (client: MegaportClient) =>
    client.serviceKeys.create({
      productUid: harness.east.products.port1G,
      maxSpeed: 100,
      singleUse: false,
      active: true,
    });

  describe("what every request carries", () => {
    it("PACKAGE_NAME and PACKAGE_VERSION are those of the repository's package.json", () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
        name: string;
        version: string;
      };
      assert.equal(PACKAGE_NAME, pkg.name);
      assert.equal(PACKAGE_VERSION, pkg.version);
    });

    it("User-Agent, Accept, Content-Type and the exact bodies of the token request, a GET and a create", async () => {
      const client = harness.client(harness.east, { userAgent: "sdk-test/1.0" });
      await client.products.list();
      const key = await newKey(client);
      const log = await harness.requests();
      const agent = `sdk-test/1.0 ${PACKAGE_NAME}/${PACKAGE_VERSION}`;
      assert.deepEqual(
        log.map((entry) => [entry.method, entry.path, entry.headers, entry.body]),
        [
          [
            "POST",
            "/oauth2/token",
            { userAgent: agent, accept: "application/json", contentType: "application/x-www-form-urlencoded" },
            "grant_type=client_credentials",
          ],
          ["GET", "/v2/products", { userAgent: agent, accept: "application/json", contentType: null }, ""],
          [
            "POST",
            "/v2/service/key",
            { userAgent: agent, accept: "application/json", contentType: "application/json" },
            JSON.stringify({
              productUid: harness.east.products.port1G,
              maxSpeed: 100,
              singleUse: false,
              active: true,
            }),
          ],
        ],
      );
      assert.equal(key.active, true);
    });

    it("without a userAgent option the User-Agent is the package's own", async () => {
      const client = harness.client(harness.east);
      await client.products.list();
      const agents = (await harness.requests()).map((entry) => entry.headers.userAgent);
      assert.deepEqual(agents, [`${PACKAGE_NAME}/${PACKAGE_VERSION}`, `${PACKAGE_NAME}/${PACKAGE_VERSION}`]);
    });
  });

  describe("redaction", () => {
    it("redactPath masks `key=` values (plain or percent-encoded, any case) and /service/key/<key>, not validate", () => {
      const cases: [string, string][] = [
        ["/v2/service/key?key=abc123", "/v2/service/key?key=[REDACTED]"],
        ["/v2/x?a=1&key=abc&b=2", "/v2/x?a=1&key=[REDACTED]&b=2"],
        ["/v2/x?KEY=abc#frag", "/v2/x?KEY=[REDACTED]#frag"],
        ["/v2/service/key%3Fkey%3Dabc123", "/v2/service/key%3Fkey%3D[REDACTED]"],
        ["/v2/service/key%3fkey=abc%26b=2", "/v2/service/key%3fkey=[REDACTED]"],
        ["/x%26key=abc&y=1", "/x%26key=[REDACTED]&y=1"],
        ["/v2/x?monkey=abc", "/v2/x?monkey=abc"],
        ["/v2/x?key=a b", "/v2/x?key=[REDACTED] b"],
        ["/v2/service/key/abc-123/x?y=1", "/v2/service/key/[REDACTED]/x?y=1"],
        ["/v2/SERVICE/KEY/abc-123#f", "/v2/SERVICE/KEY/[REDACTED]#f"],
        ["/v2/service/key/abc def", "/v2/service/key/[REDACTED] def"],
        ["/v2/service/key/validate", "/v2/service/key/validate"],
        ["/v2/service/key/validated", "/v2/service/key/[REDACTED]"],
        ["/v2/service/key", "/v2/service/key"],
      ];
      for (const [input, expected] of cases) assert.equal(redactPath(input), expected, input);
    });

    it("Redactor: secrets of 6+ characters, prefixes of keys longer than 8, longest first, Bearer/Basic values", () => {
      const redactor = new Redactor();
      redactor.add("abcde"); // too short to be a secret: never masked
      redactor.add("k1234", true); // nor as a key prefix
      redactor.add("s3cret");
      redactor.add("s3cret-longer-value");
      redactor.add("12345678", true); // exactly 8: no separate prefix
      redactor.add("a1b2c3d4e", true); // 9: its 8-character prefix too
      redactor.add("k.y+(1)*z", true);
      assert.equal(redactor.scrub("abcde"), "abcde");
      assert.equal(redactor.scrub("k1234 [k1234]"), "k1234 [k1234]");
      assert.equal(redactor.scrub("x s3cret-longer-value y"), "x [REDACTED] y");
      assert.equal(redactor.scrub("s3cret"), "[REDACTED]");
      assert.equal(redactor.scrub("12345678 1234567"), "[REDACTED] 1234567");
      assert.equal(redactor.scrub("a1b2c3d4 a1b2c3d4e"), "[REDACTED] [REDACTED]");
      assert.equal(redactor.scrub("xa1b2c3d4 a1b2c3d4x -a1b2c3d4"), "xa1b2c3d4 a1b2c3d4x -a1b2c3d4");
      assert.equal(redactor.scrub("k.y+(1)* kxy+(1)*"), "[REDACTED] kxy+(1)*");
      assert.equal(
        redactor.scrub("authorization: Bearer eyJ.a-b_c~d+e/f=, Basic dXNlcjpwYXNz; bearer x"),
        "authorization: Bearer [REDACTED], Basic [REDACTED]; bearer x",
      );
      assert.equal(redactor.scrub("GET /v2/service/key?key=anything"), "GET /v2/service/key?key=[REDACTED]");
    });
  });

  describe("Retry-After", () => {
    it("parseRetryAfter reads delta seconds (whole or decimal), an HTTP date, the first of a list", () => {
      const now = Date.parse("Wed, 03 Dec 2025 10:00:00 GMT");
      assert.equal(parseRetryAfter("3", now), 3000);
      assert.equal(parseRetryAfter(" 2 ", now), 2000);
      assert.equal(parseRetryAfter("1.25", now), 1250);
      assert.equal(parseRetryAfter("0", now), 0);
      assert.equal(parseRetryAfter(["4", "9"], now), 4000);
      assert.equal(parseRetryAfter("Wed, 03 Dec 2025 10:00:05 GMT", now), 5000);
      assert.equal(parseRetryAfter("Wed, 03 Dec 2025 09:59:00 GMT", now), 0, "a past date: no wait");
      assert.equal(parseRetryAfter(undefined, now), undefined);
      assert.equal(parseRetryAfter("", now), undefined);
      assert.equal(parseRetryAfter("   ", now), undefined);
      assert.equal(parseRetryAfter("soon", now), undefined);
      assert.equal(parseRetryAfter("12", now), 12_000);
      for (const text of ["3s", "x5", "5x", "1x5"]) assert.equal(parseRetryAfter(text, now), undefined, text);
    });

    it("a create refused with 429 and Retry-After: 0 is re-sent at once, and makes exactly one key", async () => {
      const { client, events } = harness.observedClient(harness.east, {
        retry: { maxAttempts: 3, maxElapsedMs: 60_000, baseDelayMs: 5_000, maxDelayMs: 5_000 },
      });
      await client.products.list();
      const before = (await harness.serviceKeys()).length;
      await harness.faults({ errorRate: 1, status: 429, retryAfterSeconds: 0, times: 1, paths: ["/v2/service/key"] });
      const started = Date.now();
      await newKey(client);
      assert.ok(Date.now() - started < 2_000, "Retry-After: 0 wins over a 5 s backoff");
      assert.equal((await harness.serviceKeys()).length, before + 1);
      assert.deepEqual(
        shape(events.slice(-2)),
        [
          { method: "POST", path: "/v2/service/key", attempt: 1, status: 429 },
          { method: "POST", path: "/v2/service/key", attempt: 2, status: 200 },
        ],
      );
    });
  });

  describe("backoff", () => {
    it("waits random × min(maxDelayMs, baseDelayMs × 2^(attempt-1)) between attempts", async () => {
      const stamps: number[] = [];
      const client = harness.client(harness.east, {
        retry: { maxAttempts: 3, maxElapsedMs: 60_000, baseDelayMs: 100, maxDelayMs: 10_000 },
        onRequest: () => stamps.push(Date.now()),
      });
      await client.products.list();
      await harness.faults({ errorRate: 1, status: 503, paths: ["/v2/products"] });
      stamps.length = 0;
      const error = await withRandom(0.5, () => thrown(() => client.products.list()));
      assert.ok(error instanceof MegaportApiError && error.status === 503);
      assert.equal(stamps.length, 3);
      const gaps = [stamps[1] - stamps[0], stamps[2] - stamps[1]];
      // 0.5 × 100 = 50 ms, then 0.5 × 200 = 100 ms (plus the next attempt's own time)
      assert.ok(gaps[0] >= 49 && gaps[0] < 170, `first wait ${gaps[0]} ms, expected 50`);
      assert.ok(gaps[1] >= 99 && gaps[1] < 220, `second wait ${gaps[1]} ms, expected 100`);
    });

    it("maxDelayMs caps each wait", async () => {
      const stamps: number[] = [];
      const client = harness.client(harness.east, {
        retry: { maxAttempts: 3, maxElapsedMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 120 },
        onRequest: () => stamps.push(Date.now()),
      });
      await client.products.list();
      await harness.faults({ errorRate: 1, status: 503, paths: ["/v2/products"] });
      stamps.length = 0;
      await withRandom(0.5, () => thrown(() => client.products.list()));
      assert.equal(stamps.length, 3);
      for (const gap of [stamps[1] - stamps[0], stamps[2] - stamps[1]]) {
        assert.ok(gap >= 59 && gap < 180, `wait ${gap} ms, expected 0.5 × 120 = 60`);
      }
    });

    it("stops before a wait that would pass maxElapsedMs: exactly 3 attempts", async () => {
      const { client, events } = harness.observedClient(harness.east, {
        retry: { maxAttempts: 10, maxElapsedMs: 750, baseDelayMs: 600, maxDelayMs: 600 },
      });
      await client.products.list();
      await harness.faults({ errorRate: 1, status: 503, paths: ["/v2/products"] });
      events.length = 0;
      // Waits of 300 ms: attempts at about 0, 300 and 600 ms; a fourth would start past 750 ms.
      const error = await withRandom(0.5, () => thrown(() => client.products.list()));
      assert.ok(error instanceof MegaportApiError && error.status === 503);
      assert.deepEqual(
        events.map((event) => [event.attempt, event.status]),
        [
          [1, 503],
          [2, 503],
          [3, 503],
        ],
      );
    });
  });

  describe("what is retried", () => {
    for (const status of [500, 502, 504] as const) {
      it(`a create answered ${status} is an unknown outcome, sent once`, async () => {
        const { client, events } = harness.observedClient(harness.east, { retry: { ...FAST_RETRY, maxAttempts: 4 } });
        await client.products.list();
        await harness.faults({ errorRate: 1, status, paths: ["/v2/service/key"] });
        const startedBefore = Date.now();
        const error = await thrown(() => newKey(client));
        assert.ok(error instanceof MegaportOutcomeUnknownError);
        assert.equal(
          error.message,
          `POST /v2/service/key: outcome unknown (HTTP ${status}); the request may have been applied, reconcile before retrying`,
        );
        assert.ok(error.startedAt >= startedBefore);
        assert.equal((await harness.requests()).filter((e) => e.path === "/v2/service/key").length, 1);
        assert.equal(events.at(-1)?.status, status);
      });
    }

    it("a read answered 502 then 504 is re-sent until it succeeds", async () => {
      const client = harness.client(harness.east, { retry: { ...FAST_RETRY, maxAttempts: 3 } });
      await client.products.list();
      await harness.faults({ errorRate: 1, status: 502, times: 1, paths: ["/v2/products"] });
      await harness.clearRequests();
      const listing = client.products.list();
      const products = await listing;
      assert.equal(products.length, 4);
      await harness.faults({ errorRate: 1, status: 504, times: 1, paths: ["/v2/products"] });
      assert.equal((await client.products.list()).length, 4);
      assert.deepEqual(
        (await harness.requests()).map((e) => e.status),
        [502, 200, 504, 200],
      );
    });

    it("a 400 or 403 is final: sent once, whatever the retry budget", async () => {
      const client = harness.client(harness.east, { retry: { ...FAST_RETRY, maxAttempts: 5 } });
      await client.products.list();
      for (const status of [400, 403] as const) {
        await harness.faults({ errorRate: 1, status, paths: ["/v2/products"] });
        await harness.clearRequests();
        const error = await thrown(() => client.products.list());
        assert.ok(error instanceof MegaportApiError);
        assert.equal(error.status, status);
        assert.equal((await harness.requests()).length, 1);
      }
    });

    it("when the retries run out, the last answer is returned as an error: maxAttempts attempts", async () => {
      const { client, events } = harness.observedClient(harness.east, { retry: { ...FAST_RETRY, maxAttempts: 3 } });
      await client.products.list();
      await harness.faults({ errorRate: 1, status: 503, paths: ["/v2/products"] });
      events.length = 0;
      const error = await thrown(() => client.products.list());
      assert.ok(error instanceof MegaportApiError);
      assert.equal(error.message, "GET /v2/products: 503 Service Unavailable: The API is under maintenance");
      assert.deepEqual(
        shape(events),
        [1, 2, 3].map((attempt) => ({ method: "GET", path: "/v2/products", attempt, status: 503 })),
      );
    });
  });

  describe("network failures", () => {
    it("a closed client fails at once (no retry): client is closed, after 1 attempt", async () => {
      const events: RequestEvent[] = [];
      // Not the harness's client: the harness closes its clients at the end, and a second close throws.
      const client = new MegaportClient({
        accessKey: harness.east.accessKey,
        secretKey: harness.east.secretKey,
        baseUrl: harness.emulator.url,
        retry: { ...FAST_RETRY, maxAttempts: 5 },
        onRequest: (event) => events.push(event),
      });
      await client.close();
      const error = await thrown(() => client.products.list());
      assert.ok(error instanceof MegaportNetworkError);
      assert.equal(error.causeCode, "UND_ERR_DESTROYED");
      assert.equal(error.attempts, 1);
      assert.equal(error.message, "POST /oauth2/token: client is closed (UND_ERR_DESTROYED) after 1 attempt");
      assert.deepEqual(shape(events), [
        { method: "POST", path: "/oauth2/token", attempt: 1, errorCode: "UND_ERR_DESTROYED" },
      ]);
    });

    it("a read whose connection is reset each time: connection closed before the response arrived", async () => {
      const { client, events } = harness.observedClient(harness.east, { retry: { ...FAST_RETRY, maxAttempts: 2 } });
      await client.products.list();
      await harness.faults({ resetRate: 1, paths: ["/v2/products"] });
      events.length = 0;
      const error = await thrown(() => client.products.list());
      assert.ok(error instanceof MegaportNetworkError);
      assert.equal(error.code, "ERR_MEGAPORT_NETWORK");
      assert.equal(error.method, "GET");
      assert.equal(error.path, "/v2/products");
      assert.equal(error.causeCode, "UND_ERR_SOCKET");
      assert.equal(error.attempts, 2);
      assert.equal(
        error.message,
        "GET /v2/products: connection closed before the response arrived (UND_ERR_SOCKET) after 2 attempts",
      );
      assert.deepEqual(shape(events), [
        { method: "GET", path: "/v2/products", attempt: 1, errorCode: "UND_ERR_SOCKET" },
        { method: "GET", path: "/v2/products", attempt: 2, errorCode: "UND_ERR_SOCKET" },
      ]);
    });

    it("a read aborted with a TCP RST each time: ECONNRESET, connection closed before the response arrived", async () => {
      const client = harness.client(harness.east, { retry: { ...FAST_RETRY, maxAttempts: 2 } });
      await client.products.list();
      await harness.faults({ resetRate: 1, resetKind: "rst", paths: ["/v2/products"] });
      const error = await thrown(() => client.products.list());
      assert.ok(error instanceof MegaportNetworkError);
      assert.equal(
        error.message,
        "GET /v2/products: connection closed before the response arrived (ECONNRESET) after 2 attempts",
      );
      await harness.faults({ resetRate: 1, resetKind: "rst", paths: ["/v2/service/key"] });
      const create = await thrown(() => newKey(client));
      assert.ok(create instanceof MegaportOutcomeUnknownError, "ECONNRESET does not prove the create never arrived");
      assert.equal((await harness.requests()).filter((e) => e.path === "/v2/service/key").length, 1);
    });

    it("a request while the client is closing fails at once: client is closed (UND_ERR_CLOSED)", async () => {
      const client = new MegaportClient({
        accessKey: harness.east.accessKey,
        secretKey: harness.east.secretKey,
        baseUrl: harness.emulator.url,
        retry: { ...FAST_RETRY, maxAttempts: 5 },
      });
      await client.products.list();
      const closing = client.close();
      const error = await thrown(() => client.products.list());
      await closing;
      assert.ok(error instanceof MegaportNetworkError);
      assert.equal(error.message, "GET /v2/products: client is closed (UND_ERR_CLOSED) after 1 attempt");
    });

    it("an answer that is not HTTP: a network error without a code (UNKNOWN), retried on a read", async () => {
      const garbler = createServer((socket) => socket.once("data", () => socket.end("garbage\r\n\r\n")));
      await new Promise<void>((resolve) => garbler.listen(0, "127.0.0.1", resolve));
      const address = garbler.address();
      assert.ok(address && typeof address === "object");
      const { client, events } = harness.observedClient(harness.east, {
        baseUrl: `http://127.0.0.1:${address.port}`,
        tokenUrl: harness.emulator.tokenUrl,
        retry: { ...FAST_RETRY, maxAttempts: 2 },
      });
      try {
        const read = await thrown(() => client.products.list());
        assert.ok(read instanceof MegaportNetworkError);
        assert.equal(read.message, "GET /v2/products: network error (UNKNOWN) after 2 attempts");
        assert.deepEqual(
          events.slice(-2).map((event) => event.errorCode),
          ["UNKNOWN", "UNKNOWN"],
        );
        const create = await thrown(() => newKey(client));
        assert.ok(create instanceof MegaportOutcomeUnknownError);
        assert.match(create.message, /^POST \/v2\/service\/key: outcome unknown \(network error\);/);
      } finally {
        await new Promise<void>((resolve) => garbler.close(() => resolve()));
      }
    });

    it("a create whose connection is reset: the outcome is unknown, and says why", async () => {
      const client = harness.client(harness.east, { retry: { ...FAST_RETRY, maxAttempts: 3 } });
      await client.products.list();
      await harness.faults({ resetRate: 1, paths: ["/v2/service/key"] });
      const error = await thrown(() => newKey(client));
      assert.ok(error instanceof MegaportOutcomeUnknownError);
      assert.equal(
        error.message,
        "POST /v2/service/key: outcome unknown (connection closed before the response arrived); " +
          "the request may have been applied, reconcile before retrying",
      );
    });

    it("a create to a host name that does not resolve is retried (it never left): host name not resolved", async () => {
      const { client, events } = harness.observedClient(harness.east, {
        baseUrl: "http://megaport-emulator.invalid",
        tokenUrl: harness.emulator.tokenUrl,
        retry: { ...FAST_RETRY, maxAttempts: 2 },
      });
      const error = await thrown(() => newKey(client));
      // ENOTFOUND where a resolver answers, EAI_AGAIN where none does: both prove nothing was sent.
      assert.ok(error instanceof MegaportNetworkError, String(error));
      assert.ok(["ENOTFOUND", "EAI_AGAIN"].includes(error.causeCode), error.causeCode);
      assert.equal(error.attempts, 2);
      assert.equal(
        error.message,
        `POST /v2/service/key: host name not resolved (${error.causeCode}) after 2 attempts`,
      );
      assert.deepEqual(
        events.map((event) => event.path),
        ["/oauth2/token", "/v2/service/key", "/v2/service/key"],
      );
    });

    it("a create whose connection is refused is re-sent (never sent), then a MegaportNetworkError", async () => {
      const port = await closedPort();
      const { client, events } = harness.observedClient(harness.east, {
        baseUrl: `http://127.0.0.1:${port}`,
        tokenUrl: harness.emulator.tokenUrl,
        retry: { ...FAST_RETRY, maxAttempts: 2 },
      });
      const error = await thrown(() => newKey(client));
      assert.ok(error instanceof MegaportNetworkError);
      assert.equal(error.message, "POST /v2/service/key: connection refused (ECONNREFUSED) after 2 attempts");
      assert.deepEqual(
        shape(events).map((event) => [event.path, event.status ?? event.errorCode]),
        [
          ["/oauth2/token", 200],
          ["/v2/service/key", "ECONNREFUSED"],
          ["/v2/service/key", "ECONNREFUSED"],
        ],
      );
    });

    it("a body that stalls longer than requestMs: a read fails with UND_ERR_BODY_TIMEOUT, a create is unknown", async () => {
      const { client, events } = harness.observedClient(harness.east, {
        timeouts: { requestMs: 150 },
        retry: { ...FAST_RETRY, maxAttempts: 2 },
      });
      await client.products.list();
      await harness.faults({ stallBodyMs: 500, paths: ["/v2/products", "/v2/service/key"] });
      events.length = 0;
      const read = await thrown(() => client.products.list());
      assert.ok(read instanceof MegaportNetworkError);
      assert.equal(
        read.message,
        "GET /v2/products: response body stalled for 150 ms (UND_ERR_BODY_TIMEOUT) after 2 attempts",
      );
      assert.deepEqual(
        events.map((event) => event.errorCode),
        ["UND_ERR_BODY_TIMEOUT", "UND_ERR_BODY_TIMEOUT"],
      );
      const create = await thrown(() => newKey(client));
      assert.ok(create instanceof MegaportOutcomeUnknownError);
      assert.match(create.message, /^POST \/v2\/service\/key: outcome unknown \(response body stalled for 150 ms\);/);
    });

    it("a create that gets no headers within requestMs: the outcome is unknown (no response within …)", async () => {
      const client = harness.client(harness.east, { timeouts: { requestMs: 100 } });
      await client.products.list();
      await harness.faults({ latencyMs: 400, paths: ["/v2/service/key"] });
      const error = await thrown(() => newKey(client));
      assert.ok(error instanceof MegaportOutcomeUnknownError);
      assert.match(error.message, /^POST \/v2\/service\/key: outcome unknown \(no response within 100 ms\);/);
    });
  });

  describe("events and debug lines", () => {
    it("MEGAPORT_DEBUG writes one line per attempt: method, redacted path, status or error code, attempt, duration", async () => {
      const port = await closedPort();
      const lines = await debugLines("1", async () => {
        const client = harness.client(harness.east);
        const key = await newKey(client);
        await client.serviceKeys.get(key.key);
        const refused = harness.client(harness.east, {
          baseUrl: `http://127.0.0.1:${port}`,
          retry: { ...FAST_RETRY, maxAttempts: 1 },
        });
        await refused.products.list();
      });
      assert.equal(lines.length, 4, lines.join(""));
      const patterns = [
        /^\[megaport\] POST \/oauth2\/token -> 200 attempt=1 \d+ms\n$/,
        /^\[megaport\] POST \/v2\/service\/key -> 200 attempt=1 \d+ms\n$/,
        /^\[megaport\] GET \/v2\/service\/key\?key=\[REDACTED\] -> 200 attempt=1 \d+ms\n$/,
        /^\[megaport\] POST \/oauth2\/token -> ECONNREFUSED attempt=1 \d+ms\n$/,
      ];
      lines.forEach((line, i) => assert.match(line, patterns[i]));
    });

    it("without MEGAPORT_DEBUG nothing is written", async () => {
      const lines = await debugLines(undefined, () => harness.client(harness.east).products.list());
      assert.deepEqual(lines, []);
    });

    it("no per-attempt deadline timer outlives its attempt (nothing holds the process open)", async () => {
      const client = harness.client(harness.east, { timeouts: { requestMs: 60_000 } });
      const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
      await client.products.list(); // undici starts its own (shared) timers with the first request
      const before = timers();
      await client.products.list();
      await client.products.get(harness.east.products.mcr);
      // At most as many as before (an earlier test's leftover timer may expire meanwhile); a kept
      // deadline would add one per attempt, for 60 s.
      assert.ok(timers() <= before, `${timers()} timers, ${before} before`);
    });

    it("an onRequest observer that throws does not break the request", async () => {
      let calls = 0;
      const client = harness.client(harness.east, {
        onRequest: () => {
          calls += 1;
          throw new Error("observer failed");
        },
      });
      assert.equal((await client.products.list()).length, 4);
      assert.equal(calls, 2);
    });
  });
});
