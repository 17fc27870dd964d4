import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import * as implementation from "../../provider/implementation";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { vxcOrderApprovalProvider } from "../../provider/resources/vxcOrderApproval";
import {
  admin,
  captureLog,
  emulatorConfig,
  fakeConfig,
  rejection,
  requests,
  startHarness,
  stopHarness,
  namesProperty,
  resetEmulator,
} from "./harness";

describe("ServiceKeyVxc and VxcOrderApproval providers against the emulator", () => {
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

  async function makeKey(extra: Record<string, unknown> = {}): Promise<string> {
    const { inputs } = await serviceKeyProvider.check(
      {},
      { productUid: eastPort, maxSpeed: 500, vlan: 100, account: "east", ...extra },
    );
    return (await serviceKeyProvider.create(inputs)).outs.key;
  }

  async function checked(serviceKey: string, extra: Record<string, unknown> = {}) {
    return serviceKeyVxcProvider.check(
      {},
      {
        serviceKey,
        aEndProductUid: westPort,
        name: "West to East",
        rateLimit: 200,
        account: "west",
        resourceName: "west-vxc",
        ...extra,
      },
    );
  }

  async function buys(): Promise<number> {
    return (await requests(emulator)).filter((r) => r.path.includes("/networkdesign/buy")).length;
  }

  it("pre-approved key: create waits until LIVE, within 3 API calls plus polls", async () => {
    const key = await makeKey({ preApproved: true });
    const { inputs, failures } = await checked(key);
    assert.deepEqual(failures, []);
    await admin(emulator, "DELETE", "/_emulator/requests");
    const { id, outs } = await serviceKeyVxcProvider.create(inputs);
    assert.equal(outs.productUid, id);
    assert.ok(["LIVE", "CONFIGURED"].includes(outs.provisioningStatus), outs.provisioningStatus);
    assert.equal(outs.bEndProductUid, eastPort);
    assert.equal(outs.bEndVlan, 100);
    assert.equal(typeof outs.aEndVlan, "number", "the assigned A-End VLAN is an output");
    assert.equal(outs.serviceKey, key);
    const calls = (await requests(emulator)).filter((r) => !r.path.startsWith("/oauth2"));
    const nonPoll = calls.filter((r) => !(r.method === "GET" && r.path === `/v2/product/${id}`));
    assert.ok(nonPoll.length <= 3, JSON.stringify(nonPoll.map((r) => `${r.method} ${r.path}`)));
  });

  it("not pre-approved: create succeeds PENDING_EXTERNAL with one log line; approval then LIVE", async () => {
    const key = await makeKey();
    const { inputs } = await checked(key);
    const { result, lines } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
    assert.equal(result.outs.approvalStatus, "PENDING_EXTERNAL");
    assert.equal(result.outs.provisioningStatus, "DEPLOYABLE");
    assert.deepEqual(lines, [`west-vxc: waiting for East Company to approve the order (VXC ${result.id})`]);

    // The owner approves through the VxcOrderApproval provider.
    const approvalCheck = await vxcOrderApprovalProvider.check(
      {},
      {
        productUid: result.id,
        decision: "approve",
        comment: "welcome",
        account: "east",
        resourceName: "east-approval",
      },
    );
    assert.deepEqual(approvalCheck.failures, []);
    const approval = (await captureLog(() => vxcOrderApprovalProvider.create(approvalCheck.inputs))).result;
    assert.equal(approval.outs.status, "APPROVED");
    assert.equal(approval.outs.requestingCompany, "West Company");
    assert.equal(approval.outs.rateLimit, 200);
    assert.equal(approval.id, approval.outs.approvalUid);

    // Approving again is success (idempotent).
    const again = (await captureLog(() => vxcOrderApprovalProvider.create(approvalCheck.inputs))).result;
    assert.equal(again.outs.status, "APPROVED");

    const read = await serviceKeyVxcProvider.read(result.id, { ...result.outs });
    assert.equal(read.props?.approvalStatus, "APPROVED");
    await admin(emulator, "POST", "/_emulator/clock", { advanceMs: 1000 });
    const live = await serviceKeyVxcProvider.read(result.id, { ...result.outs });
    assert.equal(live.props?.provisioningStatus, "LIVE");

    const approvalRead = await vxcOrderApprovalProvider.read(approval.id, { ...approval.outs });
    assert.equal(approvalRead.props?.status, "APPROVED");
    const { lines: deleteLines } = await captureLog(() =>
      vxcOrderApprovalProvider.delete(approval.id, { ...approval.outs }),
    );
    assert.match(deleteLines[0] ?? "", /^east-approval: an order decision cannot be undone/);
  });

  it("the owner rejects (found by the single-use key): refresh shows the failure", async () => {
    const key = await makeKey();
    const { inputs } = await checked(key);
    const { result } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
    const approvalCheck = await vxcOrderApprovalProvider.check(
      {},
      { serviceKey: key, decision: "reject", account: "east" },
    );
    const approval = (await captureLog(() => vxcOrderApprovalProvider.create(approvalCheck.inputs))).result;
    assert.equal(approval.outs.status, "REJECTED");
    assert.equal(approval.outs.vxcProductUid, result.id);
    const read = await serviceKeyVxcProvider.read(result.id, { ...result.outs });
    assert.equal(read.props?.provisioningStatus, "FAILED");
    // The API clears vxcApproval once an order is decided against (inferred; emulator/README.md):
    // the provider then shows the failed order as FAILED.
    assert.equal(read.props?.approvalStatus, "FAILED");
  });

  it("a decision on another company's order fails clearly", async () => {
    const key = await makeKey();
    const { inputs } = await checked(key);
    const { result } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
    const approvalCheck = await vxcOrderApprovalProvider.check(
      {},
      { productUid: result.id, decision: "approve", account: "north" },
    );
    const error = await rejection(() => vxcOrderApprovalProvider.create(approvalCheck.inputs));
    assert.match(error.message, /only the key owner can approve or reject it/);
  });

  it("waitForApproval waits with progress lines until the owner approves", async () => {
    const key = await makeKey();
    const { inputs } = await checked(key, { waitForApproval: true, timeouts: { create: "20s" } });
    const creating = captureLog(() => serviceKeyVxcProvider.create(inputs));
    const approvalCheck = await vxcOrderApprovalProvider.check(
      {},
      {
        serviceKey: key,
        decision: "approve",
        account: "east",
        waitForOrder: true,
        timeouts: { create: "10s" },
      },
    );
    const approving = vxcOrderApprovalProvider.create(approvalCheck.inputs);
    const [{ result, lines }] = await Promise.all([creating, approving]);
    assert.ok(["LIVE", "CONFIGURED"].includes(result.outs.provisioningStatus));
    assert.ok(lines.some((line) => line.startsWith("west-vxc: waiting for East Company to approve")));
  });

  const checkFailures: [string, Record<string, unknown>, Record<string, unknown>, string, RegExp][] = [
    [
      "rateLimit above the key's maximum",
      {},
      { rateLimit: 1000 },
      "rateLimit",
      /^rateLimit: 1000 exceeds the service key's maximum of 500 Mbps$/,
    ],
    ["an inactive key", { active: false }, {}, "serviceKey", /not active/],
    ["an expired key", {}, {}, "serviceKey", /expired/],
    [
      "an unknown key",
      {},
      { serviceKey: "ffffffff-0000-4000-8000-000000000000" },
      "serviceKey",
      /no such service key/,
    ],
    ["an A-End of another company", {}, { aEndProductUid: "east" }, "aEndProductUid", /A-End/],
    ["a bad term", {}, { term: 7 }, "term", /1, 12, 24, 36, 48 or 60/],
  ];
  for (const [title, keyExtra, vxcExtra, property, reason] of checkFailures) {
    it(`check fails on ${title} naming ${property}, without showing the key`, async () => {
      const key = await makeKey(keyExtra);
      if (title === "an expired key") {
        await admin(emulator, "POST", `/_emulator/service-keys/${key}`, {
          validFor: { start: 0, end: Date.now() - 1000 },
        });
      }
      const extra = vxcExtra.aEndProductUid === "east" ? { ...vxcExtra, aEndProductUid: eastPort } : vxcExtra;
      const { failures } = await checked(key, extra);
      assert.ok(
        failures.some((f) => namesProperty(f, property) && reason.test(f.reason)),
        JSON.stringify(failures),
      );
      assert.ok(
        failures.every((f) => !f.reason.includes(key) && !f.reason.includes(key.slice(0, 8))),
        "no failure shows the key or its prefix",
      );
    });
  }

  it("check of a consumed single-use key fails, but not once the VXC exists", async () => {
    const key = await makeKey({ preApproved: true });
    const { inputs } = await checked(key);
    const { outs } = await serviceKeyVxcProvider.create(inputs);
    const again = await checked(key, { name: "second" });
    assert.ok(again.failures.some((f) => namesProperty(f, "serviceKey") && /already been used/.test(f.reason)));
    const rerun = await serviceKeyVxcProvider.check({ ...outs }, { ...inputs });
    assert.deepEqual(rerun.failures, []);
  });

  it("a new rate limit for an existing VXC is checked only against the key's maximum", async () => {
    const key = await makeKey({ preApproved: true });
    const { inputs } = await checked(key);
    const { outs } = await serviceKeyVxcProvider.create(inputs);
    const keyState = await admin<{ serviceKeys: { key: string }[] }>(emulator, "GET", "/_emulator/state");
    assert.ok(keyState.serviceKeys.some((k) => k.key === key));
    await admin(emulator, "POST", `/_emulator/service-keys/${key}`, { active: false });
    const within = await serviceKeyVxcProvider.check({ ...outs }, { ...inputs, rateLimit: 450 });
    assert.deepEqual(within.failures, [], "a consumed, even inactive, key is no reason to refuse the change");
    const above = await serviceKeyVxcProvider.check({ ...outs }, { ...inputs, rateLimit: 600 });
    assert.deepEqual(above.failures, [
      { property: "rateLimit", reason: "rateLimit: 600 exceeds the service key's maximum of 500 Mbps" },
    ]);
  });

  it("create without acceptPurchaseTerms fails saying how to set it, and buys nothing", async () => {
    const key = await makeKey({ preApproved: true });
    const { inputs } = await checked(key);
    implementation.configure(
      fakeConfig(emulatorConfig(emulator, { "megaport:acceptPurchaseTerms": "false" })),
    );
    try {
      const error = await rejection(() => serviceKeyVxcProvider.create(inputs));
      assert.match(error.message, /megaport:acceptPurchaseTerms true/);
      assert.equal(error.code, "ERR_PURCHASE_TERMS_NOT_ACCEPTED");
    } finally {
      implementation.configure(fakeConfig(emulatorConfig(emulator)));
    }
    assert.equal(await buys(), 0);
  });

  it("updates the rate limit in place and refuses one above the key's maximum", async () => {
    const key = await makeKey({ preApproved: true, singleUse: false, vlan: undefined });
    const { inputs } = await checked(key);
    const { id, outs } = await serviceKeyVxcProvider.create(inputs);
    const news = { ...inputs, rateLimit: 400 };
    assert.deepEqual(await serviceKeyVxcProvider.diff(id, { ...outs }, news), {
      changes: true,
      replaces: [],
    });
    const updated = await serviceKeyVxcProvider.update(id, { ...outs }, news);
    assert.equal(updated.outs.rateLimit, 400);
    assert.equal(updated.outs.bEndProductUid, eastPort);
    const error = await rejection(() =>
      serviceKeyVxcProvider.update(id, { ...updated.outs }, { ...inputs, rateLimit: 900 }),
    );
    assert.match(error.message, /rateLimit: 900 exceeds the service key's maximum of 500 Mbps/);
  });

  it("refuses an update while the order awaits approval, saying so", async () => {
    const key = await makeKey();
    const { inputs } = await checked(key);
    const { result } = await captureLog(() => serviceKeyVxcProvider.create(inputs));
    const error = await rejection(() =>
      serviceKeyVxcProvider.update(result.id, { ...result.outs }, { ...inputs, rateLimit: 300 }),
    );
    assert.match(error.message, /waiting for East Company to approve/);
  });

  it("delete cancels (CANCEL_NOW); a second delete and the refresh after it succeed", async () => {
    const key = await makeKey({ preApproved: true });
    const { inputs } = await checked(key);
    const { id, outs } = await serviceKeyVxcProvider.create(inputs);
    await captureLog(() => serviceKeyVxcProvider.delete(id, { ...outs }));
    await captureLog(() => serviceKeyVxcProvider.delete(id, { ...outs }));
    assert.deepEqual(await serviceKeyVxcProvider.read(id, { ...outs }), {});
    const cancels = (await requests(emulator)).filter((r) => r.path.endsWith("/action/CANCEL_NOW"));
    assert.ok(cancels.length >= 1);
  });

  it("a lost buy answer creates exactly one VXC", async () => {
    const key = await makeKey({ preApproved: true });
    const { inputs } = await checked(key);
    await admin(emulator, "POST", "/_emulator/faults", {
      lostResponseRate: 1,
      paths: ["/v4/networkdesign/buy"],
    });
    let created: Awaited<ReturnType<typeof serviceKeyVxcProvider.create>>;
    try {
      created = (await captureLog(() => serviceKeyVxcProvider.create(inputs))).result;
    } finally {
      await admin(emulator, "POST", "/_emulator/faults", {});
    }
    const state = await admin<{ vxcs: { productUid: string }[] }>(emulator, "GET", "/_emulator/state");
    assert.equal(state.vxcs.length, 1);
    assert.equal(created.id, state.vxcs[0]?.productUid);
  });

  it("a timeout after the buy keeps the VXC: the error carries its id and outputs", async () => {
    const key = await makeKey({ preApproved: true });
    const { inputs } = await checked(key, { timeouts: { create: "1s" } });
    // Hold the VXC in DEPLOYABLE by construction: it cannot become ready before the deadline.
    await admin(emulator, "POST", "/_emulator/provisioning", { held: true });
    const error = await rejection(() => serviceKeyVxcProvider.create(inputs));
    const uid = (await admin<{ vxcs: { productUid: string }[] }>(emulator, "GET", "/_emulator/state")).vxcs[0]
      ?.productUid;
    assert.ok(uid !== undefined, "the VXC was bought");
    assert.equal(error.code, "ERR_VXC_NOT_READY");
    assert.equal(error.id, uid);
    assert.equal((error.reasons as string[]).length, 1);
    assert.match(String((error.reasons as string[])[0]), /not ready within 1s/);
    const properties = error.properties as Record<string, unknown>;
    assert.equal(properties.productUid, uid);
    assert.equal(properties.provisioningStatus, "DEPLOYABLE");
    assert.equal(JSON.stringify(properties).includes("undefined"), false);

    // The next `up` updates the resource with the same inputs: the update carries on waiting.
    await admin(emulator, "POST", "/_emulator/provisioning", { held: false });
    const { outs } = await serviceKeyVxcProvider.update(uid as string, properties, {
      ...inputs,
      timeouts: { create: "5s" },
    });
    assert.ok(["CONFIGURED", "LIVE"].includes(outs.provisioningStatus), outs.provisioningStatus);
  });
});
