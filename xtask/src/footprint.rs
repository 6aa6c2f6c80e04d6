//! `cargo xtask bench footprint`: what steadysocket adds to a Leptos app. The
//! Leptos chat (`examples/leptos-chat`) is built in release three times: over
//! steadysocket with typed JSON channels, over a local room that stands in
//! for a socket (the same page otherwise), and over leptos-use's
//! `use_websocket` with codee's serde JSON codec (the usual alternative);
//! each through wasm-bindgen, wasm-opt -Oz and gzip -9. The differences from
//! the local room are what each costs the app.

use crate::examples::{self, Footprint, Room};

/// The target for what steadysocket adds, gzip -9.
const TARGET_BYTES: u64 = 20 * 1024;

pub fn main() -> Result<(), String> {
    examples::check_wasm_bindgen()?;
    let without = examples::footprint(Room::Local)?;
    let with = examples::footprint(Room::Steadysocket)?;
    let leptos_use = examples::footprint(Room::LeptosUse)?;
    println!();
    println!("footprint of examples/leptos-chat (release, wasm-opt -Oz; bytes, gzip -9)");
    println!(
        "{:<26} {:>9} {:>9} {:>8} {:>7} {:>9}",
        "", "wasm", "wasm gz", "js", "js gz", "total gz"
    );
    row("without a socket", &without);
    row("with steadysocket", &with);
    row("with leptos-use", &leptos_use);
    let added = difference("steadysocket adds", &with, &without);
    println!("{:<26} (target: at most {TARGET_BYTES})", "");
    let leptos_use_adds = difference("leptos-use adds", &leptos_use, &without);
    println!(
        "steadysocket adds {added} B gzip, leptos-use's use_websocket {leptos_use_adds} B: {} B {}",
        added.abs_diff(leptos_use_adds),
        if added <= leptos_use_adds {
            "less"
        } else {
            "more"
        }
    );
    let json = format!(
        "{{\"without\":{},\"with\":{},\"leptos_use\":{},\"added_gzip\":{added},\"leptos_use_added_gzip\":{leptos_use_adds},\"target_gzip\":{TARGET_BYTES}}}\n",
        as_json(&without),
        as_json(&with),
        as_json(&leptos_use)
    );
    let file = crate::root().join("target/bench/footprint.json");
    std::fs::write(&file, json).map_err(|e| format!("cannot write {}: {e}", file.display()))
}

fn row(name: &str, footprint: &Footprint) {
    println!(
        "{name:<26} {:>9} {:>9} {:>8} {:>7} {:>9}",
        footprint.wasm,
        footprint.wasm_gzip,
        footprint.js,
        footprint.js_gzip,
        footprint.total_gzip()
    );
}

/// Prints the row of what `with` adds to `without`; returns the total, gzip.
fn difference(name: &str, with: &Footprint, without: &Footprint) -> i64 {
    let minus = |a: u64, b: u64| a as i64 - b as i64;
    let added = minus(with.total_gzip(), without.total_gzip());
    println!(
        "{name:<26} {:>9} {:>9} {:>8} {:>7} {:>9}",
        minus(with.wasm, without.wasm),
        minus(with.wasm_gzip, without.wasm_gzip),
        minus(with.js, without.js),
        minus(with.js_gzip, without.js_gzip),
        added,
    );
    added
}

fn as_json(footprint: &Footprint) -> String {
    format!(
        "{{\"wasm\":{},\"wasm_gzip\":{},\"js\":{},\"js_gzip\":{}}}",
        footprint.wasm, footprint.wasm_gzip, footprint.js, footprint.js_gzip
    )
}
