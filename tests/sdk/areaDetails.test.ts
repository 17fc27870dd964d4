/**
 * The API areas and the client in detail: argument checks, client options and environments, the
 * exact request bodies and queries each area sends (from the emulator's request log), pagination
 * fallbacks, cancel's idempotence rules, and error names. Written against the surviving mutants of
 * `make mutation` (docs/testing.md, "Mutation testing").
 */
import assert from "node:assert/strict";
import {
  DEFAULT_RETRY,
  MegaportApiError,
  MegaportAuthError,
  MegaportClient,
  MegaportConfigError,
  MegaportForbiddenError,
  MegaportNetworkError,
  MegaportNotFoundError,
  MegaportOutcomeUnknownError,
  MegaportResponseError,
  MegaportTimeoutError,
  resolveEnvironment,
  type ServiceKey,
  type VxcOrder,
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

describe("sdk: API areas in detail", () => {
  let harness: Harness;
  let owner: MegaportClient;
  let consumer: MegaportClient;

  before(async () => {
    harness = await Harness.start({ tokenLifetimeSeconds: 300 });
    owner = harness.client(harness.east);
    consumer = harness.client(harness.west);
  });

  beforeEach(async () => {
    await harness.clearFaults();
    await harness.clearRequests();
  });

  after(async () => {
    await harness.close();
  });

  const order = (key: ServiceKey, name: string, vlan?: number): VxcOrder[] => [
    {
      productUid: harness.west.products.port1G,
      associatedVxcs: [
        {
          productName: name,
          rateLimit: 100,
          term: 1,
          shutdown: false,
          serviceKey: key.key,
          aEnd: vlan === undefined ? {} : { vlan },
          bEnd: { productUid: key.productUid },
        },
      ],
    },
  ];

  const multiUseKey = (preApproved = true) =>
    owner.serviceKeys.create({
      productUid: harness.east.products.port1G,
      maxSpeed: 1000,
      singleUse: false,
      active: true,
      preApproved,
    });

  describe("argument checks", () => {
    it("every call that takes a uid or key refuses an empty, blank or non-string one, sending nothing", async () => {
      const calls: [string, () => Promise<unknown>][] = [
        ["uid", () => owner.products.get("")],
        ["uid", () => owner.products.tags("  ")],
        ["uid", () => owner.products.setTags("\t", [])],
        ["uid", () => owner.products.portVlanAvailable(5 as unknown as string, 10)],
        ["key", () => owner.serviceKeys.get(" ")],
        ["productUid", () => owner.serviceKeys.create({ productUid: "", maxSpeed: 1, singleUse: false, active: true })],
        ["uid", () => owner.vxcs.get("")],
        ["uid", () => owner.vxcs.update(" ", { name: "x" })],
        ["uid", () => owner.vxcs.cancel("")],
        ["uid", () => owner.orderApprovals.approve("")],
        ["uid", () => owner.orderApprovals.reject(null as unknown as string)],
        ["uid", () => owner.orderApprovals.withdraw(" ")],
      ];
      for (const [field, call] of calls) {
        const error = await thrown(call);
        assert.ok(error instanceof TypeError);
        assert.equal(error.message, `${field}: must be a non-empty string`);
      }
      assert.deepEqual(await harness.requests(), [], "nothing was sent");
    });
  });

  describe("client options and environments", () => {
    it("resolves production, development, a base URL with slashes, and an explicit token URL", () => {
      assert.deepEqual(resolveEnvironment({ environment: "production" }), {
        baseUrl: "https://api.megaport.com",
        tokenUrl: "https://auth-m2m.megaport.com/oauth2/token",
      });
      assert.deepEqual(resolveEnvironment({ environment: "development" }), {
        baseUrl: "https://api-mpone-dev.megaport.com",
        tokenUrl: "https://auth-m2m-mpone-dev.megaport.com/oauth2/token",
      });
      assert.deepEqual(resolveEnvironment({ environment: "staging", baseUrl: "http://h:1//" }), {
        baseUrl: "http://h:1",
        tokenUrl: "http://h:1/oauth2/token",
      });
      assert.deepEqual(resolveEnvironment({ environment: "staging", tokenUrl: "http://t/token" }), {
        baseUrl: "https://api-staging.megaport.com",
        tokenUrl: "http://t/token",
      });
      assert.equal(resolveEnvironment({}), undefined);
    });

    it("refuses invalid options, naming the field and the rule", () => {
      const base = { accessKey: "a", secretKey: "s", environment: "staging" };
      const cases: [Record<string, unknown>, string][] = [
        [{ ...base, accessKey: "" }, "accessKey: must be a non-empty string"],
        [{ ...base, tokenUrl: "mailto:x@y" }, "tokenUrl: must be an http(s) URL"],
        [{ ...base, baseUrl: "not a url" }, "baseUrl: must be an http(s) URL"],
        [{ ...base, onRequest: "log" }, "onRequest: must be a function"],
        [{ accessKey: "a", secretKey: "s" }, "environment: required when baseUrl is not set: choose one of production, staging, development"],
      ];
      for (const [options, message] of cases) {
        assert.throws(
          () => new MegaportClient(options as never),
          (error: unknown) => error instanceof MegaportConfigError && error.message === message,
          message,
        );
      }
      const fieldRules: [Record<string, unknown>, string][] = [
        [{ label: "" }, "label"],
        [{ credentialSource: "" }, "credentialSource"],
        [{ environmentSource: "" }, "environmentSource"],
        [{ userAgent: 5 }, "userAgent"],
        [{ timeouts: { connectMs: 0 } }, "timeouts.connectMs"],
        [{ timeouts: { requestMs: 1.5 } }, "timeouts.requestMs"],
        [{ retry: { maxAttempts: 1.5 } }, "retry.maxAttempts"],
        [{ retry: { maxElapsedMs: -1 } }, "retry.maxElapsedMs"],
        [{ retry: { baseDelayMs: 0.5 } }, "retry.baseDelayMs"],
        [{ retry: { maxDelayMs: -5 } }, "retry.maxDelayMs"],
      ];
      for (const [change, field] of fieldRules) {
        assert.throws(
          () => new MegaportClient({ ...base, ...change } as never),
          (error: unknown) => error instanceof MegaportConfigError && error.message.startsWith(`${field}: `),
          field,
        );
      }
      for (const ok of [
        { ...base, baseUrl: "https://h" },
        { ...base, tokenUrl: "http://h/t" },
        { ...base, retry: { maxAttempts: 1, maxElapsedMs: 0, baseDelayMs: 0, maxDelayMs: 0 } },
        { ...base, timeouts: { connectMs: 1, requestMs: 1 }, label: "l", credentialSource: "c", environmentSource: "e" },
      ]) {
        void new MegaportClient(ok as never).close();
      }
    });

    it("a retry option left undefined keeps its default (250 ms base delay)", async () => {
      const stamps: number[] = [];
      const client = harness.client(harness.east, {
        retry: { maxAttempts: 2, baseDelayMs: undefined },
        onRequest: () => stamps.push(Date.now()),
      });
      await client.products.list();
      await harness.faults({ errorRate: 1, status: 503, paths: ["/v2/products"] });
      stamps.length = 0;
      const original = Math.random;
      Math.random = () => 0.5;
      try {
        await thrown(() => client.products.list());
      } finally {
        Math.random = original;
      }
      assert.equal(stamps.length, 2);
      const gap = stamps[1] - stamps[0];
      assert.ok(gap >= DEFAULT_RETRY.baseDelayMs / 2 - 1 && gap < 400, `waited ${gap} ms, expected 125`);
    });
  });

  describe("errors", () => {
    it("every error class names itself; a list `data` is joined with '; ' in the message", async () => {
      const details = { status: 400, method: "GET", path: "/p", apiMessage: "m", data: null, traceId: null };
      const errors: [Error, string][] = [
        [new MegaportConfigError("x"), "MegaportConfigError"],
        [new MegaportAuthError("x"), "MegaportAuthError"],
        [new MegaportApiError(details), "MegaportApiError"],
        [new MegaportNotFoundError(details), "MegaportNotFoundError"],
        [new MegaportForbiddenError(details, "c", "x"), "MegaportForbiddenError"],
        [new MegaportResponseError("GET", "/p", "d"), "MegaportResponseError"],
        [new MegaportNetworkError("GET", "/p", "E", "d", 1), "MegaportNetworkError"],
        [new MegaportOutcomeUnknownError("GET", "/p", 0, "d"), "MegaportOutcomeUnknownError"],
        [new MegaportTimeoutError("x", undefined), "MegaportTimeoutError"],
      ];
      for (const [error, name] of errors) assert.equal(error.name, name);
      const listed = new MegaportApiError({ ...details, data: [{ error: "one" }, { error: "two" }] });
      assert.equal(listed.message, "GET /p: 400 m: one; two");
      assert.equal(new MegaportApiError({ ...details, apiMessage: "", data: "only data" }).message, "GET /p: 400 only data");
      assert.equal(new MegaportAuthError("x").status, undefined);
    });

    it("a 403 on a change with an empty answer says only the status", async () => {
      const bare = await BareApi.start();
      const client = bare.client();
      try {
        bare.next = { status: 403, body: "" };
        const error = await thrown(() => client.orderApprovals.approve("a-uid"));
        assert.ok(error instanceof MegaportForbiddenError);
        assert.equal(error.change, "approve an order");
        assert.match(error.message, /^the API key: approve an order was refused: POST \/v3\/order_approvals\/a-uid\/approve: 403\. Changes need/);
      } finally {
        await client.close();
        await bare.close();
      }
    });
  });

  describe("request bodies and queries", () => {
    it("serviceKeys.create sends every field in order; get sends the key as a query", async () => {
      const validFor = { start: 1_700_000_000_000, end: 1_800_000_000_000 };
      const key = await owner.serviceKeys.create({
        productUid: harness.east.products.port1G,
        maxSpeed: 200,
        singleUse: true,
        active: false,
        vlan: 444,
        preApproved: true,
        description: "d",
        validFor,
      });
      await owner.serviceKeys.get(key.key);
      const [create, get] = (await harness.requests()).filter((entry) => entry.path === "/v2/service/key");
      assert.equal(
        create.body,
        JSON.stringify({
          productUid: harness.east.products.port1G,
          maxSpeed: 200,
          singleUse: true,
          active: false,
          vlan: 444,
          preApproved: true,
          description: "d",
          validFor,
        }),
      );
      assert.deepEqual(get.query, { key: key.key });
    });

    it("serviceKeys.update with the current fields sends one PUT: the changes over them, nulls left out", async () => {
      const key = await multiUseKey();
      await harness.clearRequests();
      const current = { ...key, description: null, vlan: null, preApproved: null, validFor: null };
      const updated = await owner.serviceKeys.update(key.key, { active: false }, current);
      assert.equal(updated.active, false);
      const log = await harness.requests();
      assert.deepEqual(
        log.map((entry) => entry.method),
        ["PUT"],
        "no read: the caller knew the fields",
      );
      assert.equal(
        log[0].body,
        JSON.stringify({
          key: key.key,
          productUid: key.productUid,
          singleUse: false,
          active: false,
          maxSpeed: 1000,
        }),
      );
    });

    it("serviceKeys.update without the current fields reads them, and keeps active unless changed", async () => {
      const validFor = { start: 1_700_000_000_000, end: 1_900_000_000_000 };
      const key = await owner.serviceKeys.create({
        productUid: harness.east.products.port1G,
        maxSpeed: 300,
        singleUse: true,
        vlan: 445,
        active: true,
        preApproved: false,
        description: "keep",
      });
      await harness.clearRequests();
      await owner.serviceKeys.update(key.key, { validFor });
      const log = await harness.requests();
      assert.deepEqual(
        log.map((entry) => entry.method),
        ["GET", "PUT"],
      );
      assert.equal(
        log[1].body,
        JSON.stringify({
          key: key.key,
          productUid: key.productUid,
          singleUse: true,
          active: true,
          validFor,
          vlan: 445,
          maxSpeed: 300,
          preApproved: false,
          description: "keep",
        }),
      );
    });

    it("validate and buy register the order's key first: an error repeating it is scrubbed", async () => {
      const key = await multiUseKey();
      for (const call of ["validate", "buy"] as const) {
        const fresh = harness.client(harness.west); // never saw the key before
        await harness.faults({ errorRate: 1, status: 400, echoKey: "string", paths: ["/v3/networkdesign", "/v4/networkdesign"] });
        const error = await thrown(() => fresh.networkDesign[call](order(key, "scrub")));
        assert.ok(error instanceof MegaportApiError);
        assert.match(error.message, /for key \[REDACTED\] \[\[REDACTED\]\]/);
      }
    });

    it("validate sends the bare array; buy sends {networkDesign, discountCodes}", async () => {
      const key = await multiUseKey();
      const orders = order(key, "bodies", 301);
      await consumer.networkDesign.validate(orders);
      await consumer.networkDesign.buy(orders);
      await consumer.networkDesign.buy(order(key, "coded", 302), ["PROMO"]);
      const log = (await harness.requests()).filter((entry) => entry.path.includes("networkdesign"));
      assert.deepEqual(
        log.map((entry) => [entry.path, entry.body]),
        [
          ["/v3/networkdesign/validate", JSON.stringify(orders)],
          ["/v4/networkdesign/buy", JSON.stringify({ networkDesign: orders, discountCodes: [] })],
          ["/v4/networkdesign/buy", JSON.stringify({ networkDesign: order(key, "coded", 302), discountCodes: ["PROMO"] })],
        ],
      );
    });

    it("orderApprovals: the list query, and approve/reject/withdraw bodies with and without a comment", async () => {
      const key = await multiUseKey(false);
      const [a] = await consumer.networkDesign.buy(order(key, "approve me", 311));
      const [b] = await consumer.networkDesign.buy(order(key, "reject me", 312));
      const [c] = await consumer.networkDesign.buy(order(key, "withdraw me", 313));
      const pending = await owner.orderApprovals.list({ status: "PENDING" });
      const uidOf = (vxc: string) => {
        const item = pending.items.find((approval) => approval.referenceId === vxc);
        assert.ok(item);
        return item.uid;
      };
      await harness.clearRequests();
      await owner.orderApprovals.approve(uidOf(a.vxcJTechnicalServiceUid));
      await owner.orderApprovals.reject(uidOf(b.vxcJTechnicalServiceUid), "no thanks");
      await consumer.orderApprovals.withdraw(uidOf(c.vxcJTechnicalServiceUid), "changed my mind");
      const log = await harness.requests();
      assert.deepEqual(
        log.filter((entry) => entry.method === "POST").map((entry) => [entry.path.split("/").at(-1), entry.body]),
        [
          ["approve", "{}"],
          ["reject", JSON.stringify({ comments: "no thanks" })],
          ["withdraw", JSON.stringify({ comments: "changed my mind" })],
        ],
      );
    });

    it("orderApprovals.list sends every filter as a query parameter", async () => {
      await owner.orderApprovals.list({
        status: "PENDING",
        serviceIds: [11, 12],
        pageNumber: 2,
        pageSize: 5,
        sort: "id",
        direction: "DESC",
      });
      const [entry] = (await harness.requests()).filter((e) => e.path === "/v3/order_approvals");
      assert.deepEqual(entry.query, {
        status: "PENDING",
        serviceIds: "11,12",
        pageNumber: "2",
        pageSize: "5",
        sort: "id",
        direction: "DESC",
      });
    });

    it("products.portVlanAvailable asks for the VLAN and reads whether it is listed", async () => {
      assert.equal(await owner.products.portVlanAvailable(harness.east.products.port1G, 1234), true);
      assert.equal(await owner.products.portVlanAvailable(harness.east.products.port1G, 1), false);
      const [entry] = (await harness.requests()).filter((e) => e.path.endsWith("/vlan"));
      assert.equal(entry.path, `/v2/product/port/${harness.east.products.port1G}/vlan`);
      assert.deepEqual(entry.query, { vlan: "1234" });
    });

    it("vxcs.update sends only the changes, then re-reads", async () => {
      const key = await multiUseKey();
      const [bought] = await consumer.networkDesign.buy(order(key, "to update", 320));
      await harness.clearRequests();
      const vxc = await consumer.vxcs.update(bought.vxcJTechnicalServiceUid, { rateLimit: 50 });
      assert.equal(vxc.rateLimit, 50);
      const log = await harness.requests();
      assert.deepEqual(
        log.map((entry) => [entry.method, entry.path, entry.body]),
        [
          ["PUT", `/v3/product/vxc/${bought.vxcJTechnicalServiceUid}`, JSON.stringify({ rateLimit: 50 })],
          ["GET", `/v2/product/${bought.vxcJTechnicalServiceUid}`, ""],
        ],
      );
    });
  });

  describe("cancel", () => {
    const liveVxc = async (name: string, vlan: number) => {
      const key = await multiUseKey();
      const [bought] = await consumer.networkDesign.buy(order(key, name, vlan));
      return bought.vxcJTechnicalServiceUid;
    };

    it("a refused cancel of a VXC not yet in the target state is the API's refusal", async () => {
      const uid = await liveVxc("refused cancel", 330);
      await harness.faults({ errorRate: 1, status: 400, paths: [`/v3/product/${uid}/action`] });
      const error = await thrown(() => consumer.vxcs.cancel(uid, "CANCEL"));
      assert.ok(error instanceof MegaportApiError);
      assert.equal(error.status, 400);
      assert.equal(error.path, `/v3/product/${uid}/action/CANCEL`);
    });

    it("a refused CANCEL of a VXC already CANCELLED succeeds; a refused CANCEL_NOW of it does not", async () => {
      const uid = await liveVxc("cancelled", 331);
      await consumer.vxcs.cancel(uid, "CANCEL");
      await harness.faults({ errorRate: 1, status: 400, paths: [`/v3/product/${uid}/action`] });
      await consumer.vxcs.cancel(uid, "CANCEL");
      const error = await thrown(() => consumer.vxcs.cancel(uid, "CANCEL_NOW"));
      assert.ok(error instanceof MegaportApiError);
      assert.equal(error.status, 400);
    });

    it("a refused CANCEL or CANCEL_NOW of a VXC already DECOMMISSIONED succeeds", async () => {
      const uid = await liveVxc("decommissioned", 335);
      await consumer.vxcs.cancel(uid, "CANCEL_NOW");
      await harness.faults({ errorRate: 1, status: 400, paths: [`/v3/product/${uid}/action`] });
      await consumer.vxcs.cancel(uid, "CANCEL");
      await consumer.vxcs.cancel(uid, "CANCEL_NOW");
      const refusals = (await harness.requests()).filter((entry) => entry.path.includes("/action/"));
      assert.deepEqual(
        refusals.map((entry) => entry.status),
        [200, 400, 400],
      );
    });

    it("a refused UN_CANCEL is always an error, even of a VXC that is gone; it asks to restore", async () => {
      const uid = await liveVxc("restore", 332);
      await harness.faults({ errorRate: 1, status: 403, paths: [`/v3/product/${uid}/action`] });
      const refused = await thrown(() => consumer.vxcs.cancel(uid, "UN_CANCEL"));
      assert.ok(refused instanceof MegaportForbiddenError);
      assert.equal(refused.change, "restore a VXC");
      const cancelRefused = await thrown(() => consumer.vxcs.cancel(uid, "CANCEL_NOW"));
      assert.ok(cancelRefused instanceof MegaportForbiddenError);
      assert.equal(cancelRefused.change, "cancel a VXC");
      await harness.clearFaults();
      const gone = await thrown(() => consumer.vxcs.cancel("00000000-0000-4000-8000-00000000beef", "UN_CANCEL"));
      assert.ok(gone instanceof MegaportNotFoundError);
    });

    it("a refused cancel whose check read fails with another error reports the refusal", async () => {
      const uid = await liveVxc("read fails", 333);
      await harness.faults({ errorRate: 1, status: 400, paths: [`/v3/product/${uid}/action`, `/v2/product/${uid}`] });
      const error = await thrown(() => consumer.vxcs.cancel(uid));
      assert.ok(error instanceof MegaportApiError);
      assert.equal(error.path, `/v3/product/${uid}/action/CANCEL_NOW`);
    });

    it("a refused cancel of a VXC that the check read no longer finds succeeds", async () => {
      const uid = "00000000-0000-4000-8000-00000000f00d";
      await harness.faults({ errorRate: 1, status: 400, paths: [`/v3/product/${uid}/action`] });
      await consumer.vxcs.cancel(uid);
      assert.deepEqual(
        (await harness.requests()).map((entry) => [entry.method, entry.status]),
        [
          ["POST", 400],
          ["GET", 404],
        ],
      );
    });

    it("a cancel that fails without an API answer is not treated as done", async () => {
      const uid = await liveVxc("network", 334);
      const client = harness.client(harness.west, { timeouts: { requestMs: 100 }, retry: { maxAttempts: 1 } });
      await client.products.list();
      await harness.faults({ latencyMs: 300, paths: [`/v3/product/${uid}/action`] });
      await assert.rejects(client.vxcs.cancel(uid), MegaportNetworkError);
    });
  });

  describe("waitFor", () => {
    let uid: string;

    before(async () => {
      const key = await multiUseKey(false); // never approved: stays DEPLOYABLE
      const [bought] = await consumer.networkDesign.buy(order(key, "waited on", 340));
      uid = bought.vxcJTechnicalServiceUid;
    });

    it("polls at an interval growing ×1.5 each time (the 10× cap is not reached here)", async () => {
      const stamps: number[] = [];
      await thrown(() =>
        consumer.vxcs.waitFor(uid, {
          until: () => false,
          timeoutMs: 700,
          intervalMs: 40,
          onProgress: () => stamps.push(Date.now()),
        }),
      );
      const gaps = stamps.slice(1).map((stamp, i) => stamp - stamps[i]);
      // 40, 60, 90, 135, 202.5 (then the deadline)
      const expected = [40, 60, 90, 135];
      expected.forEach((wait, i) => {
        assert.ok(gaps[i] >= wait - 1 && gaps[i] < wait + 80, `wait ${i + 1}: ${gaps[i]} ms, expected ${wait}`);
      });
    });

    it("never sleeps past the deadline: a 1 s interval with a 150 ms timeout ends in about 150 ms", async () => {
      const started = Date.now();
      const error = await thrown(() =>
        consumer.vxcs.waitFor(uid, { until: () => false, timeoutMs: 150, intervalMs: 1_000 }),
      );
      assert.ok(error instanceof MegaportTimeoutError);
      assert.ok(Date.now() - started < 600, `${Date.now() - started} ms`);
    });

    it("an aborted signal stops it before the first poll, or before the next sleep", async () => {
      const before = new AbortController();
      before.abort(new Error("aborted before"));
      await assert.rejects(
        consumer.vxcs.waitFor(uid, { until: () => false, timeoutMs: 5_000, signal: before.signal }),
        /aborted before/,
      );
      assert.deepEqual(await harness.requests(), [], "no poll");
      const during = new AbortController();
      let polls = 0;
      const started = Date.now();
      await assert.rejects(
        consumer.vxcs.waitFor(uid, {
          until: () => false,
          timeoutMs: 5_000,
          intervalMs: 2_000,
          signal: during.signal,
          onProgress: () => {
            polls += 1;
            during.abort(new Error("aborted after a poll"));
          },
        }),
        /aborted after a poll/,
      );
      assert.equal(polls, 1);
      assert.ok(Date.now() - started < 1_000, "not after sleeping the 2 s interval");
    });
  });

  describe("order approvals against a bare server", () => {
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

    const approval = (uid: string) => ({ uid, status: "PENDING" });

    it("without pagination headers, the page is derived from the filter and the items", async () => {
      bare.next = json(200, { message: "ok", data: [approval("a"), approval("b"), approval("c")] });
      assert.deepEqual(
        { ...(await client.orderApprovals.list({ pageNumber: 3, pageSize: 2 })), items: undefined },
        { items: undefined, totalCount: 3, page: 3, pageSize: 2, totalPages: 2 },
      );
      assert.deepEqual(
        { ...(await client.orderApprovals.list()), items: undefined },
        { items: undefined, totalCount: 3, page: 1, pageSize: 3, totalPages: 1 },
      );
      bare.next = json(200, { message: "ok", data: null });
      assert.deepEqual(await client.orderApprovals.list(), {
        items: [],
        totalCount: 0,
        page: 1,
        pageSize: 0,
        totalPages: 1,
      });
    });

    it("an empty answer is an empty page, still read from the pagination headers", async () => {
      bare.next = { status: 200, body: "", headers: { "pagination-total-count": "0", "pagination-limit": "25" } };
      assert.deepEqual(await client.orderApprovals.list(), {
        items: [],
        totalCount: 0,
        page: 1,
        pageSize: 25,
        totalPages: 0,
      });
    });

    it("pagination headers win; an unreadable one is ignored", async () => {
      bare.next = json(200, { message: "ok", data: [approval("a")] }, {
        "pagination-total-count": "41",
        "pagination-page": "2",
        "pagination-limit": "20",
        "pagination-total-page": "abc",
      });
      assert.deepEqual(
        { ...(await client.orderApprovals.list({ pageNumber: 9, pageSize: 7 })), items: undefined },
        { items: undefined, totalCount: 41, page: 2, pageSize: 20, totalPages: 3 },
      );
    });

    it("an item of the wrong shape is a MegaportResponseError naming it", async () => {
      bare.next = json(200, { message: "ok", data: [{ uid: "a" }] });
      const error = await thrown(() => client.orderApprovals.list());
      assert.ok(error instanceof MegaportResponseError);
      assert.match(error.message, /^GET \/v3\/order_approvals: unexpected response: data\.0\.status: /);
    });

    it("a validate answer of another shape reports nothing; a buy answer with no item is unreadable", async () => {
      const orders: VxcOrder[] = [
        {
          productUid: "p",
          associatedVxcs: [{ productName: "n", rateLimit: 1, term: 1, shutdown: false, aEnd: {}, bEnd: { productUid: "b" } }],
        },
      ];
      bare.next = json(200, { message: "ok", data: { unexpected: true } });
      assert.deepEqual(await client.networkDesign.validate(orders), []);
      bare.next = json(200, { message: "ok", data: [] });
      const error = await thrown(() => client.networkDesign.buy(orders));
      assert.ok(error instanceof MegaportOutcomeUnknownError);
      assert.match(error.message, /^POST \/v4\/networkdesign\/buy: outcome unknown \(the answer could not be read: .*data: /);
    });

    it("tags of null data are none", async () => {
      bare.next = json(200, { message: "ok", data: null });
      assert.deepEqual(await client.products.tags("p"), []);
      bare.next = json(200, { message: "ok", data: { resourceTags: null } });
      assert.deepEqual(await client.products.tags("p"), []);
    });
  });
});
