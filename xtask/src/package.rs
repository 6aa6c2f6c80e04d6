//! Builds the npm package into `target/pkg/`: the core as a no_std wasm (the
//! `steadysocket` crate with only its `npm` feature, release build,
//! wasm-bindgen's web glue, wasm-opt), embedded as base64 so it instantiates
//! synchronously and needs no bundler support, and the class from
//! `pkg-template/`; esbuild bundles and minifies them into one ES module and
//! one CommonJS file.

use crate::process::{self, command};
use std::path::Path;

/// Where the built npm package goes (relative to the workspace root).
pub const PACKAGE_DIR: &str = "target/pkg";

/// The package's modules before bundling (class, glue, embedded wasm).
const MODULES_DIR: &str = "target/pkg-modules";

/// Where the bench build of the package goes, unbundled: the same class over
/// the bench wasm (`bench/rust-face`: the core plus a counting allocator and
/// the Rust-API benchmarks), whose glue the bench also imports itself.
pub const BENCH_PACKAGE_DIR: &str = "target/bench-pkg";

/// The class's modules in `pkg-template/`; `steadysocket.js` is the entry.
const CLASS_MODULES: [&str; 5] = [
    "steadysocket.js",
    "engine.js",
    "options.js",
    "platform.js",
    "validation.js",
];

/// wasm-opt's settings: size first, with the features Rust's wasm32 target emits.
const WASM_OPT_FLAGS: [&str; 7] = [
    "-Oz",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The crate version from the root Cargo.toml (the first `version = "…"`).
fn crate_version() -> Result<String, String> {
    let manifest = read(&crate::root().join("Cargo.toml"))?;
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \"")?.strip_suffix('"'))
        .map(str::to_owned)
        .ok_or_else(|| "no version in Cargo.toml".to_owned())
}

fn fresh_dir(dir: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Builds the library of `package` for wasm32 in release with `features`,
/// runs wasm-bindgen (web glue `core.js`) and wasm-opt, and embeds the wasm
/// as base64 in `core_wasm.js`, next to the class's modules, all in `out`.
fn build_modules(package: &str, features: &[&str], out: &Path) -> Result<(), String> {
    process::run(
        command("cargo")
            .args(["build", "--quiet", "--release", "--lib", "-p", package])
            .args(["--target", "wasm32-unknown-unknown"])
            .args(features),
    )?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"));
    let file = format!("{}.wasm", package.replace('-', "_"));
    let wasm = target.join("wasm32-unknown-unknown/release").join(file);
    process::run(
        command("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--out-name", "core"])
            .arg("--out-dir")
            .arg(out)
            .arg(&wasm),
    )?;
    let core_wasm = out.join("core_bg.wasm");
    process::run(
        command("wasm-opt")
            .args(WASM_OPT_FLAGS)
            .arg(&core_wasm)
            .arg("-o")
            .arg(&core_wasm),
    )?;
    let bytes = std::fs::read(&core_wasm).map_err(|e| format!("cannot read the wasm: {e}"))?;
    write(
        &out.join("core_wasm.js"),
        &format!("export default \"{}\";\n", base64(&bytes)),
    )?;
    std::fs::remove_file(&core_wasm).map_err(|e| e.to_string())?;
    let template = crate::root().join("pkg-template");
    for module in CLASS_MODULES {
        write(&out.join(module), &read(&template.join(module))?)?;
    }
    Ok(())
}

/// Builds the bench package into [`BENCH_PACKAGE_DIR`].
pub fn build_bench() -> Result<(), String> {
    let out = crate::root().join(BENCH_PACKAGE_DIR);
    fresh_dir(&out)?;
    build_modules("steadysocket-bench", &[], &out)
}

pub fn build() -> Result<(), String> {
    let root = crate::root();
    let modules = root.join(MODULES_DIR);
    fresh_dir(&modules)?;
    build_modules(
        "steadysocket",
        &["--no-default-features", "--features", "npm"],
        &modules,
    )?;
    let package = root.join(PACKAGE_DIR);
    fresh_dir(&package)?;
    for (format, file) in [("esm", "steadysocket.js"), ("cjs", "steadysocket.cjs")] {
        process::run(
            command("esbuild")
                .arg(modules.join("steadysocket.js"))
                .args(["--bundle", "--minify", "--sourcemap", "--log-level=warning"])
                .arg(format!("--format={format}"))
                // The glue's fetch-based init (the one user of import.meta) is not used.
                .arg("--log-override:empty-import-meta=silent")
                .arg(format!("--outfile={}", package.join(file).display())),
        )?;
    }
    let template = root.join("pkg-template");
    let types = read(&template.join("steadysocket.d.ts"))?;
    write(&package.join("steadysocket.d.ts"), &types)?;
    write(&package.join("steadysocket.d.cts"), &types)?;
    write(
        &package.join("README.md"),
        &read(&template.join("README.md"))?,
    )?;
    let manifest = read(&template.join("package.json"))?.replace("{{version}}", &crate_version()?);
    write(&package.join("package.json"), &manifest)
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_known_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }
}
