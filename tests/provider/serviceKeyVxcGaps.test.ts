/**
 * The ServiceKeyVxc provider (provider/resources/serviceKeyVxc.ts) on the edges its mutation run
 * left untested (issue 17, docs/testing.md "provider/ after the issue 17 tests"): imports, vNIC moves,
 * a replacement's refused buy, the checks an update makes or skips, and the look-ups it drops.
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import * as implementation from "../../provider/implementation";
import { forgetClaims } from "../../provider/resources/reconcile";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { forgetKeyLookUp } from "../../provider/resources/vxcOrderChecks";
import { markChanging } from "../../provider/resources/vxcValidations";
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

describe("ServiceKeyVxc provider: imports, vNIC moves, refused buys and update checks", () => {
  let emulator: RunningEmulator;
  let eastPort: string;
  let westPort: string;
  let westMve: string;
  let identity = 0;

  before(async () => {
    emulator = await startHarness();
    eastPort = emulator.accounts.east?.products.port10G as string;
    westPort = emulator.accounts.west?.products.port10G as string;
    westMve = emulator.accounts.west?.products.mve as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => {
    await resetEmulator(emulator);
    forgetClaims(); // the emulator's uids start again after a reset: nothing is claimed yet
    identity += 1; // each test is its own stack resource: no order tag is shared between tests
  });

  /** West's VXC program with this test's own order identity. */
  const program = (key: string, extra: Record<string, unknown> = {}) =>
    vxcProgram(westPort, key, { orderIdentity: `project/gaps-${identity}/west-vxc`, ...extra });
  async function checked(key: string, extra: Record<string, unknown> = {}) {
    const { inputs, failures } = await serviceKeyVxcProvider.check({}, program(key, extra));
    assert.deepEqual(failures, []);
    return inputs;
  }
  const create = async (inputs: Record<string, unknown>) =>
    (await captureLog(() => serviceKeyVxcProvider.create(inputs))).result;
  /** The API calls since the log was last cleared, as `METHOD path` (token calls and 401s left out). */
  const calls = async () =>
    (await requests(emulator))
      .filter((r) => r.path !== "/oauth2/token" && r.status !== 401)
      .map((r) => `${r.method} ${r.path}`);
  const putBody = async (id: string) => {
    const put = (await requests(emulator)).find((r) => r.method === "PUT" && r.path === `/v3/product/vxc/${id}`);
    assert.ok(put?.body, "one PUT of the VXC");
    return JSON.parse(put.body) as Record<string, unknown>;
  };
  const faults = (config: Record<string, unknown>) => admin(emulator, "POST", "/_emulator/faults", config);
  /** Runs `task` with the provider talking to the emulator through a proxy that rewrites answers. */
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

  describe("an imported VXC (state without its key)", () => {
    async function imported(keyExtra: Record<string, unknown> = {}) {
      const key = await makeKey(eastPort, { preApproved: true, ...keyExtra });
      const { id } = await create(await checked(key));
      forgetClaims(); // the import is a later run
      const read = await serviceKeyVxcProvider.read(id, { account: "west" });
      assert.equal(read.props?.serviceKey, undefined);
      return { key, id, state: { ...read.props } as Record<string, unknown>, olds: read.inputs as Record<string, unknown> };
    }

    it("declaring the single-use key it was ordered with asks no order-time check (the key is used by it)", async () => {
      const { key, olds } = await imported({ singleUse: true, vlan: 120 });
      await admin(emulator, "DELETE", "/_emulator/requests");
      const { failures } = await serviceKeyVxcProvider.check(olds, program(key));
      assert.deepEqual(failures, []);
      assert.deepEqual(await calls(), [], "no key look-up, no validate");
    });

    it("a new A-End still replaces it", async () => {
      const { key, id, state } = await imported();
      const diff = await serviceKeyVxcProvider.diff(id, state, program(key, { aEndProductUid: westMve, aEndVnicIndex: 0 }));
      assert.ok(diff.replaces?.includes("aEndProductUid"), JSON.stringify(diff));
      assert.ok(!diff.replaces?.includes("serviceKey"), "its key is recorded in place");
    });

    it("declaring its key, and nothing else, is a change in place (the update records it)", async () => {
      const { key, id, state, olds } = await imported();
      const news = { ...olds, serviceKey: key, resourceName: "west-vxc", orderIdentity: `project/gaps-${identity}/west-vxc` };
      const diff = await serviceKeyVxcProvider.diff(id, state, news);
      assert.equal(diff.changes, true);
      assert.deepEqual(diff.replaces, []);
    });

    it("recording a key that does not exist is refused as not a key of its product", async () => {
      const { id, state } = await imported();
      const error = await rejection(() =>
        serviceKeyVxcProvider.update(id, state, program("ffffffff-5555-4555-8555-ffffffffffff")),
      );
      assert.equal(error.code, "ERR_VXC_IMPORTED_KEY");
      assert.match(error.message, /^serviceKey: not a key of the product VXC /);
    });

    it("a key look-up the API refuses otherwise fails the update with the API's error, not as a wrong key", async () => {
      const { key, id, state } = await imported();
      forgetKeyLookUp(key); // a later run: the look-up is asked again
      await faults({ errorRate: 1, status: 400, paths: ["/v2/service/key"] });
      const error = await rejection(() => serviceKeyVxcProvider.update(id, state, program(key)));
      assert.equal(error.code, "ERR_MEGAPORT_API");
      assert.match(error.message, /The request was refused/);
    });
  });

  describe("in-place changes on the wire", () => {
    async function mveVxc(extra: Record<string, unknown> = {}) {
      const key = await makeKey(eastPort, { preApproved: true });
      const inputs = await checked(key, { aEndProductUid: westMve, aEndVnicIndex: 1, ...extra });
      const created = await create(inputs);
      await admin(emulator, "DELETE", "/_emulator/requests");
      return { key, inputs, created };
    }

    it("a vNIC move sends the VXC's A-End VLAN with it (as the Terraform provider does)", async () => {
      const { inputs, created } = await mveVxc();
      const vlan = created.outs.aEndVlan;
      assert.equal(typeof vlan, "number");
      await serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...inputs, aEndVnicIndex: 0 });
      const body = await putBody(created.id);
      assert.equal(body.aVnicIndex, 0);
      assert.equal(body.aEndVlan, vlan);
    });

    it("a vNIC move with a new A-End VLAN sends the new VLAN", async () => {
      const { inputs, created } = await mveVxc({ aEndVlan: 310 });
      const { outs } = await serviceKeyVxcProvider.update(
        created.id,
        { ...created.outs },
        { ...inputs, aEndVnicIndex: 0, aEndVlan: 320 },
      );
      const body = await putBody(created.id);
      assert.equal(body.aVnicIndex, 0);
      assert.equal(body.aEndVlan, 320);
      assert.equal(outs.aEndVlan, 320);
    });

    it("a vNIC move of an untagged VXC sends no VLAN", async () => {
      const { inputs, created } = await mveVxc({ aEndVlan: "untagged" });
      assert.equal(created.outs.aEndVlan, "untagged");
      const { aEndVlan: _untagged, ...undeclared } = inputs;
      await serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...undeclared, aEndVnicIndex: 0 });
      const body = await putBody(created.id);
      assert.equal(body.aVnicIndex, 0);
      assert.ok(!("aEndVlan" in body), JSON.stringify(body));
    });

    it("a vNIC-only change is not checked against the key's maximum (a key lowered since)", async () => {
      const { key, inputs, created } = await mveVxc({ rateLimit: 200 });
      await admin(emulator, "POST", `/_emulator/service-keys/${key}`, { maxSpeed: 100 });
      forgetKeyLookUp(key); // the next run asks again
      const { failures } = await serviceKeyVxcProvider.check({ ...created.outs }, { ...inputs, aEndVnicIndex: 0 });
      assert.deepEqual(failures, []);
    });

    it("removing the cost centre sends it empty", async () => {
      const key = await makeKey(eastPort, { preApproved: true });
      const inputs = await checked(key, { costCentre: "cc-1" });
      const created = await create(inputs);
      await admin(emulator, "DELETE", "/_emulator/requests");
      const { costCentre: _removed, ...without } = inputs;
      await serviceKeyVxcProvider.update(created.id, { ...created.outs }, without);
      assert.equal((await putBody(created.id)).costCentre, "");
    });
  });

  describe("diff", () => {
    it("a new key with a new fixed VLAN replaces create-first (the new VLAN is free)", async () => {
      const olds = { ...program("old-key-0000-0000"), aEndVlan: 300, productUid: "vxc-1" };
      const diff = await serviceKeyVxcProvider.diff("vxc-1", olds, program("new-key-0000-0000", { aEndVlan: 301 }));
      assert.deepEqual(diff.replaces, ["serviceKey"]);
      assert.equal(diff.deleteBeforeReplace, undefined);
    });
  });

  describe("a buy refused while this resource holds a VXC (a replacement)", () => {
    async function heldAndAgain(extra: Record<string, unknown>) {
      const key = await makeKey(eastPort, { preApproved: true });
      await create(await checked(key, extra));
      forgetClaims(); // the replacement is a later run
      return program(key, extra);
    }
    const vlanText = (_request: { method: string; path: string }, body: unknown) => {
      const error = body as { data?: unknown };
      if (typeof error.data === "string") error.data = "VLAN 300 is not available on this A-End";
      return body;
    };

    it("refused for a reason other than the VLAN: the API's error, not 'held'", async () => {
      const again = await heldAndAgain({ aEndVlan: 300 });
      await faults({ errorRate: 1, status: 400, paths: ["/v4/networkdesign/buy"] });
      const error = await rejection(() => create(again));
      assert.equal(error.code, "ERR_MEGAPORT_API");
      assert.match(error.message, /The request was refused/);
    });

    it("refused about a VLAN when no A-End VLAN is declared: the API's error, not 'held'", async () => {
      const again = await heldAndAgain({});
      await faults({ errorRate: 1, status: 400, paths: ["/v4/networkdesign/buy"] });
      const error = await throughProxy(vlanText, () => rejection(() => create(again)));
      assert.equal(error.code, "ERR_MEGAPORT_API");
      assert.match(error.message, /VLAN 300 is not available/);
    });

    it("a server error that mentions the VLAN is the server's error, not 'held'", async function () {
      this.timeout(15_000);
      const again = await heldAndAgain({ aEndVlan: 300 });
      await faults({ errorRate: 1, status: 503, retryAfterSeconds: 0, paths: ["/v4/networkdesign/buy"] });
      const error = await throughProxy(vlanText, () => rejection(() => create(again)));
      assert.equal(error.code, "ERR_MEGAPORT_API");
      assert.equal(error.status, 503);
    });

    it("a first order refused because another resource took the VLAN meanwhile: the API's error, not 'held'", async () => {
      const key = await makeKey(eastPort, { preApproved: true });
      const ours = await checked(key, { aEndVlan: 300 });
      await create(await checked(key, { aEndVlan: 300, name: "Other", orderIdentity: `project/gaps-${identity}/other` }));
      const error = await rejection(() => create(ours));
      assert.notEqual(error.code, "ERR_VXC_VLAN_HELD");
      assert.match(error.message, /vlan/i);
    });
  });

  describe("create refusals", () => {
    it("a single-use key used by another resource of the run is 'already used', not 'needs a new key'", async () => {
      const key = await makeKey(eastPort, { singleUse: true, vlan: 130, preApproved: true });
      const first = await checked(key, { name: "First", orderIdentity: `project/gaps-${identity}/first` });
      const second = await checked(key);
      await create(first);
      const error = await rejection(() => create(second));
      assert.equal(error.code, "ERR_VXC_ORDER_REJECTED");
      assert.equal(error.message, "serviceKey: the single-use service key has already been used");
    });

    it("a replacement's key used meanwhile and its validation rejected: a new key is needed, both reasons given", async () => {
      const key = await makeKey(eastPort, { singleUse: true, vlan: 140, preApproved: true });
      const held = await create(await checked(key));
      forgetClaims(); // the replacement is a later run (`pulumi up --replace`)
      markChanging(); // that has changed something already: check leaves the validation to create
      // At check the key looks multi-use (so not used up), and its validation is started, then rejected.
      await admin(emulator, "POST", `/_emulator/service-keys/${key}`, { singleUse: false });
      forgetKeyLookUp(key);
      await faults({ errorRate: 1, status: 400, paths: ["/v3/networkdesign/validate"], times: 1 });
      const again = await checked(key);
      // By create, a fresh look-up shows it single-use, and used (by the VXC this one replaces).
      await admin(emulator, "POST", `/_emulator/service-keys/${key}`, { singleUse: true });
      forgetKeyLookUp(key);
      const error = await rejection(() => create(again));
      assert.equal(error.code, "ERR_VXC_NEW_KEY_NEEDED");
      assert.match(error.message, /^serviceKey: the single-use service key has already been used, by this resource's VXC in the stack: .*; The request was refused$/);
      assert.notEqual(held.id, undefined);
    });

    it("a mark that cannot be taken off: the partial failure says so and that the next update does it", async () => {
      const key = await makeKey(eastPort, { preApproved: true });
      const inputs = await checked(key);
      await faults({ errorRate: 1, status: 400, paths: ["/v2/product/"], methods: ["PUT"] });
      const error = await rejection(() => create(inputs));
      assert.equal(error.code, "ERR_VXC_NOT_READY");
      assert.match(
        error.message,
        /^VXC [^:]+: ordered, but taking its unrecorded mark off failed \(.*The request was refused.*\); the next update does it$/,
      );
    });
  });

  describe("read", () => {
    it("a look-up the API refuses (not a 404) fails the refresh instead of dropping the VXC", async () => {
      const key = await makeKey(eastPort, { preApproved: true });
      const { id, outs } = await create(await checked(key));
      await faults({ errorRate: 1, status: 400, paths: [`/v2/product/${id}`], methods: ["GET"] });
      const error = await rejection(() => serviceKeyVxcProvider.read(id, { ...outs }));
      assert.equal(error.code, "ERR_MEGAPORT_API");
    });
  });

  describe("update", () => {
    async function liveVxc(keyExtra: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
      const key = await makeKey(eastPort, { preApproved: true, ...keyExtra });
      const inputs = await checked(key, extra);
      const created = await create(inputs);
      await admin(emulator, "DELETE", "/_emulator/requests");
      return { key, inputs, created };
    }

    it("a rename asks nothing about the key and PUTs the name", async () => {
      const { key, inputs, created } = await liveVxc();
      forgetKeyLookUp(key); // a later run: no look-up of the key is at hand
      await serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...inputs, name: "renamed" });
      assert.deepEqual(await calls(), [
        `GET /v2/product/${created.id}/tags`,
        `PUT /v3/product/vxc/${created.id}`,
        `GET /v2/product/${created.id}`,
      ]);
    });

    it("a change kept in state only, on a LIVE VXC, reads nothing and keeps the state's view", async () => {
      const { inputs, created } = await liveVxc();
      await admin(emulator, "POST", `/_emulator/vxcs/${created.id}`, { productName: "changed in the portal" });
      const { outs } = await serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...inputs, promoCode: "PROMO" });
      assert.equal(outs.name, "West to East");
      assert.equal(outs.promoCode, "PROMO");
      assert.deepEqual(await calls(), [`GET /v2/product/${created.id}/tags`]);
    });

    it("asking to wait for an approval still pending returns at once with the pending VXC", async () => {
      const key = await makeKey(eastPort, { preApproved: false });
      const inputs = await checked(key);
      const created = await create(inputs);
      assert.equal(created.outs.approvalStatus, "PENDING_EXTERNAL");
      const { outs } = await serviceKeyVxcProvider.update(
        created.id,
        { ...created.outs },
        { ...inputs, waitForApproval: true, timeouts: { create: "1s" } },
      );
      assert.equal(outs.approvalStatus, "PENDING_EXTERNAL");
      assert.equal(outs.waitForApproval, true);
    });

    it("a change refused while pending, with no approval message, names the key owner", async () => {
      const key = await makeKey(eastPort, { preApproved: false });
      const inputs = await checked(key);
      const created = await create(inputs);
      const noMessage = ({ method, path }: { method: string; path: string }, body: unknown) => {
        const data = (body as { data?: Record<string, unknown> }).data;
        if (method === "GET" && path === `/v2/product/${created.id}` && data !== undefined) {
          data.vxcApproval = { ...(data.vxcApproval as object), message: null };
        }
        return body;
      };
      const error = await throughProxy(noMessage, () =>
        rejection(() => serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...inputs, rateLimit: 300 })),
      );
      assert.equal(error.code, "ERR_VXC_PENDING_APPROVAL");
      assert.equal(
        error.message,
        `VXC ${created.id} is waiting for the key owner to approve the order; it can be changed once approved`,
      );
    });

    it("a rate limit equal to the key's maximum is allowed", async () => {
      const { inputs, created } = await liveVxc();
      const { outs } = await serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...inputs, rateLimit: 500 });
      assert.equal(outs.rateLimit, 500);
    });

    it("a rate limit above the key's maximum is refused with ERR_VXC_ORDER_REJECTED, and no PUT", async () => {
      const { inputs, created } = await liveVxc();
      const error = await rejection(() =>
        serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...inputs, rateLimit: 501 }),
      );
      assert.equal(error.code, "ERR_VXC_ORDER_REJECTED");
      assert.equal(error.message, "rateLimit: 501 exceeds the service key's maximum of 500 Mbps");
      assert.ok(!(await calls()).some((c) => c.startsWith("PUT /v3/product/vxc")));
    });

    it("a new rate limit whose key cannot be looked up is left to the API", async () => {
      const { key, inputs, created } = await liveVxc();
      forgetKeyLookUp(key);
      await faults({ errorRate: 1, status: 400, paths: ["/v2/service/key"] });
      const { outs } = await serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...inputs, rateLimit: 300 });
      assert.equal(outs.rateLimit, 300);
    });

    it("the provider's update deadline leaves no timer behind", async () => {
      const { inputs, created } = await liveVxc();
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
      const before = timers();
      for (const name of ["one", "two", "three"]) {
        await serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...inputs, name, timeouts: { update: "1h" } });
      }
      assert.ok(timers() < before + 3, `${timers() - before} more timers`);
    });
  });

  describe("the A-End look-up shared by a run is dropped after a change on it", () => {
    const aEndReads = async () => (await calls()).filter((c) => c === `GET /v2/product/${westPort}`).length;

    it("after an update, the next check reads the A-End again", async () => {
      const key = await makeKey(eastPort, { preApproved: true });
      const inputs = await checked(key);
      const created = await create(inputs);
      await serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...inputs, name: "renamed" });
      await admin(emulator, "DELETE", "/_emulator/requests");
      await checked(key, { name: "Second", orderIdentity: `project/gaps-${identity}/second` });
      assert.equal(await aEndReads(), 1);
    });

    it("after a delete, the next check reads the A-End again", async () => {
      const key = await makeKey(eastPort, { preApproved: true });
      const inputs = await checked(key);
      const created = await create(inputs);
      await captureLog(() => serviceKeyVxcProvider.delete(created.id, { ...created.outs }));
      await admin(emulator, "DELETE", "/_emulator/requests");
      await checked(key, { name: "Second", orderIdentity: `project/gaps-${identity}/second` });
      assert.equal(await aEndReads(), 1);
    });
  });
});
