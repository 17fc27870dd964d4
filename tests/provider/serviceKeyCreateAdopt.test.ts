/**
 * ServiceKey create, adoption, update, read and delete on the edges a broken provider survived
 * (issue 17): which keys a lost create may adopt, the refusals and their words, the PUTs adoption
 * makes, a field the API resets on an update, and the look-ups shared per account. Real HTTP to the
 * emulator, through a rewriting proxy where the API's answer must be one the emulator never gives.
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import * as implementation from "../../provider/implementation";
import { serviceKeyId, serviceKeyProvider } from "../../provider/resources/serviceKey";
import { forgetLookUps, NOT_THE_OWNER } from "../../provider/resources/serviceKeyPreview";
import { UNKNOWN_VALUE } from "../../provider/resources/checkFailures";
import { MegaportApiError, MegaportClient } from "../../sdk";
import {
  admin,
  captureLog,
  emulatorConfig,
  fakeConfig,
  rejection,
  requests,
  resetEmulator,
  startHarness,
  startRewritingProxy,
  stopHarness,
} from "./harness";

interface EmulatorKey {
  key: string;
  active: boolean;
  createDate: number;
  validFor: { start: number; end: number };
}

describe("ServiceKey provider: create, adoption, update and delete edges", () => {
  let emulator: RunningEmulator;
  let owner: MegaportClient;
  let port: string;

  before(async () => {
    emulator = await startHarness();
    port = emulator.accounts.east?.products.port10G as string;
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
    forgetLookUps();
  });

  const declared = (extra: Record<string, unknown> = {}) => ({
    productUid: port,
    maxSpeed: 500,
    singleUse: false,
    description: "mine",
    account: "east",
    resourceName: "east-key",
    ...extra,
  });
  async function checked(extra: Record<string, unknown> = {}) {
    const { inputs, failures } = await serviceKeyProvider.check({}, declared(extra));
    assert.deepEqual(failures, []);
    return inputs;
  }
  /** A key made elsewhere (the portal, another stack) on the same port. */
  const foreign = (fields: Record<string, unknown> = {}) =>
    owner.serviceKeys.create({ productUid: port, maxSpeed: 500, singleUse: false, active: true, description: "mine", ...fields });
  const faults = (config: Record<string, unknown>) => admin(emulator, "POST", "/_emulator/faults", config);
  const loseNextCreate = () => faults({ lostResponseRate: 1, paths: ["/v2/service/key"], methods: ["POST"], times: 1 });
  const keys = async () => (await admin<{ serviceKeys: EmulatorKey[] }>(emulator, "GET", "/_emulator/state")).serviceKeys;
  const answered = async () => (await requests(emulator)).filter((r) => r.status !== 401 && r.path !== "/oauth2/token");
  const adoptedLine = (key: string) => `east-key: the answer to the create was lost; adopted the key it made (${serviceKeyId(key)})`;
  const iso = (ms: number | null) => new Date(ms ?? 0).toISOString();

  /** Runs `task` with the provider configured to reach the emulator through `proxy`. */
  async function through<T>(proxyUrl: string, task: () => Promise<T>): Promise<T> {
    implementation.configure(fakeConfig(emulatorConfig(emulator, { "megaport:baseUrl": proxyUrl })));
    try {
      return await task();
    } finally {
      implementation.configure(fakeConfig(emulatorConfig(emulator)));
    }
  }

  describe("a lost create answer", () => {
    it("adopts its own key among keys that differ in one requested field each, and says so", async () => {
      const inputs = await checked();
      await foreign({ maxSpeed: 400 });
      await foreign({ description: "other" });
      await foreign({ description: undefined });
      await foreign({ singleUse: true, vlan: 300 });
      const withVlan = await foreign();
      await admin(emulator, "POST", `/_emulator/service-keys/${withVlan.key}`, { vlan: 7 });
      const singleUse = await foreign();
      await admin(emulator, "POST", `/_emulator/service-keys/${singleUse.key}`, { singleUse: true });
      await loseNextCreate();
      const { result, lines } = await captureLog(() => serviceKeyProvider.create(inputs));
      const all = await keys();
      assert.equal(all.length, 7);
      assert.equal(result.outs.key, all[6]?.key, "the key the lost create made");
      assert.deepEqual(lines, [adoptedLine(result.outs.key)]);
    });

    it("an identical key made longer than the clock skew before the request is no candidate", async () => {
      const inputs = await checked();
      await foreign();
      // Ten seconds pass on both clocks: the foreign key is older than the request by more than 5 s.
      await admin(emulator, "POST", "/_emulator/clock", { advanceMs: 10_000 });
      await loseNextCreate();
      const realNow = Date.now;
      Date.now = () => realNow() + 10_000;
      let made: Awaited<ReturnType<typeof serviceKeyProvider.create>>;
      try {
        made = (await captureLog(() => serviceKeyProvider.create(inputs))).result;
      } finally {
        Date.now = realNow;
      }
      const all = await keys();
      assert.equal(made.outs.key, all[1]?.key);
    });

    it("one identical key made just before a create that made nothing is refused, not adopted", async () => {
      const inputs = await checked();
      const other = await foreign();
      await faults({ errorRate: 1, status: 500, paths: ["/v2/service/key"], methods: ["POST"], times: 1 });
      await admin(emulator, "DELETE", "/_emulator/requests");
      const error = await rejection(() => serviceKeyProvider.create(inputs));
      assert.equal(error.code, "ERR_SERVICE_KEY_CREATE_AMBIGUOUS");
      assert.equal(error.name, "ServiceKeyError");
      assert.match(
        error.message,
        new RegExp(
          `^the answer to the create \\(sent \\S+\\) was lost, and the keys on product ${port} with the same fields cannot be told apart from one made by someone else: ${serviceKeyId(other.key)} \\(created ${iso(other.createDate).replace(/\./g, "\\.")}\\)\\. Nothing was adopted\\.`,
        ),
      );
      assert.equal((await answered()).filter((r) => r.method === "POST").length, 1, "not sent again");
    });

    it("several candidates are listed oldest first, comma-separated, however the API orders them", async () => {
      const inputs = await checked();
      const first = await foreign();
      // Two keys made in one millisecond have no order to list them in (a warm run makes them so).
      await admin(emulator, "POST", "/_emulator/clock", { advanceMs: 5 });
      const second = await foreign();
      // An API that lists keys newest first.
      const proxy = await startRewritingProxy(emulator.url, ({ method, path }, body) => {
        const envelope = body as { data?: unknown };
        if (method === "GET" && path === "/v2/service/key" && Array.isArray(envelope.data)) envelope.data.reverse();
        return body;
      });
      try {
        await loseNextCreate();
        const error = await through(proxy.url, () => rejection(() => serviceKeyProvider.create(inputs)));
        const made = (await keys())[2] as EmulatorKey;
        const listed = [first, second, { key: made.key, createDate: made.createDate }]
          .map((k) => `${serviceKeyId(k.key)} (created ${iso(k.createDate)})`)
          .join(", ");
        assert.ok(error.message.includes(`someone else: ${listed}. Nothing was adopted.`), error.message);
      } finally {
        await proxy.close();
      }
    });
  });

  it("create with a validity window sends it, and the outputs show the API's instants", async () => {
    const start = new Date(Date.now() + 3_600_000);
    const end = new Date(Date.now() + 86_400_000);
    const inputs = await checked({ validFor: { start: start.toISOString(), end: end.toISOString().replace(/\.\d{3}Z$/, "Z") } });
    const { outs } = await serviceKeyProvider.create(inputs);
    const [key] = await keys();
    assert.deepEqual(key?.validFor, { start: start.getTime(), end: Math.floor(end.getTime() / 1000) * 1000 });
    assert.deepEqual(outs.validFor, { start: start.toISOString(), end: iso(key?.validFor.end ?? 0) });
  });

  describe("adopting at create", () => {
    it("a key that does not exist: not found, naming existingKey", async () => {
      const inputs = await checked({ existingKey: "ffffffff-6666-4666-8666-ffffffffffff" }).catch(() => undefined);
      assert.equal(inputs, undefined, "check refuses it at preview too");
      const error = await rejection(() =>
        serviceKeyProvider.create({ ...declared(), preApproved: false, active: true, existingKey: "ffffffff-6666-4666-8666-ffffffffffff" }),
      );
      assert.equal(error.code, "ERR_SERVICE_KEY_NOT_FOUND");
      assert.equal(error.name, "ServiceKeyError");
      assert.equal(error.message, "existingKey: no such service key");
    });

    it("the key's product refused with any 4xx is not the owner; a 5xx (500 too) is the API's error", async () => {
      const other = await foreign();
      const news = { ...declared(), preApproved: false, active: true, existingKey: other.key };
      await faults({ errorRate: 1, status: 400, paths: [`/v2/product/${port}`], methods: ["GET"] });
      const refused = await rejection(() => serviceKeyProvider.create(news));
      assert.equal(refused.code, "ERR_SERVICE_KEY_NOT_OWNER");
      assert.equal(refused.message, `existingKey: ${NOT_THE_OWNER}`);
      await faults({ errorRate: 1, status: 500, paths: [`/v2/product/${port}`], methods: ["GET"] });
      const failed = await rejection(() => serviceKeyProvider.create(news));
      assert.ok(failed instanceof MegaportApiError && failed.status === 500, String(failed));
    });

    it("every mismatch is named, joined by semicolons; a second adoption of one key is refused", async () => {
      const other = await foreign({ maxSpeed: 400, description: "theirs" });
      const error = await rejection(() =>
        serviceKeyProvider.create({ ...declared(), preApproved: false, active: true, existingKey: other.key }),
      );
      assert.equal(error.code, "ERR_SERVICE_KEY_MISMATCH");
      assert.equal(
        error.message,
        [
          "maxSpeed: the existing key has maxSpeed 400, which a key cannot change: declare that value to adopt it, or remove existingKey to create a new key",
          'description: the existing key has description "theirs", which a key cannot change: declare that value to adopt it, or remove existingKey to create a new key',
        ].join("; "),
      );
      const same = { ...declared({ maxSpeed: 400, description: "theirs" }), preApproved: false, active: true, existingKey: other.key };
      await serviceKeyProvider.create(same);
      const twice = await rejection(() => serviceKeyProvider.create(same));
      assert.equal(twice.code, "ERR_SERVICE_KEY_MISMATCH");
      assert.equal(twice.message, "existingKey: another resource of this stack already manages this key");
    });

    it("writes the key only to change active or set a window (which starts when the key was made)", async () => {
      const puts = async () => (await answered()).filter((r) => r.method === "PUT").length;
      const adopt = async (extra: Record<string, unknown>) => {
        const other = await foreign();
        await admin(emulator, "DELETE", "/_emulator/requests");
        await serviceKeyProvider.create({ ...declared(), preApproved: false, active: true, existingKey: other.key, ...extra });
        return { other, puts: await puts(), state: (await keys()).find((k) => k.key === other.key) as EmulatorKey };
      };
      const asIs = await adopt({});
      assert.equal(asIs.puts, 0, "adopted as it is: nothing written");
      const deactivated = await adopt({ active: false });
      assert.equal(deactivated.puts, 1);
      assert.equal(deactivated.state.active, false);
      const end = new Date(Date.now() + 86_400_000).toISOString();
      const windowed = await adopt({ validFor: { end } });
      assert.equal(windowed.puts, 1);
      assert.deepEqual(windowed.state.validFor, { start: windowed.other.createDate, end: Date.parse(end) });
      assert.equal(windowed.state.active, true);
    });
  });

  describe("check", () => {
    it("product and key look-ups are shared per account: another account asks for itself", async () => {
      assert.deepEqual((await serviceKeyProvider.check({}, declared())).failures, []);
      const north = await serviceKeyProvider.check({}, declared({ account: "north" }));
      assert.deepEqual(north.failures.map((f) => f.property), ["productUid"]);
      const other = await foreign();
      const adoptAs = (account: string) => serviceKeyProvider.check({}, declared({ account, existingKey: other.key }));
      assert.deepEqual((await adoptAs("east")).failures, []);
      assert.deepEqual((await adoptAs("north")).failures, [{ property: "", reason: `existingKey: ${NOT_THE_OWNER}` }]);
    });

    it("an adopted key needs no VLAN in the inputs: it brings its own", async () => {
      const other = await foreign({ singleUse: true, vlan: 300 });
      const result = await serviceKeyProvider.check({}, { ...declared({ singleUse: true, existingKey: other.key }) });
      assert.deepEqual(result.failures.map((f) => f.property), ["vlan"], "only the mismatch with the key's VLAN 300");
      assert.match(result.failures[0]?.reason ?? "", /^vlan: the existing key has vlan 300/);
    });

    it("a replacement that changes its VLAN to one in use is refused, by both of the engine's checks", async () => {
      await foreign({ singleUse: true, vlan: 200 });
      const inputs = await checked({ singleUse: true, vlan: 100 });
      const { outs } = await serviceKeyProvider.create(inputs);
      forgetLookUps();
      const rule = `vlan: VLAN 200 is already in use on`;
      const first = await serviceKeyProvider.check({ ...outs }, { ...declared({ singleUse: true, vlan: 200 }) });
      assert.deepEqual(first.failures.map((f) => f.property), ["vlan"]);
      assert.ok(first.failures[0]?.reason.startsWith(rule), first.failures[0]?.reason);
      // The engine's second check of a replacement has no olds.
      const second = await serviceKeyProvider.check({}, { ...declared({ singleUse: true, vlan: 200 }) });
      assert.deepEqual(second.failures.map((f) => f.property), ["vlan"]);
    });
  });

  describe("diff", () => {
    const olds = { ...declared(), preApproved: false, active: true, existingKey: "a".repeat(36), key: "a".repeat(36) };

    it("adopting another key replaces create-first; keeping the adopted key replaces delete-first", async () => {
      assert.deepEqual(await serviceKeyProvider.diff("sk-1", olds, { ...olds, existingKey: "b".repeat(36) }), {
        changes: true,
        replaces: ["existingKey"],
      });
      assert.deepEqual(await serviceKeyProvider.diff("sk-1", olds, { ...olds, description: "new" }), {
        changes: true,
        replaces: ["description"],
        deleteBeforeReplace: true,
      });
    });

    it("a singleUse unknown at preview is a replace, create-first", async () => {
      const key = { ...declared({ singleUse: true, vlan: 100 }), preApproved: false, active: true };
      assert.deepEqual(await serviceKeyProvider.diff("sk-1", key, { ...key, singleUse: UNKNOWN_VALUE }), {
        changes: true,
        replaces: ["singleUse"],
      });
    });
  });

  describe("an API that answers otherwise", () => {
    it("update: a field the API reset on a PUT that sent it is logged, old → new; none, no line", async () => {
      const proxy = await startRewritingProxy(emulator.url, ({ method, path }, body) => {
        const envelope = body as { data?: Record<string, unknown> };
        if (method === "PUT" && path === "/v2/service/key" && envelope.data?.active === false) {
          envelope.data.maxSpeed = 400;
          envelope.data.description = null;
        }
        return body;
      });
      try {
        await through(proxy.url, async () => {
          const inputs = await checked();
          const { id, outs } = await serviceKeyProvider.create(inputs);
          const quiet = await captureLog(() => serviceKeyProvider.update(id, { ...outs }, { ...inputs, validFor: { end: new Date(Date.now() + 86_400_000).toISOString() } }));
          assert.deepEqual(quiet.lines, []);
          const { result, lines } = await captureLog(() => serviceKeyProvider.update(id, { ...outs }, { ...inputs, active: false }));
          assert.deepEqual(lines, [
            'east-key: the API changed maxSpeed (500 → 400), description ("mine" → null) on an update that sent them unchanged; the outputs show the key as it is now',
          ]);
          assert.equal(result.outs.maxSpeed, 400);
          assert.equal(result.outs.description, undefined);
        });
      } finally {
        await proxy.close();
      }
    });

    it("read: a key the API shows without valid and expired is neither", async () => {
      const proxy = await startRewritingProxy(emulator.url, ({ method, path }, body) => {
        const envelope = body as { data?: Record<string, unknown> };
        if (method === "GET" && path === "/v2/service/key" && envelope.data && !Array.isArray(envelope.data)) {
          envelope.data.valid = null;
          envelope.data.expired = null;
        }
        return body;
      });
      try {
        await through(proxy.url, async () => {
          const { id, outs } = await serviceKeyProvider.create(await checked());
          const read = await serviceKeyProvider.read(id, { ...outs, valid: true, expired: true });
          assert.equal(read.props?.valid, false);
          assert.equal(read.props?.expired, false);
        });
      } finally {
        await proxy.close();
      }
    });

    it("read and delete: a look-up refused otherwise than not found is an error, not a key gone", async () => {
      const { id, outs } = await serviceKeyProvider.create(await checked());
      await faults({ errorRate: 1, status: 400, paths: ["/v2/service/key"], methods: ["GET"] });
      const readError = await rejection(() => serviceKeyProvider.read(id, { ...outs }));
      assert.ok(readError instanceof MegaportApiError && readError.status === 400, String(readError));
      const deleteError = await rejection(() => captureLog(() => serviceKeyProvider.delete(id, { ...outs })));
      assert.ok(deleteError instanceof MegaportApiError && deleteError.status === 400, String(deleteError));
      await faults({});
      const { lines } = await captureLog(() =>
        serviceKeyProvider.delete(id, { ...outs, key: "ffffffff-7777-4777-8777-ffffffffffff" }),
      );
      assert.deepEqual(lines, [
        `east-key: service key ${serviceKeyId("ffffffff-7777-4777-8777-ffffffffffff")} no longer exists; removed from the stack`,
      ]);
    });
  });
});
