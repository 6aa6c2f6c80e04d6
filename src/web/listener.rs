//! An event listener that is attached on creation and detached on drop.

use std::sync::atomic::{AtomicUsize, Ordering};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::EventTarget;

static LIVE_LISTENERS: AtomicUsize = AtomicUsize::new(0);

/// How many platform event listeners steadysocket has attached and not yet
/// detached, across all sockets.
///
/// Every dropped [`crate::Socket`] detaches its listeners, so after all sockets
/// are dropped this is 0. Tests use it to prove that nothing leaks.
pub fn live_listeners() -> usize {
    LIVE_LISTENERS.load(Ordering::Relaxed)
}

/// One `addEventListener` registration, owned: dropping it calls
/// `removeEventListener` and frees the closure.
pub(crate) struct Listener {
    target: EventTarget,
    kind: &'static str,
    capture: bool,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    /// Attaches `handler` to `target` for events of type `kind`, in the
    /// capture phase if `capture` (an engine that runs a target's capture
    /// listeners first, as WebKit does, calls it before the app's own).
    pub(crate) fn attach(
        target: &EventTarget,
        kind: &'static str,
        capture: bool,
        handler: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
        let function = callback.as_ref().unchecked_ref();
        // addEventListener does not throw for a function argument.
        let _ = target.add_event_listener_with_callback_and_bool(kind, function, capture);
        LIVE_LISTENERS.fetch_add(1, Ordering::Relaxed);
        Listener {
            target: target.clone(),
            kind,
            capture,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        // removeEventListener never throws; ignore the impossible error rather than panic.
        let function = self.callback.as_ref().unchecked_ref();
        let _ = self.target.remove_event_listener_with_callback_and_bool(
            self.kind,
            function,
            self.capture,
        );
        LIVE_LISTENERS.fetch_sub(1, Ordering::Relaxed);
    }
}
