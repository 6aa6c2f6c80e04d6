// The core's wasm travels as a string literal, one character (code 0-255)
// per byte (it packs better than base64); this turns it back into bytes
// natively: Node, Deno and Bun through `Buffer`'s latin1 (0.1 ms in a fresh
// Node process), elsewhere through the platform's UTF-8 encoder and a
// 133-byte wasm that folds each two-byte character back into one
// (latin1.wat; ~1 ms in a fresh Chromium page with the compile of the
// fold). A JavaScript loop over the characters took 0.8-2.6 ms in a fresh
// Node process and ~2 ms in a fresh Chromium page: it runs cold.
import latin1Wasm from "./latin1_wasm.js";

/** The bytes `literal` holds, one per character; `buffer` is Node's `Buffer` where there is one. */
export function bytesOf(literal, buffer = globalThis.Buffer) {
  if (typeof buffer === "function") return buffer.from(literal, "latin1");
  // Each character is at most two bytes of UTF-8.
  const memory = new WebAssembly.Memory({ initial: Math.ceil((literal.length * 2) / 65536) });
  const { written } = new TextEncoder().encodeInto(literal, new Uint8Array(memory.buffer));
  // The fold's own 133 bytes, one character each like the core's: few enough for a loop.
  const fold = new WebAssembly.Module(Uint8Array.from(latin1Wasm, (character) => character.charCodeAt(0)));
  const { collapse } = new WebAssembly.Instance(fold, { latin1: { memory } }).exports;
  return new Uint8Array(memory.buffer, 0, collapse(written));
}
