/**
 * The read-only functions of the provider plugin (provider/resources/functions.ts) against the
 * emulator, on the edges a broken provider survived (issue 17): dates as ISO text, the flags an
 * answer leaves out, a rate limit sent as text, argument errors without a path, and more than one
 * page of pending orders.
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import * as implementation from "../../provider/implementation";
import { getPendingOrders, getServiceKeys } from "../../provider/resources/functions";
import { serviceKeyId } from "../../provider/resources/serviceKey";
import { buildOrder } from "../../provider/resources/vxcOrders";
import { serviceKeyVxcInputsSchema } from "../../provider/resources/serviceKeyVxcInputs";
import { MegaportClient } from "../../sdk";
import {
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

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("provider functions: getServiceKeys and getPendingOrders", () => {
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

  /** Runs `task` with the provider talking to the emulator through a proxy that rewrites its answers. */
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

  /** `count` orders by West with one East key that needs approval, bought through the SDK. */
  async function pendingOrders(count: number): Promise<void> {
    const key = await makeKey(eastPort, { preApproved: false });
    const west = emulator.accounts.west;
    const client = new MegaportClient({ baseUrl: emulator.url, accessKey: west.accessKey, secretKey: west.secretKey });
    try {
      for (let i = 0; i < count; i++) {
        const inputs = serviceKeyVxcInputsSchema.parse(vxcProgram(westPort, key, { name: `order ${i}`, rateLimit: 10 + i }));
        await client.networkDesign.buy([buildOrder(inputs, eastPort)]);
      }
    } finally {
      await client.close();
    }
  }

  it("describes a key of the product asked for: its dates as ISO text, its VLAN and description, and false for the flags an answer leaves out", async () => {
    const key = await makeKey(eastPort, {
      singleUse: true,
      vlan: 120,
      description: "for West",
      validFor: { end: new Date(Date.now() + 86_400_000).toISOString() },
    });
    await makeKey(emulator.accounts.east?.products.port1G as string);
    const { keys } = await getServiceKeys({ account: "east", productUid: eastPort });
    assert.equal(keys.length, 1, "only the keys of that product");
    const [listed] = keys;
    assert.equal(listed?.importId, serviceKeyId(key));
    assert.match(listed?.createDate ?? "", ISO);
    assert.match(listed?.validFrom ?? "", ISO);
    assert.match(listed?.validUntil ?? "", ISO);
    assert.equal(listed?.lastUsed, null, "never used");
    assert.deepEqual([listed?.vlan, listed?.description], [120, "for West"]);
    assert.deepEqual([listed?.preApproved, listed?.valid, listed?.expired], [false, true, false]);
    const stripped = await throughProxy(
      ({ method, path }, body) => {
        const data = (body as { data?: unknown }).data;
        if (method === "GET" && path.startsWith("/v2/service/key") && Array.isArray(data)) {
          for (const item of data as Record<string, unknown>[]) {
            delete item.preApproved;
            delete item.valid;
            delete item.expired;
            delete item.validFor;
          }
        }
        return body;
      },
      () => getServiceKeys({ account: "east", productUid: eastPort }),
    );
    const [bare] = stripped.keys;
    assert.deepEqual([bare?.preApproved, bare?.valid, bare?.expired], [false, false, false]);
    assert.deepEqual([bare?.validFrom, bare?.validUntil], [null, null]);
  });

  it("names an argument error without a path `arguments`", async () => {
    const error = await rejection(() => getServiceKeys({ account: "east", product: eastPort }));
    assert.match(error.message, /^arguments: /);
    const both = await rejection(() => getServiceKeys({ account: 7, productUid: 5 }));
    assert.match(both.message, /^productUid: [^;]+; account: /);
  });

  it("reads a rate limit sent as text, none for blank text or none at all, and only orders still pending", async () => {
    await pendingOrders(2);
    let rewrite: (item: { status: string; detail: unknown }, index: number) => void = () => undefined;
    const orders = () =>
      throughProxy(
        ({ method, path }, body) => {
          const data = (body as { data?: unknown }).data;
          if (method === "GET" && path === "/v3/order_approvals" && Array.isArray(data)) data.forEach(rewrite);
          return body;
        },
        async () => (await getPendingOrders({ account: "east" })).orders.map((o) => [o.vxcProductUid === null, o.rateLimit]),
      );
    const rateLimit = (value: unknown) => (item: { detail: unknown }) => {
      for (const request of (item.detail as { productRequest: Record<string, unknown>[] }).productRequest) {
        if (value === undefined) delete request.rateLimit;
        else request.rateLimit = value;
      }
    };
    rewrite = rateLimit("42");
    assert.deepEqual(await orders(), [[false, 42], [false, 42]]);
    for (const blank of ["", " ", undefined, true]) {
      rewrite = rateLimit(blank);
      assert.deepEqual(await orders(), [[false, null], [false, null]], String(blank));
    }
    rewrite = (item, index) => {
      if (index === 0) item.detail = null;
      else item.detail = { productRequest: [] };
    };
    assert.deepEqual(await orders(), [[true, null], [true, null]], "an approval that does not say which VXC");
    rewrite = (item, index) => {
      if (index === 0) item.status = "APPROVED";
    };
    assert.equal((await orders()).length, 1, "an approval already decided is not pending");
  });

  it("reads every page of pending orders (more than 100)", async function () {
    this.timeout(60_000);
    await pendingOrders(101);
    const listed = async () =>
      (await requests(emulator)).filter((r) => r.path === "/v3/order_approvals" && r.status === 200).length;
    const before = await listed();
    const { orders } = await getPendingOrders({ account: "east" });
    assert.equal((await listed()) - before, 2, "two pages of 100, no request for a third");
    assert.equal(orders.length, 101);
    assert.deepEqual(
      orders.map((o) => o.rateLimit).sort((a, b) => (a ?? 0) - (b ?? 0)),
      Array.from({ length: 101 }, (_, i) => 10 + i),
    );
    assert.ok(orders.every((o) => ISO.test(o.createDate ?? "")));
  });
});
