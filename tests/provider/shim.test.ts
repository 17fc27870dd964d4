/**
 * The serialized shims (provider/dynamic/shims/, built by provider/dynamic/shim.ts) called in this process: each method of each shim
 * reaches the same method of its own resource's implementation, loaded by package name, with its
 * arguments (docs/architecture.md, "The thin serialized shim"). serialization.test.ts proves the serialized text; this proves the wiring.
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import serviceKeyShim from "../../provider/dynamic/shims/serviceKey";
import serviceKeyVxcShim from "../../provider/dynamic/shims/serviceKeyVxc";
import vxcOrderApprovalShim from "../../provider/dynamic/shims/vxcOrderApproval";
import { captureLog, emulatorConfig, fakeConfig, rejection, startHarness, stopHarness, resetEmulator } from "./harness";

type Shim = typeof serviceKeyShim;
/** Every method of a shim, present (the dynamic provider host checks for each). */
const call = <K extends keyof Shim>(shim: Shim, method: K) => shim[method] as NonNullable<Shim[K]>;

describe("provider shims forward each call to their own resource", () => {
  let emulator: RunningEmulator;
  let port: string;

  before(async () => {
    emulator = await startHarness();
    port = emulator.accounts.east?.products.port1G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => {
    await resetEmulator(emulator);
    // The implementation the shims load by package name: configured through the shim, with the
    // harness's own configuration (the same module, or its copy outside a mutation sandbox).
    for (const shim of [serviceKeyShim, serviceKeyVxcShim, vxcOrderApprovalShim]) {
      await call(shim, "configure")({ config: fakeConfig(emulatorConfig(emulator)) } as never);
    }
  });

  it("ServiceKey: check, diff, create, read, update and delete", async () => {
    const checked = await call(serviceKeyShim, "check")({}, { productUid: port, maxSpeed: 100, vlan: 300, account: "east" });
    assert.deepEqual(checked, {
      inputs: { productUid: port, maxSpeed: 100, singleUse: true, vlan: 300, preApproved: false, active: true, account: "east" },
      failures: [],
    });
    const inputs = checked.inputs as Record<string, unknown>;
    assert.deepEqual(await call(serviceKeyShim, "diff")("sk-1", inputs, { ...inputs, maxSpeed: 200 }), {
      changes: true,
      replaces: ["maxSpeed"],
      deleteBeforeReplace: true, // a single-use key keeping its VLAN
    });
    const created = await call(serviceKeyShim, "create")(inputs);
    assert.match(created.id, /^sk-[0-9a-f]{24}$/);
    assert.equal(created.outs.vlan, 300);
    const read = await call(serviceKeyShim, "read")(created.id, created.outs);
    assert.equal(read.id, created.id);
    assert.equal(read.props?.key, created.outs.key);
    const updated = await call(serviceKeyShim, "update")(created.id, created.outs, { ...inputs, active: false });
    assert.equal(updated.outs?.active, false);
    const { lines } = await captureLog(() => call(serviceKeyShim, "delete")(created.id, { ...updated.outs, resourceName: "k" }));
    assert.deepEqual(lines, [`k: service key ${created.id} is already inactive; removed from the stack`]);
  });

  it("ServiceKeyVxc: check, diff, create, read, update and delete", async () => {
    const checked = await call(serviceKeyVxcShim, "check")({}, { aEndProductUid: port, name: "n", rateLimit: 10, account: "west" });
    assert.deepEqual(
      checked.failures?.map((f) => f.reason),
      ["serviceKey: Invalid input: expected string, received undefined"],
    );
    const olds = { serviceKey: "k".repeat(8), aEndProductUid: "a", name: "n", rateLimit: 10 };
    assert.deepEqual(await call(serviceKeyVxcShim, "diff")("vxc-1", olds, { ...olds, aEndProductUid: "b" }), {
      changes: true,
      replaces: ["aEndProductUid"],
    });
    const unknownKey = "ffffffff-2222-4222-8222-ffffffffffff";
    const error = await rejection(() =>
      call(serviceKeyVxcShim, "create")({ ...olds, serviceKey: unknownKey, aEndProductUid: port, account: "west" }),
    );
    assert.match(error.message, /service key/i);
    const missing = "ffffffff-3333-4333-8333-ffffffffffff";
    assert.deepEqual(await call(serviceKeyVxcShim, "read")(missing, { account: "west" }), {});
    const updateError = await rejection(() =>
      call(serviceKeyVxcShim, "update")(missing, { ...olds, provisioningStatus: "LIVE" }, { ...olds, name: "m", account: "west" }),
    );
    assert.match(updateError.message, new RegExp(missing));
    const { lines } = await captureLog(() => call(serviceKeyVxcShim, "delete")(missing, { account: "west", resourceName: "v" }));
    assert.deepEqual(lines, [`v: cancelled VXC ${missing} (CANCEL_NOW)`]);
  });

  it("VxcOrderApproval: check, diff, create, read, update and delete", async () => {
    const checked = await call(vxcOrderApprovalShim, "check")({}, { productUid: "vxc-1", decision: "maybe", account: "east" });
    assert.deepEqual(checked.failures, [{ property: "decision", reason: 'decision: must be "approve" or "reject"' }]);
    const olds = { productUid: "vxc-1", decision: "approve" };
    assert.deepEqual(await call(vxcOrderApprovalShim, "diff")("a-1", olds, { ...olds, decision: "reject" }), {
      changes: true,
      replaces: ["decision"],
    });
    const missing = "ffffffff-4444-4444-8444-ffffffffffff";
    const error = await rejection(() =>
      call(vxcOrderApprovalShim, "create")({ productUid: missing, decision: "approve", account: "east" }),
    );
    assert.equal(error.message, `no order awaiting approval for VXC ${missing} (set waitForOrder to wait for it)`);
    assert.deepEqual(await call(vxcOrderApprovalShim, "read")("a-1", { ...olds, serviceId: null }), {});
    const updated = await call(vxcOrderApprovalShim, "update")("a-1", { ...olds, status: "APPROVED" }, { ...olds, comment: "c" });
    assert.deepEqual(updated.outs, { ...olds, status: "APPROVED", comment: "c", waitForOrder: false });
    const { lines } = await captureLog(() =>
      call(vxcOrderApprovalShim, "delete")("a-1", { ...olds, status: "APPROVED", resourceName: "d" }),
    );
    assert.deepEqual(lines, [
      "d: an order decision cannot be undone: removed the approved decision on VXC vxc-1 from the stack only",
    ]);
  });
});
