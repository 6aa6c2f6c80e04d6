//! Network and page awareness in browsers: `online`, `offline` and
//! `visibilitychange`. In Node there is no such event target, and nothing is attached.

use super::listener::Listener;
use super::platform::{global_property, property};
use wasm_bindgen::JsCast;
use web_sys::EventTarget;

/// What the page reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageSignal {
    Online,
    Offline,
    Visible,
}

/// An object with `addEventListener`, if the global has one of that name.
fn event_target(name: &str) -> Option<EventTarget> {
    let value = global_property(name)?;
    property(&value, "addEventListener")
        .is_function()
        .then(|| value.unchecked_into())
}

/// Whether the platform says the network is down (`navigator.onLine` is
/// false; Node has a `navigator` without it).
pub(crate) fn starts_offline() -> bool {
    global_property("navigator").is_some_and(|navigator| {
        let online = property(&navigator, "onLine");
        online.is_falsy() && !online.is_undefined()
    })
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
    property(document, "visibilityState").as_string().as_deref() == Some("visible")
}
