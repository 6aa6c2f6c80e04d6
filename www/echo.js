// The echo panel: text and binary round trips with their times.
import { SteadySocket } from "./package.js";
import { logLine, mountLifecycle } from "./lifecycle.js";

export function startEcho(client) {
  const tag = `${client}-echo`;
  const socket = new SteadySocket(`ws://${location.host}/echo?tag=${tag}`, [], { minDelay: 1000, maxDelay: 8000 });
  socket.binaryType = "arraybuffer";
  const log = document.getElementById("echo-log");
  const input = document.getElementById("echo-input");
  const sentAt = [];
  const send = (data, label) => {
    try {
      const result = socket.send(data);
      sentAt.push(performance.now());
      logLine(log, result === "queued" ? `${label} queued until the connection is back` : `${label} sent`);
    } catch (error) {
      logLine(log, `${label} not sent: ${error.message}`);
    }
  };
  socket.onmessage = (event) => {
    const started = sentAt.shift();
    const ms = started === undefined ? "?" : (performance.now() - started).toFixed(1);
    const what = typeof event.data === "string"
      ? `"${event.data}"`
      : `${event.data.byteLength} bytes [${[...new Uint8Array(event.data)].join(", ")}]`;
    logLine(log, `echo ${what} in ${ms} ms`, "echo-reply");
  };
  document.getElementById("echo-form").addEventListener("submit", (event) => {
    event.preventDefault();
    send(input.value, `"${input.value}"`);
  });
  document.getElementById("echo-binary").addEventListener("click", () => {
    const bytes = new TextEncoder().encode(input.value);
    send(bytes, `${bytes.length} bytes`);
  });
  mountLifecycle(document.getElementById("echo"), socket, tag);
  return socket;
}
