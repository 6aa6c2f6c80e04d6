//! Developer commands: `cargo xtask test`, `cargo xtask demo`.
//!
//! Both install what is missing on a fresh machine that has only Rust and Node
//! (the wasm32 target, wasm-bindgen-cli at the version in Cargo.lock,
//! wasm-opt and esbuild; for the tests and benchmarks the browsers, their
//! drivers and the other runtimes), so the README needs no other set-up.

mod abi_js;
mod bench;
mod browser_places;
mod core_js;
mod demo;
mod examples;
mod footprint;
mod lanes;
mod lint_while_building;
mod literal;
mod package;
mod package_tests;
mod peer;
mod process;
mod runtimes;
mod served_suite;
mod summary;
mod test;
mod tools;
mod unformatted;
mod webkit;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask test            install what is missing, then run every test suite
  cargo xtask demo [--port N] build the npm package and serve the demo (default port 8080)
  cargo xtask bench [--node N] [echo] [idle] [startup] [profile] [storm] [soak] [footprint]
                              run the benchmarks (all, or the ones named; echo and
                              startup in Node N, 24 unless named, 22 to 26)
  cargo xtask package         build the npm package into target/pkg";

fn main() -> ExitCode {
    // Run by cargo in place of rustc, for the examples' build (not a command).
    let raw: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if let Some(code) = lint_while_building::run_as_wrapper(&raw) {
        return code;
    }
    let args: Vec<String> = raw
        .into_iter()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test::main(&args[1..]),
        Some("demo") => demo::main(&args[1..]),
        Some("bench") => bench::main(&args[1..]),
        Some("package") => tools::ensure_wasm_toolchain().and_then(|()| package::build()),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}
