import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { closeClients } from "../../provider/resources/accounts";
import { forgetClaims } from "../../provider/resources/reconcile";
import { orderTag } from "../../provider/resources/vxcOrders";
import type { ServiceKeyVxcInputs } from "../../provider/resources/serviceKeyVxcInputs";
import { MegaportClient } from "../../sdk";
import { ADAPTERS, type Adapter } from "./adapters";
import { admin, captureLog, requests, resetEmulator, startHarness, stopHarness } from "./harness";

// The lifecycle contract (docs/lifecycle.md), one suite run through both adapters of the one
// implementation: the dynamic resources' serialized shims and the provider plugin
// (tests/provider/adapters.ts). A row that holds for one adapter and not the other fails here.
for (const adapter of ADAPTERS) {
  describe(`lifecycle through the ${adapter.name} adapter`, function () {
    this.timeout(30_000);
    let emulator: RunningEmulator;
    let eastPort: string;
    let eastPort1G: string;
    let westPort: string;
    const a: Adapter = adapter;

    before(async () => {
      emulator = await startHarness();
      await a.configure(emulator);
      eastPort = emulator.accounts.east.products.port10G;
      eastPort1G = emulator.accounts.east.products.port1G;
      westPort = emulator.accounts.west.products.port1G;
    });
    after(async () => {
      await closeClients();
      await stopHarness(emulator);
    });
    beforeEach(async () => resetEmulator(emulator));

    const accepted = async () => (await requests(emulator)).filter((r) => r.status !== null && r.status < 300);
    const clearLog = () => admin(emulator, "DELETE", "/_emulator/requests");
    const changes = async () => (await accepted()).filter((r) => r.method !== "GET" && !r.path.includes("validate"));

    const keyProgram = (extra: Record<string, unknown> = {}) => ({
      account: "east",
      productUid: eastPort,
      maxSpeed: 1000,
      vlan: 100,
      description: "partner key",
      ...extra,
    });
    async function makeKey(name: string, extra: Record<string, unknown> = {}) {
      const { inputs, failures } = await a.check("ServiceKey", name, {}, keyProgram(extra));
      assert.deepEqual(failures, []);
      const created = await captureLog(() => a.create("ServiceKey", name, inputs));
      return { inputs, ...created.result };
    }

    describe("ServiceKey", () => {
      it("check applies the defaults; create makes one key with one POST and an opaque id", async () => {
        const { inputs, failures } = await a.check("ServiceKey", "k", {}, keyProgram());
        assert.deepEqual(failures, []);
        assert.equal(inputs.singleUse, true);
        assert.equal(inputs.active, true);
        assert.equal(inputs.preApproved, false);
        await clearLog();
        const { id, outs } = await a.create("ServiceKey", "k", inputs);
        assert.match(id, /^sk-[0-9a-f]{24}$/);
        assert.ok(!id.includes(String(outs.key).slice(0, 8)));
        assert.equal(outs.valid, true);
        assert.deepEqual((await changes()).map((r) => `${r.method} ${r.path}`), ["POST /v2/service/key"]);
      });

      it("preview refuses maxSpeed above the product's speed, naming maxSpeed", async () => {
        const { failures } = await a.check("ServiceKey", "k", {}, keyProgram({ productUid: eastPort1G, maxSpeed: 5000 }));
        assert.equal(failures[0]?.property, "maxSpeed", JSON.stringify(failures));
      });

      it("an unchanged key: check asks the API nothing and diff says no change", async () => {
        const key = await makeKey("k");
        await clearLog();
        const { inputs } = await a.check("ServiceKey", "k", key.inputs, keyProgram());
        assert.deepEqual(await a.diff("ServiceKey", "k", key.id, key.outs, inputs), { changes: false, replaces: [] });
        assert.deepEqual((await requests(emulator)).map((r) => r.path).filter((p) => p !== "/oauth2/token"), []);
      });

      it("active and validFor change in place with one PUT; refresh shows it", async () => {
        const key = await makeKey("k");
        const news = (await a.check("ServiceKey", "k", key.inputs, keyProgram({ active: false, validFor: { end: "2031-01-01T00:00:00Z" } }))).inputs;
        const diff = await a.diff("ServiceKey", "k", key.id, key.outs, news);
        assert.deepEqual([diff.changes, diff.replaces], [true, []]);
        await clearLog();
        const { outs } = await a.update("ServiceKey", "k", key.id, key.outs, news);
        assert.equal(outs.active, false);
        assert.deepEqual((await changes()).map((r) => r.method), ["PUT"]);
        const read = await a.read("ServiceKey", "k", key.id, outs);
        assert.equal(read.props?.active, false);
        assert.equal((read.props?.validFor as { end: string }).end, "2031-01-01T00:00:00.000Z");
      });

      it("maxSpeed is a replace; a single-use key keeping its VLAN is replaced delete-first", async () => {
        const key = await makeKey("k");
        const news = (await a.check("ServiceKey", "k", key.inputs, keyProgram({ maxSpeed: 500 }))).inputs;
        const diff = await a.diff("ServiceKey", "k", key.id, key.outs, news);
        assert.deepEqual([diff.replaces, diff.deleteBeforeReplace], [["maxSpeed"], true]);
      });

      it("refresh shows a key deactivated in the portal; a key gone is reported gone", async () => {
        const key = await makeKey("k");
        await admin(emulator, "POST", `/_emulator/service-keys/${String(key.outs.key)}`, { active: false });
        assert.equal((await a.read("ServiceKey", "k", key.id, key.outs)).props?.active, false);
        const gone = { ...key.outs, key: "00000000-0000-4000-8000-000000000000" };
        assert.equal((await a.read("ServiceKey", "k", key.id, gone)).id, undefined);
      });

      it("a create-first replace of an adopted key (`up --replace`): the old resource's delete leaves the key to its replacement", async () => {
        const east = new MegaportClient({ ...emulator.accounts.east, baseUrl: emulator.url });
        const made = await east.serviceKeys.create({ productUid: eastPort1G, maxSpeed: 100, singleUse: false, active: true });
        await east.close();
        const adopting = { account: "east", productUid: eastPort1G, maxSpeed: 100, singleUse: false, existingKey: made.key };
        const old = (await captureLog(async () =>
          a.create("ServiceKey", "adopted", (await a.check("ServiceKey", "adopted", {}, adopting)).inputs),
        )).result;
        forgetClaims(); // the replacing run is another provider process
        // A targeted replace: check with no old inputs, the new resource's create, then the old one's delete.
        const replacement = (await captureLog(async () =>
          a.create("ServiceKey", "adopted", (await a.check("ServiceKey", "adopted", {}, adopting)).inputs),
        )).result;
        await clearLog();
        const { lines } = await captureLog(() => a.delete("ServiceKey", "adopted", old.id, old.outs));
        assert.deepEqual(await changes(), [], "no PUT: the key is not deactivated");
        assert.ok(lines.some((line) => /held by the resource that replaced this one/.test(line)), lines.join("\n"));
        assert.equal(replacement.id, old.id);
        const state = await admin<{ serviceKeys: { key: string; active: boolean }[] }>(emulator, "GET", "/_emulator/state");
        assert.equal(state.serviceKeys.find((k) => k.key === made.key)?.active, true);
        forgetClaims();
      });

      it("delete deactivates the key with one PUT and changes nothing else", async () => {
        const key = await makeKey("k");
        await clearLog();
        await captureLog(() => a.delete("ServiceKey", "k", key.id, key.outs));
        assert.deepEqual((await changes()).map((r) => r.method), ["PUT"]);
        const state = await admin<{ serviceKeys: { key: string; active: boolean; maxSpeed: number }[] }>(emulator, "GET", "/_emulator/state");
        const after = state.serviceKeys.find((k) => k.key === key.outs.key);
        assert.deepEqual([after?.active, after?.maxSpeed], [false, 1000]);
      });
    });

    describe("ServiceKeyVxc", () => {
      const vxcProgram = (serviceKey: unknown, extra: Record<string, unknown> = {}) => ({
        account: "west",
        serviceKey,
        aEndProductUid: westPort,
        name: "West to East",
        rateLimit: 200,
        ...extra,
      });

      it("preview refuses a rate limit above the key's maximum, naming rateLimit", async () => {
        const key = await makeKey("k", { maxSpeed: 100 });
        const { failures } = await a.check("ServiceKeyVxc", "v", {}, vxcProgram(key.outs.key));
        assert.ok(failures.some((f) => f.property === "rateLimit"), JSON.stringify(failures));
      });

      it("create ends PENDING_EXTERNAL, its order tagged with the digest of <project>/<stack>/<name>", async () => {
        const key = await makeKey("k");
        const { inputs, failures } = await a.check("ServiceKeyVxc", "west-vxc", {}, vxcProgram(key.outs.key));
        assert.deepEqual(failures, []);
        const { id, outs } = (await captureLog(() => a.create("ServiceKeyVxc", "west-vxc", inputs))).result;
        assert.equal(outs.approvalStatus, "PENDING_EXTERNAL");
        const west = new MegaportClient({ ...emulator.accounts.west, baseUrl: emulator.url });
        try {
          const tag = orderTag({ orderIdentity: "lifecycle/adapters/west-vxc", serviceKey: key.outs.key } as ServiceKeyVxcInputs);
          assert.ok((await west.products.tags(id)).some((t) => t.key === tag?.key && t.value === tag.value));
        } finally {
          await west.close();
        }
      });

      it("rateLimit changes in place with one PUT; a new serviceKey is a replace; delete cancels and refresh finds it gone", async () => {
        const key = await makeKey("k", { preApproved: true, singleUse: false, vlan: undefined });
        const { inputs } = await a.check("ServiceKeyVxc", "v", {}, vxcProgram(key.outs.key));
        const created = (await captureLog(() => a.create("ServiceKeyVxc", "v", inputs))).result;
        const news = (await a.check("ServiceKeyVxc", "v", inputs, vxcProgram(key.outs.key, { rateLimit: 300 }))).inputs;
        assert.deepEqual((await a.diff("ServiceKeyVxc", "v", created.id, created.outs, news)).replaces, []);
        await clearLog();
        const { outs } = await a.update("ServiceKeyVxc", "v", created.id, created.outs, news);
        assert.equal(outs.rateLimit, 300);
        assert.deepEqual((await changes()).map((r) => `${r.method} ${r.path}`), [`PUT /v3/product/vxc/${created.id}`]);

        const other = await makeKey("k2", { preApproved: true, singleUse: false, vlan: undefined });
        const rekeyed = { ...news, serviceKey: other.outs.key };
        assert.deepEqual((await a.diff("ServiceKeyVxc", "v", created.id, outs, rekeyed)).replaces, ["serviceKey"]);

        await captureLog(() => a.delete("ServiceKeyVxc", "v", created.id, outs));
        assert.ok((await changes()).some((r) => r.path.endsWith("/action/CANCEL_NOW")));
        assert.equal((await a.read("ServiceKeyVxc", "v", created.id, outs)).id, undefined);
      });
    });

    describe("VxcOrderApproval", () => {
      it("approves the pending order; a new comment is state only; delete makes no API call", async () => {
        const key = await makeKey("k");
        const vxcInputs = (await a.check("ServiceKeyVxc", "v", {}, { account: "west", serviceKey: key.outs.key, aEndProductUid: westPort, name: "W", rateLimit: 100 })).inputs;
        const vxc = (await captureLog(() => a.create("ServiceKeyVxc", "v", vxcInputs))).result;
        const program = { account: "east", productUid: vxc.id, decision: "approve" };
        const { inputs } = await a.check("VxcOrderApproval", "ok", {}, program);
        const approval = (await captureLog(() => a.create("VxcOrderApproval", "ok", inputs))).result;
        assert.equal(approval.outs.status, "APPROVED");
        await clearLog();
        const news = (await a.check("VxcOrderApproval", "ok", inputs, { ...program, comment: "welcome" })).inputs;
        const diff = await a.diff("VxcOrderApproval", "ok", approval.id, approval.outs, news);
        assert.deepEqual([diff.changes, diff.replaces], [true, []]);
        const { outs } = await a.update("VxcOrderApproval", "ok", approval.id, approval.outs, news);
        assert.equal(outs.comment, "welcome");
        await captureLog(() => a.delete("VxcOrderApproval", "ok", approval.id, outs));
        assert.deepEqual(await changes(), []);
      });
    });
  });
}
