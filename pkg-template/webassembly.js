// Whether WebAssembly can run here. V8 --jitless, Firefox with
// `javascript.options.wasm` off, Safari in Lockdown Mode and React Native's
// Hermes have none. A page whose Content-Security-Policy has a script-src
// without 'wasm-unsafe-eval' (or 'unsafe-eval'), as strict sites send, has
// it, but every engine refuses to compile or instantiate a module there: a
// `WebAssembly.CompileError` (WebKit's at the instance). The main bundles'
// core needs it (core_source.js); where it cannot run, `steadysocket/react`
// loads the no-wasm export instead.

/** True where the engine has `WebAssembly` at all. */
export function hasWebAssembly() {
  return typeof WebAssembly === "object";
}

/** What to do where the core's WebAssembly cannot run; the class's errors end with it. */
export const NO_WASM_ADVICE = "import steadysocket/no-wasm there, the same class with its core compiled to JavaScript";

/** Whether the smallest module compiles and instantiates on this page; tried once. */
let pageRunsWebAssembly = null;

/**
 * True where WebAssembly can run on this page: the engine has it and the
 * page lets a module compile and instantiate. Tried once, with the smallest
 * module; a page that refuses it reports that one try as a
 * Content-Security-Policy violation (in its console, to its
 * `securitypolicyviolation` listeners and to any endpoint it reports to).
 */
export function canRunWebAssembly() {
  pageRunsWebAssembly ??=
    hasWebAssembly() && instantiated(() => new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), {}).refused === null;
  return pageRunsWebAssembly;
}

/**
 * Instantiates the module that `bytes()` makes with `imports` (`bytes` runs
 * inside, as it may compile a module of its own): `{ exports }`, or, where
 * the page refuses WebAssembly (a `CompileError` for a valid module),
 * `{ refused }`, that error. Anything else throws.
 */
export function instantiated(bytes, imports) {
  try {
    return { exports: new WebAssembly.Instance(new WebAssembly.Module(bytes()), imports).exports, refused: null };
  } catch (error) {
    if (error instanceof WebAssembly.CompileError) return { exports: null, refused: error };
    throw error;
  }
}
