/**
 * The plugin's gRPC server: `@pulumi/pulumi/provider`'s `main`, with the four calls its stock
 * server (3.248, and upstream today) does not carry for this provider replaced in ONE place,
 * {@link withPluginCalls}:
 *
 * - Configure: the stock server drops the request (no provider configuration reaches the provider)
 *   and does not say `supportsPreview`; here the configuration goes to `configure` and previews
 *   are supported;
 * - Create and Update with `preview`: the stock server does not pass the flag on (a preview would
 *   really create); here they answer with predicted outputs;
 * - Read: the stock server calls `req.getProperties().toJavaScript()`, which throws during
 *   `pulumi import` (the request has no properties); here a missing properties struct is `{}`.
 *
 * Everything else (Check, Diff, Delete, Invoke, GetSchema, GetPluginInfo, errors, the port
 * handshake) is the stock server's. docs/importing.md and docs/lifecycle.md describe the behaviour.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the gRPC modules @pulumi/pulumi itself uses, by path */
import * as path from "node:path";
import { main } from "@pulumi/pulumi/provider";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as provproto from "@pulumi/pulumi/proto/provider_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PluginProvider } from "./provider";

/** Modules resolved from @pulumi/pulumi's own location, so that they are the instances its server uses. */
const pulumiRoot = path.join(path.dirname(require.resolve("@pulumi/pulumi/provider")), "..");
const fromPulumi = (id: string): unknown => require(require.resolve(id, { paths: [pulumiRoot] }));
const grpc = fromPulumi("@grpc/grpc-js") as typeof grpcTypes;
const proto = require("@pulumi/pulumi/proto/provider_pb") as typeof provproto;
const service = (require("@pulumi/pulumi/proto/provider_grpc_pb") as { ResourceProviderService: unknown })
  .ResourceProviderService;
const StructClass = (fromPulumi("google-protobuf/google/protobuf/struct_pb") as { Struct: typeof Struct }).Struct;

type Callback = (error: unknown, value?: unknown) => void;
type Handler = (call: { request: unknown }, callback: Callback) => void;
type Service = Record<string, Handler>;

const toStruct = (value: object): Struct => StructClass.fromJavaScript(value as never);

/** Answers with `answer()`'s result, or the error (its message is the provider's, no secret in it). */
function respond(callback: Callback, answer: () => Promise<unknown>): void {
  answer().then(
    (value) => callback(null, value),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      callback(error);
    },
  );
}

/** The stock service with Configure, Create, Read and Update carried for the plugin (see above). */
export function withPluginCalls(stock: Service, provider: PluginProvider): Service {
  const handlers: Service = {};
  // The stock server's methods use `this`: every one is bound to it.
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(stock))) {
    const method = (stock as unknown as Record<string, unknown>)[name];
    if (name !== "constructor" && typeof method === "function") handlers[name] = method.bind(stock) as Handler;
  }
  handlers.configure = (call, callback) =>
    respond(callback, async () => {
      const req = call.request as provproto.ConfigureRequest;
      const variables: Record<string, string> = {};
      req.getVariablesMap().forEach((value, key) => (variables[key] = value));
      provider.configure((req.getArgs()?.toJavaScript() ?? {}) as Record<string, unknown>, variables);
      return new proto.ConfigureResponse()
        .setAcceptsecrets(true)
        .setAcceptresources(false)
        .setAcceptoutputs(false)
        .setSupportspreview(true);
    });
  const stockCreate = handlers.create as Handler;
  handlers.create = (call, callback) => {
    const req = call.request as provproto.CreateRequest;
    if (!req.getPreview()) return stockCreate(call, callback);
    respond(callback, async () => {
      const properties = (req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const result = await provider.previewCreate(req.getUrn(), properties);
      return new proto.CreateResponse().setId(result.id).setProperties(toStruct(result.outs));
    });
  };
  const stockUpdate = handlers.update as Handler;
  handlers.update = (call, callback) => {
    const req = call.request as provproto.UpdateRequest;
    if (!req.getPreview()) return stockUpdate(call, callback);
    respond(callback, async () => {
      const olds = (req.getOlds()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const news = (req.getNews()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const result = await provider.previewUpdate(req.getId(), req.getUrn(), olds, news);
      return new proto.UpdateResponse().setProperties(toStruct(result.outs));
    });
  };
  handlers.read = (call, callback) =>
    respond(callback, async () => {
      const req = call.request as provproto.ReadRequest;
      // `pulumi import` sends an id and no properties (the stock server throws here).
      const props = (req.hasProperties() ? req.getProperties()?.toJavaScript() : {}) as Record<string, unknown>;
      const result = await (provider.read as NonNullable<PluginProvider["read"]>)(req.getId(), req.getUrn(), props);
      const resp = new proto.ReadResponse();
      if (result.id === undefined || result.id === "") return resp; // gone: no id, no properties
      resp.setId(result.id).setProperties(toStruct(result.props as object));
      if (result.inputs !== undefined) resp.setInputs(toStruct(result.inputs as object));
      return resp;
    });
  return handlers;
}

/**
 * Serves `provider` on `@pulumi/pulumi/provider`'s `main`. Its server registers itself with
 * `grpc.Server.addService`; that registration, and only that one, gets {@link withPluginCalls}.
 */
export async function serve(provider: PluginProvider, args: string[]): Promise<void> {
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (this: grpcTypes.Server, definition, implementation) {
    const patched =
      definition === service
        ? (withPluginCalls(implementation as unknown as Service, provider) as unknown as typeof implementation)
        : implementation;
    return addService.call(this, definition, patched);
  };
  try {
    await main(provider, args);
  } finally {
    grpc.Server.prototype.addService = addService;
  }
}
