//! Installs what the commands need when it is missing.

use crate::process::{command, output, run, which};
use std::path::PathBuf;

/// The wasm-bindgen version `Cargo.lock` resolved for the workspace, so the
/// CLI always matches the crate the suites are built with. The library
/// itself asks only for a compatible 0.2 release (`wasm-bindgen = "0.2.X"`):
/// an exact pin in a library breaks every app that needs a later 0.2.x.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(crate::root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    locked_version(&lock, "wasm-bindgen").ok_or_else(|| {
        "Cargo.lock has no wasm-bindgen package; run `cargo generate-lockfile`".to_owned()
    })
}

/// The version of the package `name` in the text of a `Cargo.lock`.
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line == wanted {
            let version = lines.next()?.strip_prefix("version = \"")?;
            return Some(version.trim_end_matches('"').to_owned());
        }
    }
    None
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

/// wasm-bindgen-cli (wasm-bindgen and wasm-bindgen-test-runner) at the
/// version in `Cargo.lock`.
pub fn ensure_wasm_bindgen() -> Result<(), String> {
    let version = locked_wasm_bindgen()?;
    let installed = output(command("wasm-bindgen").arg("--version"));
    let matches = installed.as_deref() == Some(&format!("wasm-bindgen {version}"));
    if matches && which("wasm-bindgen-test-runner").is_some() {
        return Ok(());
    }
    println!(
        "xtask: installing wasm-bindgen-cli {version}, the version in Cargo.lock (found {}; takes a few minutes)",
        installed.as_deref().unwrap_or("none")
    );
    // Not --locked: a dependency version of the CLI's lock file is missing
    // from some registry mirrors. Optimized at level 1: it compiled in 211 s
    // here against 255 s at the release profile's 3, and turns the 32 MB
    // web_api suite into JS as fast (0.82 s against 0.93 s; a debug build
    // took 3.6 s, some 70 times a run).
    run(command("cargo")
        .args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &version,
            "--force",
        ])
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1"))
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

/// Chromium's programs and their Debian packages.
pub const CHROMIUM_PROGRAMS: &[(&str, &str)] = &[
    ("chromium", "chromium"),
    ("chromedriver", "chromium-driver"),
];

/// Firefox ESR's program and its Debian package.
pub const FIREFOX_PROGRAMS: &[(&str, &str)] = &[("firefox-esr", "firefox-esr")];

/// Chromium and its WebDriver; returns the chromedriver path.
pub fn ensure_chromium() -> Result<PathBuf, String> {
    ensure_system_programs(CHROMIUM_PROGRAMS)?;
    which("chromedriver").ok_or_else(|| "chromedriver is still not on PATH".to_owned())
}

/// Firefox ESR (Debian) and geckodriver (crates.io); returns the geckodriver path.
pub fn ensure_firefox() -> Result<PathBuf, String> {
    ensure_system_programs(FIREFOX_PROGRAMS)?;
    ensure_geckodriver()
}

/// geckodriver (crates.io), unless it is on PATH; returns its path.
pub fn ensure_geckodriver() -> Result<PathBuf, String> {
    if which("geckodriver").is_none() {
        println!("xtask: installing geckodriver (takes a few minutes)");
        // A debug build: 94 s here against 164 s for a release one, and a
        // driver's own speed does not show in the tests.
        run(command("cargo").args(["install", "geckodriver", "--debug"]))?;
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
    use super::locked_version;

    /// The dependencies in the `[dependencies]` table of a manifest whose
    /// version requirement is exact (`"=X"`), as `name = requirement` lines.
    fn exact_pins(manifest: &str) -> Vec<String> {
        let mut in_dependencies = false;
        let mut pins = Vec::new();
        for line in manifest.lines().map(str::trim) {
            if line.starts_with('[') {
                in_dependencies = line == "[dependencies]";
                continue;
            }
            let Some((name, requirement)) = line.split_once('=') else {
                continue;
            };
            let requirement = requirement.trim();
            let version = match requirement.strip_prefix('{') {
                Some(table) => table
                    .split_once("version")
                    .and_then(|(_, rest)| rest.trim_start().strip_prefix('='))
                    .map(str::trim_start),
                None => Some(requirement),
            };
            if in_dependencies && version.is_some_and(|v| v.starts_with("\"=")) {
                pins.push(format!("{} = {requirement}", name.trim()));
            }
        }
        pins
    }

    #[test]
    fn reads_a_locked_version() {
        let lock = "[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.1\"\n\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(locked_version(lock, "wasm-bindgen"), Some("0.2.130".into()));
        assert_eq!(
            locked_version(lock, "wasm-bindgen-futures"),
            Some("0.4.1".into())
        );
        assert_eq!(locked_version(lock, "serde"), None);
    }

    #[test]
    fn finds_exact_pins_in_both_forms_and_only_in_dependencies() {
        let manifest = "[dependencies]\na = \"=0.2.130\"\nb = { version = \"=1.0\", optional = true }\nc = \"0.2\"\nd = { version = \"1\" }\n[dev-dependencies]\ne = \"=1\"\n";
        assert_eq!(
            exact_pins(manifest),
            [
                "a = \"=0.2.130\"",
                "b = { version = \"=1.0\", optional = true }"
            ]
        );
    }

    /// Every library the workspace publishes asks for compatible releases:
    /// an exact pin breaks every app that needs another version.
    #[test]
    fn no_library_dependency_is_pinned_exactly() {
        for manifest in ["Cargo.toml", "bench/rust-face/Cargo.toml"] {
            let text = std::fs::read_to_string(crate::root().join(manifest)).unwrap();
            assert_eq!(exact_pins(&text), Vec::<String>::new(), "{manifest}");
        }
    }
}
