// The built npm package (target/pkg, wasm-opt optimised) loaded in Node and
// used against the peer server: proves the optimised wasm instantiates and
// the exported class works end to end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

const pkg = new URL("../../target/pkg/", import.meta.url);
const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const { initSync, SteadySocket } = await import(new URL("steadysocket.js", pkg));
initSync({ module: await readFile(new URL("steadysocket_bg.wasm", pkg)) });

function events(socket) {
  const seen = [];
  let wake = () => {};
  const push = (event) => { seen.push(event); wake(); };
  socket.onopen = push;
  socket.onmessage = push;
  socket.onerror = push;
  socket.onclose = push;
  return async function next(timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (seen.length === 0) {
      if (Date.now() > deadline) throw new Error(`no event within ${timeoutMs} ms`);
      await new Promise((resolve) => { wake = resolve; setTimeout(resolve, 50); });
    }
    return seen.shift();
  };
}

test("the optimised package echoes text and binary and closes cleanly", async () => {
  const socket = new SteadySocket(`ws://${peer}/echo`, ["chat.v1"]);
  const next = events(socket);
  assert.equal(socket.readyState, 0);
  const open = await next();
  assert.equal(open.type, "open");
  assert.equal(open.protocol, "chat.v1");
  assert.equal(socket.readyState, 1);
  socket.send("héllo");
  assert.deepEqual(await next(), { type: "message", data: "héllo" });
  socket.send(new Uint8Array([1, 2, 255]));
  const binary = await next();
  assert.deepEqual([...new Uint8Array(binary.data)], [1, 2, 255]);
  socket.close(4000, "bye");
  assert.deepEqual(await next(), { type: "close", code: 4000, reason: "bye", wasClean: true });
  assert.equal(socket.readyState, 3);
  socket.free();
});

test("bad input throws a message that says what is allowed", () => {
  assert.throws(() => new SteadySocket("ftp://example.com/"), /scheme "ftp" is not allowed/);
  assert.throws(() => new SteadySocket(`ws://${peer}/echo`, ["a b"]), /RFC 7230/);
  const socket = new SteadySocket(`ws://${peer}/echo`);
  assert.throws(() => socket.close(1005), /use 1000 or a code from 3000 to 4999/);
  assert.throws(() => socket.send("too early"), /only while it is OPEN/);
  socket.free();
});
