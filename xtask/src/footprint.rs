//! `cargo xtask bench footprint`: what steadysocket adds to a Leptos app. The
//! Leptos chat (`examples/leptos-chat`) is built in release twice, over
//! steadysocket with typed JSON channels and over a local room that stands
//! in for it (the same page otherwise), each through wasm-bindgen, wasm-opt
//! -Oz and gzip -9; the difference is the socket's cost.

use crate::examples::{self, Footprint};

/// The target for what steadysocket adds, gzip -9.
const TARGET_BYTES: u64 = 20 * 1024;

pub fn main() -> Result<(), String> {
    examples::check_wasm_bindgen()?;
    let without = examples::footprint(false)?;
    let with = examples::footprint(true)?;
    println!();
    println!("footprint of examples/leptos-chat (release, wasm-opt -Oz; bytes, gzip -9)");
    println!(
        "{:<22} {:>9} {:>9} {:>8} {:>7} {:>9}",
        "", "wasm", "wasm gz", "js", "js gz", "total gz"
    );
    row("without steadysocket", &without);
    row("with steadysocket", &with);
    let added = with.total_gzip() as i64 - without.total_gzip() as i64;
    println!(
        "{:<22} {:>9} {:>9} {:>8} {:>7} {:>9}  (target: at most {TARGET_BYTES})",
        "steadysocket adds",
        with.wasm as i64 - without.wasm as i64,
        with.wasm_gzip as i64 - without.wasm_gzip as i64,
        with.js as i64 - without.js as i64,
        with.js_gzip as i64 - without.js_gzip as i64,
        added,
    );
    let json = format!(
        "{{\"without\":{},\"with\":{},\"added_gzip\":{added},\"target_gzip\":{TARGET_BYTES}}}\n",
        as_json(&without),
        as_json(&with)
    );
    let file = crate::root().join("target/bench/footprint.json");
    std::fs::write(&file, json).map_err(|e| format!("cannot write {}: {e}", file.display()))
}

fn row(name: &str, footprint: &Footprint) {
    println!(
        "{name:<22} {:>9} {:>9} {:>8} {:>7} {:>9}",
        footprint.wasm,
        footprint.wasm_gzip,
        footprint.js,
        footprint.js_gzip,
        footprint.total_gzip()
    );
}

fn as_json(footprint: &Footprint) -> String {
    format!(
        "{{\"wasm\":{},\"wasm_gzip\":{},\"js\":{},\"js_gzip\":{}}}",
        footprint.wasm, footprint.wasm_gzip, footprint.js, footprint.js_gzip
    )
}
