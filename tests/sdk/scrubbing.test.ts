/**
 * An API error that repeats the request's service key (the emulator's `echoKey` fault) reaches the
 * caller scrubbed: in its message, `apiMessage`, `data` (string or list form), JSON form and stack.
 */
import assert from "node:assert/strict";
import { MegaportApiError, type MegaportClient, type VxcOrder } from "../../sdk";
import { Harness } from "./harness";

/** Runs `fn`, which must reject with a MegaportApiError; returns it. */
async function apiError(fn: () => Promise<unknown>): Promise<MegaportApiError> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof MegaportApiError, `a MegaportApiError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected an API error");
}

/** Every form a caller (or a log line) can turn the error into. */
function everyForm(error: MegaportApiError): string[] {
  return [error.message, error.apiMessage, JSON.stringify(error.data), JSON.stringify(error), String(error), error.stack ?? ""];
}

/** Asserts no form of the error holds the key or its 8-character prefix, and that the echo arrived. */
function assertScrubbed(error: MegaportApiError, key: string): void {
  for (const form of everyForm(error)) {
    assert.ok(!form.includes(key), `the key leaked: ${form.replaceAll(key, "<KEY>")}`);
    assert.ok(!form.includes(key.slice(0, 8)), `the key's prefix leaked: ${form.replaceAll(key.slice(0, 8), "<PREFIX>")}`);
  }
  // The fault did echo it: the scrubbed texts show where.
  assert.match(error.apiMessage, / for key \[REDACTED\] \[\[REDACTED\]\]$/);
}

describe("sdk: API errors that echo a service key are scrubbed", () => {
  let harness: Harness;
  let owner: MegaportClient;
  let consumer: MegaportClient;
  let key: string;

  before(async () => {
    harness = await Harness.start();
  });
  beforeEach(async () => {
    await harness.reset();
    owner = harness.client(harness.east);
    consumer = harness.client(harness.west);
    key = (
      await owner.serviceKeys.create({
        productUid: harness.east.products.port1G,
        maxSpeed: 200,
        singleUse: false,
        active: true,
      })
    ).key;
  });
  after(async () => harness.close());

  function order(): VxcOrder[] {
    return [
      {
        productUid: harness.west.products.port1G,
        associatedVxcs: [
          {
            productName: "echo",
            rateLimit: 100,
            term: 1,
            shutdown: false,
            serviceKey: key,
            aEnd: { productUid: harness.west.products.port1G },
            bEnd: { productUid: harness.east.products.port1G },
          },
        ],
      },
    ];
  }

  it("a look-up refused with the key in message and string data", async () => {
    await harness.faults({ errorRate: 1, status: 403, echoKey: "string", paths: ["/v2/service/key"] });
    const error = await apiError(() => consumer.serviceKeys.get(key));
    assert.equal(error.status, 403);
    assert.equal(error.data, "service key [REDACTED] was refused; key prefix [REDACTED] (Access denied)");
    assertScrubbed(error, key);
  });

  it("a look-up by the 8-character prefix refused with the prefix echoed", async () => {
    await harness.faults({ errorRate: 1, status: 403, echoKey: "string", paths: ["/v2/service/key"] });
    const error = await apiError(() => consumer.serviceKeys.get(key.slice(0, 8)));
    for (const form of everyForm(error)) assert.ok(!form.includes(key.slice(0, 8)), "the prefix leaked");
    assert.match(error.apiMessage, /for key \[REDACTED\]/);
  });

  it("an update refused with the key in a list of {error}", async () => {
    await harness.faults({ errorRate: 1, status: 400, echoKey: "list", methods: ["PUT"], paths: ["/v2/service/key"] });
    const error = await apiError(() => owner.serviceKeys.update(key, { active: false }));
    assert.deepEqual(error.data, [
      { error: "service key [REDACTED] was refused" },
      { error: "key prefix [REDACTED] (The request was refused)" },
    ]);
    assertScrubbed(error, key);
  });

  it("a consumer's validate and buy refused with the order's key echoed (string and list)", async () => {
    await harness.faults({ errorRate: 1, status: 400, echoKey: "list", paths: ["/v3/networkdesign/validate"] });
    assertScrubbed(await apiError(() => consumer.networkDesign.validate(order())), key);
    await harness.faults({ errorRate: 1, status: 400, echoKey: "string", paths: ["/v4/networkdesign/buy"] });
    const buy = await apiError(() => consumer.networkDesign.buy(order()));
    assert.equal(buy.status, 400);
    assertScrubbed(buy, key);
  });
});
