// The chaos soak of the npm class: many SteadySockets with acknowledged
// delivery and a heartbeat send numbered messages through the peer server's
// chaos proxy (latency, slicing, bandwidth, blackhole, cut, reset) while it
// also drops connections and restarts them with 1012. After the faults stop,
// every message must have arrived exactly once and in order, or have been
// reported to its sender (refused by a full queue, or dropped), and every
// client must be OPEN again. Used by the scenarios (short) and by
// `cargo xtask bench soak` (long, many clients).
import { check, sleep, uniqueTag } from "./helpers.mjs";

const HEARTBEAT = { interval: 500, timeout: 1000 };
const MAX_DELAY = 1000;
const CONNECT_TIMEOUT = 3000;
/** How long a client may take to be OPEN again after the last fault: a dead link found by the heartbeat, a delay, a connect. */
export const SETTLE_BOUND_MS = HEARTBEAT.interval + HEARTBEAT.timeout + MAX_DELAY + CONNECT_TIMEOUT;
/** How long the soak's sockets may take to close: the core's CLOSING_TIMEOUT (5 s), then one second. */
const CLOSE_BOUND_MS = 6_000;

const getJson = async (url) => (await fetch(url)).json();

/** The heap the runtime reports, after a collection where one can be asked for; null where none is reported. */
function jsHeapBytes() {
  globalThis.gc?.();
  if (typeof process !== "undefined" && process.memoryUsage) return process.memoryUsage().heapUsed;
  return globalThis.performance?.memory?.usedJSHeapSize ?? null;
}

/** One client: its socket and what became of every number it sent. */
function client(SteadySocket, url, injected) {
  const socket = new SteadySocket(url, [], {
    ...injected,
    minDelay: 50,
    maxDelay: MAX_DELAY,
    connectTimeout: CONNECT_TIMEOUT,
    maxQueuedMessages: 200,
    heartbeat: { ...HEARTBEAT, ping: "ping", pong: (data) => data === "ack:ping" },
    acknowledge: {
      keyOf: (data) => data,
      ackOf: (data) => (typeof data === "string" && data.startsWith("ack:") && data !== "ack:ping" ? data.slice(4) : null),
    },
  });
  const state = { socket, sent: 0, refused: new Set(), dropped: new Set(), lifecycle: [] };
  socket.addEventListener("dropped", (event) => state.dropped.add(Number(event.data)));
  for (const type of LIFECYCLE) {
    socket.addEventListener(type, (event) => {
      const { attempt, delay, code, reason } = event;
      const shown = Object.entries({ attempt, delay, code, reason }).filter(([, value]) => value !== undefined);
      state.lifecycle.push({ at: Date.now(), what: [type, ...shown.map(([name, value]) => `${name} ${typeof value === "number" ? Math.round(value) : value}`)].join(" ") });
      if (state.lifecycle.length > LIFECYCLE_KEPT) state.lifecycle.shift();
    });
  }
  return state;
}

/** The lifecycle events each client keeps (the last LIFECYCLE_KEPT), to say where a slow settle's time went. */
const LIFECYCLE = ["connecting", "open", "close", "reconnecting", "attemptfailed"];
const LIFECYCLE_KEPT = 12;

/** The lifecycle of `state`'s client since `since` - 3 s, in milliseconds from `since`. */
function lifecycleSince(state, since) {
  return state.lifecycle
    .filter(({ at }) => at >= since - 3000)
    .map(({ at, what }) => `${at - since > 0 ? "+" : ""}${at - since} ${what}`)
    .join(", ");
}

/**
 * As many clients as the soak has, through a whole life without faults, so
 * that what the engine keeps for good at that size (its table of cores, its
 * text buffers) is counted before the soak.
 */
async function warmUp(SteadySocket, url, injected, clients) {
  const warm = Array.from({ length: clients }, (_, i) => client(SteadySocket, `${url}-${i}`, injected).socket);
  await Promise.all(warm.map((socket) => new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }))));
  for (const socket of warm) socket.send("0");
  while (warm.some((socket) => socket.unconfirmedMessages > 0)) await sleep(10);
  const closed = warm.map((socket) => new Promise((resolve) => socket.addEventListener("close", resolve, { once: true })));
  for (const socket of warm) socket.close();
  await Promise.all(closed);
}

/**
 * Runs the soak: `clients` sockets, each sending a number every `everyMs`,
 * through `rounds` rounds of faults (each round every kind once) or through
 * `seconds` of them. Returns the figures; throws if a message was lost,
 * repeated to the application, out of order, a client did not settle, or
 * (with `rounds`) a kind of fault was not dealt that many times.
 */
export async function soak({ SteadySocket, steadysocketDiagnostics, peer, chaos, injected = {}, quirks, clients = 8, rounds, seconds, everyMs = 50 }) {
  const length = rounds === undefined ? `seconds=${seconds}` : `rounds=${rounds}`;
  const run = uniqueTag("soak");
  await warmUp(SteadySocket, `ws://${peer}/echo?record=1&ack=1&tag=${run}-warm-up`, injected, clients);
  const heapBefore = { js: jsHeapBytes(), rust: steadysocketDiagnostics().rustHeapBytes };
  const all = Array.from({ length: clients }, (_, i) =>
    client(SteadySocket, `ws://${chaos}/echo?record=1&ack=1&tag=${run}-c${i}`, injected),
  );
  const started = Date.now();
  const answer = await fetch(`http://${peer}/chaos?tag=${run}&${length}`, { method: "POST" });
  check.equal(answer.status, 200, `chaos started (${length}): ${answer.status}`);
  const { seed } = await answer.json();
  const chaosRuns = async () => (await getJson(`http://${peer}/chaos?tag=${run}`)).running;
  // The clients send until the faults end, asking every tenth turn.
  for (let turn = 1; turn % 10 !== 0 || (await chaosRuns()); turn++) {
    for (const state of all) {
      const n = state.sent++;
      try {
        state.socket.send(String(n));
      } catch {
        state.refused.add(n);
      }
    }
    await sleep(everyMs);
  }
  const report = await getJson(`http://${peer}/chaos?tag=${run}`);
  const faultsEnded = Date.now();
  const ranSeconds = (faultsEnded - started) / 1000;
  const isSettled = ({ socket }) => socket.readyState === 1 && socket.unconfirmedMessages === 0 && socket.queuedMessages === 0;
  const settled = () => all.every(isSettled);
  // The client that settled last, and what it went through around then.
  let slowest = all[0];
  while (!settled() && Date.now() - faultsEnded < 4 * SETTLE_BOUND_MS) {
    slowest = all.find((state) => !isSettled(state)) ?? slowest;
    await sleep(20);
  }
  const settleMs = Date.now() - faultsEnded;
  const lastToSettle = `client ${all.indexOf(slowest)}, in ms from the faults' end: ${lifecycleSince(slowest, faultsEnded)}`;
  slowest = null;
  const unsettled = all.filter((state) => !isSettled(state)).map(({ socket }) => `${socket.state.type}/${socket.unconfirmedMessages}`);
  check.ok(settled(), `every client OPEN with nothing unconfirmed (seed ${seed}): ${unsettled.join(" ")}`);

  const figures = { seed, clients, seconds: ranSeconds, rounds, faults: report.faults, sent: 0, delivered: 0, refused: 0, dropped: 0, lost: 0, outOfOrder: 0, repeatsDroppedByServer: 0, settleMs };
  for (const [i, state] of all.entries()) {
    const { sequence } = await getJson(`http://${peer}/received?tag=${run}-c${i}`);
    const seen = new Set();
    let last = -1;
    for (const n of sequence) {
      if (seen.has(n)) {
        figures.repeatsDroppedByServer++;
        continue;
      }
      seen.add(n);
      if (n < last) figures.outOfOrder++;
      last = n;
    }
    for (let n = 0; n < state.sent; n++) {
      const reported = state.refused.has(n) || state.dropped.has(n);
      if (!seen.has(n) && !reported) {
        figures.lost++;
        if (globalThis.process?.env?.SOAK_DEBUG) console.log(`client ${i} lost ${n} of ${state.sent}`);
      }
    }
    figures.sent += state.sent;
    figures.delivered += seen.size;
    figures.refused += state.refused.size;
    figures.dropped += state.dropped.size;
    state.socket.close();
  }
  // Nothing of the soak's own bookkeeping stays reachable when the heap is measured.
  all.length = 0;
  // Each closing handshake ends with the platform's close event, which
  // detaches that socket's listeners: within 300 ms on loopback in Chromium,
  // Firefox and Node; WebKit reports some later, and Deno once not at all
  // (the core's closing timeout abandons such a socket after 5 s).
  const closing = Date.now();
  await sleep(300);
  while (steadysocketDiagnostics().liveListeners > 0 && Date.now() - closing < CLOSE_BOUND_MS) await sleep(50);
  const closeMs = Date.now() - closing;
  const heapAfter = { js: jsHeapBytes(), rust: steadysocketDiagnostics().rustHeapBytes };
  Object.assign(figures, { heapBefore, heapAfter, closeMs, listenersAfter: steadysocketDiagnostics().liveListeners });
  const where = `seed ${seed}: ${JSON.stringify(figures)}`;
  check.equal(figures.lost, 0, `nothing lost (${where})`);
  check.equal(figures.outOfOrder, 0, `in order (${where})`);
  // Where the platform holds connections after failures (Firefox), one attempt after the faults may time out.
  const settleBound = SETTLE_BOUND_MS + (quirks?.holdsConnectionsAfterFailures ? MAX_DELAY + CONNECT_TIMEOUT : 0);
  check.ok(settleMs <= settleBound + 1000, `settled within ${settleBound} ms and a second (${where}; last: ${lastToSettle})`);
  // The engine's two text buffers keep the capacity of the longest text they
  // carried (a close reason: at most 123 bytes); nothing else may stay.
  check.ok(heapAfter.rust - heapBefore.rust <= 256, `Rust heap flat but for the text buffers (${where})`);
  check.equal(figures.listenersAfter, 0, `no listener left (${where})`);
  const dealt = Object.values(report.faults);
  if (rounds === undefined) check.ok(dealt.reduce((a, b) => a + b, 0) >= seconds / 3, `faults were injected (${where})`);
  else check.ok(dealt.length > 0 && dealt.every((n) => n === rounds), `every kind of fault dealt ${rounds} times (${where})`);
  return figures;
}
