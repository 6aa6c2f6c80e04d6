// The npm package's SteadySocket in Node against the peer server, once with
// Node's global WebSocket and once with the `ws` package's injected.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import WsWebSocket from "ws";
import { scenarios } from "./scenarios.mjs";
import { runScenario, sleep } from "./helpers.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const hang = process.env.STEADYSOCKET_HANG ?? "127.0.0.1:9002";
const chaos = process.env.STEADYSOCKET_CHAOS ?? "127.0.0.1:9003";
const { SteadySocket, parseJson, steadysocketDiagnostics } = await import(new URL("../../target/pkg/steadysocket.js", import.meta.url));

for (const [source, injected] of [["global WebSocket", {}], ["ws package injected", { WebSocket: WsWebSocket }]]) {
  describe(`SteadySocket in Node with the ${source}`, () => {
    for (const [name, scenario] of Object.entries(scenarios)) {
      test(name, () => runScenario(scenario, { SteadySocket, parseJson, steadysocketDiagnostics, peer, hang, chaos, injected }));
    }
  });
}

// A handler that nothing else listens with is called by the socket itself:
// Node's EventTarget holds no listener for it (and makes no listener lists),
// until a listener of its type is added.
test("handlers alone leave Node's EventTarget without listeners; the first listener of a type makes its handler one", async () => {
  const { getEventListeners } = await import("node:events");
  const socket = new SteadySocket(`ws://${peer}/echo`, [], { WebSocket: WsWebSocket });
  const heard = [];
  await new Promise((resolve) => {
    socket.onopen = resolve;
    socket.onmessage = (event) => heard.push(`handler ${event.data}`);
    socket.onclose = () => {};
  });
  const held = () => ["open", "message", "close", "error"].map((type) => getEventListeners(socket, type).length);
  assert.deepEqual(held(), [0, 0, 0, 0], "listeners held with handlers only");
  socket.send("one");
  while (heard.length < 1) await sleep(5);
  socket.addEventListener("message", (event) => heard.push(`listener ${event.data}`));
  assert.deepEqual(held(), [0, 2, 0, 0], "the message handler became a listener, before the new one");
  socket.send("two");
  while (heard.length < 3) await sleep(5);
  assert.deepEqual(heard, ["handler one", "handler two", "listener two"]);
  socket.onmessage = null;
  assert.deepEqual(held(), [0, 1, 0, 0], "a handler set to null is no listener");
  const closed = new Promise((resolve) => (socket.onclose = resolve));
  socket.close();
  await closed;
});

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

// A peer that never answers the close frame and then sends a frame `ws`
// cannot parse: after the closing handshake times out (5 s) the class has
// let go of the `ws` socket, which still emits "error" for the bad frame. An
// EventEmitter's "error" with no listener throws, so the class leaves a
// listener that ignores it.
test("a ws package socket let go of while closing does not throw its later error", async () => {
  const { createServer } = await import("node:net");
  const { createHash } = await import("node:crypto");
  let sendBadFrame;
  const server = createServer((connection) => {
    connection.once("data", (request) => {
      const key = /sec-websocket-key: *(\S+)/i.exec(request.toString())[1];
      const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
      connection.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      // A final frame with the reserved opcode 3: a protocol error for `ws`.
      sendBadFrame = () => connection.write(Buffer.from([0x83, 0x00]));
    });
    connection.on("error", () => {});
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const uncaught = [];
  const onUncaught = (error) => uncaught.push(error);
  process.on("uncaughtException", onUncaught);
  try {
    const socket = new SteadySocket(`ws://127.0.0.1:${server.address().port}/`, [], { WebSocket: WsWebSocket, maxRetries: 0 });
    await new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }));
    const closed = new Promise((resolve) => socket.addEventListener("close", resolve, { once: true }));
    socket.close(1000, "bye");
    const { code, wasClean } = await closed;
    assert.deepEqual([code, wasClean], [1000, false], "the closing handshake timed out");
    sendBadFrame();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(uncaught.map(String), [], "no uncaught error");
    assert.equal(steadysocketDiagnostics().liveListeners, 0, "every platform listener detached");
  } finally {
    process.off("uncaughtException", onUncaught);
    server.close();
  }
});

test("an open socket without a heartbeat keeps no timer (Node's active timers)", async () => {
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
  const before = timers();
  const sockets = Array.from({ length: 3 }, () => new SteadySocket(`ws://${peer}/echo`, [], { WebSocket: WsWebSocket }));
  await Promise.all(sockets.map((socket) => new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }))));
  // minUptime is judged when a connection is lost, not by a timer while it idles.
  assert.equal(timers() - before, 0, "timers while open");
  const closed = sockets.map((socket) => new Promise((resolve) => socket.addEventListener("close", resolve, { once: true })));
  sockets.forEach((socket) => socket.close());
  await Promise.all(closed);
});

// The harness's own rule (helpers.mjs runScenario): a scenario that fails,
// or hangs past its limit, leaves no socket connected or reconnecting.
test("a failed or hung scenario's sockets are closed by the harness", async () => {
  const context = { SteadySocket, peer, injected: { WebSocket: WsWebSocket } };
  const made = [];
  const leaving = (hangs) => async ({ SteadySocket: Made }) => {
    const open = new Made(`ws://${peer}/echo`, [], { WebSocket: WsWebSocket });
    // Refused at once (port 1) and retried every 10 ms.
    const retrying = new Made("ws://127.0.0.1:1/", [], { WebSocket: WsWebSocket, minDelay: 10, maxDelay: 10 });
    made.push(open, retrying);
    await new Promise((resolve) => open.addEventListener("open", resolve, { once: true }));
    assert.ok(open instanceof SteadySocket, "a socket made through the proxy is the class's");
    assert.equal(Made.name, "SteadySocket", "the proxy shows the class's name");
    if (hangs) await new Promise(() => {});
    throw new Error("failed on purpose");
  };
  for (const [hangs, message] of [[false, /failed on purpose/], [true, /not done after 1000 ms/]]) {
    await assert.rejects(runScenario(leaving(hangs), context, 1000), message);
    const states = made.splice(0).map((socket) => socket.state.type);
    assert.deepEqual(states, ["closing", "closed"], "the open socket closing, the retrying one closed");
    for (let i = 0; i < 100 && steadysocketDiagnostics().liveListeners > 0; i++) await sleep(20);
    assert.equal(steadysocketDiagnostics().liveListeners, 0, "every platform listener detached");
  }
});

// WebSocket's send takes the bytes at the call, so a caller may reuse its
// buffer at once. The `ws` package's send reads it later while an earlier
// message is being compressed (permessage-deflate): behind a first message,
// a second is read after send() returned. Against a `ws` server that
// compresses everything, both messages overwritten right after send() must
// come back as they were sent.
test("a binary message is sent as it was at send(), through ws with permessage-deflate", async () => {
  const { WebSocketServer } = await import("ws");
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: { threshold: 0 } });
  server.on("connection", (connection) => connection.on("message", (data, isBinary) => connection.send(data, { binary: isBinary })));
  await new Promise((resolve) => server.once("listening", resolve));
  const url = `ws://127.0.0.1:${server.address().port}/`;
  const sockets = [];
  try {
    for (const [name, injected] of [["ws", { WebSocket: WsWebSocket }], ["Node's global", {}]]) {
      if (!injected.WebSocket && typeof globalThis.WebSocket !== "function") continue;
      const socket = new SteadySocket(url, [], { ...injected, maxRetries: 0 });
      sockets.push(socket);
      socket.binaryType = "arraybuffer";
      await new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }));
      assert.equal(socket.extensions, "permessage-deflate", `${name}: compressed`);
      const echoes = [];
      const both = new Promise((resolve) => {
        socket.onmessage = (event) => echoes.push(new Uint8Array(event.data)[0]) === 2 && resolve();
      });
      const first = new Uint8Array(4096).fill(1);
      const second = new Uint8Array(new ArrayBuffer(8192), 1024, 4096).fill(3);
      socket.send(first);
      socket.send(second);
      first.fill(7);
      second.fill(7);
      await both;
      assert.deepEqual(echoes, [1, 3], `${name}: what the buffers held at send()`);
      const closed = new Promise((resolve) => socket.addEventListener("close", resolve, { once: true }));
      socket.close();
      await closed;
    }
  } finally {
    for (const socket of sockets) socket.close();
    // The server's close waits for its connections.
    for (const connection of server.clients) connection.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

// Which sends are trusted to copy at once is told by their source (the
// vectors both faces are checked against): a socket class whose send shows a
// trusted source gets the caller's buffer itself, any other a copy.
test("the caller's buffer goes to a send that copies at once as it is, to any other as a copy", async () => {
  const { readFileSync } = await import("node:fs");
  const { sends } = JSON.parse(readFileSync(new URL("../vectors.json", import.meta.url), "utf8"));
  for (const [list, copies] of [["copying", true], ["others", false]]) {
    for (const source of sends[list]) {
      const handed = [];
      class Recording extends WsWebSocket {
        send(data) {
          handed.push(data);
          return super.send(data);
        }
      }
      Recording.prototype.send.toString = () => source;
      const socket = new SteadySocket(`ws://${peer}/echo`, [], { WebSocket: Recording, maxRetries: 0 });
      await new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }));
      const buffer = new Uint8Array([1, 2, 3]);
      socket.send(buffer);
      assert.equal(handed.length, 1, source);
      assert.equal(handed[0] === buffer, copies, `${list}: ${JSON.stringify(source)}`);
      assert.deepEqual([...new Uint8Array(handed[0].buffer ?? handed[0])], [1, 2, 3], "the same bytes");
      const closed = new Promise((resolve) => socket.addEventListener("close", resolve, { once: true }));
      socket.close();
      await closed;
    }
  }
});
