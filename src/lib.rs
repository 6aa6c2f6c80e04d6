#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod core;
mod error;
mod event;
mod js;
mod web;

pub use crate::core::ready_state::ReadyState;
pub use error::{Error, UrlProblem};
pub use event::{Event, Message};
pub use web::{
    Delivery, Events, ReconnectEvent, ReconnectingSocket, ReconnectingSocketBuilder, Socket,
    SocketBuilder,
};

/// Counters that tests and benchmarks use to prove that nothing leaks.
pub mod diagnostics {
    pub use crate::web::live_listeners;
}
