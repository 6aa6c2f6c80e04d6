//! [`Status`]: where a [`super::ReconnectingSocket`] stands, as one value an
//! app can watch (a reactive signal in Leptos, state in Dioxus or Yew).

use crate::core::machine::State;
use crate::core::ready_state::ReadyState;
use std::time::Duration;

/// Where a [`super::ReconnectingSocket`] stands: its state, the queue and
/// what awaits acknowledgement. [`super::ReconnectingSocket::statuses`]
/// gives it again whenever any of it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Status {
    /// The state, with attempt numbers and the drawn delay.
    pub state: State,
    /// The WebSocket-compatible ready state.
    pub ready_state: ReadyState,
    /// Messages waiting in the queue.
    pub queued_messages: usize,
    /// Bytes waiting in the queue.
    pub queued_bytes: usize,
    /// Messages sent and not yet acknowledged (with acknowledged delivery).
    pub unconfirmed_messages: usize,
    /// While waiting: when the next attempt starts, as time since the Unix
    /// epoch on the clock of `Date.now()`, which an app reads with
    /// `js_sys::Date::now()` for a countdown (`std::time::Instant` panics on
    /// wasm32-unknown-unknown).
    pub retry_at: Option<Duration>,
}
