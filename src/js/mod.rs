//! The JavaScript face exported with wasm-bindgen: a reconnecting socket with
//! `on…` handlers.
//!
//! The WebSocket-compatible `EventTarget` class of the npm package is built
//! around this class.

mod options;

use crate::core::machine::{Notice, State};
use crate::core::ready_state::ReadyState;
use crate::error::Error;
use crate::event::Message;
use crate::web::{Delivery, ReconnectEvent, ReconnectingSocket};
use js_sys::{Function, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The event types, in the order of [`Handlers`]' slots.
const KINDS: [&str; 9] = [
    "open",
    "message",
    "error",
    "close",
    "connecting",
    "reconnecting",
    "giveup",
    "attemptfailed",
    "dropped",
];

/// One handler slot per event type of [`KINDS`].
type Handlers = Rc<RefCell<[Option<Function>; KINDS.len()]>>;

/// A WebSocket client that reconnects with jittered backoff, with validated
/// input and exact state tracking.
#[wasm_bindgen(js_name = SteadySocket)]
pub struct JsSocket {
    socket: ReconnectingSocket,
    handlers: Handlers,
}

fn js_error(error: impl ToString) -> JsError {
    JsError::new(&error.to_string())
}

#[wasm_bindgen(js_class = SteadySocket)]
impl JsSocket {
    /// Connects to `url`, offering `protocols` (most preferred first), with
    /// reconnect `options`: minDelay, maxDelay, factor, jitter, maxRetries,
    /// connectTimeout, minUptime (milliseconds), maxQueuedMessages,
    /// maxQueuedBytes, overflow ("reject" | "drop-oldest"), seed.
    ///
    /// `url` may be a function returning the URL (or a promise of it) before
    /// every attempt; `protocols` a string, an array, or such a function.
    /// `options.WebSocket` replaces the global constructor; `options.shouldReconnect`
    /// decides after each close.
    ///
    /// `watcher`, if given, is called with `(platformSocket or null,
    /// sendable)` whenever the current platform socket changes or may or may
    /// no longer be sent on directly; messages are then not reported here:
    /// the watcher listens to the platform socket itself and reports
    /// heartbeat replies with `heartbeatReply()`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        url: JsValue,
        protocols: JsValue,
        options: JsValue,
        watcher: Option<Function>,
    ) -> Result<JsSocket, JsError> {
        let mut builder = options::builder_for(&url).map_err(js_error)?;
        if let Some(watcher) = watcher {
            builder = builder.watch_platform(watcher);
        }
        let builder = options::apply_protocols(&protocols, builder).map_err(js_error)?;
        let socket = options::apply(&options, builder)
            .map_err(js_error)?
            .connect()
            .map_err(js_error)?;
        let handlers = Handlers::default();
        let mut events = socket.events();
        let dispatch_to = handlers.clone();
        wasm_bindgen_futures::spawn_local(async move {
            while let Some(event) = events.next_event().await {
                dispatch(&dispatch_to, event);
            }
        });
        Ok(JsSocket { socket, handlers })
    }

    /// 0 CONNECTING (also while waiting to reconnect), 1 OPEN, 2 CLOSING, 3 CLOSED (for good).
    #[wasm_bindgen(getter = readyState)]
    pub fn ready_state(&self) -> u16 {
        self.socket.ready_state().as_platform()
    }

    /// `{ type, attempt?, delay? }`: "connecting", "open", "closing", "waiting", "offline" or "closed".
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> JsValue {
        let (kind, attempt, delay) = match self.socket.state() {
            State::Connecting { attempt } => ("connecting", Some(attempt), None),
            State::Open => ("open", None, None),
            State::Closing => ("closing", None, None),
            State::Waiting { attempt, delay } => ("waiting", Some(attempt), Some(delay)),
            State::Offline { attempt } => ("offline", Some(attempt), None),
            State::Closed => ("closed", None, None),
        };
        let mut fields = vec![("type", JsValue::from_str(kind))];
        if let Some(attempt) = attempt {
            fields.push(("attempt", attempt.into()));
        }
        if let Some(delay) = delay {
            fields.push(("delay", (delay.as_secs_f64() * 1000.0).into()));
        }
        object(&fields).into()
    }

    /// The subprotocol the server chose, or `""`.
    #[wasm_bindgen(getter)]
    pub fn protocol(&self) -> String {
        self.socket.protocol().unwrap_or_default()
    }

    /// The extensions the server accepted on the current connection, or `""`.
    #[wasm_bindgen(getter)]
    pub fn extensions(&self) -> String {
        self.socket.extensions()
    }

    /// Bytes not yet transmitted, including queued messages.
    #[wasm_bindgen(getter = bufferedAmount)]
    pub fn buffered_amount(&self) -> f64 {
        self.socket.buffered_amount() as f64
    }

    /// Messages queued while not open.
    #[wasm_bindgen(getter = queuedMessages)]
    pub fn queued_messages(&self) -> usize {
        self.socket.queued_messages()
    }

    /// Sends a string, an `ArrayBuffer` or a typed array view: returns "sent"
    /// or "queued"; throws if the queue is full or the socket is closed for good.
    pub fn send(&self, data: JsValue) -> Result<String, JsError> {
        let bytes = bytes_of(&data);
        let size = match (&bytes, data.dyn_ref::<js_sys::JsString>()) {
            (Some(bytes), _) => bytes.length() as usize,
            // UTF-8 takes at least a byte for each UTF-16 unit.
            (None, Some(text)) => text.length() as usize,
            (None, None) => {
                return Err(js_error(
                    "send() takes a string, an ArrayBuffer or a typed array view",
                ))
            }
        };
        // What the queue could never hold is refused before it is copied in.
        let limits = self.socket.queue_limits();
        // CONNECTING here means waiting for a connection: sends are queued.
        let would_queue = self.socket.ready_state() == ReadyState::Connecting;
        if would_queue && size > limits.max_bytes {
            return Err(js_error(Error::QueueFull {
                max_messages: limits.max_messages,
                max_bytes: limits.max_bytes,
            }));
        }
        let message = match (bytes, data.as_string()) {
            (Some(bytes), _) => Message::Binary(bytes.to_vec()),
            (None, text) => Message::Text(text.unwrap_or_default()),
        };
        match self.socket.send(&message).map_err(js_error)? {
            Delivery::Sent => Ok("sent".into()),
            Delivery::Queued => Ok("queued".into()),
        }
    }

    /// Closes for good with `code` (1000 or 3000–4999; default 1000) and
    /// `reason` (at most 123 UTF-8 bytes).
    pub fn close(&self, code: Option<u16>, reason: Option<String>) -> Result<(), JsError> {
        self.socket
            .close(code.unwrap_or(1000), reason.as_deref().unwrap_or(""))
            .map_err(js_error)
    }

    /// The heartbeat reply arrived (called by a watcher, which sees the messages).
    #[wasm_bindgen(js_name = heartbeatReply)]
    pub fn heartbeat_reply(&self) {
        self.socket.heartbeat_reply();
    }

    /// The server acknowledged `key` (called by a watcher, which sees the
    /// messages), with the `acknowledge` option.
    pub fn acknowledged(&self, key: JsValue) {
        if let Some(key) = options::key_text(&key) {
            self.socket.acknowledged(key);
        }
    }

    /// Messages sent and not yet acknowledged, with the `acknowledge` option.
    #[wasm_bindgen(getter = unconfirmedMessages)]
    pub fn unconfirmed_messages(&self) -> usize {
        self.socket.unconfirmed_messages()
    }

    /// Reconnects now, from any state, with the backoff started over.
    pub fn reconnect(&self) {
        self.socket.reconnect();
    }

    /// Sets the handler for an event type: "open", "message", "error", "close",
    /// "connecting", "reconnecting", "giveup", "attemptfailed", "dropped".
    /// `null` removes it.
    pub fn on(&self, kind: &str, handler: Option<Function>) -> Result<(), JsError> {
        let slot = KINDS.iter().position(|k| *k == kind).ok_or_else(|| {
            js_error(format!(
                "unknown event type \"{kind}\"; use one of {}",
                KINDS.join(", ")
            ))
        })?;
        self.handlers.borrow_mut()[slot] = handler;
        Ok(())
    }
}

/// The bytes of an `ArrayBuffer`, or those a view covers (a `Uint16Array`'s
/// bytes, not its numbers; a `DataView`'s too).
fn bytes_of(data: &JsValue) -> Option<Uint8Array> {
    if data.is_instance_of::<js_sys::ArrayBuffer>() {
        return Some(Uint8Array::new(data));
    }
    if !js_sys::ArrayBuffer::is_view(data) {
        return None;
    }
    let field = |name: &str| Reflect::get(data, &name.into()).ok();
    let buffer = field("buffer")?;
    let offset = field("byteOffset")?.as_f64()? as u32;
    let length = field("byteLength")?.as_f64()? as u32;
    Some(Uint8Array::new_with_byte_offset_and_length(
        &buffer, offset, length,
    ))
}

/// How many platform event listeners are attached now, across all sockets.
#[wasm_bindgen(js_name = liveListeners)]
pub fn live_listeners() -> usize {
    crate::web::live_listeners()
}

fn object(fields: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (name, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object
}

fn message_data(message: &Message) -> JsValue {
    match message {
        Message::Text(text) => JsValue::from_str(text),
        Message::Binary(bytes) => Uint8Array::from(bytes.as_slice()).buffer().into(),
    }
}

fn dispatch(handlers: &Handlers, event: ReconnectEvent) {
    let (kind, fields): (&str, Vec<(&str, JsValue)>) = match &event {
        ReconnectEvent::Message(message) => ("message", vec![("data", message_data(message))]),
        ReconnectEvent::Lifecycle(notice) => match notice {
            Notice::Connecting { attempt } => ("connecting", vec![("attempt", (*attempt).into())]),
            Notice::Open {
                protocol,
                reconnected,
            } => (
                "open",
                vec![
                    ("protocol", protocol.as_deref().unwrap_or("").into()),
                    ("reconnected", (*reconnected).into()),
                ],
            ),
            Notice::Error => ("error", vec![]),
            Notice::AttemptFailed { reason } => {
                ("attemptfailed", vec![("reason", reason.as_str().into())])
            }
            Notice::Closed { close, will_retry } => (
                "close",
                vec![
                    ("code", close.code.into()),
                    ("reason", close.reason.as_str().into()),
                    ("wasClean", close.was_clean.into()),
                    ("willRetry", (*will_retry).into()),
                ],
            ),
            Notice::Reconnecting { attempt, delay } => (
                "reconnecting",
                vec![
                    ("attempt", (*attempt).into()),
                    ("delay", (delay.as_secs_f64() * 1000.0).into()),
                ],
            ),
            Notice::GaveUp { attempts } => ("giveup", vec![("attempts", (*attempts).into())]),
            Notice::Dropped(message) => ("dropped", vec![("data", message_data(message))]),
        },
    };
    let slot = KINDS.iter().position(|k| *k == kind);
    let handler = slot.and_then(|slot| handlers.borrow()[slot].clone());
    let Some(handler) = handler else { return };
    let event = object(&fields);
    let _ = Reflect::set(&event, &JsValue::from_str("type"), &JsValue::from_str(kind));
    // An exception in the user's handler must not stop the dispatch loop.
    let _ = handler.call1(&JsValue::UNDEFINED, &event);
}
