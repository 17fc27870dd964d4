/**
 * Summaries of the provider process's V8 CPU profiles (bench/cpuProfiler.ts, one `.cpuprofile` per
 * provider process, so one per operation): CPU time spent, by where the code comes from, and the
 * functions that spent the most of it themselves.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

const CpuProfileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

/** Where code comes from, for the summary. */
export const CATEGORIES = [
  "provider",
  "sdk",
  "zod",
  "undici (HTTP)",
  "@pulumi / gRPC",
  "node internals",
  "garbage collection",
  "native (program)",
  "other",
] as const;
export type Category = (typeof CATEGORIES)[number];

function categoryOf(url: string, functionName: string): Category {
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(program)") return "native (program)";
  if (url.includes("/dist/provider/")) return "provider";
  if (url.includes("/dist/sdk/")) return "sdk";
  if (url.includes("/node_modules/zod/")) return "zod";
  if (url.includes("undici")) return "undici (HTTP)";
  if (url.includes("@pulumi") || url.includes("@grpc") || url.includes("google-protobuf") || url.includes("protobuf"))
    return "@pulumi / gRPC";
  if (url === "" || url.startsWith("node:")) return "node internals";
  return "other";
}

/** One operation's provider CPU. */
export interface ProfileSummary {
  /** CPU time of the provider process (idle excluded), ms. */
  cpuMs: number;
  byCategory: Record<Category, number>;
  /** The functions with the most self time: `name (file:line)` → ms. */
  top: { fn: string; ms: number }[];
}

/** Reads every `.cpuprofile` in `dir` (one per provider process) and adds them up. */
export function summarizeProfiles(dir: string, topCount = 12): ProfileSummary | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const files = fs.readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"));
  if (files.length === 0) return undefined;
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const byFunction = new Map<string, number>();
  let cpuUs = 0;
  for (const file of files) {
    const profile = CpuProfileSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")));
    const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
    profile.samples.forEach((id, index) => {
      const frame = nodes.get(id);
      const us = profile.timeDeltas[index] ?? 0;
      if (frame === undefined || frame.functionName === "(idle)") return;
      cpuUs += us;
      const category = categoryOf(frame.url, frame.functionName);
      byCategory[category] += us / 1000;
      const where = frame.url === "" ? "" : ` (${shortUrl(frame.url)}:${frame.lineNumber + 1})`;
      const fn = `${frame.functionName || "(anonymous)"}${where}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + us / 1000);
    });
  }
  const top = [...byFunction.entries()]
    .sort(([, a], [, b]) => b - a)
    .slice(0, topCount)
    .map(([fn, ms]) => ({ fn, ms }));
  return { cpuMs: cpuUs / 1000, byCategory, top };
}

/** A profile URL without the machine's directories: from `dist/`, `node_modules/` or `node:`. */
function shortUrl(url: string): string {
  const at = (marker: string) => url.lastIndexOf(marker);
  const modules = at("/node_modules/");
  if (modules >= 0) return url.slice(modules + "/node_modules/".length);
  const dist = at("/dist/");
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, "");
}
