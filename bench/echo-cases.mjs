// The throughput and latency measurements of `cargo xtask bench`, written
// once for Node and Chromium. Each client kind measures a workload:
// `{ pipelined(url, workload) -> ms, roundTrips(url, rounds) -> { p50, p99 } }`.

import { median, medianInterval } from "./stats.mjs";

/** The message workloads: pipelined echo, all sent at once, timed until the last echo. */
export const CASES = [
  { name: "20,000 x 64 B text", count: 20_000, size: 64, binary: false },
  { name: "2,000 x 16 KiB text", count: 2_000, size: 16 * 1024, binary: false },
  { name: "2,000 x 16 KiB binary", count: 2_000, size: 16 * 1024, binary: true },
];

function payload({ size, binary }) {
  return binary ? new Uint8Array(size).fill(7) : "x".repeat(size);
}

/** A client kind measured through a JS socket class; `open(url)` resolves when the socket is open. */
function jsKind(open) {
  return {
    pipelined: (url, workload) => pipelined(open, url, workload.count, payload(workload)),
    roundTrips: (url, rounds) => roundTrips(open, url, rounds),
  };
}

/**
 * steadysocket's Rust API, driven from JS through the bench build
 * (`bench/rust-face`): the sends, the receive loop and the timing all run in
 * wasm; over `constructor`, or the global `WebSocket` when it is undefined.
 */
function rustKind(bench, constructor) {
  return {
    pipelined: (url, { count, size, binary }) => bench.pipelined(url, count, size, binary, constructor),
    roundTrips: async (url, rounds) => percentiles(Array.from(await bench.roundTrips(url, rounds, constructor))),
  };
}

/** The same with each message taken by an `on_event` handler instead of a stream's reader. */
function rustCallbackKind(bench, constructor) {
  return {
    pipelined: (url, { count, size, binary }) => bench.pipelinedByCallback(url, count, size, binary, constructor),
    roundTrips: async (url, rounds) => percentiles(Array.from(await bench.roundTripsByCallback(url, rounds, constructor))),
  };
}

/** Where the wasm copies kind keeps what it sends and what it receives. */
const SENT_AT = 0;
const RECEIVED_AT = 64 * 1024;

/**
 * `socket` (a raw one) made to copy every message as any client written in
 * wasm must, and to do nothing else: what is sent is made from bytes in a
 * `WebAssembly.Memory` each time (text by `TextDecoder.decode`, as a Rust
 * `&str` becomes a JavaScript string; binary as a view of that memory, as
 * the Rust API hands over a `&[u8]`), and every message received is read
 * (`event.data`) and copied into it (text below 256 UTF-16 units by a
 * `charCodeAt` loop, as wasm-bindgen copies a short string, and by
 * `encodeInto` from there on, as the Rust API does; binary by
 * `Uint8Array.prototype.set`, as `Uint8Array::to_vec` does). Its ratio to
 * raw is the floor under the Rust API's, which adds its own code, its
 * allocations and the crossings into wasm (bench/README.md).
 */
function throughWasmMemory(socket) {
  const memory = new WebAssembly.Memory({ initial: 2 });
  const bytes = (at, length) => new Uint8Array(memory.buffer, at, length);
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const copyIn = (data) => {
    if (typeof data !== "string") return bytes(RECEIVED_AT, data.byteLength).set(new Uint8Array(data));
    if (data.length >= 256) return encoder.encodeInto(data, bytes(RECEIVED_AT, data.length * 3));
    const into = bytes(RECEIVED_AT, data.length);
    for (let i = 0; i < data.length; i++) {
      const code = data.charCodeAt(i);
      if (code > 0x7f) return encoder.encodeInto(data.slice(i), bytes(RECEIVED_AT + i, (data.length - i) * 3));
      into[i] = code;
    }
  };
  let written = null;
  return {
    set onmessage(handler) {
      socket.onmessage = (event) => {
        copyIn(event.data);
        handler(event);
      };
    },
    set onclose(handler) {
      socket.onclose = handler;
    },
    send(payload) {
      const text = typeof payload === "string";
      if (written !== payload) {
        if (text) encoder.encodeInto(payload, bytes(SENT_AT, payload.length * 3));
        else bytes(SENT_AT, payload.byteLength).set(payload);
        written = payload;
      }
      // The payloads are ASCII: as many bytes as UTF-16 units.
      socket.send(text ? decoder.decode(bytes(SENT_AT, payload.length)) : bytes(SENT_AT, payload.byteLength));
    },
    close: () => socket.close(),
  };
}

/**
 * Every client kind over `WebSocket`; `benchCore` is the bench build's
 * wasm-bindgen module. With `injected`, `WebSocket` is not the global one (the
 * `ws` package's, say): steadysocket's faces are given it as their constructor,
 * as the other libraries are.
 */
export function clientKinds({ WebSocket, injected = false, SteadySocket, ReconnectingWebSocket, PartySocket, benchCore }) {
  const opened = (socket) => new Promise((resolve, reject) => {
    socket.binaryType = "arraybuffer";
    socket.onopen = () => resolve(socket);
    socket.onerror = () => reject(new Error("could not open"));
  });
  return {
    "raw WebSocket": jsKind((url) => opened(new WebSocket(url))),
    "raw WebSocket again (noise floor)": jsKind((url) => opened(new WebSocket(url))),
    "steadysocket (JS class)": jsKind((url) => opened(injected ? new SteadySocket(url, [], { WebSocket }) : new SteadySocket(url))),
    "steadysocket (Rust API)": rustKind(benchCore, injected ? WebSocket : undefined),
    "steadysocket (Rust API, on_event)": rustCallbackKind(benchCore, injected ? WebSocket : undefined),
    "wasm copies alone (floor)": jsKind(async (url) => throughWasmMemory(await opened(new WebSocket(url)))),
    "reconnecting-websocket": jsKind((url) => opened(new ReconnectingWebSocket(url, [], { WebSocket }))),
    partysocket: jsKind((url) => opened(new PartySocket(url, [], { WebSocket }))),
  };
}

/** Milliseconds from the first send to the last of `count` echoes. */
async function pipelined(open, url, count, payload) {
  const socket = await open(url);
  const elapsed = await new Promise((resolve) => {
    let received = 0;
    const start = performance.now();
    socket.onmessage = () => {
      received += 1;
      if (received === count) resolve(performance.now() - start);
    };
    for (let i = 0; i < count; i++) socket.send(payload);
  });
  await closed(socket);
  return elapsed;
}

/** Round-trip times of `rounds` sequential 64-byte echoes, in ms. */
async function roundTrips(open, url, rounds) {
  const socket = await open(url);
  const times = [];
  const message = "z".repeat(64);
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await new Promise((resolve) => {
      socket.onmessage = resolve;
      socket.send(message);
    });
    times.push(performance.now() - start);
  }
  await closed(socket);
  return percentiles(times.sort((a, b) => a - b));
}

/**
 * Closes `socket` and resolves once its close event has come: the next run
 * starts only after this one's closing handshake, so that it does not pay
 * for it (measured in Node 24, raw against raw: without the wait, the run
 * second in a pair was about 10% slower on 20,000 × 64 B, which made the
 * alternated pairs' ratios two-humped; bench/README.md).
 */
function closed(socket) {
  return new Promise((resolve, reject) => {
    const seconds = 10;
    const timer = setTimeout(() => reject(new Error(`no close event ${seconds} s after close()`)), seconds * 1000);
    socket.onclose = () => {
      clearTimeout(timer);
      resolve();
    };
    socket.close();
  });
}

/** p50 and p99 of sorted times. */
function percentiles(sorted) {
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

/**
 * Runs `first` and `second`, in that order on even pairs and the other way
 * on odd ones, and returns their results in the order given.
 */
async function pair(index, first, second) {
  if (index % 2 === 0) return [await first(), await second()];
  const later = await second();
  return [await first(), later];
}

/**
 * Unmeasured runs of the raw socket at the start of each case, before the
 * first kind's pairs. In a fresh Node 24 process, raw's pipelined runs
 * settled after about 6 runs (20,000 × 64 B: 309, 224, 207, 151 … 138 ms)
 * and about 20 (2,000 × 16 KiB: 160, 131, 163 … 85 ms); without them the
 * first kind measured, the noise floor, was paired with runs still warming
 * up (bench/README.md).
 */
export const CASE_WARM_UP = 20;

/** Unmeasured runs of each side before a kind's pairs, for its own code to warm up. */
export const KIND_WARM_UP = 3;

/**
 * `pairs` back-to-back runs of `run` through the raw socket and through
 * `client` (after KIND_WARM_UP unmeasured runs of each): the raw and the
 * kind's results, pair by pair.
 */
async function pairedRuns(raw, client, pairs, run) {
  for (let w = 0; w < KIND_WARM_UP; w++) await pair(w, () => run(raw), () => run(client));
  const rawResults = [];
  const kindResults = [];
  for (let p = 0; p < pairs; p++) {
    const [rawResult, kindResult] = await pair(p, () => run(raw), () => run(client));
    rawResults.push(rawResult);
    kindResults.push(kindResult);
  }
  return { rawResults, kindResults };
}

/** CASE_WARM_UP unmeasured runs of `run` through the raw socket. */
async function warmUp(raw, run) {
  for (let w = 0; w < CASE_WARM_UP; w++) await run(raw);
}

/**
 * Measures every kind but the first (the raw WebSocket) against the first
 * in `pairs` pairs run back to back, so that whatever else the machine does
 * at a moment weighs on both sides of a pair alike. Pipelined: a kind's
 * ratio is raw time / its time per pair (above 1: faster than raw), given as
 * the median of the pairs with its 90% bootstrap interval. Round trips:
 * 1,000 sequential echoes per run; the p99 ratio is its p99 / raw's p99 per
 * pair (above 1: slower than raw). A kind that is the raw WebSocket again
 * shows the noise floor: its intervals are what chance alone gives.
 */
export async function measure(kinds, url, pairs) {
  const results = [];
  const [[rawName, raw], ...others] = Object.entries(kinds);
  for (const workload of CASES) {
    await warmUp(raw, (c) => c.pipelined(url, workload));
    const ms = {};
    const ratio = {};
    const rawMs = [];
    for (const [kind, client] of others) {
      const { rawResults, kindResults } = await pairedRuns(raw, client, pairs, (c) => c.pipelined(url, workload));
      rawMs.push(...rawResults);
      ms[kind] = median(kindResults);
      ratio[kind] = medianInterval(rawResults.map((rawTime, p) => rawTime / kindResults[p]));
    }
    results.push({ case: workload.name, rawMs: median(rawMs), ms, ratio });
  }
  const rawLatency = { p50: [], p99: [] };
  const latency = {};
  await warmUp(raw, (c) => c.roundTrips(url, 1000));
  for (const [kind, client] of others) {
    const { rawResults, kindResults } = await pairedRuns(raw, client, pairs, (c) => c.roundTrips(url, 1000));
    rawLatency.p50.push(...rawResults.map((r) => r.p50));
    rawLatency.p99.push(...rawResults.map((r) => r.p99));
    latency[kind] = {
      p50: median(kindResults.map((r) => r.p50)),
      p99: median(kindResults.map((r) => r.p99)),
      p99Ratio: medianInterval(kindResults.map((r, p) => r.p99 / rawResults[p].p99)),
    };
  }
  results.push({
    case: `1,000 sequential round trips (p50 / p99 ms, p99 / raw p99)`,
    raw: { p50: median(rawLatency.p50), p99: median(rawLatency.p99) },
    latency,
  });
  return results;
}
