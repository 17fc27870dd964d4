/**
 * The provider plugin's adapter (provider/plugin/provider.ts) on the edges a broken adapter survived
 * (issue 17): configuration as Configure sends it (typed, secret, unknown, or only in the
 * variables), secrets nested in objects and lists, URNs, unknown types, import by a bare id, a
 * resource that is gone, and a partial failure's state.
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import * as implementation from "../../provider/implementation";
import { conceal, parseUrn, pluginProvider, reveal } from "../../provider/plugin/provider";
import { UNKNOWN_VALUE } from "../../provider/resources/checkFailures";
import { forgetClaims } from "../../provider/resources/reconcile";
import { serviceKeyId } from "../../provider/resources/serviceKey";
import { admin, emulatorConfig, fakeConfig, makeKey, rejection, resetEmulator, startHarness, stopHarness } from "./harness";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({ [SIG]: SECRET, value });
const urn = (type: string, name: string) => `urn:pulumi:dev::onboarding::megaport-service-keys:index:${type}::${name}`;

describe("provider plugin adapter: configuration, secrets, URNs and reads", () => {
  let emulator: RunningEmulator;
  let eastPort: string;
  let westPort: string;
  const plugin = pluginProvider();

  before(async () => {
    emulator = await startHarness();
    eastPort = emulator.accounts.east?.products.port10G as string;
    westPort = emulator.accounts.west?.products.port10G as string;
  });
  after(async () => stopHarness(emulator));
  beforeEach(async () => {
    await resetEmulator(emulator);
    implementation.configure(fakeConfig(emulatorConfig(emulator)));
  });

  it("takes Configure's typed arguments and variables: secrets unwrapped, unknown and null as unset, objects as JSON", async () => {
    const west = emulator.accounts.west;
    const east = emulator.accounts.east;
    await makeKey(eastPort);
    await makeKey(westPort, { account: "west" });
    plugin.configure(
      {
        accessKey: west.accessKey,
        secretKey: secret(west.secretKey),
        environment: UNKNOWN_VALUE,
        tokenUrl: null,
        accounts: { east: { accessKey: east.accessKey, secretKey: east.secretKey } },
        acceptPurchaseTerms: true,
      },
      { "megaport-service-keys:baseUrl": emulator.url },
    );
    const listed = async (args: Record<string, unknown>) =>
      ((await plugin.invoke!("megaport-service-keys:index:getServiceKeys", args)).outputs as { keys: { productUid: string }[] }).keys.map(
        (k) => k.productUid,
      );
    assert.deepEqual(await listed({}), [westPort], "the default account is West's, with its secret key unwrapped");
    assert.deepEqual(await listed({ account: "east" }), [eastPort], "the accounts object arrived as JSON");
    plugin.configure(
      { baseUrl: emulator.url, accessKey: west.accessKey, secretKey: west.secretKey, environment: null, tokenUrl: null },
      {},
    );
    assert.deepEqual(await listed({}), [westPort], "null is unset, not the text `null`");
  });

  it("reveals secrets at any depth and names the top-level property; conceals only values that are there", () => {
    const { values, secrets } = reveal({
      plain: "a",
      timeouts: { create: secret("5m") },
      list: ["x", secret("y")],
      wrapped: secret(secret("z")),
    });
    assert.deepEqual(values, { plain: "a", timeouts: { create: "5m" }, list: ["x", "y"], wrapped: "z" });
    assert.deepEqual([...secrets].sort(), ["list", "timeouts", "wrapped"]);
    assert.deepEqual(reveal(undefined), { values: {}, secrets: new Set() });
    assert.deepEqual(conceal({ a: null, b: undefined, c: 0 }, ["a", "b", "c"]), { a: null, b: undefined, c: secret(0) });
  });

  it("parses URNs, a name with `::` included; refuses what is not a URN, an unknown type or function", async () => {
    assert.deepEqual(parseUrn("urn:pulumi:dev::proj::megaport-service-keys:index:ServiceKey::a::b"), {
      stack: "dev",
      project: "proj",
      type: "megaport-service-keys:index:ServiceKey",
      name: "a::b",
    });
    assert.equal(parseUrn("urn:pulumi:dev::proj::parent$megaport-service-keys:index:ServiceKey::k").type, "megaport-service-keys:index:ServiceKey");
    assert.throws(() => parseUrn("urn:pulumi:dev::proj::type"), /^Error: not a resource URN: urn:pulumi:dev::proj::type$/);
    assert.throws(() => parseUrn("urn:other:dev::proj::type::name"), /not a resource URN/);
    assert.throws(() => parseUrn("dev::proj::type::name"), /not a resource URN/);
    const unknownType = await rejection(() => plugin.check!(urn("Nothing", "n"), {}, {}));
    assert.equal(unknownType.message, "unknown resource type megaport-service-keys:index:Nothing");
    const unknownFunction = await rejection(() => plugin.invoke!("megaport-service-keys:index:getNothing", {}));
    assert.equal(unknownFunction.message, "unknown function megaport-service-keys:index:getNothing");
  });

  it("imports by a bare id with the default account, refreshes with the state's account, and answers nothing for a gone key", async () => {
    const key = await makeKey(eastPort, { description: "bare" });
    const id = serviceKeyId(key);
    plugin.configure(
      { baseUrl: emulator.url, accessKey: emulator.accounts.east.accessKey, secretKey: emulator.accounts.east.secretKey },
      {},
    );
    const imported = await plugin.read!(id, urn("ServiceKey", "k"), {});
    assert.equal(imported.id, id);
    assert.equal(reveal(imported.props).values.description, "bare");
    implementation.configure(fakeConfig(emulatorConfig(emulator)));
    const refreshed = await plugin.read!(id, urn("ServiceKey", "k"), { ...reveal(imported.props).values, account: "east" });
    assert.equal(refreshed.id, id);
    assert.equal(reveal(refreshed.props).values.account, "east");
    assert.deepEqual(await plugin.read!("sk-000000000000000000000000", urn("ServiceKey", "k"), { account: "east" }), {});
  });

  it("a partial failure of create keeps its state with the key secret and no identity input", async () => {
    const key = await makeKey(eastPort, { preApproved: true });
    const vxcUrn = urn("ServiceKeyVxc", "partial");
    const news = { account: "west", serviceKey: secret(key), aEndProductUid: westPort, name: "partial", rateLimit: 50 };
    const checked = await plugin.check!(vxcUrn, {}, news);
    assert.deepEqual(checked.failures, []);
    await admin(emulator, "POST", "/_emulator/faults", {
      errorRate: 1,
      status: 503,
      retryAfterSeconds: 0,
      methods: ["PUT"],
      paths: ["/v2/product/"],
    });
    const error = await rejection(() => plugin.create!(vxcUrn, checked.inputs));
    await admin(emulator, "POST", "/_emulator/faults", {});
    forgetClaims();
    assert.equal(typeof error.id, "string");
    const properties = error.properties as Record<string, unknown>;
    assert.deepEqual(properties.serviceKey, secret(key));
    assert.ok(!("resourceName" in properties) && !("orderIdentity" in properties), Object.keys(properties).join());
  });
  it("an error of create that is no partial failure carries no state; an update wraps what arrived secret", async () => {
    const keyUrn = urn("ServiceKey", "plain");
    const error = await rejection(() =>
      plugin.create!(keyUrn, { account: "east", productUid: "00000000-0000-4000-8000-00000000dead", maxSpeed: 10, singleUse: false, preApproved: false, active: true }),
    );
    assert.ok(!("properties" in error), String(error));
    const checked = await plugin.check!(keyUrn, {}, { account: "east", productUid: eastPort, maxSpeed: 10, singleUse: false });
    const created = await plugin.create!(keyUrn, checked.inputs);
    const olds = reveal(created.outs).values;
    const { outs } = await plugin.update!(created.id, keyUrn, created.outs, { ...checked.inputs, active: secret(false) });
    assert.deepEqual((outs as Record<string, unknown>).active, secret(false));
    assert.equal(olds.active, true);
  });
});
