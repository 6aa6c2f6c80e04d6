// The wasm's string literal back into bytes (pkg-template/literal.js and
// unpack.wat), both ways: through Node's Buffer, and through the encoder and
// the fold that browsers use (the browser suites run that one for real; here
// it runs with Buffer withheld), checked against the bytes themselves, with
// and without byte values that traded places (xtask/src/literal.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const { bytesOf } = await import(new URL("../../target/pkg-modules/literal.js", import.meta.url));
const { default: coreLiteral } = await import(new URL("../../target/pkg-modules/core_wasm.js", import.meta.url));

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
const ways = { "Buffer": undefined, "encoder and fold": null };

for (const [way, buffer] of Object.entries(ways)) {
  test(`${way}: each of the 256 codes gives its byte, alone and in a run`, () => {
    for (const code of every) assert.deepEqual([...bytesOf(literalOf([code]), buffer)], [code], `code ${code}`);
    assert.deepEqual([...bytesOf(literalOf(every), buffer)], [...every]);
    assert.deepEqual([...bytesOf(literalOf([...every].reverse()), buffer)], [...every].reverse());
  });

  test(`${way}: each of the 256 codes gives its byte through traded values`, () => {
    for (const code of every) assert.deepEqual([...bytesOf(literalOf([code], trades), buffer)], [code], `code ${code}`);
    assert.deepEqual([...bytesOf(literalOf(every, trades), buffer)], [...every]);
    const lastTrade = Uint8Array.of(0x26, 0x0b, 0x00, 0x7a, 0x80);
    assert.deepEqual([...bytesOf(literalOf(lastTrade, trades), buffer)], [...lastTrade]);
  });

  test(`${way}: a literal of no bytes, with or without trades, is no bytes`, () => {
    assert.equal(bytesOf(literalOf([]), buffer).length, 0);
    assert.equal(bytesOf(literalOf([], trades), buffer).length, 0);
    assert.equal(bytesOf("", buffer).length, 0);
  });

  test(`${way}: longer than one page of wasm memory`, () => {
    // 70,000 bytes, most of them two bytes of UTF-8: 2 pages of input.
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 131 + 7) % 256);
    assert.deepEqual(Buffer.from(bytesOf(literalOf(bytes), buffer)), Buffer.from(bytes));
    assert.deepEqual(Buffer.from(bytesOf(literalOf(bytes, trades), buffer)), Buffer.from(bytes));
  });

  test(`${way}: the core's literal gives the core's wasm`, () => {
    const wasm = readFileSync(new URL("../../target/pkg-modules/core.wasm", import.meta.url));
    assert.deepEqual(Buffer.from(bytesOf(coreLiteral, buffer)), wasm);
  });
}
