// The core's wasm travels as a string literal, one character (code 0-255)
// per byte (it packs better than base64), led by the byte values it
// traded for smaller ones (xtask/src/literal.rs). This turns it back into
// the wasm natively and in a 305-byte wasm (unpack.wat): the characters
// become bytes through Node's, Deno's and Bun's `Buffer` (latin1, 0.1 ms in a
// fresh Node process) or elsewhere through the platform's UTF-8 encoder,
// which unpack.wat folds back to one byte a character; then unpack.wat
// undoes the trades. A JavaScript loop over the characters took 0.8-2.6 ms
// in a fresh Node process and ~2 ms in a fresh Chromium page: it runs cold.
import unpackWasm from "./unpack_wasm.js";

/** Where unpack.wat reads its input and writes the bytes; below is its byte map. */
const START = 256;

/** The bytes the core's `literal` holds; `buffer` is Node's `Buffer` where there is one. */
export function bytesOf(literal, buffer = globalThis.Buffer) {
  const utf8 = typeof buffer !== "function";
  // Each character is at most two bytes of UTF-8.
  const memory = new WebAssembly.Memory({ initial: Math.ceil((START + literal.length * (utf8 ? 2 : 1)) / 65536) });
  const input = new Uint8Array(memory.buffer, START);
  let length = literal.length;
  if (utf8) length = new TextEncoder().encodeInto(literal, input).written;
  else input.set(buffer.from(literal, "latin1"));
  // unpack.wat's own 305 bytes, one character each: few enough for a loop.
  const module = new WebAssembly.Module(Uint8Array.from(unpackWasm, (character) => character.charCodeAt(0)));
  const { unpack } = new WebAssembly.Instance(module, { unpack: { memory } }).exports;
  return new Uint8Array(memory.buffer, START, unpack(length, utf8 ? 1 : 0));
}
