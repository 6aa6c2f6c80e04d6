// Preloaded by Bun for the Rust API's suites (xtask/src/runtimes.rs), which
// run there through wasm-bindgen-test-runner's Node harness: wasm-bindgen-test
// takes a global `self` (which Bun has and Node has not) for a browser and
// then writes to a `document`. Nothing in the crate reads `self`.
delete globalThis.self;
