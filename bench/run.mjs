// `cargo xtask bench` (all but the storm): throughput and latency in Node and
// headless Chromium, package size, memory over connect/echo/close cycles.
// Every figure of steadysocket stands next to the raw WebSocket measured in
// the same run. Prints tables; writes target/bench/results.json.
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { CASE_WARM_UP, KIND_WARM_UP, clientKinds, measure } from "./echo-cases.mjs";
import { formatInterval } from "./stats.mjs";
import { settle } from "./child.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const url = `ws://${peer}/echo`;
/**
 * Back-to-back pairs with the raw WebSocket per kind and case, in Node and in
 * Chromium. Node's runs are short (about 0.1 s), so 21 pairs there cost
 * about 2 minutes more than 11; a median's interval narrows with more pairs,
 * though one run showed little of it (bench/README.md).
 */
const pairs = Number(process.env.BENCH_PAIRS ?? 21);
const chromiumPairs = Number(process.env.BENCH_CHROMIUM_PAIRS ?? 21);
const root = new URL("../", import.meta.url);
const pkg = new URL("target/pkg/", root);
const benchPkg = new URL("target/bench-pkg/", root);
const { SteadySocket, steadysocketDiagnostics } = await import(new URL("steadysocket.js", pkg));
// The bench build of the Rust API: its benchmarks and a counting allocator.
const benchCore = await import(new URL("core.js", benchPkg));
benchCore.initSync({ module: await readFile(new URL("core_bg.wasm", benchPkg)) });
const { WebSocket: PartySocket } = await import("partysocket");
const { default: ReconnectingWebSocket } = await import("reconnecting-websocket");
const { WebSocket: WsPackage } = await import("ws");

/**
 * Pins the peer server (BENCH_SERVER_PID) to `serverCpus` and this process
 * to `clientCpus` (taskset lists), where the machine has two cores.
 */
function pin(serverCpus, clientCpus) {
  const server = process.env.BENCH_SERVER_PID;
  if (server === undefined || availableParallelism() < 2) return;
  for (const [pid, cpus] of [[server, serverCpus], [String(process.pid), clientCpus]]) {
    execFileSync("taskset", ["--all-tasks", "--pid", "--cpu-list", cpus, pid], { stdio: "ignore" });
  }
}

/** Every kind in Node over `WebSocket` (`injected`: not the global one, which steadysocket is then given). */
async function inNode(WebSocket = globalThis.WebSocket, injected = false) {
  return measure(clientKinds({ WebSocket, injected, SteadySocket, ReconnectingWebSocket, PartySocket, benchCore }), url, pairs);
}

/**
 * The same in headless Chromium with no DevTools client attached (see
 * openUnattached): the page runs the cases and posts its results back.
 */
async function inChromium() {
  const { openUnattached } = await import(new URL("tests/js/chromium.mjs", root));
  const { serve } = await import(new URL("tests/js/static-server.mjs", root));
  const server = await serve({
    "/pkg/": fileURLToPath(pkg),
    "/bench-pkg/": fileURLToPath(benchPkg),
    "/bench/": fileURLToPath(new URL("bench/", root)),
  }, { isolated: true });
  const browser = await openUnattached(`${server.url}/bench/browser.html?url=${encodeURIComponent(url)}&pairs=${chromiumPairs}`);
  try {
    const minutes = 30;
    let timer;
    const silence = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the bench page reported nothing in ${minutes} minutes (did it load?)`)), minutes * 60_000);
    });
    const report = JSON.parse(await Promise.race([server.posted("/results"), silence]).finally(() => clearTimeout(timer)));
    if (report.error) throw new Error(`the bench page failed: ${report.error}`);
    return report.results;
  } finally {
    await browser.close();
    await server.close();
  }
}

async function gzipSize(files) {
  let total = 0;
  for (const file of files) total += gzipSync(await readFile(new URL(file, root)), { level: 9 }).length;
  return total;
}

async function sizes() {
  return {
    "steadysocket (one bundle: class, glue, wasm)": await gzipSize(["target/pkg/steadysocket.js"]),
    "partysocket (entry + ws + polyfill)": await gzipSize(["bench/node_modules/partysocket/dist/index.js", "bench/node_modules/partysocket/dist/ws.js", "bench/node_modules/event-target-polyfill/index.js"]),
    "reconnecting-websocket": await gzipSize(["bench/node_modules/reconnecting-websocket/dist/reconnecting-websocket-mjs.js"]),
  };
}

/** One connect/echo/close cycle of a socket made by `make`. */
function cycle(make) {
  return new Promise((resolve, reject) => {
    const socket = make(url);
    socket.onopen = () => socket.send("ping");
    socket.onmessage = () => socket.close();
    socket.onclose = (event) => (event.willRetry ? reject(new Error("unexpected retry")) : resolve());
    socket.onerror = () => reject(new Error("the cycle failed"));
  });
}

/** The JS heap, and the wasm memory, Rust heap and listeners of `face`. */
function snapshot(face) {
  const jsHeap = process.memoryUsage().heapUsed;
  if (face === "raw WebSocket") return { jsHeap };
  if (face === "JS class") {
    // The package's own allocator counts its Rust heap; its listeners are attached in JS.
    const { wasmMemoryBytes, rustHeapBytes, liveListeners } = steadysocketDiagnostics();
    return { jsHeap, rustHeap: rustHeapBytes, wasmMemoryBytes, liveListeners };
  }
  return {
    jsHeap,
    rustHeap: benchCore.liveHeapBytes(),
    wasmMemoryBytes: benchCore.wasmMemoryBytes(),
    liveListeners: benchCore.liveRustListeners(),
  };
}

/** Rust heap, wasm memory, JS heap (after a forced GC) and listeners over `cycles` cycles of `run` through `face`. */
async function memory(face, cycles, run) {
  await run(200);
  await settle();
  const before = snapshot(face);
  await run(cycles);
  await settle();
  return { cycles, before, after: snapshot(face) };
}

async function memoryOfBothFaces(cycles) {
  const repeated = (make) => async (n) => { for (let i = 0; i < n; i++) await cycle(make); };
  return {
    "raw WebSocket": await memory("raw WebSocket", cycles, repeated((u) => new WebSocket(u))),
    "JS class": await memory("JS class", cycles, repeated((u) => new SteadySocket(u))),
    "Rust API": await memory("Rust API", cycles, (n) => benchCore.cycles(url, n)),
  };
}

/** Whether `kind` is one of ours, whose cells are judged against the targets. */
const ours = (kind) => kind.startsWith("steadysocket");

/**
 * A throughput cell: median ms, the ratio with its 90% interval, and for our
 * kinds whether the interval's lower bound meets 0.95x.
 */
function throughputCell(kind, ms, ratio) {
  const verdict = ours(kind) ? (ratio.low >= 0.95 ? " meets" : " misses") : "";
  return `${ms.toFixed(1)} ${formatInterval(ratio)}${verdict}`;
}

/** A latency cell: p50 / p99 ms and the p99 ratio; ours meet 1.1x if the interval's upper bound does. */
function latencyCell(kind, { p50, p99, p99Ratio }) {
  const verdict = ours(kind) ? (p99Ratio.high <= 1.1 ? " meets" : " misses") : "";
  return `${p50.toFixed(3)} / ${p99.toFixed(3)}, ${formatInterval(p99Ratio)}${verdict}`;
}

function throughputTable(title, results) {
  console.log(`\n${title}`);
  const kinds = Object.keys(results[0].ms);
  console.log(["case", "raw ms", ...kinds].join(" | "));
  for (const row of results) {
    if (row.ms) {
      console.log([row.case, row.rawMs.toFixed(1), ...kinds.map((k) => throughputCell(k, row.ms[k], row.ratio[k]))].join(" | "));
    } else {
      const raw = `${row.raw.p50.toFixed(3)} / ${row.raw.p99.toFixed(3)}`;
      console.log([row.case, raw, ...kinds.map((k) => latencyCell(k, row.latency[k]))].join(" | "));
    }
  }
}

if (!globalThis.gc) throw new Error("run with --expose-gc");
const started = performance.now();
const results = {
  // Node: the server on one core, the client on the other. Chromium: both
  // free (its browser, renderer and network processes and the server on
  // one core took twice as long, and swung more).
  node: (pin("1", "0"), await inNode()),
  // The same over the `ws` package (what Node 20 apps without the flag, and
  // many tools, open sockets with): raw is `ws`, every library is given it.
  nodeWs: await inNode(WsPackage, true),
  chromium: (pin("0-1", "0-1"), await inChromium()),
  size: await sizes(),
  memory: await memoryOfBothFaces(Number(process.env.BENCH_CYCLES ?? 10_000)),
};
const explained = `median of ${pairs} back-to-back pairs with raw (after ${CASE_WARM_UP} unmeasured runs of raw per case and ${KIND_WARM_UP} of each side per kind; every run waits for its close); ratio [90% bootstrap interval]; pipelined: raw time / this time (1.00 = as fast as raw; target: lower bound >= 0.95); round trips: this p99 / raw p99 (target: upper bound <= 1.10)`;
throughputTable(`Node ${process.versions.node}: pipelined echo and round trips, ${explained}`, results.node);
throughputTable(`Node ${process.versions.node} over the ws package's WebSocket (raw = ws; every kind is given it): the same`, results.nodeWs);
throughputTable(`Headless Chromium, nothing attached to it: the same, ${chromiumPairs} pairs`, results.chromium);
console.log("\nSize, gzip -9 bytes of what is loaded");
for (const [what, bytes] of Object.entries(results.size)) console.log(`${what}: ${bytes}`);
for (const [face, { before, after, cycles }] of Object.entries(results.memory)) {
  const perCycle = (key) => ((after[key] - before[key]) / cycles).toFixed(2);
  console.log(`\nMemory over ${cycles} connect/echo/close cycles through the ${face} (Node, after forced GC)`);
  console.log(`JS heap: ${before.jsHeap} -> ${after.jsHeap} bytes (${perCycle("jsHeap")} B per cycle)`);
  if (face === "raw WebSocket") continue;
  console.log(`Rust heap: ${before.rustHeap} -> ${after.rustHeap} bytes (${perCycle("rustHeap")} B per cycle)`);
  console.log(`wasm linear memory: ${before.wasmMemoryBytes} -> ${after.wasmMemoryBytes} bytes`);
  console.log(`live platform listeners: ${before.liveListeners} -> ${after.liveListeners}`);
}
console.log(`\nwall time of the whole bench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
await mkdir(new URL("target/bench/", root), { recursive: true });
await writeFile(new URL("target/bench/results.json", root), JSON.stringify(results, null, 2));
console.log("written target/bench/results.json");
process.exit(0);
