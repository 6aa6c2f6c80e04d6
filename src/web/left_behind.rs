//! A platform socket that steadysocket leaves behind (abandoned, failed, or
//! dropped): closed, with its late errors taken by a no-op.

use super::platform::property;
use wasm_bindgen::JsCast;
use web_sys::WebSocket;

/// A JavaScript no-op listener for the errors of a socket being abandoned:
/// `Function.prototype`, which is callable and does nothing (no `eval`, so
/// it works under a strict Content-Security-Policy).
fn swallow_errors() -> js_sys::Function {
    property(&property(&js_sys::global(), "Function"), "prototype").unchecked_into()
}

/// Closes a platform socket that steadysocket is leaving behind (abandoned,
/// failed, or dropped): our listeners are or will be detached, but the closing
/// socket may still report an error, and the `ws` package throws an error
/// event nobody listens to, so a plain JavaScript no-op takes it (not a wasm
/// closure: nothing to free or leak). `close()` does not throw for a
/// connecting or open socket, nor with code 1000.
pub(crate) fn close_left_behind(ws: &WebSocket, code: Option<u16>) {
    let _ = ws.add_event_listener_with_callback("error", &swallow_errors());
    let _ = match code {
        Some(code) => ws.close_with_code(code),
        None => ws.close(),
    };
}
