/** Tokens, retries, never-doubled creates and timeouts, against the emulator's fault injection. */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import {
  HttpPipeline,
  MegaportApiError,
  type MegaportClient,
  MegaportNetworkError,
  MegaportOutcomeUnknownError,
  Redactor,
  TokenSource,
} from "../../sdk";
import { FAST_RETRY, Harness, tokenRequests } from "./harness";

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(address && typeof address === "object");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

describe("sdk: resilience", () => {
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

  describe("tokens", () => {
    it("one token per client for many sequential and concurrent calls", async () => {
      const client = harness.client(harness.east);
      await Promise.all(Array.from({ length: 8 }, () => client.products.list()));
      for (let i = 0; i < 5; i++) await client.products.get(harness.east.products.mcr);
      const log = await harness.requests();
      assert.equal(tokenRequests(log), 1);
      assert.equal(log.length, 14);
      assert.equal(client.tokenRequestCount, 1);
    });

    it("refreshes once on a 401 after the token expired on the server's clock", async () => {
      const client = harness.client(harness.east);
      await client.products.list();
      await harness.advanceClock(301_000); // past the 300 s lifetime
      const products = await client.products.list();
      assert.equal(products.length, 4);
      const log = await harness.requests();
      assert.deepEqual(
        log.map((entry) => `${entry.path} ${entry.status}`),
        [
          "/oauth2/token 200",
          "/v2/products 200",
          "/v2/products 401",
          "/oauth2/token 200",
          "/v2/products 200",
        ],
      );
    });

    it("refreshes before expiry on its own clock (60 s margin) without a 401", async () => {
      let now = Date.now();
      const http = new HttpPipeline({
        userAgent: "test",
        connectMs: 1000,
        requestMs: 1000,
        retry: { maxAttempts: 1, maxElapsedMs: 1000, ...FAST_RETRY },
        redactor: new Redactor(),
      });
      try {
        const tokens = new TokenSource({
          tokenUrl: harness.emulator.tokenUrl,
          accessKey: harness.east.accessKey,
          secretKey: harness.east.secretKey,
          http,
          redactor: new Redactor(),
          now: () => now,
        });
        const first = await tokens.getToken();
        now += 239_000; // lifetime 300 s - 60 s margin - 1 s
        assert.equal(await tokens.getToken(), first);
        now += 2_000;
        const second = await tokens.getToken();
        assert.notEqual(second, first);
        assert.equal(tokenRequests(await harness.requests()), 2);
      } finally {
        await http.close();
      }
    });
  });

  describe("retries", () => {
    it("retries 429 answers honouring Retry-After (seconds)", async () => {
      const { client, events } = harness.observedClient(harness.east, {
        retry: { ...FAST_RETRY, maxAttempts: 2 },
      });
      await client.products.list(); // token first
      await harness.faults({ errorRate: 1, status: 429, retryAfterSeconds: 1, paths: ["/v2/products"] });
      const started = Date.now();
      const error = await client.products.list().catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      assert.ok(error instanceof MegaportApiError);
      assert.equal(error.status, 429);
      assert.ok(elapsed >= 950, `waited ${elapsed} ms for Retry-After: 1`);
      assert.deepEqual(
        events.slice(-2).map((e) => [e.attempt, e.status]),
        [
          [1, 429],
          [2, 429],
        ],
      );
    });

    it("succeeds through injected 429 and 503 answers, and the log shows the retries", async () => {
      // 10 attempts: a seeded run of 6 injected errors in a row is possible at a 50% rate
      const client = harness.client(harness.east, { retry: { ...FAST_RETRY, maxAttempts: 10 } });
      await harness.faults({ errorRate: 0.5, status: [429, 503], retryAfterSeconds: 0, seed: 7 });
      for (let i = 0; i < 10; i++) {
        assert.equal((await client.products.get(harness.east.products.port1G)).productType, "MEGAPORT");
      }
      const log = await harness.requests();
      const faulted = log.filter((entry) => entry.fault === "error");
      assert.ok(faulted.length >= 3, `expected injected errors, saw ${faulted.length}`);
      assert.ok(faulted.every((entry) => entry.status === 429 || entry.status === 503));
      assert.equal(
        log.filter((entry) => entry.path.startsWith("/v2/product/") && entry.status === 200).length,
        10,
      );
    });

    it("succeeds through connection resets on reads", async () => {
      const client = harness.client(harness.east);
      await client.products.list();
      await harness.faults({ resetRate: 0.5, seed: 3, paths: ["/v2/product"] });
      for (let i = 0; i < 8; i++) {
        assert.equal((await client.products.get(harness.east.products.mve)).productType, "MVE");
      }
      const resets = (await harness.requests()).filter((entry) => entry.fault === "reset");
      assert.ok(resets.length >= 2, `expected resets, saw ${resets.length}`);
    });

    it("retries a 500 on a safe request (a GET)", async () => {
      const client = harness.client(harness.east);
      await client.products.list();
      await harness.faults({ errorRate: 0.5, status: 500, seed: 5, paths: ["/v2/product/"] });
      for (let i = 0; i < 6; i++) {
        assert.equal((await client.products.get(harness.east.products.mcr)).productType, "MCR2");
      }
      const failed = (await harness.requests()).filter((entry) => entry.status === 500);
      assert.ok(failed.length >= 1, `expected injected 500s, saw ${failed.length}`);
    });

    it("retries the transient rollback-only 500 of a cancel", async () => {
      const { consumer, uid } = await harness.orderVxc({
        name: "cancel me",
        ownerProduct: harness.east.products.port1G,
        aEnd: harness.west.products.port10G,
        rateLimit: 50,
        preApproved: true,
        aEndVlan: 77,
      });
      await harness.faults({ errorRate: 0.6, status: 500, seed: 11, paths: ["/v3/product/"] });
      await consumer.vxcs.cancel(uid);
      await harness.clearFaults();
      assert.equal(
        (await consumer.vxcs.get(uid)).provisioningStatus,
        "DECOMMISSIONED",
      );
      const cancels = (await harness.requests()).filter((entry) => entry.path.includes("/action/CANCEL_NOW"));
      assert.ok(
        cancels.some((entry) => entry.status === 500),
        "at least one rollback-only 500",
      );
      assert.equal(cancels.at(-1)?.status, 200);
    });
  });

  describe("creates are never doubled", () => {
    it("a lost response on create throws MegaportOutcomeUnknownError and exactly one key exists", async () => {
      const client = harness.client(harness.east);
      await client.products.list();
      const before = (await harness.serviceKeys()).length;
      await harness.faults({ lostResponseRate: 1, paths: ["/v2/service/key"] });
      const startedBefore = Date.now();
      const error = await newKey(client).catch((e: unknown) => e);
      assert.ok(error instanceof MegaportOutcomeUnknownError);
      assert.equal(error.code, "ERR_MEGAPORT_OUTCOME_UNKNOWN");
      assert.equal(error.method, "POST");
      assert.equal(error.path, "/v2/service/key");
      assert.ok(error.startedAt >= startedBefore && error.startedAt <= Date.now());
      assert.equal((await harness.serviceKeys()).length, before + 1);
      const posts = (await harness.requests()).filter(
        (e) => e.method === "POST" && e.path === "/v2/service/key",
      );
      assert.equal(posts.length, 1);
    });

    it("a reset or a 500 on create is not re-sent either", async () => {
      const client = harness.client(harness.east);
      await client.products.list();
      await harness.faults({ resetRate: 1, paths: ["/v2/service/key"] });
      await assert.rejects(newKey(client), MegaportOutcomeUnknownError);
      await harness.faults({ errorRate: 1, status: 500, paths: ["/v4/networkdesign/buy"] });
      await assert.rejects(
        client.networkDesign.buy([
          {
            productUid: harness.east.products.port1G,
            associatedVxcs: [
              {
                productName: "x",
                rateLimit: 10,
                term: 1,
                shutdown: false,
                aEnd: {},
                bEnd: { productUid: "y" },
              },
            ],
          },
        ]),
        MegaportOutcomeUnknownError,
      );
      const log = await harness.requests();
      assert.equal(log.filter((e) => e.path === "/v2/service/key").length, 1);
      assert.equal(log.filter((e) => e.path === "/v4/networkdesign/buy").length, 1);
    });

    it("a create refused with 503 is retried and creates one key", async () => {
      const client = harness.client(harness.east);
      await client.products.list();
      const before = (await harness.serviceKeys()).length;
      await harness.faults({ errorRate: 0.5, status: 503, seed: 5, paths: ["/v2/service/key"] });
      for (let i = 0; i < 4; i++) await newKey(client);
      assert.equal((await harness.serviceKeys()).length, before + 4);
      const posts = (await harness.requests()).filter((e) => e.path === "/v2/service/key");
      assert.ok(posts.some((e) => e.status === 503));
      assert.equal(posts.filter((e) => e.status === 200).length, 4);
    });

    it("a create whose connection is refused is retried, then fails with MegaportNetworkError", async () => {
      const port = await closedPort();
      const { client, events } = harness.observedClient(harness.east, {
        baseUrl: `http://127.0.0.1:${port}`,
        retry: { ...FAST_RETRY, maxAttempts: 3 },
      });
      const error = await newKey(client).catch((e: unknown) => e);
      assert.ok(error instanceof MegaportNetworkError);
      assert.equal(error.code, "ERR_MEGAPORT_NETWORK");
      assert.equal(error.causeCode, "ECONNREFUSED");
      assert.equal(error.attempts, 3);
      assert.match(
        error.message,
        /^POST \/oauth2\/token: connection refused \(ECONNREFUSED\) after 3 attempts$/,
      );
      assert.deepEqual(
        events.map((e) => e.errorCode),
        ["ECONNREFUSED", "ECONNREFUSED", "ECONNREFUSED"],
      );
    });
  });

  describe("timeouts", () => {
    it("a read slower than requestMs is retried, then fails with MegaportNetworkError", async () => {
      const { client, events } = harness.observedClient(harness.east, {
        timeouts: { requestMs: 100 },
        retry: { ...FAST_RETRY, maxAttempts: 2 },
      });
      await client.products.list();
      await harness.faults({ latencyMs: 300, paths: ["/v2/products"] });
      const started = Date.now();
      const error = await client.products.list().catch((e: unknown) => e);
      assert.ok(error instanceof MegaportNetworkError);
      assert.equal(error.causeCode, "UND_ERR_HEADERS_TIMEOUT");
      assert.match(
        error.message,
        /^GET \/v2\/products: no response within 100 ms \(UND_ERR_HEADERS_TIMEOUT\)/,
      );
      assert.ok(Date.now() - started < 1000);
      assert.deepEqual(
        events.slice(-2).map((e) => e.errorCode),
        ["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT"],
      );
    });

    it("a create slower than requestMs has an unknown outcome", async () => {
      const client = harness.client(harness.east, { timeouts: { requestMs: 100 } });
      await client.products.list();
      await harness.faults({ latencyMs: 300, paths: ["/v2/service/key"] });
      await assert.rejects(newKey(client), MegaportOutcomeUnknownError);
    });

    it("maxElapsedMs bounds the retries", async () => {
      const { client, events } = harness.observedClient(harness.east, {
        retry: { maxAttempts: 50, maxElapsedMs: 200, baseDelayMs: 20, maxDelayMs: 40 },
      });
      await client.products.list();
      await harness.faults({ errorRate: 1, status: 503, paths: ["/v2/products"] });
      const started = Date.now();
      await assert.rejects(
        client.products.list(),
        (e: unknown) => e instanceof MegaportApiError && e.status === 503,
      );
      assert.ok(Date.now() - started < 400);
      assert.ok(events.length < 50);
    });
  });
});
