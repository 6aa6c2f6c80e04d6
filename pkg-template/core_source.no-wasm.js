// Where the core comes from in the no-wasm bundle (no-wasm.js, the
// package's "./no-wasm" export, for engines without WebAssembly: V8
// --jitless, Safari in Lockdown Mode, React Native's Hermes): the same
// core.wasm translated to JavaScript by binaryen's wasm2js (core_js.js,
// made by `cargo xtask package`). Its memory is an ArrayBuffer with the
// same layout, so the class reads and writes it as it does the wasm's.
// `instantiate(imports)`: the core's exports, instantiated with `imports`.
export { instantiate as instantiateCore } from "./core_js.js";
