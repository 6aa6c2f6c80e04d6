//! The browser places the wasm suites run in: each engine's page, dedicated
//! worker (no `window` or `document`; `online` and `offline` heard on its own
//! global scope) and shared worker (one socket for every tab of a site).
//! Chromium and Firefox are driven by wasm-bindgen-test-runner itself;
//! WebKit through [`WebKitDriver`]. Each place is also checked to be the
//! global scope it names (`tests/global_scope.rs`).

use crate::process::{command, run_capturing};
use crate::summary::parse_result_line;
use crate::webkit::WebKitDriver;
use std::path::Path;

/// A browser engine the suites run in.
#[derive(Clone, Copy)]
enum Engine {
    Chromium,
    Firefox,
    WebKit,
}

/// The global scope a suite runs in.
#[derive(Clone, Copy)]
enum Scope {
    Page,
    DedicatedWorker,
    SharedWorker,
}

impl Scope {
    /// The runner's variable that asks for this scope.
    fn mode_variable(self) -> &'static str {
        match self {
            Scope::Page => "WASM_BINDGEN_USE_BROWSER",
            Scope::DedicatedWorker => "WASM_BINDGEN_USE_DEDICATED_WORKER",
            Scope::SharedWorker => "WASM_BINDGEN_USE_SHARED_WORKER",
        }
    }

    /// The test of `tests/global_scope.rs` that passes only in this scope.
    fn probe(self) -> &'static str {
        match self {
            Scope::Page => "runs_in_a_page",
            Scope::DedicatedWorker => "runs_in_a_dedicated_worker",
            Scope::SharedWorker => "runs_in_a_shared_worker",
        }
    }
}

/// One engine in one scope.
#[derive(Clone, Copy)]
pub struct Place {
    engine: Engine,
    scope: Scope,
}

/// Every place, in the order the summary lists them.
pub const PLACES: [Place; 9] = {
    use Engine::*;
    use Scope::*;
    const fn at(engine: Engine, scope: Scope) -> Place {
        Place { engine, scope }
    }
    [
        at(WebKit, Page),
        at(WebKit, DedicatedWorker),
        at(WebKit, SharedWorker),
        at(Chromium, Page),
        at(Firefox, Page),
        at(Chromium, DedicatedWorker),
        at(Firefox, DedicatedWorker),
        at(Chromium, SharedWorker),
        at(Firefox, SharedWorker),
    ]
};

impl Place {
    /// Whether this is a worker (dedicated or shared) rather than a page.
    pub fn is_worker(self) -> bool {
        !matches!(self.scope, Scope::Page)
    }

    /// As the summary names it: "headless Firefox", "a WebKit shared worker".
    pub fn name(self) -> String {
        let engine = match self.engine {
            Engine::Chromium => "headless Chromium",
            Engine::Firefox => "headless Firefox",
            Engine::WebKit => "WebKit",
        };
        match self.scope {
            Scope::Page => engine.to_owned(),
            Scope::DedicatedWorker => format!("a {engine} worker"),
            Scope::SharedWorker => format!("a {engine} shared worker"),
        }
    }
}

/// The drivers of the three engines.
pub struct Browsers<'a> {
    pub chromedriver: &'a Path,
    pub geckodriver: &'a Path,
    pub webkit: &'a WebKitDriver,
}

impl Browsers<'_> {
    /// Runs the wasm test suite `wasm` in `place` (only the tests whose
    /// names contain `filter`, if given); whether it passed, and its output.
    pub fn run(
        &self,
        place: Place,
        wasm: &Path,
        filter: Option<&str>,
    ) -> Result<(bool, Vec<String>), String> {
        let mode_variable = place.scope.mode_variable();
        let (driver_variable, driver) = match place.engine {
            Engine::WebKit => return self.webkit.run_suite(wasm, mode_variable, filter),
            Engine::Chromium => ("CHROMEDRIVER", self.chromedriver),
            Engine::Firefox => ("GECKODRIVER", self.geckodriver),
        };
        let mut runner = command("wasm-bindgen-test-runner");
        runner
            .arg(wasm)
            .args(filter)
            .env_remove("WASM_BINDGEN_USE_BROWSER")
            .env(mode_variable, "1")
            .env_remove("CHROMEDRIVER")
            .env_remove("GECKODRIVER")
            .env(driver_variable, driver)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "600");
        run_capturing(&mut runner)
    }

    /// Runs the test of `probe_wasm` (`tests/global_scope.rs`) that names
    /// `place`'s scope there: it passes only if exactly that one test ran
    /// and passed.
    pub fn check_scope(
        &self,
        place: Place,
        probe_wasm: &Path,
    ) -> Result<(bool, Vec<String>), String> {
        let (ok, lines) = self.run(place, probe_wasm, Some(place.scope.probe()))?;
        let one_passed = lines
            .iter()
            .any(|line| parse_result_line(line) == Some((1, 0)));
        Ok((ok && one_passed, lines))
    }
}
