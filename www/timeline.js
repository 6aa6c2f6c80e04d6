// A connection's timeline: one lane of coloured spans over the last minute
// (connecting, open, waiting with the drawn delay, offline, closed), with
// the close code at the edge where each connection ended.
const SPAN_MS = 60_000;
const COLORS = { connecting: "#e0a100", open: "#1b7f3b", closing: "#7a7a7a", waiting: "#f3c969", offline: "#b0b0b0", closed: "#b3261e" };

/** Follows `socket` into a canvas lane; returns the canvas. */
export function timeline(socket) {
  const canvas = document.createElement("canvas");
  canvas.className = "timeline";
  canvas.height = 36;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", "Timeline of this connection over the last minute");
  /** Spans `{ state, from, to, code? }`, oldest first; the last is still going. */
  const spans = [];
  const enter = (state, code) => {
    const now = performance.now();
    const last = spans.at(-1);
    if (last !== undefined) {
      if (code !== undefined) last.code = code;
      if (last.state === state) return;
      last.to = now;
    }
    spans.push({ state, from: now, to: null });
    while (spans.length > 1 && spans[0].to !== null && spans[0].to < now - SPAN_MS) spans.shift();
    // What the end-to-end test reads: the states seen, in order.
    canvas.dataset.states = spans.map((span) => span.state).join(" ");
  };
  socket.addEventListener("connecting", () => enter("connecting"));
  socket.addEventListener("open", () => enter("open"));
  socket.addEventListener("close", (event) => enter(event.willRetry ? "waiting" : "closed", event.code));
  socket.addEventListener("reconnecting", (event) => {
    const last = spans.at(-1);
    if (last?.state === "waiting") last.delay = event.delay;
  });
  enter(socket.readyState === 1 ? "open" : "connecting");

  const draw = () => {
    const wanted = Math.max(200, Math.round(canvas.clientWidth || 320));
    if (canvas.width !== wanted) canvas.width = wanted;
    const context = canvas.getContext("2d");
    const { width } = canvas;
    const now = performance.now();
    const x = (at) => Math.max(0, width - ((now - at) / SPAN_MS) * width);
    context.clearRect(0, 0, width, canvas.height);
    context.font = "10px system-ui, sans-serif";
    // Close codes that would overlap the one to their right are left out.
    let nextLabel = Infinity;
    for (const span of [...spans].reverse()) {
      const [left, right] = [x(span.from), x(span.to ?? now)];
      if (span.code !== undefined && right <= nextLabel - 28) {
        context.fillStyle = "#1d1d1b";
        context.fillText(String(span.code), Math.max(0, right - 12), 32);
        nextLabel = right;
      }
    }
    for (const span of spans) {
      const [left, right] = [x(span.from), x(span.to ?? now)];
      context.fillStyle = COLORS[span.state] ?? "#999";
      context.fillRect(left, 4, Math.max(1, right - left), 16);
      if (span.delay !== undefined && right - left > 40) {
        context.fillStyle = "#1d1d1b";
        context.fillText(`${(span.delay / 1000).toFixed(1)} s`, left + 2, 16);
      }
    }
    context.fillStyle = "#777";
    context.fillText("-60 s", 0, 32);
    if (nextLabel > width - 44) context.fillText("now", width - 20, 32);
  };
  return { canvas, draw };
}
