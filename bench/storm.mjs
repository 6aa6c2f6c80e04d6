// The reconnect-storm benchmark (`cargo xtask bench storm`): 1,000 clients in
// one Node process lose their server at once; the server comes back after a
// while. Prints, per jitter mode, the reconnect attempts per 100 ms window,
// the peak window of the first wave against a uniform spread, the coefficient
// of variation of the delays drawn at the cap, and how many clients came back.
// A third scenario: the server closes every client with 1012 and
// `retry-after=5` (server-directed retry): nobody may come back before 5 s.
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import net from "node:net";

const CLIENTS = Number(process.env.STORM_CLIENTS ?? 1000);
const DOWN_MS = Number(process.env.STORM_DOWN_MS ?? 10_000);
const MIN_DELAY = 1000;
const MAX_DELAY = 4000;
const WINDOW_MS = 100;
const peerBin = process.env.STEADYSOCKET_PEER_BIN;
if (!peerBin) throw new Error("set STEADYSOCKET_PEER_BIN to the steadysocket-peer binary");

const { SteadySocket } = await import(new URL("../target/pkg/steadysocket.js", import.meta.url));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startServer(port, hangPort) {
  const child = spawn(peerBin, ["--port", String(port), "--hang-port", String(hangPort)], { stdio: "ignore" });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const up = await new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => { socket.destroy(); resolve(true); });
      socket.once("error", () => resolve(false));
    });
    if (up) return child;
    if (Date.now() > deadline) throw new Error("the peer server did not start");
    await sleep(20);
  }
}

async function waitFor(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function coefficientOfVariation(values) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return Math.sqrt(variance) / mean;
}

async function storm(jitter) {
  const port = await freePort();
  const hangPort = await freePort();
  let server = await startServer(port, hangPort);
  const url = `ws://127.0.0.1:${port}/echo?tag=storm`;
  const clients = [];
  const attempts = []; // [ms since the server died, attempt number]
  const capDelays = [];
  let opened = 0;
  let reopened = 0;
  let killedAt = 0;
  for (let i = 0; i < CLIENTS; i++) {
    const socket = new SteadySocket(url, [], { minDelay: MIN_DELAY, maxDelay: MAX_DELAY, jitter, connectTimeout: 5000 });
    socket.addEventListener("open", (event) => { if (event.reconnected) reopened++; else opened++; });
    socket.addEventListener("connecting", (event) => { if (event.attempt > 0) attempts.push([performance.now() - killedAt, event.attempt]); });
    socket.addEventListener("reconnecting", (event) => {
      const ceiling = Math.min(MAX_DELAY, MIN_DELAY * 2 ** (event.attempt - 1));
      if (ceiling === MAX_DELAY) capDelays.push(event.delay);
    });
    clients.push(socket);
  }
  await waitFor(() => opened === CLIENTS, 30_000, `${CLIENTS} clients to open`);
  killedAt = performance.now();
  server.kill("SIGKILL");
  await new Promise((resolve) => server.once("exit", resolve));
  await sleep(DOWN_MS);
  server = await startServer(port, hangPort);
  const restartedAt = performance.now() - killedAt;
  await waitFor(() => reopened === CLIENTS, 60_000, "every client to reconnect").catch(() => {});
  const recoveredAt = performance.now() - killedAt;
  for (const socket of clients) socket.close();
  server.kill("SIGKILL");

  const windows = new Map();
  for (const [at] of attempts) {
    const index = Math.floor(at / WINDOW_MS);
    windows.set(index, (windows.get(index) ?? 0) + 1);
  }
  const firstWave = attempts.filter(([, attempt]) => attempt === 1);
  const firstWaveWindows = new Map();
  for (const [at] of firstWave) {
    const index = Math.floor(at / WINDOW_MS);
    firstWaveWindows.set(index, (firstWaveWindows.get(index) ?? 0) + 1);
  }
  const uniform = firstWave.length * WINDOW_MS / MIN_DELAY;
  const peak = Math.max(...firstWaveWindows.values());
  const overallPeak = Math.max(...windows.values());
  return {
    jitter, clients: CLIENTS, downMs: DOWN_MS, minDelay: MIN_DELAY, maxDelay: MAX_DELAY,
    attempts: attempts.length, firstWave: firstWave.length,
    firstWavePeakPer100ms: peak, uniformPer100ms: uniform, peakOverUniform: peak / uniform,
    overallPeakPer100ms: overallPeak,
    delaysAtCap: capDelays.length, cvAtCap: capDelays.length > 1 ? coefficientOfVariation(capDelays) : null,
    reconnected: reopened, restartedAtMs: Math.round(restartedAt), allBackAfterMs: Math.round(recoveredAt),
    histogram: [...windows.entries()].sort((a, b) => a[0] - b[0]),
  };
}

const HINT_S = 5;
const HINT_REASON = `restarting; retry-after=${HINT_S}`;

/**
 * The server-directed scenario: the server closes every client with 1012 and
 * `retry-after=5` in the reason (and stays up). Each client's next attempt
 * must come no earlier than 5 s after its close, spread over [5, 7.5] s.
 */
async function hintedRestart() {
  const port = await freePort();
  const hangPort = await freePort();
  const server = await startServer(port, hangPort);
  const tag = "storm-hinted";
  const url = `ws://127.0.0.1:${port}/echo?tag=${tag}`;
  const clients = [];
  const attempts = []; // ms since the server's close command
  const waits = []; // ms from each client's close to its next attempt
  const sources = new Map();
  let opened = 0;
  let reopened = 0;
  let closedAt = 0;
  for (let i = 0; i < CLIENTS; i++) {
    const socket = new SteadySocket(url, [], { minDelay: MIN_DELAY, maxDelay: MAX_DELAY, connectTimeout: 5000 });
    let lastClose = 0;
    socket.addEventListener("open", (event) => { if (event.reconnected) reopened++; else opened++; });
    socket.addEventListener("close", () => { lastClose = performance.now(); });
    socket.addEventListener("reconnecting", (event) => sources.set(event.source, (sources.get(event.source) ?? 0) + 1));
    socket.addEventListener("connecting", (event) => {
      if (event.attempt === 0) return;
      const now = performance.now();
      attempts.push(now - closedAt);
      waits.push(now - lastClose);
    });
    clients.push(socket);
  }
  await waitFor(() => opened === CLIENTS, 30_000, `${CLIENTS} clients to open`);
  closedAt = performance.now();
  const answer = await fetch(
    `http://127.0.0.1:${port}/fault?tag=${tag}&action=close&code=1012&reason=${encodeURIComponent(HINT_REASON)}`,
    { method: "POST" },
  );
  if (answer.status !== 204) throw new Error(`the close fault was refused: ${answer.status} ${await answer.text()}`);
  await waitFor(() => reopened === CLIENTS, 30_000, "every client to reconnect").catch(() => {});
  const recoveredAt = performance.now() - closedAt;
  for (const socket of clients) socket.close();
  server.kill("SIGKILL");

  const windows = new Map();
  for (const at of attempts) {
    const index = Math.floor(at / WINDOW_MS);
    windows.set(index, (windows.get(index) ?? 0) + 1);
  }
  const uniform = attempts.length * WINDOW_MS / (HINT_S * 1000 * 0.5);
  const peak = Math.max(...windows.values());
  return {
    jitter: "hint", clients: CLIENTS, hint: HINT_REASON,
    attempts: attempts.length, sources: Object.fromEntries(sources),
    earliestWaitMs: Math.min(...waits), latestWaitMs: Math.max(...waits),
    firstWavePeakPer100ms: peak, uniformPer100ms: uniform, peakOverUniform: peak / uniform,
    cvAtCap: null, reconnected: reopened, restartedAtMs: 0, allBackAfterMs: Math.round(recoveredAt),
    histogram: [...windows.entries()].sort((a, b) => a[0] - b[0]),
  };
}

function printHistogram(result) {
  const max = Math.max(...result.histogram.map(([, n]) => n));
  console.log(`\nreconnect attempts per ${WINDOW_MS} ms after the server died (jitter: ${result.jitter}; server back at ${result.restartedAtMs} ms)`);
  for (const [index, n] of result.histogram) {
    const bar = "#".repeat(Math.max(1, Math.round((n / max) * 50)));
    console.log(`${String(index * WINDOW_MS).padStart(6)} ms ${String(n).padStart(5)} ${bar}`);
  }
}

const results = [];
for (const jitter of ["full", "none"]) {
  const result = await storm(jitter);
  printHistogram(result);
  results.push(result);
}
const hinted = await hintedRestart();
console.log(`\n(the hinted scenario: the server closed every client with 1012 "${HINT_REASON}" at 0 ms and stayed up)`);
printHistogram(hinted);
results.push(hinted);
console.log("\nstorm summary (1,000 clients, one Node process, server killed and restarted)");
console.log("jitter | attempts | first-wave peak/100ms | uniform | peak/uniform | CV at cap | reconnected | all back after");
for (const r of results) {
  const cv = r.cvAtCap === null ? "n/a" : r.cvAtCap.toFixed(3);
  console.log(`${r.jitter.padEnd(6)} | ${String(r.attempts).padStart(8)} | ${String(r.firstWavePeakPer100ms).padStart(21)} | ${r.uniformPer100ms.toFixed(0).padStart(7)} | ${r.peakOverUniform.toFixed(2).padStart(12)} | ${cv.padStart(9)} | ${String(r.reconnected).padStart(6)}/${r.clients} | ${r.allBackAfterMs} ms`);
}
const full = results[0];
const targets = [
  ["first-wave peak <= 1.5x uniform (jitter full)", full.peakOverUniform <= 1.5],
  ["CV of delays at the cap >= 0.25 (jitter full)", full.cvAtCap !== null && full.cvAtCap >= 0.25],
  ["all clients reconnected (jitter full)", full.reconnected === full.clients],
];
console.log(
  `(hint: 1012 "${HINT_REASON}"; uniform = a uniform spread over [5, 7.5] s; each client's wait from its close ` +
    `${Math.round(hinted.earliestWaitMs)}-${Math.round(hinted.latestWaitMs)} ms; delay sources ${JSON.stringify(hinted.sources)})`,
);
targets.push(
  [`no attempt before the hint (${HINT_S} s after its close)`, hinted.earliestWaitMs >= HINT_S * 1000],
  ["hinted peak <= 1.5x a uniform spread over [5, 7.5] s", hinted.peakOverUniform <= 1.5],
  ["every hinted delay came from the hint", hinted.sources.hint === CLIENTS && Object.keys(hinted.sources).length === 1],
  ["all clients reconnected after the hint", hinted.reconnected === hinted.clients],
);
for (const [name, met] of targets) console.log(`target ${met ? "met" : "MISSED"}: ${name}`);
await mkdir(new URL("../target/bench/", import.meta.url), { recursive: true });
await writeFile(new URL("../target/bench/storm.json", import.meta.url), JSON.stringify(results, null, 2));
console.log("written target/bench/storm.json");
process.exit(0);
