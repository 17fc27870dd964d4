/**
 * The fleet fixture's stack and the assertions that prove it converged: the emulator holds exactly
 * one key per declared key and one VXC per declared VXC, every one of them in the Pulumi state, and
 * nothing doubled.
 */
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import type { EngineRun } from "../e2e/engineRun";
import { countBy, type EmulatorState, emulatorState, reliabilityFixture } from "./harness";

/** The size and naming of one fleet stack. */
export interface FleetShape {
  prefix: string;
  keyCount: number;
  vxcCount: number;
}

/**
 * The Pulumi id the provider gives a key: `sk-` and the first 24 hex digits of its SHA-256
 * (provider/resources/serviceKey.ts `serviceKeyId`). The state keeps the key itself encrypted, so the id is
 * what binds a state entry to an emulator key.
 */
export const serviceKeyIdOf = (key: string) =>
  `sk-${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;

/** Opens the fleet stack: owner `east` on its 10G port, consumer `west` spreading VXCs over three products. */
export async function openFleetStack(
  run: EngineRun,
  stackName: string,
  shape: FleetShape,
  extra: ConfigMap = {},
): Promise<Stack> {
  const { east, west } = run.emulator.accounts;
  return run.stack(reliabilityFixture("fleet"), stackName, {
    ...run.accountsConfig({ owner: "east", consumer: "west" }),
    prefix: { value: shape.prefix },
    keyCount: { value: String(shape.keyCount) },
    vxcCount: { value: String(shape.vxcCount) },
    ownerProductUid: { value: east.products.port10G },
    consumerProductUids: {
      value: JSON.stringify([west.products.port1G, west.products.port10G, west.products.mcr]),
    },
    ...extra,
  });
}

/** The emulator's keys and VXCs that belong to this fleet (by their names), whatever their status. */
export function fleetRecords(state: EmulatorState, shape: FleetShape) {
  const keys = state.serviceKeys.filter((k) => k.description?.startsWith(`${shape.prefix}-key-`));
  const vxcs = state.vxcs.filter((v) => v.productName.startsWith(`${shape.prefix}-vxc-`));
  return { keys, vxcs };
}

const expectedNames = (stem: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${stem}-${i}`).sort();

/**
 * Asserts that the fleet is fully up: each declared key exists exactly once in the emulator and is
 * active; each declared VXC was ordered exactly once (cancelled duplicates count too) and is neither
 * cancelled nor decommissioned; the state holds exactly those keys (by id) and VXCs (by productUid).
 */
export async function assertFleetUp(run: EngineRun, stack: Stack, shape: FleetShape): Promise<void> {
  const { keys, vxcs } = fleetRecords(await emulatorState(run), shape);

  const keyCounts = countBy(keys, (k) => k.description ?? "");
  const doubledKeys = [...keyCounts].filter(([, n]) => n > 1).map(([name]) => name);
  assert.deepEqual(doubledKeys, [], "no key was created twice");
  assert.deepEqual(
    [...keyCounts.keys()].sort(),
    expectedNames(`${shape.prefix}-key`, shape.keyCount),
    "every key exists",
  );
  assert.deepEqual(
    keys.filter((k) => !k.active).map((k) => k.description),
    [],
    "every key is active",
  );

  const vxcCounts = countBy(vxcs, (v) => v.productName);
  const doubledVxcs = [...vxcCounts].filter(([, n]) => n > 1).map(([name]) => name);
  assert.deepEqual(doubledVxcs, [], "no VXC was ordered twice");
  assert.deepEqual(
    [...vxcCounts.keys()].sort(),
    expectedNames(`${shape.prefix}-vxc`, shape.vxcCount),
    "every VXC exists",
  );
  const gone = vxcs.filter((v) => ["CANCELLED", "DECOMMISSIONED", "FAILED"].includes(v.provisioningStatus));
  assert.deepEqual(
    gone.map((v) => v.productName),
    [],
    "no VXC is cancelled or failed",
  );

  const stateKeys = await run.resources(stack, "ServiceKey");
  assert.deepEqual(
    stateKeys.map((k) => k.id).sort(),
    keys.map((k) => serviceKeyIdOf(k.key)).sort(),
    "the state holds exactly the emulator's keys",
  );
  const stateVxcs = await run.resources(stack, "ServiceKeyVxc");
  assert.deepEqual(
    stateVxcs.map((v) => v.id).sort(),
    vxcs.map((v) => v.productUid).sort(),
    "the state holds exactly the emulator's VXCs",
  );
}

/** Asserts that the fleet is fully torn down: keys inactive, VXCs decommissioned, state empty. */
export async function assertFleetDestroyed(run: EngineRun, stack: Stack, shape: FleetShape): Promise<void> {
  const { keys, vxcs } = fleetRecords(await emulatorState(run), shape);
  assert.equal(keys.length, shape.keyCount, "no key was created during destroy");
  assert.deepEqual(
    keys.filter((k) => k.active).map((k) => k.description),
    [],
    "every key is inactive",
  );
  assert.equal(vxcs.length, shape.vxcCount, "no VXC was ordered during destroy");
  assert.deepEqual(
    vxcs
      .filter((v) => v.provisioningStatus !== "DECOMMISSIONED")
      .map((v) => `${v.productName}: ${v.provisioningStatus}`),
    [],
    "every VXC is decommissioned",
  );
  assert.equal((await run.resources(stack, "ServiceKey")).length, 0, "no key left in state");
  assert.equal((await run.resources(stack, "ServiceKeyVxc")).length, 0, "no VXC left in state");
}
