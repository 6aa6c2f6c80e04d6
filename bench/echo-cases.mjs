// The throughput and latency measurements of `cargo xtask bench`, written
// once for Node and Chromium. Each client kind measures a workload:
// `{ pipelined(url, workload) -> ms, roundTrips(url, rounds) -> { p50, p99 } }`.

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
 * (`bench/rust-face`): the sends, the receive loop and the timing all run in wasm.
 */
function rustKind(bench) {
  return {
    pipelined: (url, { count, size, binary }) => bench.pipelined(url, count, size, binary),
    roundTrips: async (url, rounds) => percentiles(Array.from(await bench.roundTrips(url, rounds))),
  };
}

/** Every client kind; `benchCore` is the bench build's wasm-bindgen module. */
export function clientKinds({ WebSocket, SteadySocket, ReconnectingWebSocket, PartySocket, benchCore }) {
  const opened = (socket) => new Promise((resolve, reject) => {
    socket.binaryType = "arraybuffer";
    socket.onopen = () => resolve(socket);
    socket.onerror = () => reject(new Error("could not open"));
  });
  return {
    "raw WebSocket": jsKind((url) => opened(new WebSocket(url))),
    "steadysocket (JS class)": jsKind((url) => opened(new SteadySocket(url))),
    "steadysocket (Rust API)": rustKind(benchCore),
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
  socket.close();
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
  socket.close();
  return percentiles(times.sort((a, b) => a - b));
}

/** p50 and p99 of sorted times. */
function percentiles(sorted) {
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

/**
 * Runs every case for every kind, `repeats` times interleaved, each round
 * starting one kind later so that no kind always runs first (right after a
 * pause) or last (after the most garbage); keeps the best time of each.
 */
export async function measure(kinds, url, repeats = 3) {
  const results = [];
  const entries = Object.entries(kinds);
  for (const workload of CASES) {
    const best = {};
    for (let r = 0; r < repeats; r++) {
      const start = r % entries.length;
      for (const [kind, client] of [...entries.slice(start), ...entries.slice(0, start)]) {
        const ms = await client.pipelined(url, workload);
        best[kind] = Math.min(best[kind] ?? Infinity, ms);
      }
    }
    results.push({ case: workload.name, ms: best });
  }
  const latency = {};
  for (const [kind, client] of Object.entries(kinds)) latency[kind] = await client.roundTrips(url, 1000);
  results.push({ case: "1,000 sequential round trips (p50 / p99 ms)", latency });
  return results;
}
