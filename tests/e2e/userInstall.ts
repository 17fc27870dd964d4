/**
 * The package as a user installs it: `npm pack`, then `npm install` of the tarball (with
 * @pulumi/pulumi) into a fresh project (scripts/packedInstall.ts). Its `node_modules/.bin` holds
 * the bins, the provider plugin `pulumi-resource-megaport-service-keys` among them: with that
 * directory on PATH the engine finds the plugin (README, "Pulumi YAML"). Made once per test process and shared by the suites that need
 * it (tests/e2e/package.test.ts, tests/e2e/yamlPartnerOnboarding.test.ts); removed at exit.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packedInstall } from "../../scripts/packedInstall";

export interface UserInstall {
  /** The user's project directory (package.json, node_modules). */
  project: string;
  /** `node_modules/.bin` of the project: put it on PATH for the plugin. */
  binDir: string;
}

let installed: Promise<UserInstall> | undefined;

async function install(): Promise<UserInstall> {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "megaport-user-"));
  process.on("exit", () => fs.rmSync(project, { recursive: true, force: true }));
  await packedInstall(project);
  return { project, binDir: path.join(project, "node_modules", ".bin") };
}

/** The shared user install (made on first use). */
export function userInstall(): Promise<UserInstall> {
  installed ??= install();
  return installed;
}
