/**
 * Runs a Pulumi program of this repository on the real Pulumi engine (the CLI in `.engine/bin`),
 * offline: a local file backend, a passphrase, no update checks, no plugin downloads.
 *
 * The program runs through the Automation API: the CLI connects (`--client`) to the Node.js
 * language runtime inside `@pulumi/pulumi` itself, because the separate `pulumi-language-nodejs`
 * binary cannot be built here (its Go module is not served by the module proxy; README, "The Pulumi
 * engine on these machines"). Everything else is the ordinary CLI: `pulumi up`, `preview`,
 * `refresh`, `destroy`, `config set --secret`, `stack export`, and the dynamic-provider plugin
 * `pulumi-resource-pulumi-nodejs`, started by the engine with `workDir` as its working directory.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";

const execFileAsync = promisify(execFile);

/** The repository root (this file is compiled to `dist/scripts/`). */
export const repoRoot = path.resolve(__dirname, "..", "..");
/** Where `make engine` puts `bin/pulumi` and `bin/pulumi-resource-pulumi-nodejs`. */
export const engineRoot = path.join(repoRoot, ".engine");

export interface ProgramStackOptions {
  /** The program's directory: holds `Pulumi.yaml`; the engine and the provider process run here. */
  workDir: string;
  /** The compiled program module: its top-level code declares resources, its exports become outputs. */
  programModule: string;
  stackName: string;
  /** Directory of the local file backend; created when missing. */
  backendDir: string;
  passphrase?: string;
  /** Extra environment for the CLI and, through it, the provider process. */
  envVars?: Record<string, string>;
}

/** Fails with the remedy when the engine or the dynamic-provider plugin is missing. */
export function assertEngineInstalled(): void {
  for (const name of ["pulumi", "pulumi-resource-pulumi-nodejs"]) {
    const file = path.join(engineRoot, "bin", name);
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing: run \`make engine\` first`);
    }
  }
}

/** The environment every engine run gets: nothing may reach for the internet. */
export function offlineEngineEnv(backendDir: string, passphrase: string): Record<string, string> {
  return {
    PATH: `${path.join(engineRoot, "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_HOME: path.join(repoRoot, ".pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
  };
}

/**
 * Creates or selects the stack `stackName` of the program in `workDir`. Each `up`/`preview` runs
 * the program module afresh (it is evicted from the require cache first), as the CLI would.
 */
export async function openProgramStack(options: ProgramStackOptions): Promise<Stack> {
  assertEngineInstalled();
  fs.mkdirSync(options.backendDir, { recursive: true });
  const programModule = require.resolve(options.programModule);
  const program = async () => {
    delete require.cache[programModule];
    // The module's enumerable exports are the stack outputs (`__esModule` is not enumerable).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a program, loaded afresh by path
    return { ...require(programModule) };
  };
  const pulumiCommand = await PulumiCommand.get({ root: engineRoot });
  const envVars = {
    ...offlineEngineEnv(options.backendDir, options.passphrase ?? "megaport-test"),
    ...options.envVars,
  };
  return LocalWorkspace.createOrSelectStack(
    { stackName: options.stackName, projectName: projectNameOf(options.workDir), program },
    { workDir: options.workDir, pulumiCommand, envVars },
  );
}

/** The `name:` of the program's `Pulumi.yaml`. */
function projectNameOf(workDir: string): string {
  const projectFile = path.join(workDir, "Pulumi.yaml");
  const name = /^name:\s*(\S+)\s*$/m.exec(fs.readFileSync(projectFile, "utf8"))?.[1];
  if (!name) throw new Error(`${projectFile} has no \`name:\``);
  return name;
}

/**
 * `pulumi stack export` as text, exactly as the CLI prints it (secrets stay ciphertext), for
 * asserting that no secret appears in plaintext. The Automation API's `exportStack()` is not
 * that: it passes `--show-secrets`.
 */
export async function exportedStateText(stack: Stack): Promise<string> {
  const workspace = stack.workspace as LocalWorkspace;
  const { stdout } = await execFileAsync(
    path.join(engineRoot, "bin", "pulumi"),
    ["stack", "export", "--stack", stack.name, "--non-interactive"],
    { cwd: workspace.workDir, env: { ...process.env, ...workspace.envVars }, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}
