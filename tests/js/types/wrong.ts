// Every statement below is a type error; `tsc --noEmit --strict` must reject this file.
import { SteadySocket, parseJson } from "steadysocket";

type ServerMessage = { type: "price"; symbol: string; price: number };
type ClientMessage = { subscribe: string[] };

const socket = new SteadySocket<ServerMessage, ClientMessage>("wss://example.com/feed");
socket.sendJson({ subscribe: 42 }); // wrong outgoing shape
socket.addEventListener("message", (event) => {
  const name: number = parseJson(event).symbol; // wrong incoming field type
  console.log(name);
});
new SteadySocket("wss://example.com/", [], { jitter: "lots" }); // no such jitter
socket.addEventListener("reconnecting", (event) => event.nope); // no such field
socket.binaryType = "text"; // not a binary type
