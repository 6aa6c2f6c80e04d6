// Where the core comes from, in the package's main bundles: the wasm their
// string literal carries, compiled on the first `new SteadySocket()`
// (synchronously, so a socket can start in its constructor; no bundler or
// fetch needed). The workerd bundle replaces this module with
// core_source.workerd.js, the no-wasm bundle with core_source.no-wasm.js.
import wasmBytes from "./core_wasm.js";
import { bytesOf } from "./literal.js";
import { NO_WASM_ADVICE, hasWebAssembly, instantiated } from "./webassembly.js";

/** The core's exports, instantiated with `imports`. */
export function instantiateCore(imports) {
  if (!hasWebAssembly()) {
    throw new Error(
      "steadysocket needs WebAssembly, which this JavaScript engine lacks (as V8 --jitless, Safari in Lockdown " +
        `Mode and React Native's Hermes do); ${NO_WASM_ADVICE}`,
    );
  }
  const { exports, refused } = instantiated(() => bytesOf(wasmBytes), imports);
  if (refused !== null) {
    throw new Error(
      `steadysocket could not compile its WebAssembly core on this page (${refused.message}); a ` +
        "Content-Security-Policy refuses WebAssembly unless its script-src allows 'wasm-unsafe-eval': allow " +
        `that, or ${NO_WASM_ADVICE}`,
      { cause: refused },
    );
  }
  return exports;
}
