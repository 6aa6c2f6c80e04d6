//! Network and page awareness in browsers: `online`, `offline` and
//! `visibilitychange`, in a page and in a worker, and `pageshow` from the
//! back/forward cache in a page. Where the platform does
//! not say whether it is online (Node, Bun, Deno, workerd), nothing is
//! attached.

use super::listener::Listener;
use super::platform::{global_property, property};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::EventTarget;

/// What the page reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageSignal {
    Online,
    Offline,
    Visible,
    /// The page was shown again from the back/forward cache.
    Restored,
}

/// `value` as an event target, if it has `addEventListener`.
fn event_target(value: JsValue) -> Option<EventTarget> {
    property(&value, "addEventListener")
        .is_function()
        .then(|| value.unchecked_into())
}

/// `navigator.onLine`, where the platform says whether it is online (a
/// page or a worker; Node, Deno and workerd have a `navigator` without it).
fn navigator_online() -> Option<bool> {
    let online = property(&global_property("navigator")?, "onLine");
    (!online.is_undefined()).then(|| online.is_truthy())
}

/// Whether the platform says the network is down (`navigator.onLine` is false).
pub(crate) fn starts_offline() -> bool {
    navigator_online() == Some(false)
}

/// Attaches the page listeners that exist here; `on_signal` gets each signal.
pub(crate) fn watch(on_signal: impl Fn(PageSignal) + Clone + 'static) -> Vec<Listener> {
    let mut listeners = Vec::new();
    // `online` and `offline` fire on the global scope: the window in a page,
    // the worker's own scope in a worker (which has no `window`).
    if let Some(scope) = navigator_online().and(event_target(js_sys::global().into())) {
        listeners.push(listen(&scope, "online", PageSignal::Online, &on_signal));
        listeners.push(listen(&scope, "offline", PageSignal::Offline, &on_signal));
    }
    if let Some(document) = global_property("document").and_then(event_target) {
        let signal = PageSignal::Visible;
        listeners.push(listen(&document, "visibilitychange", signal, &on_signal));
        if let Some(window) = event_target(js_sys::global().into()) {
            listeners.push(listen(
                &window,
                "pageshow",
                PageSignal::Restored,
                &on_signal,
            ));
        }
    }
    listeners
}

/// One listener that reports `signal` (all four are of one closure type:
/// each type costs the app its own glue). Heard in the capture phase: an
/// engine that runs a target's capture listeners first (WebKit) tells the
/// socket before the app's own `pageshow`, so what the app sends there finds
/// the lost connection already replaced.
fn listen(
    target: &EventTarget,
    name: &'static str,
    signal: PageSignal,
    on_signal: &(impl Fn(PageSignal) + Clone + 'static),
) -> Listener {
    let (on_signal, source) = (on_signal.clone(), target.clone());
    Listener::attach(target, name, true, move |event| {
        let heard = match signal {
            PageSignal::Visible => is_visible(&source),
            PageSignal::Restored => property(&event, "persisted").is_truthy(),
            PageSignal::Online | PageSignal::Offline => true,
        };
        if heard {
            on_signal(signal);
        }
    })
}

/// Whether `document.visibilityState` is `"visible"`.
fn is_visible(document: &EventTarget) -> bool {
    property(document, "visibilityState").as_string().as_deref() == Some("visible")
}
