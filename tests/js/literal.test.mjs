// The wasm's string literal back into bytes (pkg-template/literal.js and
// unpack.wat: the platform's UTF-8 encoder, then the fold and the trades),
// checked against the bytes themselves, with and without byte values that
// traded places (xtask/src/literal.rs). Every runtime and browser suite
// runs it for real on the core's literal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const { bytesOf } = await import(new URL("../../target/pkg-modules/literal.js", import.meta.url));
const { default: coreLiteral } = await import(new URL("../../target/pkg-modules/core_wasm.js", import.meta.url));
const coreWasm = readFileSync(new URL("../../target/pkg-modules/core.wasm", import.meta.url));

/** The literal of `bytes` with `pairs` of byte values traded: a count, the pairs, the swapped bytes. */
function literalOf(bytes, pairs = []) {
  const swap = Uint8Array.from({ length: 256 }, (_, code) => code);
  for (const [a, b] of pairs) [swap[a], swap[b]] = [b, a];
  const codes = [pairs.length, ...pairs.flat(), ...Array.from(bytes, (byte) => swap[byte])];
  let literal = "";
  for (let i = 0; i < codes.length; i += 8192) literal += String.fromCharCode(...codes.slice(i, i + 8192));
  return literal;
}
/** Trades like the core's: NUL, 0x80 and an escaped control character for rare printable ones. */
const trades = [[0x00, 0x7a], [0x80, 0x5d], [0x0b, 0x26]];
const every = Uint8Array.from({ length: 256 }, (_, code) => code);

test("each of the 256 codes gives its byte, alone and in a run", () => {
  for (const code of every) assert.deepEqual([...bytesOf(literalOf([code]))], [code], `code ${code}`);
  assert.deepEqual([...bytesOf(literalOf(every))], [...every]);
  assert.deepEqual([...bytesOf(literalOf([...every].reverse()))], [...every].reverse());
});

test("each of the 256 codes gives its byte through traded values", () => {
  for (const code of every) assert.deepEqual([...bytesOf(literalOf([code], trades))], [code], `code ${code}`);
  assert.deepEqual([...bytesOf(literalOf(every, trades))], [...every]);
  const lastTrade = Uint8Array.of(0x26, 0x0b, 0x00, 0x7a, 0x80);
  assert.deepEqual([...bytesOf(literalOf(lastTrade, trades))], [...lastTrade]);
});

test("a literal of no bytes, with or without trades, is no bytes", () => {
  assert.equal(bytesOf(literalOf([])).length, 0);
  assert.equal(bytesOf(literalOf([], trades)).length, 0);
  assert.equal(bytesOf("").length, 0);
});

test("longer than one page of wasm memory", () => {
  // 70,000 bytes, most of them two bytes of UTF-8: 2 pages of input.
  const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 131 + 7) % 256);
  assert.deepEqual(Buffer.from(bytesOf(literalOf(bytes))), Buffer.from(bytes));
  assert.deepEqual(Buffer.from(bytesOf(literalOf(bytes, trades))), Buffer.from(bytes));
});

test("the core's literal gives the core's wasm", () => {
  assert.deepEqual(Buffer.from(bytesOf(coreLiteral)), coreWasm);
});

test("it never reads globalThis.Buffer (Deno loads its Node layer on the first read: 5.6-6.3 ms)", () => {
  const own = Object.getOwnPropertyDescriptor(globalThis, "Buffer");
  let reads = 0;
  Object.defineProperty(globalThis, "Buffer", { configurable: true, get: () => (reads++, own.value ?? own.get?.()) });
  try {
    assert.equal(bytesOf(coreLiteral).length, coreWasm.length);
  } finally {
    Object.defineProperty(globalThis, "Buffer", own);
  }
  assert.equal(reads, 0);
});
