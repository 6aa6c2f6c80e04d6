// Whether this engine has WebAssembly: V8 --jitless, Firefox with
// `javascript.options.wasm` off, Safari in Lockdown Mode and React Native's
// Hermes have none. The main bundles' core needs it (core_source.js); where
// it is missing, `steadysocket/react` loads the no-wasm export instead.

/** True where `WebAssembly` can compile and instantiate the core. */
export function hasWebAssembly() {
  return typeof WebAssembly === "object";
}
