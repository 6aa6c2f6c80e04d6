// The core's wasm travels as a string literal, one character (code 0-255)
// per byte (it packs better than base64), led by the byte values it
// traded for smaller ones (xtask/src/literal.rs). This turns it back into
// the wasm natively and in a small wasm (unpack.wat): the platform's UTF-8
// encoder makes the characters bytes, which unpack.wat folds back to one
// byte a character before it undoes the trades. A JavaScript loop over the
// characters took 0.8-2.6 ms in a fresh Node process and ~2 ms in a fresh
// Chromium page: it runs cold. Node's `Buffer` (latin1, no fold) was 0.1 ms
// quicker in Node, but in Deno the first read of `globalThis.Buffer` loads
// its Node layer: 5.6-6.3 ms in a fresh process.
import unpackWasm from "./unpack_wasm.js";

/** Where unpack.wat reads its input and writes the bytes; below is its byte map. */
const START = 256;

/** The bytes the core's `literal` holds. */
export function bytesOf(literal) {
  // Each character is at most two bytes of UTF-8.
  const memory = new WebAssembly.Memory({ initial: Math.ceil((START + literal.length * 2) / 65536) });
  const { written } = new TextEncoder().encodeInto(literal, new Uint8Array(memory.buffer, START));
  // unpack.wat's own bytes, one character each: few enough for a loop.
  const module = new WebAssembly.Module(Uint8Array.from(unpackWasm, (character) => character.charCodeAt(0)));
  const { unpack } = new WebAssembly.Instance(module, { unpack: { memory } }).exports;
  return new Uint8Array(memory.buffer, START, unpack(written));
}
