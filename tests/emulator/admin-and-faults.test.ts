import assert from "node:assert/strict";
import { Client } from "undici";
import { Harness, http, list, plain, text } from "./harness";

describe("emulator: admin API, request log and faults", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  after(() => h.close());

  describe("admin", () => {
    it("GET /_emulator/state lists companies, products, keys, VXCs and approvals", async () => {
      const key = await h.createKey("west", { preApproved: false });
      await h.buyUid("east", key);
      const state = (await h.admin("GET", "/state")).body;
      assert.equal(list(state.companies).length, 3);
      assert.equal(list(state.products).length, 12);
      assert.equal(list(state.serviceKeys).length, 1);
      assert.equal(list(state.vxcs).length, 1);
      assert.equal(state.vxcs[0].provisioningStatus, "DEPLOYABLE");
      assert.equal(list(state.approvals).length, 1);
      assert.equal(typeof state.now, "number");
    });

    it("GET /_emulator/stats counts the TCP connections the listener accepted", async () => {
      const before = Number((await h.admin("GET", "/stats")).body.connectionsOpened);
      const client = new Client(h.emulator.url, { pipelining: 1 });
      try {
        for (let i = 0; i < 3; i++) {
          const response = await client.request({ method: "GET", path: "/_emulator/state" });
          await response.body.dump();
        }
      } finally {
        await client.close();
      }
      const after = Number((await h.admin("GET", "/stats")).body.connectionsOpened);
      // Three requests on one keep-alive connection, plus the connection of the second stats call.
      assert.ok(after - before >= 1 && after - before <= 2, `${before} → ${after}`);
    });

    it("POST /_emulator/reset goes back to the seed and resets the clock", async () => {
      await h.createKey("west");
      const advanced = await h.advance(86400_000);
      assert.ok(advanced > Date.now() + 86000_000);
      await h.reset();
      const state = (await h.admin("GET", "/state")).body;
      assert.equal(list(state.serviceKeys).length, 0);
      assert.ok(Number(state.now) < Date.now() + 60_000);
    });

    it("POST /_emulator/clock answers {now} moved by advanceMs and rejects a bad body", async () => {
      const before = Date.now();
      const now = await h.advance(3_600_000);
      assert.ok(now >= before + 3_600_000 && now < before + 3_660_000);
      assert.equal((await h.admin("POST", "/clock", { advanceMs: "soon" })).status, 400);
    });

    it("POST /_emulator/vxcs/:uid patches a VXC behind the client's back", async () => {
      const uid = await h.buyUid("east", await h.createKey("west"));
      const patched = await h.admin("POST", `/vxcs/${uid}`, {
        rateLimit: 42,
        provisioningStatus: "DECOMMISSIONED",
      });
      assert.equal(patched.status, 200);
      const vxc = (await h.api("east", "GET", `/v2/product/${uid}`)).body.data;
      assert.equal(vxc.rateLimit, 42);
      assert.equal(vxc.provisioningStatus, "DECOMMISSIONED");
      assert.equal((await h.admin("POST", "/vxcs/nope", { rateLimit: 1 })).status, 404);
    });

    it("POST /_emulator/service-keys/:key patches a key", async () => {
      const key = await h.createKey("west");
      assert.equal((await h.admin("POST", `/service-keys/${key.key}`, { active: false })).status, 200);
      const view = (await h.api("west", "GET", `/v2/service/key?key=${key.key}`)).body.data;
      assert.equal(view.active, false);
      assert.equal(view.valid, false);
    });
  });

  describe("request log", () => {
    it("logs API calls with seq, time, method, decoded path, query, status and company; not admin calls", async () => {
      const key = await h.createKey("west");
      await h.api("east", "GET", `/v2/service/key%3Fkey=${key.key.slice(0, 8)}`);
      await h.admin("GET", "/state");
      const entries = list((await h.admin("GET", "/requests")).body);
      assert.deepEqual(
        entries.map((e) => `${text(e.method)} ${text(e.path)} ${String(e.status)} ${String(e.company)}`),
        [
          "POST /oauth2/token 200 west",
          "POST /v2/service/key 200 west",
          "POST /oauth2/token 200 east",
          "GET /v2/service/key 200 east",
        ],
      );
      assert.deepEqual(plain(entries[3].query), { key: key.key.slice(0, 8) });
      assert.equal(entries[3].fault, null);
      assert.equal(typeof entries[0].time, "number");
      const first = Number(entries[0].seq);
      assert.deepEqual(
        entries.map((e) => Number(e.seq)),
        [first, first + 1, first + 2, first + 3],
      );
    });

    it("logs the User-Agent, Accept and Content-Type headers and the raw body, never Authorization", async () => {
      const token = await h.token("east");
      const body = JSON.stringify({ productUid: h.account("east").products.port1G, maxSpeed: 10, singleUse: false });
      await http(h.url, "POST", "/v2/service/key", {
        headers: {
          authorization: `Bearer ${token}`,
          "user-agent": "log-test/1.0",
          accept: "application/json",
          "content-type": "application/json",
        },
        body,
      });
      await http(h.url, "GET", "/v2/products", { headers: { authorization: `Bearer ${token}` } });
      await h.admin("POST", "/faults", { resetRate: 1, paths: ["/v2/products"] });
      await http(h.url, "GET", "/v2/products", { headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
      await h.admin("POST", "/faults", {});
      const entries = list((await h.admin("GET", "/requests")).body).filter((e) => text(e.path) !== "/oauth2/token");
      assert.deepEqual(plain(entries[0].headers), {
        userAgent: "log-test/1.0",
        accept: "application/json",
        contentType: "application/json",
      });
      assert.equal(entries[0].body, body);
      assert.equal(entries[1].body, "");
      assert.equal(entries[1].headers.contentType, null);
      assert.equal(entries[2].fault, "reset");
      assert.equal(entries[2].body, null);
      assert.ok(!JSON.stringify(entries).includes(token), "the bearer token is not logged");
    });

    it("?since=<seq> returns newer entries; DELETE clears; an unauthenticated call has company null", async () => {
      await h.api("east", "GET", "/v2/products");
      await h.api("east", "GET", "/v2/products");
      const entries = list((await h.admin("GET", "/requests")).body);
      const since = Number(entries[entries.length - 2].seq);
      const newer = list((await h.admin("GET", `/requests?since=${since}`)).body);
      assert.equal(newer.length, 1);
      assert.equal(Number(newer[0].seq), since + 1);
      assert.equal((await h.admin("DELETE", "/requests")).status, 200);
      assert.equal(list((await h.admin("GET", "/requests")).body).length, 0);
      await h.admin("POST", "/faults", {});
      await http(h.url, "GET", "/v2/products");
      const [entry] = list((await h.admin("GET", "/requests")).body);
      assert.equal(entry.company, null);
      assert.equal(entry.status, 401);
    });
  });

  describe("faults", () => {
    it("errorRate with 429 answers Retry-After and leaves state untouched", async () => {
      await h.token("west");
      const config = await h.admin("POST", "/faults", {
        errorRate: 1,
        status: 429,
        retryAfterSeconds: 7,
        paths: ["/v2/service/key"],
      });
      assert.equal(config.body.errorRate, 1);
      const answer = await h.api("west", "POST", "/v2/service/key", {
        productUid: h.account("west").products.port1G,
      });
      assert.equal(answer.status, 429);
      assert.equal(answer.headers["retry-after"], "7");
      assert.equal(list((await h.admin("GET", "/state")).body.serviceKeys).length, 0);
      const faulted = list((await h.admin("GET", "/requests")).body).filter(
        (e) => String(e.fault) === "error",
      );
      assert.equal(faulted.length, 1);
      assert.equal(faulted[0].status, 429);
      assert.equal((await h.api("west", "GET", "/v2/products")).status, 200, "other paths are not faulted");
    });

    it("500 on cancel paths carries the rollback-only text; 503 elsewhere", async () => {
      const uid = await h.buyUid("east", await h.createKey("west"));
      await h.admin("POST", "/faults", { errorRate: 1, status: 500, paths: ["/v3/product"] });
      const cancel = await h.api("east", "POST", `/v3/product/${uid}/action/CANCEL_NOW`);
      assert.equal(cancel.status, 500);
      assert.equal(
        cancel.body.message,
        "Transaction silently rolled back because it has been marked as rollback-only",
      );
      await h.admin("POST", "/faults", { errorRate: 1, status: 503 });
      assert.equal((await h.api("east", "GET", "/v2/products")).status, 503);
      await h.admin("POST", "/faults", {});
      assert.equal(
        (await h.api("east", "GET", `/v2/product/${uid}`)).body.data.provisioningStatus,
        "DEPLOYABLE",
      );
    });

    it("a status array picks per request, deterministically with a seed", async () => {
      await h.token("east");
      const run = async () => {
        await h.admin("POST", "/faults", {
          errorRate: 1,
          status: [429, 500, 503],
          seed: 42,
          paths: ["/v2/products"],
        });
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) statuses.push((await h.api("east", "GET", "/v2/products")).status);
        return statuses;
      };
      const first = await run();
      assert.deepEqual(await run(), first);
      assert.ok(new Set(first).size >= 2, `expected a mix, got ${first}`);
    });

    it("faults without paths hit /oauth2/token too", async () => {
      await h.admin("POST", "/faults", { errorRate: 1, status: 503 });
      await assert.rejects(() => h.newToken("east"), /503/);
    });

    it("resetRate destroys the connection before anything happens", async () => {
      await h.token("west");
      await h.admin("POST", "/faults", { resetRate: 1, paths: ["/v2/service/key"] });
      await assert.rejects(() =>
        h.api("west", "POST", "/v2/service/key", { productUid: h.account("west").products.port1G }),
      );
      await h.admin("POST", "/faults", {});
      assert.equal(list((await h.admin("GET", "/state")).body.serviceKeys).length, 0);
      const entries = list((await h.admin("GET", "/requests")).body);
      const reset = entries.find((e) => String(e.fault) === "reset");
      assert.equal(reset?.status, null);
    });

    it("resetKind rst aborts the connection with a TCP RST: the client sees ECONNRESET", async () => {
      await h.token("west");
      await h.admin("POST", "/faults", { resetRate: 1, resetKind: "rst", paths: ["/v2/products"] });
      const rst = await h.api("west", "GET", "/v2/products").catch((error: unknown) => error);
      assert.equal((rst as { code?: string }).code, "ECONNRESET");
      await h.admin("POST", "/faults", { resetRate: 1, paths: ["/v2/products"] });
      const closed = await h.api("west", "GET", "/v2/products").catch((error: unknown) => error);
      assert.equal((closed as { code?: string }).code, "UND_ERR_SOCKET", "the default closes it");
      await h.admin("POST", "/faults", {});
    });

    it("lostResponseRate commits the change and then drops the connection", async () => {
      await h.token("west");
      await h.admin("POST", "/faults", { lostResponseRate: 1, paths: ["/v2/service/key"] });
      await assert.rejects(() =>
        h.api("west", "POST", "/v2/service/key", { productUid: h.account("west").products.port1G }),
      );
      await h.admin("POST", "/faults", {});
      assert.equal(list((await h.admin("GET", "/state")).body.serviceKeys).length, 1);
      const lost = list((await h.admin("GET", "/requests")).body).find((e) => String(e.fault) === "lost");
      assert.equal(lost?.path, "/v2/service/key");
    });

    it("methods limits faults to those HTTP methods on the matching paths", async () => {
      await h.token("west");
      await h.admin("POST", "/faults", { lostResponseRate: 1, paths: ["/v2/service/key"], methods: ["post"] });
      await assert.rejects(() =>
        h.api("west", "POST", "/v2/service/key", { productUid: h.account("west").products.port1G }),
      );
      const listed = await h.api("west", "GET", "/v2/service/key");
      assert.equal(listed.status, 200, "a GET on the same path is not faulted");
      assert.equal(list(listed.body.data).length, 1);
    });

    it("latencyMs delays matching responses only", async () => {
      await h.token("east");
      await h.admin("POST", "/faults", { latencyMs: 150, paths: ["/v2/products"] });
      let started = Date.now();
      await h.api("east", "GET", "/v2/products");
      assert.ok(Date.now() - started >= 140);
      started = Date.now();
      await h.api("east", "GET", "/v3/order_approvals");
      assert.ok(Date.now() - started < 140);
    });

    it("an empty body clears faults and reset clears them too", async () => {
      await h.admin("POST", "/faults", { errorRate: 1 });
      assert.deepEqual(plain((await h.admin("POST", "/faults")).body), {});
      await h.admin("POST", "/faults", { errorRate: 1 });
      await h.reset();
      assert.equal((await h.api("east", "GET", "/v2/products")).status, 200);
      assert.equal((await h.admin("POST", "/faults", { errorRate: 2 })).status, 400);
    });
  });
});
