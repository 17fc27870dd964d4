/**
 * Behaviour that a deliberate break in the provider used to survive in every fast suite (issue 17):
 * each test here fails on one such break (docs/testing.md lists which).
 */
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { RunningEmulator } from "../../emulator";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { UNRECORDED_TAG } from "../../provider/resources/vxcOrders";
import { vxcOrderApprovalProvider } from "../../provider/resources/vxcOrderApproval";
import { MegaportApiError, MegaportClient } from "../../sdk";
import { admin, captureLog, rejection, requests, resetEmulator, startHarness, stopHarness } from "./harness";

interface EmulatorState {
  serviceKeys: { key: string; active: boolean; productUid: string }[];
  vxcs: { productUid: string; provisioningStatus: string }[];
}

describe("provider: behaviour that used to survive a broken provider", () => {
  let emulator: RunningEmulator;
  let eastPort: string;
  let westPort: string;
  let consumer: MegaportClient;
  let owner: MegaportClient;

  before(async () => {
    emulator = await startHarness();
    eastPort = emulator.accounts.east?.products.port10G as string;
    westPort = emulator.accounts.west?.products.port10G as string;
    const client = (name: "east" | "west") =>
      new MegaportClient({
        accessKey: emulator.accounts[name]?.accessKey as string,
        secretKey: emulator.accounts[name]?.secretKey as string,
        baseUrl: emulator.url,
        retry: { baseDelayMs: 5, maxDelayMs: 50 },
      });
    consumer = client("west");
    owner = client("east");
  });
  after(async () => {
    await consumer.close();
    await owner.close();
    await stopHarness(emulator);
  });
  beforeEach(async () => resetEmulator(emulator));

  const state = () => admin<EmulatorState>(emulator, "GET", "/_emulator/state");
  const faults = (config: Record<string, unknown>) => admin(emulator, "POST", "/_emulator/faults", config);
  const buys = async () => (await requests(emulator)).filter((r) => r.path === "/v4/networkdesign/buy").length;

  const keyInputs = (extra: Record<string, unknown> = {}) => ({
    productUid: eastPort,
    maxSpeed: 500,
    singleUse: false,
    account: "east",
    ...extra,
  });

  /** A look-up through the provider's own client: its token is fresh, so the next call is not a 401. */
  async function warmUp(): Promise<void> {
    assert.deepEqual(
      await serviceKeyProvider.read("warm-up", { key: "ffffffff-ffff-4fff-8fff-ffffffffffff", account: "east" }),
      {},
    );
  }

  async function makeKey(extra: Record<string, unknown> = {}) {
    const { inputs, failures } = await serviceKeyProvider.check({}, keyInputs(extra));
    assert.deepEqual(failures, []);
    return (await serviceKeyProvider.create(inputs)).outs;
  }

  async function vxcInputs(serviceKey: string, extra: Record<string, unknown> = {}) {
    const { inputs, failures } = await serviceKeyVxcProvider.check(
      {},
      {
        serviceKey,
        aEndProductUid: westPort,
        name: "West to East",
        rateLimit: 200,
        account: "west",
        resourceName: "west-vxc",
        orderIdentity: "project/stack/west-vxc",
        ...extra,
      },
    );
    assert.deepEqual(failures, []);
    return inputs;
  }

  /** The order tag this resource puts on its VXCs: a stable contract, or recovery across runs breaks. */
  function orderTag(identity: string, serviceKey: string) {
    const value = createHash("sha256").update(`${identity}\n${serviceKey}`).digest("hex").slice(0, 32);
    return { key: "pulumi-megaport-service-keys/order", value };
  }

  /** A VXC bought behind the provider's back (another run, or another stack), on West's port. */
  async function buyElsewhere(serviceKey: string, name: string, tags?: { key: string; value: string }[]) {
    const [result] = await consumer.networkDesign.buy([
      {
        productUid: westPort,
        associatedVxcs: [
          {
            productName: name,
            rateLimit: 200,
            term: 1,
            shutdown: false,
            serviceKey,
            resourceTags: tags,
            aEnd: { productUid: westPort },
            bEnd: { productUid: eastPort },
          },
        ],
      },
    ]);
    return result.vxcJTechnicalServiceUid;
  }

  describe("ServiceKey", () => {
    for (const status of [403, 500]) {
      it(`delete of an active key rejects when the API refuses the deactivation with ${status}`, async function () {
        this.timeout(30_000); // a 500 is retried with the provider's default backoff
        const outs = await makeKey();
        await faults({ errorRate: 1, status, methods: ["PUT"], paths: ["/v2/service/key"] });
        const error = await rejection(() => captureLog(() => serviceKeyProvider.delete("id", { ...outs })));
        assert.ok(error instanceof MegaportApiError, String(error));
        assert.equal(error.status, status);
        await faults({});
        assert.equal((await state()).serviceKeys[0]?.active, true, "the key is still active");
      });
    }

    it("adopting a multi-use key as single-use is refused, naming singleUse", async () => {
      const made = await makeKey({ singleUse: false });
      const { inputs } = await serviceKeyProvider.check({}, keyInputs({ singleUse: true, existingKey: made.key }));
      const error = await rejection(() => serviceKeyProvider.create(inputs));
      assert.equal(error.code, "ERR_SERVICE_KEY_MISMATCH");
      assert.match(error.message, /^singleUse: the existing key has singleUse false, which a key cannot change/);
    });

    it("a lost create answer while another create on the product is in flight: each gets its own key", async () => {
      const { inputs } = await serviceKeyProvider.check({}, keyInputs({ description: "twins" }));
      await warmUp();
      // B is committed first, but its answer is held back; A's answer is lost meanwhile.
      await faults({ answerDelayMs: 1000, methods: ["POST"], paths: ["/v2/service/key"], times: 1 });
      const creatingB = serviceKeyProvider.create(inputs);
      while ((await state()).serviceKeys.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await faults({ lostResponseRate: 1, methods: ["POST"], paths: ["/v2/service/key"], times: 1 });
      const [a, b] = await Promise.all([
        captureLog(() => serviceKeyProvider.create(inputs)).then(({ result }) => result),
        creatingB,
      ]);
      const keys = (await state()).serviceKeys.map((k) => k.key);
      assert.equal(keys.length, 2, "no create was sent again");
      assert.equal(b.outs.key, keys[0], "B got the key it made (the older one)");
      assert.equal(a.outs.key, keys[1], "A adopted the key its lost create made, not B's");
    });

    it("a create answered 500 whose key appears during the settle delay is adopted, not made again", async () => {
      const { inputs } = await serviceKeyProvider.check({}, keyInputs({ description: "late" }));
      await warmUp();
      await faults({ errorRate: 1, status: 500, methods: ["POST"], paths: ["/v2/service/key"], times: 1 });
      const creating = captureLog(() => serviceKeyProvider.create(inputs));
      // The first look finds nothing; then the key the API was still committing shows up.
      const firstLook = (r: { method: string; query: Record<string, string> }) =>
        r.method === "GET" && r.query.productIdOrUid === eastPort;
      while (!(await requests(emulator)).some(firstLook)) await new Promise((resolve) => setTimeout(resolve, 5));
      const late = await owner.serviceKeys.create({
        productUid: eastPort,
        maxSpeed: 500,
        singleUse: false,
        active: true,
        preApproved: false,
        description: "late",
      });
      const { result } = await creating;
      assert.equal(result.outs.key, late.key);
      assert.equal((await state()).serviceKeys.length, 1, "the create was not sent again");
    });
  });

  describe("ServiceKeyVxc", () => {
    it("delete rejects when the API refuses CANCEL_NOW on a live VXC", async () => {
      const key = await makeKey({ preApproved: true });
      const inputs = await vxcInputs(key.key);
      const { id, outs } = await serviceKeyVxcProvider.create(inputs);
      await faults({ errorRate: 1, status: 400, paths: [`/v3/product/${id}/action/CANCEL_NOW`] });
      const error = await rejection(() => captureLog(() => serviceKeyVxcProvider.delete(id, { ...outs })));
      assert.ok(error instanceof MegaportApiError, String(error));
      assert.equal(error.status, 400);
      await faults({});
      assert.notEqual((await state()).vxcs[0]?.provisioningStatus, "DECOMMISSIONED");
    });

    it("an order rejected while waitForApproval waits is a partial failure carrying the VXC id", async () => {
      const key = await makeKey({ singleUse: true, vlan: 300 });
      const inputs = await vxcInputs(key.key, { waitForApproval: true, timeouts: { create: "20s" } });
      const creating = rejection(() => captureLog(() => serviceKeyVxcProvider.create(inputs)));
      const decision = await vxcOrderApprovalProvider.check(
        {},
        { serviceKey: key.key, decision: "reject", comment: "not today", account: "east", waitForOrder: true },
      );
      await captureLog(() => vxcOrderApprovalProvider.create(decision.inputs));
      const error = await creating;
      const uid = (await state()).vxcs[0]?.productUid;
      assert.equal(error.code, "ERR_VXC_NOT_READY");
      assert.equal(error.id, uid);
      assert.match(error.message, /the order failed \(provisioningStatus FAILED\): order rejected \(not today\)/);
      assert.equal((error.properties as Record<string, unknown>).provisioningStatus, "FAILED");
    });

    it("a tagged VXC that an interrupted run never recorded is adopted by create, with zero buys", async () => {
      const key = await makeKey({ singleUse: true, vlan: 301, preApproved: true });
      // Still carrying the unrecorded mark: the interrupted run never took it off (docs/lifecycle.md).
      const earlier = await buyElsewhere(key.key, "West to East", [
        orderTag("project/stack/west-vxc", key.key),
        UNRECORDED_TAG,
      ]);
      // The key is used now, by our own order: check lets it through for create to adopt it.
      const inputs = await vxcInputs(key.key);
      await admin(emulator, "DELETE", "/_emulator/requests");
      const { result, lines } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
      assert.equal(result.id, earlier);
      assert.equal(await buys(), 0);
      assert.ok(lines.some((line) => line.includes(`adopted VXC ${earlier}`)), lines.join("\n"));
    });

    it("a lost buy never adopts another stack's same-named VXC on the A-End", async () => {
      const key = await makeKey({ preApproved: true });
      const others = await buyElsewhere(key.key, "West to East", [orderTag("project/other/west-vxc", key.key)]);
      const inputs = await vxcInputs(key.key);
      await faults({ lostResponseRate: 1, paths: ["/v4/networkdesign/buy"], times: 1 });
      const { result } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
      const uids = (await state()).vxcs.map((v) => v.productUid);
      assert.equal(uids.length, 2, "one buy, not sent again");
      assert.notEqual(result.id, others);
      assert.equal(result.id, uids[1]);
    });

    it("a buy with a single-use key drops its look-up: the next order's check sees the key used", async () => {
      const key = await makeKey({ singleUse: true, vlan: 310, preApproved: true });
      await serviceKeyVxcProvider.create(await vxcInputs(key.key));
      const { failures } = await serviceKeyVxcProvider.check({}, otherOrder(key.key));
      assert.deepEqual(failures, [
        { property: "", reason: "serviceKey: the single-use service key has already been used" },
      ]);
    });

    it("a buy with a multi-use key keeps its look-up for the run: the next order's check does not ask for the key again", async () => {
      const key = await makeKey({ preApproved: true });
      await serviceKeyVxcProvider.create(await vxcInputs(key.key));
      await admin(emulator, "DELETE", "/_emulator/requests");
      const { failures } = await serviceKeyVxcProvider.check({}, otherOrder(key.key));
      assert.deepEqual(failures, []);
      const keyLookUps = (await requests(emulator)).filter((r) => r.path === "/v2/service/key");
      assert.deepEqual(keyLookUps, [], "the run's checks share one look-up of a multi-use key");
    });

    /** Another resource's order with the same key, as the next check of the same run sees it. */
    function otherOrder(serviceKey: string): Record<string, unknown> {
      return {
        serviceKey,
        aEndProductUid: westPort,
        name: "West to East, second",
        rateLimit: 200,
        account: "west",
        resourceName: "west-vxc-2",
        orderIdentity: "project/stack/west-vxc-2",
      };
    }
  });

  describe("VxcOrderApproval", () => {
    it("read keeps to its own approval: another approval listed for the query is not this decision", async () => {
      const key = await makeKey({ singleUse: false });
      const inputs = await vxcInputs(key.key);
      const first = (await captureLog(() => serviceKeyVxcProvider.create(inputs))).result;
      const second = (await captureLog(() => serviceKeyVxcProvider.create({ ...inputs, name: "second" }))).result;
      const decide = async (productUid: string) => {
        const { inputs: decision } = await vxcOrderApprovalProvider.check(
          {},
          { productUid, decision: "approve", account: "east" },
        );
        return (await captureLog(() => vxcOrderApprovalProvider.create(decision))).result;
      };
      const approvedFirst = await decide(first.id);
      const approvedSecond = await decide(second.id);
      const read = await vxcOrderApprovalProvider.read(approvedFirst.id, { ...approvedFirst.outs });
      assert.equal(read.id, approvedFirst.id);
      // State that points at the second VXC's order but carries the first decision's id: the
      // approval listed for that VXC is another decision, so this one is gone.
      const gone = await vxcOrderApprovalProvider.read(approvedFirst.id, {
        ...approvedFirst.outs,
        serviceId: approvedSecond.outs.serviceId,
      });
      assert.deepEqual(gone, {});
    });
  });
});
