// The wasm's string literal back into bytes (pkg-template/literal.js), both
// ways: through Node's Buffer, and through the encoder and the small wasm
// that browsers use (the browser suites run that one for real; here it runs
// with Buffer withheld), checked against the bytes themselves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const { bytesOf } = await import(new URL("../../target/pkg-modules/literal.js", import.meta.url));
const { default: coreLiteral } = await import(new URL("../../target/pkg-modules/core_wasm.js", import.meta.url));

const literalOf = (bytes) => String.fromCharCode(...bytes);
const every = Uint8Array.from({ length: 256 }, (_, code) => code);
const ways = { "Buffer": undefined, "encoder and fold": null };

for (const [way, buffer] of Object.entries(ways)) {
  test(`${way}: each of the 256 codes gives its byte, alone and in a run`, () => {
    for (const code of every) assert.deepEqual([...bytesOf(literalOf([code]), buffer)], [code], `code ${code}`);
    assert.deepEqual([...bytesOf(literalOf(every), buffer)], [...every]);
    assert.deepEqual([...bytesOf(literalOf([...every].reverse()), buffer)], [...every].reverse());
  });

  test(`${way}: an empty literal is no bytes`, () => {
    assert.equal(bytesOf("", buffer).length, 0);
  });

  test(`${way}: longer than one page of wasm memory`, () => {
    // 70,000 bytes, most of them two bytes of UTF-8: 2 pages of input.
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 131 + 7) % 256);
    assert.deepEqual(Buffer.from(bytesOf(literalOf(bytes), buffer)), Buffer.from(bytes));
  });

  test(`${way}: the core's literal gives the core's wasm`, () => {
    const wasm = readFileSync(new URL("../../target/pkg-modules/core.wasm", import.meta.url));
    assert.deepEqual(Buffer.from(bytesOf(coreLiteral, buffer)), wasm);
  });
}
