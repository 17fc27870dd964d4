/* eslint-disable @typescript-eslint/no-require-imports -- the gRPC modules of @pulumi/pulumi, as the engine's client speaks them */
import * as assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as provproto from "@pulumi/pulumi/proto/provider_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { RunningEmulator } from "../../emulator";
import { MegaportClient } from "../../sdk";
import { serviceKeyId } from "../../provider/resources/serviceKey";
import { startHarness, stopHarness } from "./harness";

// The plugin binary as the engine runs it: a process that prints its port, then gRPC. These are the
// calls the stock @pulumi/pulumi provider server does not carry (provider/plugin/server.ts):
// Configure's configuration, Read during `pulumi import` (a request with no properties: the stock
// server throws on `req.getProperties().toJavaScript()`), and Create/Update with `preview`.
const pulumiRoot = path.join(path.dirname(require.resolve("@pulumi/pulumi/provider")), "..");
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiRoot] })) as typeof grpcTypes;
const proto = require("@pulumi/pulumi/proto/provider_pb") as typeof provproto;
/** A unary method of the generated client. */
type Unary = (request: unknown, callback: (error: Error | null, response: unknown) => void) => void;
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb") as {
  ResourceProviderClient: new (address: string, credentials: grpcTypes.ChannelCredentials) => Record<string, Unary>;
};
const { Struct: StructClass } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiRoot] })) as {
  Struct: typeof Struct;
};
const bin = path.join(__dirname, "..", "..", "provider", "plugin", "bin.js");
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const keyUrn = "urn:pulumi:dev::onboarding::megaport-service-keys:index:ServiceKey::portal-key";

describe("provider: the plugin process over gRPC", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let plugin: ChildProcess;
  let client: Record<string, Unary>;
  let stderr = "";

  /** One unary call. */
  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) =>
      (client[method] as Unary).call(client, request, (error, response) =>
        error ? reject(error) : resolve(response as T),
      ),
    );

  before(async () => {
    emulator = await startHarness();
    plugin = spawn(process.execPath, [bin], { stdio: ["ignore", "pipe", "pipe"] });
    plugin.stderr?.on("data", (chunk) => (stderr += String(chunk)));
    const port = await new Promise<string>((resolve, reject) => {
      plugin.stdout?.once("data", (chunk) => resolve(String(chunk).trim().split("\n")[0] ?? ""));
      plugin.once("exit", (code) => reject(new Error(`plugin exited (${code}): ${stderr}`)));
    });
    client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const configure = new proto.ConfigureRequest().setArgs(
      StructClass.fromJavaScript({
        baseUrl: emulator.url,
        accessKey: emulator.accounts.east.accessKey,
        secretKey: { ...SECRET, value: emulator.accounts.east.secretKey },
      }),
    );
    const configured = await call<provproto.ConfigureResponse>("configure", configure);
    assert.equal(configured.getSupportspreview(), true);
    assert.equal(configured.getAcceptsecrets(), true);
  });
  after(async () => {
    (client as unknown as { close(): void } | undefined)?.close();
    plugin?.kill();
    await stopHarness(emulator);
  });

  it("imports a key with a Read that has no properties, by the key's sk- id", async () => {
    const east = new MegaportClient({ ...emulator.accounts.east, baseUrl: emulator.url });
    const key = await east.serviceKeys.create({
      productUid: emulator.accounts.east.products.port1G,
      maxSpeed: 100,
      singleUse: false,
      active: true,
      description: "made in the portal",
    });
    await east.close();
    const request = new proto.ReadRequest().setId(serviceKeyId(key.key)).setUrn(keyUrn);
    assert.equal(request.hasProperties(), false, "as the engine sends it for an import");
    const response = await call<provproto.ReadResponse>("read", request);
    assert.equal(response.getId(), serviceKeyId(key.key));
    const props = response.getProperties()?.toJavaScript() as Record<string, unknown>;
    assert.deepEqual(props.key, { ...SECRET, value: key.key }, "the key is secret");
    assert.equal(props.description, "made in the portal");
    const inputs = response.getInputs()?.toJavaScript() as Record<string, unknown>;
    assert.equal(inputs.maxSpeed, 100);
    assert.equal("validFor" in inputs, false, "a key with the API's default window declares none");
    assert.equal("resourceName" in inputs, false);

    const missing = await call<provproto.ReadResponse>("read", new proto.ReadRequest().setId("sk-0").setUrn(keyUrn));
    assert.equal(missing.getId(), "");
    assert.equal(missing.hasProperties(), false, "gone: the engine says the resource does not exist");
  });

  it("answers a Create with preview without calling the API, and serves the schema", async () => {
    const before = ((await (await fetch(`${emulator.url}/_emulator/state`)).json()) as { serviceKeys: unknown[] })
      .serviceKeys.length;
    const request = new proto.CreateRequest()
      .setUrn(keyUrn)
      .setPreview(true)
      .setProperties(StructClass.fromJavaScript({ productUid: emulator.accounts.east.products.port1G, maxSpeed: 10, singleUse: false }));
    const response = await call<provproto.CreateResponse>("create", request);
    assert.equal(response.getId(), "");
    const after = ((await (await fetch(`${emulator.url}/_emulator/state`)).json()) as { serviceKeys: unknown[] })
      .serviceKeys.length;
    assert.equal(after, before);
    const schema = await call<provproto.GetSchemaResponse>("getSchema", new proto.GetSchemaRequest());
    assert.equal(JSON.parse(schema.getSchema()).name, "megaport-service-keys");
  });
});
