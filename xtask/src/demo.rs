//! `cargo xtask demo`: builds the npm package and serves the demo page.

use crate::peer::{self, PeerServer, Ports};
use crate::process::{self, command};
use crate::tools;

/// Where the built npm package goes (relative to the workspace root).
pub const PACKAGE_DIR: &str = "target/pkg";

/// Builds the npm package with wasm-pack (release, wasm-opt) into [`PACKAGE_DIR`]
/// and lays the files of `pkg-template/` over it.
pub fn build_package() -> Result<(), String> {
    process::run(command("wasm-pack").args([
        "build",
        "--release",
        "--target",
        "web",
        "--out-dir",
        PACKAGE_DIR,
        "--out-name",
        "steadysocket",
    ]))?;
    let template = crate::root().join("pkg-template");
    let package = crate::root().join(PACKAGE_DIR);
    let entries =
        std::fs::read_dir(&template).map_err(|e| format!("cannot read pkg-template/: {e}"))?;
    for entry in entries.flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), package.join(entry.file_name()))
                .map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

pub fn main(args: &[String]) -> Result<(), String> {
    let port = match args {
        [] => 8080,
        [flag, value] if flag == "--port" => value
            .parse::<u16>()
            .map_err(|_| format!("--port takes a number from 1 to 65535, not {value:?}"))?,
        _ => return Err("usage: cargo xtask demo [--port N]".to_owned()),
    };
    tools::ensure_wasm_toolchain()?;
    build_package()?;
    peer::build()?;
    let ports = Ports {
        main: port,
        hang: port.wrapping_add(1),
    };
    let server = PeerServer::start(ports, &["--www", "www", "--pkg", PACKAGE_DIR])?;
    println!();
    println!("steadysocket demo: http://127.0.0.1:{port}/   (Ctrl-C stops it)");
    server.wait()
}
