import assert from "node:assert/strict";
import { request } from "undici";
import { Harness, http, text } from "./harness";

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("emulator: auth and HTTP conventions", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({
      seed: {
        companies: [
          {
            name: "short",
            companyName: "Short Lived",
            companyUid: "5a0e0000-0000-4000-8000-000000000099",
            companyId: 9999,
            apiKeys: [{ accessKey: "short-key", secretKey: "short-secret", tokenLifetimeMinutes: 5 }],
            products: [
              {
                nickname: "port1G",
                productUid: "5a0e0000-0001-4000-8000-000000000099",
                productId: 99001,
                productName: "Short Port 1G",
                productType: "MEGAPORT",
                portSpeed: 1000,
              },
            ],
          },
        ],
      },
    });
  });
  beforeEach(() => h.reset());
  after(() => h.close());

  it("issues a bearer token with grant_type in the query and an empty body (megaportgo)", async () => {
    const answer = await http(h.url, "POST", "/oauth2/token?grant_type=client_credentials", {
      headers: {
        authorization: basic("short-key", "short-secret"),
        "content-type": "application/x-www-form-urlencoded",
      },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.token_type, "Bearer");
    assert.equal(answer.body.expires_in, 300);
    assert.ok(text(answer.body.access_token).length > 20);
  });

  it("issues a token with grant_type in a form body (the docs)", async () => {
    const answer = await http(h.url, "POST", "/oauth2/token", {
      headers: {
        authorization: basic("short-key", "short-secret"),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    assert.equal(answer.status, 200);
    assert.equal(typeof answer.body.access_token, "string");
  });

  it("answers 401 invalid_client for a wrong secret or unknown key", async () => {
    for (const auth of [basic("short-key", "wrong"), basic("nobody", "x"), "Basic !!!"]) {
      const answer = await http(h.url, "POST", "/oauth2/token?grant_type=client_credentials", {
        headers: { authorization: auth },
      });
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, { error: "invalid_client" });
    }
  });

  it("answers 400 unsupported_grant_type without client_credentials", async () => {
    const answer = await http(h.url, "POST", "/oauth2/token", {
      headers: { authorization: basic("short-key", "short-secret") },
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, "unsupported_grant_type");
  });

  it("answers 401 in the envelope without a token, with an unknown token, and after expiry on the emulator clock", async () => {
    const noToken = await http(h.url, "GET", "/v2/products");
    assert.equal(noToken.status, 401);
    assert.equal(typeof noToken.body.terms, "string");
    assert.equal(typeof noToken.body.data, "string");
    const unknown = await http(h.url, "GET", "/v2/products", { headers: { authorization: "Bearer nope" } });
    assert.equal(unknown.status, 401);
    assert.equal((await h.api("short", "GET", "/v2/products")).status, 200);
    await h.advance(301_000);
    const expired = await h.api("short", "GET", "/v2/products");
    assert.equal(expired.status, 401);
    assert.match(text(expired.body.data), /expired/);
  });

  it("uses the default token lifetime option for keys without their own", async () => {
    const other = await Harness.start({ tokenLifetimeSeconds: 600 });
    try {
      const account = other.account("east");
      const answer = await http(other.url, "POST", "/oauth2/token?grant_type=client_credentials", {
        headers: { authorization: basic(account.accessKey, account.secretKey) },
      });
      assert.equal(answer.body.expires_in, 600);
    } finally {
      await other.close();
    }
  });

  it("puts a Trace-Id uuid header on every response, errors included", async () => {
    for (const answer of [await h.api("short", "GET", "/v2/products"), await http(h.url, "GET", "/nope")]) {
      assert.match(String(answer.headers["trace-id"]), /^[0-9a-f-]{36}$/);
    }
  });

  it("answers 404 in the envelope for unknown paths and for GET /v2/product/ (empty uid)", async () => {
    for (const path of ["/v9/whatever", "/v2/product/", "/v2/product"]) {
      const answer = await h.api("short", "GET", path);
      assert.equal(answer.status, 404, path);
      assert.equal(typeof answer.body.message, "string");
      assert.equal(typeof answer.body.data, "string");
    }
  });

  it("answers 405 for a wrong method on a known path (no DELETE of service keys)", async () => {
    const answer = await h.api("short", "DELETE", "/v2/service/key");
    assert.equal(answer.status, 405);
    assert.equal(answer.body.data, "Method Not Allowed");
  });

  it("answers 400 for malformed JSON and for wrong types, never a stack trace", async () => {
    const token = await h.token("short");
    const malformed = await http(h.url, "POST", "/v2/service/key", {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{not json",
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.message, "Malformed JSON");
    const wrongType = await h.api("short", "POST", "/v2/service/key", { productUid: 5, maxSpeed: { a: 1 } });
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.body.message, "Validation failed");
    assert.match(text(wrongType.body.data), /maxSpeed/);
    assert.doesNotMatch(JSON.stringify(wrongType.body), /at .*\.js/);
  });

  it("answers 413 for bodies over 1 MiB", async () => {
    const token = await h.token("short");
    const answer = await http(h.url, "POST", "/v2/service/key", {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ description: "x".repeat(1024 * 1024 + 10) }),
    });
    assert.equal(answer.status, 413);
    assert.equal(typeof answer.body.terms, "string");
  });

  it("tolerates trailing slashes", async () => {
    const answer = await h.api("short", "GET", "/v2/products/");
    assert.equal(answer.status, 200);
    assert.ok(Array.isArray(answer.body.data));
  });

  it("answers JSON with Content-Type application/json;charset=UTF-8", async () => {
    const token = await h.token("short");
    const response = await request(`${h.url}/v2/products`, { headers: { authorization: `Bearer ${token}` } });
    await response.body.text();
    assert.equal(response.headers["content-type"], "application/json;charset=UTF-8");
  });
});
