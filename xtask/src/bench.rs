//! `cargo xtask bench [--node N] [echo] [idle] [startup] [profile] [storm] [soak] [footprint]`: benchmarks, printed as
//! tables and written as JSON under `target/bench/`. Not tests: they measure, they do not pass or fail. The
//! peer server runs as a release build here.

use crate::peer::{self, PeerServer, Ports, Profile};
use crate::process::{self, command};
use crate::tools;

/// `echo`: throughput, latency, size and memory (bench/run.mjs); `idle`:
/// 10,000 open idle sockets in one Node process (bench/idle.mjs); `startup`:
/// import to the first open event (bench/startup.mjs); `profile`: where a
/// Chromium page's main thread spends its time per message (bench/profile.mjs); `storm`:
/// 1,000 clients reconnecting (bench/storm.mjs); `soak`: 200 clients with
/// acknowledged delivery through 5 minutes of faults dealt in rounds (bench/soak.mjs);
/// `footprint`: what steadysocket adds to a Leptos app (xtask/src/footprint.rs).
const BENCHMARKS: [&str; 7] = [
    "echo",
    "idle",
    "startup",
    "profile",
    "storm",
    "soak",
    "footprint",
];

/// The Node script of each benchmark run against a peer server started here.
fn script_against_peer(name: &str) -> Option<&'static str> {
    match name {
        "echo" => Some("bench/run.mjs"),
        "idle" => Some("bench/idle.mjs"),
        "startup" => Some("bench/startup.mjs"),
        "profile" => Some("bench/profile.mjs"),
        "soak" => Some("bench/soak.mjs"),
        _ => None,
    }
}

/// The Node line echo and startup run in (and idle's second run), unless
/// `--node N` names another: 24, an LTS line whose `MessageEvent` and
/// `EventTarget` differ from 20's, where the README's tables were taken.
const DEFAULT_NODE: u32 = 24;

/// `--node N` at the head of `args`, if there, and the rest.
fn node_line(args: &[String]) -> Result<(u32, &[String]), String> {
    match args {
        [flag, major, rest @ ..] if flag == "--node" => {
            let major: u32 = major.parse().map_err(|_| {
                format!("--node takes a Node major version such as 26, not {major:?}")
            })?;
            crate::runtimes::node_runtime(major)
                .map(|_| (major, rest))
                .map_err(|error| format!("--node {major}: {error}"))
        }
        [flag] if flag == "--node" => {
            Err("--node takes a Node major version such as 26".to_owned())
        }
        _ => Ok((DEFAULT_NODE, args)),
    }
}

pub fn main(args: &[String]) -> Result<(), String> {
    let (node_major, args) = node_line(args)?;
    let chosen: Vec<&str> = match args {
        [] => BENCHMARKS.to_vec(),
        names => {
            for name in names {
                if !BENCHMARKS.contains(&name.as_str()) {
                    return Err(format!(
                        "unknown benchmark {name:?}; there are: {BENCHMARKS:?}"
                    ));
                }
            }
            names.iter().map(String::as_str).collect()
        }
    };
    tools::ensure_wasm_toolchain()?;
    if chosen == ["footprint"] {
        return crate::footprint::main();
    }
    tools::ensure_chromium()?;
    tools::ensure_js_test_dependencies()?;
    let node_options = tools::node_options()?;
    crate::package::build()?;
    crate::package::build_bench()?;
    peer::build(Profile::Release)?;
    process::run(
        command("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(crate::root().join("bench")),
    )?;
    let chromium = process::which("chromium").ok_or("chromium is not on PATH")?;
    for name in chosen {
        match script_against_peer(name) {
            Some(script) => {
                // Node 20 (the system's) is past its end of life: echo, startup and
                // profile run in the chosen line only; idle runs in both, soak in the system's.
                let in_chosen_node_only = matches!(name, "echo" | "startup" | "profile");
                if !in_chosen_node_only {
                    run_against_peer(name, script, None, &node_options, &chromium)?;
                }
                if in_chosen_node_only || name == "idle" {
                    let node = crate::runtimes::node(node_major)?;
                    let options = std::env::var("NODE_OPTIONS").unwrap_or_default();
                    let node_dir = node.parent().ok_or("Node's binary has no folder")?;
                    run_against_peer(name, script, Some(node_dir), &options, &chromium)?;
                }
            }
            None if name == "footprint" => crate::footprint::main()?,
            None => {
                // 1,000 clients in one Node process; the script restarts the server itself.
                process::run(
                    command("node")
                        .arg("bench/storm.mjs")
                        .env("NODE_OPTIONS", &node_options)
                        .env("STEADYSOCKET_PEER_BIN", peer::binary(Profile::Release)),
                )?;
            }
        }
    }
    Ok(())
}

/// Runs one Node `script` against a release peer server (and its chaos
/// proxy) started for it, with the `node` in `node_dir` (else the system's).
fn run_against_peer(
    name: &str,
    script: &str,
    node_dir: Option<&std::path::Path>,
    node_options: &str,
    chromium: &std::path::Path,
) -> Result<(), String> {
    let ports = Ports::choose();
    // 10,000 idle sockets come from one address.
    let extra: &[&str] = if name == "idle" {
        &["--max-connections-per-address", "20000"]
    } else {
        &[]
    };
    let server = PeerServer::start(Profile::Release, ports, extra)?;
    // bench/run.mjs pins the server and itself to separate cores.
    let mut node = match node_dir {
        Some(dir) => process::command_preferring("node", dir),
        None => command("node"),
    };
    process::run(
        node.env("BENCH_SERVER_PID", server.pid().to_string())
            .args(["--expose-gc", script])
            .env("NODE_OPTIONS", node_options)
            .env("CHROMIUM_PATH", chromium)
            .env("STEADYSOCKET_PEER", format!("127.0.0.1:{}", ports.main))
            .env("STEADYSOCKET_CHAOS", format!("127.0.0.1:{}", ports.chaos)),
    )
}

#[cfg(test)]
mod tests {
    use super::{node_line, DEFAULT_NODE};

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn the_node_line_is_the_default_unless_named_first() {
        let plain = strings(&["echo"]);
        assert_eq!(node_line(&plain).unwrap(), (DEFAULT_NODE, &plain[..]));
        let bad = strings(&["--node", "twenty-six", "echo"]);
        assert!(node_line(&bad).unwrap_err().contains("not \"twenty-six\""));
        assert!(node_line(&strings(&["--node", "19"]))
            .unwrap_err()
            .contains("no Node 19"));
        assert!(node_line(&strings(&["--node"])).is_err());
        let chosen = strings(&["--node", "26", "echo", "startup"]);
        assert_eq!(node_line(&chosen).unwrap(), (26, &chosen[2..]));
    }
}
