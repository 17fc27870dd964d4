import assert from "node:assert/strict";
import { defaultSeed, parseSeed } from "../../emulator/seed";
import { approvalRoutes } from "../../emulator/routes/approvals";
import { networkDesignRoutes } from "../../emulator/routes/networkDesign";
import { productRoutes } from "../../emulator/routes/products";
import { serviceKeyRoutes } from "../../emulator/routes/serviceKeys";
import { vxcRoutes } from "../../emulator/routes/vxcs";

import { Harness, http, list, text } from "./harness";

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** Every API route but the token endpoint, as `[method, path]` with its parameters filled in. */
function everyRoute(uid: string): [string, string][] {
  const routes = [...serviceKeyRoutes, ...productRoutes, ...networkDesignRoutes, ...vxcRoutes, ...approvalRoutes];
  return routes.map((r) => {
    // The pattern's source, back to a path: `(?<uid>[^/]+)` → a product UID, `(?<action>…)` → CANCEL.
    const path = r.pattern.source
      .replace(/^\^|\$$/g, "")
      .replace(/\(\?<action>\[\^\/\]\+\)/g, "CANCEL")
      .replace(/\(\?<\w+>\[\^\/\]\+\)/g, uid)
      .replace(/\\(.)/g, "$1");
    return [r.method, path];
  });
}

// API keys as the Portal makes them (docs/api-keys.md): a role (Company Admin or Read Only) and a
// token lifetime of 5 to 1440 minutes. A Read Only key's token reads and validates; every call that
// changes something is refused with 403 in the API's error envelope, before its body is read.
describe("emulator: API key roles and token lifetimes", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  beforeEach(() => h.reset());
  after(() => h.close());

  async function readOnlyToken(name: string): Promise<string> {
    const { readOnly } = h.account(name);
    assert.ok(readOnly, `the default seed gives ${name} a Read Only key`);
    const answer = await http(h.url, "POST", "/oauth2/token?grant_type=client_credentials", {
      headers: { authorization: basic(readOnly.accessKey, readOnly.secretKey) },
    });
    assert.equal(answer.status, 200);
    return text(answer.body.access_token);
  }

  it("seeds a Read Only key for every company, after its Company Admin key (existing keys unchanged)", () => {
    for (const company of defaultSeed.companies) {
      assert.deepEqual(
        company.apiKeys.map((k) => [k.accessKey, k.role]),
        [
          [`${company.name}-access-key-0001`, "COMPANY_ADMIN"],
          [`${company.name}-readonly-access-key-0001`, "READ_ONLY"],
        ],
      );
      assert.equal(h.account(company.name).accessKey, `${company.name}-access-key-0001`);
    }
  });

  it("refuses a Read Only token on every call that changes something: 403 in the error envelope", async () => {
    const token = await readOnlyToken("east");
    const mutating = everyRoute(h.account("east").products.port1G).filter(
      ([method, path]) => method !== "GET" && path !== "/v3/networkdesign/validate",
    );
    assert.ok(mutating.length >= 9, `every mutating route is covered (${mutating.length})`);
    for (const [method, path] of mutating) {
      const answer = await http(h.url, method, path, {
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: "{}",
      });
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.deepEqual(Object.keys(answer.body).sort(), ["data", "message", "terms"], `${method} ${path}`);
      assert.match(text(answer.body.message), /permission/);
      assert.match(text(answer.body.data), /Read Only/);
    }
  });

  it("a Read Only key changes nothing, even with a valid order", async () => {
    const token = await readOnlyToken("east");
    const answer = await http(h.url, "POST", "/v2/service/key", {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ productUid: h.account("east").products.port1G, maxSpeed: 100, singleUse: false }),
    });
    assert.equal(answer.status, 403);
    const state = await h.admin("GET", "/state");
    assert.equal(list(state.body.serviceKeys).length, 0, "no key was created");
  });

  it("checks the token before the role: an expired Read Only token is 401, not 403", async () => {
    const token = await readOnlyToken("east");
    await h.advance(86_401_000);
    const answer = await http(h.url, "POST", "/v2/service/key", {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(answer.status, 401);
  });

  it("lets a Read Only token make every read and validate an order, as a Company Admin token", async () => {
    const key = await h.createKey("east", { preApproved: false, maxSpeed: 200 });
    const token = await readOnlyToken("east");
    const reads = everyRoute(h.account("east").products.port1G).filter(([method]) => method === "GET");
    assert.ok(reads.length >= 6, `every read route is covered (${reads.length})`);
    for (const [method, path] of reads) {
      const asReadOnly = await http(h.url, method, `${path}?key=${key.key}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const asAdmin = await h.api("east", method, `${path}?key=${key.key}`);
      assert.notEqual(asReadOnly.status, 403, `${method} ${path}`);
      assert.equal(asReadOnly.status, asAdmin.status, `${method} ${path}`);
    }
    // West validates an order with East's key using West's Read Only key.
    const westToken = await readOnlyToken("west");
    const validate = await http(h.url, "POST", "/v3/networkdesign/validate", {
      headers: { authorization: `Bearer ${westToken}`, "content-type": "application/json" },
      body: JSON.stringify([
        {
          productUid: h.account("west").products.port1G,
          associatedVxcs: [
            {
              productName: "ro-validate",
              rateLimit: 100,
              term: 1,
              aEnd: { vlan: 300 },
              bEnd: { productUid: key.productUid },
              serviceKey: key.key,
            },
          ],
        },
      ]),
    });
    assert.equal(validate.status, 200, JSON.stringify(validate.body));
  });

  it("gives each key's tokens its own lifetime of 5 to 1440 minutes", async () => {
    const seed = structuredClone(defaultSeed);
    seed.companies[0].apiKeys[1].tokenLifetimeMinutes = 5;
    seed.companies[0].apiKeys[0].tokenLifetimeMinutes = 1440;
    const other = await Harness.start({ seed });
    try {
      const { east } = other.emulator.accounts;
      const lifetimes: unknown[] = [];
      for (const [accessKey, secretKey] of [
        [east.accessKey, east.secretKey],
        [east.readOnly?.accessKey ?? "", east.readOnly?.secretKey ?? ""],
      ]) {
        const answer = await http(other.url, "POST", "/oauth2/token?grant_type=client_credentials", {
          headers: { authorization: basic(accessKey, secretKey) },
        });
        lifetimes.push(answer.body.expires_in);
      }
      assert.deepEqual(lifetimes, [86400, 300]);
    } finally {
      await other.close();
    }
    for (const minutes of [4, 1441]) {
      const bad = structuredClone(defaultSeed);
      bad.companies[0].apiKeys[0].tokenLifetimeMinutes = minutes;
      assert.throws(() => parseSeed(bad), /tokenLifetimeMinutes/, `${minutes} minutes`);
    }
  });

  it("dates every answer by the emulator clock, so clients can see it move", async () => {
    const before = new Date(String((await h.api("east", "GET", "/v2/products")).headers.date)).getTime();
    const now = await h.advance(3_600_000);
    const after = new Date(String((await h.api("east", "GET", "/v2/products")).headers.date)).getTime();
    assert.ok(after - before >= 3_599_000, `the Date header moved with the clock (${after - before} ms)`);
    assert.ok(Math.abs(after - now) < 2000, "the Date header is the emulator's now");
  });
});
