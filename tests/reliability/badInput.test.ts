import * as assert from "node:assert/strict";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { MegaportClient } from "../../sdk";
import { EngineRun } from "../e2e/engineRun";
import { type BadInputCase, badInputCases, type CaseContext, groupArgs, packCases } from "./badInputCases";
import { emulatorState, isMutation, lastRequestSeq, reliabilityFixture, requestsSince } from "./harness";

/** A client of one emulator account. */
const clientOf = (emulator: RunningEmulator, account: string) =>
  new MegaportClient({
    accessKey: emulator.accounts[account].accessKey,
    secretKey: emulator.accounts[account].secretKey,
    baseUrl: emulator.url,
  });

/**
 * The keys the cases use, made through the API: a good key, one with a 100 Mbps maximum, an
 * inactive one, an expired one, a used single-use one, and one of another environment (a second
 * emulator, closed again).
 */
async function makeKeys(run: EngineRun): Promise<Record<string, string>> {
  const { east, west } = run.emulator.accounts;
  const owner = clientOf(run.emulator, "east");
  const consumer = clientOf(run.emulator, "west");
  const other = await startEmulator({ port: 0 });
  const otherOwner = clientOf(other, "east");
  try {
    const multiUse = { productUid: east.products.port10G, singleUse: false, active: true, preApproved: true };
    const good = await owner.serviceKeys.create({
      ...multiUse,
      maxSpeed: 500,
      description: "bad-input good",
    });
    const small = await owner.serviceKeys.create({
      ...multiUse,
      maxSpeed: 100,
      description: "bad-input small",
    });
    const inactive = await owner.serviceKeys.create({
      ...multiUse,
      maxSpeed: 500,
      description: "bad-input inactive",
    });
    await owner.serviceKeys.update(inactive.key, { active: false });
    const expired = await owner.serviceKeys.create({
      ...multiUse,
      maxSpeed: 500,
      description: "bad-input expired",
    });
    const { now } = await emulatorState(run);
    const day = 24 * 60 * 60 * 1000;
    await run.admin("POST", `service-keys/${expired.key}`, {
      validFor: { start: now - 2 * day, end: now - day },
    });
    const consumed = await owner.serviceKeys.create({
      ...multiUse,
      singleUse: true,
      vlan: 777,
      maxSpeed: 500,
      description: "bad-input consumed",
    });
    await consumer.networkDesign.buy([
      {
        productUid: west.products.port1G,
        associatedVxcs: [
          {
            productName: "uses the single-use key",
            rateLimit: 100,
            term: 1,
            shutdown: false,
            serviceKey: consumed.key,
            aEnd: {},
            bEnd: { productUid: east.products.port10G },
          },
        ],
      },
    ]);
    const foreign = await otherOwner.serviceKeys.create({
      ...multiUse,
      maxSpeed: 500,
      description: "another environment",
    });
    return {
      good: good.key,
      small: small.key,
      inactive: inactive.key,
      expired: expired.key,
      consumed: consumed.key,
      foreign: foreign.key,
    };
  } finally {
    await Promise.all([owner.close(), consumer.close(), otherOwner.close()]);
    await other.close();
  }
}

// Issue 8 §4: every bad input fails `pulumi preview` on the real engine with an error that names the
// property and the rule, and nothing is created, bought, changed or approved.
describe("reliability: bad input fails at preview, naming the property, and buys nothing", function () {
  this.timeout(300_000);
  let run: EngineRun;
  let stack: Stack;
  let baseConfig: ConfigMap;
  let keys: Record<string, string>;
  let ctx: CaseContext;

  before(async () => {
    run = await EngineRun.start({ provisioningDelayMs: 50 });
    keys = await makeKeys(run);
    ctx = {
      eastPort: run.emulator.accounts.east.products.port10G,
      westPort: run.emulator.accounts.west.products.port1G,
      westMve: run.emulator.accounts.west.products.mve,
      unknownProductUid: "0c0ffee0-0000-4000-8000-000000000000",
    };
    baseConfig = {
      ...run.accountsConfig({ owner: "east", consumer: "west" }),
      keys: { value: JSON.stringify(keys), secret: true },
    };
    stack = await run.stack(reliabilityFixture("bad-input"), "bad-input", baseConfig);
  });
  after(async () => run.close());

  it("has at least 30 distinct bad inputs across the three resources", () => {
    const cases = badInputCases({ eastPort: "e", westPort: "w", westMve: "m", unknownProductUid: "u" });
    assert.ok(cases.length >= 30, `${cases.length} cases`);
    assert.equal(
      new Set(cases.map((c) => `${c.resource}: ${c.title}`)).size,
      cases.length,
      "titles are distinct",
    );
    assert.deepEqual([...new Set(cases.map((c) => c.resource))].sort(), [
      "ServiceKey",
      "ServiceKeyVxc",
      "VxcOrderApproval",
    ]);
  });

  /** Sets the case's extra config, runs `fn`, and restores the base config. */
  async function withCaseConfig<T>(group: BadInputCase[], fn: () => Promise<T>): Promise<T> {
    const extra: ConfigMap = Object.assign({}, ...group.map((c) => c.config ?? {}));
    const unset = group.flatMap((c) => c.unsetConfig ?? []);
    if (Object.keys(extra).length > 0) await stack.setAllConfig(extra);
    if (unset.length > 0) await stack.removeAllConfig(unset);
    try {
      return await fn();
    } finally {
      const restore = Object.keys(extra).filter((name) => baseConfig[name] === undefined);
      if (restore.length > 0) await stack.removeAllConfig(restore);
      const reset = Object.fromEntries(
        [...Object.keys(extra), ...unset].filter((n) => baseConfig[n]).map((n) => [n, baseConfig[n]]),
      );
      if (Object.keys(reset).length > 0) await stack.setAllConfig(reset);
    }
  }

  it("rejects every case at preview with the property and the rule, with no create, buy, update or approval", async () => {
    const groups = packCases(badInputCases(ctx));
    const problems: string[] = [];
    for (const group of groups) {
      const label = group.map((c) => `${c.resource}: ${c.title}`).join(" + ");
      await stack.setConfig("case", {
        value: JSON.stringify({ resource: group[0].resource, args: groupArgs(group, ctx) }),
      });
      const since = await lastRequestSeq(run);
      const outputBefore = run.output.length;
      const text = await withCaseConfig(group, async () => {
        try {
          await run.preview(stack);
          return undefined;
        } catch (error) {
          return `${run.output.slice(outputBefore)}\n${(error as Error).message}`;
        }
      });
      if (text === undefined) {
        problems.push(`${label}: preview succeeded`);
        continue;
      }
      const lines = text.split("\n");
      for (const badCase of group) {
        const named = lines.some((line) => line.includes(badCase.property) && badCase.reason.test(line));
        if (!named)
          problems.push(
            `${badCase.resource}: ${badCase.title}: no line names ${badCase.property} with ${badCase.reason}`,
          );
      }
      for (const secret of Object.values(keys)) {
        if (text.includes(secret)) problems.push(`${label}: a service key is in plaintext in the output`);
      }
      const mutations = (await requestsSince(run, since)).filter(isMutation);
      if (mutations.length > 0) {
        problems.push(`${label}: ${mutations.map((m) => `${m.method} ${m.path}`).join(", ")} during preview`);
      }
    }
    assert.deepEqual(problems, [], `${problems.length} of ${groups.length} previews misbehaved`);
  });
});
