import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const registered: Registered[] = [];

/** The options a resource was registered with, seen through a transformation. */
function optionsSeen(): { opts: pulumi.CustomResourceOptions; capture: pulumi.ResourceTransformation } {
  const seen = { opts: {} as pulumi.CustomResourceOptions };
  return {
    get opts() {
      return seen.opts;
    },
    capture: (args) => {
      seen.opts = args.opts as pulumi.CustomResourceOptions;
      return undefined;
    },
  };
}

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("resource classes under pulumi.runtime mocks", () => {
  let provider: typeof import("../../provider");

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs });
          const state: Record<string, unknown> = { ...args.inputs };
          if (args.type.endsWith(":ServiceKey")) state.key = "11111111-2222-3333-4444-555555555555";
          return { id: `${args.name}-id`, state };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );
    provider = await import("../../provider");
  });
  // Each test reads the registrations it made: a runner that runs the tests again in one process
  // (StrykerJS) must not find an earlier run's.
  beforeEach(() => {
    registered.length = 0;
  });

  it("ServiceKey: type token, defaults left to check, secret existingKey and key", async () => {
    const seen = optionsSeen();
    const key = new provider.ServiceKey(
      "east-key",
      {
        productUid: "port-1",
        maxSpeed: 500,
        vlan: 100,
        validFor: { end: new Date("2030-01-01T00:00:00Z") },
        existingKey: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
      },
      { transformations: [seen.capture] },
    );
    assert.equal(await promiseOf(key.key), "11111111-2222-3333-4444-555555555555");
    assert.deepEqual(seen.opts.additionalSecretOutputs, ["key", "existingKey"]);
    assert.equal(await pulumi.isSecret(key.existingKey), true);
    const entry = registered.find((r) => r.name === "east-key");
    assert.equal(entry?.type, "pulumi-nodejs:dynamic/megaport:ServiceKey");
    assert.equal(typeof entry?.inputs.__provider, "string");
    assert.equal(entry?.inputs.resourceName, "east-key");
    assert.deepEqual(entry?.inputs.validFor, { end: "2030-01-01T00:00:00.000Z" });
    const existing = entry?.inputs.existingKey as Record<string, unknown>;
    assert.equal(existing[SECRET_SIG] !== undefined, true, "existingKey is sent as a secret");
    assert.equal(entry?.inputs.singleUse, undefined, "defaults are applied by check, not the class");
  });

  it("ServiceKeyVxc: type token and a secret serviceKey in and out", async () => {
    const seen = optionsSeen();
    const vxc = new provider.ServiceKeyVxc(
      "west-vxc",
      {
        serviceKey: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        aEndProductUid: "port-2",
        name: "West to East",
        rateLimit: 500,
      },
      { transformations: [seen.capture] },
    );
    // The engine keeps the output secret only because of this option (the mocks do not apply it).
    assert.deepEqual(seen.opts.additionalSecretOutputs, ["serviceKey"]);
    assert.equal(await pulumi.isSecret(vxc.serviceKey), true, "a secret input stays secret");
    assert.equal(await promiseOf(vxc.rateLimit), 500);
    const entry = registered.find((r) => r.name === "west-vxc");
    assert.equal(entry?.type, "pulumi-nodejs:dynamic/megaport:ServiceKeyVxc");
    const sent = (entry?.inputs.serviceKey ?? {}) as Record<string, unknown>;
    assert.equal(sent[SECRET_SIG] !== undefined, true, "serviceKey is sent as a secret");
  });

  it("VxcOrderApproval: type token, and serviceKey secret when given", async () => {
    const seen = optionsSeen();
    const approval = new provider.VxcOrderApproval(
      "east-approval",
      { serviceKey: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", decision: "approve" },
      { transformations: [seen.capture] },
    );
    assert.deepEqual(seen.opts.additionalSecretOutputs, ["serviceKey"]);
    assert.equal(await promiseOf(approval.decision), "approve");
    assert.equal(await pulumi.isSecret(approval.serviceKey), true);
    const entry = registered.find((r) => r.name === "east-approval");
    assert.equal(entry?.type, "pulumi-nodejs:dynamic/megaport:VxcOrderApproval");
  });

  it("merges the user's additionalSecretOutputs with the class's", async () => {
    const seen = optionsSeen();
    const key = new provider.ServiceKey(
      "merged",
      { productUid: "p", maxSpeed: 1, description: "d" },
      { additionalSecretOutputs: ["description"], transformations: [seen.capture] },
    );
    assert.equal(await promiseOf(key.maxSpeed), 1);
    assert.deepEqual([...(seen.opts.additionalSecretOutputs ?? [])].sort(), [
      "description",
      "existingKey",
      "key",
    ]);
  });
  it("ServiceKey: validFor as Dates, Promises and Outputs reaches check as ISO strings", async () => {
    const start = new Date("2030-01-01T00:00:00Z");
    const end = new Date("2031-01-01T00:00:00Z");
    const forms: [string, unknown][] = [
      ["dates", { start, end }],
      // An Output cannot carry a Date (pulumi.output and apply flatten it to {}): Outputs of strings.
      ["outputs", { start: pulumi.output("2030-01-01T00:00:00.000Z"), end: pulumi.output("2031-01-01T00:00:00.000Z") }],
      ["promises", { start: Promise.resolve(start), end: Promise.resolve(end) }],
      ["one-output", pulumi.output({ start: "2030-01-01T00:00:00.000Z", end: "2031-01-01T00:00:00.000Z" })],
      ["one-promise", Promise.resolve({ start: "2030-01-01T00:00:00.000Z", end })],
    ];
    for (const [name, validFor] of forms) {
      const key = new provider.ServiceKey(name, { productUid: "p", maxSpeed: 1, validFor: validFor as never });
      await promiseOf(key.maxSpeed);
      const entry = registered.find((r) => r.name === name);
      assert.deepEqual(entry?.inputs.validFor, { start: "2030-01-01T00:00:00.000Z", end: "2031-01-01T00:00:00.000Z" }, name);
    }
    const open = new provider.ServiceKey("open", { productUid: "p", maxSpeed: 1, validFor: Promise.resolve({ end }) });
    await promiseOf(open.maxSpeed);
    assert.deepEqual(registered.find((r) => r.name === "open")?.inputs.validFor, { end: "2031-01-01T00:00:00.000Z" });
  });

  it("ServiceKey: an adopted key is replaced delete-first; a new key keeps the engine's order and sends no existingKey", async () => {
    const adopted = optionsSeen();
    const a = new provider.ServiceKey(
      "adopted",
      { productUid: "p", maxSpeed: 1, existingKey: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" },
      { transformations: [adopted.capture] },
    );
    await promiseOf(a.maxSpeed);
    assert.equal(adopted.opts.deleteBeforeReplace, true);
    const created = optionsSeen();
    const b = new provider.ServiceKey("created", { productUid: "p", maxSpeed: 1 }, { transformations: [created.capture] });
    await promiseOf(b.maxSpeed);
    assert.equal(created.opts.deleteBeforeReplace, undefined);
    assert.equal(registered.find((r) => r.name === "created")?.inputs.existingKey, undefined);
  });

  it("ServiceKeyVxc and VxcOrderApproval: identity inputs from the stack and name; no serviceKey when none is given", async () => {
    const vxc = new provider.ServiceKeyVxc("named-vxc", { serviceKey: "k".repeat(36), aEndProductUid: "p", name: "n", rateLimit: 1 });
    await promiseOf(vxc.rateLimit);
    const sent = registered.find((r) => r.name === "named-vxc")?.inputs;
    assert.deepEqual([sent?.resourceName, sent?.orderIdentity], ["named-vxc", "project/stack/named-vxc"]);
    const approval = new provider.VxcOrderApproval("by-uid", { productUid: "vxc-1", decision: "reject" });
    await promiseOf(approval.decision);
    const entry = registered.find((r) => r.name === "by-uid");
    assert.equal(entry?.type, "pulumi-nodejs:dynamic/megaport:VxcOrderApproval");
    assert.deepEqual([entry?.inputs.serviceKey, entry?.inputs.resourceName], [undefined, "by-uid"]);
  });
});
