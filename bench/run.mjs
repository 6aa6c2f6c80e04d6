// `cargo xtask bench` (all but the storm): throughput and latency in Node and
// headless Chromium, package size, memory over connect/echo/close cycles.
// Every figure of steadysocket stands next to the raw WebSocket measured in
// the same run. Prints tables; writes target/bench/results.json.
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { clientKinds, measure } from "./echo-cases.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const url = `ws://${peer}/echo`;
const root = new URL("../", import.meta.url);
const pkg = new URL("target/pkg/", root);
const benchPkg = new URL("target/bench-pkg/", root);
const { SteadySocket, steadysocketDiagnostics } = await import(new URL("steadysocket.js", pkg));
// The bench build of the Rust API: its benchmarks and a counting allocator.
const benchCore = await import(new URL("core.js", benchPkg));
benchCore.initSync({ module: await readFile(new URL("core_bg.wasm", benchPkg)) });
const { WebSocket: PartySocket } = await import("partysocket");
const { default: ReconnectingWebSocket } = await import("reconnecting-websocket");

async function inNode() {
  return measure(clientKinds({ WebSocket: globalThis.WebSocket, SteadySocket, ReconnectingWebSocket, PartySocket, benchCore }), url);
}

async function inChromium() {
  const { launch } = await import(new URL("tests/js/chromium.mjs", root));
  const { serve } = await import(new URL("tests/js/static-server.mjs", root));
  const server = await serve({
    "/pkg/": fileURLToPath(pkg),
    "/bench-pkg/": fileURLToPath(benchPkg),
    "/bench/": fileURLToPath(new URL("bench/", root)),
  }, { isolated: true });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/bench/browser.html`);
    await page.waitForFunction(() => window.benchReady === true);
    return await page.evaluate((u) => window.runBench(u), url);
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

/** Forced GC with time for finished tasks and timers to run out. */
async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 50));
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  globalThis.gc();
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

function throughputTable(title, results) {
  console.log(`\n${title}`);
  const kinds = Object.keys(results[0].ms);
  console.log(["case", ...kinds.map((k) => `${k} ms (x raw)`)].join(" | "));
  for (const row of results) {
    if (row.ms) {
      console.log([row.case, ...kinds.map((k) => `${row.ms[k].toFixed(1)} (${row.ratio[k].toFixed(2)}x)`)].join(" | "));
    } else {
      const cell = ({ p50, p99, p99Ratio }) => `${p50.toFixed(3)} / ${p99.toFixed(3)} (${p99Ratio.toFixed(2)}x)`;
      console.log([row.case, ...kinds.map((k) => cell(row.latency[k]))].join(" | "));
    }
  }
}

if (!globalThis.gc) throw new Error("run with --expose-gc");
const results = {
  node: await inNode(),
  chromium: await inChromium(),
  size: await sizes(),
  memory: await memoryOfBothFaces(Number(process.env.BENCH_CYCLES ?? 10_000)),
};
throughputTable(`Node ${process.versions.node}: pipelined echo, median of 5 pairs with raw (ratio: raw time / this time; 1.00 = as fast as raw)`, results.node);
throughputTable("Headless Chromium: the same", results.chromium);
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
await mkdir(new URL("target/bench/", root), { recursive: true });
await writeFile(new URL("target/bench/results.json", root), JSON.stringify(results, null, 2));
console.log("written target/bench/results.json");
process.exit(0);
