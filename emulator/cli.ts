#!/usr/bin/env node
/**
 * `megaport-emulator [--host 127.0.0.1] [--port 8080|0] [--seed FILE] [--state FILE]
 * [--provisioning-delay-ms N] [--token-lifetime-seconds N] [--enrich]`. The first stdout line is
 * `Megaport emulator listening on <url>`; then one line per account and
 * `MEGAPORT_EMULATOR_ACCOUNTS=<json>`. SIGINT/SIGTERM close it cleanly.
 */
import { type EmulatorOptions, startEmulator } from "./server";

const USAGE =
  "usage: megaport-emulator [--host 127.0.0.1] [--port 8080|0] [--seed FILE] [--state FILE] " +
  "[--provisioning-delay-ms N] [--token-lifetime-seconds N] [--enrich]";

function parseArgs(argv: string[]): EmulatorOptions {
  const options: EmulatorOptions = { port: 8080 };
  const number = (flag: string, value: string | undefined): number => {
    const parsed = Number(value);
    if (value === undefined || !Number.isInteger(parsed) || parsed < 0)
      throw new Error(`${flag} needs a non-negative integer`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const needValue = () => {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    switch (flag) {
      case "--host":
        options.host = needValue();
        break;
      case "--port":
        options.port = number(flag, needValue());
        break;
      case "--seed":
        options.seed = needValue();
        break;
      case "--state":
        options.stateFile = needValue();
        break;
      case "--provisioning-delay-ms":
        options.provisioningDelayMs = number(flag, needValue());
        break;
      case "--token-lifetime-seconds":
        options.tokenLifetimeSeconds = number(flag, needValue());
        break;
      case "--enrich":
        options.enrich = true;
        break;
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`megaport-emulator: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator(options);
  const lines = [`Megaport emulator listening on ${emulator.url}`];
  for (const account of Object.values(emulator.accounts)) {
    const products = Object.entries(account.products)
      .map(([nickname, uid]) => `${nickname}=${uid}`)
      .join(" ");
    lines.push(
      `account ${account.name} (${account.companyName}) accessKey=${account.accessKey} secretKey=${account.secretKey} ${products}`,
    );
  }
  lines.push(`MEGAPORT_EMULATOR_ACCOUNTS=${JSON.stringify(emulator.accounts)}`);
  process.stdout.write(`${lines.join("\n")}\n`);
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`megaport-emulator: ${(error as Error).message}\n`);
  process.exit(1);
});
