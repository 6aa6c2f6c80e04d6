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

/** The median of `values`. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
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
 * Measures every kind against the first (the raw WebSocket) in pairs run
 * back to back, `pairs` times, so that whatever else the machine does at a
 * moment weighs on both sides of a pair alike; a kind's ratio is the median
 * of its pairs' raw time / its time. Each kind runs once first, unmeasured.
 * Round trips: the same pairs of 1,000 sequential echoes each, reporting the
 * median p50 and p99 and the median of the pairs' p99 ratio.
 */
export async function measure(kinds, url, pairs = 5) {
  const results = [];
  const [[rawName, raw], ...others] = Object.entries(kinds);
  for (const workload of CASES) {
    const ms = { [rawName]: [] };
    const ratio = { [rawName]: 1 };
    for (const [kind, client] of others) {
      await client.pipelined(url, workload);
      const ratios = [];
      ms[kind] = [];
      for (let p = 0; p < pairs; p++) {
        const [rawMs, kindMs] = await pair(p, () => raw.pipelined(url, workload), () => client.pipelined(url, workload));
        ms[rawName].push(rawMs);
        ms[kind].push(kindMs);
        ratios.push(rawMs / kindMs);
      }
      ratio[kind] = median(ratios);
    }
    const medianMs = Object.fromEntries(Object.entries(ms).map(([kind, times]) => [kind, median(times)]));
    results.push({ case: workload.name, ms: medianMs, ratio });
  }
  const latency = { [rawName]: { p50: [], p99: [], p99Ratio: 1 } };
  await raw.roundTrips(url, 200);
  for (const [kind, client] of others) {
    await client.roundTrips(url, 200);
    latency[kind] = { p50: [], p99: [], p99Ratios: [] };
    for (let p = 0; p < pairs; p++) {
      const [rawTimes, kindTimes] = await pair(p, () => raw.roundTrips(url, 1000), () => client.roundTrips(url, 1000));
      latency[rawName].p50.push(rawTimes.p50);
      latency[rawName].p99.push(rawTimes.p99);
      latency[kind].p50.push(kindTimes.p50);
      latency[kind].p99.push(kindTimes.p99);
      latency[kind].p99Ratios.push(kindTimes.p99 / rawTimes.p99);
    }
  }
  for (const measured of Object.values(latency)) {
    measured.p50 = median(measured.p50);
    measured.p99 = median(measured.p99);
    if (measured.p99Ratios) measured.p99Ratio = median(measured.p99Ratios);
  }
  results.push({ case: `1,000 sequential round trips, ${pairs} pairs (p50 / p99 ms, p99 x raw)`, latency });
  return results;
}
