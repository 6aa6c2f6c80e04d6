// The storm view: a few hundred SteadySockets in this page against the peer
// server. "Restart the server" asks it to close them all at once (the
// restart fault: 1012, then new connections refused for 1.5 s, or a close
// with a retry-after hint) and a live histogram shows their reconnect
// attempts per 100 ms: without jitter a wall, with jitter a spread.
import { SteadySocket } from "./package.js";

// Browsers allow a page about 200-255 WebSockets.
const CLIENTS = 200;
const WINDOW_MS = 100;
const SPAN_MS = 8000;
const OPTIONS = { minDelay: 1000, maxDelay: 4000 };
const HINT_S = 2;

const tag = `${Math.random().toString(36).slice(2, 10)}-storm`;
const canvas = document.getElementById("storm-chart");
const figures = document.getElementById("storm-figures");
const field = (name) => figures.querySelector(`[data-field="${name}"]`);
document.getElementById("storm-count").textContent = String(CLIENTS);

let sockets = [];
/** The sockets open now. */
const openSockets = new Set();
/**
 * Since the restart: ms of each attempt, of the last reopening, and the
 * delay (whole ms) each socket's first reconnect was given.
 */
let run = null;

function connectAll(jitter) {
  for (const socket of sockets) socket.close();
  openSockets.clear();
  run = null;
  sockets = [];
  for (let i = 0; i < CLIENTS; i++) {
    const socket = new SteadySocket(`ws://${location.host}/echo?tag=${tag}`, [], { ...OPTIONS, jitter });
    socket.addEventListener("open", () => {
      openSockets.add(socket);
      if (run !== null && openSockets.size === CLIENTS) run.backAt = performance.now() - run.startedAt;
    });
    socket.addEventListener("close", () => openSockets.delete(socket));
    socket.addEventListener("connecting", (event) => {
      if (run !== null && event.attempt > 0) run.attempts.push(performance.now() - run.startedAt);
    });
    socket.addEventListener("reconnecting", (event) => {
      if (run !== null && !run.delays.has(socket)) run.delays.set(socket, Math.round(event.delay));
    });
    sockets.push(socket);
  }
  publish(histogram());
}

async function restart() {
  const mode = document.getElementById("storm-mode").value;
  run = { startedAt: performance.now(), attempts: [], backAt: null, mode, delays: new Map() };
  publish(histogram());
  const query = mode === "hint"
    ? `action=close&code=1012&reason=${encodeURIComponent(`restarting; retry-after=${HINT_S}`)}`
    : "action=restart&seconds=1.5";
  await fetch(`/fault?tag=${tag}&${query}`, { method: "POST" });
}

/** Attempts per window since the restart. */
function histogram() {
  const bins = new Array(SPAN_MS / WINDOW_MS).fill(0);
  for (const at of run?.attempts ?? []) {
    const index = Math.floor(at / WINDOW_MS);
    if (index < bins.length) bins[index]++;
  }
  return bins;
}

function draw(bins) {
  // Drawn at the size shown, so the labels stay readable at phone width.
  const shown = Math.round(canvas.clientWidth || 960);
  if (canvas.width !== shown) canvas.width = shown;
  const context = canvas.getContext("2d");
  const { width, height } = canvas;
  const [left, bottom, top] = [36, 24, 8];
  context.clearRect(0, 0, width, height);
  // One scale for every run (half the clients), so a wall and a spread compare at a glance.
  const ceiling = Math.max(CLIENTS / 2, ...bins);
  const barWidth = (width - left) / bins.length;
  context.fillStyle = "#2f6fdb";
  bins.forEach((n, i) => {
    const barHeight = (n / ceiling) * (height - bottom - top);
    context.fillRect(left + i * barWidth, height - bottom - barHeight, Math.max(1, barWidth - 1), barHeight);
  });
  context.fillStyle = "#555";
  context.font = "12px system-ui, sans-serif";
  const every = width < 500 ? 2 : 1;
  for (let s = 0; s * 1000 <= SPAN_MS; s += every) {
    context.fillText(`${s} s`, left + (s * 1000 / WINDOW_MS) * barWidth, height - 6);
  }
  context.fillText(String(ceiling), 2, top + 10);
  context.fillText("0", 2, height - bottom);
}

/**
 * How many different delays the sockets' first reconnects were given:
 * without jitter one or two (the backoff's steps: a socket open only
 * briefly keeps its count), so they come back together however the
 * browser spreads the closes; with jitter nearly one each.
 */
const differentDelays = () => String(new Set(run.delays.values()).size);

/** Writes the figures into the page (and its data attributes, which the tests read). */
function publish(bins) {
  field("open").textContent = `${openSockets.size} of ${CLIENTS}`;
  figures.dataset.open = String(openSockets.size);
  if (run === null) {
    Object.assign(figures.dataset, { peak: "", uniform: "", back: "false", first: "", differentDelays: "" });
    return;
  }
  const peak = Math.max(...bins);
  // A uniform spread of one attempt each: over the first delay's ceiling, or the hint's window.
  const spreadMs = run.mode === "hint" ? HINT_S * 500 : OPTIONS.minDelay;
  const uniform = (CLIENTS * WINDOW_MS) / spreadMs;
  field("attempts").textContent = String(run.attempts.length);
  field("peak").textContent = String(peak);
  field("uniform").textContent = uniform.toFixed(0);
  field("back").textContent = run.backAt === null ? "not yet" : `${(run.backAt / 1000).toFixed(1)} s`;
  const first = run.attempts.length === 0 ? "" : String(Math.round(Math.min(...run.attempts)));
  const different = differentDelays();
  field("different-delays").textContent = different;
  Object.assign(figures.dataset, { peak: String(peak), uniform: String(uniform), back: String(run.backAt !== null), first, differentDelays: different });
}

function render() {
  const bins = histogram();
  draw(bins);
  publish(bins);
  requestAnimationFrame(render);
}

const jitter = document.getElementById("storm-jitter");
jitter.addEventListener("change", () => connectAll(jitter.value));
document.getElementById("storm-restart").addEventListener("click", restart);
connectAll(jitter.value);
requestAnimationFrame(render);
