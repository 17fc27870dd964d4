import * as assert from "node:assert/strict";
import { forwardingShim, storedByStableReference, storedShim } from "../../provider/dynamic/shim";

// provider/dynamic/shim.ts: where Pulumi's closure serializer would store a shim module by a path
// that names one install's folder (pnpm, a package's own node_modules), the resource classes hand
// it a copy instead, stored by value (docs/architecture.md, "The thin serialized shim").
const file = "dist/provider/dynamic/shims/serviceKey.js";

describe("unit: which installs store the shim by reference", () => {
  it("npm's layout, hoisted or not, and a project whose path holds the package's name: by reference", () => {
    assert.equal(storedByStableReference(`/p/node_modules/pulumi-megaport-service-keys/${file}`, "/p"), true);
    assert.equal(storedByStableReference(`/repo/node_modules/pulumi-megaport-service-keys/${file}`, "/repo/apps/infra"), true);
    assert.equal(
      storedByStableReference(`/src/pulumi-megaport-service-keys-infra/node_modules/pulumi-megaport-service-keys/${file}`, "/src/pulumi-megaport-service-keys-infra"),
      true,
    );
  });

  it("pnpm's versioned folder and another package's node_modules: not by reference", () => {
    assert.equal(
      storedByStableReference(`/p/node_modules/.pnpm/pulumi-megaport-service-keys@0.1.0/node_modules/pulumi-megaport-service-keys/${file}`, "/p"),
      false,
    );
    assert.equal(storedByStableReference(`/p/node_modules/some-lib/node_modules/pulumi-megaport-service-keys/${file}`, "/p"), false);
  });

  it("outside node_modules (this repository's own link): true, the serializer stores the code by value anyway", () => {
    assert.equal(storedByStableReference(`/work/repo/${file}`, "/work/repo/examples/service-key"), true);
  });

  it("storedShim: the module's shim where the reference is stable, else one by-value copy per resource type", () => {
    const shim = forwardingShim("serviceKey");
    assert.equal(storedShim("serviceKey", shim, `${process.cwd()}/node_modules/pulumi-megaport-service-keys/${file}`), shim);
    const pnpm = `${process.cwd()}/node_modules/.pnpm/pulumi-megaport-service-keys@0.1.0/node_modules/pulumi-megaport-service-keys/${file}`;
    const copy = storedShim("serviceKey", shim, pnpm);
    assert.notEqual(copy, shim);
    assert.equal(storedShim("serviceKey", shim, pnpm), copy, "one object per type: the engine caches its text by identity");
    assert.notEqual(storedShim("serviceKeyVxc", forwardingShim("serviceKeyVxc"), pnpm), copy);
    assert.deepEqual(Object.keys(copy), ["configure", "check", "diff", "create", "read", "update", "delete"]);
  });
});
