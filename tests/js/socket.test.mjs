// The npm package's SteadySocket in Node against the peer server, once with
// Node's global WebSocket and once with the `ws` package's injected.
import { describe, test } from "node:test";
import WsWebSocket from "ws";
import { scenarios } from "./scenarios.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const hang = process.env.STEADYSOCKET_HANG ?? "127.0.0.1:9002";
const chaos = process.env.STEADYSOCKET_CHAOS ?? "127.0.0.1:9003";
const { SteadySocket, parseJson, steadysocketDiagnostics } = await import(new URL("../../target/pkg/steadysocket.js", import.meta.url));

for (const [source, injected] of [["global WebSocket", {}], ["ws package injected", { WebSocket: WsWebSocket }]]) {
  describe(`SteadySocket in Node with the ${source}`, () => {
    for (const [name, scenario] of Object.entries(scenarios)) {
      test(name, () => scenario({ SteadySocket, parseJson, steadysocketDiagnostics, peer, hang, chaos, injected }));
    }
  });
}
