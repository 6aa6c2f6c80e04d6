// Helpers the benchmarks share: a measurement in a fresh Node process (this
// same script, given an argument, prints one JSON line), and a settled heap.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Runs `script` (a module URL) in a fresh Node process with `argument` and the
 * same flags, and parses the last line it prints as JSON. Its stderr shows.
 */
export function inFreshProcess(script, argument) {
  const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(script), argument], {
    env: process.env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(output.trim().split("\n").pop());
}

/** Lets timers and finalizers run, then collects garbage, `rounds` times (needs --expose-gc). */
export async function settle(rounds = 2, pauseMs = 50) {
  for (let i = 0; i < rounds; i++) {
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    globalThis.gc();
  }
}
