/**
 * Runs the shell steps of an example's README, as a user types them, with the plain Pulumi CLI:
 * every line of the `sh` blocks of one README section, one at a time, in the example's directory.
 * A line ending in `&` starts a background job (the emulator) that `kill %1` stops. The only
 * changes to the text: the emulator's port 8080 becomes a free one, so that runs never collide.
 */
import * as assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

/** The `sh` block lines (not blank, not comments) of the README section headed `## <section>`. */
export function readmeSteps(readme: string, section: string): string[] {
  const text = fs.readFileSync(readme, "utf8");
  const start = text.indexOf(`\n## ${section}\n`);
  assert.ok(start >= 0, `${readme} has no section "## ${section}"`);
  const end = text.indexOf("\n## ", start + 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  const lines = [...body.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) => block[1].split("\n"));
  return lines.filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
}

/** A free loopback port (the emulator's, in place of the README's 8080). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface StepResult {
  line: string;
  output: string;
}

/** One user's shell: the example's directory, an environment, and at most one background job. */
export class ReadmeShell {
  /** Every line run, with what it printed (stdout and stderr). */
  readonly transcript: StepResult[] = [];
  private job?: ChildProcess;
  /** The first line the background job printed, e.g. `Megaport emulator listening on <url>`. */
  jobOutput = "";

  constructor(
    /** The environment of every line (and of the background job). */
    readonly env: NodeJS.ProcessEnv,
    private readonly port: number,
  ) {}

  /** The README line as run here: the emulator's port 8080 becomes this shell's port. */
  private localize(line: string): string {
    return line.replaceAll("127.0.0.1:8080", `127.0.0.1:${this.port}`).replaceAll("--port 8080", `--port ${this.port}`);
  }

  /** Runs one README line in `dir`; fails with its output when it exits non-zero. */
  async run(dir: string, readmeLine: string): Promise<StepResult> {
    const line = this.localize(readmeLine);
    const command = line.split(/\s+#\s/)[0].trim();
    let output: string;
    if (command.endsWith("&")) {
      output = await this.startJob(dir, command.slice(0, -1).trim());
    } else if (command === "kill %1") {
      output = await this.stopJob();
    } else {
      output = await new Promise<string>((resolve, reject) => {
        execFile(
          "bash",
          ["-o", "pipefail", "-c", command],
          { cwd: dir, env: this.env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
          (error, stdout, stderr) => {
            const text = `${stdout}${stderr}`;
            if (error) reject(new Error(`\`${readmeLine}\` in ${path.basename(dir)} failed (${error.message}):\n${text}`));
            else resolve(text);
          },
        );
      });
    }
    const result = { line: readmeLine, output };
    this.transcript.push(result);
    return result;
  }

  /** Starts the background job (its own process group) and waits for its first line of output. */
  private async startJob(dir: string, command: string): Promise<string> {
    assert.equal(this.job, undefined, "one background job at a time");
    const job = spawn("bash", ["-c", `exec ${command}`], { cwd: dir, env: this.env, detached: true });
    this.job = job;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`\`${command}\` printed nothing in 60 s`)), 60_000);
      let text = "";
      job.stdout?.on("data", (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes("\n") && !this.jobOutput) {
          clearTimeout(timer);
          this.jobOutput = text;
          resolve(text);
        }
      });
      job.stderr?.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      job.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`\`${command}\` exited (${code}) before it was ready:\n${text}`));
      });
    });
  }

  /** `kill %1`: stops the background job's process group and waits until it is gone. */
  async stopJob(): Promise<string> {
    const job = this.job;
    if (!job || job.pid === undefined) return "";
    this.job = undefined;
    this.jobOutput = "";
    if (job.exitCode !== null || job.signalCode !== null) return "";
    const exited = new Promise((resolve) => job.once("exit", resolve));
    process.kill(-job.pid, "SIGTERM");
    await exited;
    return "";
  }
}
