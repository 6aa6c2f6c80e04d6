//! `cargo xtask test`: every suite, one summary line.
//!
//! 1. install what is missing;
//! 2. lint (fmt, clippy for host and wasm32), the docs for wasm32 with
//!    warnings as errors, and `cargo package` of the crate;
//! 3. native `cargo test` of the workspace;
//! 4. one wasm build of the Rust suites (`tests/web_api/`, `tests/web_*.rs`) and the npm package;
//! 5. the native driver example (`examples/native_client.rs`, the core over
//!    a blocking native socket) natively; then three lanes side by side
//!    (lanes.rs): the framework examples' build (`examples/`: one build that
//!    runs clippy as it compiles, `lint_while_building.rs`) at the lowest CPU
//!    priority, and, in the browsers' lane and the other runtimes', the Rust suites in WebKit (MiniBrowser under Xvfb), headless Chromium
//!    and Firefox, each in a page, a dedicated worker and a shared worker
//!    (each place first shown to be that scope; the soak in pages only), Node (with its global
//!    WebSocket, and again with the `ws` package's in its place), Node 22,
//!    24 and 26, Bun, Deno and workerd; the package's JS tests (node:test: Node
//!    with the global WebSocket and with `ws`, Chromium through
//!    playwright-core, Firefox and WebKit through their WebDrivers, each in
//!    a page and in a dedicated worker, tsc on
//!    the types, a Vite app, a React app, the package as npm ships it, the
//!    Leptos, Dioxus and Yew chats end to end, the Leptos and Yew chats also
//!    rendered on the server and hydrated: these wait for the examples'
//!    lane), against the peer server; the package's
//!    scenarios again in Node 22, 24 and 26 (global WebSocket; `ws` too in 26), Bun,
//!    Deno and workerd, and in Node with `ws` as the global WebSocket;
//! 6. `N passed, N failed`.

use crate::browser_places::{Browsers, PLACES};
use crate::lanes::Handoff;
use crate::peer::{self, PeerServer, Ports, Profile};
use crate::process::{self, command, command_preferring};
use crate::runtimes::{RUNTIMES, WORKERD};
use crate::summary::Summary;
use crate::tools;
use std::path::PathBuf;
use std::time::Instant;

/// A built wasm test suite.
struct Suite {
    name: String,
    wasm: PathBuf,
}

/// The Rust API's chaos soak, which runs in browser pages but not in workers.
const SOAK_SUITE: &str = "web_soak";

/// The wasm test suites of one build.
struct Suites {
    /// `tests/web_api/` and `tests/web_*.rs`, each run in every place (but
    /// [`SOAK_SUITE`]).
    web: Vec<Suite>,
    /// `tests/global_scope.rs`, each of whose tests passes in one browser scope.
    global_scope: PathBuf,
}

pub fn main(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!(
            "`cargo xtask test` takes no arguments, got {extra:?}"
        ));
    }
    let started = Instant::now();
    // What is downloaded (the browsers' Debian packages in one apt-get run,
    // the JS test dependencies and the runtimes from npm) in the background
    // while the Rust tools compile: downloads wait on the network and the
    // disk, cargo on the CPU (on a fresh machine, minutes off the run).
    let downloads = std::thread::spawn(|| -> Result<(), String> {
        let programs = [
            tools::CHROMIUM_PROGRAMS,
            tools::FIREFOX_PROGRAMS,
            crate::webkit::PROGRAMS,
        ]
        .concat();
        tools::ensure_system_programs(&programs)?;
        tools::ensure_js_test_dependencies()?;
        RUNTIMES
            .iter()
            .chain([&WORKERD])
            .try_for_each(|runtime| runtime.ensure().map(drop))
    });
    let compiled = tools::ensure_wasm_toolchain().and_then(|()| tools::ensure_geckodriver());
    downloads
        .join()
        .map_err(|_| "the downloads' thread panicked".to_owned())??;
    compiled?;
    let chromedriver = tools::ensure_chromium()?;
    let geckodriver = tools::ensure_firefox()?;
    crate::webkit::ensure()?;
    let runtimes = RUNTIMES
        .iter()
        .map(|runtime| Ok((runtime, runtime.ensure()?)))
        .collect::<Result<Vec<_>, String>>()?;
    let workerd = WORKERD.ensure()?;
    let launchers = crate::root().join("target/tools/launchers");
    let rust_runtimes = runtimes
        .iter()
        .filter_map(|(runtime, binary)| {
            let rust_suites = runtime.rust_suites.as_ref()?;
            Some(
                rust_suites
                    .launcher(runtime, binary, &launchers)
                    .map(|launcher| (runtime, rust_suites, launcher)),
            )
        })
        .collect::<Result<Vec<_>, String>>()?;
    let node_options = tools::node_options()?;
    let chromium = crate::process::which("chromium").ok_or("chromium is not on PATH")?;
    // Node with the `ws` package's WebSocket put in place of the global one
    // (tests/js/ws-as-global.cjs), as apps on Node 20 and older do.
    let node_options_ws_as_global = format!(
        "{node_options} --require \"{}\"",
        crate::root().join("tests/js/ws-as-global.cjs").display()
    );
    let mut summary = Summary::default();

    summary.add_check(
        "cargo fmt --check",
        process::run(command("cargo").args(["fmt", "--all", "--", "--check"])),
    );
    summary.add_check(
        "cargo fmt --check (examples)",
        process::run(command("cargo").args([
            "fmt",
            "--manifest-path",
            "examples/Cargo.toml",
            "--all",
            "--",
            "--check",
        ])),
    );
    summary.add_check(
        "clippy (host)",
        process::run(command("cargo").args([
            "clippy",
            "--quiet",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ])),
    );
    summary.add_check(
        "clippy (wasm32)",
        process::run(command("cargo").args([
            "clippy",
            "--quiet",
            "-p",
            "steadysocket",
            "-p",
            "steadysocket-bench",
            // Every target but the examples: the one there is a native
            // driver (examples/native_client.rs), linted by the host's clippy.
            "--lib",
            "--bins",
            "--tests",
            "--benches",
            "--all-features",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ])),
    );

    summary.add_check(
        "clippy (wasm32, the npm package's no_std core)",
        process::run(command("cargo").args([
            "clippy",
            "--quiet",
            "-p",
            "steadysocket",
            "--lib",
            "--no-default-features",
            "--features",
            "npm",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ])),
    );

    summary.add_check(
        "examples/Cargo.lock resolves the crate's wasm-bindgen",
        crate::examples::check_wasm_bindgen(),
    );
    summary.add_check(
        "the examples' shared crates' unit tests (native)",
        crate::examples::unit_tests(),
    );

    summary.add_check(
        "cargo doc (wasm32, as docs.rs builds it; broken links fail)",
        process::run(
            command("cargo")
                .args([
                    "doc",
                    "--quiet",
                    "--no-deps",
                    "-p",
                    "steadysocket",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--features",
                    "web,postcard,leptos",
                ])
                .env("RUSTDOCFLAGS", "-D warnings"),
        ),
    );
    summary.add_check(
        "cargo package -p steadysocket",
        process::run(command("cargo").args([
            "package",
            "--quiet",
            "-p",
            "steadysocket",
            "--allow-dirty",
        ])),
    );

    summary.run_step(
        "native cargo test",
        command("cargo").args(["test", "--workspace", "--all-features"]),
    )?;

    peer::build(Profile::Debug)?;
    let ports = Ports::choose();
    let suites = build_suites(ports)?;
    summary.add_check("npm package build", crate::package::build());

    // Serving the demo page too, with the chats beside it once they are
    // built (in a lane of their own, below), for its end-to-end test.
    let pages_dir = crate::root().join(crate::examples::PAGES_DIR);
    let pages_dir = pages_dir.to_string_lossy();
    let serving = [
        "--www",
        "www",
        "--pkg",
        crate::package::PACKAGE_DIR,
        "--examples",
        &pages_dir,
    ];
    let server = PeerServer::start(Profile::Debug, ports, &serving)?;
    summary.run_step(
        "the native driver example against the peer server",
        command("cargo")
            .args([
                "test",
                "--quiet",
                "--test",
                "native_client",
                "--",
                "--ignored",
            ])
            .envs(ports.environment()),
    )?;
    let webkit = crate::webkit::WebKitDriver::start()?;
    // Firefox for the package's scenarios, through geckodriver (the wasm
    // suites' runner starts its own).
    let gecko_port = process::free_port();
    let mut gecko = command(&geckodriver.to_string_lossy());
    gecko.arg(format!("--port={gecko_port}"));
    let gecko_driver = process::Background::start(&mut gecko, gecko_port, "geckodriver")?;
    let browsers = Browsers {
        chromedriver: &chromedriver,
        geckodriver: &geckodriver,
        webkit: &webkit,
    };
    let (browser_lane_files, runtime_lane_files) = crate::package_tests::files()?;
    let package_tests = crate::package_tests::Environment {
        node_options: &node_options,
        chromium: &chromium,
        ports,
        workerd: &workerd,
        webkit_driver: &webkit.url,
        gecko_driver: format!("http://127.0.0.1:{gecko_port}"),
        wrangler_node: crate::runtimes::node(26)?,
    };
    // The examples' pages, or why there are none: built in the third lane
    // below, which the others wait for only where their tests need the pages.
    let example_pages: Handoff<Result<PathBuf, String>> = Handoff::new();
    let built_pages = || -> PathBuf {
        example_pages
            .wait("the examples' pages")
            .unwrap_or_else(|_| "the examples did not build".into())
    };
    // Three lanes side by side (lanes.rs): what runs in the browsers, what
    // runs in the other runtimes (with the package's tests in Firefox, which
    // evens the lanes out: package_tests.rs), and the examples' build, at the
    // lowest CPU priority, on what CPU the suites leave while they wait on
    // timers and reconnects. Each keeps its order; the peer server tells the
    // tests of the first two apart by tag.
    let browser_lane = |summary: &mut Summary| -> Result<(), String> {
        // Each place is the global scope it names, or its runs below prove nothing.
        for place in PLACES {
            let (ok, lines) = browsers.check_scope(place, &suites.global_scope)?;
            summary.add_step(&format!("global_scope in {}", place.name()), ok, &lines);
        }
        for suite in &suites.web {
            for place in PLACES {
                // The chaos soak (10 s a place) runs in each engine's page: a
                // worker has the same platform socket, and where its scope
                // differs (no window or document, its own online and offline)
                // the other suites run there.
                if suite.name == SOAK_SUITE && place.is_worker() {
                    continue;
                }
                let (ok, lines) = browsers.run(place, &suite.wasm, None)?;
                summary.add_step(&format!("{} in {}", suite.name, place.name()), ok, &lines);
            }
        }
        summary.run_step(
            "npm package in Chromium (the scenarios, Vite, React, a page with no DevTools attached)",
            &mut package_tests.command(&browser_lane_files.first, None),
        )?;
        summary.run_step(
            "npm package in Chromium and WebKit over the examples' pages (the demo, the framework chats; WebKit's scenarios too)",
            &mut package_tests.command(&browser_lane_files.over_examples, Some(&built_pages())),
        )
    };
    let runtime_lane = |summary: &mut Summary| -> Result<(), String> {
        for suite in &suites.web {
            let mut node = runner(&suite.wasm);
            node.env_remove("WASM_BINDGEN_USE_BROWSER")
                .env("NODE_OPTIONS", &node_options);
            summary.run_step(&format!("{} in Node", suite.name), &mut node)?;

            // Again with the `ws` package's WebSocket as the global one, as apps
            // on Node 20 and older put it there (and an echo that negotiates
            // permessage-deflate, under which `ws` reads a sent buffer late).
            let mut with_ws = runner(&suite.wasm);
            with_ws
                .env_remove("WASM_BINDGEN_USE_BROWSER")
                .env("NODE_OPTIONS", &node_options_ws_as_global);
            summary.run_step(
                &format!("{} in Node with ws as the global WebSocket", suite.name),
                &mut with_ws,
            )?;

            // And in Node 22, 24 and 26, Bun and Deno, with their global WebSocket (no flag).
            for (runtime, rust_suites, launcher) in &rust_runtimes {
                let mut other = command_preferring("wasm-bindgen-test-runner", launcher);
                other
                    .arg(&suite.wasm)
                    .env_remove("WASM_BINDGEN_USE_BROWSER")
                    .env_remove("NODE_OPTIONS");
                if let Some(variable) = rust_suites.mode_variable {
                    other.env(variable, "1");
                }
                summary.run_step(&format!("{} in {}", suite.name, runtime.name), &mut other)?;
            }

            // And in workerd, which the runner cannot start (served_suite.rs).
            let (ok, lines) = crate::served_suite::run_with(
                &suite.wasm,
                "WASM_BINDGEN_USE_BROWSER",
                None,
                "rust-suite-in-workerd.mjs",
                &[("STEADYSOCKET_WORKERD", &workerd.to_string_lossy())],
            )?;
            summary.add_step(&format!("{} in workerd", suite.name), ok, &lines);
        }
        summary.run_step(
            "npm package in Node (the scenarios, tsc, wrangler and workerd, the package as npm ships it)",
            &mut package_tests.command(&runtime_lane_files.first, None),
        )?;
        crate::package_tests::scenarios_in_runtimes(
            summary,
            &runtimes,
            ports,
            &node_options_ws_as_global,
            &workerd,
        )?;
        summary.run_step(
            "npm package in Firefox (the scenarios, the CSP page, React, the framework chats)",
            &mut package_tests.command(&runtime_lane_files.over_examples, Some(&built_pages())),
        )
    };
    let examples_lane = |summary: &mut Summary| -> Result<(), String> {
        let build = crate::examples::Build {
            linting: crate::examples::Linting::WarningsAreErrors,
            priority: crate::examples::Priority::Background,
        };
        let pages = example_pages.give_from(
            || crate::examples::build(build),
            Err("the examples' build panicked".to_owned()),
        );
        summary.add_check(
            "examples build with clippy (Leptos, Dioxus, Yew; wasm32, and the server renders natively)",
            pages.map(drop),
        );
        summary.add_check(
            "examples build with clippy: the Leptos chat over leptos-use (the footprint bench's comparison)",
            crate::examples::build_leptos_use_variant(build),
        );
        Ok(())
    };
    let lanes_ran = crate::lanes::run(
        &mut summary,
        vec![
            ("browsers", Box::new(browser_lane)),
            ("runtimes", Box::new(runtime_lane)),
            ("examples", Box::new(examples_lane)),
        ],
    );
    // Stopped here, not at the end: `process::exit` below runs no destructor,
    // and a failed run would leave the drivers (and Xvfb) running.
    drop(gecko_driver);
    drop(webkit);
    lanes_ran?;
    // Likewise stopped before the exit.
    drop(server);

    println!();
    println!(
        "xtask: finished in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    println!("xtask: the slowest steps:");
    for line in summary.slowest_steps(8) {
        println!("xtask: {line}");
    }
    for step in &summary.failed_steps {
        println!("xtask: FAILED step: {step}");
    }
    println!("{} passed, {} failed", summary.passed, summary.failed);
    if !summary.succeeded() {
        std::process::exit(1);
    }
    Ok(())
}

fn runner(wasm: &PathBuf) -> std::process::Command {
    let mut runner = command("wasm-bindgen-test-runner");
    runner.arg(wasm);
    runner
}

/// Builds every Rust suite (`tests/web_api/`, `tests/web_*.rs`) and `tests/global_scope.rs` for
/// wasm32 once, pointing them at `ports`.
fn build_suites(ports: Ports) -> Result<Suites, String> {
    let mut build = command("cargo");
    build
        .args([
            "test",
            "-p",
            "steadysocket",
            "--target",
            "wasm32-unknown-unknown",
            "--tests",
            "--all-features",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .envs(ports.environment())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit());
    println!("$ cargo test --target wasm32-unknown-unknown --tests --all-features --no-run");
    let output = build
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the wasm32 build of the test suites failed ({}); its messages are above",
            output.status
        ));
    }
    let built: Vec<Suite> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| line.contains("\"reason\":\"compiler-artifact\""))
        .filter_map(|line| {
            Some(Suite {
                name: json_string(line, "name")?.to_owned(),
                wasm: PathBuf::from(json_string(line, "executable")?),
            })
        })
        .collect();
    let global_scope = built
        .iter()
        .find(|suite| suite.name == "global_scope")
        .map(|suite| suite.wasm.clone())
        .ok_or("the wasm32 build produced no tests/global_scope.rs")?;
    let web: Vec<Suite> = built
        .into_iter()
        .filter(|suite| suite.name.starts_with("web_"))
        .collect();
    if web.is_empty() {
        return Err(
            "the wasm32 build produced no web_* suite (tests/web_api/, tests/web_*.rs)".to_owned(),
        );
    }
    Ok(Suites { web, global_scope })
}

/// The first string value of `"key":"…"` in a line of cargo's JSON output.
fn json_string<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let start = line.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let end = line[start..].find('"')? + start;
    Some(&line[start..end])
}

#[cfg(test)]
mod tests {
    use super::json_string;

    #[test]
    fn reads_name_and_executable_from_cargo_json() {
        let line = r#"{"reason":"compiler-artifact","target":{"kind":["test"],"name":"web_api","src_path":"/x"},"executable":"/t/web_api-1.wasm","fresh":true}"#;
        assert_eq!(json_string(line, "name"), Some("web_api"));
        assert_eq!(json_string(line, "executable"), Some("/t/web_api-1.wasm"));
        assert_eq!(json_string(r#"{"executable":null}"#, "executable"), None);
    }
}
