import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { exportedStateText, openProgramStack, repoRoot } from "../../scripts/pulumiStack";

// Proof that the offline engine works: the real Pulumi CLI runs up, preview, refresh and destroy of
// a program with one dynamic resource. It fails when the CLI or the dynamic-provider plugin is
// missing from .engine/bin (openProgramStack refuses, and the engine could not start the plugin).
describe("e2e: the Pulumi engine on this machine", function () {
  this.timeout(180_000);
  let backendDir: string;
  let stack: Stack;

  before(async () => {
    backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-proof-"));
    stack = await openProgramStack({
      workDir: path.join(repoRoot, "tests", "e2e", "fixtures", "engine"),
      programModule: path.join(__dirname, "fixtures", "engine", "index.js"),
      stackName: "proof",
      backendDir,
    });
  });

  after(() => fs.rmSync(backendDir, { recursive: true, force: true }));

  it("runs `pulumi up` and records the dynamic resource in the exported state", async () => {
    const result = await stack.up();
    assert.equal(result.summary.result, "succeeded");
    assert.equal(result.outputs.text.value, "hello, engine");
    const state = JSON.parse(await exportedStateText(stack));
    const greeting = state.deployment.resources.find(
      (r: { type: string }) => r.type === "pulumi-nodejs:dynamic/proof:Greeting",
    );
    assert.ok(greeting, "the dynamic resource is in the state");
    assert.equal(greeting.id, "greeting-engine");
    assert.equal(greeting.outputs.text, "hello, engine");
    assert.equal(typeof greeting.outputs.__provider, "string");
  });

  it("shows no changes on a second `pulumi preview`", async () => {
    const preview = await stack.preview();
    assert.deepEqual(preview.changeSummary, { same: 2 });
  });

  it("refreshes without changes", async () => {
    const refresh = await stack.refresh();
    assert.equal(refresh.summary.result, "succeeded");
    assert.equal(refresh.summary.resourceChanges?.update ?? 0, 0);
  });

  it("destroys everything", async () => {
    const destroy = await stack.destroy();
    assert.equal(destroy.summary.result, "succeeded");
    assert.equal(destroy.summary.resourceChanges?.delete, 2);
    const state = JSON.parse(await exportedStateText(stack));
    assert.equal(state.deployment.resources?.length ?? 0, 0);
  });
});
