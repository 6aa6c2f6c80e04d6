// Uses the package as a TypeScript user would; must pass `tsc --noEmit --strict`.
import { SteadySocket, parseJson, type SteadySocketOptions } from "steadysocket";
import { SteadySocket as SteadySocketWithoutWasm } from "steadysocket/no-wasm";

type ServerMessage = { type: "price"; symbol: string; price: number };
type ClientMessage = { subscribe: string[] };

const options: SteadySocketOptions = {
  minDelay: 500,
  maxDelay: 10_000,
  jitter: "decorrelated",
  maxRetries: 10,
  overflow: "drop-oldest",
  heartbeat: { interval: 20_000, timeout: 5_000, ping: "ping", pong: (data) => data === "pong" },
  acknowledge: { keyOf: (data) => (typeof data === "string" ? JSON.parse(data).id : null), ackOf: (data) => (typeof data === "string" && data.startsWith("ack:") ? data.slice(4) : null) },
  shouldReconnect: (close) => close.code !== 4001,
};
const socket = new SteadySocket<ServerMessage, ClientMessage>("wss://example.com/feed", ["feed.v1"], options);
const delivery: "sent" | "queued" = socket.sendJson({ subscribe: ["APPLE"] });
socket.send(new Uint8Array([1, 2]));
// Subprotocols from any iterable of strings, as WebSocket's WebIDL sequence takes them.
const fromSet = new SteadySocket("wss://example.com/feed", new Set(["feed.v2", "feed.v1"]));
const fromProvider = new SteadySocket("wss://example.com/feed", async () => new Set(["feed.v2"]));
console.log(fromSet.protocol, fromProvider.protocol);
socket.addEventListener("message", (event) => {
  const message = parseJson(event);
  const price: number = message.price;
  console.log(message.symbol, price, delivery);
});
socket.addEventListener("reconnecting", (event) => console.log(event.attempt + event.delay));
socket.addEventListener("giveup", (event) => console.log(event.attempts), { once: true });
socket.addEventListener("acknowledged", (event) => console.log(event.data, socket.unconfirmedMessages));
socket.onclose = (event) => console.log(event.code, event.reason, event.wasClean, event.willRetry);
socket.onopen = function (event) {
  const protocol: string = this.protocol + event.protocol;
  console.log(protocol, event.reconnected);
};
const state: 0 | 1 | 2 | 3 = socket.readyState;
if (socket.state.type === "waiting") console.log(socket.state.delay, state);
socket.binaryType = "arraybuffer";
const provided = new SteadySocket(async () => "wss://example.com/", () => ["v2"]);
provided.close(1000, "bye");
provided.reconnect();
const closedForGood: Promise<void> = provided.closed();
closedForGood.then(() => console.log("closed for good"));

// The no-wasm export's class has the main entry's types.
const withoutWasm: SteadySocket<ServerMessage, ClientMessage> = new SteadySocketWithoutWasm<ServerMessage, ClientMessage>("wss://example.com/feed");
withoutWasm.close();
