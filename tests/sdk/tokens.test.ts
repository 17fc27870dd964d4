/**
 * The token source (sdk/tokens.ts) in detail: when a cached token is renewed on the local clock
 * and on the API's, what `invalidate` forgets, which token-endpoint answers are retried, and the
 * exact errors for a refusal, a failure and an unusable answer. Written against the surviving
 * mutants of `make mutation` (docs/testing.md, "Mutation testing").
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ENVIRONMENTS,
  HttpPipeline,
  type HttpRequest,
  MegaportApiError,
  MegaportAuthError,
  MegaportResponseError,
  Redactor,
  TokenSource,
} from "../../sdk";
import { FAST_RETRY, Harness, tokenRequests } from "./harness";

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected an error");
}

const httpDate = (ms: number) => new Date(ms).toUTCString();

describe("sdk: token source", () => {
  let harness: Harness;
  const pipelines: HttpPipeline[] = [];

  const pipeline = (maxAttempts = 1) => {
    const http = new HttpPipeline({
      userAgent: "tokens-test",
      connectMs: 1000,
      requestMs: 2000,
      retry: { maxAttempts, maxElapsedMs: 5000, ...FAST_RETRY },
      redactor: new Redactor(),
    });
    pipelines.push(http);
    return http;
  };

  /** A token source against the emulator on a clock the test moves (`clock.now`). */
  const source = (clock: { now: number }, options: { maxAttempts?: number; secretKey?: string } = {}) =>
    new TokenSource({
      tokenUrl: harness.emulator.tokenUrl,
      accessKey: harness.east.accessKey,
      secretKey: options.secretKey ?? harness.east.secretKey,
      http: pipeline(options.maxAttempts),
      redactor: new Redactor(),
      now: () => clock.now,
    });

  before(async () => {
    harness = await Harness.start({ tokenLifetimeSeconds: 300 });
  });

  beforeEach(async () => {
    await harness.clearFaults();
    await harness.clearRequests();
  });

  after(async () => {
    // splice: Stryker's mocha runner runs this suite many times in one process; close each once.
    await Promise.all(pipelines.splice(0).map((http) => http.close()));
    await harness.close();
  });

  describe("renewal", () => {
    it("a 300 s token is kept until exactly 240 s after its request, then renewed", async () => {
      const clock = { now: 1_000_000_000_000 };
      const tokens = source(clock);
      const first = await tokens.getToken();
      clock.now += 239_999;
      assert.equal(await tokens.getToken(), first);
      clock.now += 1; // exactly the refresh time: due
      const second = await tokens.getToken();
      assert.notEqual(second, first);
      assert.equal(tokens.tokenRequestCount, 2);
    });

    it("a short lifetime is renewed at half of it (100 s token: after 50 s, not 40 s)", async () => {
      const short = await Harness.start({ tokenLifetimeSeconds: 100 });
      try {
        const clock = { now: 1_000_000_000_000 };
        const tokens = new TokenSource({
          tokenUrl: short.emulator.tokenUrl,
          accessKey: short.east.accessKey,
          secretKey: short.east.secretKey,
          http: pipeline(),
          redactor: new Redactor(),
          now: () => clock.now,
        });
        const first = await tokens.getToken();
        clock.now += 49_999;
        assert.equal(await tokens.getToken(), first);
        clock.now += 1;
        assert.notEqual(await tokens.getToken(), first);
      } finally {
        await short.close();
      }
    });

    it("an offset learnt after the request times the token from its request, on the API's clock", async () => {
      const clock = { now: 1_000_000_000_000 }; // a whole second: Date headers have second precision
      const tokens = source(clock);
      const first = await tokens.getToken(); // requested before the API's clock was known
      tokens.observeServerDate(httpDate(clock.now + 100_000)); // the API is 100 s ahead
      clock.now += 239_999; // the API's clock: 339.999 s, 239.999 s after the request on it
      assert.equal(await tokens.getToken(), first);
      clock.now += 1;
      assert.notEqual(await tokens.getToken(), first);
    });

    it("when the API's clock jumps ahead, the token is renewed on the API's clock before the local one", async () => {
      const clock = { now: 1_000_000_000_000 };
      const tokens = source(clock);
      const first = await tokens.getToken();
      tokens.observeServerDate(httpDate(clock.now));
      clock.now += 100_000;
      tokens.observeServerDate(httpDate(clock.now + 139_000)); // 239 s after the request on the API's clock
      assert.equal(await tokens.getToken(), first);
      tokens.observeServerDate(httpDate(clock.now + 140_000)); // 240 s: due there, 100 s here
      assert.notEqual(await tokens.getToken(), first);
    });

    it("an offset learnt before the request times the new token on the API's clock from the start", async () => {
      const clock = { now: 1_000_000_000_000 };
      const tokens = source(clock);
      tokens.observeServerDate([httpDate(clock.now + 30_000), httpDate(clock.now)]); // the first of a list
      const first = await tokens.getToken();
      clock.now += 239_999;
      assert.equal(await tokens.getToken(), first, "the same offset all along: due at 240 s on both clocks");
      tokens.observeServerDate(httpDate(clock.now + 50_000)); // now 50 s ahead: 20 s more than before
      assert.notEqual(await tokens.getToken(), first, "the API's clock passed the refresh time");
    });

    it("a missing or unreadable Date header changes nothing", async () => {
      const clock = { now: 1_000_000_000_000 };
      const tokens = source(clock);
      const first = await tokens.getToken();
      tokens.observeServerDate(undefined);
      tokens.observeServerDate("not a date");
      tokens.observeServerDate([]);
      clock.now += 239_999;
      assert.equal(await tokens.getToken(), first);
      assert.equal(tokens.tokenRequestCount, 1);
    });

    it("invalidate forgets only the token it is given", async () => {
      const clock = { now: 1_000_000_000_000 };
      const tokens = source(clock);
      const first = await tokens.getToken();
      tokens.invalidate("some-older-token");
      assert.equal(await tokens.getToken(), first);
      tokens.invalidate(first);
      const second = await tokens.getToken();
      assert.notEqual(second, first);
      assert.equal(tokenRequests(await harness.requests()), 2);
    });

    it("concurrent callers share one request; a later caller after it settled makes no other", async () => {
      const clock = { now: 1_000_000_000_000 };
      const tokens = source(clock);
      const all = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
      assert.equal(new Set(all).size, 1);
      assert.equal(await tokens.getToken(), all[0]);
      assert.equal(tokens.tokenRequestCount, 1);
      tokens.invalidate(all[0]);
      await tokens.getToken();
      assert.equal(tokens.tokenRequestCount, 2, "a new request once the first has settled");
    });
  });

  describe("token endpoint answers", () => {
    it("a 500 from the token endpoint is retried; the token request counts once", async () => {
      const clock = { now: Date.now() };
      const tokens = source(clock, { maxAttempts: 3 });
      await harness.faults({ errorRate: 1, status: 500, times: 2, paths: ["/oauth2/token"] });
      assert.ok((await tokens.getToken()).length > 0);
      assert.deepEqual(
        (await harness.requests()).map((entry) => entry.status),
        [500, 500, 200],
      );
      assert.equal(tokens.tokenRequestCount, 1);
    });

    it("a token endpoint that keeps failing: MegaportApiError naming the token request", async () => {
      const clock = { now: Date.now() };
      const tokens = source(clock, { maxAttempts: 2 });
      await harness.faults({ errorRate: 1, status: 503, paths: ["/oauth2/token"] });
      const error = await thrown(() => tokens.getToken());
      assert.ok(error instanceof MegaportApiError);
      assert.ok(!(error instanceof MegaportAuthError));
      assert.equal(error.status, 503);
      assert.equal(error.method, "POST");
      assert.equal(error.path, "/oauth2/token");
      assert.equal(error.apiMessage, "token request failed Service Unavailable");
      assert.equal(error.data, null);
      assert.equal(error.traceId, null);
      assert.equal(error.message, "POST /oauth2/token: 503 token request failed Service Unavailable");
      assert.equal((await harness.requests()).length, 2);
    });

    it("a 400 or 403 from the token endpoint is a refusal (MegaportAuthError), not retried", async () => {
      for (const [status, text] of [
        [400, "Bad Request"],
        [403, "Forbidden"],
      ] as const) {
        await harness.clearRequests();
        const tokens = source({ now: Date.now() }, { maxAttempts: 3 });
        await harness.faults({ errorRate: 1, status, paths: ["/oauth2/token"] });
        const error = await thrown(() => tokens.getToken());
        assert.ok(error instanceof MegaportAuthError);
        assert.equal(error.status, status);
        assert.match(error.message, new RegExp(`^the API key: the token endpoint refused the API key: ${status} ${text}\\. `));
        assert.equal((await harness.requests()).length, 1);
      }
    });

    it("a refused key of a Megaport environment names it, and where it was set", async () => {
      // The production token URL, answered by the emulator: a pipeline that sends it there.
      const http = pipeline();
      const forward = {
        send: (request: HttpRequest) => http.send({ ...request, url: new URL(harness.emulator.tokenUrl) }),
        displayPath: (url: URL) => http.displayPath(url),
      } as unknown as HttpPipeline;
      const tokens = new TokenSource({
        tokenUrl: ENVIRONMENTS.production.tokenUrl,
        accessKey: harness.east.accessKey,
        secretKey: "a-wrong-secret-value",
        http: forward,
        redactor: new Redactor(),
        label: 'account "prod"',
        credentialSource: "MEGAPORT_ACCESS_KEY and MEGAPORT_SECRET_KEY",
        environmentSource: "megaport:environment",
      });
      const error = await thrown(() => tokens.getToken());
      assert.ok(error instanceof MegaportAuthError);
      assert.equal(
        error.message,
        'account "prod": the token endpoint refused the API key: 401 invalid_client. Check MEGAPORT_ACCESS_KEY ' +
          "and MEGAPORT_SECRET_KEY: the secret may be wrong, the key deleted, or the key created in another " +
          "environment than Megaport production (https://auth-m2m.megaport.com/oauth2/token), set by " +
          "megaport:environment; Megaport API keys work only in the environment where they were created.",
      );
    });
  });

  describe("answers only a bare token server gives", () => {
    let answer: { status: number; body: string } = { status: 200, body: "" };
    let tokenUrl = "";
    let requests = 0;
    const server = createServer((req, res) => {
      requests += 1;
      req.resume();
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(answer.body);
    });

    before(async () => {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`;
    });

    after(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const bare = (clock = { now: 1_000_000_000_000 }) =>
      new TokenSource({
        tokenUrl,
        accessKey: "bare-access",
        secretKey: "bare-secret-value",
        http: pipeline(),
        redactor: new Redactor(),
        now: () => clock.now,
      });

    it("an answer without a usable access_token or expires_in is a MegaportResponseError", async () => {
      for (const body of [
        "not json",
        JSON.stringify({ expires_in: 3600 }),
        JSON.stringify({ access_token: "", expires_in: 3600 }),
        JSON.stringify({ access_token: "t0k3n-value", expires_in: 0 }),
        JSON.stringify({ access_token: "t0k3n-value" }),
      ]) {
        answer = { status: 200, body };
        const error = await thrown(() => bare().getToken());
        assert.ok(error instanceof MegaportResponseError, body);
        assert.equal(
          error.message,
          "POST /oauth2/token: unexpected response: token response lacks access_token or expires_in",
        );
      }
    });

    it("expires_in as a numeric string is read as seconds", async () => {
      answer = { status: 200, body: JSON.stringify({ access_token: "t0k3n-value", expires_in: "100", token_type: null }) };
      const clock = { now: 1_000_000_000_000 };
      const tokens = bare(clock);
      assert.equal(await tokens.getToken(), "t0k3n-value");
      clock.now += 49_999;
      await tokens.getToken();
      assert.equal(tokens.tokenRequestCount, 1);
    });

    it("a refusal quotes error, error_description and message, skipping empty or non-text parts", async () => {
      const cases: [unknown, string][] = [
        [{ error: "invalid_client", error_description: "bad secret", message: "no" }, "401 invalid_client: bad secret: no"],
        [{ error: "", error_description: 5, message: "only this" }, "401 only this"],
        [{ unrelated: true }, "401"],
        ["a string", "401"],
        [null, "401"],
      ];
      for (const [body, quoted] of cases) {
        answer = { status: 401, body: JSON.stringify(body) };
        const error = await thrown(() => bare().getToken());
        assert.ok(error instanceof MegaportAuthError);
        assert.ok(
          error.message.startsWith(`the API key: the token endpoint refused the API key: ${quoted}. Check `),
          error.message,
        );
      }
    });

    it("a 501 (or any 5xx) from the token endpoint is retried like a 500", async () => {
      answer = { status: 501, body: JSON.stringify({ message: "Not Implemented" }) };
      requests = 0;
      const tokens = new TokenSource({
        tokenUrl,
        accessKey: "bare-access",
        secretKey: "bare-secret-value",
        http: pipeline(3),
        redactor: new Redactor(),
      });
      const error = await thrown(() => tokens.getToken());
      assert.ok(error instanceof MegaportApiError);
      assert.equal(error.message, "POST /oauth2/token: 501 token request failed Not Implemented");
      assert.equal(requests, 3);
    });

    it("a refusal that repeats the Basic credentials (base64 of key:secret) does not pass them on", async () => {
      const basic = Buffer.from("bare-access:bare-secret-value").toString("base64");
      answer = { status: 401, body: JSON.stringify({ error: `bad credentials ${basic}` }) };
      const error = await thrown(() => bare().getToken());
      assert.ok(error instanceof MegaportAuthError);
      assert.ok(!error.message.includes(basic), error.message);
      assert.ok(error.message.includes("401 bad credentials [REDACTED]."), error.message);
    });

    it("a refusal never repeats the secret, even when the answer does", async () => {
      answer = { status: 401, body: JSON.stringify({ error: "bad secret bare-secret-value" }) };
      const error = await thrown(() => bare().getToken());
      assert.ok(error instanceof MegaportAuthError);
      assert.ok(error.message.includes("401 bad secret [REDACTED]."), error.message);
      answer = { status: 502, body: JSON.stringify({ message: "upstream bare-secret-value" }) };
      const failed = await thrown(() => bare().getToken());
      assert.ok(failed instanceof MegaportApiError);
      assert.equal(failed.apiMessage, "token request failed upstream [REDACTED]");
    });
  });
});
