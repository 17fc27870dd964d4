import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { EngineRun } from "../e2e/engineRun";
import { type EmulatorState, emulatorState, reliabilityFixture } from "./harness";

/** What West must not be able to change: East's keys, every VXC's status and every approval. */
function ownedThings(state: EmulatorState, eastUid: string) {
  return {
    eastKeys: state.serviceKeys
      .filter((k) => k.companyUid === eastUid)
      .map((k) => ({ key: k.key, active: k.active, maxSpeed: k.maxSpeed, vlan: k.vlan }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    vxcs: state.vxcs.map((v) => ({
      uid: v.productUid,
      status: v.provisioningStatus,
      rateLimit: v.rateLimit,
    })),
    approvals: state.approvals.map((a) => ({ uid: a.uid, status: a.status })),
  };
}

// Issue 8 §5: the consumer (West) cannot update, deactivate or approve anything of the owner's
// (East), whichever way it tries through the provider: its own resources aimed at East's things, or
// East's resources run with West's credentials. Each attempt fails with a clear error and changes
// nothing in the emulator.
describe("reliability: tenancy between the owner and the consumer", function () {
  this.timeout(240_000);
  let run: EngineRun;
  let stack: Stack;
  let eastUid: string;

  const snapshot = async () => ownedThings(await emulatorState(run), eastUid);

  /** Runs an up that must fail, and returns its error text. */
  async function failingUp(): Promise<string> {
    const error = await run.up(stack).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(error, "the up failed");
    for (const secret of await run.secrets()) {
      assert.ok(!error.message.includes(secret), "no key or credential in the error");
    }
    return error.message;
  }

  before(async () => {
    run = await EngineRun.start({ provisioningDelayMs: 50 });
    const { east, west } = run.emulator.accounts;
    eastUid = east.companyUid;
    stack = await run.stack(reliabilityFixture("tenancy"), "tenancy", {
      ...run.accountsConfig({ owner: "east", consumer: "west" }),
      ownerProductUid: { value: east.products.port10G },
      consumerProductUid: { value: west.products.port1G },
    });
  });
  after(async () => run.close());

  it("sets up East's key and West's order, waiting for East's approval", async () => {
    const up = await run.up(stack);
    assert.equal(up.outputs.approvalStatus.value, "PENDING_EXTERNAL");
    const state = await emulatorState(run);
    assert.deepEqual(
      state.approvals.map((a) => a.status),
      ["PENDING"],
    );
  });

  it("West cannot approve the order it made with East's key", async () => {
    const before = await snapshot();
    await stack.setConfig("attempt", { value: "approve" });
    const message = await failingUp();
    assert.match(message, /west-approves/);
    assert.match(
      message,
      /productUid: this order was not made with one of this account's service keys: only the key owner can approve or reject it/,
    );
    assert.deepEqual(await snapshot(), before, "nothing changed");
  });

  it("West cannot adopt East's key to deactivate it", async () => {
    const before = await snapshot();
    await stack.setConfig("attempt", { value: "adopt" });
    const message = await failingUp();
    assert.match(message, /west-adopts/);
    // The consumer's look-up finds the key, but its product is not West's: refused at check,
    // before the deactivating PUT (which the API would refuse with a 403 anyway).
    assert.match(message, /existingKey: the service key belongs to a product of another company: only the key's owner can adopt/);
    assert.deepEqual(await snapshot(), before, "nothing changed");
  });

  it("West cannot issue a key on East's port", async () => {
    const before = await snapshot();
    await stack.setConfig("attempt", { value: "keyOnOwnersPort" });
    const message = await failingUp();
    assert.match(message, /west-key-on-east-port/);
    // Refused at check by the product look-up (the API's own 403 text), before any POST.
    assert.match(message, /productUid: You do not have permission to access this service/);
    assert.deepEqual(await snapshot(), before, "nothing changed");
    await stack.removeConfig("attempt");
  });

  it("East's key, run with West's credentials, cannot be deactivated by an update", async () => {
    const before = await snapshot();
    const { west } = run.emulator.accounts;
    // The account named `owner` now holds West's API key: same stack, wrong credentials.
    await stack.setConfig("megaport:accounts", {
      value: JSON.stringify({
        owner: { accessKey: west.accessKey, secretKey: west.secretKey },
        consumer: { accessKey: west.accessKey, secretKey: west.secretKey },
      }),
      secret: true,
    });
    await stack.setConfig("keyActive", { value: "false" });
    const message = await failingUp();
    assert.match(message, /east-key/);
    assert.deepEqual(await snapshot(), before, "nothing changed");
  });

  // The engine keeps the dynamic provider's configuration (the stack config, credentials
  // included, encrypted) in the state, and destroy and refresh configure the provider from the
  // state, not from the current stack config. So once the right credentials are back in the
  // config, an `up` must run before `destroy` uses them.
  it("nor by destroy; with East's credentials back, up then destroy deactivates it", async () => {
    const before = await snapshot();
    const error = await run.destroy(stack).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(error, "destroy failed");
    assert.match(error.message, /east-key/);
    assert.deepEqual((await snapshot()).eastKeys, before.eastKeys, "East's key is untouched");

    await stack.setAllConfig({
      ...run.accountsConfig({ owner: "east", consumer: "west" }),
      keyActive: { value: "true" },
    });
    await run.up(stack);
    await run.destroy(stack);
    const after = await snapshot();
    assert.deepEqual(
      after.eastKeys.map((k) => k.active),
      [false],
    );
  });
});
