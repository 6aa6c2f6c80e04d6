// The npm package as this page loads it: the main entry, or, in a browser
// without WebAssembly (V8 without its JIT, Firefox with it turned off,
// Safari in Lockdown Mode), its no-wasm export: the same class with its core
// in JavaScript. `core` names which one runs.
const withWasm = typeof WebAssembly === "object";

export const { SteadySocket, parseJson } = await import(withWasm ? "/pkg/steadysocket.js" : "/pkg/no-wasm.js");

/** Which core this page runs, as the header shows it. */
export const core = withWasm ? "wasm" : "JavaScript (no WebAssembly here)";
