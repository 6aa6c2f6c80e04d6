//! `cargo xtask bench [storm]`: benchmarks, printed as tables and written as
//! JSON under `target/bench/`. Not tests: they measure, they do not pass or fail.

use crate::peer;
use crate::process::{self, command};
use crate::tools;

const BENCHMARKS: [&str; 1] = ["storm"];

pub fn main(args: &[String]) -> Result<(), String> {
    let chosen: Vec<&str> = match args {
        [] => BENCHMARKS.to_vec(),
        names => {
            for name in names {
                if !BENCHMARKS.contains(&name.as_str()) {
                    return Err(format!(
                        "unknown benchmark {name:?}; there is: {BENCHMARKS:?}"
                    ));
                }
            }
            names.iter().map(String::as_str).collect()
        }
    };
    tools::ensure_wasm_toolchain()?;
    let node_options = tools::node_options()?;
    crate::package::build()?;
    peer::build()?;
    for name in chosen {
        if name == "storm" {
            // 1,000 clients in one Node process; the script restarts the server itself.
            process::run(
                command("node")
                    .arg("bench/storm.mjs")
                    .env("NODE_OPTIONS", &node_options)
                    .env("STEADYSOCKET_PEER_BIN", peer::binary()),
            )?;
        }
    }
    Ok(())
}
