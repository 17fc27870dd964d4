import assert from "node:assert/strict";
import * as http from "node:http";
import { request } from "undici";
import { Harness, list, text } from "./harness";

// Two test controls (emulator/README.md): an injected error that repeats the request's service key,
// and provisioning held so that a VXC stays DEPLOYABLE by construction instead of by timing.
describe("emulator: key-echoing faults, counted and delayed faults, held provisioning", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ provisioningDelayMs: 20 });
  });
  beforeEach(() => h.reset());
  after(() => h.close());

  it("echoKey repeats the key of the `key` query and its prefix in message and string data", async () => {
    const key = await h.createKey("west");
    await h.admin("POST", "/faults", { errorRate: 1, status: 403, echoKey: "string", paths: ["/v2/service/key"] });
    const answer = await h.api("east", "GET", `/v2/service/key?key=${key.key}`);
    assert.equal(answer.status, 403);
    assert.equal(text(answer.body.message), `Forbidden for key ${key.key} [${key.key.slice(0, 8)}]`);
    assert.equal(
      text(answer.body.data),
      `service key ${key.key} was refused; key prefix ${key.key.slice(0, 8)} (Access denied)`,
    );
  });

  it("echoKey finds a serviceKey inside a JSON body and answers a list of {error}", async () => {
    const key = await h.createKey("west");
    await h.admin("POST", "/faults", { errorRate: 1, status: 400, echoKey: "list", paths: ["/v4/networkdesign"] });
    const answer = await h.buy("east", key);
    assert.equal(answer.status, 400);
    const errors = list(answer.body.data).map((item) => text(item.error));
    assert.deepEqual(errors, [
      `service key ${key.key} was refused`,
      `key prefix ${key.key.slice(0, 8)} (The request was refused)`,
    ]);
    assert.equal(list((await h.admin("GET", "/state")).body.vxcs).length, 0, "an injected error changes nothing");
  });

  it("echoKey leaves an error alone when the request carries no key; without echoKey nothing is echoed", async () => {
    await h.admin("POST", "/faults", { errorRate: 1, status: 500, echoKey: "string", paths: ["/v2/products"] });
    const noKey = await h.api("east", "GET", "/v2/products");
    assert.equal(noKey.status, 500);
    assert.equal(text(noKey.body.message), "Internal Server Error");
    const key = await h.createKey("west");
    await h.admin("POST", "/faults", { errorRate: 1, status: 403, paths: ["/v2/service/key"] });
    const plainError = await h.api("east", "GET", `/v2/service/key?key=${key.key}`);
    assert.equal(JSON.stringify(plainError.body).includes(key.key.slice(0, 8)), false);
  });

  it("held provisioning keeps an approved VXC DEPLOYABLE until released; reset releases it", async () => {
    const key = await h.createKey("west");
    assert.deepEqual((await h.admin("POST", "/provisioning", { held: true })).body, { held: true });
    const uid = await h.buyUid("east", key);
    await h.advance(10_000);
    const status = async () => text((await h.api("east", "GET", `/v2/product/${uid}`)).body.data.provisioningStatus);
    assert.equal(await status(), "DEPLOYABLE");
    await h.admin("POST", "/provisioning", { held: false });
    assert.equal(await status(), "LIVE");
    await h.admin("POST", "/provisioning", { held: true });
    await h.reset();
    const afterReset = await h.buyUid("east", await h.createKey("west"));
    await h.advance(10_000);
    assert.equal(
      text((await h.api("east", "GET", `/v2/product/${afterReset}`)).body.data.provisioningStatus),
      "LIVE",
    );
    assert.equal((await h.admin("POST", "/provisioning", { held: "yes" })).status, 400);
  });

  it("times limits the faults to that many matching requests", async () => {
    await h.token("east");
    await h.admin("POST", "/faults", { errorRate: 1, status: 503, paths: ["/v2/products"], times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.api("east", "GET", "/v2/products")).status);
    assert.deepEqual(statuses, [503, 503, 200]);
    assert.equal((await h.admin("GET", "/state")).body.faults.times, 2, "the config stays as set");
  });

  it("answerDelayMs commits first, then answers late, under the config the request arrived with", async () => {
    await h.token("west");
    await h.admin("POST", "/faults", { answerDelayMs: 400, methods: ["POST"], paths: ["/v2/service/key"] });
    const started = Date.now();
    const creating = h.createKey("west");
    let committed = 0;
    while (committed === 0) committed = list((await h.admin("GET", "/state")).body.serviceKeys).length;
    // Committed before the answer: a lost-response fault set now does not touch that answer.
    await h.admin("POST", "/faults", { lostResponseRate: 1, methods: ["POST"], paths: ["/v2/service/key"] });
    const made = await creating;
    assert.ok(Date.now() - started >= 400, "the answer waited");
    assert.equal(made.key, text((await h.admin("GET", "/state")).body.serviceKeys[0].key));
  });

  it("stallBodyMs sends the headers and half the body, commits, and sends the rest later", async () => {
    const token = await h.token("west");
    await h.admin("POST", "/faults", { stallBodyMs: 300, methods: ["POST"], paths: ["/v2/service/key"] });
    const started = Date.now();
    const response = await request(`${h.url}/v2/service/key`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ productUid: h.account("west").products.port1G, maxSpeed: 10, singleUse: false }),
    });
    const headersAfter = Date.now() - started;
    assert.equal(response.statusCode, 200);
    assert.equal(list((await h.admin("GET", "/state")).body.serviceKeys).length, 1, "committed before the body ended");
    const body = JSON.parse(await response.body.text()) as { data: { key: string } };
    assert.ok(headersAfter < 250, `headers came at once (${headersAfter} ms)`);
    assert.ok(Date.now() - started >= 300, "the body's second half waited");
    assert.equal(body.data.key, text((await h.admin("GET", "/state")).body.serviceKeys[0].key));
  });

  it("injects 502 Bad Gateway and 504 Gateway Timeout in the error envelope", async () => {
    for (const [status, message] of [
      [502, "Bad Gateway"],
      [504, "Gateway Timeout"],
    ] as const) {
      await h.admin("POST", "/faults", { errorRate: 1, status, paths: ["/v2/products"] });
      const answer = await h.api("east", "GET", "/v2/products");
      assert.equal(answer.status, status);
      assert.equal(answer.body.message, message);
      assert.equal(answer.body.data, message);
    }
  });

  it("tokenUses expires a token once it has carried that many matching requests", async () => {
    await h.admin("POST", "/faults", { tokenUses: 2, paths: ["/v2/products"] });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.api("east", "GET", "/v2/products")).status);
    // The second call used the token up: the third meets a 401 (this harness keeps its token).
    assert.deepEqual(statuses, [200, 200, 401]);
    h.forgetTokens();
    assert.equal((await h.api("east", "GET", "/v2/products")).status, 200, "a new token carries 2 again");
  });

  it("stats count API requests in flight: a request waiting out its latency, then none", async () => {
    await h.token("east");
    await h.admin("POST", "/faults", { latencyMs: 300, paths: ["/v2/products"] });
    const slow = h.api("east", "GET", "/v2/products");
    let inFlight = 0;
    while (inFlight === 0) inFlight = Number((await h.admin("GET", "/stats")).body.inFlight);
    assert.equal(inFlight, 1);
    assert.equal((await slow).status, 200);
    assert.equal(Number((await h.admin("GET", "/stats")).body.inFlight), 0);
  });

  it("a client that goes away while its request waits out the latency is in flight no more, and nothing is bought", async () => {
    const token = await h.token("east");
    await h.admin("POST", "/faults", { latencyMs: 300, paths: ["/v3/networkdesign/buy"] });
    const buy = http.request(`${h.url}/v3/networkdesign/buy`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
    buy.on("error", () => undefined); // the socket is destroyed below, on purpose
    buy.end("[]");
    const inFlight = async () => Number((await h.admin("GET", "/stats")).body.inFlight);
    while ((await inFlight()) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    buy.destroy();
    const deadline = Date.now() + 2000;
    while ((await inFlight()) !== 0) {
      assert.ok(Date.now() < deadline, "the request of the gone client is still counted in flight");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(list((await h.admin("GET", "/state")).body.vxcs).length, 0);
  });
});
