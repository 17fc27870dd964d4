/**
 * A benchmark program run from a packed install of the package (scripts/packedInstall.ts), as a
 * user's program runs: the package is a real copy under `node_modules`, so each resource's
 * `__provider` is the short `require` of its shim, where this repository's own link stores the
 * shim's code (docs/architecture.md, "The thin serialized shim"; bench/NOTES.md).
 *
 * The program must load the install's own `@pulumi/pulumi`: the closure serializer maps the shim's
 * path through the package that copy resolves, and a second copy of `@pulumi/pulumi` in the
 * benchmark's process cannot register resources with the first one's engine connection ("Request
 * message serialization failure"). So the stack is driven from a Node.js process of its own,
 * started once per point and kept for all its operations (no start-up cost in what is timed), that
 * loads the Automation API from the install: {@link startPackedProgram} in the benchmark, this
 * file's `main` in the child, over IPC (`child_process.fork`).
 */
import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Automation from "@pulumi/pulumi/automation";

/** Where the stack lives and how the child opens it (JSON, argv[2]). */
export interface PackedProgramOptions {
  /** The install: `Pulumi.yaml`, the compiled program, `node_modules`. */
  workDir: string;
  programModule: string;
  stackName: string;
  /** The engine: `bin/pulumi` under it. */
  engineRoot: string;
  /** The CLI's whole environment (backend, passphrase, offline settings, the provider's). */
  envVars: Record<string, string>;
}

/** What the benchmark asks the child for. */
type Body =
  | { op: "config"; config: Automation.ConfigMap }
  | { op: "env"; name: string; value: string | undefined }
  | { op: "up" | "refresh" | "destroy"; parallel: number };
/** One request from the benchmark to the child. */
type Request = Body & { id: number };

/** The child's answer to request `id`. */
type Answer = { id: number; error?: string };

/** The stack of a packed program, as the benchmark drives it. */
export interface PackedProgram {
  setAllConfig(config: Automation.ConfigMap): Promise<void>;
  /** Sets (or, with `undefined`, removes) one variable of the CLI's environment. */
  setEnv(name: string, value: string | undefined): Promise<void>;
  run(op: "up" | "refresh" | "destroy", parallel: number): Promise<void>;
  /** Ends the child. */
  close(): void;
}

/** Forks the child that drives the stack of `options`. */
export function startPackedProgram(options: PackedProgramOptions): PackedProgram {
  const child = fork(__filename, [JSON.stringify(options)], { cwd: options.workDir, stdio: "inherit" });
  const pending = new Map<number, { resolve(): void; reject(error: Error): void }>();
  let next = 0;
  child.on("message", (answer: Answer) => {
    const waiting = pending.get(answer.id);
    pending.delete(answer.id);
    if (answer.error === undefined) waiting?.resolve();
    else waiting?.reject(new Error(answer.error));
  });
  child.on("exit", (code) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`the packed program's process exited (${code})`));
    pending.clear();
  });
  const ask = (request: Body) =>
    new Promise<void>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ ...request, id });
    });
  return {
    setAllConfig: (config) => ask({ op: "config", config }),
    setEnv: (name, value) => ask({ op: "env", name, value }),
    run: (op, parallel) => ask({ op, parallel }),
    close: () => void child.kill(),
  };
}

/** The child: opens the stack with the install's Automation API. */
async function openStack(options: PackedProgramOptions): Promise<Automation.Stack> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the install's own copy, by path
  const automation = require(require.resolve("@pulumi/pulumi/automation", { paths: [options.workDir] })) as typeof Automation;
  const programModule = path.resolve(options.programModule);
  const program = async () => {
    delete require.cache[programModule];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a program, loaded afresh by path
    return { ...require(programModule) };
  };
  const pulumiCommand = await automation.PulumiCommand.get({ root: options.engineRoot });
  // Warm, as the benchmark's own process is when the provider's turn comes (the floor's program
  // ran there first): the closure serializer is loaded on first use, and slowly.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the install's own copy, by path
  const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [options.workDir] })) as typeof import("@pulumi/pulumi");
  await pulumi.runtime.serializeFunction(() => 0);
  const project = fs.readFileSync(path.join(options.workDir, "Pulumi.yaml"), "utf8");
  return automation.LocalWorkspace.createOrSelectStack(
    { stackName: options.stackName, projectName: /^name:\s*(\S+)\s*$/m.exec(project)?.[1] ?? "", program },
    { workDir: options.workDir, pulumiCommand, envVars: { ...options.envVars } },
  );
}

/** The child: answers the benchmark's requests one by one (listening from the start: IPC does not queue). */
function main(options: PackedProgramOptions): void {
  // Ends with the benchmark, whichever way it ends.
  process.on("disconnect", () => process.exit(0));
  let queue: Promise<Automation.Stack> = openStack(options);
  process.on("message", (request: Request) => {
    queue = queue.then(async (stack) => {
      try {
        if (request.op === "config") await stack.setAllConfig(request.config);
        else if (request.op === "env") {
          if (request.value === undefined) delete stack.workspace.envVars[request.name];
          else stack.workspace.envVars[request.name] = request.value;
        } else {
          const quiet = { parallel: request.parallel, onOutput: () => {} };
          await (request.op === "up" ? stack.up(quiet) : request.op === "refresh" ? stack.refresh(quiet) : stack.destroy(quiet));
        }
        process.send?.({ id: request.id } satisfies Answer);
      } catch (error) {
        process.send?.({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies Answer);
      }
      return stack;
    });
  });
  queue.catch((error: unknown) => {
    process.stderr.write(`packed program: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

if (require.main === module) main(JSON.parse(process.argv[2] ?? "") as PackedProgramOptions);
