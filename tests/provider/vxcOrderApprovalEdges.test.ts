/**
 * VxcOrderApproval off the happy path, against the emulator (issue 17): which order a decision
 * finds, the messages a user sees when there is none or it is not theirs, the waiting, the log
 * lines, and the operations that make no API call (docs/lifecycle.md, "VxcOrderApproval").
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { vxcOrderApprovalProvider } from "../../provider/resources/vxcOrderApproval";
import { MegaportApiError } from "../../sdk";
import * as implementation from "../../provider/implementation";
import {
  admin,
  captureLog,
  emulatorConfig,
  fakeConfig,
  makeKey,
  rejection,
  requests,
  resetEmulator,
  startHarness,
  startRewritingProxy,
  stopHarness,
  vxcProgram,
} from "./harness";

const NOT_YOURS =
  "this order was not made with one of this account's service keys: only the key owner can approve or reject it";

interface EmulatorApproval {
  uid: string;
  status: string;
  comment: string | null;
}

describe("VxcOrderApproval provider off the happy path", () => {
  let emulator: RunningEmulator;
  let eastPort: string;
  let westPort: string;

  before(async () => {
    emulator = await startHarness();
    eastPort = emulator.accounts.east?.products.port10G as string;
    westPort = emulator.accounts.west?.products.port10G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => resetEmulator(emulator));

  /** A VXC West orders with East's key, pending East's approval. */
  async function pendingVxc(key: string, extra: Record<string, unknown> = {}) {
    const { inputs, failures } = await serviceKeyVxcProvider.check({}, vxcProgram(westPort, key, extra));
    assert.deepEqual(failures, []);
    return (await captureLog(() => serviceKeyVxcProvider.create(inputs))).result;
  }
  async function decision(news: Record<string, unknown>) {
    const { inputs, failures } = await vxcOrderApprovalProvider.check({}, { account: "east", ...news });
    assert.deepEqual(failures, []);
    return inputs;
  }
  const approvals = async () =>
    (await admin<{ approvals: EmulatorApproval[] }>(emulator, "GET", "/_emulator/state")).approvals;
  const decisionsSent = async () =>
    (await requests(emulator)).filter((r) => r.method === "POST" && r.path.startsWith("/v3/order_approvals/"));

  describe("create", () => {
    it("approves by productUid: outputs, the comment sent, one log line naming the VXC and the company", async () => {
      const key = await makeKey(eastPort);
      const vxc = await pendingVxc(key);
      const inputs = await decision({ productUid: vxc.id, decision: "approve", comment: "welcome", resourceName: "east-approval" });
      const before = Date.now();
      const { result, lines } = await captureLog(() => vxcOrderApprovalProvider.create(inputs));
      const [approval] = await approvals();
      assert.deepEqual(approval && { status: approval.status, comment: approval.comment }, {
        status: "APPROVED",
        comment: "welcome",
      });
      assert.deepEqual(lines, [`east-approval: approved the order of VXC ${vxc.id} from West Company`]);
      const { decidedAt, serviceId, ...rest } = result.outs;
      assert.deepEqual(rest, {
        productUid: vxc.id,
        decision: "approve",
        comment: "welcome",
        waitForOrder: false,
        account: "east",
        resourceName: "east-approval",
        approvalUid: approval?.uid,
        status: "APPROVED",
        requestingCompany: "West Company",
        rateLimit: 200,
        vxcProductUid: vxc.id,
      });
      assert.equal(result.id, approval?.uid);
      assert.equal(typeof serviceId, "number");
      assert.ok(Date.parse(decidedAt as string) >= before - 1000, `decidedAt ${String(decidedAt)}`);
      assert.equal(new Date(Date.parse(decidedAt as string)).toISOString(), decidedAt);
    });

    it("rejects by serviceKey: one reject call, a log line saying rejected, the outputs say REJECTED", async () => {
      const key = await makeKey(eastPort, { singleUse: true, vlan: 100 });
      const vxc = await pendingVxc(key);
      const inputs = await decision({ serviceKey: key, decision: "reject", comment: "not now" });
      await admin(emulator, "DELETE", "/_emulator/requests");
      const { result, lines } = await captureLog(() => vxcOrderApprovalProvider.create(inputs));
      assert.deepEqual(lines, [`megaport: rejected the order of VXC ${vxc.id} from West Company`]);
      assert.deepEqual(
        (await decisionsSent()).map((r) => r.path),
        [`/v3/order_approvals/${result.id}/reject`],
      );
      assert.equal(result.outs.status, "REJECTED");
      assert.equal(result.outs.vxcProductUid, vxc.id);
      assert.deepEqual((await approvals()).map((a) => [a.status, a.comment]), [["REJECTED", "not now"]]);
    });

    it("an order already decided as wanted: no decision call and no log line", async () => {
      const key = await makeKey(eastPort);
      const vxc = await pendingVxc(key);
      const inputs = await decision({ productUid: vxc.id, decision: "reject" });
      await captureLog(() => vxcOrderApprovalProvider.create(inputs));
      await admin(emulator, "DELETE", "/_emulator/requests");
      const { result, lines } = await captureLog(() => vxcOrderApprovalProvider.create(inputs));
      assert.equal(result.outs.status, "REJECTED");
      assert.deepEqual(lines, []);
      assert.deepEqual(await decisionsSent(), []);
    });

    it("a VXC that does not exist: no order, saying which VXC and how to wait", async () => {
      const missing = "ffffffff-1111-4111-8111-ffffffffffff";
      const inputs = await decision({ productUid: missing, decision: "approve" });
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      assert.equal(error.code, "ERR_APPROVAL_NO_ORDER");
      assert.equal(error.name, "VxcOrderApprovalError");
      assert.equal(error.message, `no order awaiting approval for VXC ${missing} (set waitForOrder to wait for it)`);
    });

    it("another company's VXC by productUid: not the owner, naming productUid, with no decision sent", async () => {
      const key = await makeKey(eastPort);
      const vxc = await pendingVxc(key);
      const inputs = await decision({ productUid: vxc.id, decision: "approve", account: "north" });
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      assert.equal(error.code, "ERR_APPROVAL_NOT_OWNER");
      assert.equal(error.message, `productUid: ${NOT_YOURS}`);
      assert.deepEqual(await decisionsSent(), []);
    });

    it("another company's single-use key: not the owner, naming serviceKey", async () => {
      const key = await makeKey(eastPort, { singleUse: true, vlan: 100 });
      await pendingVxc(key);
      const inputs = await decision({ serviceKey: key, decision: "approve", account: "north" });
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      assert.equal(error.code, "ERR_APPROVAL_NOT_OWNER");
      assert.equal(error.message, `serviceKey: ${NOT_YOURS}`);
    });

    it("a multi-use key names no single order: refused, saying to use productUid", async () => {
      const key = await makeKey(eastPort);
      await pendingVxc(key);
      const inputs = await decision({ serviceKey: key, decision: "approve" });
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      assert.equal(error.code, "ERR_APPROVAL_MULTI_USE_KEY");
      assert.equal(error.message, "serviceKey: only a single-use key identifies one order; use productUid");
    });

    for (const [title, news, property] of [
      ["by productUid", (uid: string) => ({ productUid: uid }), "productUid"],
      ["by serviceKey", (_uid: string, key: string) => ({ serviceKey: key }), "serviceKey"],
    ] as const) {
      it(`a decision the API refuses with 403 (${title}) is "not the owner", naming ${property}`, async () => {
        const key = await makeKey(eastPort, { singleUse: true, vlan: 100 });
        const vxc = await pendingVxc(key);
        const inputs = await decision({ ...news(vxc.id, key), decision: "approve" });
        await admin(emulator, "POST", "/_emulator/faults", { errorRate: 1, status: 403, paths: ["/v3/order_approvals/"], methods: ["POST"] });
        const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
        assert.equal(error.code, "ERR_APPROVAL_NOT_OWNER");
        assert.ok(
          error.message.startsWith(`${property}: ${NOT_YOURS}. If this account is the key owner: account "east": `),
          error.message,
        );
        assert.match(error.message, /: 403 .*Changes need a Company Admin API key/);
      });
    }

    it("the key owner's Read Only API key: refused, saying a Company Admin key is needed, with no decision made", async () => {
      const key = await makeKey(eastPort);
      const vxc = await pendingVxc(key);
      const readOnly = emulator.accounts.east?.readOnly;
      assert.ok(readOnly, "the seed gives East a Read Only key");
      const config = emulatorConfig(emulator);
      const accounts = { ...JSON.parse(config["megaport:accounts"]), eastReadOnly: readOnly };
      implementation.configure(fakeConfig({ ...config, "megaport:accounts": JSON.stringify(accounts) }));
      try {
        const inputs = await decision({ productUid: vxc.id, decision: "approve", account: "eastReadOnly" });
        const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
        assert.equal(error.code, "ERR_APPROVAL_NOT_OWNER");
        assert.match(
          error.message,
          /If this account is the key owner: account "eastReadOnly": .*: 403 .*Read Only role.*Changes need a Company Admin API key: if the key from megaport:accounts \(the accessKey and secretKey of "eastReadOnly"\) is Read Only/,
        );
        assert.ok(!error.message.includes(readOnly.secretKey) && !error.message.includes(readOnly.accessKey));
        assert.deepEqual(
          (await approvals()).map((a) => a.status),
          ["PENDING"],
        );
      } finally {
        implementation.configure(fakeConfig(config));
      }
    });

    it("a decision the API refuses otherwise (400) is the API's error, unchanged", async () => {
      const key = await makeKey(eastPort);
      const vxc = await pendingVxc(key);
      const inputs = await decision({ productUid: vxc.id, decision: "approve" });
      await admin(emulator, "POST", "/_emulator/faults", { errorRate: 1, status: 400, paths: ["/v3/order_approvals/"], methods: ["POST"] });
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      assert.ok(error instanceof MegaportApiError, String(error));
      assert.equal((error as unknown as MegaportApiError).status, 400);
    });

    it("approving a rejected order is the API's refusal, not success", async () => {
      const key = await makeKey(eastPort);
      const vxc = await pendingVxc(key);
      await captureLog(async () =>
        vxcOrderApprovalProvider.create(await decision({ productUid: vxc.id, decision: "reject" })),
      );
      const inputs = await decision({ productUid: vxc.id, decision: "approve" });
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      assert.ok(error instanceof MegaportApiError, String(error));
      assert.match(error.message, /REJECTED and can no longer be approved/);
    });

    it("the key's product look-up refused otherwise (400) is the API's error, not \"not the owner\"", async () => {
      const key = await makeKey(eastPort, { singleUse: true, vlan: 100 });
      await pendingVxc(key);
      const inputs = await decision({ serviceKey: key, decision: "approve" });
      await admin(emulator, "POST", "/_emulator/faults", { errorRate: 1, status: 400, paths: [`/v2/product/${eastPort}`], methods: ["GET"] });
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      assert.ok(error instanceof MegaportApiError, String(error));
      assert.equal((error as unknown as MegaportApiError).status, 400);
    });

    it("by serviceKey: a cancelled earlier order with the same VLAN is passed over for the live one", async () => {
      const key = await makeKey(eastPort, { singleUse: true, vlan: 100 });
      const first = await pendingVxc(key);
      await captureLog(() => serviceKeyVxcProvider.delete(first.id, { ...first.outs }));
      // A second order carrying the key's VLAN (the owner let the key order again): the cancelled
      // first one, its approval withdrawn, must not be the order the decision finds.
      await admin(emulator, "POST", `/_emulator/service-keys/${key}`, { singleUse: false });
      const second = await pendingVxc(key, { name: "second", orderIdentity: "project/stack/second" });
      await admin(emulator, "POST", `/_emulator/vxcs/${second.id}`, { bEndVlan: 100 });
      await admin(emulator, "POST", `/_emulator/service-keys/${key}`, { singleUse: true });
      const inputs = await decision({ serviceKey: key, decision: "approve" });
      const { result } = await captureLog(() => vxcOrderApprovalProvider.create(inputs));
      assert.equal(result.outs.vxcProductUid, second.id);
      assert.equal(result.outs.status, "APPROVED");
    });

    it("by serviceKey: a VXC older than the key, with the key's VLAN, is not its order", async () => {
      const oldKey = await makeKey(eastPort, { singleUse: true, vlan: 100 });
      await pendingVxc(oldKey);
      // A key made a second later whose VLAN is the old order's (as the owner may set it).
      await admin(emulator, "POST", "/_emulator/clock", { advanceMs: 1000 });
      const key = await makeKey(eastPort, { singleUse: true, vlan: 200 });
      await admin(emulator, "POST", `/_emulator/service-keys/${key}`, { vlan: 100 });
      const inputs = await decision({ serviceKey: key, decision: "approve" });
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      assert.equal(error.code, "ERR_APPROVAL_NO_ORDER");
      assert.equal(error.message, "no order awaiting approval for this service key (set waitForOrder to wait for it)");
      assert.deepEqual(await decisionsSent(), []);
    });

    it("waitForOrder: looks again every poll interval until its timeout, then says it waited that long", async () => {
      const key = await makeKey(eastPort, { singleUse: true, vlan: 100 });
      const inputs = await decision({ serviceKey: key, decision: "approve", waitForOrder: true, timeouts: { create: "1s" } });
      await admin(emulator, "DELETE", "/_emulator/requests");
      const started = Date.now();
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      const elapsed = Date.now() - started;
      assert.equal(error.message, "no order awaiting approval for this service key within 1s");
      assert.ok(elapsed >= 950 && elapsed < 5000, `waited ${elapsed} ms`);
      const lookUps = (await requests(emulator)).filter((r) => r.path === "/v2/service/key").length;
      // One look-up per 20 ms poll (each takes a few ms): not once, not without pause.
      assert.ok(lookUps >= 5 && lookUps <= 60, `looked the key up ${lookUps} times in 1 s, polling every 20 ms`);
    });

    it("waitForOrder: the last pause is cut to the deadline, not a whole poll interval", async () => {
      const key = await makeKey(eastPort, { singleUse: true, vlan: 100 });
      const inputs = await decision({ serviceKey: key, decision: "approve", waitForOrder: true, timeouts: { create: "1s" } });
      const interval = process.env.MEGAPORT_POLL_INTERVAL_MS;
      process.env.MEGAPORT_POLL_INTERVAL_MS = "4000";
      try {
        const started = Date.now();
        await rejection(() => vxcOrderApprovalProvider.create(inputs));
        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 950 && elapsed < 2500, `waited ${elapsed} ms for a 1 s timeout, polling every 4 s`);
      } finally {
        process.env.MEGAPORT_POLL_INTERVAL_MS = interval;
      }
    });

    it("waitForOrder without timeouts: after the default ten minutes, says it waited 10m", async () => {
      const key = await makeKey(eastPort, { singleUse: true, vlan: 100 });
      const inputs = await decision({ serviceKey: key, decision: "approve", waitForOrder: true });
      const realNow = Date.now;
      const started = realNow();
      let polls = 0;
      // The provider's clock jumps past its deadline after a few polls (no test waits ten minutes).
      Date.now = () => (polls++ > 3 ? started + 11 * 60_000 : realNow());
      let error: Error & Record<string, unknown>;
      try {
        error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      } finally {
        Date.now = realNow;
      }
      assert.equal(error.message, "no order awaiting approval for this service key within 10m");
    });

    it("a VXC with no approval in play (its key was pre-approved) has no order to decide", async () => {
      const key = await makeKey(eastPort, { preApproved: true });
      const vxc = await pendingVxc(key);
      const inputs = await decision({ productUid: vxc.id, decision: "approve" });
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      assert.equal(error.code, "ERR_APPROVAL_NO_ORDER");
      assert.equal(error.message, `no order awaiting approval for VXC ${vxc.id} (set waitForOrder to wait for it)`);
    });

    it("a VXC look-up the API refuses otherwise (400) is the API's error, not \"not the owner\"", async () => {
      const key = await makeKey(eastPort);
      const vxc = await pendingVxc(key);
      const inputs = await decision({ productUid: vxc.id, decision: "approve" });
      await admin(emulator, "POST", "/_emulator/faults", { errorRate: 1, status: 400, paths: [`/v2/product/${vxc.id}`], methods: ["GET"] });
      const error = await rejection(() => vxcOrderApprovalProvider.create(inputs));
      assert.ok(error instanceof MegaportApiError, String(error));
      assert.equal((error as unknown as MegaportApiError).status, 400);
    });

    it("waitForOrder without timeouts waits (up to the default): an order placed meanwhile is decided", async () => {
      const key = await makeKey(eastPort, { singleUse: true, vlan: 100 });
      const inputs = await decision({ serviceKey: key, decision: "approve", waitForOrder: true });
      const { result } = await captureLog(async () => {
        const deciding = vxcOrderApprovalProvider.create(inputs);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await pendingVxc(key);
        return deciding;
      });
      assert.equal(result.outs.status, "APPROVED");
      assert.equal((await approvals())[0]?.status, "APPROVED");
    });
  });

  describe("an API that answers otherwise", () => {
    /** Runs `task` with the provider reaching the emulator through a proxy rewriting approval lists. */
    async function throughProxy<T>(rewrite: (items: Record<string, unknown>[]) => void, task: () => Promise<T>) {
      const proxy = await startRewritingProxy(emulator.url, ({ method, path }, body) => {
        const data = (body as { data?: unknown }).data;
        if (method === "GET" && path === "/v3/order_approvals" && Array.isArray(data)) rewrite(data);
        return body;
      });
      implementation.configure(fakeConfig(emulatorConfig(emulator, { "megaport:baseUrl": proxy.url })));
      try {
        return await task();
      } finally {
        implementation.configure(fakeConfig(emulatorConfig(emulator)));
        await proxy.close();
      }
    }

    it("several approvals listed for the VXC, oldest first: the newest is the order decided", async () => {
      const key = await makeKey(eastPort);
      const vxc = await pendingVxc(key);
      const inputs = await decision({ productUid: vxc.id, decision: "approve" });
      // An earlier, approved decision on the same VXC (a speed change since), and another VXC's.
      const result = await throughProxy(
        (items) => {
          const [pending] = items;
          if (pending === undefined) return;
          const older = { ...pending, uid: "older-approval", status: "APPROVED", createDate: (pending.createDate as number) - 60_000 };
          const elsewhere = { ...pending, uid: "other-vxc", serviceId: -1, createDate: (pending.createDate as number) + 60_000 };
          items.splice(0, items.length, older, pending, elsewhere);
        },
        async () => (await captureLog(() => vxcOrderApprovalProvider.create(inputs))).result,
      );
      const [approval] = await approvals();
      assert.equal(result.id, approval?.uid);
      assert.equal(approval?.status, "APPROVED", "the pending order was approved");
    });

    it("an approval without the requesting company's name: the log line says the requesting company", async () => {
      const key = await makeKey(eastPort);
      const vxc = await pendingVxc(key);
      const inputs = await decision({ productUid: vxc.id, decision: "approve", resourceName: "east-approval" });
      const { result, lines } = await throughProxy(
        (items) => {
          for (const item of items) item.acctName = null;
        },
        () => captureLog(() => vxcOrderApprovalProvider.create(inputs)),
      );
      assert.deepEqual(lines, [`east-approval: approved the order of VXC ${vxc.id} from the requesting company`]);
      assert.equal(result.outs.requestingCompany, null);
    });
  });

  describe("read, update, delete", () => {
    async function approved() {
      const key = await makeKey(eastPort);
      const vxc = await pendingVxc(key);
      const inputs = await decision({ productUid: vxc.id, decision: "approve", comment: "ok", resourceName: "east-approval" });
      return { vxc, ...(await captureLog(() => vxcOrderApprovalProvider.create(inputs))).result };
    }

    it("read refreshes status and requesting company, and reports the inputs among the outputs", async () => {
      const { id, outs } = await approved();
      const read = await vxcOrderApprovalProvider.read(id, { ...outs, status: "PENDING", requestingCompany: "stale" });
      assert.equal(read.id, id);
      assert.deepEqual(read.props, { ...outs });
      assert.deepEqual(read.inputs, {
        productUid: outs.productUid,
        decision: "approve",
        comment: "ok",
        waitForOrder: false,
        account: "east",
        resourceName: "east-approval",
      });
    });

    it("read of a state without a serviceId is gone, with no API call", async () => {
      const { id, outs } = await approved();
      await admin(emulator, "DELETE", "/_emulator/requests");
      assert.deepEqual(await vxcOrderApprovalProvider.read(id, { ...outs, serviceId: null }), {});
      const { serviceId: _omitted, ...withoutServiceId } = outs;
      assert.deepEqual(await vxcOrderApprovalProvider.read(id, withoutServiceId), {});
      assert.deepEqual(await requests(emulator), []);
    });

    it("update drops a removed comment and timeouts, and keeps the facts", async () => {
      const { id, outs } = await approved();
      const withTimeouts = { ...outs, timeouts: { create: "5m" } };
      const news = { productUid: outs.productUid, decision: "approve", account: "east" };
      const { outs: updated } = await vxcOrderApprovalProvider.update(id, withTimeouts, news);
      assert.equal(updated.comment, undefined);
      assert.equal(updated.timeouts, undefined);
      assert.equal(updated.waitForOrder, false);
      assert.equal(updated.status, "APPROVED");
      assert.equal(updated.approvalUid, id);
    });

    it("delete says it only forgets the decision: lower-case status and the VXC, or the productUid", async () => {
      const { id, outs, vxc } = await approved();
      const { lines } = await captureLog(() => vxcOrderApprovalProvider.delete(id, { ...outs }));
      assert.deepEqual(lines, [
        `east-approval: an order decision cannot be undone: removed the approved decision on VXC ${vxc.id} from the stack only`,
      ]);
      const { lines: bare } = await captureLog(() => vxcOrderApprovalProvider.delete(id, { productUid: "vxc-1" }));
      assert.deepEqual(bare, [
        "megaport: an order decision cannot be undone: removed the  decision on VXC vxc-1 from the stack only",
      ]);
    });
  });
});
