/**
 * One end-to-end session: an emulator, a temporary file backend, and programs run on the real
 * Pulumi engine against them. Every line the CLI prints, on stdout and on stderr, is kept (and a
 * test can add the text of an error it caught), so a test can assert that no credential or service
 * key ever appeared in plaintext in the output or in the exported state.
 */
import * as assert from "node:assert/strict";
import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type {
  ConfigMap,
  DestroyOptions,
  LocalWorkspace,
  PreviewOptions,
  PreviewResult,
  RefreshOptions,
  Stack,
  UpOptions,
  UpResult,
} from "@pulumi/pulumi/automation";
import { type RunningEmulator, type Seed, startEmulator } from "../../emulator";
import {
  exportedStateText,
  openProgramStack,
  type ProgramStackOptions,
  repoRoot,
} from "../../scripts/pulumiStack";
import type { OperationMessage, OperationRequest } from "./operationProcess";

export interface ProgramRef {
  /** Source directory (with Pulumi.yaml), relative to the repository root. */
  dir: string;
  /** Compiled program module, relative to the repository root. */
  module: string;
}

/** A fixture under tests/e2e/fixtures, or an example under examples/. */
export const fixture = (name: string): ProgramRef => ({
  dir: `tests/e2e/fixtures/${name}`,
  module: `dist/tests/e2e/fixtures/${name}/index.js`,
});
export const example = (name: string): ProgramRef => ({
  dir: `examples/${name}`,
  module: `dist/examples/${name}/index.js`,
});

/** The emulator's state (`GET /_emulator/state`), as far as the end-to-end suites read it. */
export interface EmulatorState {
  serviceKeys: { key: string; active: boolean; maxSpeed: number; vlan: number | null; productUid: string }[];
  vxcs: { productUid: string; provisioningStatus: string; rateLimit: number }[];
}

/** Operation options that survive JSON: no callbacks, no program. */
type ProcessOptions<T> = Omit<T, "onOutput" | "onError" | "onEvent" | "program">;

/** An operation running in a process of its own. */
export interface OperationProcess<T> {
  pid: number;
  /** The operation's result; rejects with the operation's error, or when the process was killed. */
  result: Promise<T>;
}

export class EngineRun {
  /** Everything the CLI printed in this session, stdout and stderr, plus any text {@link note}d. */
  output = "";
  /** How each stack opened by {@link stack} is opened again in an operation's own process. */
  private readonly programs = new WeakMap<Stack, ProgramStackOptions>();

  private constructor(
    readonly emulator: RunningEmulator,
    private readonly backendDir: string,
  ) {}

  /** `tokenLifetimeSeconds` shortens the emulator's token lifetime (e.g. 300 for expiry tests). */
  static async start(
    options: { provisioningDelayMs?: number; tokenLifetimeSeconds?: number; seed?: Seed } = {},
  ): Promise<EngineRun> {
    const emulator = await startEmulator({
      port: 0,
      provisioningDelayMs: options.provisioningDelayMs ?? 200,
      tokenLifetimeSeconds: options.tokenLifetimeSeconds,
      seed: options.seed,
    });
    return new EngineRun(emulator, fs.mkdtempSync(path.join(os.tmpdir(), "megaport-e2e-")));
  }

  async close(): Promise<void> {
    await this.emulator.close();
    fs.rmSync(this.backendDir, { recursive: true, force: true });
  }

  /** `megaport:accounts` (secret) holding the emulator's companies under the names a program uses. */
  accountsConfig(names: Record<string, string>): ConfigMap {
    const accounts = Object.fromEntries(
      Object.entries(names).map(([alias, company]) => {
        const { accessKey, secretKey } = this.emulator.accounts[company];
        return [alias, { accessKey, secretKey }];
      }),
    );
    return {
      "megaport:baseUrl": { value: this.emulator.url },
      "megaport:accounts": { value: JSON.stringify(accounts), secret: true },
      "megaport:acceptPurchaseTerms": { value: "true" },
    };
  }

  /** The default account (`megaport:accessKey`/`secretKey`) set to one emulator company. */
  defaultAccountConfig(company: string): ConfigMap {
    const { accessKey, secretKey } = this.emulator.accounts[company];
    return {
      "megaport:baseUrl": { value: this.emulator.url },
      "megaport:accessKey": { value: accessKey, secret: true },
      "megaport:secretKey": { value: secretKey, secret: true },
      "megaport:acceptPurchaseTerms": { value: "true" },
    };
  }

  /** Where the stack `stackName` of `program` lives in this session: its directory, module and backend. */
  stackOptions(program: ProgramRef, stackName: string): ProgramStackOptions {
    return {
      workDir: path.join(repoRoot, program.dir),
      programModule: path.join(repoRoot, program.module),
      stackName,
      backendDir: this.backendDir,
      envVars: { MEGAPORT_POLL_INTERVAL_MS: "100" },
    };
  }

  /**
   * Opens the stack with exactly `config`. The session's backend is new, so a config file the engine
   * left next to the program (`Pulumi.<stack>.yaml`) comes from an earlier session, perhaps one
   * stopped half-way with a test's setting in it: it is removed first.
   */
  async stack(program: ProgramRef, stackName: string, config: ConfigMap): Promise<Stack> {
    const options = this.stackOptions(program, stackName);
    fs.rmSync(path.join(options.workDir, `Pulumi.${stackName}.yaml`), { force: true });
    const stack = await openProgramStack(options);
    this.programs.set(stack, options);
    await stack.setAllConfig(config);
    return stack;
  }

  private readonly record = (text: string) => {
    this.output += text;
  };

  /** Adds text to the scanned output, e.g. the message of an operation's error that a test caught. */
  note(text: string): void {
    this.output += `\n${text}\n`;
  }

  /**
   * The operations below record the CLI's stdout and stderr, and the text of the error a failed
   * operation throws; `options` adds e.g. `parallel` or `clearPendingCreates`.
   */
  up(stack: Stack, options: ProcessOptions<UpOptions> = {}): Promise<UpResult> {
    return this.recorded(() => this.startUp(stack, options).result);
  }
  preview(stack: Stack, options: ProcessOptions<PreviewOptions> = {}): Promise<PreviewResult> {
    return this.recorded(
      () =>
        this.startOperation<PreviewResult>({
          operation: "preview",
          stack: this.processStack(stack),
          options: { diff: true, ...options },
        }).result,
    );
  }
  /** `refresh` and `destroy` run no program (no `--run-program`): the CLI does them alone. */
  refresh(stack: Stack, options: Omit<RefreshOptions, "onOutput" | "onError"> = {}) {
    return this.recorded(() => stack.refresh({ ...options, onOutput: this.record, onError: this.record }));
  }
  destroy(stack: Stack, options: Omit<DestroyOptions, "onOutput" | "onError"> = {}) {
    return this.recorded(() => stack.destroy({ ...options, onOutput: this.record, onError: this.record }));
  }

  /**
   * Starts `pulumi up` with its program in a process of its own (tests/e2e/operationProcess.ts says
   * why), and gives its pid, for a test that kills it, and its result.
   */
  startUp(stack: Stack, options: ProcessOptions<UpOptions> = {}): OperationProcess<UpResult> {
    return this.startOperation<UpResult>({ operation: "up", stack: this.processStack(stack), options });
  }

  /** The stack as the child process opens it again: with the environment its workspace has now. */
  private processStack(stack: Stack): ProgramStackOptions {
    const options = this.programs.get(stack);
    assert.ok(options, `the stack ${stack.name} was not opened by EngineRun.stack`);
    return { ...options, envVars: { ...(stack.workspace as LocalWorkspace).envVars } };
  }

  private startOperation<T>(request: OperationRequest): OperationProcess<T> {
    const child = fork(path.join(__dirname, "operationProcess.js"), [JSON.stringify(request)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const result = new Promise<T>((resolve, reject) => {
      let answer: OperationMessage | undefined;
      child.on("message", (message: OperationMessage) => {
        if (message.kind === "output") this.record(message.text);
        else answer = message;
      });
      child.on("error", reject);
      // "close", not "exit": it comes after the IPC channel has delivered every message.
      child.on("close", (code, signal) => {
        if (answer?.kind === "result") resolve(answer.result as T);
        else if (answer?.kind === "error") reject(new Error(answer.message));
        else reject(new Error(`pulumi ${request.operation} ended with no result (${signal ?? `exit code ${code}`})`));
      });
    });
    assert.ok(child.pid !== undefined, "started tests/e2e/operationProcess.js");
    return { pid: child.pid, result };
  }

  private async recorded<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      this.note(error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /** The resources of one type in the exported state. */
  async resources(
    stack: Stack,
    type: string,
  ): Promise<{ urn: string; id: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[]> {
    const state = JSON.parse(await exportedStateText(stack));
    return (state.deployment.resources ?? []).filter(
      (r: { type: string }) => r.type === `pulumi-nodejs:dynamic/megaport:${type}`,
    );
  }

  /** GET or POST on the emulator's admin API (`/_emulator/...`). */
  async admin<T = unknown>(method: "GET" | "POST", adminPath: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.emulator.url}/_emulator/${adminPath}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} /_emulator/${adminPath}: ${response.status}`);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** What the emulator holds now. */
  state(): Promise<EmulatorState> {
    return this.admin<EmulatorState>("GET", "state");
  }

  /** Every service key the emulator holds, and every credential it serves. */
  secrets(): Promise<string[]> {
    return emulatorSecrets(this.emulator.url, this.emulator.accounts);
  }

  /** Asserts that no key or credential appears in plaintext in the CLI output or the state. */
  async assertNoSecretsLeaked(stack: Stack): Promise<void> {
    assertNoSecretIn({ state: await exportedStateText(stack), output: this.output }, await this.secrets());
  }
}

/**
 * Asserts that none of `secrets` (service keys and credentials) appears in plaintext in any of
 * `texts` (named, e.g. the CLI output and the exported state), and no key's 8-character prefix
 * either: it looks the key up as well as the whole key (emulator/README.md, "Fidelity").
 */
export function assertNoSecretIn(texts: Record<string, string>, secrets: string[]): void {
  assert.ok(secrets.length > 0, "there are secrets to look for");
  for (const [name, text] of Object.entries(texts)) {
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `a service key or credential is in plaintext in the ${name}`);
    }
    for (const key of secrets.filter((secret) => /^[0-9a-f]{8}-/.test(secret))) {
      const prefix = new RegExp(`(?<![0-9a-f-])${key.slice(0, 8)}(?![0-9a-f])`);
      assert.ok(!prefix.test(text), `a service key's prefix is in plaintext in the ${name}`);
    }
  }
}

/** Every service key an emulator holds (its admin state), and the secret of each of `accounts`. */
export async function emulatorSecrets(
  url: string,
  accounts: Record<string, { secretKey: string; readOnly?: { secretKey: string } }>,
): Promise<string[]> {
  const response = await fetch(`${url}/_emulator/state`);
  assert.ok(response.ok, `GET /_emulator/state: ${response.status}`);
  const state = await response.text();
  const keys = [...state.matchAll(/"key":"([0-9a-f-]{36})"/g)].map((m) => m[1]);
  const credentials = Object.values(accounts).flatMap((a) =>
    a.readOnly === undefined ? [a.secretKey] : [a.secretKey, a.readOnly.secretKey],
  );
  return [...new Set([...keys, ...credentials])];
}
