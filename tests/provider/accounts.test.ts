/**
 * Credential resolution (provider/resources/accounts.ts) as preview shows it: each problem with the
 * configuration is a check failure naming the config key or environment variable to fix, and a
 * refused key names where it came from (docs/api-keys.md). Checked through VxcOrderApproval, whose
 * check asks the API nothing but the token.
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import * as implementation from "../../provider/implementation";
import { purchaseTermsAccepted } from "../../provider/resources/accounts";
import { vxcOrderApprovalProvider } from "../../provider/resources/vxcOrderApproval";
import { admin, emulatorConfig, fakeConfig, requests, startHarness, stopHarness, resetEmulator } from "./harness";

const ENV_VARS = [
  "MEGAPORT_ACCESS_KEY",
  "MEGAPORT_SECRET_KEY",
  "MEGAPORT_ENVIRONMENT",
  "MEGAPORT_BASE_URL",
  "MEGAPORT_TOKEN_URL",
  "MEGAPORT_ACCEPT_PURCHASE_TERMS",
];

describe("provider: account configuration problems are check failures saying what to set", () => {
  let emulator: RunningEmulator;
  let east: { accessKey: string; secretKey: string };
  let tokenUrl: string;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    emulator = await startHarness();
    east = emulator.accounts.east as { accessKey: string; secretKey: string };
    tokenUrl = `${emulator.url}/oauth2/token`;
    for (const name of ENV_VARS) saved[name] = process.env[name];
  });
  after(async () => {
    for (const name of ENV_VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    implementation.configure(fakeConfig(emulatorConfig(emulator)));
    await stopHarness(emulator);
  });
  beforeEach(async () => {
    for (const name of ENV_VARS) delete process.env[name];
    await implementation.closeClients();
    await resetEmulator(emulator);
  });

  /** The check failures of a decision under `config` (and the environment variables set). */
  async function failuresUnder(config: Record<string, string>, account?: string): Promise<string[]> {
    implementation.configure(fakeConfig(config));
    const news = { productUid: "vxc-1", decision: "approve", ...(account === undefined ? {} : { account }) };
    const { failures } = await vxcOrderApprovalProvider.check({}, news);
    for (const f of failures) assert.equal(f.property, "", "an account problem names no input property");
    return failures.map((f) => f.reason);
  }
  const tokenRequests = async () => (await requests(emulator)).filter((r) => r.path === "/oauth2/token").length;
  /** What a refusal says to check, and where the token URL came from. */
  const refusal = (label: string, source: string, setBy: string) =>
    new RegExp(
      `^${esc(label)}: the token endpoint refused the API key: .*\\. Check ${esc(source)}: the secret may be wrong, the key deleted, or the key created in another environment than the token URL ${esc(tokenUrl)}, set by ${esc(setBy)}; `,
    );
  const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  it("accepted credentials: no failure, one token request", async () => {
    const config = { "megaport:accessKey": east.accessKey, "megaport:secretKey": east.secretKey, "megaport:baseUrl": emulator.url };
    assert.deepEqual(await failuresUnder(config), []);
    assert.deepEqual(await failuresUnder(config), []);
    assert.equal(await tokenRequests(), 1, "the credential check is made once per account");
  });

  it("values are trimmed: a key with blanks around it is the key, a blank one is none", async () => {
    const padded = { "megaport:accessKey": ` ${east.accessKey} `, "megaport:secretKey": `${east.secretKey}\t`, "megaport:baseUrl": ` ${emulator.url}` };
    assert.deepEqual(await failuresUnder(padded), []);
    const blank = { ...padded, "megaport:accessKey": "   " };
    assert.deepEqual(await failuresUnder(blank), [
      "no Megaport credentials: set megaport:accessKey and megaport:secretKey (pulumi config set --secret), or MEGAPORT_ACCESS_KEY and MEGAPORT_SECRET_KEY",
    ]);
  });

  it("a refused key from stack config names the config keys and megaport:baseUrl", async () => {
    const config = { "megaport:accessKey": east.accessKey, "megaport:secretKey": "wrong-secret", "megaport:baseUrl": emulator.url };
    const [reason, ...rest] = await failuresUnder(config);
    assert.deepEqual(rest, []);
    assert.match(reason ?? "", refusal("the default account", "megaport:accessKey and megaport:secretKey (stack config)", "megaport:baseUrl"));
  });

  it("a refused key from the environment names the variables, and MEGAPORT_BASE_URL", async () => {
    process.env.MEGAPORT_ACCESS_KEY = east.accessKey;
    process.env.MEGAPORT_SECRET_KEY = "wrong-secret";
    process.env.MEGAPORT_BASE_URL = emulator.url;
    const [reason] = await failuresUnder({});
    assert.match(
      reason ?? "",
      refusal("the default account", "the environment variables MEGAPORT_ACCESS_KEY and MEGAPORT_SECRET_KEY", "MEGAPORT_BASE_URL"),
    );
  });

  it("a refused key from both names each source as it is", async () => {
    process.env.MEGAPORT_SECRET_KEY = "wrong-secret";
    const [reason] = await failuresUnder({ "megaport:accessKey": east.accessKey, "megaport:baseUrl": emulator.url });
    assert.match(reason ?? "", refusal("the default account", "megaport:accessKey and MEGAPORT_SECRET_KEY", "megaport:baseUrl"));
    delete process.env.MEGAPORT_SECRET_KEY;
    process.env.MEGAPORT_ACCESS_KEY = east.accessKey;
    await implementation.closeClients();
    const [other] = await failuresUnder({ "megaport:secretKey": "wrong-secret", "megaport:tokenUrl": tokenUrl, "megaport:baseUrl": emulator.url });
    assert.match(other ?? "", refusal("the default account", "MEGAPORT_ACCESS_KEY and megaport:secretKey", "megaport:tokenUrl"));
  });

  it("a refused named account names its entry in megaport:accounts and where its URL came from", async () => {
    const accounts = (entry: Record<string, string>) =>
      JSON.stringify({ bad: { accessKey: east.accessKey, secretKey: "wrong-secret", ...entry } });
    const inherited = await failuresUnder({ "megaport:baseUrl": emulator.url, "megaport:accounts": accounts({}) }, "bad");
    const source = 'megaport:accounts (the accessKey and secretKey of "bad")';
    assert.match(inherited[0] ?? "", refusal('account "bad"', source, "megaport:baseUrl"));
    const own = await failuresUnder({ "megaport:accounts": accounts({ baseUrl: emulator.url }) }, "bad");
    assert.match(own[0] ?? "", refusal('account "bad"', source, 'megaport:accounts (the baseUrl of "bad")'));
    const ownToken = await failuresUnder(
      { "megaport:baseUrl": emulator.url, "megaport:accounts": accounts({ tokenUrl }) },
      "bad",
    );
    assert.match(ownToken[0] ?? "", refusal('account "bad"', source, 'megaport:accounts (the tokenUrl of "bad")'));
  });

  it("a named account inherits the default's URL and token URL unless it sets its own location", async () => {
    const entry = { accessKey: east.accessKey, secretKey: east.secretKey };
    // Inherits megaport:baseUrl (no location of its own): accepted.
    assert.deepEqual(await failuresUnder({ "megaport:baseUrl": emulator.url, "megaport:accounts": JSON.stringify({ e: entry }) }, "e"), []);
    // Its own baseUrl wins over the default's (a closed port, which would fail the token request).
    assert.deepEqual(
      await failuresUnder(
        { "megaport:baseUrl": "http://127.0.0.1:9", "megaport:accounts": JSON.stringify({ e: { ...entry, baseUrl: emulator.url } }) },
        "e",
      ),
      [],
    );
  });

  it("an unknown environment, bad megaport:accounts and no environment at all are named", async () => {
    const credentials = { "megaport:accessKey": east.accessKey, "megaport:secretKey": east.secretKey };
    assert.deepEqual(await failuresUnder({ ...credentials, "megaport:environment": "prod" }), [
      "megaport:environment: must be one of production, staging, development",
    ]);
    assert.deepEqual(await failuresUnder(credentials), [
      "no Megaport environment: set megaport:environment (or MEGAPORT_ENVIRONMENT) to one of production, staging, development, or megaport:baseUrl",
    ]);
    assert.deepEqual(await failuresUnder({ ...credentials, "megaport:accounts": "{not json" }, "e"), [
      "megaport:accounts: must be a JSON object { name: { accessKey, secretKey } }",
    ]);
    assert.deepEqual(
      await failuresUnder({ "megaport:accounts": JSON.stringify({ e: { accessKey: "a" }, f: { secretKey: "" } }) }, "e"),
      [
        "megaport:accounts: each account needs accessKey and secretKey (and an optional environment, baseUrl, tokenUrl); problem at e.secretKey, f.accessKey, f.secretKey",
      ],
    );
    assert.deepEqual(await failuresUnder({ ...credentials, "megaport:baseUrl": emulator.url, "megaport:accounts": " " }, "e"), [
      'account "e" is not in megaport:accounts (a secret JSON object { "e": { "accessKey": ..., "secretKey": ... } })',
    ]);
  });

  it("configure with the same settings keeps the clients and their tokens; other settings drop them", async () => {
    const config = emulatorConfig(emulator);
    assert.deepEqual(await failuresUnder(config, "east"), []);
    assert.deepEqual(await failuresUnder({ ...config }, "east"), []);
    assert.equal(await tokenRequests(), 1, "same settings: the client and its token are kept");
    assert.deepEqual(await failuresUnder({ ...config, "megaport:acceptPurchaseTerms": "false" }, "east"), []);
    assert.equal(await tokenRequests(), 2, "other settings: a new client asks for a token again");
  });

  it("a token endpoint failing (5xx) is no answer about the key: thrown, and asked again next time", async () => {
    const config = emulatorConfig(emulator);
    implementation.configure(fakeConfig(config));
    await admin(emulator, "POST", "/_emulator/faults", { errorRate: 1, status: 503, paths: ["/oauth2/token"] });
    await assert.rejects(vxcOrderApprovalProvider.check({}, { productUid: "v", decision: "approve", account: "east" }));
    await admin(emulator, "POST", "/_emulator/faults", {});
    const before = await tokenRequests();
    assert.deepEqual(await failuresUnder(config, "east"), []);
    assert.equal(await tokenRequests(), before + 1, "the failed check is not kept");
  });

  it("purchase terms are accepted by `true` in any case, from config or the environment", () => {
    const accepted = (config: Record<string, string>) => {
      implementation.configure(fakeConfig(config));
      return purchaseTermsAccepted();
    };
    assert.equal(accepted({ "megaport:acceptPurchaseTerms": "TRUE" }), true);
    assert.equal(accepted({ "megaport:acceptPurchaseTerms": " true " }), true);
    assert.equal(accepted({ "megaport:acceptPurchaseTerms": "yes" }), false);
    assert.equal(accepted({}), false);
    process.env.MEGAPORT_ACCEPT_PURCHASE_TERMS = "True";
    assert.equal(accepted({}), true);
    assert.equal(accepted({ "megaport:acceptPurchaseTerms": "false" }), false, "config wins over the environment");
  });
});
