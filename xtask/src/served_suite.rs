//! A wasm test suite served by wasm-bindgen-test-runner without a driver of
//! its own (`NO_HEADLESS`), for the engines the runner cannot start: WebKit
//! (`tests/js/webkit-wasm.mjs` opens the page) and workerd
//! (`tests/js/rust-suite-in-workerd.mjs` takes the bindings and wasm the
//! runner generated for the page and serves them in workerd).

use crate::process::{command, free_port, run_capturing, Background};
use std::path::Path;

/// Serves the suite `wasm` as a browser page and runs `script` (a file under
/// `tests/js/`, given the page's address) with Node; `environment` is set for
/// the script. The page runs the suite as the runner's `mode_variable` says:
/// `WASM_BINDGEN_USE_BROWSER` in the page itself,
/// `WASM_BINDGEN_USE_DEDICATED_WORKER` in a worker the page starts,
/// `WASM_BINDGEN_USE_SHARED_WORKER` in a shared worker; only the tests whose
/// names contain `filter`, if given. The script's output and whether it
/// succeeded, as the runner's.
pub fn run_with(
    wasm: &Path,
    mode_variable: &str,
    filter: Option<&str>,
    script: &str,
    environment: &[(&str, &str)],
) -> Result<(bool, Vec<String>), String> {
    let port = free_port();
    let mut runner = command("wasm-bindgen-test-runner");
    runner
        .arg(wasm)
        .args(filter)
        .env("NO_HEADLESS", "1")
        .env_remove("WASM_BINDGEN_USE_BROWSER")
        .env(mode_variable, "1")
        .env("WASM_BINDGEN_TEST_ADDRESS", format!("127.0.0.1:{port}"));
    let _served = Background::start(&mut runner, port, "wasm-bindgen-test-runner")?;
    let mut page = command("node");
    page.arg(format!("tests/js/{script}"))
        .arg(format!("http://127.0.0.1:{port}"))
        .env_remove("NODE_OPTIONS")
        .envs(environment.iter().copied());
    run_capturing(&mut page)
}
