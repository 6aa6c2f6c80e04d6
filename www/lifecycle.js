// The lifecycle panel of one connection: its state, a countdown to the next
// retry, the queue, a log of events, and fault buttons that ask the peer
// server to break the connection.
import { timeline } from "./timeline.js";

const READY_STATES = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];
const MAX_LOG = 50;

/**
 * Adds a line of text (never HTML) to a list, keeping it bounded: at the top,
 * or with `newestLast` at the bottom, scrolled to it (a conversation).
 */
export function logLine(list, text, className, newestLast = false) {
  const item = document.createElement("li");
  item.textContent = text;
  if (className) item.className = className;
  if (newestLast) {
    list.append(item);
    while (list.children.length > MAX_LOG) list.firstElementChild.remove();
    list.scrollTop = list.scrollHeight;
  } else {
    list.prepend(item);
    while (list.children.length > MAX_LOG) list.lastElementChild.remove();
  }
  return item;
}

const time = () => new Date().toLocaleTimeString();

/** Mounts a lifecycle panel for `socket` (tagged `tag` on the server) into `container`. */
export function mountLifecycle(container, socket, tag) {
  const panel = document.getElementById("lifecycle-template").content.firstElementChild.cloneNode(true);
  const field = (name) => panel.querySelector(`[data-field="${name}"]`);
  const events = field("events");
  let retryAt = null;
  const lane = timeline(socket);
  panel.querySelector("dl").after(lane.canvas);

  const render = () => {
    const state = socket.state;
    panel.dataset.state = state.type;
    panel.dataset.readyState = String(socket.readyState);
    field("state").textContent = state.type;
    field("readyState").textContent = `${socket.readyState} ${READY_STATES[socket.readyState]}`;
    field("protocol").textContent = socket.protocol || "(none)";
    field("attempt").textContent = "attempt" in state ? String(state.attempt) : "-";
    field("retry").textContent = state.type === "waiting" && retryAt !== null
      ? `${Math.max(0, (retryAt - performance.now()) / 1000).toFixed(1)} s`
      : "-";
    field("queued").textContent = `${socket.queuedMessages} messages`;
    lane.draw();
  };
  const note = (text) => {
    logLine(events, `${time()} ${text}`);
    render();
  };

  socket.addEventListener("connecting", (e) => note(`connecting (attempt ${e.attempt})`));
  socket.addEventListener("open", (e) => note(e.reconnected ? "open again" : "open"));
  socket.addEventListener("close", (e) =>
    note(`closed ${e.code}${e.reason ? ` "${e.reason}"` : ""} clean=${e.wasClean}${e.willRetry ? ", will retry" : ", for good"}`));
  socket.addEventListener("reconnecting", (e) => {
    retryAt = performance.now() + e.delay;
    note(`reconnecting: attempt ${e.attempt} in ${(e.delay / 1000).toFixed(2)} s`);
  });
  socket.addEventListener("attemptfailed", (e) => note(`attempt failed: ${e.reason}`));
  socket.addEventListener("giveup", (e) => note(`gave up after ${e.attempts} attempts`));
  socket.addEventListener("dropped", () => note("a queued message was dropped"));

  const fault = async (action, extra = "") => {
    try {
      const response = await fetch(`/fault?tag=${encodeURIComponent(tag)}&action=${action}${extra}`, { method: "POST" });
      note(response.ok ? `asked the server: ${action}` : `the server refused: ${await response.text()}`);
    } catch (error) {
      note(`could not reach the server: ${error.message}`);
    }
  };
  panel.querySelector('[data-fault="drop"]').addEventListener("click", () => fault("drop"));
  panel.querySelector('[data-fault="close"]').addEventListener("click", () =>
    fault("close", `&code=${field("code").value}&reason=${encodeURIComponent("demo button")}`));
  panel.querySelector('[data-fault="away"]').addEventListener("click", () =>
    fault("away", `&seconds=${Number(field("seconds").value) || 4}`));

  container.append(panel);
  render();
  const ticker = setInterval(render, 100);
  return { render, stop: () => clearInterval(ticker) };
}
