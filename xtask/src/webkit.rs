//! WebKit for the test command: WebKitGTK's WebDriver under Xvfb (Debian's
//! `webkit2gtk-driver` and `xvfb`), which wasm-bindgen-test-runner does not
//! drive. The package's scenarios reach it from node:test
//! (`tests/js/webkit.test.mjs`); a wasm suite is served by the runner without
//! a driver of its own (`NO_HEADLESS`) and opened in WebKit by
//! `tests/js/webkit-wasm.mjs`.

use crate::process::{command, free_port, Background};
use std::path::Path;

/// The browser WebKitGTK's driver starts (named in tests/js/webdriver.mjs too).
const MINI_BROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// WebKit's programs (its WebDriver, and Xvfb to give MiniBrowser a display)
/// and their Debian packages.
pub const PROGRAMS: &[(&str, &str)] = &[
    ("WebKitWebDriver", "webkit2gtk-driver"),
    ("xvfb-run", "xvfb"),
];

/// Installs WebKitWebDriver and Xvfb unless they are there.
pub fn ensure() -> Result<(), String> {
    crate::tools::ensure_system_programs(PROGRAMS)?;
    if Path::new(MINI_BROWSER).exists() {
        Ok(())
    } else {
        Err(format!(
            "{MINI_BROWSER} is missing; reinstall webkit2gtk-driver"
        ))
    }
}

/// A WebKitWebDriver under Xvfb; dropping it stops both.
pub struct WebKitDriver {
    /// Its address, for `STEADYSOCKET_WEBKIT_DRIVER`.
    pub url: String,
    _process: Background,
}

impl WebKitDriver {
    pub fn start() -> Result<WebKitDriver, String> {
        let port = free_port();
        let mut driver = command("xvfb-run");
        driver.args(["-a", "WebKitWebDriver", &format!("--port={port}")]);
        let process = Background::start(&mut driver, port, "WebKitWebDriver")?;
        Ok(WebKitDriver {
            url: format!("http://127.0.0.1:{port}"),
            _process: process,
        })
    }

    /// Runs the wasm test suite `wasm` in WebKit, in the page or in a worker
    /// as the runner's `mode_variable` says, only the tests whose names
    /// contain `filter` if given (see [`crate::served_suite::run_with`]); its
    /// output, as the runner's.
    pub fn run_suite(
        &self,
        wasm: &Path,
        mode_variable: &str,
        filter: Option<&str>,
    ) -> Result<(bool, Vec<String>), String> {
        crate::served_suite::run_with(
            wasm,
            mode_variable,
            filter,
            "webkit-wasm.mjs",
            &[("STEADYSOCKET_WEBKIT_DRIVER", &self.url)],
        )
    }
}
