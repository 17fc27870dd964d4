/**
 * Preloaded (`NODE_OPTIONS=--require …/cpuProfiler.js`) into the processes the engine starts, it
 * profiles the dynamic-provider process only, with V8's sampling profiler, and writes the profile
 * (`.cpuprofile`, the format of `node --cpu-prof`, which NODE_OPTIONS does not allow) into
 * `BENCH_CPU_PROFILE_DIR` when the process ends: the engine stops its plugins with SIGINT.
 */
import * as fs from "node:fs";
import * as inspector from "node:inspector";
import * as path from "node:path";

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir !== undefined && process.argv.some((arg) => arg.includes("dynamic-provider"))) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  // 1 ms sampling, as `node --cpu-prof` does by default.
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  let written = false;
  // A session of the process's own thread answers synchronously, so this can run in 'exit'.
  const write = () => {
    if (written) return;
    written = true;
    session.post("Profiler.stop", (error, result) => {
      if (error !== null) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `provider-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on("exit", write);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      write();
      process.exit(0);
    });
  }
}
