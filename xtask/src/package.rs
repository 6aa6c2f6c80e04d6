//! Builds the npm package into `target/pkg/`: the wasm core (release build,
//! wasm-bindgen's web glue, wasm-opt, embedded as base64 so it instantiates
//! synchronously and needs no bundler support), the JS class from
//! `pkg-template/`, and CommonJS twins of the ES modules for `require`.

use crate::process::{self, command};
use std::path::Path;

/// Where the built npm package goes (relative to the workspace root).
pub const PACKAGE_DIR: &str = "target/pkg";

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

/// Where the bench build of the package goes: the same class over the bench
/// wasm (`bench/rust-face`: the core plus a counting allocator and the Rust-API
/// benchmarks).
pub const BENCH_PACKAGE_DIR: &str = "target/bench-pkg";

fn fresh_dir(dir: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Builds crate `crate_name` for wasm32 in release, runs wasm-bindgen (web
/// glue `core.js`) and wasm-opt, and embeds the wasm as base64 in
/// `core_wasm.js` and `core_wasm.cjs`, all in `out`.
fn build_core(crate_name: &str, out: &Path) -> Result<(), String> {
    process::run(command("cargo").args([
        "build",
        "--quiet",
        "--release",
        "--lib",
        "-p",
        crate_name,
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"));
    let file = format!("{}.wasm", crate_name.replace('-', "_"));
    let wasm = target.join("wasm32-unknown-unknown/release").join(file);
    process::run(
        command("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                "core",
                "--out-dir",
            ])
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
    let encoded = base64(&bytes);
    write(
        &out.join("core_wasm.js"),
        &format!("export default \"{encoded}\";\n"),
    )?;
    write(
        &out.join("core_wasm.cjs"),
        &format!("module.exports = \"{encoded}\";\n"),
    )?;
    std::fs::remove_file(&core_wasm).map_err(|e| e.to_string())
}

/// Builds the bench package into [`BENCH_PACKAGE_DIR`] (ES modules only).
pub fn build_bench() -> Result<(), String> {
    let root = crate::root();
    let out = root.join(BENCH_PACKAGE_DIR);
    fresh_dir(&out)?;
    build_core("steadysocket-bench", &out)?;
    let class = read(&root.join("pkg-template/steadysocket.js"))?;
    write(&out.join("steadysocket.js"), &class)
}

pub fn build() -> Result<(), String> {
    let root = crate::root();
    let package = root.join(PACKAGE_DIR);
    fresh_dir(&package)?;
    build_core("steadysocket", &package)?;

    let glue = read(&package.join("core.js"))?;
    write(&package.join("core.cjs"), &esm_to_cjs(&glue)?)?;

    let template = root.join("pkg-template");
    let class = read(&template.join("steadysocket.js"))?;
    write(&package.join("steadysocket.js"), &class)?;
    write(&package.join("steadysocket.cjs"), &esm_to_cjs(&class)?)?;
    let types = read(&template.join("steadysocket.d.ts"))?;
    write(&package.join("steadysocket.d.ts"), &types)?;
    write(&package.join("steadysocket.d.cts"), &types)?;
    write(
        &package.join("README.md"),
        &read(&template.join("README.md"))?,
    )?;
    let manifest = read(&template.join("package.json"))?.replace("{{version}}", &crate_version()?);
    write(&package.join("package.json"), &manifest)?;
    let gitignore = package.join(".gitignore");
    let _ = std::fs::remove_file(gitignore);
    Ok(())
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

/// Turns one of our ES modules (the wasm-bindgen glue, the class) into
/// CommonJS. It knows the few forms these files use and refuses anything else.
fn esm_to_cjs(source: &str) -> Result<String, String> {
    let mut body = String::new();
    let mut exports: Vec<(String, String)> = Vec::new();
    for line in source.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("import ") {
            body.push_str(&import_to_require(rest)?);
        } else if let Some(rest) = trimmed.strip_prefix("export {") {
            let names = rest
                .trim_end()
                .strip_suffix("};")
                .ok_or_else(|| format!("unexpected export line: {line}"))?;
            for item in names.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (local, exported) = item.split_once(" as ").unwrap_or((item, item));
                exports.push((exported.trim().to_owned(), local.trim().to_owned()));
            }
            continue;
        } else if let Some(rest) = trimmed.strip_prefix("export ") {
            let declared = rest.split_whitespace().nth(1).unwrap_or("");
            let end = declared
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .unwrap_or(declared.len());
            let name = &declared[..end];
            if name.is_empty() {
                return Err(format!("unexpected export line: {line}"));
            }
            exports.push((name.to_owned(), name.to_owned()));
            body.push_str(&line.replacen("export ", "", 1));
        } else {
            body.push_str(&line.replace(
                "import.meta.url",
                "require(\"node:url\").pathToFileURL(__filename)",
            ));
        }
        body.push('\n');
    }
    let fields: Vec<String> = exports
        .iter()
        .map(|(exported, local)| format!("{exported}: {local}"))
        .collect();
    body.push_str(&format!("module.exports = {{ {} }};\n", fields.join(", ")));
    Ok(format!("\"use strict\";\n{body}"))
}

/// `{ a, b as c } from "./x.js";` → `const { a, b: c } = require("./x.cjs");`
fn import_to_require(rest: &str) -> Result<String, String> {
    let (what, from) = rest
        .split_once(" from ")
        .ok_or_else(|| format!("unexpected import: import {rest}"))?;
    let module = from
        .trim()
        .trim_end_matches(';')
        .trim_matches('"')
        .trim_matches('\'');
    let module = module
        .strip_suffix(".js")
        .map_or(module.to_owned(), |m| format!("{m}.cjs"));
    let binding = match what.trim().strip_prefix('{') {
        Some(names) => format!("{{{}", names.replace(" as ", ": ")),
        None => what.trim().to_owned(),
    };
    Ok(format!("const {binding} = require(\"{module}\");"))
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

    #[test]
    fn modules_become_commonjs() {
        let esm = "import { initSync, SteadySocket as Core } from \"./core.js\";\nimport data from \"./core_wasm.js\";\nexport class SteadySocket extends EventTarget {}\nexport function parseJson(event) {}\nfunction f() { return new URL('x', import.meta.url); }\nexport { initSync, __wbg_init as default };\n";
        let cjs = esm_to_cjs(esm).unwrap();
        assert!(
            cjs.contains("const { initSync, SteadySocket: Core } = require(\"./core.cjs\");"),
            "{cjs}"
        );
        assert!(cjs.contains("const data = require(\"./core_wasm.cjs\");"));
        assert!(cjs.contains("class SteadySocket extends EventTarget {}"));
        assert!(cjs.contains("pathToFileURL(__filename)"));
        assert!(cjs.ends_with("module.exports = { SteadySocket: SteadySocket, parseJson: parseJson, initSync: initSync, default: __wbg_init };\n"), "{cjs}");
        assert!(!cjs.contains("export "));
        assert!(esm_to_cjs("export {").is_err());
    }
}
