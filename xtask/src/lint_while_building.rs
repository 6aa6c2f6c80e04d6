//! clippy in the same pass as a build: cargo runs this program in place of
//! rustc for a workspace's own crates (`RUSTC_WORKSPACE_WRAPPER`), and it
//! runs clippy-driver, which lints a crate and then compiles it as rustc
//! would, with warnings as errors. The examples' dependency trees are the
//! slow part of their checks: `cargo clippy` then `cargo build` compiled
//! each tree twice, once to check and once to build.
//!
//! What `cargo clippy -- -D warnings` does too, but for a build: cargo
//! passes the same rustc arguments and marks the crates to lint
//! (`CARGO_PRIMARY_PACKAGE`); clippy-driver lints only those, and
//! dependencies keep their capped lints.

use std::ffi::OsString;
use std::process::{Command, ExitCode};

/// Set, to clippy-driver's path, in the environment of a cargo command whose
/// workspace crates are compiled through this program; this program reads
/// it to know that it runs as the wrapper.
const DRIVER: &str = "STEADYSOCKET_XTASK_CLIPPY_DRIVER";

/// Makes `cargo` (a `cargo build` or `cargo test`) lint the workspace's
/// crates with clippy as it compiles them, failing on any warning.
pub fn lint(cargo: &mut Command) -> Result<&mut Command, String> {
    let this = std::env::current_exe()
        .map_err(|e| format!("cannot find the xtask program to lint with: {e}"))?;
    Ok(cargo
        .env("RUSTC_WORKSPACE_WRAPPER", this)
        .env(DRIVER, clippy_driver()?))
}

/// clippy-driver beside this toolchain's rustc.
fn clippy_driver() -> Result<OsString, String> {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("cannot run rustc --print sysroot: {e}"))?;
    let driver = std::path::Path::new(String::from_utf8_lossy(&sysroot.stdout).trim())
        .join("bin/clippy-driver");
    if driver.is_file() {
        Ok(driver.into_os_string())
    } else {
        Err(format!(
            "no clippy-driver at {} (rustup component add clippy)",
            driver.display()
        ))
    }
}

/// When cargo runs this program as the wrapper of [`lint`], runs
/// clippy-driver with cargo's arguments (rustc's path first) and warnings
/// as errors, and returns its exit code; otherwise `None`.
pub fn run_as_wrapper(args: &[OsString]) -> Option<ExitCode> {
    let driver = std::env::var_os(DRIVER)?;
    let status = Command::new(&driver)
        .args(args)
        .args(deny_warnings(args))
        .status();
    Some(match status {
        Ok(status) => ExitCode::from(status.code().map_or(1, |code| code as u8)),
        Err(e) => {
            eprintln!("xtask: cannot run {}: {e}", driver.to_string_lossy());
            ExitCode::FAILURE
        }
    })
}

/// `-D warnings` for a compile, nothing for cargo's queries of rustc
/// (`-vV`, `--print`), which take no lint flags.
fn deny_warnings(args: &[OsString]) -> &'static [&'static str] {
    let query = args
        .iter()
        .any(|arg| arg == "-vV" || arg == "-V" || arg.to_string_lossy().starts_with("--print"));
    if query {
        &[]
    } else {
        &["-D", "warnings"]
    }
}

#[cfg(test)]
mod tests {
    use super::deny_warnings;
    use std::ffi::OsString;

    fn args(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn a_compile_gets_warnings_as_errors_and_a_query_nothing() {
        assert_eq!(
            deny_warnings(&args("rustc --crate-name chat --edition=2021 src/main.rs")),
            ["-D", "warnings"]
        );
        assert!(deny_warnings(&args("rustc -vV")).is_empty());
        assert!(deny_warnings(&args("rustc - --crate-name ___ --print=file-names")).is_empty());
    }
}
