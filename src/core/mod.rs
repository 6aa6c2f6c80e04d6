//! The pure core: no web-sys, no clock, no randomness of its own.
//!
//! Everything here builds and is tested on the host with plain `cargo test`.
//! The modules are public for drivers of your own (the machine is sans-IO:
//! a native client, a test harness with a fake clock); what apps over the
//! web driver name is re-exported at the crate root. Time arithmetic and the
//! timer table are internal.
//! The web driver ([`crate::Socket`]) asks this core before it touches the
//! platform socket, so bad input becomes a typed [`crate::Error`] instead of a
//! platform exception.

pub mod backoff;
pub mod close_policy;
mod config;
pub mod flow;
pub mod machine;
pub mod payload;
pub mod platform_send;
pub mod queue;
pub mod random;
pub mod ready_state;
pub mod retry_hint;
mod signals;
pub(crate) mod time;
mod timers;
pub mod trace;
pub mod unconfirmed;
// The npm package's check of the text its class hands the core (tested natively).
#[cfg(any(
    all(test, not(target_arch = "wasm32")),
    all(feature = "npm", not(feature = "web"), target_arch = "wasm32")
))]
pub(crate) mod utf8;
pub mod validation;
