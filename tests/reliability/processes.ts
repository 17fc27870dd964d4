/**
 * Finding and killing a `pulumi up` that a test started (`EngineRun.startUp`: the program in a Node.js
 * process of its own), with everything it started in turn (the CLI, the dynamic-provider plugin), by
 * reading /proc (Linux).
 */
import * as fs from "node:fs";

interface ProcessInfo {
  pid: number;
  ppid: number;
  argv: string[];
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const argv = fs
      .readFileSync(`/proc/${pid}/cmdline`, "utf8")
      .split("\0")
      .filter((arg) => arg !== "");
    return { pid, ppid: Number(fields[1]), argv };
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

function allProcesses(): ProcessInfo[] {
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((info): info is ProcessInfo => info !== undefined);
}

/** The `pulumi <command>` processes whose parent is `parent`. */
export function childPulumiCommands(command: string, parent: number): number[] {
  return allProcesses()
    .filter(
      (p) => p.ppid === parent && (p.argv[0] ?? "").endsWith("/.engine/bin/pulumi") && p.argv[1] === command,
    )
    .map((p) => p.pid);
}

/** `root` and all its descendants, deepest last. */
export function processTree(root: number): number[] {
  const processes = allProcesses();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const child of processes.filter((p) => p.ppid === tree[i])) tree.push(child.pid);
  }
  return tree;
}

/** SIGKILLs every process of the tree at once (as a CI runner killing a job would), by pid. */
export function killTree(root: number): number[] {
  const tree = processTree(root);
  for (const pid of tree) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return tree;
}

/** Whether the process still exists (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  const info = readProcess(pid);
  if (info === undefined) return false;
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
