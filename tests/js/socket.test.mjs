// The npm package's SteadySocket in Node against the peer server, once with
// Node's global WebSocket and once with the `ws` package's injected.
import assert from "node:assert/strict";
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

// The `ws` package's socket is an EventEmitter: the class listens with `on`
// (no wrapper closure per listener, no event object per message), which a
// subclass that counts the two ways of listening shows.
test("a ws package socket is listened to with on, not addEventListener, and detached when closed", async () => {
  const added = [];
  class CountingWs extends WsWebSocket {
    addEventListener(type, listener, options) {
      added.push(`addEventListener ${type}`);
      return super.addEventListener(type, listener, options);
    }
    on(type, listener) {
      added.push(`on ${type}`);
      return super.on(type, listener);
    }
  }
  const socket = new SteadySocket(`ws://${peer}/echo`, [], { WebSocket: CountingWs, maxRetries: 0 });
  try {
    await new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }));
    const echoed = new Promise((resolve) => socket.addEventListener("message", (event) => resolve(event.data), { once: true }));
    socket.send("héllo");
    assert.equal(await echoed, "héllo", "a text message arrives as a string");
    assert.deepEqual(added, ["on open", "on message", "on error", "on close"], "listened to with on alone");
    const platform = [...added];
    const closed = new Promise((resolve) => socket.addEventListener("close", resolve, { once: true }));
    socket.close(1000);
    const { code, wasClean } = await closed;
    assert.deepEqual([code, wasClean], [1000, true], "a clean close");
    assert.deepEqual(added, platform, "nothing more listened to while closing cleanly");
  } finally {
    socket.close();
  }
  assert.equal(steadysocketDiagnostics().liveListeners, 0, "every platform listener detached");
});
