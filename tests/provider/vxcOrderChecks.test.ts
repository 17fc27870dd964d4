/**
 * What a ServiceKeyVxc's check asks the API before an order (provider/resources/vxcOrderChecks.ts,
 * provider/resources/vxcAEnds.ts) on the edges a broken provider survived (issue 17): which property
 * a validate rejection names, which refusals of a look-up are the API's error rather than a check
 * failure, an interrupted run's order, an untagged replacement, and a rate limit whose key is gone.
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import * as implementation from "../../provider/implementation";
import { forgetClaims } from "../../provider/resources/reconcile";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { forgetKeyLookUp } from "../../provider/resources/vxcOrderChecks";
import { forgetDeferredValidations } from "../../provider/resources/vxcValidations";
import { MegaportApiError } from "../../sdk";
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

describe("ServiceKeyVxc check: the API's answers before an order", () => {
  let emulator: RunningEmulator;
  let eastPort: string;
  let westPort: string;
  let westMve: string;

  before(async () => {
    emulator = await startHarness();
    eastPort = emulator.accounts.east?.products.port10G as string;
    westPort = emulator.accounts.west?.products.port10G as string;
    westMve = emulator.accounts.west?.products.mve as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => {
    await resetEmulator(emulator);
    forgetClaims(); // each test is a new provider process
  });

  /**
   * A preview in a new provider process: nothing claimed, nothing changed yet, so check awaits the
   * validation (provider/resources/vxcValidations.ts; makeKey's create marked this one as changing).
   */
  const newPreview = () => {
    forgetClaims();
    forgetDeferredValidations();
  };
  const faults = (config: Record<string, unknown>) => admin(emulator, "POST", "/_emulator/faults", config);
  const check = (key: string, extra: Record<string, unknown> = {}, aEnd = westPort) =>
    serviceKeyVxcProvider.check({}, vxcProgram(aEnd, key, extra));
  /** The API's own error, not a check failure (a 5xx after the retries, or a refusal that says nothing about the inputs). */
  const apiError = (error: Error, status: number) =>
    assert.ok(error instanceof MegaportApiError && error.status === status, String(error));

  it("a validate rejection names the property its text is about, or none", async () => {
    const key = await makeKey(eastPort);
    newPreview();
    let text = "";
    // Every text the API may give at validate, though the emulator refuses most of these earlier.
    const proxy = await startRewritingProxy(emulator.url, ({ method, path }, body) =>
      method === "POST" && path === "/v3/networkdesign/validate" ? { ...(body as object), data: text } : body,
    );
    implementation.configure(fakeConfig(emulatorConfig(emulator, { "megaport:baseUrl": proxy.url })));
    try {
      await faults({ errorRate: 1, status: 400, methods: ["POST"], paths: ["/v3/networkdesign/validate"] });
      const cases: [string, string][] = [
        ["ratelimit 20000 is above the speed of the A-End", "rateLimit"],
        ["The service key is not active", "serviceKey"],
        ["A-End product 1234 does not belong to your company", "aEndProductUid"],
        ["term 5 is not a valid contract term", "term"],
        ["costCentre must be at most 255 characters", "costCentre"],
        ["productName is required", "name"],
        ["Something else went wrong", ""],
      ];
      for (const [reason, property] of cases) {
        text = reason;
        const expected =
          property === "serviceKey"
            ? { property: "", reason: `serviceKey: ${reason}` }
            : { property, reason: property === "" ? reason : `${property}: ${reason}` };
        assert.deepEqual((await check(key)).failures, [expected], reason);
      }
    } finally {
      implementation.configure(fakeConfig(emulatorConfig(emulator)));
      await proxy.close();
    }
  });

  it("a validate that fails with a 5xx (500 too) is the API's error, not a failure of the inputs", async () => {
    const key = await makeKey(eastPort);
    newPreview();
    await faults({ errorRate: 1, status: 500, methods: ["POST"], paths: ["/v3/networkdesign/validate"] });
    apiError(await rejection(() => check(key)), 500);
  });

  it("the A-End look-up refused with a 4xx is left to validate; a 5xx (500 too) is the API's error", async () => {
    const key = await makeKey(eastPort);
    newPreview();
    // No order identity: no look-up for the resource's own orders, the vNIC rule's is the first.
    await faults({ errorRate: 1, status: 400, methods: ["GET"], paths: [`/v2/product/${westPort}`] });
    assert.deepEqual((await check(key, { orderIdentity: undefined })).failures, []);
    await faults({ errorRate: 1, status: 500, methods: ["GET"], paths: [`/v2/product/${westPort}`] });
    apiError(await rejection(() => check(key, { orderIdentity: undefined })), 500);
  });

  it("an A-End look-up that failed is asked again, not shared: the vNIC rule of an MVE still applies", async () => {
    const key = await makeKey(eastPort);
    // The first look-up (the resource's own orders) is refused once; the vNIC rule's asks again.
    await faults({ errorRate: 1, status: 400, methods: ["GET"], paths: [`/v2/product/${westMve}`], times: 1 });
    assert.deepEqual((await check(key, {}, westMve)).failures, [
      {
        property: "aEndVnicIndex",
        reason: `aEndVnicIndex: required for an MVE A-End: the index of the vNIC of MVE ${westMve} to connect (0 for the first)`,
      },
    ]);
  });

  it("a key look-up refused otherwise than with 404 is the API's error, not `no such service key`", async () => {
    const key = await makeKey(eastPort);
    forgetKeyLookUp(key);
    await faults({ errorRate: 1, status: 403, methods: ["GET"], paths: ["/v2/service/key"] });
    apiError(await rejection(() => check(key)), 403);
  });

  it("an interrupted run's order on a single-use key: the key's use is no failure, its deactivation still is", async () => {
    const key = await makeKey(eastPort, { singleUse: true, vlan: 300, preApproved: true });
    const { inputs } = await check(key);
    // Taking the unrecorded mark off fails: the order stays an interrupted run's.
    await faults({ errorRate: 1, status: 503, retryAfterSeconds: 0, methods: ["PUT"], paths: ["/v2/product/"] });
    await rejection(() => captureLog(() => serviceKeyVxcProvider.create(inputs)));
    await faults({});
    forgetClaims(); // the next run: a new provider process
    forgetKeyLookUp(key);
    assert.deepEqual((await check(key)).failures, [], "create adopts the order made with the key");
    await admin(emulator, "POST", `/_emulator/service-keys/${key}`, { active: false });
    forgetKeyLookUp(key);
    assert.deepEqual((await check(key)).failures, [{ property: "", reason: "serviceKey: the service key is not active" }]);
  });

  it("a replacement of an untagged VXC may ask for untagged again: its own VXC holds it", async () => {
    const key = await makeKey(eastPort, { preApproved: true });
    const { inputs, failures } = await check(key, { aEndVlan: "untagged" });
    assert.deepEqual(failures, []);
    await captureLog(() => serviceKeyVxcProvider.create(inputs));
    newPreview(); // `pulumi up --replace`: check with no olds, in a new provider process
    assert.deepEqual((await check(key, { aEndVlan: "untagged" })).failures, []);
    // Another resource's order for untagged is refused: the VLAN is taken.
    const other = await check(key, { aEndVlan: "untagged", name: "other", orderIdentity: "project/stack/other" });
    assert.equal(other.failures[0]?.property, "aEndVlan");
  });

  it("a new rate limit whose key the consumer can no longer see is left to the update; other refusals are the API's", async () => {
    const key = await makeKey(eastPort, { preApproved: true });
    const { inputs } = await check(key);
    const { id, outs } = (await captureLog(() => serviceKeyVxcProvider.create(inputs))).result;
    assert.ok(id);
    const news = { ...vxcProgram(westPort, key), rateLimit: 100 };
    await faults({ errorRate: 1, status: 403, methods: ["GET"], paths: ["/v2/service/key"] });
    forgetKeyLookUp(key);
    apiError(await rejection(() => serviceKeyVxcProvider.check({ ...outs }, news)), 403);
    await faults({});
    await resetEmulator(emulator); // the key is gone (no such key: 404)
    forgetKeyLookUp(key);
    assert.deepEqual((await serviceKeyVxcProvider.check({ ...outs }, news)).failures, []);
  });
});
