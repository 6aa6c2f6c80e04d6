// `cargo xtask bench startup`: from `import` to the first `open` event,
// through the npm class (whose wasm is compiled on the first `new
// SteadySocket()`) against the raw WebSocket, in fresh Node processes and in
// fresh Chromium contexts (nothing cached), BENCH_STARTUP_PAIRS pairs
// (default 41) alternating which goes first. The raw side imports a one-line
// module the same way (bench/one-line-module.mjs): a page's first dynamic
// import costs 20-70 ms in a fresh Chromium context whatever the module
// holds, which is the page's cost, not the package's; "of which import" shows
// both. Each figure is the median of
// the pairs' difference (class − raw) with its 90% bootstrap interval;
// target: at most raw + 2 ms. Writes target/bench/startup.json.
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { median, medianInterval } from "./stats.mjs";
import { inFreshProcess } from "./child.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const url = `ws://${peer}/echo`;
const root = new URL("../", import.meta.url);
const pairs = Number(process.env.BENCH_STARTUP_PAIRS ?? 41);

/** In a fresh Node process: one sample of `kind` ("raw" or "class"), printed as JSON. */
async function sample(kind) {
  const started = performance.now();
  // The same first dynamic import for both, raw's of a module that holds nothing (see the header).
  const module = await import(new URL(kind === "class" ? "target/pkg/steadysocket.js" : "bench/one-line-module.mjs", root));
  const imported = performance.now();
  // Node loads its WebSocket on first use: the class's constructor pays the same.
  const Socket = kind === "class" ? module.SteadySocket : globalThis.WebSocket;
  const socket = new Socket(url);
  socket.onopen = () => {
    console.log(JSON.stringify({ openMs: performance.now() - started, importMs: imported - started }));
    socket.close();
    process.exit(0);
  };
  socket.onerror = () => process.exit(1);
}

async function chromiumSampler() {
  const { launch } = await import(new URL("tests/js/chromium.mjs", root));
  const { serve } = await import(new URL("tests/js/static-server.mjs", root));
  const server = await serve({
    "/pkg/": fileURLToPath(new URL("target/pkg/", root)),
    "/bench/": fileURLToPath(new URL("bench/", root)),
  });
  const browser = await launch();
  return {
    async sample(kind) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/bench/startup.html?kind=${kind}&url=${encodeURIComponent(url)}`);
      const result = await (await page.waitForFunction(() => window.startup)).jsonValue();
      await context.close();
      if (result.error) throw new Error(result.error);
      return result;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** `pairs` pairs of samples (after one unmeasured pair), alternating which kind goes first. */
async function measure(sampleOf) {
  await sampleOf("raw");
  await sampleOf("class");
  const raw = [];
  const ours = [];
  for (let p = 0; p < pairs; p++) {
    if (p % 2 === 0) {
      raw.push(await sampleOf("raw"));
      ours.push(await sampleOf("class"));
    } else {
      ours.push(await sampleOf("class"));
      raw.push(await sampleOf("raw"));
    }
  }
  return {
    rawOpenMs: median(raw.map((s) => s.openMs)),
    classOpenMs: median(ours.map((s) => s.openMs)),
    rawImportMs: median(raw.map((s) => s.importMs)),
    classImportMs: median(ours.map((s) => s.importMs)),
    extraMs: medianInterval(ours.map((s, p) => s.openMs - raw[p].openMs)),
  };
}

async function main() {
  const chromium = await chromiumSampler();
  const results = {
    [`Node ${process.versions.node} (a fresh process each)`]: await measure(async (kind) => inFreshProcess(import.meta.url, kind)),
    "Chromium (a fresh context each)": await measure((kind) => chromium.sample(kind)),
  };
  await chromium.close();
  console.log(`\nStartup: import to the first open event, median of ${pairs} pairs; extra = class − raw per pair [90% bootstrap interval]; target: upper bound <= 2 ms`);
  console.log("where | raw (ms) | class (ms) | of which import: raw's one-line module, the class (ms) | extra (ms)");
  for (const [where, r] of Object.entries(results)) {
    const { median: middle, low, high } = r.extraMs;
    const verdict = high <= 2 ? "meets" : "misses";
    console.log(`${where} | ${r.rawOpenMs.toFixed(2)} | ${r.classOpenMs.toFixed(2)} | ${r.rawImportMs.toFixed(2)}, ${r.classImportMs.toFixed(2)} | ${middle.toFixed(2)} [${low.toFixed(2)}, ${high.toFixed(2)}] ${verdict}`);
  }
  await mkdir(new URL("target/bench/", root), { recursive: true });
  await writeFile(new URL("target/bench/startup.json", root), JSON.stringify(results, null, 2));
}

if (process.argv[2]) await sample(process.argv[2]);
else await main();
