import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { MegaportClient, type ServiceKey } from "../../sdk";
import { EngineRun, fixture } from "./engineRun";

/** A key as the emulator holds it, with the fields adoption must never rewrite. */
interface HeldKey {
  key: string;
  active: boolean;
  maxSpeed: number;
  preApproved: boolean | null;
  description: string | null;
  vlan: number | null;
}

// A key made in the portal, adopted on the real engine: preview refuses a program that declares it
// differently; adopted, it reports its real values; `up --replace` never leaves it deactivated; and
// destroy changes nothing but `active`. Then a new key that the API would refuse fails at preview
// with no key made (docs/lifecycle.md, "ServiceKey").
describe("e2e: ServiceKey adoption and preview-time API checks", function () {
  this.timeout(300_000);
  let run: EngineRun;
  let stack: Stack;
  let portal: ServiceKey;

  const held = async (): Promise<HeldKey> => {
    const state = await run.admin<{ serviceKeys: HeldKey[] }>("GET", "state");
    const key = state.serviceKeys.find((k) => k.key === portal.key);
    assert.ok(key);
    return key;
  };
  const keyPuts = async () =>
    (await run.admin<{ method: string; path: string }[]>("GET", "requests")).filter(
      (r) => r.method === "PUT" && r.path === "/v2/service/key",
    ).length;

  before(async () => {
    run = await EngineRun.start();
    const east = run.emulator.accounts.east;
    const owner = new MegaportClient({ accessKey: east.accessKey, secretKey: east.secretKey, baseUrl: run.emulator.url });
    portal = await owner.serviceKeys
      .create({
        productUid: east.products.port10G,
        maxSpeed: 200,
        singleUse: true,
        vlan: 150,
        active: true,
        preApproved: true,
        description: "made in the portal",
      })
      .finally(() => owner.close());
    stack = await run.stack(fixture("service-key-adopt"), "adopt", {
      ...run.accountsConfig({ owner: "east" }),
      portUid: { value: east.products.port10G },
      existingKey: { value: portal.key, secret: true },
      maxSpeed: { value: "1000" },
      preApproved: { value: "false" },
    });
  });
  after(async () => run.close());

  it("preview refuses a program that declares the key differently, naming each property", async () => {
    const refused = await run.preview(stack).then(
      () => assert.fail("preview passed"),
      (error: Error) => error.message,
    );
    assert.match(refused, /maxSpeed: the existing key has maxSpeed 200/);
    assert.match(refused, /preApproved: the existing key has preApproved true/);
    await assert.rejects(() => run.up(stack), /maxSpeed: the existing key has maxSpeed 200/);
    assert.equal(await keyPuts(), 0, "nothing was written to the key");
    const key = await held();
    assert.deepEqual([key.active, key.maxSpeed, key.preApproved], [true, 200, true]);
  });

  it("adopts the key declared as it is and reports its real values; a second preview is clean", async () => {
    await stack.setConfig("maxSpeed", { value: "200" });
    await stack.setConfig("preApproved", { value: "true" });
    const up = await run.up(stack);
    assert.equal(up.summary.resourceChanges?.create, 1, "the key (the refused up made the stack)");
    assert.equal(up.outputs.maxSpeed.value, 200);
    assert.equal(up.outputs.preApproved.value, true);
    assert.deepEqual((await run.preview(stack)).changeSummary, { same: 2 });
  });

  it("up --replace deactivates first and re-adopts: the key ends active and managed", async () => {
    const [resource] = await run.resources(stack, "ServiceKey");
    assert.ok(resource);
    const up = await run.up(stack, { replace: [(resource as unknown as { urn: string }).urn] });
    assert.equal(up.summary.resourceChanges?.replace, 1);
    assert.equal((await held()).active, true, "the key its replacement holds is active");
    const [after] = await run.resources(stack, "ServiceKey");
    assert.equal(after?.id, resource.id, "the same key, adopted again");
    assert.equal(after?.outputs.active, true);
    assert.deepEqual((await run.preview(stack)).changeSummary, { same: 2 });
  });

  it("destroy changes nothing but active, and nothing leaked", async () => {
    await run.assertNoSecretsLeaked(stack);
    await run.destroy(stack);
    const key = await held();
    assert.deepEqual(
      { active: key.active, maxSpeed: key.maxSpeed, preApproved: key.preApproved, description: key.description, vlan: key.vlan },
      { active: false, maxSpeed: 200, preApproved: true, description: "made in the portal", vlan: 150 },
    );
  });

  it("a new key above the port's speed fails at preview and at up, with no key made", async () => {
    const keysBefore = (await run.state()).serviceKeys.length;
    const lifecycle = await run.stack(fixture("service-key-lifecycle"), "too-fast", {
      ...run.accountsConfig({ owner: "east" }),
      portUid: { value: run.emulator.accounts.east.products.port1G },
      maxSpeed: { value: "2000" },
      active: { value: "true" },
    });
    await assert.rejects(() => run.preview(lifecycle), /maxSpeed: 2000 exceeds the MEGAPORT speed of 1000 Mbps/);
    await assert.rejects(() => run.up(lifecycle), /maxSpeed: 2000 exceeds/);
    assert.equal((await run.state()).serviceKeys.length, keysBefore);
  });
});
