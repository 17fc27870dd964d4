/**
 * What a ServiceKey's check asks the API (provider/resources/serviceKeyPreview.ts) on the edges a
 * broken provider survived (issue 17): which refusal of a product look-up is a check failure and
 * which the API's error, the words of a taken VLAN, an adopted key that does not exist, and how
 * long a product look-up is shared.
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { forgetLookUps, NOT_THE_OWNER } from "../../provider/resources/serviceKeyPreview";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { MegaportApiError } from "../../sdk";
import * as implementation from "../../provider/implementation";
import {
  admin,
  emulatorConfig,
  fakeConfig,
  makeKey,
  rejection,
  requests,
  resetEmulator,
  startHarness,
  startRewritingProxy,
  stopHarness,
} from "./harness";

describe("ServiceKey check: the API's answers at preview", () => {
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

  const faults = (config: Record<string, unknown>) => admin(emulator, "POST", "/_emulator/faults", config);
  const check = (extra: Record<string, unknown> = {}) =>
    serviceKeyProvider.check({}, { productUid: eastPort, maxSpeed: 500, singleUse: false, account: "east", ...extra });
  const apiError = (error: Error, status: number) =>
    assert.ok(error instanceof MegaportApiError && error.status === status, String(error));

  it("a product the API does not know is named as such; another refusal gives the API's words", async () => {
    assert.deepEqual((await check({ productUid: "00000000-0000-4000-8000-00000000dead" })).failures, [
      { property: "productUid", reason: "productUid: no Port, MCR or MVE with this UID in this account" },
    ]);
    const foreign = (await check({ productUid: westPort })).failures;
    assert.equal(foreign.length, 1);
    assert.equal(foreign[0]?.property, "productUid");
    assert.ok(!/no Port, MCR or MVE/.test(foreign[0]?.reason ?? ""), foreign[0]?.reason);
  });

  it("a product look-up refused with a 400 is a failure in the API's words; a 5xx (500 too) is the API's error", async () => {
    await faults({ errorRate: 1, status: 400, methods: ["GET"], paths: [`/v2/product/${eastPort}`] });
    const refused = (await check()).failures;
    assert.equal(refused.length, 1);
    assert.equal(refused[0]?.property, "productUid");
    assert.ok(!/no Port, MCR or MVE/.test(refused[0]?.reason ?? ""), refused[0]?.reason);
    await faults({ errorRate: 1, status: 500, methods: ["GET"], paths: [`/v2/product/${eastPort}`] });
    apiError(await rejection(() => check()), 500);
  });

  it("a taken single-use VLAN is named with the product's name", async () => {
    await makeKey(eastPort, { singleUse: true, vlan: 150 });
    const { failures } = await check({ singleUse: true, vlan: 150 });
    assert.equal(failures.length, 1);
    assert.match(failures[0]?.reason ?? "", /^vlan: VLAN 150 is already in use on East Port 10G \(by an active single-use key\)/);
  });

  it("adopting a key that does not exist: `existingKey: no such service key`", async () => {
    const { failures } = await check({ existingKey: "00000000-0000-4000-8000-0000000000aa" });
    assert.deepEqual(failures, [{ property: "", reason: "existingKey: no such service key" }]);
  });

  it("adopting: the key's product refused with a 400 is not the owner; a 5xx (500 too) is the API's error", async () => {
    const key = await makeKey(eastPort);
    forgetLookUps(); // the adoption's preview: a new provider process
    await faults({ errorRate: 1, status: 400, methods: ["GET"], paths: [`/v2/product/${eastPort}`] });
    assert.deepEqual((await check({ existingKey: key })).failures, [{ property: "", reason: `existingKey: ${NOT_THE_OWNER}` }]);
    await faults({ errorRate: 1, status: 500, methods: ["GET"], paths: [`/v2/product/${eastPort}`] });
    apiError(await rejection(() => check({ existingKey: key })), 500);
  });

  it("adopting a key whose answer leaves preApproved out: not pre-approved, as declared by default", async () => {
    const key = await makeKey(eastPort);
    const proxy = await startRewritingProxy(emulator.url, ({ method, path }, body) => {
      const data = (body as { data?: unknown }).data;
      if (method === "GET" && path.startsWith("/v2/service/key") && typeof data === "object" && data !== null) {
        for (const item of Array.isArray(data) ? data : [data]) delete (item as Record<string, unknown>).preApproved;
      }
      return body;
    });
    implementation.configure(fakeConfig(emulatorConfig(emulator, { "megaport:baseUrl": proxy.url })));
    try {
      assert.deepEqual((await check({ existingKey: key })).failures, []);
    } finally {
      implementation.configure(fakeConfig(emulatorConfig(emulator)));
      await proxy.close();
    }
  });

  it("a product look-up is shared by the checks of a run for 30 seconds, then asked again", async () => {
    const productGets = async () =>
      (await requests(emulator)).filter((r) => r.method === "GET" && r.path === `/v2/product/${eastPort}` && r.status === 200).length; // not a 401 of a token the reset revoked
    await check();
    await check({ maxSpeed: 400 });
    assert.equal(await productGets(), 1, "shared");
    const now = Date.now;
    const later = now() + 31_000;
    Date.now = () => later;
    try {
      await check({ maxSpeed: 300 });
    } finally {
      Date.now = now;
    }
    assert.equal(await productGets(), 2, "asked again once the shared answer is 30 s old");
  });
});
