// The stocks panel: a live table and a line chart of the last minutes (time
// axis, percent labels, last prices), shown as stale while the feed is
// reconnecting.
import { SteadySocket, parseJson } from "./package.js";
import { mountLifecycle } from "./lifecycle.js";

const COLORS = { APPLE: "#2f6fdb", ALPHABET: "#1b7f3b", AMAZON: "#a15c00", MICROSOFT: "#8e24aa" };
const KEEP_POINTS = 180; // three minutes at one update a second

export function startStocks(client) {
  const tag = `${client}-stocks`;
  const socket = new SteadySocket(`ws://${location.host}/stocks?tag=${tag}`, [], { minDelay: 1000, maxDelay: 8000 });
  const section = document.getElementById("stocks");
  const body = document.querySelector("#stocks-table tbody");
  const canvas = document.getElementById("stocks-chart");
  const stale = document.getElementById("stocks-stale");
  const history = new Map();
  const rows = new Map();

  const row = (symbol) => {
    if (!rows.has(symbol)) {
      const tr = document.createElement("tr");
      tr.dataset.symbol = symbol;
      for (const _ of [0, 1, 2]) tr.append(document.createElement("td"));
      tr.cells[0].textContent = symbol;
      body.append(tr);
      rows.set(symbol, tr);
      const legend = document.createElement("span");
      legend.style.color = COLORS[symbol] ?? "#333";
      legend.textContent = `■ ${symbol}`;
      document.getElementById("stocks-legend").append(legend);
    }
    return rows.get(symbol);
  };

  // The chart: each symbol's change since the oldest point kept, in percent,
  // over time; a time axis below, percent labels at the left, each line's
  // last price at its end. It uses the whole width of the canvas as shown.
  const draw = () => {
    const shown = Math.round(canvas.clientWidth || 640);
    if (canvas.width !== shown) canvas.width = shown;
    const context = canvas.getContext("2d");
    const { width, height } = canvas;
    const [left, right, top, bottom] = [44, 52, 10, 22];
    context.clearRect(0, 0, width, height);
    const series = [...history.entries()];
    const changes = series.flatMap(([, points]) => points.map((p) => p.price / points[0].price - 1));
    const span = Math.max(0.002, ...changes.map(Math.abs));
    const now = Date.now();
    // The whole width from the oldest point kept (at least the last 10 s).
    const oldest = Math.min(now - 10_000, ...series.map(([, points]) => points[0].at));
    const x = (at) => left + ((at - oldest) / Math.max(1, now - oldest)) * (width - left - right);
    const y = (change) => top + (1 - (change / span + 1) / 2) * (height - top - bottom);
    context.font = "11px system-ui, sans-serif";
    context.lineWidth = 1;
    for (const change of [-span, -span / 2, 0, span / 2, span]) {
      context.strokeStyle = change === 0 ? "#bbb" : "#eee";
      context.beginPath();
      context.moveTo(left, y(change));
      context.lineTo(width - right, y(change));
      context.stroke();
      context.fillStyle = "#666";
      context.fillText(`${change > 0 ? "+" : ""}${(change * 100).toFixed(2)}%`, 0, y(change) + 4);
    }
    // A tick every 10 s while the history is short, then every minute.
    const step = now - oldest <= 90_000 ? 10_000 : 60_000;
    for (let ago = 0; now - ago >= oldest; ago += step) {
      const label = ago === 0 ? "now" : step === 10_000 ? `-${ago / 1000} s` : `-${ago / 60_000} min`;
      context.fillStyle = "#666";
      context.fillText(label, Math.max(left, Math.min(x(now - ago) - 12, width - right - 24)), height - 6);
    }
    for (const [symbol, points] of series) {
      context.strokeStyle = COLORS[symbol] ?? "#333";
      context.lineWidth = 2;
      context.beginPath();
      points.forEach((point, index) => {
        const [px, py] = [x(point.at), y(point.price / points[0].price - 1)];
        if (index === 0) context.moveTo(px, py);
        else context.lineTo(px, py);
      });
      context.stroke();
      const last = points.at(-1);
      context.fillStyle = COLORS[symbol] ?? "#333";
      context.fillText(last.price.toFixed(2), width - right + 4, y(last.price / points[0].price - 1) + 4);
    }
  };

  socket.onmessage = (event) => {
    const update = parseJson(event);
    for (const [symbol, price] of Object.entries(update.prices)) {
      const points = history.get(symbol) ?? [];
      const previous = points.at(-1)?.price;
      points.push({ at: Date.now(), price });
      if (points.length > KEEP_POINTS) points.shift();
      history.set(symbol, points);
      const tr = row(symbol);
      tr.cells[1].textContent = price.toFixed(2);
      const change = previous === undefined ? 0 : price - previous;
      tr.cells[2].textContent = `${change >= 0 ? "+" : ""}${change.toFixed(2)}`;
      tr.cells[2].className = change > 0 ? "up" : change < 0 ? "down" : "";
    }
    draw();
  };
  const showStale = () => {
    const isStale = socket.readyState !== SteadySocket.OPEN;
    section.classList.toggle("stale", isStale);
    stale.hidden = !isStale;
  };
  for (const type of ["open", "close", "reconnecting", "connecting"]) socket.addEventListener(type, showStale);
  showStale();
  mountLifecycle(section, socket, tag);
  return socket;
}
