//! Builds the npm package into `target/pkg/`: the core as a no_std wasm (the
//! `steadysocket` crate with only its `npm` feature, release build, wasm-opt),
//! embedded in a string literal so it instantiates synchronously and needs no
//! bundler support, the boundary's `abi.js` generated from `src/js/abi.rs`
//! (see [`crate::abi_js`]), and the class from `pkg-template/`; esbuild bundles and
//! minifies them into one ES module and one CommonJS file. Also the bench
//! build of the Rust API (`bench/rust-face`, with wasm-bindgen's glue).

use crate::literal::{byte_literal, packed};
use crate::process::{self, command};
use crate::unformatted;
use std::path::{Path, PathBuf};

/// Where the built npm package goes (relative to the workspace root).
pub const PACKAGE_DIR: &str = "target/pkg";

/// The package's modules before bundling (the class, the embedded wasm).
const MODULES_DIR: &str = "target/pkg-modules";

/// The same modules for the workerd bundle, with its variants.
const WORKERD_MODULES_DIR: &str = "target/pkg-modules-workerd";

/// The class's modules the workerd bundle has a variant of, each
/// `pkg-template/<name>.workerd.js`: where the core comes from (a wasm
/// module), and what the socket does around a dispatch of its own (workerd's
/// EventTarget calls `on<type>` properties itself).
const WORKERD_VARIANTS: [&str; 2] = ["core_source.js", "platform_dispatch.js"];

/// The same modules for the no-wasm bundle, with its variant.
const NO_WASM_MODULES_DIR: &str = "target/pkg-modules-no-wasm";

/// The class's module the no-wasm bundle has a variant of,
/// `pkg-template/core_source.no-wasm.js`: the core in JavaScript.
const NO_WASM_VARIANTS: [&str; 1] = ["core_source.js"];

/// The core as a file of the package, for the workerd bundle.
const CORE_WASM: &str = "core.wasm";

/// Where the bench build of the Rust API goes: wasm-bindgen's glue `core.js`
/// and `core_bg.wasm` of `bench/rust-face` (the Rust-API benchmarks and a
/// counting allocator).
pub const BENCH_PACKAGE_DIR: &str = "target/bench-pkg";
/// The bench build with the wasm's function names, for profiles.
pub const NAMED_BENCH_PACKAGE_DIR: &str = "target/bench-pkg-named";

/// The class's modules in `pkg-template/`; `steadysocket.js` is the entry.
const CLASS_MODULES: [&str; 18] = [
    "steadysocket.js",
    "core_source.js",
    "webassembly.js",
    "platform_dispatch.js",
    "blobs.js",
    "data.js",
    "diagnostics.js",
    "waiters.js",
    "handlers.js",
    "trace.js",
    "engine.js",
    "events_due.js",
    "literal.js",
    "notices.js",
    "options.js",
    "platform.js",
    "status.js",
    "validation.js",
];

/// wasm-opt's settings: size first, with the features Rust's wasm32 target
/// emits, without the custom sections that name the toolchain and its target
/// features (only tools read them; 0.2 KB of the npm core).
const WASM_OPT_FLAGS: [&str; 9] = [
    "-Oz",
    "--strip-producers",
    "--strip-target-features",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// For the npm package's own wasm (the core and unpack.wat) wasm-opt also
/// repeats its passes until they change nothing: the core 27,272 → 27,213 B,
/// the package 67 B smaller gzipped. The wasm of an app (the footprint
/// bench's Leptos builds) and of the Rust-face bench get `-Oz` alone, as an
/// app's own build would.
const PACKAGE_WASM_OPT_FLAGS: [&str; 1] = ["--converge"];

/// The first line of the ES module, what a browser loads: V8's explicit
/// compile hint (Chromium 136 and later) to compile every function of the
/// file as it loads, off the main thread, instead of each on its first call.
/// Nearly all of the package runs on the first `new SteadySocket()`; the
/// hint took 4.5 ms [3.3, 5.7] off it in a fresh Chromium page. Node, Deno
/// and the other engines read it as a comment.
const EAGER_COMPILE_HINT: &str = "//# allFunctionsCalledOnLoad";

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

/// Builds the library of `package` for wasm32 in release with `arguments`
/// and returns the path of its wasm.
fn build_wasm(package: &str, arguments: &[&str]) -> Result<PathBuf, String> {
    process::run(
        command("cargo")
            .args(["build", "--quiet", "--release", "--lib", "-p", package])
            .args(["--target", "wasm32-unknown-unknown"])
            .args(arguments),
    )?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"));
    let file = format!("{}.wasm", package.replace('-', "_"));
    Ok(target.join("wasm32-unknown-unknown/release").join(file))
}

/// Runs wasm-opt on `wasm` into `optimised`, as for an app.
pub fn optimise(wasm: &Path, optimised: &Path) -> Result<(), String> {
    optimise_with(wasm, optimised, &[])
}

/// Runs wasm-opt on `wasm` of the npm package into `optimised`.
fn optimise_for_package(wasm: &Path, optimised: &Path) -> Result<(), String> {
    optimise_with(wasm, optimised, &PACKAGE_WASM_OPT_FLAGS)
}

fn optimise_with(wasm: &Path, optimised: &Path, extra: &[&str]) -> Result<(), String> {
    process::run(
        command("wasm-opt")
            .args(WASM_OPT_FLAGS)
            .args(extra)
            .arg(wasm)
            .arg("-o")
            .arg(optimised),
    )
}

/// Assembles the WebAssembly text `wat` into `wasm` (wasm-opt reads text
/// too) and returns its bytes.
fn assemble(wat: &Path, wasm: &Path) -> Result<Vec<u8>, String> {
    optimise_for_package(wat, wasm)?;
    std::fs::read(wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))
}

/// Builds the bench build into [`BENCH_PACKAGE_DIR`], and the same with the
/// wasm's function names kept (wasm-opt `-g`) into [`NAMED_BENCH_PACKAGE_DIR`]
/// for `cargo xtask bench profile`.
pub fn build_bench() -> Result<(), String> {
    let wasm = build_wasm("steadysocket-bench", &[])?;
    for (dir, extra) in [
        (BENCH_PACKAGE_DIR, &[][..]),
        (NAMED_BENCH_PACKAGE_DIR, &["-g"][..]),
    ] {
        let out = crate::root().join(dir);
        fresh_dir(&out)?;
        process::run(
            command("wasm-bindgen")
                .args(["--target", "web", "--no-typescript", "--out-name", "core"])
                .arg("--out-dir")
                .arg(&out)
                .arg(&wasm),
        )?;
        let core = out.join("core_bg.wasm");
        optimise_with(&core, &core, extra)?;
    }
    Ok(())
}

pub fn build() -> Result<(), String> {
    let root = crate::root();
    let modules = root.join(MODULES_DIR);
    fresh_dir(&modules)?;
    let wasm = build_wasm(
        "steadysocket",
        &["--no-default-features", "--features", "npm"],
    )?;
    let built = std::fs::read(&wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let (unformatted, dropped) = unformatted::without_formatting(&built)?;
    println!(
        "dropped core::fmt from the npm core: {}",
        dropped.join(", ")
    );
    let unoptimised = modules.join("core.unoptimised.wasm");
    std::fs::write(&unoptimised, unformatted).map_err(|e| format!("cannot write the wasm: {e}"))?;
    let optimised = modules.join(CORE_WASM);
    optimise_for_package(&unoptimised, &optimised)?;
    let bytes = std::fs::read(&optimised).map_err(|e| format!("cannot read the wasm: {e}"))?;
    write(
        &modules.join("core_wasm.js"),
        &format!("export default \"{}\";\n", byte_literal(&packed(&bytes))),
    )?;
    let template = root.join("pkg-template");
    for module in CLASS_MODULES {
        write(&modules.join(module), &read(&template.join(module))?)?;
    }
    write(&modules.join("abi.js"), &crate::abi_js::generate()?)?;
    write(
        &modules.join("unpack_wasm.js"),
        &format!(
            "export default \"{}\";\n",
            byte_literal(&assemble(
                &template.join("unpack.wat"),
                &modules.join("unpack.wasm")
            )?)
        ),
    )?;
    let package = root.join(PACKAGE_DIR);
    fresh_dir(&package)?;
    for (format, file, banner) in [
        ("esm", "steadysocket.js", Some(EAGER_COMPILE_HINT)),
        ("cjs", "steadysocket.cjs", None),
    ] {
        process::run(
            command("esbuild")
                .arg(modules.join("steadysocket.js"))
                .args(["--bundle", "--minify", "--sourcemap", "--log-level=warning"])
                // Keeps the wasm's literal in one UTF-8 character per byte.
                .arg("--charset=utf8")
                .args(banner.map(|text| format!("--banner:js={text}")))
                .arg(format!("--format={format}"))
                .arg(format!("--outfile={}", package.join(file).display())),
        )?;
    }
    build_workerd_entry(&modules, &template, &package)?;
    build_no_wasm_entry(&modules, &template, &package)?;
    let types = read(&template.join("steadysocket.d.ts"))?;
    write(&package.join("steadysocket.d.ts"), &types)?;
    write(&package.join("steadysocket.d.cts"), &types)?;
    build_react_entry(&template, &package)?;
    write(
        &package.join("README.md"),
        &read(&template.join("README.md"))?,
    )?;
    let manifest = read(&template.join("package.json"))?.replace("{{version}}", &crate_version()?);
    write(&package.join("package.json"), &manifest)
}

/// `steadysocket.workerd.js`, the package's "workerd" export (Cloudflare
/// Workers, and wrangler's builds for them): the class bundled with the core
/// as an import of `core.wasm`, a file of the package, since workerd
/// compiles no wasm from bytes at run time. Its modules are the package's
/// with the [`WORKERD_VARIANTS`] in place.
fn build_workerd_entry(modules: &Path, template: &Path, package: &Path) -> Result<(), String> {
    let workerd_modules = variant_modules(
        modules,
        template,
        WORKERD_MODULES_DIR,
        "workerd",
        &WORKERD_VARIANTS,
    )?;
    std::fs::copy(modules.join(CORE_WASM), package.join(CORE_WASM))
        .map_err(|e| format!("cannot copy the core's wasm into the package: {e}"))?;
    process::run(
        command("esbuild")
            .arg(workerd_modules.join("steadysocket.js"))
            .args(["--bundle", "--minify", "--sourcemap", "--log-level=warning"])
            .arg(format!("--external:./{CORE_WASM}"))
            .arg("--format=esm")
            .arg(format!(
                "--outfile={}",
                package.join("steadysocket.workerd.js").display()
            )),
    )
}

/// `no-wasm.js` and `no-wasm.cjs`, the package's "./no-wasm" export for
/// engines without WebAssembly: the class bundled with the core translated
/// to JavaScript ([`crate::core_js`]). Its modules are the package's with
/// the [`NO_WASM_VARIANTS`] in place.
fn build_no_wasm_entry(modules: &Path, template: &Path, package: &Path) -> Result<(), String> {
    let no_wasm_modules = variant_modules(
        modules,
        template,
        NO_WASM_MODULES_DIR,
        "no-wasm",
        &NO_WASM_VARIANTS,
    )?;
    crate::core_js::write(&modules.join(CORE_WASM), &no_wasm_modules)?;
    for (format, file) in [("esm", "no-wasm.js"), ("cjs", "no-wasm.cjs")] {
        process::run(
            command("esbuild")
                .arg(no_wasm_modules.join("steadysocket.js"))
                .args(["--bundle", "--minify", "--sourcemap", "--log-level=warning"])
                .arg(format!("--format={format}"))
                .arg(format!("--outfile={}", package.join(file).display())),
        )?;
    }
    let types = "// The same class as the package's main entry, with its core in JavaScript.\n";
    write(
        &package.join("no-wasm.d.ts"),
        &format!("{types}export * from \"./steadysocket.js\";\n"),
    )?;
    write(
        &package.join("no-wasm.d.cts"),
        &format!("{types}export * from \"./steadysocket.cjs\";\n"),
    )
}

/// The package's modules copied into `dir` (made afresh), each of
/// `variants` replaced by its `pkg-template/<name>.<suffix>.js`; returns
/// `dir`.
fn variant_modules(
    modules: &Path,
    template: &Path,
    dir: &str,
    suffix: &str,
    variants: &[&str],
) -> Result<PathBuf, String> {
    let variant_dir = crate::root().join(dir);
    fresh_dir(&variant_dir)?;
    for module in CLASS_MODULES.iter().copied().chain(["abi.js"]) {
        let source = if variants.contains(&module) {
            template.join(module.replace(".js", &format!(".{suffix}.js")))
        } else {
            modules.join(module)
        };
        write(&variant_dir.join(module), &read(&source)?)?;
    }
    Ok(variant_dir)
}

/// `steadysocket/react`: the hook, minified and bundled with its own small
/// modules, but not with the package's entries, which it imports (so an app
/// has one class, and the no-wasm export stays a chunk of its own that only
/// engines without WebAssembly load) nor with `react`. The CommonJS build
/// and types point at the CommonJS entries.
fn build_react_entry(template: &Path, package: &Path) -> Result<(), String> {
    let types = read(&template.join("react.d.ts"))?;
    write(&package.join("react.d.ts"), &types)?;
    write(
        &package.join("react.d.cts"),
        &types.replace("\"./steadysocket.js\"", "\"./steadysocket.cjs\""),
    )?;
    for (format, file) in [("esm", "react.js"), ("cjs", "react.cjs")] {
        let out = package.join(file);
        process::run(
            command("esbuild")
                .arg(template.join("react.js"))
                .args(["--bundle", "--minify", "--log-level=warning"])
                .args([
                    "--external:react",
                    "--external:./steadysocket.js",
                    "--external:./no-wasm.js",
                ])
                .arg(format!("--format={format}"))
                .arg(format!("--outfile={}", out.display())),
        )?;
        if format == "cjs" {
            // The entries as CommonJS requires: Node's `import()` of a
            // CommonJS file would see only its `default` export.
            let mut text = read(&out)?;
            for (esm, cjs) in [
                (
                    "require(\"./steadysocket.js\")",
                    "require(\"./steadysocket.cjs\")",
                ),
                (
                    "import(\"./no-wasm.js\")",
                    "Promise.resolve().then(()=>require(\"./no-wasm.cjs\"))",
                ),
            ] {
                if !text.contains(esm) {
                    return Err(format!("react.cjs has no {esm} to point at the CJS entry"));
                }
                text = text.replace(esm, cjs);
            }
            write(&out, &text)?;
        }
    }
    Ok(())
}
