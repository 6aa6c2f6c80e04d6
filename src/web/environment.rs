//! Network and page awareness in browsers: `online`, `offline` and
//! `visibilitychange`. In Node there is no such event target, and nothing is attached.

use super::listener::Listener;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::EventTarget;

/// What the page reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageSignal {
    Online,
    Offline,
    Visible,
}

fn global_property(name: &str) -> Option<JsValue> {
    let value = Reflect::get(&js_sys::global(), &JsValue::from_str(name)).ok()?;
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

/// An object with `addEventListener`, if the global has one of that name.
fn event_target(name: &str) -> Option<EventTarget> {
    let value = global_property(name)?;
    let add = Reflect::get(&value, &JsValue::from_str("addEventListener")).ok()?;
    add.is_function().then(|| value.unchecked_into())
}

/// Whether the platform says the network is down (`navigator.onLine === false`).
pub(crate) fn starts_offline() -> bool {
    global_property("navigator")
        .and_then(|navigator| Reflect::get(&navigator, &JsValue::from_str("onLine")).ok())
        .is_some_and(|online| online.is_falsy() && !online.is_undefined() && !online.is_null())
}

/// Attaches the page listeners that exist here; `on_signal` gets each signal.
pub(crate) fn watch(on_signal: impl Fn(PageSignal) + Clone + 'static) -> Vec<Listener> {
    let mut listeners = Vec::new();
    if let Some(window) = event_target("window") {
        listeners.push(listen(&window, "online", PageSignal::Online, &on_signal));
        listeners.push(listen(&window, "offline", PageSignal::Offline, &on_signal));
    }
    if let Some(document) = event_target("document") {
        let signal = PageSignal::Visible;
        listeners.push(listen(&document, "visibilitychange", signal, &on_signal));
    }
    listeners
}

/// One listener that reports `signal` (all three are of one closure type:
/// each type costs the app its own glue).
fn listen(
    target: &EventTarget,
    name: &'static str,
    signal: PageSignal,
    on_signal: &(impl Fn(PageSignal) + Clone + 'static),
) -> Listener {
    let (on_signal, source) = (on_signal.clone(), target.clone());
    Listener::attach(target, name, move |_| {
        if signal != PageSignal::Visible || is_visible(&source) {
            on_signal(signal);
        }
    })
}

/// Whether `document.visibilityState` is `"visible"`.
fn is_visible(document: &EventTarget) -> bool {
    Reflect::get(document, &JsValue::from_str("visibilityState"))
        .ok()
        .and_then(|state| state.as_string())
        .as_deref()
        == Some("visible")
}
