/**
 * The package as a user installs it: `npm pack` of this repository (its built `dist/`), then
 * `npm install` of the tarball next to this repository's `@pulumi/pulumi` version, in a fresh
 * project directory. Unlike this repository's own link (`node_modules/pulumi-megaport-service-keys`
 * → the repository root), the package there is a real copy under `node_modules`, so a dynamic
 * resource's serialized provider is the short `require` of its shim's subpath
 * (docs/architecture.md, "The thin serialized shim"). Used by the e2e suites
 * (tests/e2e/userInstall.ts) and the benchmark (bench/run.ts).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./pulumiStack";

const exec = promisify(execFile);

/** Packs the built package into `project` (a new, empty directory) and installs it there. */
export async function packedInstall(project: string): Promise<void> {
  const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", project], { cwd: repoRoot });
  const [{ filename }] = JSON.parse(stdout) as { filename: string }[];
  fs.writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "user-project", private: true, version: "1.0.0" }),
  );
  const pulumiVersion = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).devDependencies[
    "@pulumi/pulumi"
  ];
  await exec(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", `./${filename}`, `@pulumi/pulumi@${pulumiVersion}`],
    { cwd: project },
  );
}
