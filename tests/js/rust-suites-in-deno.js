// Preloaded by Deno for the Rust API's suites (xtask/src/runtimes.rs):
// wasm-bindgen-test-runner's Deno harness sets `window.__wbg_test_invoke`,
// and Deno 2 has no `window`. Nothing in the crate reads it.
globalThis.window = globalThis;
