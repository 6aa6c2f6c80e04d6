// `cargo xtask bench idle`: many open, idle sockets in one Node process
// (bots, load tools, server-side fan-out). Each kind runs in a fresh Node
// process (`node --expose-gc bench/idle.mjs <kind>`), BENCH_REPEATS times
// (default 3), alternating kinds: it opens BENCH_SOCKETS (default 10,000)
// sockets to the peer server's echo, 500 at a time, and reports the time to
// open them all, the JS heap and the wasm memory per socket after a forced
// GC (against a baseline taken after opening and closing 100 of them, so
// the code is loaded and compiled), the CPU the process uses over 10 s of
// idling, from 6 s after the last open (in all and in its quietest quarter:
// work of a kind's own recurs in every quarter, a one-off collection by V8
// does not), and the memory per socket again
// after that (GC again). Prints a table; writes
// target/bench/idle-node<major>.json (`cargo xtask bench idle` runs it in
// the system's Node and in Node 24).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { median } from "./stats.mjs";
import { inFreshProcess, settle } from "./child.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const url = `ws://${peer}/echo`;
const root = new URL("../", import.meta.url);
const sockets = Number(process.env.BENCH_SOCKETS ?? 10_000);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const BATCH = 500;
const IDLE_WINDOW_MS = 10_000;
/** The idle window is measured in this many parts too, the quietest of which is reported. */
const IDLE_PARTS = 4;
/**
 * How long to wait after the last open before the CPU is measured: past
 * what the opens set off (such as V8's memory reducer, which runs some
 * seconds after a burst of allocation), so what is measured is the steady
 * state. (Without a heartbeat, an open connection keeps no timer.)
 */
const QUIET_MS = 6_000;
/** The heartbeat of the "heartbeat on" rows: a ping every 5 s, answered by the echo. */
const HEARTBEAT_MS = 5_000;
const heartbeat = { interval: HEARTBEAT_MS, timeout: HEARTBEAT_MS, ping: "ping" };

/** How each kind opens one socket (JS kinds) or all of them (the Rust API). */
async function kinds() {
  const { SteadySocket, steadysocketDiagnostics } = await import(new URL("target/pkg/steadysocket.js", root));
  const { default: WS } = await import("ws");
  const { WebSocket: PartySocket } = await import("partysocket");
  const classMemory = () => steadysocketDiagnostics().wasmMemoryBytes;
  const js = (make, wasmMemory = () => 0) => ({ make, wasmMemory });
  return {
    "raw WebSocket (Node's global)": js((u) => new WebSocket(u)),
    "raw WebSocket (ws package)": js((u) => new WS(u)),
    "steadysocket JS class (global)": js((u) => new SteadySocket(u), classMemory),
    "steadysocket JS class (ws)": js((u) => new SteadySocket(u, [], { WebSocket: WS }), classMemory),
    "steadysocket JS class (global), heartbeat on": js((u) => new SteadySocket(u, [], { heartbeat }), classMemory),
    "steadysocket Rust API (global)": await rustKind(0),
    "steadysocket Rust API (global), heartbeat on": await rustKind(HEARTBEAT_MS),
    "partysocket (global)": js((u) => new PartySocket(u, [], { WebSocket })),
  };
}

/** The Rust API through the bench build, which keeps its sockets itself. */
async function rustKind(heartbeatMs) {
  const benchPkg = new URL("target/bench-pkg/", root);
  const core = await import(new URL("core.js", benchPkg));
  core.initSync({ module: await readFile(new URL("core_bg.wasm", benchPkg)) });
  return {
    openAll: (u, count) => core.openIdle(u, count, BATCH, heartbeatMs),
    closeAll: () => core.closeIdle(),
    wasmMemory: () => core.wasmMemoryBytes(),
  };
}

/** Opens `count` sockets of a JS kind, `BATCH` at a time; resolves with them when all are open. */
async function openAll(make, count) {
  const open = [];
  while (open.length < count) {
    const batch = Array.from({ length: Math.min(BATCH, count - open.length) }, () => new Promise((resolve, reject) => {
      const socket = make(url);
      socket.onopen = () => resolve(socket);
      socket.onerror = () => reject(new Error(`socket ${open.length} could not open`));
    }));
    open.push(...(await Promise.all(batch)));
  }
  return open;
}

/** In the child: measures one kind and prints its figures as JSON. */
async function measureKind(name) {
  const kind = (await kinds())[name];
  if (!kind) throw new Error(`unknown kind ${name}`);
  const open = kind.openAll ? (n) => kind.openAll(url, n) : (n) => openAll(kind.make, n);
  const closeAll = kind.closeAll ?? ((list) => list.forEach((s) => s.close()));
  closeAll(await open(100));
  await settle(3, 100);
  const before = { heap: process.memoryUsage().heapUsed, wasm: kind.wasmMemory() };
  const started = performance.now();
  const list = await open(sockets);
  const openMs = performance.now() - started;
  await settle(3, 100);
  const after = { heap: process.memoryUsage().heapUsed, wasm: kind.wasmMemory() };
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  const cpuBefore = process.cpuUsage();
  const parts = [];
  for (let part = 0; part < IDLE_PARTS; part++) {
    const partBefore = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS / IDLE_PARTS));
    const used = process.cpuUsage(partBefore);
    parts.push(used.user + used.system);
  }
  const cpu = process.cpuUsage(cpuBefore);
  await settle(3, 100);
  const idle = { heap: process.memoryUsage().heapUsed, wasm: kind.wasmMemory() };
  const stillOpen = Array.isArray(list) ? list.filter((s) => s.readyState === 1).length : sockets;
  if (stillOpen !== sockets) throw new Error(`${sockets - stillOpen} sockets closed while idle`);
  console.log(JSON.stringify({
    openMs,
    heapPerSocket: (after.heap - before.heap) / sockets,
    wasmPerSocket: (after.wasm - before.wasm) / sockets,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / IDLE_WINDOW_MS) * 100,
    quietestCpuPercent: (Math.min(...parts) / 1000 / (IDLE_WINDOW_MS / IDLE_PARTS)) * 100,
    idlePerSocket: (idle.heap - before.heap + idle.wasm - before.wasm) / sockets,
  }));
  process.exit(0);
}

/** In the parent: every kind, `repeats` times, each in its own process. */
async function measureAll() {
  // BENCH_IDLE_KINDS: only the kinds whose names contain one of these comma-separated words (and the raw ones, the ratios' base).
  const only = process.env.BENCH_IDLE_KINDS?.split(",");
  const chosen = (name) => !only || name.startsWith("raw") || only.some((word) => name.includes(word));
  const names = Object.keys(await kinds()).filter(chosen);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  const started = performance.now();
  for (let r = 0; r < repeats; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      runs[name].push(inFreshProcess(import.meta.url, name));
    }
  }
  const range = (values, digits) => {
    const fixed = (v) => v.toFixed(digits);
    return `${fixed(median(values))} (${fixed(Math.min(...values))}-${fixed(Math.max(...values))})`;
  };
  const memoryOf = (name) => median(runs[name].map((r) => r.heapPerSocket + r.wasmPerSocket));
  const idleMemoryOf = (name) => median(runs[name].map((r) => r.idlePerSocket));
  const rawOf = (name) => (name.includes("(ws") ? "raw WebSocket (ws package)" : "raw WebSocket (Node's global)");
  console.log(`\n${sockets.toLocaleString("en")} idle sockets in one Node ${process.versions.node} process, median (min-max) of ${repeats} runs, each in a fresh process`);
  const idleAfterS = (QUIET_MS + IDLE_WINDOW_MS) / 1000;
  console.log(`kind | open all (ms) | JS heap B/socket | wasm B/socket | memory x raw (same constructor) | CPU while idle (% of a core) | in its quietest ${IDLE_WINDOW_MS / IDLE_PARTS / 1000} s | JS heap + wasm B/socket after ${idleAfterS} s idle, x raw`);
  for (const name of names) {
    const all = runs[name];
    const ratio = (memoryOf(name) / memoryOf(rawOf(name))).toFixed(2);
    const idleRatio = (idleMemoryOf(name) / idleMemoryOf(rawOf(name))).toFixed(2);
    console.log([
      name,
      range(all.map((r) => r.openMs), 0),
      range(all.map((r) => r.heapPerSocket), 0),
      range(all.map((r) => r.wasmPerSocket), 0),
      `${ratio}x`,
      range(all.map((r) => r.cpuPercent), 2),
      range(all.map((r) => r.quietestCpuPercent), 2),
      `${range(all.map((r) => r.idlePerSocket), 0)}, ${idleRatio}x`,
    ].join(" | "));
  }
  console.log(`heartbeat on: a ping every ${HEARTBEAT_MS / 1000} s per socket, answered by the echo; wall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  await mkdir(new URL("target/bench/", root), { recursive: true });
  const major = process.versions.node.split(".")[0];
  await writeFile(new URL(`target/bench/idle-node${major}.json`, root), JSON.stringify({ sockets, repeats, runs }, null, 2));
}

if (!globalThis.gc) throw new Error("run with --expose-gc");
if (process.argv[2]) await measureKind(process.argv[2]);
else await measureAll();
