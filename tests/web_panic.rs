//! A panic inside one socket (here in the application's `should_reconnect`)
//! leaves the other sockets of the same page, and new ones, working.
//!
//! In wasm32 a panic aborts the call it happens in (a `RuntimeError:
//! unreachable` thrown to JavaScript) and leaves the rest of the instance as
//! it was. Browsers report such an uncaught error (an `error` event on the
//! page) and go on; Node ends the process on one unless the application
//! listens for `uncaughtException`, so in Node the test listens, as such an
//! application would. Either way the test checks the panic did happen.

#![cfg(target_arch = "wasm32")]

mod support;

use js_sys::{Function, Reflect};
use steadysocket::{Message, ReconnectEvent, ReconnectingSocket};
use support::*;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// Node's `process`, if this is Node.
fn node_process() -> Option<JsValue> {
    let process = Reflect::get(&js_sys::global(), &"process".into()).ok()?;
    (!process.is_undefined() && !has_location()).then_some(process)
}

/// Calls `target[method](event, listener)`: Node's `process.on`/`off` of
/// "uncaughtException", a browser's `add`/`removeEventListener` of "error".
fn uncaught_listener(target: &JsValue, method: &str, event: &str, listener: &Function) {
    let method: Function = Reflect::get(target, &method.into())
        .expect("a listener method")
        .unchecked_into();
    method
        .call2(target, &event.into(), listener)
        .expect("listening for uncaught errors");
}

// A module of its own, not `Function::new`: workerd compiles no code from strings.
#[wasm_bindgen(inline_js = "
export function uncaughtRecorder() {
    return (error) => {
        const seen = globalThis.steadysocketCaught ?? [];
        globalThis.steadysocketCaught = seen.concat(String(error.message ?? error));
    };
}")]
extern "C" {
    /// A listener that records the message of each uncaught error it is
    /// given in the global `steadysocketCaught`.
    #[wasm_bindgen(js_name = uncaughtRecorder)]
    fn uncaught_recorder() -> Function;
}

#[wasm_bindgen_test]
async fn a_panic_in_one_socket_leaves_the_others_working() {
    let caught = uncaught_recorder();
    // Node's process, or the page's global scope.
    let (target, on, off, event) = match node_process() {
        Some(process) => (process, "on", "off", "uncaughtException"),
        None => (
            js_sys::global().into(),
            "addEventListener",
            "removeEventListener",
            "error",
        ),
    };
    uncaught_listener(&target, on, event, &caught);
    let other = ReconnectingSocket::builder(peer_url("/echo"))
        .connect()
        .unwrap();
    let mut other_events = other.events();
    expect_attempt_opens(&mut other_events, 0, false).await;
    // The server closes at once with 4000; deciding on a reconnect panics.
    let panicking = ReconnectingSocket::builder(peer_url("/echo?close=4000"))
        .should_reconnect(|_| panic!("a bug in the application's predicate"))
        .connect()
        .unwrap();
    let mut events = panicking.events();
    expect_attempt_opens(&mut events, 0, false).await;
    sleep(300).await;
    uncaught_listener(&target, off, event, &caught);
    let seen = Reflect::get(&js_sys::global(), &"steadysocketCaught".into()).unwrap();
    let seen = format!("{seen:?}");
    // The trap's message: "unreachable" (Chromium, Firefox, Node),
    // "Unreachable code should not be executed" (WebKit).
    assert!(
        seen.to_lowercase().contains("unreachable"),
        "the panic happened: {seen}"
    );
    other.send(&"still here".into()).unwrap();
    assert_eq!(
        next_update(&mut other_events).await,
        ReconnectEvent::Message(Message::from("still here"))
    );
    let fresh = ReconnectingSocket::builder(peer_url("/echo"))
        .connect()
        .unwrap();
    let mut fresh_events = fresh.events();
    expect_attempt_opens(&mut fresh_events, 0, false).await;
    fresh.send(&"new".into()).unwrap();
    assert_eq!(
        next_update(&mut fresh_events).await,
        ReconnectEvent::Message(Message::from("new"))
    );
    // The socket that panicked stays as the panic left it: borrowed state
    // that dropping would touch again. It is left alone, not dropped.
    std::mem::forget(panicking);
}
