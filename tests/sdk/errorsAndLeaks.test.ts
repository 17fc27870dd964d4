/** Every error type with its code and message, the no-leak guarantee, and connection reuse. */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  MegaportApiError,
  MegaportAuthError,
  MegaportClient,
  MegaportConfigError,
  MegaportError,
  MegaportNotFoundError,
  MegaportOutcomeUnknownError,
  MegaportResponseError,
  MegaportTimeoutError,
  PACKAGE_VERSION,
  Redactor,
  type RequestEvent,
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

describe("sdk: errors, leaks and connection reuse", () => {
  let harness: Harness;

  before(async () => {
    harness = await Harness.start({ tokenLifetimeSeconds: 300 });
  });

  after(async () => {
    await harness.close();
  });

  describe("error types", () => {
    it("a create answered 2xx with an unreadable body is an unknown outcome, to reconcile", async () => {
      // The emulator always answers well-formed JSON, so this one answer comes from a bare server.
      const server = createServer((req, res) => {
        res.setHeader("content-type", "application/json");
        if (req.url?.startsWith("/oauth2/token")) {
          res.end(JSON.stringify({ access_token: "t", expires_in: 3600, token_type: "Bearer" }));
        } else {
          res.end(JSON.stringify({ message: "New service key generated", data: { unexpected: true } }));
        }
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      const client = new MegaportClient({ accessKey: "a", secretKey: "s", baseUrl: `http://127.0.0.1:${port}` });
      try {
        await assert.rejects(
          () => client.serviceKeys.create({ productUid: "p", maxSpeed: 1, singleUse: false, active: true }),
          (error: unknown) =>
            error instanceof MegaportOutcomeUnknownError && /the answer could not be read/.test(error.message),
        );
      } finally {
        await client.close();
        server.close();
      }
    });

    it("MegaportConfigError names the invalid field", () => {
      const base = { accessKey: "a", secretKey: "s3cret-value" };
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ ...base, baseUrl: "ftp://example.com" }, /^baseUrl: must be an http\(s\) URL$/],
        [base, /^environment: .*production, staging, development/],
        [{ ...base, environment: "prod" }, /^environment: must be one of production, staging, development$/],
        [{ ...base, secretKey: "", environment: "staging" }, /^secretKey: must be a non-empty string$/],
        [{ ...base, environment: "staging", timeouts: { requestMs: -1 } }, /^timeouts\.requestMs: /],
        [{ ...base, environment: "staging", retry: { maxAttempts: 0 } }, /^retry\.maxAttempts: /],
      ];
      for (const [options, message] of cases) {
        assert.throws(
          () => new MegaportClient(options as never),
          (error: unknown) =>
            error instanceof MegaportConfigError &&
            error instanceof MegaportError &&
            error.code === "ERR_MEGAPORT_CONFIG" &&
            message.test(error.message) &&
            !error.message.includes("s3cret-value"),
        );
      }
    });

    it("environments resolve to their official URLs; a baseUrl gets <baseUrl>/oauth2/token", async () => {
      const staging = new MegaportClient({ accessKey: "a", secretKey: "b", environment: "staging" });
      const local = new MegaportClient({ accessKey: "a", secretKey: "b", baseUrl: "http://127.0.0.1:9/" });
      try {
        assert.equal(staging.baseUrl, "https://api-staging.megaport.com");
        assert.equal(staging.tokenUrl, "https://auth-m2m-staging.megaport.com/oauth2/token");
        assert.equal(local.tokenUrl, "http://127.0.0.1:9/oauth2/token");
        assert.match(PACKAGE_VERSION, /^\d+\.\d+\.\d+/);
      } finally {
        await Promise.all([staging.close(), local.close()]);
      }
    });

    it("MegaportAuthError when the token request is refused, without the secret", async () => {
      const client = harness.client(harness.east, { secretKey: "wrong-secret-value-123" });
      const error = await thrown(() => client.products.list());
      assert.ok(error instanceof MegaportAuthError);
      assert.equal(error.code, "ERR_MEGAPORT_AUTH");
      assert.equal(error.status, 401);
      assert.equal(
        error.message,
        "the API key: the token endpoint refused the API key: 401 invalid_client. Check the accessKey and " +
          "secretKey: the secret may be wrong, the key deleted, or the key created in another environment " +
          `than the token URL ${harness.emulator.url}/oauth2/token; Megaport API keys work only in the environment ` +
          "where they were created.",
      );
    });

    it("MegaportApiError carries status, method, path, apiMessage, data and traceId", async () => {
      const client = harness.client(harness.east);
      const error = await thrown(() =>
        client.serviceKeys.create({
          productUid: harness.east.products.port1G,
          maxSpeed: 100,
          singleUse: true,
          active: true,
        }),
      );
      assert.ok(error instanceof MegaportApiError);
      assert.ok(!(error instanceof MegaportNotFoundError));
      assert.equal(error.code, "ERR_MEGAPORT_API");
      assert.equal(error.status, 400);
      assert.equal(error.method, "POST");
      assert.equal(error.path, "/v2/service/key");
      assert.equal(error.apiMessage, "Validation failed");
      assert.equal(typeof error.data, "string");
      assert.match(error.traceId ?? "", /^[0-9a-f-]{36}$/);
      assert.equal(error.message, `POST /v2/service/key: 400 Validation failed: ${error.data}`);
    });

    it("MegaportApiError 403 when the consumer changes the B-End VLAN", async () => {
      const { consumer, uid } = await harness.orderVxc({
        name: "vlan test",
        ownerProduct: harness.east.products.port1G,
        aEnd: harness.west.products.port1G,
        rateLimit: 10,
        preApproved: true,
        aEndVlan: 900,
      });
      const error = await thrown(() =>
        consumer.vxcs.update(uid, { bEndVlan: 901 }),
      );
      assert.ok(error instanceof MegaportApiError);
      assert.equal(error.status, 403);
      assert.match(
        error.message,
        /^the API key: update a VXC was refused: PUT \/v3\/product\/vxc\/[0-9a-f-]+: 403 .*Only B end owner can change B VLAN/,
      );
    });

    it("MegaportNotFoundError for an unknown product and an unknown key", async () => {
      const client = harness.client(harness.east);
      const product = await thrown(() => client.products.get("00000000-0000-4000-8000-0000000000aa"));
      assert.ok(product instanceof MegaportNotFoundError);
      assert.ok(product instanceof MegaportApiError);
      assert.equal(product.code, "ERR_MEGAPORT_NOT_FOUND");
      assert.equal(product.status, 404);
      const unknownKey = "00000000-0000-4000-8000-0000000000bb";
      const key = await thrown(() => client.serviceKeys.get(unknownKey));
      assert.ok(key instanceof MegaportNotFoundError);
      assert.equal(key.path, "/v2/service/key?key=[REDACTED]");
      assert.ok(!String(key).includes(unknownKey));
      assert.ok(!String(key).includes(unknownKey.slice(0, 8)));
    });

    it("MegaportResponseError names the field path when a response does not match", async () => {
      const client = harness.client(harness.east);
      // A port is not a VXC: it has no aEnd/bEnd.
      const error = await thrown(() => client.vxcs.get(harness.east.products.port1G));
      assert.ok(error instanceof MegaportResponseError);
      assert.equal(error.code, "ERR_MEGAPORT_INVALID_RESPONSE");
      assert.match(error.message, /^GET \/v2\/product\/[0-9a-f-]+: unexpected response: .*data\.aEnd: /);
    });

    it("MegaportTimeoutError from waitFor carries the last VXC seen", async () => {
      const { consumer, uid } = await harness.orderVxc({
        name: "never approved",
        ownerProduct: harness.east.products.port10G,
        aEnd: harness.west.products.port10G,
        rateLimit: 10,
        preApproved: false,
      });
      const error = await thrown(() =>
        consumer.vxcs.waitFor(uid, {
          until: (v) => v.provisioningStatus === "LIVE",
          timeoutMs: 150,
          intervalMs: 20,
        }),
      );
      assert.ok(error instanceof MegaportTimeoutError);
      assert.equal(error.code, "ERR_MEGAPORT_TIMEOUT");
      const lastSeen = error.lastSeen as { productUid: string; provisioningStatus: string } | undefined;
      assert.equal(lastSeen?.productUid, uid);
      assert.equal(lastSeen?.provisioningStatus, "DEPLOYABLE");
      assert.match(error.message, /condition not met within 150 ms \(last status DEPLOYABLE\)/);
    });
  });

  describe("no leaks", () => {
    it("masks a key's 8-character prefix only as a token of its own, never inside a product UID", () => {
      const redactor = new Redactor();
      const key = "00000000-1111-4222-8333-444444444444";
      redactor.add(key, true);
      const productUid = "ea000100-0002-4000-9000-000000000001";
      assert.equal(
        redactor.scrub(`GET /v2/service/key?key=00000000 for ${productUid}: ${key} [00000000]`),
        `GET /v2/service/key?key=[REDACTED] for ${productUid}: [REDACTED] [[REDACTED]]`,
      );
    });

    it("no event, debug line or error text contains the secret, a token or a service key", async () => {
      const texts: string[] = [];
      const events: RequestEvent[] = [];
      const originalWrite = process.stderr.write.bind(process.stderr);
      const previousDebug = process.env.MEGAPORT_DEBUG;
      process.env.MEGAPORT_DEBUG = "1";
      process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        if (text.startsWith("[megaport]")) {
          texts.push(text);
          return true;
        }
        return (originalWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof process.stderr.write;
      const collect = async (fn: () => Promise<unknown>) => {
        try {
          await fn();
        } catch (error) {
          texts.push(String(error), JSON.stringify(error), (error as Error).stack ?? "");
        }
      };
      try {
        const opts = {
          onRequest: (event: RequestEvent) => events.push(event),
          retry: { ...FAST_RETRY, maxAttempts: 3 },
        };
        const owner = harness.client(harness.east, opts);
        const consumer = harness.client(harness.west, opts);
        const key = await owner.serviceKeys.create({
          productUid: harness.east.products.port1G,
          maxSpeed: 200,
          singleUse: true,
          vlan: 1234,
          active: true,
        });
        await consumer.serviceKeys.get(key.key);
        await consumer.serviceKeys.get(key.key.slice(0, 8));
        await owner.serviceKeys.update(key.key, { active: false });
        const order = [
          {
            productUid: harness.west.products.port1G,
            associatedVxcs: [
              {
                productName: "leak",
                rateLimit: 100,
                term: 1,
                shutdown: false,
                serviceKey: key.key,
                aEnd: {},
                bEnd: { productUid: key.productUid },
              },
            ],
          },
        ];
        await collect(() => consumer.networkDesign.validate(order)); // inactive key: refused
        await collect(() => consumer.networkDesign.buy(order));
        await owner.serviceKeys.update(key.key, { active: true });
        await collect(() => owner.serviceKeys.get("ffffffff-ffff-4fff-8fff-ffffffffffff"));
        await harness.faults({ errorRate: 1, status: 429, retryAfterSeconds: 0, paths: ["/v2/service/key"] });
        await collect(() => consumer.serviceKeys.get(key.key));
        // An error that repeats the key and its prefix (string and list `data`): scrubbing must run.
        await harness.faults({ errorRate: 1, status: 403, echoKey: "string", paths: ["/v2/service/key"] });
        await collect(() => consumer.serviceKeys.get(key.key));
        await harness.faults({ errorRate: 1, status: 400, echoKey: "list", paths: ["/v3/networkdesign"] });
        await collect(() => consumer.networkDesign.validate(order));
        await harness.faults({ lostResponseRate: 1, paths: ["/v2/service/key"] });
        await collect(() => owner.serviceKeys.update(key.key, { active: true }));
        await harness.clearFaults();
        await harness.advanceClock(301_000); // expire the tokens: 401, then a refresh
        await consumer.serviceKeys.get(key.key);
        await collect(() =>
          harness.client(harness.east, { ...opts, secretKey: "not-the-secret-abc" }).products.list(),
        );
      } finally {
        process.stderr.write = originalWrite;
        if (previousDebug === undefined) delete process.env.MEGAPORT_DEBUG;
        else process.env.MEGAPORT_DEBUG = previousDebug;
      }
      texts.push(...events.map((event) => JSON.stringify(event)));
      const haystack = texts.join("\n");
      assert.ok(events.length >= 15, `events were collected (${events.length})`);
      assert.ok(texts.some((text) => text.startsWith("[megaport] GET /v2/service/key?key=[REDACTED]")));
      assert.ok(
        events.some((event) => event.status === 401),
        "the 401 refresh path ran",
      );
      assert.equal(
        texts.filter((text) => text.includes("for key [REDACTED] [[REDACTED]]")).length >= 2,
        true,
        "errors echoing the key were collected, scrubbed",
      );
      const keys = (await harness.serviceKeys()).map((k) => k.key);
      const forbidden = [
        harness.east.secretKey,
        harness.west.secretKey,
        "not-the-secret-abc",
        ...keys,
        ...keys.map((k) => k.slice(0, 8)),
      ];
      for (const secret of forbidden) {
        assert.ok(!haystack.includes(secret), "a secret or a service key leaked");
      }
      assert.doesNotMatch(haystack, /eyJ[\w-]+\.[\w-]+\.[\w-]+/, "a bearer token leaked");
      assert.doesNotMatch(haystack, /(Bearer|Basic) (?!\[REDACTED\])\S/);
    });
  });

  describe("connection reuse", () => {
    it("100 sequential key look-ups: 100 API requests, 1 token request, 1 connection", async () => {
      const owner = harness.client(harness.east);
      const key = await owner.serviceKeys.create({
        productUid: harness.east.products.port10G,
        maxSpeed: 100,
        singleUse: false,
        active: true,
      });
      await harness.clearRequests();
      const client = harness.client(harness.west, { userAgent: "sdk-test/1.0" });
      const started = Date.now();
      for (let i = 0; i < 100; i++) await client.serviceKeys.get(key.key);
      const elapsed = Date.now() - started;
      const log = await harness.requests();
      const apiRequests = log.filter((entry) => entry.path !== "/oauth2/token").length;
      console.log(
        `      100 look-ups: ${apiRequests} API requests, ${tokenRequests(log)} token request(s), ` +
          `${client.connectionCount} TCP connection(s), ${elapsed} ms`,
      );
      assert.equal(apiRequests, 100);
      assert.equal(tokenRequests(log), 1);
      assert.equal(client.connectionCount, 1);
      assert.equal(client.requestCount, 101);
    });
  });
});
