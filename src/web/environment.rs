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
        .is_some_and(|online| online == JsValue::FALSE)
}

/// Attaches the page listeners that exist here; `on_signal` gets each signal.
pub(crate) fn watch(on_signal: impl Fn(PageSignal) + Clone + 'static) -> Vec<Listener> {
    let mut listeners = Vec::new();
    if let Some(window) = event_target("window") {
        let online = on_signal.clone();
        listeners.push(Listener::attach(&window, "online", move |_| {
            online(PageSignal::Online)
        }));
        let offline = on_signal.clone();
        listeners.push(Listener::attach(&window, "offline", move |_| {
            offline(PageSignal::Offline)
        }));
    }
    if let Some(document) = event_target("document") {
        let visible_document = document.clone();
        listeners.push(Listener::attach(&document, "visibilitychange", move |_| {
            let state = Reflect::get(&visible_document, &JsValue::from_str("visibilityState"))
                .ok()
                .and_then(|s| s.as_string());
            if state.as_deref() == Some("visible") {
                on_signal(PageSignal::Visible);
            }
        }));
    }
    listeners
}
