// The built npm package (target/pkg, wasm-opt optimised) loaded in Node and
// used against the peer server: proves the optimised wasm instantiates and
// the exported class works end to end, reconnects included.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

const pkg = new URL("../../target/pkg/", import.meta.url);
const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const { initSync, SteadySocket } = await import(new URL("steadysocket.js", pkg));
initSync({ module: await readFile(new URL("steadysocket_bg.wasm", pkg)) });

const KINDS = ["open", "message", "error", "close", "connecting", "reconnecting", "giveup", "attemptfailed", "dropped"];

/** Records every event of `socket`; `next(type)` waits for the next one of that type. */
function recorder(socket) {
  const seen = [];
  for (const kind of KINDS) socket.on(kind, (event) => seen.push(event));
  return async function next(type, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = seen.findIndex((event) => event.type === type);
      if (index >= 0) return seen.splice(0, index + 1).pop();
      if (Date.now() > deadline) throw new Error(`no ${type} event within ${timeoutMs} ms; saw ${JSON.stringify(seen)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
}

test("the optimised package echoes text and binary and closes for good", async () => {
  const socket = new SteadySocket(`ws://${peer}/echo`, ["chat.v1"]);
  const next = recorder(socket);
  assert.equal(socket.readyState, 0);
  assert.deepEqual(await next("open"), { type: "open", protocol: "chat.v1", reconnected: false });
  assert.equal(socket.readyState, 1);
  assert.equal(socket.send("héllo"), "sent");
  assert.equal((await next("message")).data, "héllo");
  socket.send(new Uint8Array([1, 2, 255]));
  assert.deepEqual([...new Uint8Array((await next("message")).data)], [1, 2, 255]);
  socket.close(4000, "bye");
  assert.deepEqual(await next("close"), { type: "close", code: 4000, reason: "bye", wasClean: true, willRetry: false });
  assert.equal(socket.readyState, 3);
  assert.deepEqual(socket.state, { type: "closed" });
  assert.throws(() => socket.send("late"), /only while it is OPEN/);
  socket.free();
});

test("a dropped connection reconnects and delivers what was queued", async () => {
  // Equal jitter: the first delay is 200 to 400 ms, long enough to look at the waiting state.
  const options = { minDelay: 400, maxDelay: 800, jitter: "equal" };
  // Each connection is dropped after its second echo.
  const socket = new SteadySocket(`ws://${peer}/echo?drop_after=2`, [], options);
  const next = recorder(socket);
  await next("open");
  socket.send("one");
  socket.send("two");
  assert.equal((await next("message")).data, "one");
  assert.equal((await next("message")).data, "two");
  const closed = await next("close");
  assert.equal(closed.code, 1006);
  assert.equal(closed.willRetry, true);
  assert.equal(socket.readyState, 0, "CONNECTING while a retry is pending");
  assert.equal(socket.state.type, "waiting");
  assert.equal(socket.state.attempt, 1);
  assert.equal(socket.send("while away"), "queued");
  assert.equal(socket.queuedMessages, 1);
  const reconnecting = await next("reconnecting");
  assert.equal(reconnecting.attempt, 1);
  assert.ok(reconnecting.delay >= 200 && reconnecting.delay <= 400, `first delay ${reconnecting.delay} ms`);
  assert.deepEqual(await next("open"), { type: "open", protocol: "", reconnected: true });
  assert.equal((await next("message")).data, "while away");
  socket.close();
  assert.equal((await next("close")).willRetry, false);
  socket.free();
});

test("bad input throws a message that says what is allowed", () => {
  assert.throws(() => new SteadySocket("ftp://example.com/"), /scheme "ftp" is not allowed/);
  assert.throws(() => new SteadySocket(`ws://${peer}/echo`, ["a b"]), /RFC 7230/);
  assert.throws(() => new SteadySocket(`ws://${peer}/echo`, [], { jitter: "lots" }), /option jitter must be one of "none", "full"/);
  assert.throws(() => new SteadySocket(`ws://${peer}/echo`, [], { minDelay: -1 }), /option minDelay must be a number of milliseconds/);
  assert.throws(() => new SteadySocket(`ws://${peer}/echo`, [], { factor: 0.5 }), /backoff.factor/);
  const socket = new SteadySocket(`ws://${peer}/echo`);
  assert.throws(() => socket.close(1005), /use 1000 or a code from 3000 to 4999/);
  assert.throws(() => socket.on("opne", () => {}), /unknown event type "opne"/);
  assert.throws(() => socket.send(42), /takes a string, an ArrayBuffer or a typed array view/);
  socket.close();
  socket.free();
});
