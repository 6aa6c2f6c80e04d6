//! The Rust API against the real peer server, as one wasm test binary that
//! `cargo xtask test` runs in every browser place and runtime: the `Socket`,
//! the reconnecting socket, typed views, backpressure, callbacks and the
//! Leptos primitive.
//!
//! One binary, not one a file: each run pays the runner's start (wasm-bindgen
//! over the binary, then a browser or a runtime), 1–4 s, in every place. The
//! suites that need a process to themselves stay apart: `web_leaks` and
//! `web_soak` count the live heap and listeners, `web_panic` panics on
//! purpose, which no other test should run after.

#![cfg(target_arch = "wasm32")]

#[path = "../support/mod.rs"]
mod support;

#[cfg(feature = "leptos")]
#[path = "../support/first_status.rs"]
mod first_status;

mod callbacks;
mod flow;
#[cfg(feature = "leptos")]
mod leptos_primitive;
mod reconnecting;
mod socket;
mod typed;
mod url_parity;
