import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

// docs/architecture.md: one implementation (provider/resources/), two thin adapters
// (provider/dynamic/ for TypeScript programs, provider/plugin/ for the provider plugin), imports
// flowing one way. Read from the sources: every relative import of every provider file.
const providerDir = path.resolve(__dirname, "..", "..", "..", "provider");

/** The provider folder (resources, dynamic, plugin, or "." for the entry points) each relative import of `file` reaches. */
function importedFolders(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const targets = [...text.matchAll(/(?:from|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1] as string);
  return targets.map((target) => {
    const relative = path.relative(providerDir, path.resolve(path.dirname(file), target));
    return relative.startsWith("..") ? "outside" : relative.includes(path.sep) ? (relative.split(path.sep)[0] as string) : ".";
  });
}

/** The TypeScript sources of `folder`, its subfolders included (e.g. dynamic/shims/). */
function sources(folder: string): string[] {
  return fs
    .readdirSync(path.join(providerDir, folder), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => path.join(providerDir, folder, name));
}

describe("unit: the provider's layout", () => {
  it("resources/ imports no adapter; dynamic/ and plugin/ import resources/ and never each other", () => {
    const rules: Record<string, string[]> = {
      resources: ["resources", "outside"],
      dynamic: ["dynamic", "resources"],
      plugin: ["plugin", "resources"],
    };
    for (const [folder, allowed] of Object.entries(rules)) {
      const files = sources(folder);
      assert.ok(files.length > 2, `${folder}/ has its files`);
      for (const file of files) {
        for (const reached of importedFolders(file)) {
          assert.ok(allowed.includes(reached), `${path.relative(providerDir, file)} imports from ${reached}/`);
        }
      }
    }
  });

  it("resources/ reaches only the sdk outside provider/ (no engine code: it serves both adapters)", () => {
    for (const file of sources("resources")) {
      const text = fs.readFileSync(file, "utf8");
      assert.ok(!/from "@pulumi\/pulumi/.test(text), `${path.basename(file)} does not import @pulumi/pulumi`);
      for (const target of [...text.matchAll(/from\s*["'](\.\.\/\.\.\/[^"']+)["']/g)].map((m) => m[1])) {
        assert.match(target ?? "", /^\.\.\/\.\.\/sdk/, `${path.basename(file)} imports ${target}`);
      }
    }
  });
});
