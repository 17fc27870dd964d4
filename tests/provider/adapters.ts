/**
 * The two adapters of provider/resources/ (docs/architecture.md), driven as their engines drive
 * them, behind one interface so that one lifecycle suite runs on both
 * (tests/provider/adapterLifecycle.test.ts):
 *
 * - `dynamic`: the serialized shims of provider/dynamic/shims/ (provider/dynamic/shim.ts), which load the implementation by
 *   package name, with the inputs the resource classes add (`resourceName`, and for a VXC
 *   `orderIdentity` = `<project>/<stack>/<name>`; provider/dynamic/*.ts);
 * - `plugin`: the plugin's Provider (provider/plugin/provider.ts), called with URNs and secrets
 *   wrapped as the engine sends them once the plugin accepts secrets.
 *
 * Values in and out are plain (no secret wrappers), so assertions read the same for both.
 */
import type { RunningEmulator } from "../../emulator";
import serviceKeyShim from "../../provider/dynamic/shims/serviceKey";
import serviceKeyVxcShim from "../../provider/dynamic/shims/serviceKeyVxc";
import vxcOrderApprovalShim from "../../provider/dynamic/shims/vxcOrderApproval";
import { conceal, pluginProvider, reveal } from "../../provider/plugin/provider";
import { emulatorConfig, fakeConfig } from "./harness";

export type TypeName = "ServiceKey" | "ServiceKeyVxc" | "VxcOrderApproval";
type Props = Record<string, unknown>;

export interface Adapter {
  name: "dynamic" | "plugin";
  /** Configures the provider for the emulator's three accounts. */
  configure(emulator: RunningEmulator): Promise<void>;
  check(type: TypeName, name: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(type: TypeName, name: string, id: string, olds: Props, news: Props): Promise<{ changes?: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;
  create(type: TypeName, name: string, news: Props): Promise<{ id: string; outs: Props }>;
  read(type: TypeName, name: string, id: string, props: Props): Promise<{ id?: string; props?: Props }>;
  update(type: TypeName, name: string, id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(type: TypeName, name: string, id: string, props: Props): Promise<void>;
}

const PROJECT = "lifecycle";
const STACK = "adapters";
/** Inputs the engine and the dynamic classes treat as secret. */
const SECRET_INPUTS = ["serviceKey", "existingKey"];

const shims = { ServiceKey: serviceKeyShim, ServiceKeyVxc: serviceKeyVxcShim, VxcOrderApproval: vxcOrderApprovalShim };

/** What a dynamic class adds to its inputs (provider/dynamic/*.ts). */
function classInputs(type: TypeName, name: string, news: Props): Props {
  return {
    ...news,
    resourceName: name,
    ...(type === "ServiceKeyVxc" ? { orderIdentity: `${PROJECT}/${STACK}/${name}` } : {}),
  };
}

export const dynamicAdapter: Adapter = {
  name: "dynamic",
  async configure(emulator) {
    await shims.ServiceKey.configure?.({ config: fakeConfig(emulatorConfig(emulator)) } as never);
  },
  async check(type, name, olds, news) {
    const result = await shims[type].check!(olds, classInputs(type, name, news));
    return { inputs: result.inputs as Props, failures: [...(result.failures ?? [])] };
  },
  async diff(type, _name, id, olds, news) {
    return shims[type].diff!(id, olds, news);
  },
  async create(type, _name, news) {
    const result = await shims[type].create(news);
    return { id: result.id, outs: result.outs as Props };
  },
  async read(type, _name, id, props) {
    const result = await shims[type].read!(id, props);
    return { id: result.id, props: result.props as Props | undefined };
  },
  async update(type, _name, id, olds, news) {
    return { outs: (await shims[type].update!(id, olds, news)).outs as Props };
  },
  async delete(type, _name, id, props) {
    await shims[type].delete!(id, props);
  },
};

const plugin = pluginProvider();
const urnOf = (type: TypeName, name: string) =>
  `urn:pulumi:${STACK}::${PROJECT}::megaport-service-keys:index:${type}::${name}`;
/** As the engine sends them: the secret inputs wrapped. */
const wire = (props: Props) => conceal(props, SECRET_INPUTS);
const plain = (props: unknown) => reveal(props as Props).values;

export const pluginAdapter: Adapter = {
  name: "plugin",
  async configure(emulator) {
    const config = emulatorConfig(emulator);
    const args = Object.fromEntries(Object.entries(config).map(([key, value]) => [key.replace(/^megaport:/, ""), value]));
    plugin.configure(conceal(args, ["accounts"]), {});
  },
  async check(type, name, olds, news) {
    const result = await plugin.check!(urnOf(type, name), wire(olds), wire(news));
    return { inputs: plain(result.inputs), failures: [...(result.failures ?? [])] };
  },
  async diff(type, name, id, olds, news) {
    return plugin.diff!(id, urnOf(type, name), wire(olds), wire(news));
  },
  async create(type, name, news) {
    const result = await plugin.create!(urnOf(type, name), wire(news));
    return { id: result.id, outs: plain(result.outs) };
  },
  async read(type, name, id, props) {
    const result = await plugin.read!(id, urnOf(type, name), wire(props));
    return { id: result.id, props: result.props === undefined ? undefined : plain(result.props) };
  },
  async update(type, name, id, olds, news) {
    return { outs: plain((await plugin.update!(id, urnOf(type, name), wire(olds), wire(news))).outs) };
  },
  async delete(type, name, id, props) {
    await plugin.delete!(id, urnOf(type, name), wire(props));
  },
};

export const ADAPTERS: Adapter[] = [dynamicAdapter, pluginAdapter];
