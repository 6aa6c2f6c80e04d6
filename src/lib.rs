#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod codec;
pub mod core;
pub mod diagnostics;
mod error;
mod event;
mod js;
mod web;

pub use crate::core::ready_state::ReadyState;
#[cfg(feature = "postcard")]
pub use codec::Postcard;
pub use codec::{CodecError, Decoder, Encoder, Undecodable};
pub use error::{Error, UrlProblem};
pub use event::{Event, Message};
pub use web::{
    Delivery, Events, Json, ReconnectEvent, ReconnectingSocket, ReconnectingSocketBuilder, Socket,
    SocketBuilder, TypedReceiver, TypedSender,
};
