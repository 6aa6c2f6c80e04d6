// Where the core's compiled wasm comes from, in the package's main bundles:
// the string literal they carry, compiled on the first `new SteadySocket()`
// (synchronously, so a socket can start in its constructor; no bundler or
// fetch needed). The workerd bundle replaces this module with
// core_source.workerd.js.
import wasmBytes from "./core_wasm.js";
import { bytesOf } from "./literal.js";

/** The core, compiled. */
export const compiledCore = () => new WebAssembly.Module(bytesOf(wasmBytes));
