/**
 * ServiceKey off the happy path, against the emulator: what preview refuses before a key is made,
 * adopting a key made elsewhere without rewriting it, and a lost create answer next to keys this
 * request may not have made (docs/lifecycle.md, "ServiceKey").
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { serviceKeyId, serviceKeyProvider } from "../../provider/resources/serviceKey";
import { forgetClaims } from "../../provider/resources/reconcile";
import { forgetLookUps } from "../../provider/resources/serviceKeyPreview";
import { MegaportClient } from "../../sdk";
import { admin, captureLog, rejection, requests, resetEmulator, startHarness, stopHarness } from "./harness";

interface EmulatorKey {
  key: string;
  active: boolean;
  maxSpeed: number;
  preApproved: boolean | null;
  description: string | null;
  vlan: number | null;
}

describe("ServiceKey provider off the happy path", () => {
  let emulator: RunningEmulator;
  let owner: MegaportClient;
  let port1G: string;
  let port10G: string;
  let mcr: string;

  before(async () => {
    emulator = await startHarness();
    port1G = emulator.accounts.east?.products.port1G as string;
    port10G = emulator.accounts.east?.products.port10G as string;
    mcr = emulator.accounts.east?.products.mcr as string;
    owner = new MegaportClient({
      accessKey: emulator.accounts.east?.accessKey as string,
      secretKey: emulator.accounts.east?.secretKey as string,
      baseUrl: emulator.url,
    });
  });
  after(async () => {
    await owner.close();
    await stopHarness(emulator);
  });
  beforeEach(async () => {
    await resetEmulator(emulator);
    forgetLookUps(); // each test is a new `pulumi up` (a new provider process)
  });

  const keys = async () => (await admin<{ serviceKeys: EmulatorKey[] }>(emulator, "GET", "/_emulator/state")).serviceKeys;
  const declared = (extra: Record<string, unknown>) => ({
    productUid: port10G,
    maxSpeed: 500,
    vlan: 100,
    account: "east",
    resourceName: "east-key",
    ...extra,
  });

  describe("preview refuses what the API would, before any key exists", () => {
    it("maxSpeed above a port's speed, naming maxSpeed", async () => {
      const { failures } = await serviceKeyProvider.check({}, declared({ productUid: port1G, maxSpeed: 2000 }));
      assert.deepEqual(failures.map((f) => f.property), ["maxSpeed"]);
      assert.match(failures[0]?.reason ?? "", /^maxSpeed: 2000 exceeds the MEGAPORT speed of 1000 Mbps/);
      assert.equal((await keys()).length, 0);
    });

    it("maxSpeed above an MCR's maxVxcSpeed (a multi-use key)", async () => {
      const product = (await owner.products.get(mcr)) as { maxVxcSpeed: number | null };
      assert.ok(product.maxVxcSpeed !== null);
      const { failures } = await serviceKeyProvider.check(
        {},
        declared({ productUid: mcr, maxSpeed: product.maxVxcSpeed + 1, vlan: undefined, singleUse: false }),
      );
      assert.deepEqual(failures.map((f) => f.property), ["maxSpeed"]);
    });

    it("a VLAN held by another active single-use key, naming vlan", async () => {
      await owner.serviceKeys.create({ productUid: port10G, maxSpeed: 100, singleUse: true, vlan: 100, active: true });
      const { failures } = await serviceKeyProvider.check({}, declared({}));
      assert.deepEqual(failures.map((f) => f.property), ["vlan"]);
      assert.match(failures[0]?.reason ?? "", /VLAN 100 is already in use/);
      assert.equal((await keys()).length, 1, "no key was made by the check");
    });

    it("a VLAN used by a connection on the port (the port's VLAN availability)", async () => {
      // A key on VLAN 100, used by West's VXC; then deactivated: only the VXC holds the VLAN now.
      const key = await owner.serviceKeys.create({ productUid: port10G, maxSpeed: 100, singleUse: true, vlan: 100, active: true, preApproved: true });
      const consumer = new MegaportClient({
        accessKey: emulator.accounts.west?.accessKey as string,
        secretKey: emulator.accounts.west?.secretKey as string,
        baseUrl: emulator.url,
      });
      try {
        const aEnd = emulator.accounts.west?.products.port1G as string;
        await consumer.networkDesign.buy([
          {
            productUid: aEnd,
            associatedVxcs: [
              { productName: "holder", rateLimit: 100, term: 1, shutdown: false, serviceKey: key.key, aEnd: { productUid: aEnd }, bEnd: { productUid: port10G } },
            ],
          },
        ]);
      } finally {
        await consumer.close();
      }
      await owner.serviceKeys.update(key.key, { active: false });
      const { failures } = await serviceKeyProvider.check({}, declared({}));
      assert.deepEqual(failures.map((f) => f.property), ["vlan"]);
      assert.match(failures[0]?.reason ?? "", /by a connection/);
    });

    it("an unknown product, naming productUid", async () => {
      const { failures } = await serviceKeyProvider.check({}, declared({ productUid: "00000000-0000-4000-8000-00000000abcd" }));
      assert.deepEqual(failures.map((f) => f.property), ["productUid"]);
    });

    it("a replacement keeping its VLAN does not count its own key's VLAN as taken", async () => {
      const { inputs } = await serviceKeyProvider.check({}, declared({}));
      await serviceKeyProvider.create(inputs);
      const { failures } = await serviceKeyProvider.check(inputs, declared({ maxSpeed: 600 }));
      assert.deepEqual(failures, []);
      // The engine checks a diff-driven replacement once more, without the old inputs.
      const again = await serviceKeyProvider.check({}, declared({ maxSpeed: 600 }));
      assert.deepEqual(again.failures, []);
    });

    it("an unchanged key asks the API nothing; N new keys on one product share one product and key-list look-up", async () => {
      const { inputs } = await serviceKeyProvider.check({}, declared({}));
      await admin(emulator, "DELETE", "/_emulator/requests");
      assert.deepEqual((await serviceKeyProvider.check(inputs, declared({}))).failures, []);
      assert.equal((await requests(emulator)).filter((r) => !r.path.startsWith("/oauth2")).length, 0);
      await Promise.all(
        [201, 202, 203, 204].map((vlan) => serviceKeyProvider.check({}, declared({ productUid: port1G, maxSpeed: 100, vlan }))),
      );
      const calls = (await requests(emulator)).map((r) => `${r.method} ${r.path}`);
      assert.equal(calls.filter((c) => c === `GET /v2/product/${port1G}`).length, 1);
      assert.equal(calls.filter((c) => c === "GET /v2/service/key").length, 1);
    });
  });

  describe("adopting a key made elsewhere", () => {
    async function portalKey() {
      return owner.serviceKeys.create({
        productUid: port10G,
        maxSpeed: 200,
        singleUse: true,
        vlan: 150,
        active: true,
        preApproved: true,
        description: "made in the portal",
      });
    }

    it("fails at preview naming each property declared differently from the real key", async () => {
      const made = await portalKey();
      const { failures } = await serviceKeyProvider.check(
        {},
        declared({ existingKey: made.key, maxSpeed: 1000, vlan: 150, description: "made in the portal" }),
      );
      assert.deepEqual(failures.map((f) => f.property).sort(), ["maxSpeed", "preApproved"]);
      assert.match(failures.find((f) => f.property === "maxSpeed")?.reason ?? "", /existing key has maxSpeed 200/);
      assert.ok(!JSON.stringify(failures).includes(made.key.slice(0, 8)));
    });

    it("refuses at preview and at create to adopt another company's key, whatever is declared", async () => {
      const made = await portalKey();
      const news = declared({ account: "west", existingKey: made.key, maxSpeed: 200, vlan: 150, preApproved: true, description: "made in the portal" });
      const { failures } = await serviceKeyProvider.check({}, news);
      assert.deepEqual(failures.length, 1);
      assert.match(failures[0]?.reason ?? "", /^existingKey: the service key belongs to a product of another company/);
      const error = await rejection(() => serviceKeyProvider.create({ ...news, singleUse: true, active: false }));
      assert.equal(error.code, "ERR_SERVICE_KEY_NOT_OWNER");
      assert.equal((await keys()).find((k) => k.key === made.key)?.active, true, "the key was not touched");
    });

    it("create refuses a mismatch too (values unknown at preview) and writes nothing", async () => {
      const made = await portalKey();
      await admin(emulator, "DELETE", "/_emulator/requests");
      const error = await rejection(() =>
        serviceKeyProvider.create(declared({ existingKey: made.key, maxSpeed: 1000, singleUse: true, preApproved: true, active: true, vlan: 150, description: "made in the portal" })),
      );
      assert.equal(error.code, "ERR_SERVICE_KEY_MISMATCH");
      assert.match(error.message, /^maxSpeed: /);
      assert.ok(!(await requests(emulator)).some((r) => r.method === "PUT"));
    });

    it("reports the real key's values, and delete changes nothing but active", async () => {
      const made = await portalKey();
      const news = declared({ existingKey: made.key, maxSpeed: 200, vlan: 150, preApproved: true, description: "made in the portal" });
      const { inputs, failures } = await serviceKeyProvider.check({}, news);
      assert.deepEqual(failures, []);
      const { id, outs } = await serviceKeyProvider.create(inputs);
      assert.equal(id, serviceKeyId(made.key));
      assert.equal(outs.maxSpeed, 200);
      assert.equal(outs.preApproved, true);
      // `pulumi destroy` runs in a provider process of its own: nothing of this create's is claimed
      // there (in the process that adopted it, a delete is the old half of a replace: not deactivated).
      forgetClaims();
      await captureLog(() => serviceKeyProvider.delete(id, { ...outs }));
      const after = (await keys()).find((k) => k.key === made.key);
      assert.ok(after);
      const { active, maxSpeed, preApproved, description, vlan } = after;
      assert.deepEqual(
        { active, maxSpeed, preApproved, description, vlan },
        { active: false, maxSpeed: 200, preApproved: true, description: "made in the portal", vlan: 150 },
      );
    });
  });

  describe("a lost create answer", () => {
    const loseCreates = () =>
      admin(emulator, "POST", "/_emulator/faults", { lostResponseRate: 1, paths: ["/v2/service/key"], methods: ["POST"] });
    const noFaults = () => admin(emulator, "POST", "/_emulator/faults", {});

    it("never adopts an identical key made by someone else just before the request", async () => {
      const { inputs } = await serviceKeyProvider.check({}, declared({ singleUse: false, vlan: undefined }));
      // Made elsewhere (another stack, the portal) a moment before this create.
      const foreign = await owner.serviceKeys.create({ productUid: port10G, maxSpeed: 500, singleUse: false, active: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await loseCreates();
      const error = await rejection(() => serviceKeyProvider.create(inputs)).finally(noFaults);
      assert.equal(error.code, "ERR_SERVICE_KEY_CREATE_AMBIGUOUS");
      assert.ok(error.message.includes(serviceKeyId(foreign.key)), "the candidates are listed by their id");
      assert.match(error.message, /adopt it \(existingKey\) or deactivate it/);
      assert.ok(!error.message.includes(foreign.key.slice(0, 8)));
      const all = await keys();
      assert.equal(all.length, 2, "the foreign key and the one the lost create made");
      assert.ok(all.every((k) => k.active), "nothing was deactivated");
    });

    it("adopts the one key made after the request started", async () => {
      const { inputs } = await serviceKeyProvider.check({}, declared({ singleUse: false, vlan: undefined }));
      await loseCreates();
      const { outs } = await serviceKeyProvider.create(inputs).finally(noFaults);
      const all = await keys();
      assert.equal(all.length, 1);
      assert.equal(all[0]?.key, outs.key);
    });
  });
});

