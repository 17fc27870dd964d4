/**
 * What a ServiceKeyVxc user reads, word for word, against the emulator (issue 17): the check
 * failures about the key, which one wins when several apply, the provider's own deadlines, and the
 * partial failures that keep a bought VXC in the stack (docs/lifecycle.md, "ServiceKeyVxc").
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { admin, captureLog, makeKey, rejection, requests, startHarness, stopHarness, vxcProgram, resetEmulator } from "./harness";
import { forgetDeferredValidations } from "../../provider/resources/vxcValidations";

describe("ServiceKeyVxc provider: messages, deadlines and partial failures", () => {
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

  const patchKey = (key: string, patch: Record<string, unknown>) =>
    admin(emulator, "POST", `/_emulator/service-keys/${key}`, patch);
  const check = (key: string, extra: Record<string, unknown> = {}) =>
    serviceKeyVxcProvider.check({}, vxcProgram(westPort, key, extra));
  const serviceKeyFailure = (rule: string) => [{ property: "", reason: `serviceKey: ${rule}` }];
  async function liveVxc(extra: Record<string, unknown> = {}) {
    const key = await makeKey(eastPort, { preApproved: true });
    const { inputs, failures } = await check(key, extra);
    assert.deepEqual(failures, []);
    const created = (await captureLog(() => serviceKeyVxcProvider.create(inputs))).result;
    return { key, inputs, created };
  }

  describe("check: what is wrong with the key, one reason, the first that applies", () => {
    it("an inactive key (also expired and above its maximum) is reported as not active", async () => {
      const key = await makeKey(eastPort);
      await patchKey(key, { active: false, validFor: { start: 0, end: Date.now() - 1000 } });
      assert.deepEqual((await check(key, { rateLimit: 1000 })).failures, serviceKeyFailure("the service key is not active"));
    });

    it("an expired key (also above its maximum) is reported as expired", async () => {
      const key = await makeKey(eastPort);
      await patchKey(key, { validFor: { start: 0, end: Date.now() - 1000 } });
      assert.deepEqual((await check(key, { rateLimit: 1000 })).failures, serviceKeyFailure("the service key has expired"));
    });

    it("a used single-use key (also above its maximum) is reported as used", async () => {
      const key = await makeKey(eastPort, { singleUse: true, vlan: 100, preApproved: true });
      const { inputs } = await check(key);
      await captureLog(() => serviceKeyVxcProvider.create(inputs));
      assert.deepEqual(
        (await check(key, { name: "second", orderIdentity: "project/stack/second", rateLimit: 1000 })).failures,
        serviceKeyFailure("the single-use service key has already been used"),
      );
    });

    it("a key whose window has not started (also above its maximum) is reported as not valid now", async () => {
      const key = await makeKey(eastPort);
      await patchKey(key, { validFor: { start: Date.now() + 3_600_000, end: Date.now() + 7_200_000 } });
      assert.deepEqual(
        (await check(key, { rateLimit: 1000 })).failures,
        serviceKeyFailure("the service key is not valid now (its validity window has not started)"),
      );
    });

    it("a used multi-use key is no reason to refuse", async () => {
      const key = await makeKey(eastPort, { preApproved: true });
      const { inputs } = await check(key);
      await captureLog(() => serviceKeyVxcProvider.create(inputs));
      assert.deepEqual((await check(key, { name: "second", orderIdentity: "project/stack/second" })).failures, []);
    });

    it("a rate limit at the key's maximum is accepted, one above is refused", async () => {
      const key = await makeKey(eastPort);
      assert.deepEqual((await check(key, { rateLimit: 500 })).failures, []);
      assert.deepEqual((await check(key, { rateLimit: 501 })).failures, [
        { property: "rateLimit", reason: "rateLimit: 501 exceeds the service key's maximum of 500 Mbps" },
      ]);
    });

    it("an unknown key is no such key, before anything else is asked", async () => {
      await admin(emulator, "DELETE", "/_emulator/requests");
      const { failures } = await check("ffffffff-5555-4555-8555-ffffffffffff");
      assert.deepEqual(failures, serviceKeyFailure("no such service key"));
      // (A call the token check refused, 401, is sent again with a new token: not another question.)
    const asked = (await requests(emulator))
      .filter((r) => r.path !== "/oauth2/token" && r.status !== 401)
      .map((r) => `${r.method} ${r.path}`);
      assert.deepEqual(asked, ["GET /v2/service/key"]);
    });

    it("the API's refusal of the order names the property its text is about", async () => {
      const key = await makeKey(eastPort);
      // The preview is another process, which has changed nothing: check awaits the validation
      // (provider/resources/vxcValidations.ts).
      forgetDeferredValidations();
      const { failures } = await check(key, { aEndProductUid: eastPort });
      assert.deepEqual(failures, [
        { property: "aEndProductUid", reason: `aEndProductUid: A-End product ${eastPort} does not belong to your company` },
      ]);
    });
  });

  describe("the provider's own deadlines", () => {
    it("an update that does not finish within timeouts.update fails, naming the VXC", async function () {
      this.timeout(15_000);
      const { inputs, created } = await liveVxc();
      await admin(emulator, "POST", "/_emulator/faults", { latencyMs: 3000, methods: ["PUT"], paths: ["/v3/product/vxc/"] });
      const started = Date.now();
      const error = await rejection(() =>
        serviceKeyVxcProvider.update(created.id, { ...created.outs }, { ...inputs, name: "renamed", timeouts: { update: "1s" } }),
      );
      assert.equal(error.code, "ERR_VXC_TIMEOUT");
      assert.equal(error.name, "ServiceKeyVxcError");
      assert.equal(error.message, `updating VXC ${created.id} did not finish in time`);
      assert.ok(Date.now() - started < 2900, "it gave up at its own deadline");
    });

    it("a cancel that does not finish within timeouts.delete fails, naming the VXC; without timeouts it waits", async function () {
      this.timeout(15_000);
      const { created } = await liveVxc();
      await admin(emulator, "POST", "/_emulator/faults", { latencyMs: 1500, methods: ["POST"], paths: ["/v3/product/"] });
      const error = await rejection(() =>
        serviceKeyVxcProvider.delete(created.id, { ...created.outs, timeouts: { delete: "1s" } }),
      );
      assert.equal(error.code, "ERR_VXC_TIMEOUT");
      assert.equal(error.message, `cancelling VXC ${created.id} did not finish in time`);
      const { lines } = await captureLog(() =>
        serviceKeyVxcProvider.delete(created.id, { ...created.outs, timeouts: undefined, resourceName: "west-vxc" }),
      );
      assert.deepEqual(lines, [`west-vxc: cancelled VXC ${created.id} (CANCEL_NOW)`]);
    });
  });

  describe("partial failures keep the VXC", () => {
    it("reading the status after the buy fails: the VXC's id, the reason, and the inputs as outputs", async function () {
      this.timeout(20_000);
      const key = await makeKey(eastPort, { preApproved: true });
      const { inputs } = await check(key);
      // The buy goes through; every status read after it is refused.
      await admin(emulator, "POST", "/_emulator/faults", { errorRate: 1, status: 400, methods: ["GET"], paths: ["/v2/product/"] });
      const error = await rejection(() => captureLog(() => serviceKeyVxcProvider.create(inputs)));
      await admin(emulator, "POST", "/_emulator/faults", {});
      const [vxc] = (await admin<{ vxcs: { productUid: string }[] }>(emulator, "GET", "/_emulator/state")).vxcs;
      assert.equal(error.code, "ERR_VXC_NOT_READY");
      assert.equal(error.id, vxc?.productUid);
      const reasons = error.reasons as string[];
      assert.equal(reasons.length, 1);
      assert.match(reasons[0] ?? "", /^ordered, but reading its status failed: /);
      assert.equal(error.message, `VXC ${vxc?.productUid}: ${reasons[0]}`);
      const properties = error.properties as Record<string, unknown>;
      assert.equal(properties.productUid, vxc?.productUid);
      assert.equal(properties.serviceKey, key);
      assert.equal(properties.rateLimit, 200);
    });

    it("a timeout names the last status seen", async function () {
      this.timeout(15_000);
      const key = await makeKey(eastPort, { preApproved: true });
      const { inputs } = await check(key, { timeouts: { create: "1s" } });
      await admin(emulator, "POST", "/_emulator/provisioning", { held: true });
      const error = await rejection(() => serviceKeyVxcProvider.create(inputs));
      const [vxc] = (await admin<{ vxcs: { productUid: string }[] }>(emulator, "GET", "/_emulator/state")).vxcs;
      assert.deepEqual(error.reasons, [
        "not ready within 1s (last status DEPLOYABLE); it is kept in the stack and the next update continues",
      ]);
      assert.equal(error.message, `VXC ${vxc?.productUid}: not ready within 1s (last status DEPLOYABLE); it is kept in the stack and the next update continues`);
    });
  });
});
