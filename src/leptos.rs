//! Leptos 0.8: a [`ReconnectingSocket`] as a reactive primitive (feature
//! `leptos`).
//!
//! [`use_socket`] connects, gives a reactive [`LeptosSocket::status`] (and
//! [`LeptosSocket::retry_in`], ticking for a countdown while waiting: read in
//! an effect, a memo or a view, they notify it of every change), hands every
//! decoded message to your callback in order, and closes the socket (1000)
//! when the component's owner is cleaned up. [`LeptosSocket`] is `Copy`,
//! `Send` and `Sync`, as Leptos 0.8 closures need: the socket itself stays
//! in the owner's local storage, on the one thread a wasm app has.
//!
//! The glue of `examples/leptos-chat` (built and run end to end by the
//! tests), where a component calls `join` and renders the `Room`'s
//! signals; `leptos::prelude` re-exports these `reactive_graph` items:
//!
//! ```rust,no_run
//! use reactive_graph::callback::Callback;
//! use reactive_graph::wrappers::read::Signal;
//! use reactive_graph::signal::RwSignal;
//! use reactive_graph::traits::Update;
//! use serde::{Deserialize, Serialize};
//! use steadysocket::leptos::use_socket;
//! use steadysocket::{Json, ReconnectingSocket, State};
//!
//! #[derive(Serialize)]
//! struct Say { message: String }
//! #[derive(Deserialize, Clone)]
//! struct Said { nickname: String, message: String }
//!
//! /// What the view shows (every field is `Copy + Send + Sync`).
//! struct Room {
//!     lines: RwSignal<Vec<Said>>,
//!     state: Signal<&'static str>,
//!     retry_in: Signal<Option<f64>>,
//!     say: Callback<String, bool>, // false if it was neither sent nor queued
//! }
//!
//! /// Call in a component: the socket lives as long as it does.
//! fn join(url: &str) -> Room {
//!     let lines = RwSignal::new(Vec::new());
//!     let chat = use_socket(ReconnectingSocket::builder(url), Json, move |said| {
//!         if let Ok(said) = said {
//!             lines.update(|lines: &mut Vec<Said>| lines.push(said));
//!         }
//!     })
//!     .expect("a valid URL");
//!     Room {
//!         lines,
//!         state: Signal::derive(move || match chat.status().state {
//!             State::Open => "open",
//!             State::Closing | State::Closed => "closed",
//!             _ => "connecting",
//!         }),
//!         retry_in: Signal::derive(move || chat.retry_in().map(|d| d.as_secs_f64())),
//!         say: Callback::new(move |message| chat.send(&Say { message }).is_ok()),
//!     }
//! }
//! # fn main() { let _ = join; }
//! ```

use crate::codec::{Decoder, Encoder, Undecodable};
use crate::error::Error;
use crate::web::{
    time_left, Delivery, ReconnectingSocket, ReconnectingSocketBuilder, Status, Subscription,
    TypedSender,
};
use crate::{ReadyState, State};
use futures_core::Stream;
use reactive_graph::owner::{on_cleanup, LocalStorage, StoredValue};
use reactive_graph::signal::Trigger;
use reactive_graph::traits::{IsDisposed, Notify, Track, WithValue};
use std::future::poll_fn;
use std::pin::Pin;
use std::time::Duration;
use wasm_bindgen_futures::spawn_local;

/// How often [`LeptosSocket::retry_in`] changes while waiting to reconnect
/// (it does not tick otherwise).
pub const RETRY_TICK: Duration = Duration::from_millis(100);

/// The close code sent when the owner is cleaned up (the component unmounts).
pub const CLEANUP_CLOSE_CODE: u16 = 1000;

/// A [`ReconnectingSocket`] bound to a Leptos owner: reactive status, typed
/// sending, closed on cleanup. `Copy`, `Send` and `Sync`, so it goes into any
/// view closure; use it on the thread that made it (a wasm app's only one).
pub struct LeptosSocket<Out: 'static, C: 'static> {
    /// One stored value for all it holds (each costs the app an arena slot
    /// and code).
    stored: StoredValue<Held<Out, C>, LocalStorage>,
    /// Notified when the status changes, and every [`RETRY_TICK`] while
    /// waiting. It holds no value: what it stands for is read from the
    /// socket, so the app gains no signal type (each costs it code).
    changed: Trigger,
}

/// What a [`LeptosSocket`] stands for.
enum Held<Out, C> {
    /// In the browser: the socket, its typed sender, and the subscription
    /// that hands each message to the app's callback.
    Socket {
        socket: ReconnectingSocket,
        sender: TypedSender<Out, C>,
        /// Kept for as long as the messages should reach the app.
        _messages: Subscription,
    },
    /// In a server render, which connects nothing: the status the socket
    /// will start with in the browser.
    #[cfg(not(target_arch = "wasm32"))]
    ServerRender(Status),
}

impl<Out, C> Held<Out, C> {
    /// The socket, in the browser.
    fn socket(&self) -> Option<&ReconnectingSocket> {
        match self {
            Held::Socket { socket, .. } => Some(socket),
            #[cfg(not(target_arch = "wasm32"))]
            Held::ServerRender(_) => None,
        }
    }

    fn status(&self) -> Status {
        match self {
            Held::Socket { socket, .. } => socket.status(),
            #[cfg(not(target_arch = "wasm32"))]
            Held::ServerRender(status) => status.clone(),
        }
    }
}

impl<Out, C> Clone for LeptosSocket<Out, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Out, C> Copy for LeptosSocket<Out, C> {}

/// Connects `builder` for the current owner (call it in a component): values
/// of `Out` go out and values of `In` come in through `codec`; `on_message`
/// gets every message, in order (`Err` with the raw payload for one that
/// does not decode). The socket closes with [`CLEANUP_CLOSE_CODE`] when the
/// owner is cleaned up. Fails as [`ReconnectingSocketBuilder::connect`] does
/// (a bad URL or option).
///
/// In a server render (any target but wasm32, as Leptos's `ssr` builds are)
/// it connects nothing and never calls `on_message`: the status is the one
/// every socket starts with (connecting, attempt 0), which is what the
/// browser renders first when it hydrates the page; `send` fails with
/// [`Error::NotOpen`]. The options are checked as in the browser, but for a
/// relative URL, which the browser resolves against its page.
pub fn use_socket<Out, In, C>(
    builder: ReconnectingSocketBuilder,
    codec: C,
    on_message: impl FnMut(Result<In, Undecodable>) + 'static,
) -> Result<LeptosSocket<Out, C>, Error>
where
    Out: 'static,
    In: 'static,
    C: Encoder<Out> + Decoder<In> + Clone + 'static,
{
    #[cfg(not(target_arch = "wasm32"))]
    {
        drop((codec, on_message));
        let status = builder.status_before_connecting()?;
        Ok(LeptosSocket {
            stored: StoredValue::new_local(Held::ServerRender(status)),
            changed: Trigger::new(),
        })
    }
    #[cfg(target_arch = "wasm32")]
    connect(builder, codec, on_message)
}

/// [`use_socket`] in the browser.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn connect<Out, In, C>(
    builder: ReconnectingSocketBuilder,
    codec: C,
    on_message: impl FnMut(Result<In, Undecodable>) + 'static,
) -> Result<LeptosSocket<Out, C>, Error>
where
    Out: 'static,
    In: 'static,
    C: Encoder<Out> + Decoder<In> + Clone + 'static,
{
    let socket = builder.connect()?;
    let sender = socket.sender(codec.clone());
    // Each message straight from the platform's callback: no task per socket
    // and no executor turn per message.
    let messages = socket.on_message(codec, on_message);
    let changed = Trigger::new();
    let stored = StoredValue::new_local(Held::Socket {
        socket: socket.clone(),
        sender,
        _messages: messages,
    });

    let mut statuses = socket.statuses();
    drop(socket);
    spawn_local(async move {
        while let Some(now) = poll_fn(|cx| Pin::new(&mut statuses).poll_next(cx)).await {
            if changed.is_disposed() {
                return; // the owner is gone
            }
            changed.notify();
            if let Some(at) = now.retry_at {
                spawn_local(count_down(at, stored, changed));
            }
        }
    });

    on_cleanup(move || {
        stored.try_with_value(|held| held.socket().map(|s| s.close(CLEANUP_CLOSE_CODE, "")));
    });
    Ok(LeptosSocket { stored, changed })
}

/// Notifies `changed` every [`RETRY_TICK`] until `at`, while the socket
/// waits for `at` (not after its status changed, nor after the owner is gone).
async fn count_down<Out: 'static, C: 'static>(
    at: Duration,
    stored: StoredValue<Held<Out, C>, LocalStorage>,
    changed: Trigger,
) {
    loop {
        let left = time_left(at);
        crate::web::sleep(left.min(RETRY_TICK)).await;
        let retry_at = stored.try_with_value(|held| held.status().retry_at);
        if retry_at != Some(Some(at)) {
            return;
        }
        changed.notify();
        if left <= RETRY_TICK {
            return;
        }
    }
}

/// The status of a handle whose owner is gone: closed, nothing queued.
fn closed() -> Status {
    Status {
        state: State::Closed,
        ready_state: ReadyState::Closed,
        queued_messages: 0,
        queued_bytes: 0,
        unconfirmed_messages: 0,
        retry_at: None,
    }
}

impl<Out, C: Encoder<Out>> LeptosSocket<Out, C> {
    /// Encodes and sends `value` (queued while reconnecting), as
    /// [`TypedSender::try_send`]; after cleanup, [`Error::NotOpen`].
    pub fn send(&self, value: &Out) -> Result<Delivery, Error> {
        self.stored
            .try_with_value(|held| match held {
                Held::Socket { sender, .. } => sender.try_send(value),
                #[cfg(not(target_arch = "wasm32"))]
                Held::ServerRender(status) => Err(Error::NotOpen {
                    state: status.ready_state,
                }),
            })
            .unwrap_or(Err(Error::NotOpen {
                state: crate::ReadyState::Closed,
            }))
    }
}

impl<Out, C> LeptosSocket<Out, C> {
    /// The status now: state, queue, unconfirmed messages, when the next
    /// attempt starts. Reactive: read in an effect, a memo or a view, it
    /// notifies them whenever the status changes. After cleanup, closed.
    pub fn status(&self) -> Status {
        self.changed.track();
        self.stored
            .try_with_value(Held::status)
            .unwrap_or_else(closed)
    }

    /// While waiting to reconnect, the time left until the next attempt;
    /// `None` otherwise. Reactive: read in an effect or a view, it changes
    /// every [`RETRY_TICK`] while waiting and when the status does.
    pub fn retry_in(&self) -> Option<Duration> {
        self.status().retry_in()
    }

    /// Whether the connection is open now (reactive).
    pub fn is_open(&self) -> bool {
        self.status().state == State::Open
    }

    /// Closes for good, as [`ReconnectingSocket::close`]; after cleanup, or
    /// in a server render, it only checks `code` and `reason`.
    pub fn close(&self, code: u16, reason: &str) -> Result<(), Error> {
        match self.socket() {
            Some(socket) => socket.close(code, reason),
            None => crate::core::validation::check_close(code, reason).map_err(Error::from),
        }
    }

    /// Reconnects now, as [`ReconnectingSocket::reconnect`].
    pub fn reconnect(&self) {
        if let Some(socket) = self.socket() {
            socket.reconnect();
        }
    }

    /// Another handle to the socket (events, acknowledgements, buffered
    /// amount), while the owner lives; `None` in a server render.
    pub fn socket(&self) -> Option<ReconnectingSocket> {
        self.stored
            .try_with_value(|held| held.socket().cloned())
            .flatten()
    }
}
