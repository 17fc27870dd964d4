/**
 * Credential resolution (docs/architecture.md, "Configuration and credentials"): stack config received in
 * `configure` first, then the `MEGAPORT_*` environment variables. One MegaportClient per account per provider
 * process, so a whole `pulumi up` makes one token request per account, made during `check` so that refused
 * credentials fail `pulumi preview` (docs/api-keys.md). Credentials never leave this module: not in inputs,
 * outputs, state, logs, errors or the serialized `__provider`; messages name where they came from instead.
 */
import { z } from "zod";
import { ENVIRONMENT_NAMES, MegaportAuthError, MegaportClient, type MegaportEnvironment } from "../../sdk";
import { type CheckedInputs, type CheckFailure, containsUnknown, failure } from "./checkFailures";

/** What `configure` receives: the whole stack config, keys namespaced (`megaport:accessKey`). */
export interface ProviderConfig {
  get(key: string): string | undefined;
}

/** A provider-level failure with a stable code (no credential in its message). */
export class ProviderConfigError extends Error {
  readonly code = "ERR_MEGAPORT_PROVIDER_CONFIG";
  constructor(message: string) {
    super(message);
    this.name = "ProviderConfigError";
  }
}

const accountSchema = z.object({
  accessKey: z.string().min(1),
  secretKey: z.string().min(1),
  environment: z.enum(ENVIRONMENT_NAMES).optional(),
  baseUrl: z.string().min(1).optional(),
  tokenUrl: z.string().min(1).optional(),
});
type AccountSettings = z.infer<typeof accountSchema>;

/** `megaport:accounts`: `{ name: { accessKey, secretKey, environment?, baseUrl?, tokenUrl? } }`. */
const accountsSchema = z.record(z.string().min(1), accountSchema);

/** Settings as received from `configure` (a snapshot of the config values this provider reads). */
let configured: Record<string, string | undefined> = {};
/** One client per account name ("" = the default account). */
const clients = new Map<string, MegaportClient>();
/** The credential check of each account (its first token request), shared by every check. */
const credentialChecks = new Map<string, Promise<CheckFailure[]>>();

const CONFIG_KEYS = {
  accessKey: ["megaport:accessKey", "MEGAPORT_ACCESS_KEY"],
  secretKey: ["megaport:secretKey", "MEGAPORT_SECRET_KEY"],
  environment: ["megaport:environment", "MEGAPORT_ENVIRONMENT"],
  baseUrl: ["megaport:baseUrl", "MEGAPORT_BASE_URL"],
  tokenUrl: ["megaport:tokenUrl", "MEGAPORT_TOKEN_URL"],
  acceptPurchaseTerms: ["megaport:acceptPurchaseTerms", "MEGAPORT_ACCEPT_PURCHASE_TERMS"],
} as const;

/**
 * Records the stack config. Always asks for full keys (`megaport:…`): without a project
 * name in the provider's environment a bare key would not resolve
 * (docs/architecture.md, "Configuration and credentials"). The host calls this once per resource type (once
 * per distinct serialized shim), with the same config each time: the clients, their connections and tokens
 * are kept then, since other calls may be using them. Only a different configuration drops (and closes) them.
 */
export function configure(config: ProviderConfig): void {
  const snapshot: Record<string, string | undefined> = {};
  for (const [configKey] of Object.values(CONFIG_KEYS)) snapshot[configKey] = config.get(configKey);
  snapshot["megaport:accounts"] = config.get("megaport:accounts");
  if (JSON.stringify(snapshot) === JSON.stringify(configured)) return;
  configured = snapshot;
  for (const client of clients.values()) void client.close();
  clients.clear();
  credentialChecks.clear();
}

function setting(name: keyof typeof CONFIG_KEYS): string | undefined {
  const [configKey, envVar] = CONFIG_KEYS[name];
  const value = configured[configKey] ?? process.env[envVar];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** The config key or environment variable a setting's value came from (as {@link setting} reads it). */
function settingSource(name: keyof typeof CONFIG_KEYS): string {
  const [configKey, envVar] = CONFIG_KEYS[name];
  return configured[configKey] !== undefined ? configKey : envVar;
}

/** How an account is named in messages: `account "east"`, or the default account. */
function accountLabel(account: string | undefined): string {
  return account === undefined ? "the default account" : `account "${account}"`;
}

/** Where an account's key and secret, and its environment or URLs, came from (names only). */
function sources(account: string | undefined): { credentialSource: string; environmentSource: string } {
  const location = (): string => {
    const name = (["tokenUrl", "baseUrl"] as const).find((n) => setting(n) !== undefined);
    return settingSource(name ?? "environment");
  };
  if (account === undefined) {
    const key = settingSource("accessKey");
    const secret = settingSource("secretKey");
    const credentialSource =
      key.startsWith("megaport:") && secret.startsWith("megaport:")
        ? `${key} and ${secret} (stack config)`
        : !key.startsWith("megaport:") && !secret.startsWith("megaport:")
          ? `the environment variables ${key} and ${secret}`
          : `${key} and ${secret}`;
    return { credentialSource, environmentSource: location() };
  }
  const named = namedAccounts()[account];
  // The token URL comes from the first of these the entry sets (sdk/environments.ts).
  const field = (["tokenUrl", "baseUrl", "environment"] as const).find((f) => named?.[f] !== undefined);
  return {
    credentialSource: `megaport:accounts (the accessKey and secretKey of "${account}")`,
    environmentSource: field === undefined ? location() : `megaport:accounts (the ${field} of "${account}")`,
  };
}

function parseEnvironment(value: string | undefined, where: string): MegaportEnvironment | undefined {
  if (value === undefined) return undefined;
  if ((ENVIRONMENT_NAMES as readonly string[]).includes(value)) return value as MegaportEnvironment;
  throw new ProviderConfigError(`${where}: must be one of ${ENVIRONMENT_NAMES.join(", ")}`);
}

function namedAccounts(): Record<string, AccountSettings> {
  const text = configured["megaport:accounts"];
  if (text === undefined || text.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderConfigError(
      "megaport:accounts: must be a JSON object { name: { accessKey, secretKey } }",
    );
  }
  const parsed = accountsSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => issue.path.map(String).join(".")).join(", ");
    throw new ProviderConfigError(
      `megaport:accounts: each account needs accessKey and secretKey (and an optional environment, baseUrl, tokenUrl); problem at ${where}`,
    );
  }
  return parsed.data;
}

/** The settings of an account: named ones inherit environment/baseUrl/tokenUrl from the default. */
function accountSettings(account: string | undefined): AccountSettings | undefined {
  const environment = parseEnvironment(setting("environment"), "megaport:environment");
  const defaults = { environment, baseUrl: setting("baseUrl"), tokenUrl: setting("tokenUrl") };
  if (account === undefined) {
    const accessKey = setting("accessKey");
    const secretKey = setting("secretKey");
    if (accessKey === undefined || secretKey === undefined) return undefined;
    return { accessKey, secretKey, ...defaults };
  }
  const named = namedAccounts()[account];
  if (named === undefined) return undefined;
  const hasOwnLocation = named.environment !== undefined || named.baseUrl !== undefined;
  return hasOwnLocation
    ? { ...named }
    : { ...named, ...defaults, tokenUrl: named.tokenUrl ?? defaults.tokenUrl };
}

/**
 * The settings of an account, or a ProviderConfigError saying what to set: no credentials, an
 * account missing from megaport:accounts, no environment, or an unknown environment.
 */
function resolveAccount(account: string | undefined): AccountSettings {
  const settings = accountSettings(account);
  if (settings === undefined) {
    throw new ProviderConfigError(
      account === undefined
        ? "no Megaport credentials: set megaport:accessKey and megaport:secretKey (pulumi config set --secret), or MEGAPORT_ACCESS_KEY and MEGAPORT_SECRET_KEY"
        : `account "${account}" is not in megaport:accounts (a secret JSON object { "${account}": { "accessKey": ..., "secretKey": ... } })`,
    );
  }
  if (settings.environment === undefined && settings.baseUrl === undefined) {
    throw new ProviderConfigError(
      `no Megaport environment: set megaport:environment (or MEGAPORT_ENVIRONMENT) to one of ${ENVIRONMENT_NAMES.join(", ")}, or megaport:baseUrl`,
    );
  }
  return settings;
}

/**
 * What is wrong with an account's configuration, as check failures, so that preview fails before
 * anything is attempted. The messages name the input or the config key to set.
 */
export function accountFailures(account: string | undefined): CheckFailure[] {
  try {
    resolveAccount(account);
    return [];
  } catch (error) {
    if (error instanceof ProviderConfigError) return [failure("", error.message)];
    throw error;
  }
}

/**
 * Whether the token endpoint accepts an account's key: its first token request, made once per
 * account per provider process (the client keeps the token for the calls that follow). A refusal
 * is a check failure saying what to fix; other errors (network, 5xx) are thrown as they are.
 */
function credentialFailures(account: string | undefined): Promise<CheckFailure[]> {
  const cacheKey = account ?? "";
  let pending = credentialChecks.get(cacheKey);
  if (pending === undefined) {
    pending = clientFor(account)
      .authenticate()
      .then(
        () => [],
        (error: unknown) => {
          if (error instanceof MegaportAuthError) return [failure("", error.message)];
          credentialChecks.delete(cacheKey); // not an answer about the key: ask again next time
          throw error;
        },
      );
    credentialChecks.set(cacheKey, pending);
  }
  return pending;
}

/**
 * A check's result with the problems of its (known) `account` added: what its configuration lacks,
 * or else, when the inputs have no other problem, whether its key is accepted (once per account).
 */
export async function withAccountFailures(checked: CheckedInputs): Promise<CheckedInputs> {
  const account = checked.inputs.account;
  if (containsUnknown(account)) return checked;
  const name = typeof account === "string" ? account : undefined;
  const problems = accountFailures(name);
  if (problems.length === 0 && checked.failures.length === 0) problems.push(...(await credentialFailures(name)));
  return problems.length === 0 ? checked : { ...checked, failures: [...checked.failures, ...problems] };
}

/** The (cached) client of an account; a ProviderConfigError says what to set when it has none. */
export function clientFor(account: string | undefined): MegaportClient {
  const cacheKey = account ?? "";
  const cached = clients.get(cacheKey);
  if (cached !== undefined) return cached;
  const settings = resolveAccount(account);
  const client = new MegaportClient({
    accessKey: settings.accessKey,
    secretKey: settings.secretKey,
    environment: settings.environment,
    baseUrl: settings.baseUrl,
    tokenUrl: settings.tokenUrl,
    label: accountLabel(account),
    ...sources(account),
  });
  clients.set(cacheKey, client);
  return client;
}

/** Whether the user accepted Megaport's purchase terms (required before ordering a VXC). */
export function purchaseTermsAccepted(): boolean {
  return setting("acceptPurchaseTerms")?.toLowerCase() === "true";
}

/** Closes every cached client (tests; the provider process simply exits). */
export async function closeClients(): Promise<void> {
  const open = [...clients.values()];
  clients.clear();
  credentialChecks.clear();
  await Promise.all(open.map((client) => client.close()));
}
