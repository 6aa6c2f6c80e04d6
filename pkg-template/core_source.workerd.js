// Where the core comes from in the workerd bundle (steadysocket.workerd.js,
// the package's "workerd" export: Cloudflare Workers and wrangler builds).
// workerd compiles no wasm from bytes at run time ("Wasm code generation
// disallowed by embedder"), so the core is a wasm module of the package,
// core.wasm, which the runtime compiles as it loads the worker (wrangler's
// bundle carries it as a compiled wasm module).
import core from "./core.wasm";

/** The core's exports, instantiated with `imports`. */
export const instantiateCore = (imports) => new WebAssembly.Instance(core, imports).exports;
