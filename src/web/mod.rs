//! The web driver: owns one platform WebSocket and its callbacks.
//!
//! Callbacks do almost nothing: they turn the platform event into an
//! [`crate::Event`] and queue it. Every callback is owned by the [`Socket`] and
//! detached when it is dropped.

mod event_queue;
mod listener;
mod platform;
mod socket;

pub use event_queue::Events;
pub use listener::live_listeners;
pub use socket::{Socket, SocketBuilder};
