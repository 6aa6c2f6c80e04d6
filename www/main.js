// The demo page: an echo round trip through the steadysocket npm package.
import { SteadySocket } from "/pkg/steadysocket.js";

const STATES = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];
const state = document.getElementById("echo-state");
const log = document.getElementById("echo-log");
const form = document.getElementById("echo-form");
const input = document.getElementById("echo-input");

function note(text) {
  const item = document.createElement("li");
  item.textContent = text; // always text, never HTML
  log.prepend(item);
}

const url = `ws://${location.host}/echo`;
const socket = new SteadySocket(url);
const sentAt = [];
const showState = () => { state.textContent = STATES[socket.readyState]; };
showState();
socket.onopen = (event) => { showState(); note(event.reconnected ? "open again" : `open ${url}`); };
socket.onmessage = (event) => {
  const started = sentAt.shift();
  const ms = started === undefined ? "?" : (performance.now() - started).toFixed(1);
  note(`echo "${event.data}" in ${ms} ms`);
};
socket.onerror = () => note("error");
socket.onclose = (event) => {
  showState();
  note(`closed ${event.code} ${event.reason} (clean: ${event.wasClean}, retry: ${event.willRetry})`);
};
socket.addEventListener("reconnecting", (event) => {
  showState();
  note(`reconnecting: attempt ${event.attempt} in ${Math.round(event.delay)} ms`);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  try {
    sentAt.push(performance.now());
    if (socket.send(input.value) === "queued") note("queued until the connection is back");
  } catch (error) {
    sentAt.pop();
    note(`not sent: ${error.message}`);
  }
});
