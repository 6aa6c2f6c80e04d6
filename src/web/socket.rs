//! [`Socket`]: one platform WebSocket, its owned callbacks and its event queue.

use super::callback::Subscription;
use super::event_queue::{Events, Fanout};
use super::left_behind::close_left_behind;
use super::listener::Listener;
use super::platform::{
    global_property, message_of, platform_error, property, resolve_url, send_copies_at_once,
};
use crate::core::close_policy::{error_precedes, CloseInfo};
use crate::core::ready_state::ReadyState;
use crate::core::validation::{
    accepts_chosen_protocol, check_close, check_protocols, ABNORMAL_CLOSURE, NORMAL_CLOSURE,
};
use crate::error::Error;
use crate::event::{Event, Message};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::WebSocket;

/// Where a socket's events go, straight from the platform's callbacks: into
/// the socket's [`Events`] stream, or to the reconnecting driver (which defers
/// what may replace the socket). A function, so the driver's build holds no
/// stream code for sockets.
pub(crate) type EventSink = Rc<dyn Fn(Event)>;

/// The platform socket and the lifecycle facts its callbacks share with it.
struct Shared {
    ws: WebSocket,
    /// Where the events go.
    sink: EventSink,
    /// [`Event::Open`] was queued (the platform opened, with a subprotocol
    /// that fits what was offered).
    opened: Cell<bool>,
    /// [`Event::Closed`] was queued; later platform events are ignored.
    closed: Cell<bool>,
    /// [`Event::Error`] was reported (once at most).
    error_reported: Cell<bool>,
    /// [`Socket::close`] started the closing handshake: as WebSocket, no
    /// message is reported after it (Deno's socket and the `ws` package
    /// still hand over what arrives while closing; browsers and Node's own
    /// do not).
    closing: Cell<bool>,
    /// The subprotocols offered, one of which the server must choose if any.
    offered_protocols: Box<[String]>,
    /// Binary messages are copied out of wasm memory before `send`: the
    /// socket's `send` may read them after it returns (see
    /// [`send_copies_at_once`]).
    copy_binary_sends: bool,
}

/// The subprotocol the server chose, or `""`.
fn protocol_of(ws: &WebSocket) -> String {
    property(ws, "protocol").as_string().unwrap_or_default()
}

/// Whether `globalThis.WebSocket` exists.
pub(super) fn has_global_websocket() -> bool {
    global_websocket().is_some()
}

/// `globalThis.WebSocket`, if it is a constructor.
fn global_websocket() -> Option<js_sys::Function> {
    global_property("WebSocket")?.dyn_into().ok()
}

impl Shared {
    fn push(&self, event: Event) {
        if !self.closed.get() {
            self.deliver(event);
        }
    }

    /// One [`Event::Error`] per connection, whatever the platform fired.
    fn report_error(&self) {
        if !self.error_reported.replace(true) {
            self.push(Event::Error);
        }
    }

    fn finish(&self, code: u16, reason: String, was_clean: bool) {
        if self.closed.replace(true) {
            return;
        }
        self.deliver(Event::Closed {
            code,
            reason,
            was_clean,
        });
    }

    fn deliver(&self, event: Event) {
        (self.sink)(event);
    }
}

/// Builds a [`Socket`]: the URL and the subprotocols to offer.
#[derive(Debug, Clone)]
pub struct SocketBuilder {
    url: String,
    protocols: Vec<String>,
    constructor: Option<js_sys::Function>,
}

impl SocketBuilder {
    /// The subprotocols to offer, most preferred first. Each must be an RFC
    /// 7230 token, and none may appear twice.
    pub fn protocols<I, S>(mut self, protocols: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.protocols = protocols.into_iter().map(Into::into).collect();
        self
    }

    /// The `WebSocket` constructor to use instead of `globalThis.WebSocket`,
    /// such as the `ws` package's in Node.
    pub fn constructor(mut self, constructor: js_sys::Function) -> Self {
        self.constructor = Some(constructor);
        self
    }

    /// Validates the URL and subprotocols and starts connecting.
    ///
    /// Returns an error, and opens nothing, for a URL that is not ws, wss,
    /// http or https (or relative without a page to resolve it against), for
    /// an invalid or duplicated subprotocol, if there is no `WebSocket`
    /// constructor ([`Error::NoWebSocket`]), or if the platform refuses.
    pub fn connect(self) -> Result<Socket, Error> {
        let events = Rc::new(Fanout::default());
        let queue = Rc::clone(&events);
        let mut socket = self.connect_to(Rc::new(move |event| {
            let last = matches!(event, Event::Closed { .. });
            queue.push(event);
            if last {
                queue.end();
            }
        }))?;
        socket.events = events;
        Ok(socket)
    }

    /// [`SocketBuilder::connect`], with the events going to `sink` instead
    /// of the socket's stream.
    pub(crate) fn connect_to(self, sink: EventSink) -> Result<Socket, Error> {
        let url = resolve_url(&self.url)?;
        check_protocols(&self.protocols)?;
        let constructor = match self.constructor {
            Some(constructor) => constructor,
            None => global_websocket().ok_or(Error::NoWebSocket)?,
        };
        let offered = (!self.protocols.is_empty()).then(|| {
            let offered: js_sys::Array = self.protocols.iter().map(JsValue::from).collect();
            JsValue::from(offered)
        });
        let arguments: js_sys::Array = std::iter::once(JsValue::from_str(&url))
            .chain(offered)
            .collect();
        let ws: WebSocket = js_sys::Reflect::construct(&constructor, &arguments)
            .map_err(platform_error("open a WebSocket"))?
            .unchecked_into();
        // Set by name: the typed setter costs the app an import and glue.
        let _ = js_sys::Reflect::set(
            &ws,
            &JsValue::from_str("binaryType"),
            &JsValue::from_str("arraybuffer"),
        );
        let copy_binary_sends = !send_copies_at_once(&ws);
        let shared = Rc::new(Shared {
            ws,
            sink,
            opened: Cell::new(false),
            closed: Cell::new(false),
            error_reported: Cell::new(false),
            closing: Cell::new(false),
            offered_protocols: self.protocols.into_boxed_slice(),
            copy_binary_sends,
        });
        // Attached before control returns to the event loop, so before any
        // event of this socket can fire.
        let listeners = attach_listeners(&shared);
        Ok(Socket {
            url,
            shared,
            events: Rc::default(),
            _listeners: listeners,
        })
    }
}

/// The platform events a socket listens to.
#[derive(Clone, Copy)]
enum PlatformEvent {
    Open,
    Message,
    Error,
    Close,
}

/// One listener per platform event, all of one closure type (each closure
/// type costs the app its own glue).
fn attach_listeners(shared: &Rc<Shared>) -> [Listener; 4] {
    [
        (PlatformEvent::Open, "open"),
        (PlatformEvent::Message, "message"),
        (PlatformEvent::Error, "error"),
        (PlatformEvent::Close, "close"),
    ]
    .map(|(kind, name)| {
        let listening = shared.clone();
        Listener::attach(&shared.ws, name, false, move |e| listening.on(kind, &e))
    })
}

impl Shared {
    /// What the platform reported, straight from its callback.
    fn on(&self, kind: PlatformEvent, event: &web_sys::Event) {
        match kind {
            PlatformEvent::Open => self.on_open(),
            PlatformEvent::Message => {
                if self.closed.get() || self.closing.get() {
                    return;
                }
                if let Some(message) = message_of(event) {
                    self.deliver(Event::Message(message));
                }
            }
            PlatformEvent::Error => {
                // An error before `open` ends the attempt. Browsers follow it
                // with a close event, but Node 20 does not, so the close is
                // reported here. After the open, the close decides
                // (`error_precedes`).
                if !self.opened.get() {
                    self.report_error();
                    self.finish(ABNORMAL_CLOSURE, String::new(), false);
                }
            }
            PlatformEvent::Close => {
                let close = CloseInfo::from_platform(
                    property(event, "code").as_f64().unwrap_or(f64::NAN),
                    property(event, "reason").as_string().unwrap_or_default(),
                    property(event, "wasClean").is_truthy(),
                );
                if error_precedes(&close, self.error_reported.get()) {
                    self.report_error();
                }
                self.finish(close.code, close.reason, close.was_clean);
            }
        }
    }

    fn on_open(&self) {
        let protocol = protocol_of(&self.ws);
        if !accepts_chosen_protocol(&self.offered_protocols, &protocol) {
            // The server chose none of those offered, or one not offered:
            // the connection fails. Chromium and Node do this; Firefox and
            // Deno open anyway, so it is enforced here for every platform.
            self.report_error();
            self.finish(ABNORMAL_CLOSURE, String::new(), false);
            close_left_behind(&self.ws, None);
            return;
        }
        self.opened.set(true);
        self.push(Event::Open {
            protocol: (!protocol.is_empty()).then_some(protocol),
        });
    }
}

/// A WebSocket connection over the platform's `WebSocket` (browsers, and Node.js
/// with a global `WebSocket`).
///
/// Dropping the socket detaches every callback and closes the connection
/// (code 1000 if it was open); it never panics.
pub struct Socket {
    url: String,
    shared: Rc<Shared>,
    /// The stream's queue (empty and unused when the events go to a sink).
    events: Rc<Fanout<Event>>,
    _listeners: [Listener; 4],
}

impl Socket {
    /// Starts building a socket for `url` (ws, wss, http or https; relative
    /// URLs resolve against the page location in browsers).
    pub fn builder(url: impl Into<String>) -> SocketBuilder {
        SocketBuilder {
            url: url.into(),
            protocols: Vec::new(),
            constructor: None,
        }
    }

    /// Connects to `url` without offering subprotocols. See [`SocketBuilder::connect`].
    pub fn connect(url: impl Into<String>) -> Result<Socket, Error> {
        Socket::builder(url).connect()
    }

    /// A subscription to this socket's events (see [`Events`]).
    pub fn events(&self) -> Events {
        self.events.subscribe()
    }

    /// The same events, handed to `handler` as they happen, on the
    /// platform's own callback, until the [`Subscription`] is dropped or
    /// after [`Event::Closed`] (see [`crate::ReconnectingSocket::on_event`]).
    pub fn on_event(&self, handler: impl FnMut(Event) + 'static) -> Subscription {
        super::callback::subscribe(self.events(), handler)
    }

    /// The state of the connection, with the platform's four values, never
    /// ahead of the events: `Open` once [`Event::Open`] has been queued,
    /// `Closed` once [`Event::Closed`] has (also where the platform itself
    /// never gets there, as a refused connection in Node 20). Deno's socket
    /// is CLOSED before its close event comes; this is `Closing` until then.
    pub fn ready_state(&self) -> ReadyState {
        let shared = &self.shared;
        if shared.closed.get() {
            return ReadyState::Closed;
        }
        match ReadyState::from_platform(shared.ws.ready_state()) {
            Some(ReadyState::Open) if !shared.opened.get() => ReadyState::Connecting,
            Some(ReadyState::Closed) | None => ReadyState::Closing,
            Some(state) => state,
        }
    }

    /// The subprotocol the server chose; `None` before [`Event::Open`], if
    /// it chose none, or if the connection failed because it chose one
    /// that was not offered.
    pub fn protocol(&self) -> Option<String> {
        if !self.shared.opened.get() {
            return None;
        }
        let protocol = protocol_of(&self.shared.ws);
        (!protocol.is_empty()).then_some(protocol)
    }

    /// The extensions the server accepted (such as `permessage-deflate`), or `""`.
    pub fn extensions(&self) -> String {
        self.shared.ws.extensions()
    }

    /// The URL the socket connects to, as the platform's URL parser writes
    /// it (as `WebSocket.url` gives it: ws or wss, resolved, normalised).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Bytes handed to the platform by `send` and not yet transmitted.
    pub fn buffered_amount(&self) -> u32 {
        self.shared.ws.buffered_amount()
    }

    /// Sends a message. Fails with [`Error::NotOpen`] unless the socket is OPEN:
    /// nothing is dropped without the caller knowing.
    pub fn send(&self, message: &Message) -> Result<(), Error> {
        match message {
            Message::Text(text) => self.send_text(text),
            Message::Binary(bytes) => self.send_binary(bytes),
        }
    }

    /// Sends a text message. See [`Socket::send`].
    pub fn send_text(&self, text: &str) -> Result<(), Error> {
        self.check_open()?;
        self.shared
            .ws
            .send_with_str(text)
            .map_err(platform_error("send a text message"))
    }

    /// Sends a binary message. See [`Socket::send`].
    ///
    /// The bytes are taken before it returns, so `bytes` may be reused at
    /// once, whatever the `WebSocket` (a platform's own copies them in its
    /// `send`, as the WHATWG `send` does; for any other, such as the `ws`
    /// package's, they are copied first, since it may read them later).
    pub fn send_binary(&self, bytes: &[u8]) -> Result<(), Error> {
        self.check_open()?;
        let sent = if self.shared.copy_binary_sends {
            self.shared
                .ws
                .send_with_array_buffer_view(&js_sys::Uint8Array::from(bytes))
        } else {
            // A view of wasm memory: the platform's `send` copies it at once.
            self.shared.ws.send_with_u8_array(bytes)
        };
        sent.map_err(platform_error("send a binary message"))
    }

    fn check_open(&self) -> Result<(), Error> {
        match self.ready_state() {
            ReadyState::Open => Ok(()),
            state => Err(Error::NotOpen { state }),
        }
    }

    /// Starts the closing handshake with `code` (1000, or 3000 to 4999) and a
    /// `reason` of at most 123 bytes of UTF-8; both are checked before anything
    /// reaches the platform. As with `WebSocket`, no message is reported
    /// after it, whatever the server sends before its close frame.
    ///
    /// Closing a socket that is still connecting abandons the attempt at once:
    /// [`Event::Closed`] with code 1006 follows. Closing a socket that is
    /// already closing or closed does nothing.
    pub fn close(&self, code: u16, reason: &str) -> Result<(), Error> {
        check_close(code, reason)?;
        match self.ready_state() {
            ReadyState::Open => {
                self.shared.closing.set(true);
                self.shared
                    .ws
                    .close_with_code_and_reason(code, reason)
                    .map_err(platform_error("close the connection"))
            }
            ReadyState::Connecting => {
                self.abandon_attempt();
                Ok(())
            }
            ReadyState::Closing | ReadyState::Closed => Ok(()),
        }
    }

    fn abandon_attempt(&self) {
        // Finish first: Node fires `error` synchronously inside close(), and
        // that late event must be ignored.
        self.shared.finish(ABNORMAL_CLOSURE, String::new(), false);
        close_left_behind(&self.shared.ws, None);
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        let state = self.ready_state();
        // Nothing is reported after the drop; the stream ends with what is queued.
        self.shared.closed.set(true);
        self.events.end();
        match state {
            ReadyState::Connecting => close_left_behind(&self.shared.ws, None),
            ReadyState::Open => close_left_behind(&self.shared.ws, Some(NORMAL_CLOSURE)),
            ReadyState::Closing | ReadyState::Closed => {}
        }
        // The listeners detach when the fields drop, after this body.
    }
}
