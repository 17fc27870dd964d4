/**
 * What a stack's checkpoint spends per resource: the checkpoint file size, and for the resources of
 * one type, the average bytes of each part (the serialized provider in inputs and outputs, the
 * other inputs and outputs, and the engine's own fields), as the file backend writes them.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Average bytes per resource of each part of a checkpoint resource. */
export type StateBreakdown = Record<string, number>;

/** The checkpoint file of `stackName` in a file backend. */
export function checkpointFile(backendDir: string, stackName: string): string {
  const stacksDir = path.join(backendDir, ".pulumi", "stacks");
  for (const project of fs.readdirSync(stacksDir)) {
    const file = path.join(stacksDir, project, `${stackName}.json`);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`no checkpoint for ${stackName} under ${stacksDir}`);
}

type Json = Record<string, unknown>;

/** Bytes of a value as the file backend writes it (indented JSON, 4 spaces, one level in). */
function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value, null, 4) ?? "", "utf8");
}

/**
 * The average size of each part of the resources whose type starts with `typePrefix`: `__provider`
 * in inputs and in outputs, the other inputs and outputs, and the rest (URN, type, id, parent,
 * dependencies, timestamps and the other fields the engine keeps).
 */
export function stateBreakdown(file: string, typePrefix: string): StateBreakdown {
  const checkpoint = JSON.parse(fs.readFileSync(file, "utf8")) as Json;
  const deployment = (checkpoint.checkpoint as Json | undefined)?.latest as Json | undefined;
  const resources = ((deployment?.resources as Json[] | undefined) ?? []).filter((r) =>
    String(r.type).startsWith(typePrefix),
  );
  if (resources.length === 0) return {};
  const totals: Record<string, number> = {};
  const add = (part: string, size: number) => {
    totals[part] = (totals[part] ?? 0) + size;
  };
  for (const resource of resources) {
    const { inputs, outputs, ...rest } = resource as { inputs?: Json; outputs?: Json };
    const { __provider: inProvider, ...otherInputs } = inputs ?? {};
    const { __provider: outProvider, ...otherOutputs } = outputs ?? {};
    add("inputs.__provider", bytes(inProvider ?? ""));
    add("outputs.__provider", bytes(outProvider ?? ""));
    add("other inputs", bytes(otherInputs));
    add("other outputs", bytes(otherOutputs));
    add("engine fields (urn, type, id, dependencies, timestamps, …)", bytes(rest));
  }
  return Object.fromEntries(Object.entries(totals).map(([part, total]) => [part, total / resources.length]));
}
