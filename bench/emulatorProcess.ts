/**
 * The emulator in a process of its own (`megaport-emulator`, emulator/cli.ts), as the remote API it
 * stands for: its request handling never shares an event loop or a CPU time slice accounting with
 * the benchmark's program (the Automation API runs the program in the benchmark's process).
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { z } from "zod";

/** What the emulator prints about each account (emulator/cli.ts, `MEGAPORT_EMULATOR_ACCOUNTS=`). */
const AccountsSchema = z.record(
  z.string(),
  z.object({
    name: z.string(),
    accessKey: z.string(),
    secretKey: z.string(),
    products: z.record(z.string(), z.string()),
  }),
);
export type EmulatorAccounts = z.infer<typeof AccountsSchema>;

/** A running emulator process. */
export interface EmulatorProcess {
  url: string;
  accounts: EmulatorAccounts;
  close(): Promise<void>;
}

/** Starts `node dist/emulator/cli.js --port 0` with the given provisioning delay. */
export function startEmulatorProcess(distDir: string, provisioningDelayMs: number): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(distDir, "emulator", "cli.js"), "--port", "0", "--provisioning-delay-ms", String(provisioningDelayMs)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const fail = (why: string) => reject(new Error(`emulator did not start: ${why}${err ? `: ${err.trim()}` : ""}`));
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString("utf8");
    });
    child.on("exit", (code) => fail(`exited with ${String(code)}`));
    child.on("error", (error) => fail(error.message));
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const url = /listening on (\S+)/.exec(out)?.[1];
      const accountsLine = /^MEGAPORT_EMULATOR_ACCOUNTS=(.+)$/m.exec(out)?.[1];
      if (url === undefined || accountsLine === undefined) return;
      child.removeAllListeners("exit");
      child.stdout?.removeAllListeners("data");
      child.stdout?.resume();
      resolve({
        url,
        accounts: AccountsSchema.parse(JSON.parse(accountsLine)),
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}
