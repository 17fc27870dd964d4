import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { serviceKeyProvider } from "../../provider/serviceKey";
import { clientFor } from "../../provider/accounts";
import { forgetClaims } from "../../provider/reconcile";
import { orderTag, type ServiceKeyVxcInputs, serviceKeyVxcProvider } from "../../provider/serviceKeyVxc";
import { vxcOrderApprovalProvider } from "../../provider/vxcOrderApproval";
import { admin, captureLog, namesProperty, rejection, requests, startHarness, stopHarness } from "./harness";

// Issue 11, items 1 and 2 at the provider level (docs/lifecycle.md): what a replacement orders and
// cancels, and updates decided on the API's view of the approval rather than the state's.
describe("ServiceKeyVxc replacements and stale approval state against the emulator", () => {
  let emulator: RunningEmulator;
  let eastPort: string;
  let westPort: string;
  let identity = 0;

  before(async () => {
    emulator = await startHarness();
    eastPort = emulator.accounts.east?.products.port10G as string;
    westPort = emulator.accounts.west?.products.port10G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => {
    await admin(emulator, "POST", "/_emulator/reset");
    identity += 1; // each test is its own stack resource: no order tag is shared between tests
  });

  async function makeKey(extra: Record<string, unknown> = {}): Promise<string> {
    const { inputs } = await serviceKeyProvider.check(
      {},
      { productUid: eastPort, maxSpeed: 500, account: "east", ...extra },
    );
    return (await serviceKeyProvider.create(inputs)).outs.key;
  }

  /** The program's inputs of one ServiceKeyVxc, as the resource class sends them. */
  const programInputs = (serviceKey: string, extra: Record<string, unknown> = {}) => ({
    serviceKey,
    aEndProductUid: westPort,
    name: "West to East",
    rateLimit: 200,
    account: "west",
    resourceName: "west-vxc",
    orderIdentity: `project/stack-${identity}/west-vxc`,
    ...extra,
  });

  /** A create, as in a run of its own: the next step starts like a new provider process. */
  const create = async (inputs: Record<string, unknown>) => {
    const { result } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
    forgetClaims();
    return result;
  };
  const apiVxcs = async () =>
    (await admin<{ vxcs: { productUid: string; provisioningStatus: string; rateLimit: number }[] }>(
      emulator,
      "GET",
      "/_emulator/state",
    )).vxcs;
  const buys = async () => (await requests(emulator)).filter((r) => r.path.includes("/networkdesign/buy"));
  const cancels = async () => (await requests(emulator)).filter((r) => r.path.endsWith("/action/CANCEL_NOW"));

  describe("replacing (issue 11 item 1)", () => {
    it("a forced replacement orders a new VXC and the old resource's delete cancels only the old one", async () => {
      const key = await makeKey({ preApproved: true, singleUse: false });
      const first = await serviceKeyVxcProvider.check({}, programInputs(key));
      assert.deepEqual(first.failures, []);
      assert.equal(first.inputs.orderGeneration, 0, "a new resource places its first order");
      const old = await create(first.inputs);

      // `pulumi up --replace`: the engine checks with the state's inputs, then creates, then deletes.
      const again = await serviceKeyVxcProvider.check({ ...first.inputs }, programInputs(key));
      assert.deepEqual(again.failures, []);
      assert.equal(again.inputs.orderGeneration, 1);
      const replacement = await create(again.inputs);
      assert.notEqual(replacement.id, old.id, "the replacement is a new VXC, not the one it replaces");
      await captureLog(() => serviceKeyVxcProvider.delete(old.id, { ...old.outs }));

      assert.equal((await buys()).length, 2);
      assert.deepEqual(
        (await cancels()).map((r) => r.path),
        [`/v3/product/${old.id}/action/CANCEL_NOW`],
      );
      const vxcs = await apiVxcs();
      assert.equal(vxcs.find((v) => v.productUid === old.id)?.provisioningStatus, "DECOMMISSIONED");
      assert.ok(
        ["CONFIGURED", "LIVE"].includes(String(vxcs.find((v) => v.productUid === replacement.id)?.provisioningStatus)),
      );
    });

    it("the engine's second check of a diff-driven replacement, without the old inputs, keeps the generation", async () => {
      const key = await makeKey({ preApproved: true, singleUse: false });
      const olds = { ...programInputs(key), orderGeneration: 4 };
      const first = await serviceKeyVxcProvider.check(olds, programInputs(key, { rateLimit: 300 }));
      assert.equal(first.inputs.orderGeneration, 5);
      const recheck = await serviceKeyVxcProvider.check({}, programInputs(key, { rateLimit: 300 }));
      assert.equal(recheck.inputs.orderGeneration, 5);
      const other = await serviceKeyVxcProvider.check({}, programInputs(key, { orderIdentity: "p/s/other" }));
      assert.equal(other.inputs.orderGeneration, 0, "another resource is new");
    });

    it("a replacement with a used single-use key fails before anything is bought or cancelled, asking for a new key", async () => {
      const key = await makeKey({ preApproved: true, singleUse: true, vlan: 150 });
      const first = await serviceKeyVxcProvider.check({}, programInputs(key));
      const old = await create(first.inputs);
      const again = await serviceKeyVxcProvider.check({ ...first.inputs }, programInputs(key));
      assert.deepEqual(again.failures, [], "check cannot tell a targeted replace from an update");
      const error = await rejection(() => serviceKeyVxcProvider.create(again.inputs));
      assert.equal(error.code, "ERR_VXC_NEW_KEY_NEEDED");
      assert.match(error.message, /a replacement needs a new service key/);
      assert.ok(!error.message.includes(key), "the error does not show the key");

      // A diff-driven replace is checked a second time, without old inputs: refused at check.
      const recheck = await serviceKeyVxcProvider.check({}, programInputs(key));
      assert.ok(
        recheck.failures.some((f) => namesProperty(f, "serviceKey") && /new service key/.test(f.reason)),
        JSON.stringify(recheck.failures),
      );
      assert.equal((await buys()).length, 1);
      assert.equal((await cancels()).length, 0);
      assert.ok(["CONFIGURED", "LIVE"].includes(String((await apiVxcs())[0]?.provisioningStatus)));
      assert.equal((await apiVxcs())[0]?.productUid, old.id);
    });

    it("state from the release before generations diffs clean, and a replacement still orders anew", async () => {
      const key = await makeKey({ preApproved: true, singleUse: false });
      const first = await serviceKeyVxcProvider.check({}, programInputs(key));
      const old = await create(first.inputs);
      const { orderGeneration: _in, ...legacyInputs } = first.inputs;
      const { orderGeneration: _out, ...legacyOutputs } = old.outs;
      assert.equal(_in, 0);
      const again = await serviceKeyVxcProvider.check(legacyInputs, programInputs(key));
      assert.deepEqual(await serviceKeyVxcProvider.diff(old.id, legacyOutputs, again.inputs), {
        changes: false,
        replaces: [],
      });
      const replacement = await create(again.inputs);
      assert.notEqual(replacement.id, old.id);
    });

    it("a re-run of an interrupted replacement takes over the order it placed instead of buying again", async () => {
      const key = await makeKey({ preApproved: true, singleUse: false });
      const first = await serviceKeyVxcProvider.check({}, programInputs(key));
      const old = await create(first.inputs);
      // The interrupted run: checked with the state's inputs, then killed after its buy was sent, so
      // nothing recorded the VXC (bought here directly: a killed process's claims die with it).
      const interrupted = await serviceKeyVxcProvider.check({ ...first.inputs }, programInputs(key));
      const tag = orderTag(interrupted.inputs as ServiceKeyVxcInputs);
      assert.ok(tag);
      const [bought] = await clientFor("west").networkDesign.buy([
        {
          productUid: westPort,
          associatedVxcs: [
            {
              productName: "West to East",
              rateLimit: 200,
              term: 1,
              shutdown: false,
              serviceKey: key,
              resourceTags: [tag],
              aEnd: { productUid: westPort },
              bEnd: { productUid: eastPort },
            },
          ],
        },
      ]);
      const placed = { id: (bought as { vxcJTechnicalServiceUid: string }).vxcJTechnicalServiceUid };
      // The state still holds the old resource with its old inputs: the re-run computes the same order.
      const rerun = await serviceKeyVxcProvider.check({ ...first.inputs }, programInputs(key));
      const { result, lines } = await captureLog(() => serviceKeyVxcProvider.create(rerun.inputs));
      assert.equal(result.id, placed.id);
      assert.notEqual(result.id, old.id);
      assert.ok(lines.some((line) => /adopted VXC/.test(line)));
      assert.equal((await buys()).length, 2);
    });

    it("a fixed A-End VLAN: the replacement's check passes, diff deletes first, and a create-first replace is refused before any cancel", async () => {
      const key = await makeKey({ preApproved: true, singleUse: false });
      const first = await serviceKeyVxcProvider.check({}, programInputs(key, { aEndVlan: 300 }));
      const old = await create(first.inputs);
      const again = await serviceKeyVxcProvider.check({ ...first.inputs }, programInputs(key, { aEndVlan: 300 }));
      const diff = await serviceKeyVxcProvider.diff(old.id, { ...old.outs }, again.inputs);
      assert.equal(diff.deleteBeforeReplace, true, "a replace of it must cancel first to free the VLAN");
      const recheck = await serviceKeyVxcProvider.check({}, programInputs(key, { aEndVlan: 300 }));
      assert.deepEqual(recheck.failures, [], "the VLAN the replaced VXC holds is not counted against it");

      // `pulumi up --replace` creates first (the engine asks no diff): refused, nothing cancelled.
      const error = await rejection(() => serviceKeyVxcProvider.create(again.inputs));
      assert.equal(error.code, "ERR_VXC_VLAN_HELD");
      assert.match(error.message, /deleteBeforeReplace/);
      assert.equal((await cancels()).length, 0);

      // Delete first, as diff asks: the new VXC gets the same VLAN.
      await captureLog(() => serviceKeyVxcProvider.delete(old.id, { ...old.outs }));
      const replacement = await create(recheck.inputs);
      assert.notEqual(replacement.id, old.id);
      assert.equal(replacement.outs.aEndVlan, 300);
    });
  });

  describe("updates after an approval the state has not seen (issue 11 item 2)", () => {
    async function pendingVxc() {
      const key = await makeKey({ preApproved: false, singleUse: false });
      const { inputs } = await serviceKeyVxcProvider.check({}, programInputs(key));
      const created = await create(inputs);
      assert.equal(created.outs.approvalStatus, "PENDING_EXTERNAL");
      return { inputs, created };
    }

    async function approve(productUid: string) {
      const { inputs } = await vxcOrderApprovalProvider.check(
        {},
        { productUid, decision: "approve", account: "east" },
      );
      await captureLog(() => vxcOrderApprovalProvider.create(inputs));
    }

    it("a rate-limit change goes ahead once the API says APPROVED, and the outputs say so", async () => {
      const { inputs, created } = await pendingVxc();
      await approve(created.id);
      const { outs } = await serviceKeyVxcProvider.update(
        created.id,
        { ...created.outs },
        { ...inputs, rateLimit: 300 },
      );
      assert.equal(outs.rateLimit, 300);
      assert.equal(outs.approvalStatus, "APPROVED");
      assert.equal((await apiVxcs()).find((v) => v.productUid === created.id)?.rateLimit, 300);
    });

    it("a change kept in state only, after the approval, shows the API's approval status", async () => {
      const { inputs, created } = await pendingVxc();
      await approve(created.id);
      const { outs } = await serviceKeyVxcProvider.update(
        created.id,
        { ...created.outs },
        { ...inputs, waitForApproval: true },
      );
      assert.equal(outs.approvalStatus, "APPROVED");
      assert.equal(outs.waitForApproval, true);
    });

    it("still refused, with no PUT, while the API says the order is pending", async () => {
      const { inputs, created } = await pendingVxc();
      const error = await rejection(() =>
        serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...inputs, rateLimit: 300 }),
      );
      assert.equal(error.code, "ERR_VXC_PENDING_APPROVAL");
      assert.match(error.message, /waiting for East Company to approve/);
      assert.equal((await requests(emulator)).filter((r) => r.method === "PUT").length, 0);
    });
  });
});
