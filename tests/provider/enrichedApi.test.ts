/**
 * Every resource's lifecycle through the provider implementation, and the SDK calls behind it,
 * against enriched answers (emulator/enrich.ts): unknown fields, null for empty arrays, numbers and
 * dates as strings where megaportgo does not decode them (docs/megaport-api-variance.md).
 */
import * as assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { serviceKeyProvider } from "../../provider/resources/serviceKey";
import { serviceKeyVxcProvider } from "../../provider/resources/serviceKeyVxc";
import { vxcOrderApprovalProvider } from "../../provider/resources/vxcOrderApproval";
import { MegaportClient } from "../../sdk";
import { admin, captureLog, resetEmulator, startHarness, stopHarness } from "./harness";

describe("providers and SDK against enriched API answers", () => {
  let emulator: RunningEmulator;
  let eastPort: string;
  let westPort: string;
  const clients: MegaportClient[] = [];

  function client(account: "east" | "west" | "north"): MegaportClient {
    const made = new MegaportClient({
      accessKey: emulator.accounts[account]?.accessKey as string,
      secretKey: emulator.accounts[account]?.secretKey as string,
      baseUrl: emulator.url,
    });
    clients.push(made);
    return made;
  }

  before(async () => {
    emulator = await startHarness({ enrich: true });
    eastPort = emulator.accounts.east?.products.port10G as string;
    westPort = emulator.accounts.west?.products.port10G as string;
  });
  after(async () => {
    // splice: a runner that runs the suite again in this process (Stryker's) must not close them twice.
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await stopHarness(emulator);
  });
  beforeEach(async () => resetEmulator(emulator));

  async function newKey(extra: Record<string, unknown> = {}) {
    const { inputs, failures } = await serviceKeyProvider.check(
      {},
      { productUid: eastPort, maxSpeed: 500, vlan: 100, account: "east", resourceName: "east-key", ...extra },
    );
    assert.deepEqual(failures, []);
    return { inputs, result: await serviceKeyProvider.create(inputs) };
  }

  it("ServiceKey: check, create, read, update and delete", async () => {
    const end = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const { inputs, result } = await newKey({ validFor: { end }, description: "enriched" });
    const outs = result.outs;
    assert.equal(outs.productType, "MEGAPORT", "read from the key's enriched productDto");
    assert.equal(outs.companyName, "East Company");
    assert.match(outs.createDate ?? "", /^\d{4}-\d{2}-\d{2}T/);
    assert.equal(outs.active, true);

    const read = await serviceKeyProvider.read(result.id, { ...outs });
    assert.equal(read.props?.key, outs.key);
    assert.equal(read.props?.active, true);

    const news = { ...inputs, active: false };
    const diff = await serviceKeyProvider.diff(result.id, { ...outs }, news);
    assert.equal(diff.changes, true);
    const updated = await serviceKeyProvider.update(result.id, { ...outs }, news);
    assert.equal(updated.outs.active, false);

    await serviceKeyProvider.delete(result.id, { ...updated.outs });
    const state = await admin<{ serviceKeys: { key: string; active: boolean }[] }>(
      emulator,
      "GET",
      "/_emulator/state",
    );
    assert.equal(state.serviceKeys.find((k) => k.key === outs.key)?.active, false);
  });

  it("ServiceKeyVxc and VxcOrderApproval: preview, create pending, approve, read, update, delete", async () => {
    const key = (await newKey({ singleUse: true })).result.outs.key;
    const checked = await serviceKeyVxcProvider.check(
      {},
      {
        serviceKey: key,
        aEndProductUid: westPort,
        name: "enriched VXC",
        rateLimit: 200,
        account: "west",
        resourceName: "west-vxc",
        orderIdentity: "project/stack/west-vxc",
      },
    );
    assert.deepEqual(checked.failures, []);
    const created = (await captureLog(() => serviceKeyVxcProvider.create(checked.inputs))).result;
    assert.equal(created.outs.approvalStatus, "PENDING_EXTERNAL");
    assert.equal(created.outs.bEndVlan, 100);
    assert.match(created.outs.createDate ?? "", /^\d{4}-\d{2}-\d{2}T/);

    const approvalCheck = await vxcOrderApprovalProvider.check(
      {},
      { serviceKey: key, decision: "approve", account: "east", resourceName: "east-approval" },
    );
    assert.deepEqual(approvalCheck.failures, []);
    const approval = (await captureLog(() => vxcOrderApprovalProvider.create(approvalCheck.inputs))).result;
    assert.equal(approval.outs.status, "APPROVED");
    assert.equal(approval.outs.vxcProductUid, created.id);
    assert.equal(approval.outs.rateLimit, 200, "the order's rate limit, with the approval detail enriched");
    const approvalRead = await vxcOrderApprovalProvider.read(approval.id, { ...approval.outs });
    assert.equal(approvalRead.props?.status, "APPROVED");

    await admin(emulator, "POST", "/_emulator/clock", { advanceMs: 1000 });
    const read = await serviceKeyVxcProvider.read(created.id, { ...created.outs });
    assert.equal(read.props?.approvalStatus, "APPROVED");
    assert.equal(read.props?.provisioningStatus, "LIVE");

    const news = { ...checked.inputs, rateLimit: 300 };
    const recheck = await serviceKeyVxcProvider.check({ ...read.props }, news);
    assert.deepEqual(recheck.failures, []);
    const updated = await serviceKeyVxcProvider.update(created.id, { ...read.props }, recheck.inputs);
    assert.equal(updated.outs.rateLimit, 300);

    await captureLog(() => serviceKeyVxcProvider.delete(created.id, { ...updated.outs }));
    assert.deepEqual(await serviceKeyVxcProvider.read(created.id, { ...updated.outs }), {});
  });

  it("SDK: empty lists and tags as null, validate and buy answers with strings, products listed", async () => {
    const north = client("north");
    assert.deepEqual(await north.serviceKeys.list(), []);
    const west = client("west");
    const key = await client("east").serviceKeys.create({
      productUid: eastPort,
      maxSpeed: 300,
      singleUse: false,
      active: true,
      preApproved: true,
    });
    assert.equal(key.productDto?.productType, "MEGAPORT");
    assert.equal(key.productDto?.portSpeed, 10000, "a numeric string in productDto, read as a number");
    const order = [
      {
        productUid: westPort,
        associatedVxcs: [
          {
            productName: "sdk enriched",
            rateLimit: 100,
            term: 1,
            shutdown: false,
            serviceKey: key.key,
            aEnd: {},
            bEnd: { productUid: key.productUid },
          },
        ],
      },
    ];
    const [validated] = await west.networkDesign.validate(order);
    assert.equal(validated?.serviceName, "sdk enriched");
    const [bought] = await west.networkDesign.buy(order);
    const uid = bought?.vxcJTechnicalServiceUid as string;
    assert.equal(typeof bought?.createDate, "number", "an ISO createDate read as epoch ms");
    assert.deepEqual(await west.products.tags(uid), [], "no tags: resourceTags null");
    const products = await west.products.list();
    assert.ok(products.some((p) => p.productUid === westPort));
    const vxc = await west.vxcs.get(uid);
    assert.equal(vxc.rateLimit, 100);
    const approvals = await client("east").orderApprovals.list();
    assert.deepEqual(approvals.items, [], "a pre-approved key leaves no approvals: data null");
  });
});
