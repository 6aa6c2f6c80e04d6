// The throughput and latency measurements of `cargo xtask bench`, written
// once for Node and Chromium. Each client kind is a function that opens a
// socket to a URL and resolves when it is open.

/** The message workloads: pipelined echo, all sent at once, timed until the last echo. */
export const CASES = [
  { name: "20,000 x 64 B text", count: 20_000, payload: () => "x".repeat(64) },
  { name: "2,000 x 16 KiB text", count: 2_000, payload: () => "y".repeat(16 * 1024) },
  { name: "2,000 x 16 KiB binary", count: 2_000, payload: () => new Uint8Array(16 * 1024).fill(7) },
];

/** Opens a client of a kind; the socket is ready when the promise resolves. */
export function clientKinds({ WebSocket, SteadySocket, ReconnectingWebSocket, PartySocket }) {
  const opened = (socket) => new Promise((resolve, reject) => {
    socket.binaryType = "arraybuffer";
    socket.onopen = () => resolve(socket);
    socket.onerror = () => reject(new Error("could not open"));
  });
  const kinds = {
    "raw WebSocket": (url) => opened(new WebSocket(url)),
    "steadysocket (JS class)": (url) => opened(new SteadySocket(url)),
  };
  if (ReconnectingWebSocket) {
    kinds["reconnecting-websocket"] = (url) => opened(new ReconnectingWebSocket(url, [], { WebSocket }));
  }
  if (PartySocket) {
    kinds.partysocket = (url) => opened(new PartySocket(url, [], { WebSocket }));
  }
  return kinds;
}

/** Milliseconds from the first send to the last of `count` echoes. */
export async function pipelined(open, url, count, payload) {
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
export async function roundTrips(open, url, rounds) {
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
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

/** Runs every case for every kind, `repeats` times interleaved; keeps the best time of each. */
export async function measure(kinds, url, repeats = 3) {
  const results = [];
  for (const workload of CASES) {
    const best = {};
    for (let r = 0; r < repeats; r++) {
      for (const [kind, open] of Object.entries(kinds)) {
        const ms = await pipelined(open, url, workload.count, workload.payload());
        best[kind] = Math.min(best[kind] ?? Infinity, ms);
      }
    }
    results.push({ case: workload.name, ms: best });
  }
  const latency = {};
  for (const [kind, open] of Object.entries(kinds)) latency[kind] = await roundTrips(open, url, 1000);
  results.push({ case: "1,000 sequential round trips (p50 / p99 ms)", latency });
  return results;
}
