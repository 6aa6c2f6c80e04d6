//! A dependable WebSocket client for Rust compiled to WebAssembly, over the
//! platform's own `WebSocket` (browsers, and Node.js or any runtime with a
//! global `WebSocket`, or the `ws` package's constructor injected). It does
//! not frame messages (the platform does); it makes the lifecycle around the
//! socket exact: validated input with typed errors, an exact ready state,
//! reconnection with jittered exponential backoff (RFC 6455 §7.2.3), a
//! bounded queue, a heartbeat, acknowledged delivery, and typed channels.
//!
//! ```rust,no_run
//! use futures::{SinkExt, StreamExt};
//! use serde::{Deserialize, Serialize};
//! use steadysocket::{Error, Json, ReconnectingSocket};
//!
//! #[derive(Serialize)]
//! struct Say { message: String }
//!
//! #[derive(Deserialize, Debug)]
//! struct Said { nickname: String, message: String }
//!
//! async fn chat() -> Result<(), Error> {
//!     let socket = ReconnectingSocket::builder("wss://example.com/chat").connect()?;
//!     let (mut say, mut hear) = socket.typed::<Say, Said, _>(Json);
//!     say.send(Say { message: "hi".into() }).await?; // queued while reconnecting
//!     while let Some(Ok(said)) = hear.next().await {
//!         println!("{}: {}", said.nickname, said.message);
//!     }
//!     Ok(()) // the stream ended: the socket closed for good
//! }
//! # fn main() { let _ = chat; }
//! ```
//!
//! # What there is
//! - [`ReconnectingSocket`]: the connection that comes back. Options on its
//!   [builder](ReconnectingSocketBuilder) (backoff, connect timeout, queue
//!   bounds, heartbeat, stop rules, URL and protocol providers asked before
//!   every attempt, acknowledged delivery); [`ReconnectingSocket::events`],
//!   a stream of messages and lifecycle [`Notice`]s;
//!   [`ReconnectingSocket::statuses`], the [`Status`] now and the newest at
//!   every change (a watch for a reactive UI: no polling, no backlog), with
//!   [`Status::retry_in`] for a countdown; [`ReconnectingSocket::closed`].
//!   Handles are cheap clones of one connection.
//! - [`ReconnectingSocket::typed`]: a `Sink` of values you send and a
//!   `Stream` of values you receive, through [`Json`] or your own
//!   [`Encoder`]/[`Decoder`]; a message that does not decode is an
//!   [`Undecodable`] item, and the stream goes on.
//! - Backpressure: the `Sink`s wait while more than the high water mark
//!   ([`WaterMarks`], default 1 MiB) is not yet transmitted and flush until
//!   everything is; [`ReconnectingSocket::drained`] and
//!   [`ReconnectingSocket::flushed`] for hand-written loops.
//! - Server-directed retry: a close reason's `retry-after=<seconds>` (grammar
//!   in [`core::retry_hint`]) holds the next attempt back to
//!   [hint, 1.5 × hint]; [`ReconnectingSocketBuilder::retry_after`] reads
//!   hints your way; [`DelaySource`] says where each delay came from.
//! - [`ReconnectingSocketBuilder::trace`]: a [`TraceEntry`] for every
//!   decision, whose `Display` explains it (off by default, free when off).
//! - [`Socket`]: one connection, no reconnecting, with every event.
//! - [`core`]: the sans-IO state machine both faces of steadysocket run (this
//!   crate's and the npm package's), for a driver of your own: the
//!   repository's `examples/native_client.rs` is one, over a blocking native
//!   socket, for Rust outside a browser or a JavaScript runtime.
//!
//! # In a framework
//! Leptos: [`leptos::use_socket`] (feature `leptos`). Dioxus, Yew and the
//! like need no hook of ours: keep a handle for the component's life
//! (Dioxus `use_hook`; in Yew, connect in an effect), drive
//! [`ReconnectingSocket::statuses`] and a typed receiver into the
//! framework's state from its task spawner, and close in its unmount hook
//! (Dioxus `use_drop`, a Yew effect's cleanup; dropping the last handle
//! closes too). [`Status::retry_in`] gives a countdown to redraw on a timer
//! while waiting. In a server render (any target but wasm32) nothing
//! connects: [`leptos::use_socket`] shows the status a socket starts with,
//! so the hydrated page matches; elsewhere
//! [`ReconnectingSocketBuilder::status_before_connecting`] gives that status
//! to render until an effect connects, and `connect()` is
//! [`Error::NoWebSocket`]. The repository's `examples/` hold a chat in each
//! of the three, which its tests run in one room in Chromium, Firefox and
//! WebKit; the Leptos and Yew chats are also rendered on the server (their
//! native `ssr` builds) and hydrated in each of them.
//!
//! # Feature flags
//! - `web` (default): the Rust API over `web-sys`, for wasm apps (Leptos,
//!   Dioxus, Yew, plain wasm-bindgen).
//! - `leptos`: [`leptos::use_socket`], the socket as a Leptos 0.8 reactive
//!   primitive (reactive status, countdown, typed messages, closed on cleanup).
//! - `postcard`: a compact binary codec for typed channels (`Postcard`).
//! - `npm`: only for the npm package's own build (a no_std wasm of the core).
//!
//! # Guarantees
//! Bad input is an [`Error`] that says what is allowed, never a panic; `send`
//! says whether it sent or queued, and a full queue refuses instead of
//! dropping silently; every attempt ends with one close notice, and the final
//! close is the last; a connection's open comes before its messages, and
//! none that arrives after `close()` is reported, whatever order the
//! platform hands them over in; `close()` stops for good in every state and
//! `reconnect()` restarts from any; every callback is owned and detached on
//! drop; memory is bounded: what a socket keeps for a first subscription
//! ([`BACKLOG_EVENTS`], [`BACKLOG_BYTES`], counted by a `Missed` item past
//! them) and the statuses (a watch). In browsers the page is heard too:
//! `offline` pauses retries and `online` retries at once; `online` and a
//! page shown again check an open connection with the heartbeat's ping; a
//! page shown again from the back/forward cache replaces at once the
//! connection its engine closed, which still reads OPEN, so that what is
//! sent from then on waits for the next connection. The repository README lists what is guaranteed across a lost
//! connection, the platform differences, benchmarks and where each rule is
//! tested. The crate's suites run against a real server in Chromium,
//! Firefox and WebKit, in Node 20, 22, 24 and 26, in Bun, in Deno and in
//! Cloudflare's workerd.

#![warn(missing_docs)]
// Without the `web` feature (the npm package's wasm) the crate is the pure
// core and the bindings of the package's class, with no std.
#![cfg_attr(not(feature = "web"), no_std)]

extern crate alloc;

// The repository README's examples are compiled with the doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub mod core;
mod error;
mod event;
mod quoted;
// The npm package's exports, only in its own build (without `web`).
#[cfg(all(feature = "npm", not(feature = "web"), target_arch = "wasm32"))]
mod js;

pub use crate::core::backoff::{Backoff, Jitter};
pub use crate::core::close_policy::CloseInfo;
pub use crate::core::flow::WaterMarks;
pub use crate::core::machine::{DelaySource, Heartbeat, Notice, OptionProblem, State};
pub use crate::core::queue::{Overflow, QueueLimits};
pub use crate::core::ready_state::ReadyState;
pub use crate::core::trace::TraceEntry;
pub use crate::core::validation::{CloseProblem, UrlProblem};
pub use error::Error;
pub use event::{Event, Message};

#[cfg(feature = "web")]
mod codec;
#[cfg(feature = "web")]
pub mod diagnostics;
#[cfg(feature = "web")]
mod json;
#[cfg(feature = "leptos")]
pub mod leptos;
#[cfg(feature = "web")]
mod web;

#[cfg(feature = "postcard")]
pub use codec::Postcard;
#[cfg(feature = "web")]
pub use codec::{CodecError, Decoder, Encoder, Undecodable};
#[cfg(feature = "web")]
pub use web::{
    Delivery, Events, Json, ReconnectEvent, ReconnectingSocket, ReconnectingSocketBuilder, Socket,
    SocketBuilder, Status, Statuses, Subscription, TypedReceiver, TypedSender, BACKLOG_BYTES,
    BACKLOG_EVENTS,
};
