// The npm package's SteadySocket in Node against the peer server, once with
// Node's global WebSocket and once with the `ws` package's injected.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import WsWebSocket from "ws";
import { ALL_EVENTS, counts, hang, packageUrl, peer, recorder, sleep, uniqueTag } from "./helpers.mjs";

const { SteadySocket, parseJson } = await import(new URL("steadysocket.js", packageUrl));

const sources = [
  ["global WebSocket", {}],
  ["ws package injected", { WebSocket: WsWebSocket }],
];

for (const [source, injected] of sources) {
  describe(`SteadySocket with the ${source}`, () => {
    const open = (path, protocols, options = {}) => {
      const socket = new SteadySocket(`ws://${peer}${path}`, protocols, { ...injected, ...options });
      return { socket, next: recorder(socket, ALL_EVENTS) };
    };

    test("is a WebSocket look-alike: constants, state, handlers, echo of every kind", async () => {
      assert.deepEqual([SteadySocket.CONNECTING, SteadySocket.OPEN, SteadySocket.CLOSING, SteadySocket.CLOSED], [0, 1, 2, 3]);
      const { socket, next } = open("/echo", ["chat.v2", "chat.v1"]);
      assert.equal(socket.OPEN, 1);
      assert.equal(socket.readyState, SteadySocket.CONNECTING);
      assert.equal(socket.url, `ws://${peer}/echo`);
      assert.equal(socket.binaryType, "blob");
      assert.equal(socket.extensions, "");
      let onopenCalls = 0;
      socket.onopen = function (event) {
        assert.equal(this, socket);
        assert.equal(event.type, "open");
        onopenCalls++;
      };
      const opened = await next("open");
      assert.equal(opened.protocol, "chat.v2");
      assert.equal(opened.reconnected, false);
      assert.equal(onopenCalls, 1);
      assert.equal(socket.protocol, "chat.v2");
      assert.equal(socket.readyState, SteadySocket.OPEN);

      assert.equal(socket.send("héllo 🌍"), "sent");
      const text = await next("message");
      assert.ok(text instanceof MessageEvent);
      assert.equal(text.data, "héllo 🌍");

      socket.send(new Uint8Array([1, 2, 3]));
      const blob = (await next("message")).data;
      assert.ok(blob instanceof Blob, "binaryType blob gives Blobs");
      assert.deepEqual([...new Uint8Array(await blob.arrayBuffer())], [1, 2, 3]);

      socket.binaryType = "arraybuffer";
      socket.binaryType = "nonsense"; // ignored, as by WebSocket
      assert.equal(socket.binaryType, "arraybuffer");
      socket.send(new Uint16Array([0x0102]).buffer);
      const buffer = (await next("message")).data;
      assert.ok(buffer instanceof ArrayBuffer);
      assert.equal(buffer.byteLength, 2);

      // A Blob is read asynchronously; what is sent after it still goes after it.
      assert.equal(socket.send(new Blob(["first"])), "queued");
      socket.send("second");
      assert.equal(new TextDecoder().decode((await next("message")).data), "first");
      assert.equal((await next("message")).data, "second");

      socket.sendJson({ hello: ["world"] });
      assert.deepEqual(parseJson(await next("message")), { hello: ["world"] });

      socket.close(4000, "bye");
      assert.equal(socket.readyState, SteadySocket.CLOSING);
      const closed = await next("close");
      assert.deepEqual(
        { code: closed.code, reason: closed.reason, wasClean: closed.wasClean, willRetry: closed.willRetry },
        { code: 4000, reason: "bye", wasClean: true, willRetry: false },
      );
      assert.equal(socket.readyState, SteadySocket.CLOSED);
      assert.throws(() => socket.send("late"), (e) => e.name === "InvalidStateError" && /CLOSED/.test(e.message));
    });

    test("addEventListener with once, and removeEventListener", async () => {
      const { socket, next } = open("/echo");
      await next("open");
      let once = 0;
      let removed = 0;
      const removedListener = () => removed++;
      socket.addEventListener("message", () => once++, { once: true });
      socket.addEventListener("message", removedListener);
      socket.removeEventListener("message", removedListener);
      socket.send("a");
      socket.send("b");
      await next("message");
      await next("message");
      assert.equal(once, 1);
      assert.equal(removed, 0);
      socket.close();
    });

    test("close() throws what WebSocket throws, with messages that say what is allowed", async () => {
      const { socket, next } = open("/echo");
      await next("open");
      for (const code of [0, 999, 1001, 1005, 1006, 2999, 5000, 1000.5, "abc"]) {
        assert.throws(() => socket.close(code), (e) => e instanceof DOMException && e.name === "InvalidAccessError" && /1000 or a code from 3000 to 4999/.test(e.message), `code ${code}`);
      }
      assert.throws(() => socket.close(1000, "é".repeat(62)), (e) => e.name === "SyntaxError" && /124 bytes/.test(e.message));
      assert.equal(socket.readyState, SteadySocket.OPEN, "rejected closes do nothing");
      socket.close(1000, "x".repeat(123));
      assert.equal((await next("close")).code, 1000);
    });

    test("a dropped connection reconnects, keeps binaryType and delivers the queue", async () => {
      const tag = uniqueTag("js-reconnect");
      const { socket, next } = open(`/echo?drop_after=2&tag=${tag}`, [], { minDelay: 400, maxDelay: 800, jitter: "equal" });
      socket.binaryType = "arraybuffer";
      await next("open");
      socket.send("one");
      socket.send("two");
      await next("message");
      await next("message");
      const dropped = await next("close");
      assert.equal(dropped.code, 1006);
      assert.equal(dropped.willRetry, true);
      assert.equal(socket.readyState, SteadySocket.CONNECTING);
      assert.equal(socket.state.type, "waiting");
      assert.equal(socket.send(new Uint8Array([9])), "queued");
      assert.equal(socket.send("later"), "queued");
      assert.equal(socket.queuedMessages, 2);
      assert.ok(socket.bufferedAmount >= 6);
      const reconnecting = await next("reconnecting");
      assert.ok(reconnecting.delay >= 200 && reconnecting.delay <= 400, `delay ${reconnecting.delay}`);
      assert.equal((await next("open")).reconnected, true);
      const binary = (await next("message")).data;
      assert.ok(binary instanceof ArrayBuffer, "binaryType survives the reconnect");
      assert.equal((await next("message")).data, "later");
      socket.close();
      await next("close");
      assert.equal((await counts(tag)).peak, 1, "never two connections at once");
    });

    test("stop rules: 1008 stops, shouldReconnect decides, 1012 retries", async () => {
      const policy = open("/echo?close=1008&reason=policy");
      const closed = await policy.next("close");
      assert.equal(closed.code, 1008);
      assert.equal(closed.willRetry, false);
      assert.equal(policy.socket.readyState, SteadySocket.CLOSED);

      const seen = [];
      const custom = open("/echo?close=4001&reason=custom", [], {
        shouldReconnect: (close) => { seen.push(close); return false; },
      });
      assert.equal((await custom.next("close")).willRetry, false);
      assert.deepEqual(seen, [{ code: 4001, reason: "custom", wasClean: true }]);

      const restart = open("/echo?close=1012&reason=restart", [], { minDelay: 50, maxDelay: 100 });
      assert.equal((await restart.next("close")).willRetry, true);
      await restart.next("reconnecting");
      restart.socket.close();
    });

    test("maxRetries gives up; reconnect() starts again; providers are asked every attempt", async () => {
      let up = false;
      const asked = [];
      const socket = new SteadySocket(
        async () => { asked.push("url"); return up ? `ws://${peer}/echo` : "ws://127.0.0.1:1/"; },
        () => { asked.push("protocols"); return ["v1"]; },
        { ...injected, minDelay: 20, maxDelay: 50, maxRetries: 2 },
      );
      const next = recorder(socket, ALL_EVENTS);
      assert.equal(socket.url, "", "a provided URL is not known before the first attempt");
      assert.equal((await next("giveup")).attempts, 2);
      assert.equal(socket.readyState, SteadySocket.CLOSED);
      assert.deepEqual(asked, ["url", "protocols", "url", "protocols", "url", "protocols"]);
      up = true;
      socket.reconnect();
      const opened = await next("open");
      assert.equal(opened.protocol, "v1");
      socket.close();
    });

    test("a never-answered handshake times out and the attempt is closed", async () => {
      const tag = uniqueTag("js-hang");
      const socket = new SteadySocket(`ws://${hang}/?tag=${tag}`, [], { ...injected, connectTimeout: 300, minDelay: 50, maxDelay: 100 });
      const next = recorder(socket, ALL_EVENTS);
      assert.equal((await next("attemptfailed")).reason, "connect timeout");
      assert.equal((await next("close")).willRetry, true);
      await next("reconnecting");
      socket.close();
      for (let i = 0; i < 100 && (await counts(tag)).open > 0; i++) await sleep(50);
      const { open: stillOpen, peak } = await counts(tag);
      assert.equal(stillOpen, 0);
      assert.equal(peak, 1);
    });

    test("bad arguments throw TypeError or SyntaxError with what is allowed", () => {
      assert.throws(() => new SteadySocket(), (e) => e instanceof TypeError && /needs a URL/.test(e.message));
      assert.throws(() => new SteadySocket(42), (e) => e instanceof TypeError && /must be a string/.test(e.message));
      assert.throws(() => new SteadySocket(null), TypeError);
      assert.throws(() => new SteadySocket("ftp://x/", [], injected), (e) => e.name === "SyntaxError" && /ws:, wss:/.test(e.message));
      assert.throws(() => new SteadySocket("ws://x/#frag", [], injected), (e) => e.name === "SyntaxError" && /fragment/.test(e.message));
      assert.throws(() => new SteadySocket(`ws://${peer}/`, ["a b"], injected), (e) => e.name === "SyntaxError" && /RFC 7230/.test(e.message));
      assert.throws(() => new SteadySocket(`ws://${peer}/`, ["a", "a"], injected), (e) => e.name === "SyntaxError" && /more than once/.test(e.message));
      assert.throws(() => new SteadySocket(`ws://${peer}/`, [1], injected), (e) => e instanceof TypeError && /every protocol must be a string/.test(e.message));
      assert.throws(() => new SteadySocket(`ws://${peer}/`, [], 5), (e) => e instanceof TypeError && /options must be an object/.test(e.message));
      for (const [options, pattern] of [
        [{ minDelay: -1 }, /minDelay must be a number of milliseconds/],
        [{ minDelay: "soon" }, /minDelay/],
        [{ jitter: "lots" }, /jitter must be one of/],
        [{ factor: 0.5 }, /backoff.factor/],
        [{ maxQueuedMessages: 1.5 }, /whole number/],
        [{ overflow: "explode" }, /overflow must be one of/],
        [{ WebSocket: "nope" }, /WebSocket must be a WebSocket constructor/],
        [{ shouldReconnect: true }, /shouldReconnect must be a function/],
      ]) {
        assert.throws(() => new SteadySocket(`ws://${peer}/`, [], { ...injected, ...options }), (e) => e instanceof TypeError && pattern.test(e.message), JSON.stringify(options));
      }
      const socket = new SteadySocket(`ws://${peer}/echo`, [], injected);
      assert.throws(() => socket.send(), TypeError);
      assert.throws(() => socket.send(42), (e) => e instanceof TypeError && /string, ArrayBuffer, ArrayBufferView or Blob/.test(e.message));
      assert.throws(() => socket.send({}), TypeError);
      socket.close();
    });
  });
}
