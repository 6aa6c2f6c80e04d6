//! The npm core in JavaScript, for engines without WebAssembly (the
//! package's `./no-wasm` export): the optimised `core.wasm` lowered to the
//! features wasm2js reads (no bulk memory, saturating float-to-int or
//! sign-extension instructions), translated by binaryen's wasm2js, and
//! wrapped into a module whose one export, `instantiate(imports)`, makes a
//! fresh instance as `new WebAssembly.Instance(module, imports).exports`
//! would: the same exports, and a `memory` whose `buffer` is an ArrayBuffer
//! laid out as the wasm's linear memory.

use crate::process::{self, command};
use std::path::Path;

/// The features the core's wasm uses, which wasm-opt and wasm2js must be
/// told of to read it.
const FEATURES: [&str; 5] = [
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
];

/// The passes that turn those features into plain instructions.
const LOWERINGS: [&str; 3] = [
    "--llvm-memory-copy-fill-lowering",
    "--llvm-nontrapping-fptoint-lowering",
    "--signext-lowering",
];

/// What wasm2js writes first: an import of the wasm's import module.
const IMPORT_LINE: &str = "import * as steadysocket from 'steadysocket';";

/// Where wasm2js's module stops making the instance and starts exporting it.
const INSTANCE_LINE: &str = "var retasmFunc = asmFunc(";

/// Writes `core_js.js` into `modules` from the optimised core `wasm`.
pub fn write(wasm: &Path, modules: &Path) -> Result<(), String> {
    let lowered = modules.join("core.lowered.wasm");
    process::run(
        command("wasm-opt")
            .args(FEATURES)
            .args(LOWERINGS)
            .arg(wasm)
            .arg("-o")
            .arg(&lowered),
    )?;
    let translated = modules.join("core.wasm2js.js");
    process::run(
        command("wasm2js")
            .args(FEATURES)
            .arg("-Oz")
            .arg(&lowered)
            .arg("-o")
            .arg(&translated),
    )?;
    let text = std::fs::read_to_string(&translated)
        .map_err(|e| format!("cannot read {}: {e}", translated.display()))?;
    let module = wrapped(&text)?;
    let out = modules.join("core_js.js");
    std::fs::write(&out, module).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

/// wasm2js's module (which instantiates at import and exports the instance's
/// functions) as a function that instantiates on each call: nothing runs at
/// import, as the package promises.
fn wrapped(text: &str) -> Result<String, String> {
    let body = text
        .strip_prefix(IMPORT_LINE)
        .ok_or("wasm2js's output does not start with the import of the core's imports")?;
    let end = body
        .find(INSTANCE_LINE)
        .ok_or("wasm2js's output has no instance to cut at")?;
    Ok(format!(
        "// The core's wasm translated to JavaScript by binaryen's wasm2js (`cargo xtask package`).\n\
         export function instantiate(imports) {{\n{}\nreturn asmFunc(imports);\n}}\n",
        &body[..end]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_the_instance_into_a_function() {
        let text = format!(
            "{IMPORT_LINE}\nvar table = 1;\nfunction asmFunc(imports) {{ return {{}}; }}\n\
             {INSTANCE_LINE}{{ steadysocket }});\nexport var memory = retasmFunc.memory;\n"
        );
        let module = wrapped(&text).unwrap();
        assert!(module.starts_with("// The core's wasm"));
        assert!(module.contains("export function instantiate(imports) {\n\nvar table = 1;"));
        assert!(module.ends_with("return asmFunc(imports);\n}\n"));
        assert!(!module.contains("retasmFunc"));
        assert!(!module.contains("import * as"));
    }

    #[test]
    fn refuses_an_output_of_another_shape() {
        assert!(wrapped("var x = 1;").is_err());
        assert!(wrapped(&format!("{IMPORT_LINE}\nvar x = 1;")).is_err());
    }
}
