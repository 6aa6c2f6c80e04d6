// `cargo xtask bench profile`: where the main thread of a Chromium page spends
// its time per message in the pipelined 64 B echo (or another of the echo's
// cases: BENCH_PROFILE_SIZE bytes, binary with BENCH_PROFILE_BINARY=1), for
// the raw WebSocket, the JS class, the Rust API through its stream and
// through an `on_event` handler (its bench build with the wasm's function
// names kept), and the copies any wasm client makes, alone (the echo's floor
// kind). The page runs with a DevTools
// session that enables the profiler and nothing else: no network events,
// which would slow every frame (see openUnattached). Prints, per kind, the main thread's busy time per message
// and the functions that take most of it (self time).
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openUnattached } from "../tests/js/chromium.mjs";
import { serve } from "../tests/js/static-server.mjs";
import { addTimes, selfTimes, summary } from "./cpu-profile.mjs";
import { CASES } from "./echo-cases.mjs";

const root = new URL("../", import.meta.url);
const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
/**
 * The echo's case profiled: BENCH_PROFILE_SIZE, its message size in bytes (64
 * by default), of text or, with BENCH_PROFILE_BINARY=1, binary; with its count
 * of messages a run.
 */
const size = Number(process.env.BENCH_PROFILE_SIZE ?? 64);
const binary = process.env.BENCH_PROFILE_BINARY === "1";
const profiled = CASES.find((workload) => workload.binary === binary && workload.size === size);
if (profiled === undefined) {
  const cases = CASES.map((workload) => `BENCH_PROFILE_SIZE=${workload.size}${workload.binary ? " BENCH_PROFILE_BINARY=1" : ""}`);
  throw new RangeError(`BENCH_PROFILE_SIZE=${process.env.BENCH_PROFILE_SIZE ?? 64}${binary ? " BENCH_PROFILE_BINARY=1" : ""} is not one of the echo's cases; use one of: ${cases.join("; ")}`);
}
const { count } = profiled;
/** Profiled runs per kind (after one unprofiled run), alternating kinds, twice over. */
const runs = 6;
const kinds = ["raw", "class", "rust", "rust-on-event", "wasm-copies"];
const SAMPLING_MICROSECONDS = 100;

/** A DevTools session on the page's target: `call(method, params)` resolves to the result. */
async function devtools(profileDir) {
  let port;
  for (let tries = 0; port === undefined; tries++) {
    port = await readFile(join(profileDir, "DevToolsActivePort"), "utf8").then((text) => text.split("\n")[0], () => undefined);
    if (port === undefined) {
      if (tries > 100) throw new Error("Chromium did not open its DevTools port");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = targets.find((target) => target.type === "page");
  const socket = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error("cannot reach the page's DevTools session"));
  });
  const pending = new Map();
  let next = 0;
  socket.onmessage = ({ data }) => {
    const reply = JSON.parse(data);
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.error) waiter.reject(new Error(`${reply.error.message} (${JSON.stringify(reply.error)})`));
    else waiter.resolve(reply.result);
  };
  return {
    call: (method, params = {}) => new Promise((resolve, reject) => {
      next += 1;
      pending.set(next, { resolve, reject });
      socket.send(JSON.stringify({ id: next, method, params }));
    }),
    close: () => socket.close(),
  };
}

/** Evaluates `expression` in the page and returns its value (awaited). */
async function evaluate(session, expression) {
  const { result, exceptionDetails } = await session.call("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
  if (exceptionDetails) throw new Error(`the page failed: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  return result.value;
}

const server = await serve({
  "/pkg/": fileURLToPath(new URL("target/pkg/", root)),
  "/bench-pkg-named/": fileURLToPath(new URL("target/bench-pkg-named/", root)),
  "/bench/": fileURLToPath(new URL("bench/", root)),
}, { isolated: true });
const url = `ws://${peer}/echo`;
const browser = await openUnattached(`${server.url}/bench/profile.html?url=${encodeURIComponent(url)}&count=${count}&size=${size}&binary=${binary}`, {
  args: ["--remote-debugging-port=0"],
});
const results = {};
try {
  const session = await devtools(browser.profile);
  // Until the page has its execution context, evaluating fails: not ready yet.
  for (let waited = 0; !(await evaluate(session, "window.ready === true").catch(() => false)); waited++) {
    if (waited > 300) throw new Error("the profile page did not load in 30 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await session.call("Profiler.enable");
  await session.call("Profiler.setSamplingInterval", { interval: SAMPLING_MICROSECONDS });
  for (const kind of kinds) results[kind] = { times: new Map(), ms: [] };
  for (const round of [0, 1]) {
    for (const kind of round === 0 ? kinds : [...kinds].reverse()) {
      await evaluate(session, `run(${JSON.stringify(kind)}, 1)`);
      await session.call("Profiler.start");
      const ms = await evaluate(session, `run(${JSON.stringify(kind)}, ${runs / 2})`);
      const { profile } = await session.call("Profiler.stop");
      addTimes(results[kind].times, selfTimes(profile));
      results[kind].ms.push(...ms);
    }
  }
  session.close();
} finally {
  await browser.close();
  await server.close();
}

const messages = runs * count;
const perMessage = (us) => (us / messages).toFixed(3);
const report = {};
console.log(`Chromium main thread, pipelined ${count.toLocaleString("en")} x ${size.toLocaleString("en")} B ${binary ? "binary" : "text"}, ${runs} profiled runs per kind (sampled every ${SAMPLING_MICROSECONDS} µs; µs of self time per message)`);
for (const kind of kinds) {
  const { times, ms } = results[kind];
  const { idle, busy, top } = summary(times, 14);
  const sorted = [...ms].sort((a, b) => a - b);
  console.log(`\n${kind}: runs ${sorted.map((t) => t.toFixed(0)).join(", ")} ms; busy ${perMessage(busy)} µs a message, idle ${perMessage(idle)}`);
  for (const [name, us] of top) console.log(`  ${perMessage(us).padStart(7)}  ${name.slice(0, 110)}`);
  report[kind] = { runsMs: ms, busyPerMessageUs: busy / messages, idlePerMessageUs: idle / messages, top: top.map(([name, us]) => ({ name, perMessageUs: us / messages })) };
}
await mkdir(new URL("target/bench/", root), { recursive: true });
await writeFile(new URL("target/bench/profile.json", root), JSON.stringify(report, null, 2));
console.log("\nwritten target/bench/profile.json");
process.exit(0);
