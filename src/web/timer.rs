//! A one-shot `setTimeout` that is cancelled when dropped, and the clock.
//!
//! The global `setTimeout`/`clearTimeout` exist in browsers and in Node (where
//! the handle is an object, not a number, so it is kept as a `JsValue`).

use std::time::Duration;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, milliseconds: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// The longest delay `setTimeout` keeps (about 24.8 days).
const MAX_TIMEOUT_MS: f64 = 2_147_483_647.0;

/// A pending `setTimeout`; dropping it cancels the call and frees the closure.
pub(crate) struct Timer {
    handle: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    /// Calls `callback` once after `delay`.
    pub(crate) fn once(delay: Duration, callback: impl FnOnce() + 'static) -> Timer {
        let callback = Closure::once(callback);
        // Longer delays than setTimeout's 2^31 - 1 ms fire at once in browsers
        // and Node; the driver re-arms a timer that fires before its deadline.
        let milliseconds = (delay.as_secs_f64() * 1000.0).ceil().min(MAX_TIMEOUT_MS);
        let handle = set_timeout(callback.as_ref().unchecked_ref(), milliseconds);
        Timer {
            handle,
            _callback: callback,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.handle);
    }
}

/// The wall clock (`Date.now()`) as time since the Unix epoch. Wall-clock
/// time keeps running while a page is suspended, which is what the heartbeat's
/// late-timer check needs to see.
pub(crate) fn now() -> Duration {
    // Whole milliseconds; `as` saturates (and makes NaN 0) without a panic path.
    Duration::from_millis(js_sys::Date::now() as u64)
}

/// A future that is ready after `delay` (a [`Timer`] that wakes its task);
/// dropping it cancels the timer.
#[cfg(feature = "leptos")]
pub(crate) fn sleep(delay: Duration) -> impl std::future::Future<Output = ()> {
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::task::{Poll, Waker};

    /// Whether the timer fired, or the task to wake when it does.
    enum Slept {
        No(Option<Waker>),
        Yes,
    }
    let slept = Rc::new(RefCell::new(Slept::No(None)));
    let fired = Rc::clone(&slept);
    let timer = Timer::once(delay, move || {
        if let Slept::No(Some(waker)) = fired.replace(Slept::Yes) {
            waker.wake();
        }
    });
    std::future::poll_fn(move |cx| {
        let _keep = &timer;
        let mut slept = slept.borrow_mut();
        match &mut *slept {
            Slept::Yes => Poll::Ready(()),
            Slept::No(waker) => {
                *waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    })
}
