//! The Rust API reads a URL as `WebSocket` does, in every place the suite
//! runs: each input of a grammar of URL parts (tests/js/websocket-url.js,
//! whose oracle and inputs the npm class's scenario uses too) is opened
//! through a `WebSocket` class that connects nothing, and the URL it is
//! handed is what the platform's URL parser makes of the input under
//! `WebSocket`'s rules, or it is refused with [`Error::InvalidUrl`] where
//! `WebSocket` refuses it. Refused on purpose where `WebSocket` takes them:
//! an empty URL, and white space or a control character in the host, which
//! Chromium's parser percent-encodes there (`exa%20mple.com`).

use crate::support::has_location;
use steadysocket::{Error, Socket};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen(module = "/tests/js/websocket-url.js")]
extern "C" {
    #[wasm_bindgen(js_name = websocketUrlCases)]
    fn websocket_url_cases() -> Vec<JsValue>;
    #[wasm_bindgen(js_name = whatWebSocketMakesOf)]
    fn what_websocket_makes_of(input: &str) -> Option<String>;
    #[wasm_bindgen(js_name = whatSteadysocketMakesOf)]
    fn what_steadysocket_makes_of(input: &str) -> Option<String>;
    #[wasm_bindgen(js_name = inertWebSocket)]
    fn inert_websocket() -> js_sys::Function;
}

#[wasm_bindgen_test]
fn every_url_is_read_as_websocket_reads_it_but_those_refused_on_purpose() {
    let cases: Vec<String> = websocket_url_cases()
        .iter()
        .filter_map(JsValue::as_string)
        .collect();
    assert!(cases.len() > 1000, "the grammar gives its inputs");
    let (mut opened, mut refused, mut on_purpose) = (0, 0, 0);
    let mut differences = Vec::new();
    for input in &cases {
        let ours = match Socket::builder(input.as_str())
            .constructor(inert_websocket())
            .connect()
        {
            Ok(socket) => Ok(socket.url().to_owned()),
            Err(Error::InvalidUrl { problem, .. }) => Err(problem.to_string()),
            Err(other) => panic!("{input:?}: {other}"),
        };
        let expected = what_steadysocket_makes_of(input);
        let theirs = what_websocket_makes_of(input);
        match (&ours, &expected) {
            (Ok(url), Some(wanted)) if url == wanted => opened += 1,
            (Err(_), None) => {
                refused += 1;
                on_purpose += usize::from(theirs.is_some());
            }
            _ => differences.push(format!(
                "{input:?}: the Rust API {ours:?}, expected {expected:?} (WebSocket {theirs:?})"
            )),
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} inputs read otherwise:\n{}",
        differences.len(),
        cases.len(),
        differences.join("\n")
    );
    // The grammar reaches both outcomes often, or it proves little.
    assert!(
        opened > 300 && refused > 300,
        "{opened} opened, {refused} refused"
    );
    // A page resolves the empty URL to itself; elsewhere WebSocket refuses it too.
    if has_location() {
        assert!(on_purpose > 0, "the empty URL is refused on purpose");
    }
}
