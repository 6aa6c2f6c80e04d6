#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
// Without the `web` feature (the npm package's wasm) the crate is the pure
// core and the bindings of the package's class, with no std.
#![cfg_attr(not(feature = "web"), no_std)]

extern crate alloc;

pub mod core;
mod error;
mod event;
// The npm package's exports, only in its own build (without `web`).
#[cfg(all(feature = "npm", not(feature = "web"), target_arch = "wasm32"))]
mod js;

pub use crate::core::backoff::{Backoff, Jitter};
pub use crate::core::close_policy::CloseInfo;
pub use crate::core::machine::{Heartbeat, Notice, OptionProblem, State};
pub use crate::core::queue::{Overflow, QueueLimits};
pub use crate::core::ready_state::ReadyState;
pub use crate::core::validation::CloseProblem;
pub use error::{Error, UrlProblem};
pub use event::{Event, Message};

#[cfg(feature = "web")]
mod codec;
#[cfg(feature = "web")]
pub mod diagnostics;
#[cfg(feature = "web")]
mod web;

#[cfg(feature = "postcard")]
pub use codec::Postcard;
#[cfg(feature = "web")]
pub use codec::{CodecError, Decoder, Encoder, Undecodable};
#[cfg(feature = "web")]
pub use web::{
    Delivery, Events, Json, ReconnectEvent, ReconnectingSocket, ReconnectingSocketBuilder, Socket,
    SocketBuilder, Status, TypedReceiver, TypedSender,
};
