/**
 * Authenticated calls (sdk/transport.ts) in detail: the query string, the envelope, how an error
 * answer becomes a typed error (message, `error`, plain text, `data`, trace id, legacy not-found),
 * and which unreadable answers are an unknown outcome. Written against the surviving mutants of
 * `make mutation` (docs/testing.md, "Mutation testing").
 *
 * The emulator answers like the Megaport API; the answers the API is not known to give but a proxy
 * or a future API version might (HTML, bare JSON errors, `trace_id` in the body, the legacy 400
 * not-found) come from a bare server.
 */
import assert from "node:assert/strict";
import {
  MegaportApiError,
  type MegaportClient,
  MegaportForbiddenError,
  MegaportNotFoundError,
  MegaportOutcomeUnknownError,
  MegaportResponseError,
} from "../../sdk";
import { BareApi, json } from "./bareApi";
import { Harness } from "./harness";

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected an error");
}

describe("sdk: authenticated calls", () => {
  describe("against the emulator", () => {
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

    it("query parameters left undefined are not sent; the others are", async () => {
      const client = harness.client(harness.east);
      await client.serviceKeys.list();
      await client.serviceKeys.list({ productIdOrUid: harness.east.products.mcr });
      const lists = (await harness.requests()).filter((entry) => entry.path === "/v2/service/key");
      assert.deepEqual(
        lists.map((entry) => entry.query),
        [{}, { productIdOrUid: harness.east.products.mcr }],
      );
    });

    it("a 403 on a read is a plain MegaportApiError (nothing was to change), with the trace id", async () => {
      const client = harness.client(harness.east);
      await client.products.list();
      await harness.faults({ errorRate: 1, status: 403, paths: ["/v2/products"] });
      const error = await thrown(() => client.products.list());
      assert.ok(error instanceof MegaportApiError);
      assert.ok(!(error instanceof MegaportForbiddenError));
      assert.equal(error.code, "ERR_MEGAPORT_API");
      assert.equal(error.message, "GET /v2/products: 403 Forbidden: Access denied");
      assert.equal(error.apiMessage, "Forbidden");
      assert.equal(error.data, "Access denied");
      assert.match(error.traceId ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-/);
    });

    it("a 403 on a change names what was refused, the answer, and the Company Admin rule", async () => {
      const client = harness.client(harness.east, { label: 'account "east"' });
      await client.products.list();
      await harness.faults({ errorRate: 1, status: 403, paths: ["/v2/service/key"] });
      const error = await thrown(() =>
        client.serviceKeys.create({
          productUid: harness.east.products.port1G,
          maxSpeed: 10,
          singleUse: false,
          active: true,
        }),
      );
      assert.ok(error instanceof MegaportForbiddenError);
      assert.equal(error.status, 403);
      assert.equal(error.data, "Access denied");
      assert.equal(
        error.message,
        'account "east": create a service key was refused: POST /v2/service/key: 403 Forbidden: Access denied. ' +
          "Changes need a Company Admin API key: if the key from the accessKey and secretKey is Read Only " +
          "(it can preview and refresh, not change anything), run this with a Company Admin key.",
      );
    });

    it("an error whose data is a list of {error} keeps each item, scrubbed of the key it repeats", async () => {
      const owner = harness.client(harness.east);
      const key = await owner.serviceKeys.create({
        productUid: harness.east.products.port1G,
        maxSpeed: 10,
        singleUse: false,
        active: true,
      });
      const consumer = harness.client(harness.west);
      await consumer.products.list();
      await harness.faults({ errorRate: 1, status: 400, echoKey: "list", paths: ["/v2/service/key"] });
      const error = await thrown(() => consumer.serviceKeys.get(key.key));
      assert.ok(error instanceof MegaportApiError);
      assert.ok(!(error instanceof MegaportNotFoundError));
      assert.ok(Array.isArray(error.data));
      assert.ok(error.data.length >= 1);
      for (const item of error.data) {
        assert.deepEqual(Object.keys(item), ["error"]);
        assert.ok(!item.error.includes(key.key) && !item.error.includes(key.key.slice(0, 8)), item.error);
        assert.match(item.error, /\[REDACTED\]/);
      }
      assert.ok(!error.message.includes(key.key.slice(0, 8)));
    });

    it("a 401 is answered by one token refresh and one retry, with the new token", async () => {
      const client = harness.client(harness.east);
      await client.products.list();
      await harness.faults({ tokenUses: 1, times: 1, paths: ["/v2/products"] });
      await client.products.list(); // uses the token up
      await harness.clearFaults();
      assert.equal((await client.products.list()).length, 4);
      assert.deepEqual(
        (await harness.requests()).map((entry) => `${entry.path} ${entry.status}`),
        [
          "/oauth2/token 200",
          "/v2/products 200",
          "/v2/products 200",
          "/v2/products 401",
          "/oauth2/token 200",
          "/v2/products 200",
        ],
      );
      assert.equal(client.tokenRequestCount, 2);
    });
  });

  describe("answers only a bare server gives", () => {
    let bare: BareApi;
    let client: MegaportClient;

    before(async () => {
      bare = await BareApi.start();
      client = bare.client();
    });

    after(async () => {
      await client.close();
      await bare.close();
    });

    it("an HTML error page: apiMessage is its first 200 characters", async () => {
      const page = `<html><body>${"x".repeat(300)}</body></html>`;
      bare.next = { status: 502, body: page, headers: { "content-type": "text/html" } };
      const error = await thrown(() => client.products.list());
      assert.ok(error instanceof MegaportApiError);
      assert.equal(error.status, 502);
      assert.equal(error.apiMessage, page.slice(0, 200));
      assert.equal(error.data, null);
      assert.equal(error.traceId, null);
    });

    it("a JSON error with `error` instead of `message`, and `trace_id` in the body", async () => {
      bare.next = json(409, { error: "conflict here", trace_id: "body-trace-1" });
      const error = await thrown(() => client.products.list());
      assert.ok(error instanceof MegaportApiError);
      assert.equal(error.apiMessage, "conflict here");
      assert.equal(error.traceId, "body-trace-1");
      assert.equal(error.message, "GET /v2/products: 409 conflict here");
    });

    it("the Trace-Id header wins over a body trace_id; a JSON error without message, error or valid data", async () => {
      bare.next = json(422, { data: 17, trace_id: "body-trace" }, { "trace-id": "header-trace" });
      const error = await thrown(() => client.products.list());
      assert.ok(error instanceof MegaportApiError);
      assert.equal(error.apiMessage, "");
      assert.equal(error.data, null);
      assert.equal(error.traceId, "header-trace");
      assert.equal(error.message, "GET /v2/products: 422");
    });

    it("a repeated Trace-Id header: the first one", async () => {
      bare.next = json(400, { message: "m" });
      bare.multiHeaders = { "trace-id": ["first-trace", "second-trace"] };
      try {
        const error = await thrown(() => client.products.list());
        assert.ok(error instanceof MegaportApiError);
        assert.equal(error.traceId, "first-trace");
      } finally {
        bare.multiHeaders = undefined;
      }
    });

    it("JSON that is not an object (a bare string or null) has no message", async () => {
      for (const body of ['"just a string"', "null", "[1,2]"]) {
        bare.next = { status: 418, body, headers: { "content-type": "application/json" } };
        const error = await thrown(() => client.products.list());
        assert.ok(error instanceof MegaportApiError);
        assert.equal(error.apiMessage, "", body);
        assert.equal(error.message, "GET /v2/products: 418", body);
      }
    });

    it("the legacy 400 'Could not find a service with UID' is a MegaportNotFoundError, in message or data", async () => {
      const cases: unknown[] = [
        { message: "Could not find a service with UID abc", data: null },
        { message: "Bad Request", data: "could not find a service with uid abc" },
        { message: "Bad Request", data: [{ error: "other" }, { error: "Could not find a service with UID abc" }] },
      ];
      for (const body of cases) {
        bare.next = json(400, body);
        const error = await thrown(() => client.products.get("abc"));
        assert.ok(error instanceof MegaportNotFoundError, JSON.stringify(body));
        assert.equal(error.code, "ERR_MEGAPORT_NOT_FOUND");
        assert.equal(error.status, 400);
      }
      bare.next = json(400, { message: "Bad Request", data: "Validation failed" });
      const plain = await thrown(() => client.products.get("abc"));
      assert.ok(plain instanceof MegaportApiError && !(plain instanceof MegaportNotFoundError));
      bare.next = json(409, { message: "Could not find a service with UID abc" });
      const conflict = await thrown(() => client.products.get("abc"));
      assert.ok(conflict instanceof MegaportApiError && !(conflict instanceof MegaportNotFoundError), "only a 400");
    });

    it("a 2xx that is not JSON, or whose envelope is wrong, is a MegaportResponseError on a read", async () => {
      bare.next = { status: 200, body: "<html>ok</html>" };
      const notJson = await thrown(() => client.products.list());
      assert.ok(notJson instanceof MegaportResponseError);
      assert.equal(notJson.message, "GET /v2/products: unexpected response: body is not JSON");
      assert.equal(notJson.method, "GET");
      assert.equal(notJson.path, "/v2/products");
      bare.next = json(200, { message: 5, data: [] });
      const badEnvelope = await thrown(() => client.products.list());
      assert.ok(badEnvelope instanceof MegaportResponseError);
      assert.match(badEnvelope.message, /^GET \/v2\/products: unexpected response: message: /);
      bare.next = json(200, { message: "ok", data: [{ productUid: "p" }] });
      const badData = await thrown(() => client.products.list());
      assert.ok(badData instanceof MegaportResponseError);
      assert.match(badData.message, /^GET \/v2\/products: unexpected response: data\.0\.productType: /);
    });

    it("an empty 2xx body is no data: a list reads as empty, a setTags succeeds", async () => {
      bare.next = { status: 200, body: "  " };
      assert.deepEqual(await client.products.list(), []);
      await client.products.setTags("abc", [{ key: "k", value: "v" }]);
    });

    it("every 2xx is success (201, 299); 300 is an error", async () => {
      for (const status of [201, 299]) {
        bare.next = json(status, { message: "ok", data: [] });
        assert.deepEqual(await client.products.list(), []);
      }
      bare.next = json(300, { message: "Multiple Choices", data: [] });
      const error = await thrown(() => client.products.list());
      assert.ok(error instanceof MegaportApiError);
      assert.equal(error.status, 300);
    });

    it("a create answered 2xx that is not JSON is an unknown outcome naming why", async () => {
      bare.next = { status: 200, body: "not json" };
      const error = await thrown(() =>
        client.serviceKeys.create({ productUid: "p", maxSpeed: 1, singleUse: false, active: true }),
      );
      assert.ok(error instanceof MegaportOutcomeUnknownError);
      assert.equal(error.path, "/v2/service/key");
      assert.equal(
        error.message,
        "POST /v2/service/key: outcome unknown (the answer could not be read: POST /v2/service/key: " +
          "unexpected response: body is not JSON); the request may have been applied, reconcile before retrying",
      );
    });

    it("a create refused with a 4xx stays the API's refusal, not an unknown outcome", async () => {
      bare.next = json(400, { message: "Validation failed", data: "maxSpeed too high" });
      const error = await thrown(() =>
        client.serviceKeys.create({ productUid: "p", maxSpeed: 1, singleUse: false, active: true }),
      );
      assert.ok(error instanceof MegaportApiError);
      assert.equal(error.message, "POST /v2/service/key: 400 Validation failed: maxSpeed too high");
    });
  });
});
