/**
 * A ServiceKeyVxc's orders (provider/resources/vxcOrders.ts) on the edges its mutation run left
 * untested (issue 17, docs/testing.md "provider/ after the issue 17 tests"): which VXCs on the A-End
 * are this resource's (`ownOrders`), which one a lost buy answer made (`findPlacedVxc`), why a failed
 * order failed, and the texts shown when the API leaves a field empty.
 */
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { RunningEmulator } from "../../emulator";
import * as implementation from "../../provider/implementation";
import { clientFor } from "../../provider/resources/accounts";
import { forgetClaims } from "../../provider/resources/reconcile";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import type { ServiceKeyVxcInputs } from "../../provider/resources/serviceKeyVxcInputs";
import { vxcOrderApprovalProvider } from "../../provider/resources/vxcOrderApproval";
import { orderTag, UNRECORDED_TAG } from "../../provider/resources/vxcOrders";
import { forgetDeferredValidations } from "../../provider/resources/vxcValidations";
import type { ResourceTag } from "../../sdk";
import {
  admin,
  captureLog,
  emulatorConfig,
  fakeConfig,
  makeKey,
  rejection,
  resetEmulator,
  startHarness,
  startRewritingProxy,
  stopHarness,
  vxcProgram,
} from "./harness";

describe("ServiceKeyVxc orders: own orders, lost answers, failure reasons and empty fields", () => {
  let emulator: RunningEmulator;
  let eastPort: string;
  let eastPort1G: string;
  let westPort: string;
  let identity = 0;

  before(async () => {
    emulator = await startHarness();
    eastPort = emulator.accounts.east?.products.port10G as string;
    eastPort1G = emulator.accounts.east?.products.port1G as string;
    westPort = emulator.accounts.west?.products.port10G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => {
    await resetEmulator(emulator);
    forgetClaims();
    identity += 1;
  });

  const ours = () => `project/orders-${identity}/west-vxc`;
  const theirs = () => `project/orders-${identity}-other/west-vxc`;
  const program = (key: string, extra: Record<string, unknown> = {}) =>
    vxcProgram(westPort, key, { orderIdentity: ours(), ...extra });
  async function checked(key: string, extra: Record<string, unknown> = {}) {
    const { inputs, failures } = await serviceKeyVxcProvider.check({}, program(key, extra));
    assert.deepEqual(failures, []);
    return inputs;
  }
  const create = async (inputs: Record<string, unknown>) => captureLog(() => serviceKeyVxcProvider.create(inputs));
  const faults = (config: Record<string, unknown>) => admin(emulator, "POST", "/_emulator/faults", config);
  const resourceTag = (orderIdentity: string): ResourceTag => ({
    key: "pulumi-megaport-service-keys/resource",
    value: createHash("sha256").update(orderIdentity).digest("hex").slice(0, 32),
  });
  const tagsFor = (key: string, orderIdentity: string, marked: boolean): ResourceTag[] => {
    const tag = orderTag({ serviceKey: key, orderIdentity } as ServiceKeyVxcInputs);
    assert.ok(tag);
    return [tag, resourceTag(orderIdentity), ...(marked ? [UNRECORDED_TAG] : [])];
  };
  /** An order placed by someone else (another stack, an earlier run), straight through the SDK. */
  async function placeOrder(
    key: string,
    options: { name?: string; rateLimit?: number; tags?: ResourceTag[]; aEndVlan?: number } = {},
  ): Promise<string> {
    const [bought] = await clientFor("west").networkDesign.buy([
      {
        productUid: westPort,
        associatedVxcs: [
          {
            productName: options.name ?? "West to East",
            rateLimit: options.rateLimit ?? 200,
            term: 1,
            shutdown: false,
            serviceKey: key,
            resourceTags: options.tags,
            aEnd: { productUid: westPort, vlan: options.aEndVlan },
            bEnd: { productUid: eastPort },
          },
        ],
      },
    ]);
    return (bought as { vxcJTechnicalServiceUid: string }).vxcJTechnicalServiceUid;
  }
  async function throughProxy<T>(
    rewrite: (request: { method: string; path: string }, body: unknown) => unknown,
    task: () => Promise<T>,
  ): Promise<T> {
    const proxy = await startRewritingProxy(emulator.url, rewrite);
    implementation.configure(fakeConfig(emulatorConfig(emulator, { "megaport:baseUrl": proxy.url })));
    try {
      return await task();
    } finally {
      implementation.configure(fakeConfig(emulatorConfig(emulator)));
      await proxy.close();
    }
  }
  const dataOf = (body: unknown) => (body as { data?: Record<string, unknown> }).data;

  describe("outputs", () => {
    it("an approval the API shows as PENDING_INTERNAL is shown as such", async () => {
      const key = await makeKey(eastPort, { preApproved: true });
      const { id, outs } = (await create(await checked(key))).result;
      const read = await throughProxy(
        ({ method, path }, body) => {
          const data = dataOf(body);
          if (method === "GET" && path === `/v2/product/${id}` && data !== undefined) {
            data.vxcApproval = { ...(data.vxcApproval as object), status: "PENDING_INTERNAL" };
          }
          return body;
        },
        () => serviceKeyVxcProvider.read(id, { ...outs }),
      );
      assert.equal(read.props?.approvalStatus, "PENDING_INTERNAL");
    });
  });

  describe("this resource's orders on the A-End (ownOrders)", () => {
    it("a key rotation to a single-use key used elsewhere: 'already used', not 'needs a new key'", async () => {
      const first = await makeKey(eastPort, { preApproved: true });
      const held = (await create(await checked(first))).result;
      forgetClaims();
      const second = await makeKey(eastPort, { singleUse: true, vlan: 150, preApproved: true });
      await placeOrder(second, { name: "someone else" });
      const { failures } = await serviceKeyVxcProvider.check({ ...held.outs }, program(second));
      assert.deepEqual(failures, [{ property: "", reason: "serviceKey: the single-use service key has already been used" }]);
    });

    it("another stack's same-named VXC holding the A-End VLAN is not this resource's: the VLAN is refused", async () => {
      const key = await makeKey(eastPort, { preApproved: true });
      await placeOrder(key, { aEndVlan: 300, tags: tagsFor(key, theirs(), false) });
      forgetDeferredValidations(); // a preview: check awaits the validation
      const { failures } = await serviceKeyVxcProvider.check({}, program(key, { aEndVlan: 300 }));
      assert.equal(failures.length, 1, JSON.stringify(failures));
      assert.equal(failures[0]?.property, "aEndVlan");
    });

    it("this resource's interrupted order with its old key (still marked) holds the VLAN: refused for the new key", async () => {
      const old = await makeKey(eastPort, { preApproved: true });
      await placeOrder(old, { aEndVlan: 300, tags: tagsFor(old, ours(), true) });
      const key = await makeKey(eastPort, { preApproved: true });
      forgetDeferredValidations(); // a preview: check awaits the validation
      const { failures } = await serviceKeyVxcProvider.check({}, program(key, { aEndVlan: 300 }));
      assert.equal(failures.length, 1, JSON.stringify(failures));
      assert.equal(failures[0]?.property, "aEndVlan");
    });

    it("another stack's interrupted order with the same name is not taken over", async () => {
      const key = await makeKey(eastPort, { preApproved: true });
      const placed = await placeOrder(key, { tags: tagsFor(key, theirs(), true) });
      const { result, lines } = await create(await checked(key));
      assert.notEqual(result.id, placed);
      assert.deepEqual(lines, []);
    });

    it("a cancelled VXC of this resource that the A-End still lists as live is not the one it holds", async () => {
      const key = await makeKey(eastPort, { singleUse: true, vlan: 160, preApproved: true });
      const { id, outs } = (await create(await checked(key))).result;
      await captureLog(() => serviceKeyVxcProvider.delete(id, { ...outs }));
      forgetClaims();
      const { failures } = await throughProxy(
        ({ method, path }, body) => {
          const data = dataOf(body);
          if (method === "GET" && path === `/v2/product/${westPort}` && Array.isArray(data?.associatedVxcs)) {
            for (const vxc of data.associatedVxcs as Record<string, unknown>[]) vxc.provisioningStatus = "LIVE";
          }
          return body;
        },
        () => serviceKeyVxcProvider.check({}, program(key)),
      );
      assert.deepEqual(failures, [{ property: "", reason: "serviceKey: the single-use service key has already been used" }]);
    });

    it("an A-End look-up refused with 400 leaves the order to the buy; a server error fails the create", async function () {
      this.timeout(30_000);
      const key = await makeKey(eastPort, { preApproved: true });
      await faults({ errorRate: 1, status: 400, paths: [`/v2/product/${westPort}`], methods: ["GET"] });
      const { result } = await create(program(key));
      assert.ok(["CONFIGURED", "LIVE"].includes(result.outs.provisioningStatus), result.outs.provisioningStatus);

      forgetClaims();
      await faults({ errorRate: 1, status: 500, paths: [`/v2/product/${westPort}`], methods: ["GET"] });
      const error = await rejection(() => create(program(key, { name: "second", orderIdentity: theirs() })));
      assert.equal(error.status, 500);
      await faults({});
      const vxcs = await admin<{ vxcs: unknown[] }>(emulator, "GET", "/_emulator/state");
      assert.equal(vxcs.vxcs.length, 1, "nothing bought after the failed look-up");
    });

    it("a same-named VXC whose tags cannot be read fails the create; one gone meanwhile (404) is skipped", async () => {
      const key = await makeKey(eastPort, { preApproved: true });
      const other = await placeOrder(key, { tags: tagsFor(key, theirs(), false) });
      const inputs = await checked(key);
      await faults({ errorRate: 1, status: 400, paths: [`/v2/product/${other}/tags`], methods: ["GET"] });
      const error = await rejection(() => create(inputs));
      assert.equal(error.code, "ERR_MEGAPORT_API");
      await faults({});

      const { result } = await throughProxy(
        ({ method, path }, body) => {
          const data = dataOf(body);
          if (method === "GET" && path === `/v2/product/${westPort}` && Array.isArray(data?.associatedVxcs)) {
            const listed = data.associatedVxcs as Record<string, unknown>[];
            listed.unshift({ ...listed[0], productUid: "0b0b0b0b-0000-4000-8000-000000000000" });
          }
          return body;
        },
        () => create(program(key)),
      );
      assert.notEqual(result.id, other);
    });
  });

  it("a lost buy answer with an order tag: another stack's same-named order placed meanwhile is passed over", async function () {
    this.timeout(20_000);
    const key = await makeKey(eastPort, { preApproved: true });
    const inputs = await checked(key);
    const theirOrder = await placeOrder(key, { tags: tagsFor(key, theirs(), true) });
    await faults({ lostResponseRate: 1, paths: ["/v4/networkdesign/buy"], times: 1 });
    const { result, lines } = await create(inputs);
    assert.notEqual(result.id, theirOrder);
    assert.deepEqual(lines, [`west-vxc: the answer to the order was lost; adopted the VXC it made (${result.id})`]);
  });

  describe("a lost buy answer (findPlacedVxc) without an order tag", () => {
    it("adopts the VXC it made, not an older one with another name, rate limit, B-End, status, or of this process", async function () {
      this.timeout(20_000);
      const key = await makeKey(eastPort, { preApproved: true });
      const otherKey = await makeKey(eastPort1G, { preApproved: true });
      const untagged = { orderIdentity: undefined };
      // Older VXCs on the A-End that the reconciliation must pass over:
      const mine = (await create(await checked(key, untagged))).result.id; // ordered by this process (claimed)
      await placeOrder(key, { name: "another name" });
      await placeOrder(key, { rateLimit: 100 });
      const cancelled = await placeOrder(key);
      await clientFor("west").vxcs.cancel(cancelled, "CANCEL_NOW");
      const [otherBEnd] = await clientFor("west").networkDesign.buy([
        {
          productUid: westPort,
          associatedVxcs: [
            {
              productName: "West to East",
              rateLimit: 200,
              term: 1,
              shutdown: false,
              serviceKey: otherKey,
              aEnd: { productUid: westPort },
              bEnd: { productUid: eastPort1G },
            },
          ],
        },
      ]);
      assert.ok(otherBEnd);
      const inputs = await checked(key, untagged);
      await faults({ lostResponseRate: 1, paths: ["/v4/networkdesign/buy"], times: 1 });
      const { result, lines } = await create(inputs);
      const state = await admin<{ vxcs: { productUid: string }[] }>(emulator, "GET", "/_emulator/state");
      const made = state.vxcs.at(-1)?.productUid;
      assert.equal(result.id, made);
      assert.notEqual(result.id, mine);
      assert.deepEqual(lines, [`west-vxc: the answer to the order was lost; adopted the VXC it made (${made})`]);
    });

    it("passes over a same-named VXC created before the order was sent", async function () {
      this.timeout(20_000);
      const key = await makeKey(eastPort, { preApproved: true });
      const old = await placeOrder(key);
      const inputs = await checked(key, { orderIdentity: undefined });
      await faults({ lostResponseRate: 1, paths: ["/v4/networkdesign/buy"], times: 1 });
      const { result } = await throughProxy(
        ({ method, path }, body) => {
          const data = dataOf(body);
          if (method === "GET" && path === `/v2/product/${old}` && data !== undefined) data.createDate = Date.now() - 60_000;
          return body;
        },
        () => create(inputs),
      );
      assert.notEqual(result.id, old);
    });

    it("of two VXCs that match, adopts the older, however the API lists them", async function () {
      this.timeout(20_000);
      const key = await makeKey(eastPort, { preApproved: true });
      const older = await placeOrder(key);
      const inputs = await checked(key, { orderIdentity: undefined });
      await faults({ lostResponseRate: 1, paths: ["/v4/networkdesign/buy"], times: 1 });
      const { result } = await throughProxy(
        ({ method, path }, body) => {
          const data = dataOf(body);
          if (method === "GET" && path === `/v2/product/${westPort}` && Array.isArray(data?.associatedVxcs)) {
            (data.associatedVxcs as unknown[]).reverse();
          }
          return body;
        },
        () => create(inputs),
      );
      assert.equal(result.id, older, "the two cannot be told apart: the older one is adopted");
    });
  });

  describe("why a failed order failed", () => {
    async function decide(productUid: string, comment: string) {
      const { inputs } = await vxcOrderApprovalProvider.check(
        {},
        { productUid, decision: "reject", account: "east", comment },
      );
      await captureLog(() => vxcOrderApprovalProvider.create(inputs));
    }

    it("quotes the comment on this order's rejection, not a later order's", async function () {
      this.timeout(20_000);
      const key = await makeKey(eastPort);
      const inputs = await checked(key, { waitForApproval: true, timeouts: { create: "20s" } });
      const creating = rejection(() => create(inputs));
      let mine: string | undefined;
      while (mine === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        mine = (await admin<{ vxcs: { productUid: string }[] }>(emulator, "GET", "/_emulator/state")).vxcs[0]?.productUid;
      }
      const later = await placeOrder(key, { name: "later" });
      await decide(later, "not this one");
      await decide(mine, "this one");
      const error = await creating;
      assert.deepEqual(error.reasons, ["the order failed (provisioningStatus FAILED): order rejected (this one)"]);
    });

    it("passes over pending and approved approvals listed before the decision", async function () {
      this.timeout(20_000);
      const key = await makeKey(eastPort, { singleUse: true, vlan: 170 });
      const inputs = await checked(key, { waitForApproval: true, timeouts: { create: "20s" } });
      const error = await throughProxy(
        ({ method, path }, body) => {
          const items = (body as { data?: Record<string, unknown>[] }).data;
          if (method === "GET" && path === "/v3/order_approvals" && Array.isArray(items) && items[0] !== undefined) {
            items.unshift({ ...items[0], status: "APPROVED", comment: "approved" }, { ...items[0], status: "PENDING", comment: "pending" });
          }
          return body;
        },
        async () => {
          const creating = rejection(() => create(inputs));
          let mine: string | undefined;
          while (mine === undefined) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            mine = (await admin<{ vxcs: { productUid: string }[] }>(emulator, "GET", "/_emulator/state")).vxcs[0]?.productUid;
          }
          await decide(mine, "no");
          return creating;
        },
      );
      assert.deepEqual(error.reasons, ["the order failed (provisioningStatus FAILED): order rejected (no)"]);
    });
  });

  describe("texts when the API leaves a field empty", () => {
    const noMessage = ({ method, path }: { method: string; path: string }, body: unknown) => {
      const data = dataOf(body);
      if (method === "GET" && path.startsWith("/v2/product/") && data?.productType === "VXC") {
        data.vxcApproval = { ...(data.vxcApproval as object), message: null };
      }
      return body;
    };

    it("a pending order whose approval has no message: the line names the key owner", async () => {
      const key = await makeKey(eastPort);
      const inputs = await checked(key);
      const { result, lines } = await throughProxy(noMessage, () => create(inputs));
      assert.deepEqual(lines, [`west-vxc: waiting for the key owner to approve the order (VXC ${result.id})`]);
    });

    it("waiting for an approval without a message: the progress line names the key owner", async function () {
      this.timeout(20_000);
      const key = await makeKey(eastPort);
      const inputs = await checked(key, { waitForApproval: true, timeouts: { create: "20s" } });
      const { result, lines } = await throughProxy(noMessage, async () => {
        const creating = create(inputs);
        let mine: string | undefined;
        while (mine === undefined) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          mine = (await admin<{ vxcs: { productUid: string }[] }>(emulator, "GET", "/_emulator/state")).vxcs[0]?.productUid;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        const { inputs: approval } = await vxcOrderApprovalProvider.check(
          {},
          { productUid: mine, decision: "approve", account: "east" },
        );
        await captureLog(() => vxcOrderApprovalProvider.create(approval));
        return creating;
      });
      assert.equal(lines[0], `west-vxc: waiting for the key owner to approve the order (VXC ${result.id})`);
    });
  });
});
