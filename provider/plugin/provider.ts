/**
 * The provider-plugin adapter: the `@pulumi/pulumi/provider` Provider that carries the engine's
 * calls to the engine-agnostic implementations in `../resources` (docs/architecture.md), as the
 * dynamic resource classes do for TypeScript programs. It decides nothing about a resource; it
 * only translates:
 *
 * - secrets: the plugin accepts secrets, so values arrive wrapped; they are unwrapped on the way in
 *   and every secret property (the schema's, and any that arrived secret) is wrapped on the way out;
 * - identity: `resourceName` and `orderIdentity`, which the dynamic classes set from the resource's
 *   name, are set here from the URN on every call ({@link withIdentity}) and never stored;
 * - previews: with `supportsPreview`, create and update are called during preview and answer with
 *   predicted outputs (an in-place update keeps the key, so a VXC using it stays known);
 * - import: an id may name its account (`east/sk-…`); `read` then has nothing but the id.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumiProvider from "@pulumi/pulumi/provider";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { configure, type ProviderConfig } from "../resources/accounts";
import { UNKNOWN_VALUE } from "../resources/checkFailures";
import { RESOURCE_WORDS } from "./descriptions";
import { FUNCTION_TYPES, IDENTITY_INPUTS, PACKAGE, RESOURCE_TYPES, type ResourceType } from "./resourceTypes";
import { packageSchema } from "./schema";

/** The wire form of a secret value when a provider accepts secrets: @pulumi/pulumi's own signature. */
const SECRET_SIG_KEY = specialSigKey;
const SECRET_SIG = specialSecretSig;

type Props = Record<string, unknown>;

function isSecretValue(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Props)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** A value with every secret wrapper removed, at any depth; `found` says whether there was one. */
function revealValue(value: unknown, found: { secret: boolean }): unknown {
  if (isSecretValue(value)) {
    found.secret = true;
    return revealValue(value.value, found);
  }
  if (Array.isArray(value)) return value.map((item) => revealValue(item, found));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revealValue(item, found)]));
  }
  return value;
}

/** Plain values, and the top-level properties that held a secret. */
export function reveal(props: Props | undefined): { values: Props; secrets: Set<string> } {
  const values: Props = {};
  const secrets = new Set<string>();
  for (const [key, value] of Object.entries(props ?? {})) {
    const found = { secret: false };
    values[key] = revealValue(value, found);
    if (found.secret) secrets.add(key);
  }
  return { values, secrets };
}

/** `props` with each of `secrets` wrapped as a secret (absent and null values stay as they are). */
export function conceal(props: Props, secrets: Iterable<string>): Props {
  const result: Props = { ...props };
  for (const key of secrets) {
    const value = result[key];
    if (value !== undefined && value !== null) result[key] = { [SECRET_SIG_KEY]: SECRET_SIG, value };
  }
  return result;
}

/** The parts of a URN: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0]?.startsWith("urn:pulumi:")) throw new Error(`not a resource URN: ${urn}`);
  const qualifiedType = parts[2] as string;
  return {
    stack: (parts[0] as string).slice("urn:pulumi:".length),
    project: parts[1] as string,
    type: qualifiedType.split("$").pop() as string,
    name: parts.slice(3).join("::"),
  };
}

function resourceType(urn: string): ResourceType {
  const { type } = parseUrn(urn);
  const found = RESOURCE_TYPES[type];
  if (found === undefined) throw new Error(`unknown resource type ${type}`);
  return found;
}

/**
 * The one place the identity inputs are set: `resourceName` (log lines) and, where the schema has
 * it, `orderIdentity` = `<project>/<stack>/<name>` (ServiceKeyVxc: the digest in its order tags that
 * finds an interrupted run's order), exactly as provider/dynamic/ sets them.
 */
export function withIdentity(urn: string, type: ResourceType, values: Props): Props {
  const { stack, project, name } = parseUrn(urn);
  const shape = type.inputs.shape as Record<string, unknown>;
  return {
    ...values,
    resourceName: name,
    ...("orderIdentity" in shape ? { orderIdentity: `${project}/${stack}/${name}` } : {}),
  };
}

/** What goes back to the engine: no identity input, every secret property wrapped. */
function toEngine(type: ResourceType, values: object | undefined, arrivedSecret: Set<string>): Props {
  const plain = { ...(values as Props | undefined) };
  for (const key of IDENTITY_INPUTS) delete plain[key];
  return conceal(plain, new Set([...type.secrets, ...arrivedSecret]));
}

/** This package's version (the plugin's version). */
function packageVersion(): string {
  const file = path.join(__dirname, "..", "..", "..", "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** The Provider of `@pulumi/pulumi/provider`, plus the calls its stock server does not pass on. */
export interface PluginProvider extends pulumiProvider.Provider {
  version: string;
  /** Configure's arguments (typed, possibly secret) and variables (`megaport-service-keys:<name>` → text). */
  configure(args: Props, variables: Record<string, string>): void;
  /** Create during preview: the checked inputs, every other output unknown. */
  previewCreate(urn: string, news: Props): Promise<{ id: string; outs: Props }>;
  /** Update during preview: outputs as they are, the new inputs, and what the update may change unknown. */
  previewUpdate(id: string, urn: string, olds: Props, news: Props): Promise<{ outs: Props }>;
}

/** An error the engine records as a partial failure (`id` and `properties`, as the stock server reads them). */
interface PartialFailure extends Error {
  id: string;
  properties: Props;
  reasons?: string[];
}

function isPartialFailure(error: unknown): error is PartialFailure {
  return error instanceof Error && typeof (error as PartialFailure).id === "string" && "properties" in error;
}

/** The plugin's Provider. */
export function pluginProvider(): PluginProvider {
  const version = packageVersion();
  return {
    version,

    getSchema: async () => JSON.stringify(packageSchema(version)),

    configure(args: Props, variables: Record<string, string>): void {
      const { values } = reveal(args);
      const config: ProviderConfig = {
        get(key: string): string | undefined {
          const name = key.replace(/^megaport:/, "");
          const value = values[name] ?? variables[`${PACKAGE}:${name}`];
          if (value === undefined || value === null || value === UNKNOWN_VALUE) return undefined;
          return typeof value === "string" ? value : JSON.stringify(value);
        },
      };
      configure(config);
    },

    /** Check: the implementation's, with the identity inputs set from the URN. */
    async check(urn, olds: Props, news: Props) {
      const type = resourceType(urn);
      const old = reveal(olds);
      const next = reveal(news);
      const result = await type.implementation.check(
        withIdentity(urn, type, old.values),
        withIdentity(urn, type, next.values),
      );
      return { inputs: toEngine(type, result.inputs, next.secrets), failures: result.failures };
    },

    /** Diff: the implementation's. */
    async diff(id, urn, olds: Props, news: Props) {
      const type = resourceType(urn);
      return type.implementation.diff(
        id,
        withIdentity(urn, type, reveal(olds).values),
        withIdentity(urn, type, reveal(news).values),
      );
    },

    /** Create: the implementation's; a partial failure keeps its state, secrets wrapped. */
    async create(urn, inputs: Props) {
      const type = resourceType(urn);
      const news = reveal(inputs);
      try {
        const result = await type.implementation.create(withIdentity(urn, type, news.values));
        return { id: result.id, outs: toEngine(type, result.outs, news.secrets) };
      } catch (error) {
        if (isPartialFailure(error)) error.properties = toEngine(type, error.properties, news.secrets);
        throw error;
      }
    },

    async previewCreate(urn: string, inputs: Props) {
      const type = resourceType(urn);
      const news = reveal(inputs);
      const outputs = Object.keys(RESOURCE_WORDS[type.name]?.outputs ?? {});
      const unknowns = Object.fromEntries(outputs.map((output) => [output, UNKNOWN_VALUE]));
      return { id: "", outs: toEngine(type, { ...unknowns, ...news.values }, news.secrets) };
    },

    /**
     * Read (refresh, and `pulumi import` with no properties): the implementation's. An import id
     * `<account>/<id>` reads with that named account; the id in state is the part after the slash.
     */
    async read(id, urn, props: Props = {}) {
      const type = resourceType(urn);
      const state = reveal(props);
      let readId = id;
      if (Object.keys(props).length === 0 && id.includes("/")) {
        const slash = id.indexOf("/");
        state.values.account = id.slice(0, slash);
        readId = id.slice(slash + 1);
      }
      const result = await type.implementation.read(readId, withIdentity(urn, type, state.values));
      if (result.id === undefined || result.props === undefined) return {};
      return {
        id: result.id,
        props: toEngine(type, result.props, state.secrets),
        inputs: result.inputs === undefined ? undefined : toEngine(type, result.inputs, state.secrets),
      };
    },

    /** Update: the implementation's. */
    async update(id, urn, olds: Props, news: Props) {
      const type = resourceType(urn);
      const old = reveal(olds);
      const next = reveal(news);
      const result = await type.implementation.update(
        id,
        withIdentity(urn, type, old.values),
        withIdentity(urn, type, next.values),
      );
      return { outs: toEngine(type, result.outs, new Set([...old.secrets, ...next.secrets])) };
    },

    async previewUpdate(_id: string, urn: string, olds: Props, news: Props) {
      const type = resourceType(urn);
      const old = reveal(olds);
      const next = reveal(news);
      const inputNames = Object.keys(type.inputs.shape);
      const kept = Object.fromEntries(Object.entries(old.values).filter(([key]) => !inputNames.includes(key)));
      const changed = Object.fromEntries(type.changedByUpdate.map((output) => [output, UNKNOWN_VALUE]));
      return {
        outs: toEngine(type, { ...kept, ...changed, ...next.values }, new Set([...old.secrets, ...next.secrets])),
      };
    },

    /** Delete: the implementation's. */
    async delete(id, urn, props: Props) {
      const type = resourceType(urn);
      await type.implementation.delete(id, withIdentity(urn, type, reveal(props).values));
    },

    /** Functions (`fn::invoke`): read-only look-ups, no secret in their results. */
    async invoke(token: string, args: Props) {
      const fn = FUNCTION_TYPES[token];
      if (fn === undefined) throw new Error(`unknown function ${token}`);
      return { outputs: await fn.call(reveal(args).values) };
    },
  };
}
