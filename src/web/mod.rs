//! The web driver: owns one platform WebSocket and its callbacks.
//!
//! Callbacks do almost nothing: they turn the platform event into an
//! [`crate::Event`] and queue it. Every callback is owned by the [`Socket`] and
//! detached when it is dropped.

mod callback;
mod environment;
mod event_queue;
mod json;
mod left_behind;
mod listener;
mod platform;
mod reconnecting;
mod socket;
mod timer;
mod typed;
mod wakers;

pub use callback::Subscription;
pub use event_queue::{Events, BACKLOG_BYTES, BACKLOG_EVENTS};
pub use json::Json;
pub use listener::live_listeners;
#[cfg(feature = "leptos")]
pub(crate) use reconnecting::time_left;
pub use reconnecting::{
    Delivery, ReconnectEvent, ReconnectingSocket, ReconnectingSocketBuilder, Status, Statuses,
};
pub use socket::{Socket, SocketBuilder};
#[cfg(feature = "leptos")]
pub(crate) use timer::sleep;
pub use typed::{TypedReceiver, TypedSender};
