// Where the core comes from, in the package's main bundles: the wasm their
// string literal carries, compiled on the first `new SteadySocket()`
// (synchronously, so a socket can start in its constructor; no bundler or
// fetch needed). The workerd bundle replaces this module with
// core_source.workerd.js, the no-wasm bundle with core_source.no-wasm.js.
import wasmBytes from "./core_wasm.js";
import { bytesOf } from "./literal.js";
import { hasWebAssembly } from "./webassembly.js";

/** The core's exports, instantiated with `imports`. */
export function instantiateCore(imports) {
  if (!hasWebAssembly()) {
    throw new Error(
      "steadysocket needs WebAssembly, which this JavaScript engine lacks (as V8 --jitless, Safari in Lockdown " +
        "Mode and React Native's Hermes do); import steadysocket/no-wasm there, the same class with its core " +
        "compiled to JavaScript",
    );
  }
  return new WebAssembly.Instance(new WebAssembly.Module(bytesOf(wasmBytes)), imports).exports;
}
