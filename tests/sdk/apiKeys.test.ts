/** API keys as Megaport defines them (docs/api-keys.md): roles, environments, token lifetimes. */
import assert from "node:assert/strict";
import {
  ENVIRONMENTS,
  environmentOfTokenUrl,
  MegaportAuthError,
  MegaportForbiddenError,
} from "../../sdk";
import { Harness } from "./harness";

async function thrown(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  assert.fail("expected an error");
}

describe("sdk: API keys", () => {
  let harness: Harness;

  before(async () => {
    harness = await Harness.start({ tokenLifetimeSeconds: 300 });
  });
  beforeEach(async () => {
    await harness.clearRequests();
  });
  after(async () => {
    await harness.close();
  });

  it("renews a 5-minute token before the API's clock reaches its expiry: no request meets a 401", async () => {
    const client = harness.client(harness.east);
    await client.products.list();
    // Ten minutes pass on the API's clock in 30 s steps (the local clock barely moves): each answer's
    // Date header shows the client where the API's clock is.
    for (let step = 0; step < 20; step++) {
      await harness.advanceClock(30_000);
      await client.products.list();
    }
    const log = await harness.requests();
    assert.deepEqual(
      log.filter((entry) => entry.status === 401).map((entry) => entry.path),
      [],
      "no request met an expired token",
    );
    const tokens = log.filter((entry) => entry.path === "/oauth2/token").length;
    assert.ok(tokens >= 3, `tokens were renewed as the API's clock moved (${tokens} token requests)`);
    assert.ok(tokens <= 4, `and only when due, 60 s before each expiry (${tokens} token requests)`);
  });

  it("a refused key names the account, where its key came from, the token URL, and the environment rule", async () => {
    const client = harness.client(harness.east, {
      secretKey: "not-the-secret-of-east",
      label: 'account "east"',
      credentialSource: "megaport:accounts (east)",
      environmentSource: "megaport:baseUrl",
    });
    const error = await thrown(() => client.authenticate());
    assert.ok(error instanceof MegaportAuthError);
    assert.equal(error.status, 401);
    assert.equal(
      error.message,
      'account "east": the token endpoint refused the API key: 401 invalid_client. Check megaport:accounts ' +
        "(east): the secret may be wrong, the key deleted, or the key created in another environment than " +
        `the token URL ${harness.emulator.url}/oauth2/token, set by megaport:baseUrl; Megaport API keys ` +
        "work only in the environment where they were created.",
    );
    assert.ok(!error.message.includes("not-the-secret-of-east"));
    assert.ok(!error.message.includes(harness.east.accessKey), "nor the access key");
  });

  it("names a Megaport environment by its token URL", () => {
    for (const [name, urls] of Object.entries(ENVIRONMENTS)) {
      assert.equal(environmentOfTokenUrl(urls.tokenUrl), name);
      assert.equal(environmentOfTokenUrl(`${urls.tokenUrl.toUpperCase()}/`), name);
    }
    assert.equal(environmentOfTokenUrl(`${harness.emulator.url}/oauth2/token`), undefined);
  });

  it("a Read Only key reads and validates; a change is a MegaportForbiddenError saying a Company Admin key is needed", async () => {
    const readOnly = harness.east.readOnly;
    assert.ok(readOnly);
    const client = harness.client(harness.east, {
      ...readOnly,
      label: 'account "east"',
      credentialSource: "MEGAPORT_ACCESS_KEY and MEGAPORT_SECRET_KEY",
    });
    assert.equal((await client.products.list()).length, 4, "reads work");
    const error = await thrown(() =>
      client.serviceKeys.create({
        productUid: harness.east.products.port1G,
        maxSpeed: 100,
        singleUse: false,
        active: true,
      }),
    );
    assert.ok(error instanceof MegaportForbiddenError);
    assert.equal(error.code, "ERR_MEGAPORT_FORBIDDEN");
    assert.equal(error.status, 403);
    assert.equal(error.change, "create a service key");
    assert.match(
      error.message,
      /^account "east": create a service key was refused: POST \/v2\/service\/key: 403 You do not have permission/,
    );
    assert.match(
      error.message,
      /Changes need a Company Admin API key: if the key from MEGAPORT_ACCESS_KEY and MEGAPORT_SECRET_KEY is Read Only/,
    );
    assert.equal((await harness.serviceKeys()).length, 0, "nothing was created");
    for (const secret of [readOnly.secretKey, readOnly.accessKey]) assert.ok(!error.message.includes(secret));
  });
});
