//! Installs what the commands need when it is missing.

use crate::process::{command, output, run, which};
use std::path::PathBuf;

/// The exact wasm-bindgen version pinned in the library's Cargo.toml
/// (`wasm-bindgen = "=X.Y.Z"` or `wasm-bindgen = { version = "=X.Y.Z", … }`),
/// so the CLI always matches the crate.
pub fn pinned_wasm_bindgen() -> Result<String, String> {
    let manifest = std::fs::read_to_string(crate::root().join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    manifest
        .lines()
        .find_map(|line| pinned_in(line.trim().strip_prefix("wasm-bindgen")?))
        .ok_or_else(|| "Cargo.toml must pin wasm-bindgen as `wasm-bindgen = \"=X.Y.Z\"`".to_owned())
}

/// `X.Y.Z` from ` = "=X.Y.Z"` or ` = { version = "=X.Y.Z", … }`.
fn pinned_in(requirement: &str) -> Option<String> {
    let value = requirement.trim_start().strip_prefix('=')?.trim();
    let quoted = match value.strip_prefix('{') {
        Some(table) => table
            .split_once("version")?
            .1
            .trim_start()
            .strip_prefix('=')?
            .trim_start(),
        None => value,
    };
    let version = quoted.strip_prefix("\"=")?.split('"').next()?;
    Some(version.to_owned())
}

/// `rustup target add wasm32-unknown-unknown` unless it is installed.
pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = output(command("rustup").args(["target", "list", "--installed"])).ok_or(
        "rustup is needed to add the wasm32-unknown-unknown target; install Rust with rustup",
    )?;
    if installed
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// wasm-bindgen-cli (wasm-bindgen and wasm-bindgen-test-runner) at the pinned version.
pub fn ensure_wasm_bindgen() -> Result<(), String> {
    let version = pinned_wasm_bindgen()?;
    let installed = output(command("wasm-bindgen").arg("--version"));
    let matches = installed.as_deref() == Some(&format!("wasm-bindgen {version}"));
    if matches && which("wasm-bindgen-test-runner").is_some() {
        return Ok(());
    }
    println!(
        "xtask: installing wasm-bindgen-cli {version} (found {}; takes a few minutes)",
        installed.as_deref().unwrap_or("none")
    );
    // Not --locked: a dependency version of the CLI's lock file is missing
    // from some registry mirrors.
    run(command("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &version,
        "--force",
    ]))
}

/// wasm-pack, unless it is on PATH.
pub fn ensure_wasm_pack() -> Result<(), String> {
    if output(command("wasm-pack").arg("--version")).is_some() {
        return Ok(());
    }
    println!("xtask: installing wasm-pack (takes a few minutes)");
    run(command("cargo").args(["install", "wasm-pack"]))
}

/// Installs the Debian packages whose programs are missing: `(program, package)`.
pub fn ensure_system_programs(needs: &[(&str, &str)]) -> Result<(), String> {
    let missing: Vec<&str> = needs
        .iter()
        .filter(|(program, _)| which(program).is_none())
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if which("apt-get").is_none() {
        return Err(format!(
            "missing programs; install these packages (or their equivalents) and run again: {}",
            missing.join(" ")
        ));
    }
    let root = output(command("id").arg("-u")).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut apt = if root {
            command("apt-get")
        } else {
            let mut sudo = command("sudo");
            sudo.arg("apt-get");
            sudo
        };
        apt.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        apt
    };
    println!("xtask: installing {}", missing.join(" "));
    run(&mut apt(&["update", "-qq"]))?;
    let mut install = vec!["install", "-y", "-qq"];
    install.extend(&missing);
    run(&mut apt(&install))
}

/// Chromium and its WebDriver; returns the chromedriver path.
pub fn ensure_chromium() -> Result<PathBuf, String> {
    ensure_system_programs(&[
        ("chromium", "chromium"),
        ("chromedriver", "chromium-driver"),
    ])?;
    which("chromedriver").ok_or_else(|| "chromedriver is still not on PATH".to_owned())
}

/// Firefox ESR (Debian) and geckodriver (crates.io); returns the geckodriver path.
pub fn ensure_firefox() -> Result<PathBuf, String> {
    ensure_system_programs(&[("firefox-esr", "firefox-esr")])?;
    if which("geckodriver").is_none() {
        println!("xtask: installing geckodriver (takes a few minutes)");
        run(command("cargo").args(["install", "geckodriver"]))?;
    }
    which("geckodriver").ok_or_else(|| "geckodriver is still not on PATH".to_owned())
}

/// The JS test dependencies (ws, typescript, playwright-core) from tests/js's lock file.
pub fn ensure_js_test_dependencies() -> Result<(), String> {
    run(command("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(crate::root().join("tests/js")))
}

/// The build tools of the npm package, from the npm registry, installed under
/// `target/tools/` and put first on PATH by [`crate::process::command`]:
/// binaryen's `wasm-opt` (Debian 12's binaryen 108 breaks wasm-bindgen's
/// externref table) and esbuild, which bundles and minifies the package.
const PACKAGE_TOOLS: [(&str, &str, &str); 2] = [
    ("wasm-opt", "binaryen@132.0.0", "wasm-opt version 132 "),
    ("esbuild", "esbuild@0.25.12", "0.25.12"),
];

/// `wasm-opt` and `esbuild` at their pinned versions (see [`PACKAGE_TOOLS`]).
pub fn ensure_package_tools() -> Result<(), String> {
    let installed = PACKAGE_TOOLS.iter().all(|(program, _, version)| {
        let tool = crate::process::tools_bin().join(program);
        output(std::process::Command::new(tool).arg("--version"))
            .is_some_and(|v| v.starts_with(version))
    });
    if installed {
        return Ok(());
    }
    let prefix = crate::root().join("target").join("tools");
    std::fs::create_dir_all(&prefix)
        .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    run(command("npm")
        .args([
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
        ])
        .arg(&prefix)
        .args(PACKAGE_TOOLS.map(|(_, package, _)| package)))
}

/// Everything a wasm build needs.
pub fn ensure_wasm_toolchain() -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_pack()?;
    ensure_package_tools()
}

/// NODE_OPTIONS for Node runs: Node before 22 needs `--experimental-websocket`
/// for the global `WebSocket`.
pub fn node_options() -> Result<String, String> {
    let version = output(command("node").arg("--version")).ok_or("node is not on PATH")?;
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .ok_or_else(|| format!("cannot read the Node version from {version:?}"))?;
    let mut options = std::env::var("NODE_OPTIONS").unwrap_or_default();
    if major < 22 && !options.contains("--experimental-websocket") {
        options = format!("{options} --experimental-websocket")
            .trim()
            .to_owned();
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::pinned_in;

    #[test]
    fn reads_the_pinned_version_in_both_forms() {
        assert_eq!(pinned_in(" = \"=0.2.130\""), Some("0.2.130".into()));
        let table = " = { version = \"=0.2.130\", default-features = false }";
        assert_eq!(pinned_in(table), Some("0.2.130".into()));
        assert_eq!(pinned_in(" = \"0.2\""), None);
        assert_eq!(pinned_in("-futures = \"0.4\""), None);
    }
}
