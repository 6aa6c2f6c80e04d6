// The shared test vectors (tests/vectors.json) through the npm class: the
// same close codes and reasons, subprotocol lists and URLs with the exact
// messages the Rust API gives (tests/shared_vectors.rs), and the same backoff
// options with the same outcome. Sockets here start closed: nothing connects.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const vectors = JSON.parse(readFileSync(new URL("../vectors.json", import.meta.url), "utf8"));
const { SteadySocket } = await import(new URL("../../target/pkg/steadysocket.js", import.meta.url));
const closed = (url = "ws://example.com/", protocols = [], options = {}) =>
  new SteadySocket(url, protocols, { startClosed: true, ...options });

/** The message of what `action` throws, or null. */
function thrown(action) {
  try {
    action();
    return null;
  } catch (error) {
    return error.message;
  }
}

test("close codes and reasons give the Rust API's messages", () => {
  const socket = closed();
  for (const { code, reason, message } of vectors.close) {
    assert.equal(thrown(() => socket.close(code, reason)), message, `${code} ${reason.length}`);
  }
});

test("subprotocol lists give the Rust API's messages", () => {
  for (const { list, message } of vectors.protocols) {
    assert.equal(thrown(() => closed("ws://example.com/", list)), message, JSON.stringify(list));
  }
});

test("URLs give the Rust API's messages", () => {
  for (const { url, message } of [...vectors.urls, ...vectors.platformRefusedUrls]) {
    assert.equal(thrown(() => closed(url)), message, url);
  }
});

test("backoff options have the Rust API's outcome", () => {
  for (const { minDelay, maxDelay, factor, problem } of vectors.backoff) {
    const options = Object.fromEntries(Object.entries({ minDelay, maxDelay, factor }).filter(([, v]) => v !== null));
    const message = thrown(() => closed("ws://example.com/", [], options));
    const got = message === null ? null : /minDelay/.test(message) ? "minDelayAboveMax" : /factor/.test(message) ? "factor" : message;
    assert.equal(got, problem, JSON.stringify(options));
  }
});

test("a server's chosen subprotocol is accepted as the Rust API accepts it", async () => {
  const { acceptsChosenProtocol } = await import(new URL("../../target/pkg-modules/validation.js", import.meta.url));
  for (const { offered, chosen, accepted } of vectors.chosen) {
    assert.equal(acceptsChosenProtocol(offered, chosen), accepted, JSON.stringify({ offered, chosen }));
  }
});

test("trace entries are explained in the Rust face's sentences", async () => {
  const { described } = await import(new URL("../../target/pkg-modules/trace.js", import.meta.url));
  for (const { entry, text } of vectors.trace) {
    const { type, ...fields } = entry;
    assert.equal(described(type, fields).text, text, type);
  }
});
