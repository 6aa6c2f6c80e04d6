//! The npm package's JS tests for `cargo xtask test`: its node:test files
//! (`tests/js/*.test.mjs`), split between the two lanes (lanes.rs); and its
//! scenarios in the other runtimes.

use crate::peer::Ports;
use crate::process::command;
use crate::runtimes::Runtime;
use crate::summary::Summary;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The test files (by name, without `.test.mjs`) that run in the browsers'
/// lane: those that drive Chromium (through playwright-core) or WebKit
/// (whose WebDriver takes one session at a time, and the Rust suites in the
/// same lane use it). The others run in the runtimes' lane: those that need
/// only Node, and Firefox's (a geckodriver of its own), which evens the
/// lanes out (about 1,000 s each, with it; 1,220 and 910 without).
const BROWSER_LANE_FILES: [&str; 7] = [
    "browser",
    "demo",
    "framework-chats",
    "react",
    "unattached",
    "vite",
    "webkit",
];

/// The test files that drive the examples' pages (the framework chats, and
/// the demo that links them): each lane runs them last, once the examples'
/// lane has built the pages.
const EXAMPLE_FILES: [&str; 4] = ["demo", "firefox", "framework-chats", "webkit"];

/// One lane's test files, as paths from the workspace root.
pub struct LaneFiles {
    /// Those that do not need the examples' pages.
    pub first: Vec<String>,
    /// Those that do ([`EXAMPLE_FILES`]).
    pub over_examples: Vec<String>,
}

/// The test files of `tests/js/`: the browsers' lane's, then the others'.
/// Err if a file named in [`BROWSER_LANE_FILES`] or [`EXAMPLE_FILES`] is
/// not there (renamed, it would run in the wrong lane or too early).
pub fn files() -> Result<(LaneFiles, LaneFiles), String> {
    let folder = crate::root().join("tests/js");
    let entries =
        std::fs::read_dir(&folder).map_err(|e| format!("cannot list {}: {e}", folder.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| Some(name.strip_suffix(".test.mjs")?.to_owned()))
        .collect();
    names.sort();
    if let Some(missing) = BROWSER_LANE_FILES
        .iter()
        .chain(&EXAMPLE_FILES)
        .find(|name| !names.iter().any(|n| n == *name))
    {
        return Err(format!(
            "tests/js/{missing}.test.mjs, a test file named in xtask/src/package_tests.rs, is not there"
        ));
    }
    let lane = |in_lane: bool| {
        let (over_examples, first): (Vec<_>, Vec<_>) = names
            .iter()
            .filter(|name| BROWSER_LANE_FILES.contains(&name.as_str()) == in_lane)
            .map(|name| (EXAMPLE_FILES.contains(&name.as_str()), name))
            .partition(|(over_examples, _)| *over_examples);
        let paths = |files: Vec<(bool, &String)>| {
            files
                .into_iter()
                .map(|(_, name)| format!("tests/js/{name}.test.mjs"))
                .collect()
        };
        LaneFiles {
            first: paths(first),
            over_examples: paths(over_examples),
        }
    };
    Ok((lane(true), lane(false)))
}

/// What the test files are told: where the servers, drivers, browsers and
/// built pages are.
pub struct Environment<'a> {
    pub node_options: &'a str,
    pub chromium: &'a Path,
    pub ports: Ports,
    pub workerd: &'a Path,
    pub webkit_driver: &'a str,
    pub gecko_driver: String,
    /// The Node that runs wrangler (the current one needs Node 22.12 or later).
    pub wrangler_node: PathBuf,
}

impl Environment<'_> {
    /// `node --test` of `files`, with everything they are told; among it
    /// `example_pages`, the examples' pages or why there are none (the tests
    /// that need them say so), for the files that drive them.
    pub fn command(&self, files: &[String], example_pages: Option<&Path>) -> Command {
        let mut tests = command("node");
        // --test-force-exit: a failed scenario can leave its socket reconnecting,
        // which would keep its test file's process alive and hang the run
        // instead of counting the failure.
        tests
            .args(["--test", "--test-force-exit", "--test-reporter=tap"])
            .args(files)
            .env("NODE_OPTIONS", self.node_options)
            .env("CHROMIUM_PATH", self.chromium)
            .envs(self.ports.environment())
            .env(
                "STEADYSOCKET_PEER_BIN",
                crate::peer::binary(crate::peer::Profile::Debug),
            )
            .env("STEADYSOCKET_WORKERD", self.workerd)
            .env("STEADYSOCKET_WEBKIT_DRIVER", self.webkit_driver)
            .env("STEADYSOCKET_GECKO_DRIVER", &self.gecko_driver)
            .env(
                "STEADYSOCKET_DEMO",
                format!("http://127.0.0.1:{}/", self.ports.main),
            )
            .env("STEADYSOCKET_WRANGLER_NODE", &self.wrangler_node);
        if let Some(pages) = example_pages {
            tests.env("STEADYSOCKET_EXAMPLES", pages);
        }
        tests
    }
}

/// The package's scenarios (tests/js/runtime-run.mjs) in each of
/// `runtimes` (with the `ws` package's WebSocket too where it has one), in
/// Node with `ws` as the global WebSocket, without WebAssembly, and in
/// workerd.
pub fn scenarios_in_runtimes(
    summary: &mut Summary,
    runtimes: &[(&Runtime, PathBuf)],
    ports: Ports,
    node_options_ws_as_global: &str,
    workerd: &Path,
) -> Result<(), String> {
    for (runtime, binary) in runtimes {
        let constructors: &[(&str, &str)] = if runtime.with_ws {
            &[("global WebSocket", "0"), ("ws package", "1")]
        } else {
            &[("global WebSocket", "0")]
        };
        for (constructor, with_ws) in constructors {
            let mut scenarios = command(&binary.to_string_lossy());
            scenarios
                .args(runtime.script_args)
                .arg("tests/js/runtime-run.mjs")
                .env_remove("NODE_OPTIONS")
                .env("STEADYSOCKET_WITH_WS", with_ws)
                .envs(ports.environment());
            let step = format!("npm package scenarios in {} ({constructor})", runtime.name);
            summary.run_step(&step, &mut scenarios)?;
        }
    }
    // The package's scenarios in Node with `ws` put in place of the global
    // WebSocket (not passed as the option), as the Rust suites ran above.
    let mut ws_as_global = command("node");
    ws_as_global
        .arg("tests/js/runtime-run.mjs")
        .env("NODE_OPTIONS", node_options_ws_as_global)
        .env("STEADYSOCKET_WITH_WS", "0")
        .envs(ports.environment());
    summary.run_step(
        "npm package scenarios in Node with ws as the global WebSocket",
        &mut ws_as_global,
    )?;

    // The no-wasm export where there is no WebAssembly: Node with --jitless,
    // over the `ws` package (Node's own WebSocket parses HTTP in wasm there).
    let mut without_wasm = command(&crate::runtimes::node(26)?.to_string_lossy());
    without_wasm
        .args(["--jitless", "tests/js/runtime-run.mjs"])
        .env_remove("NODE_OPTIONS")
        .env("STEADYSOCKET_ENTRY", "no-wasm.js")
        .env("STEADYSOCKET_NO_WASM", "1")
        .env("STEADYSOCKET_WITH_WS", "1")
        .envs(ports.environment());
    summary.run_step(
        "npm package scenarios without WebAssembly (its no-wasm export, Node 26 --jitless, ws package)",
        &mut without_wasm,
    )?;

    let mut in_workerd = command("node");
    in_workerd
        .arg("tests/js/workerd-run.mjs")
        .env_remove("NODE_OPTIONS")
        .env("STEADYSOCKET_WORKERD", workerd)
        .envs(ports.environment());
    summary.run_step(
        "npm package scenarios in workerd (its workerd export)",
        &mut in_workerd,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_test_file_is_in_one_lane_and_those_over_the_examples_come_last() {
        let (browsers, runtimes) = super::files().unwrap();
        let all =
            |lane: &super::LaneFiles| [lane.first.clone(), lane.over_examples.clone()].concat();
        let (browsers, runtimes) = (all(&browsers), all(&runtimes));
        assert_eq!(browsers.len(), super::BROWSER_LANE_FILES.len());
        assert!(browsers.contains(&"tests/js/webkit.test.mjs".to_owned()));
        for file in ["socket", "firefox"] {
            assert!(
                runtimes.contains(&format!("tests/js/{file}.test.mjs")),
                "{file}"
            );
        }
        assert!(browsers.iter().all(|file| !runtimes.contains(file)));
    }

    #[test]
    fn every_test_file_that_opens_the_examples_pages_runs_after_their_build() {
        let (browsers, runtimes) = super::files().unwrap();
        let first = [browsers.first, runtimes.first].concat();
        let over_examples = [browsers.over_examples, runtimes.over_examples].concat();
        assert_eq!(over_examples.len(), super::EXAMPLE_FILES.len());
        for file in first {
            let text = std::fs::read_to_string(crate::root().join(&file)).unwrap();
            assert!(
                !text.contains("framework-chats.mjs") && !text.contains("-chat/"),
                "{file} opens the examples' pages: name it in EXAMPLE_FILES"
            );
        }
    }
}
