import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { repoRoot } from "../../scripts/pulumiStack";
import { lastRequestSeq, requestsSince } from "../reliability/harness";
import { EngineRun, example } from "./engineRun";

type Step = "preview" | "up" | "drift";

/**
 * The `pulumi` command of each step of examples/gitops/pipeline.sh, as written there. The engine
 * here has no `pulumi-language-nodejs`, so the steps run through the Automation API (the same CLI
 * with the same flags, `--client` to the Node.js runtime): these are the commands it runs.
 */
const AUTOMATION_EQUIVALENT: Record<Step, string> = {
  preview: 'pulumi preview --stack "$PULUMI_STACK" --non-interactive --diff',
  up: 'pulumi up --stack "$PULUMI_STACK" --non-interactive --yes',
  drift: 'pulumi refresh --stack "$PULUMI_STACK" --non-interactive --preview-only --expect-no-changes',
};

function scriptSteps(): Record<string, string> {
  const script = fs.readFileSync(path.join(repoRoot, "examples/gitops/pipeline.sh"), "utf8");
  const steps: Record<string, string> = {};
  for (const match of script.matchAll(/^\s+(\w+)\)\n(?:\s+#.*\n)*\s+(pulumi [^\n]+)\n/gm)) {
    steps[match[1]] = match[2].trim();
  }
  return steps;
}

// examples/gitops on the real engine against the emulator, step by step as its pipeline runs:
// preview of a pull request with a Read Only key, up on main with a Company Admin key, and the
// scheduled drift check with a Read Only key, which fails once a key is changed outside git.
describe("e2e: the GitOps example's pipeline", function () {
  this.timeout(300_000);
  let run: EngineRun;
  let stack: Stack;

  before(async () => {
    run = await EngineRun.start();
    stack = await run.stack(example("gitops"), "gitops", {
      "megaport:baseUrl": { value: run.emulator.url },
      portUid: { value: run.emulator.accounts.east.products.port10G },
      partners: { value: JSON.stringify([{ name: "acme" }]) },
    });
  });
  after(async () => run.close());

  it("the script's steps are the commands this suite runs", () => {
    assert.deepEqual(scriptSteps(), AUTOMATION_EQUIVALENT);
  });

  /** Sets East's key of `role` in the environment, as the workflow does for each job. */
  function useKey(role: "admin" | "readOnly"): void {
    const { east } = run.emulator.accounts;
    const key = role === "admin" ? east : east.readOnly;
    assert.ok(key);
    Object.assign(stack.workspace.envVars, { MEGAPORT_ACCESS_KEY: key.accessKey, MEGAPORT_SECRET_KEY: key.secretKey });
  }

  /** The pipeline's steps, each with the key its job uses. */
  const steps = {
    preview: () => {
      useKey("readOnly");
      return run.preview(stack);
    },
    up: () => {
      useKey("admin");
      return run.up(stack);
    },
    drift: () => {
      useKey("readOnly");
      return stack.previewRefresh({
        expectNoChanges: true,
        onOutput: (text) => {
          run.output += text;
        },
      });
    },
  };

  it("pull request → preview (Read Only), main → up (Company Admin), schedule → drift check (Read Only)", async () => {
    let since = await lastRequestSeq(run);
    const preview = await steps.preview();
    assert.equal(preview.changeSummary.create, 2, "the key and the stack would be created");
    assert.ok((await requestsSince(run, since)).every((r) => r.status === 200), "the preview was not refused");
    assert.equal((await steps.up()).summary.result, "succeeded");

    // A pull request adds a partner: previewed with the Read Only key, applied with the Company Admin key.
    await stack.setConfig("partners", { value: JSON.stringify([{ name: "acme" }, { name: "globex", maxSpeed: 200 }]) });
    since = await lastRequestSeq(run);
    const added = await steps.preview();
    assert.equal(added.changeSummary.create, 1);
    assert.equal(added.changeSummary.same, 2);
    assert.ok((await requestsSince(run, since)).every((r) => r.method === "GET" || r.path === "/oauth2/token"));
    // The up step run by mistake with the Read Only key: refused before anything changes.
    useKey("readOnly");
    await assert.rejects(
      run.up(stack),
      /the default account: create a service key was refused: POST \/v2\/service\/key: 403 .*Changes need a Company Admin API key: if the key from the environment variables MEGAPORT_ACCESS_KEY and MEGAPORT_SECRET_KEY is Read Only/,
    );
    assert.equal((await run.state()).serviceKeys.length, 1, "nothing was created");
    assert.equal((await steps.up()).summary.result, "succeeded");
    const keys = (await run.state()).serviceKeys;
    assert.deepEqual(keys.map((k) => k.maxSpeed).sort(), [200, 500]);

    // The scheduled drift check passes while Megaport matches git...
    await steps.drift();
    // ...and fails once someone deactivates a key in the Portal.
    await run.admin("POST", `service-keys/${keys[0].key}`, { active: false });
    const drifted = await steps.drift().then(
      () => assert.fail("the drift check passed"),
      (error: unknown) => String(error),
    );
    assert.match(drifted, /no changes were expected for refresh but changes were proposed/);
    assert.equal((await run.state()).serviceKeys[0].active, false, "the drift check changed nothing");
    await run.assertNoSecretsLeaked(stack);
  });
});
