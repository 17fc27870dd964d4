/**
 * One `pulumi up` or `preview` of a program stack, run in a Node.js process of its own: the child
 * that `EngineRun` (tests/e2e/engineRun.ts) forks for every operation that runs a program.
 *
 * The Automation API runs an inline program inside the process that asks for the operation. When
 * the CLI stops first (an operation that fails, or a CLI killed by a test), the program carries on
 * for a while, or for good, and its calls to the gone CLI fail later ("14 UNAVAILABLE"). Each
 * program listens for every unhandled rejection of its process while it runs (`@pulumi/pulumi`
 * `automation/server.js`), so in a shared test process such a late failure of an old program
 * failed whichever operation ran next. Here each program has a process to itself, and the process
 * ends with its operation, as `pulumi-language-nodejs` ends with the CLI's run.
 *
 * Protocol (IPC, `child_process.fork`): argv[2] is the JSON of an {@link OperationRequest}; the
 * child sends `{ kind: "output", text }` for everything the CLI prints, then one
 * `{ kind: "result", result }` or `{ kind: "error", message }`, and exits.
 */
import type { PreviewOptions, UpOptions } from "@pulumi/pulumi/automation";
import { openProgramStack, type ProgramStackOptions } from "../../scripts/pulumiStack";

/** What the parent asks for: options that survive JSON (no callbacks, no program). */
export type OperationRequest =
  | { operation: "up"; stack: ProgramStackOptions; options: Omit<UpOptions, "onOutput" | "onError" | "onEvent"> }
  | {
      operation: "preview";
      stack: ProgramStackOptions;
      options: Omit<PreviewOptions, "onOutput" | "onError" | "onEvent">;
    };

/** A message from the child to the parent. */
export type OperationMessage =
  | { kind: "output"; text: string }
  | { kind: "result"; result: unknown }
  | { kind: "error"; message: string };

function send(message: OperationMessage): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send ? process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve())) : resolve(),
  );
}

async function main(request: OperationRequest): Promise<unknown> {
  const stack = await openProgramStack(request.stack);
  const output = (text: string) => void send({ kind: "output", text });
  return request.operation === "up"
    ? stack.up({ ...request.options, onOutput: output, onError: output })
    : stack.preview({ ...request.options, onOutput: output, onError: output });
}

if (require.main === module) {
  main(JSON.parse(process.argv[2] ?? "") as OperationRequest)
    .then(
      (result) => send({ kind: "result", result }),
      (error: unknown) => send({ kind: "error", message: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => process.exit(0));
}
