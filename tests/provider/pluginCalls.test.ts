/* eslint-disable @typescript-eslint/no-require-imports -- the gRPC modules of @pulumi/pulumi, as its own server uses them */
/**
 * The four calls the plugin carries itself (provider/plugin/server.ts, `withPluginCalls`) over gRPC
 * in this process, so that a mutation run sees them (tests/provider/pluginServer.test.ts runs the
 * plugin binary, whose code no per-test coverage reaches): Configure's answer and arguments, Create
 * and Update with and without `preview`, Read without properties, and an error's way back. The
 * stock service is a stand-in that answers every other call: what it is given shows what the
 * plugin passed on.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as provproto from "@pulumi/pulumi/proto/provider_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { RunningEmulator } from "../../emulator";
import { pluginProvider } from "../../provider/plugin/provider";
import { withPluginCalls } from "../../provider/plugin/server";
import * as implementation from "../../provider/implementation";
import { serviceKeyId } from "../../provider/resources/serviceKey";
import { emulatorConfig, fakeConfig, makeKey, requests, resetEmulator, startHarness, stopHarness } from "./harness";

const pulumiRoot = path.join(path.dirname(require.resolve("@pulumi/pulumi/provider")), "..");
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiRoot] })) as typeof grpcTypes;
const proto = require("@pulumi/pulumi/proto/provider_pb") as typeof provproto;
type Unary = (request: unknown, callback: (error: Error | null, response: unknown) => void) => void;
const { ResourceProviderClient, ResourceProviderService } = require("@pulumi/pulumi/proto/provider_grpc_pb") as {
  ResourceProviderClient: new (address: string, credentials: grpcTypes.ChannelCredentials) => Record<string, Unary>;
  ResourceProviderService: grpcTypes.ServiceDefinition;
};
const { Struct: StructClass } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiRoot] })) as {
  Struct: typeof Struct;
};
const keyUrn = "urn:pulumi:dev::onboarding::megaport-service-keys:index:ServiceKey::grpc-key";
type Callback = (error: unknown, value?: unknown) => void;

/** The stock service's stand-in: its methods use `this`, as the stock server's do. */
class Stock {
  readonly label = "stock";
  create(_call: unknown, callback: Callback): void {
    callback(null, new proto.CreateResponse().setId(`${this.label}-create`));
  }
  update(_call: unknown, callback: Callback): void {
    callback(null, new proto.UpdateResponse().setProperties(StructClass.fromJavaScript({ by: `${this.label}-update` })));
  }
  getSchema(_call: unknown, callback: Callback): void {
    callback(null, new proto.GetSchemaResponse().setSchema(`${this.label}-schema`));
  }
}

describe("provider plugin: the calls it carries itself, over gRPC in this process", () => {
  let emulator: RunningEmulator;
  let server: grpcTypes.Server;
  let client: Record<string, Unary>;
  const plugin = pluginProvider();
  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) =>
      (client[method] as Unary).call(client, request, (error, response) => (error ? reject(error) : resolve(response as T))),
    );

  before(async () => {
    emulator = await startHarness();
  });
  // A server per test: the handlers are built while the test runs, as a mutation run needs to see them built.
  beforeEach(async () => {
    await resetEmulator(emulator);
    implementation.configure(fakeConfig(emulatorConfig(emulator)));
    server = new grpc.Server();
    server.addService(ResourceProviderService, withPluginCalls(new Stock() as never, plugin) as never);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
    );
    client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });
  afterEach(() => {
    (client as unknown as { close(): void } | undefined)?.close();
    server?.forceShutdown();
  });
  after(async () => stopHarness(emulator));

  it("Configure: secrets, no resources or outputs, previews; its arguments and variables reach the provider", async () => {
    const east = emulator.accounts.east;
    const key = await makeKey(east.products.port10G);
    const request = new proto.ConfigureRequest().setArgs(StructClass.fromJavaScript({ accessKey: east.accessKey, secretKey: east.secretKey }));
    request.getVariablesMap().set("megaport-service-keys:baseUrl", emulator.url);
    const configured = await call<provproto.ConfigureResponse>("configure", request);
    assert.deepEqual(
      [configured.getAcceptsecrets(), configured.getAcceptresources(), configured.getAcceptoutputs(), configured.getSupportspreview()],
      [true, false, false, true],
    );
    // Only the default account now (no `accounts`): a key read without one is East's.
    const read = await call<provproto.ReadResponse>("read", new proto.ReadRequest().setId(serviceKeyId(key)).setUrn(keyUrn));
    assert.equal(read.getId(), serviceKeyId(key));
  });

  it("Create and Update: with preview the plugin predicts and calls no API; without, the stock service answers", async () => {
    const properties = StructClass.fromJavaScript({ productUid: emulator.accounts.east.products.port1G, maxSpeed: 10, singleUse: false });
    const before = (await requests(emulator)).length;
    const predicted = await call<provproto.CreateResponse>("create", new proto.CreateRequest().setUrn(keyUrn).setPreview(true).setProperties(properties));
    assert.equal(predicted.getId(), "");
    assert.equal((predicted.getProperties()?.toJavaScript() as Record<string, unknown>).maxSpeed, 10);
    const updated = await call<provproto.UpdateResponse>(
      "update",
      new proto.UpdateRequest().setId("sk-1").setUrn(keyUrn).setPreview(true).setOlds(properties).setNews(StructClass.fromJavaScript({ maxSpeed: 20 })),
    );
    assert.equal((updated.getProperties()?.toJavaScript() as Record<string, unknown>).maxSpeed, 20);
    const bare = await call<provproto.UpdateResponse>("update", new proto.UpdateRequest().setId("sk-1").setUrn(keyUrn).setPreview(true));
    assert.deepEqual(
      Object.keys(bare.getProperties()?.toJavaScript() ?? {}).sort(),
      ["expired", "lastUsed", "valid", "validFor"],
      "no olds or news: only what an update may change, unknown",
    );
    assert.equal((await requests(emulator)).length, before, "a preview calls no API");
    const created = await call<provproto.CreateResponse>("create", new proto.CreateRequest().setUrn(keyUrn).setProperties(properties));
    assert.equal(created.getId(), "stock-create");
    const stockUpdate = await call<provproto.UpdateResponse>("update", new proto.UpdateRequest().setId("sk-1").setUrn(keyUrn));
    assert.deepEqual(stockUpdate.getProperties()?.toJavaScript(), { by: "stock-update" });
    const schema = await call<provproto.GetSchemaResponse>("getSchema", new proto.GetSchemaRequest());
    assert.equal(schema.getSchema(), "stock-schema", "every other call is the stock service's, bound to it");
  });

  it("Read: an import without properties, a refresh with inputs, a gone key with nothing, an error with its message", async () => {
    const key = await makeKey(emulator.accounts.east.products.port10G, { description: "over grpc" });
    const id = serviceKeyId(key);
    const imported = await call<provproto.ReadResponse>("read", new proto.ReadRequest().setId(`east/${id}`).setUrn(keyUrn));
    assert.equal(imported.getId(), id);
    const inputs = imported.getInputs()?.toJavaScript() as Record<string, unknown>;
    assert.equal(inputs.description, "over grpc");
    const gone = await call<provproto.ReadResponse>("read", new proto.ReadRequest().setId("east/sk-000000000000000000000000").setUrn(keyUrn));
    assert.deepEqual([gone.getId(), gone.hasProperties(), gone.hasInputs()], ["", false, false]);
    const error = await new Promise<Error>((resolve, reject) =>
      call("read", new proto.ReadRequest().setId("x").setUrn("urn:pulumi:dev::p::megaport-service-keys:index:Nothing::n")).then(
        () => reject(new Error("expected an error")),
        resolve,
      ),
    );
    assert.match(error.message, /unknown resource type megaport-service-keys:index:Nothing/);
  });
});
