// The stocks panel: a live table and a line chart of the last minutes, shown
// as stale while the feed is reconnecting.
import { SteadySocket, parseJson } from "/pkg/steadysocket.js";
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
      legend.textContent = `— ${symbol}`;
      document.getElementById("stocks-legend").append(legend);
    }
    return rows.get(symbol);
  };

  const draw = () => {
    const context = canvas.getContext("2d");
    const { width, height } = canvas;
    context.clearRect(0, 0, width, height);
    const series = [...history.entries()];
    const changes = series.flatMap(([, points]) => points.map((p) => p / points[0] - 1));
    const span = Math.max(0.002, ...changes.map(Math.abs));
    context.strokeStyle = "#ddd";
    context.beginPath();
    context.moveTo(0, height / 2);
    context.lineTo(width, height / 2);
    context.stroke();
    for (const [symbol, points] of series) {
      context.strokeStyle = COLORS[symbol] ?? "#333";
      context.lineWidth = 2;
      context.beginPath();
      // Fills the width as history grows, up to the last three minutes.
      const slots = Math.max(60, points.length) - 1;
      points.forEach((price, index) => {
        const x = (index / slots) * width;
        const y = height / 2 - ((price / points[0] - 1) / span) * (height / 2 - 8);
        if (index === 0) context.moveTo(x, y);
        else context.lineTo(x, y);
      });
      context.stroke();
    }
  };

  socket.onmessage = (event) => {
    const update = parseJson(event);
    for (const [symbol, price] of Object.entries(update.prices)) {
      const points = history.get(symbol) ?? [];
      const previous = points.at(-1);
      points.push(price);
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
