//! Small conversions between the platform's JavaScript values and ours.

use crate::core::platform_send::copies_at_once;
use crate::core::validation::{websocket_url_resolving, UrlProblem};
use crate::error::Error;
use crate::event::Message;
use js_sys::{ArrayBuffer, JsString, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    /// The platform's `TextEncoder` (browsers, Node).
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    /// What `encodeInto` did.
    type EncodeResult;
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, text: &JsString, into: &Uint8Array) -> EncodeResult;
    #[wasm_bindgen(method, getter)]
    fn read(this: &EncodeResult) -> u32;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeResult) -> u32;

    /// An event with a `data` field, read by shape (Node's message events are
    /// not `instanceof MessageEvent`).
    type DataEvent;
    #[wasm_bindgen(method, getter, structural)]
    fn data(this: &DataEvent) -> JsValue;
}

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
}

/// From this many UTF-16 units on, text is encoded by the platform's
/// `TextEncoder` straight into wasm memory: wasm-bindgen's own conversion
/// walks the string a character at a time in JavaScript first, about 3 ns a
/// character, which made a 16 KiB echo 1.5 times as slow as the raw socket.
const NATIVE_ENCODE_FROM: u32 = 256;

/// The text of a JavaScript string, as a Rust `String`.
fn text_of(text: &JsString) -> Option<String> {
    let units = text.length();
    if units < NATIVE_ENCODE_FROM {
        return text.as_string();
    }
    // Room for all-ASCII text first; the rest, if any, at up to 3 bytes a unit.
    let mut bytes = Vec::with_capacity(units as usize);
    let read = ENCODER.with(|encoder| encode_into(encoder, text, &mut bytes));
    if read < units {
        let rest = text.slice(read, units);
        bytes.reserve((units - read) as usize * 3);
        ENCODER.with(|encoder| encode_into(encoder, &rest, &mut bytes));
    }
    // TextEncoder writes UTF-8 (a lone surrogate becomes U+FFFD), so this
    // check never fails; it is kept rather than trusted unsafely.
    String::from_utf8(bytes).ok()
}

/// Appends as much of `text` as fits in `bytes`' spare capacity, as UTF-8;
/// returns how many UTF-16 units of `text` it took.
fn encode_into(encoder: &TextEncoder, text: &JsString, bytes: &mut Vec<u8>) -> u32 {
    let (length, spare) = (bytes.len(), bytes.capacity() - bytes.len());
    // SAFETY: the view covers the vector's spare capacity and lives for one
    // call that allocates nothing in wasm memory, so the memory cannot grow
    // (which would detach the view) while it is written; `set_len` keeps only
    // the bytes the platform reports written, which fit in that capacity.
    unsafe {
        let view = Uint8Array::view_mut_raw(bytes.as_mut_ptr().add(length), spare);
        let result = encoder.encode_into(text, &view);
        bytes.set_len(length + (result.written() as usize).min(spare));
        result.read()
    }
}

/// The message text of a thrown JavaScript value: its `message` (an
/// `Error` or a `DOMException`), or the value itself if it is a string.
fn exception_message(value: &JsValue) -> String {
    value
        .as_string()
        .or_else(|| property(value, "message").as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// Turns a platform exception into [`Error::Platform`].
pub(crate) fn platform_error(operation: &'static str) -> impl FnOnce(JsValue) -> Error {
    move |value| Error::Platform {
        operation,
        message: exception_message(&value),
    }
}

/// The property `name` of a platform object (`undefined` if it has none,
/// or is not an object), read by name with `Reflect.get`.
///
/// Node's WebSocket events are not instances of the browser's `MessageEvent`
/// and `CloseEvent` classes (Node 20 has no global `CloseEvent`), so events
/// are read by shape, never checked with `instanceof`. Properties read once
/// a connection go this way too: each getter of its own would cost the app
/// an import and its JavaScript glue.
pub(crate) fn property(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Whether the `send` of the platform socket `ws` takes the bytes of a view
/// before it returns, as the WHATWG `send` does: the platform's own
/// (`[native code]`: browsers, Bun, workerd), or a JavaScript one that
/// implements the WHATWG interface, known by its WebIDL brand check (Node's,
/// from undici, and Deno's). Any other `send` may read a view of wasm memory
/// after it returns, when the bytes may have been reused: the `ws`
/// package's does while it compresses (permessage-deflate), whether it was
/// passed as the constructor or put in place of the global `WebSocket`, and
/// so may test doubles and subclasses that override `send`. Should a
/// runtime's text change, its sends are copied first: slower, never wrong.
pub(crate) fn send_copies_at_once(ws: &JsValue) -> bool {
    property(ws, "send")
        .dyn_ref::<js_sys::Function>()
        .is_some_and(|send| copies_at_once(&String::from(send.to_string())))
}

/// The global `name` (`globalThis[name]`), if it is neither `undefined`
/// nor `null`.
pub(crate) fn global_property(name: &str) -> Option<JsValue> {
    // Only wasm32 runs inside JavaScript: on any other target (a server
    // render, a native test) there are no globals, and a call into
    // JavaScript would panic.
    if cfg!(not(target_arch = "wasm32")) {
        return None;
    }
    let value = property(&js_sys::global(), name);
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

/// `globalThis.location.href`, when there is a page location (browsers, not Node).
fn page_location() -> Option<String> {
    property(&global_property("location")?, "href").as_string()
}

/// Validates `input` as a WebSocket URL, resolving a URL that needs a base (a
/// relative one, or an http(s) one without the scheme's `//`) against the
/// page location as browsers do. The core's checks come first, for their
/// more precise messages; then the platform's URL parser, the one the
/// `WebSocket` constructor uses, has the last word, so that no URL is
/// accepted here that every attempt would then fail to open. Returns the
/// URL as that parser writes it (what the platform's `WebSocket.url` gives).
pub(crate) fn resolve_url(input: &str) -> Result<String, Error> {
    let url = websocket_url_resolving(input, || {
        let base = page_location()?;
        web_sys::Url::new_with_base(input, &base)
            .ok()
            .and_then(|url| property(&url, "href").as_string())
    })?;
    // Only wasm32 runs inside JavaScript (see `global_property`).
    if cfg!(not(target_arch = "wasm32")) {
        return Ok(url);
    }
    match web_sys::Url::new(&url) {
        Ok(parsed) => Ok(property(&parsed, "href").as_string().unwrap_or(url)),
        Err(_) => Err(Error::InvalidUrl {
            url: input.to_owned(),
            problem: UrlProblem::Unparsable,
        }),
    }
}

/// The [`Message`] a message event carries in `data` (text, or an
/// `ArrayBuffer` since every socket uses `binaryType = "arraybuffer"`).
pub(crate) fn message_of(event: &web_sys::Event) -> Option<Message> {
    // A getter of our own: `Reflect.get` would cross into JavaScript with a
    // new "data" string for every message.
    let data = event.unchecked_ref::<DataEvent>().data();
    if let Some(text) = data.dyn_ref::<JsString>() {
        return text_of(text).map(Message::Text);
    }
    if !data.is_instance_of::<ArrayBuffer>() {
        return None;
    }
    Some(Message::Binary(Uint8Array::new(&data).to_vec()))
}
