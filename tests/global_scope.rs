//! Where a browser run of the wasm suites takes place. The test command runs
//! the Rust suites (`tests/web_api/`, `tests/web_*.rs`) in each engine's page, dedicated worker and
//! shared worker (modes of wasm-bindgen-test-runner); in each of those places
//! it also runs the one test here that names it, and fails the place unless
//! that test passes. So a run meant for a worker cannot pass in a page, or
//! the reverse, without the summary saying so.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test;

/// The global object's class, as its `toString()` tells it (`[object Window]`).
fn global_scope() -> String {
    js_sys::global().to_string().into()
}

#[wasm_bindgen_test]
fn runs_in_a_page() {
    assert_eq!(global_scope(), "[object Window]");
}

#[wasm_bindgen_test]
fn runs_in_a_dedicated_worker() {
    assert_eq!(global_scope(), "[object DedicatedWorkerGlobalScope]");
}

#[wasm_bindgen_test]
fn runs_in_a_shared_worker() {
    assert_eq!(global_scope(), "[object SharedWorkerGlobalScope]");
}
