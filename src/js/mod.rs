//! The wasm-bindgen exports behind the npm package's `SteadySocket` class.
//!
//! The class (`pkg-template/steadysocket.js`) does the IO in JavaScript: it
//! owns the platform socket, its listeners, the timer and the page signals,
//! and keeps every payload. It asks this core for every lifecycle decision:
//! it feeds what happened ([`Core::feed`], [`Core::closed`],
//! [`Core::timeout`]) and carries out what comes back from [`Core::next`].
//! Messages never cross into wasm: the core holds [`Handle`]s (an id and a
//! size), so sends and receives cost no copy. Nothing here formats text: the
//! class checks the URL and protocols with the platform's URL parser, as
//! `WebSocket` does, and words its own errors from the numbers it gets back
//! (the Rust API's validation and messages would be a third of this wasm).
//!
//! Built alone (`--no-default-features --features npm`) this is a no_std
//! wasm: see [`runtime`].

mod handle;
#[cfg(all(target_arch = "wasm32", not(feature = "web")))]
mod runtime;

use crate::core::backoff::{Backoff, Jitter};
use crate::core::close_policy::{default_should_reconnect, CloseInfo};
use crate::core::machine::Rejection;
use crate::core::machine::{Action, Config, Heartbeat, Input, Machine, Notice, SendOutcome, State};
use crate::core::queue::Overflow;
use crate::core::random::SplitMix64;
use crate::core::time;
use crate::error::Error;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::time::Duration;
use handle::Handle;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The class's `shouldReconnect` wrapper: `(code, reason, wasClean)` to
    /// 0 (the default table decides), 1 (reconnect) or 2 (stop). It catches
    /// what the user's function throws.
    pub type Decide;
    #[wasm_bindgen(method, structural, js_name = call)]
    fn call(this: &Decide, receiver: &JsValue, code: u16, reason: &str, was_clean: bool) -> u32;
}

/// The positions of the numeric options in [`Core::new`]'s `numbers` (the
/// class writes them in this order; NaN means "not given").
mod option {
    pub const MIN_DELAY: usize = 0;
    pub const MAX_DELAY: usize = 1;
    pub const FACTOR: usize = 2;
    pub const JITTER: usize = 3;
    pub const MAX_RETRIES: usize = 4;
    pub const CONNECT_TIMEOUT: usize = 5;
    pub const MIN_UPTIME: usize = 6;
    pub const MAX_QUEUED_MESSAGES: usize = 7;
    pub const MAX_QUEUED_BYTES: usize = 8;
    pub const OVERFLOW: usize = 9;
    pub const HEARTBEAT_INTERVAL: usize = 10;
    pub const HEARTBEAT_TIMEOUT: usize = 11;
    pub const ACKNOWLEDGE: usize = 12;
    pub const SEED: usize = 13;
    pub const COUNT: usize = 14;
}

/// What [`Core::feed`] is told, by number.
mod input {
    pub const OPENED: u32 = 0;
    pub const ERROR: u32 = 1;
    pub const PONG: u32 = 2;
    pub const RECONNECT: u32 = 3;
    pub const ONLINE: u32 = 4;
    pub const OFFLINE: u32 = 5;
    pub const VISIBLE: u32 = 6;
    pub const ATTEMPT_FAILED: u32 = 7;
    pub const ACKNOWLEDGED: u32 = 8;
}

/// Milliseconds (finite, 0 or more) as a duration; anything else is `None`.
fn duration(ms: f64) -> Option<Duration> {
    (ms.is_finite() && ms >= 0.0).then(|| time::from_secs(ms / 1000.0).unwrap_or(Duration::MAX))
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A count the class checked to be a whole number, 0 or more.
fn count(value: f64) -> usize {
    if value >= usize::MAX as f64 {
        usize::MAX
    } else {
        value as usize
    }
}

fn given(value: f64) -> Option<f64> {
    (!value.is_nan()).then_some(value)
}

/// The configuration from the class's numbers, checked by the core.
fn config(numbers: &[f64], decide: Option<Decide>) -> Result<Config<Handle>, Error> {
    let at = |index: usize| numbers.get(index).copied().and_then(given);
    let mut backoff = Backoff::DEFAULT;
    if let Some(delay) = at(option::MIN_DELAY).and_then(duration) {
        backoff = backoff.with_min_delay(delay);
    }
    if let Some(delay) = at(option::MAX_DELAY).and_then(duration) {
        backoff = backoff.with_max_delay(delay);
    }
    if let Some(factor) = at(option::FACTOR) {
        backoff = backoff.with_factor(factor);
    }
    if let Some(jitter) = at(option::JITTER) {
        backoff = backoff.with_jitter(match jitter as u8 {
            0 => Jitter::None,
            2 => Jitter::Equal,
            3 => Jitter::Decorrelated,
            _ => Jitter::Full,
        });
    }
    if let Some(retries) = at(option::MAX_RETRIES).filter(|r| r.is_finite()) {
        backoff = backoff.with_max_retries(Some(count(retries).min(u32::MAX as usize) as u32));
    }
    let mut config = Config::<Handle> {
        backoff,
        ..Config::default()
    };
    if let Some(timeout) = at(option::CONNECT_TIMEOUT) {
        // 0 and Infinity: no timeout.
        config.connect_timeout = duration(timeout).filter(|t| !t.is_zero());
    }
    if let Some(uptime) = at(option::MIN_UPTIME).and_then(duration) {
        config.min_uptime = uptime;
    }
    if let Some(messages) = at(option::MAX_QUEUED_MESSAGES) {
        config.queue.max_messages = count(messages);
    }
    if let Some(bytes) = at(option::MAX_QUEUED_BYTES) {
        config.queue.max_bytes = count(bytes);
    }
    if at(option::OVERFLOW) == Some(1.0) {
        config.queue.overflow = Overflow::DropOldest;
    }
    let heartbeat = (
        at(option::HEARTBEAT_INTERVAL),
        at(option::HEARTBEAT_TIMEOUT),
    );
    if let (Some(interval), Some(timeout)) = heartbeat {
        config.heartbeat = Some(Heartbeat {
            interval: duration(interval).unwrap_or(Duration::MAX),
            timeout: duration(timeout).unwrap_or(Duration::MAX),
            ping: Handle::PING,
        });
    }
    if at(option::ACKNOWLEDGE) == Some(1.0) {
        config.acknowledge = Some(Rc::new(Handle::key));
    }
    if let Some(decide) = decide {
        config.should_reconnect = Rc::new(move |close: &CloseInfo| {
            match decide.call(
                &JsValue::UNDEFINED,
                close.code,
                &close.reason,
                close.was_clean,
            ) {
                1 => true,
                2 => false,
                _ => default_should_reconnect(close),
            }
        });
    }
    config.check()?;
    Ok(config)
}

/// One reconnecting connection's decisions. See the module documentation.
#[wasm_bindgen]
pub struct Core {
    machine: Machine<SplitMix64, Handle>,
    /// The text of the action [`Core::next`] returned last.
    text: String,
}

#[wasm_bindgen]
impl Core {
    /// A core whose first attempt starts at `now` (ms since the epoch).
    /// `numbers` holds the options in the order of the `option` positions
    /// (NaN: not given), checked first with [`config_problem`]; `decide` is
    /// the `shouldReconnect` wrapper, if any.
    #[wasm_bindgen(constructor)]
    pub fn new(numbers: &[f64], decide: Option<Decide>, now: f64) -> Core {
        let config = config(numbers, decide).unwrap_or_default();
        let seed = numbers.get(option::SEED).map_or(0, |seed| *seed as u64);
        Core {
            machine: Machine::new(config, SplitMix64::new(seed), at(now)),
            text: String::new(),
        }
    }

    /// Accepts a message the class keeps under `id` (`size` bytes; `key` with
    /// acknowledged delivery): 0 = transmit it now, 1 = queued, 2 = refused
    /// (the queue is full), 3 = refused (closed). `peer_closing`: the open
    /// platform socket is already closing, so the message waits for the next
    /// connection.
    pub fn send(&mut self, id: u32, size: f64, key: Option<String>, peer_closing: bool) -> u32 {
        let handle = Handle::new(id, count(size), key);
        let outcome = if peer_closing {
            self.machine.send_after_peer_close(handle)
        } else {
            self.machine.send(handle)
        };
        match outcome {
            SendOutcome::Transmit(_) => 0,
            SendOutcome::Queued => 1,
            SendOutcome::Rejected {
                because: Rejection::QueueFull,
                ..
            } => 2,
            SendOutcome::Rejected {
                because: Rejection::Closed,
                ..
            } => 3,
        }
    }

    /// Closes for good: 0, or (nothing done) 1 for a code other than 1000 or
    /// 3000–4999, 2 for a reason over 123 bytes of UTF-8.
    pub fn close(&mut self, code: u16, reason: &str) -> u32 {
        match self.machine.close(code, reason) {
            Ok(()) => 0,
            Err(Error::InvalidCloseCode { .. }) => 1,
            Err(_) => 2,
        }
    }

    /// Tells what happened at `now`: an `input` number, with its text (the
    /// protocol of an open, the reason of a failed attempt, an acknowledged key).
    pub fn feed(&mut self, now: f64, kind: u32, text: Option<String>) {
        let input = match kind {
            input::OPENED => Input::Opened {
                protocol: text.filter(|p| !p.is_empty()),
            },
            input::ERROR => Input::Error,
            input::PONG => Input::Pong,
            input::RECONNECT => Input::Reconnect,
            input::ONLINE => Input::Online,
            input::OFFLINE => Input::Offline,
            input::VISIBLE => Input::Visible,
            input::ATTEMPT_FAILED => Input::AttemptFailed {
                reason: text.unwrap_or_default(),
            },
            input::ACKNOWLEDGED => Input::Acknowledged {
                key: text.unwrap_or_default(),
            },
            _ => return,
        };
        self.machine.handle(at(now), input);
    }

    /// The current platform socket closed (or failed: code 1006).
    pub fn closed(&mut self, now: f64, code: u16, reason: String, was_clean: bool) {
        let close = CloseInfo {
            code,
            reason,
            was_clean,
        };
        self.machine.handle(at(now), Input::Closed(close));
    }

    /// Fires the timers due at `now`.
    pub fn timeout(&mut self, now: f64) {
        self.machine.handle_timeout(at(now));
    }

    /// When to call [`Core::timeout`] next (ms since the epoch), or Infinity.
    pub fn deadline(&self) -> f64 {
        self.machine
            .poll_timeout()
            .map_or(f64::INFINITY, milliseconds)
    }

    /// The next thing to do, as numbers (empty: nothing), its text in
    /// [`Core::text`]:
    /// `[1, attempt]` connect; `[2, id]` transmit; `[3, code]` close (text:
    /// reason); `[4]` abandon the current socket; events: `[5, attempt]`
    /// connecting, `[6, reconnected]` open (text: protocol), `[7]` error,
    /// `[8]` attempt failed (text: reason), `[9, code, wasClean, willRetry]`
    /// close (text: reason), `[10, attempt, delay]` reconnecting, `[11,
    /// attempts]` gave up, `[12, id]` dropped, `[13, id]` acknowledged.
    pub fn next(&mut self) -> Vec<f64> {
        let Some(action) = self.machine.poll_action() else {
            return Vec::new();
        };
        let flag = |value: bool| if value { 1.0 } else { 0.0 };
        self.text.clear();
        match action {
            Action::Connect { attempt } => vec![1.0, attempt.into()],
            Action::Transmit(handle) => vec![2.0, handle.id().into()],
            Action::Close { code, reason } => {
                self.text = reason;
                vec![3.0, code.into()]
            }
            Action::Abandon => vec![4.0],
            Action::Notify(notice) => match notice {
                Notice::Connecting { attempt } => vec![5.0, attempt.into()],
                Notice::Open {
                    protocol,
                    reconnected,
                } => {
                    self.text = protocol.unwrap_or_default();
                    vec![6.0, flag(reconnected)]
                }
                Notice::Error => vec![7.0],
                Notice::AttemptFailed { reason } => {
                    self.text = reason;
                    vec![8.0]
                }
                Notice::Closed { close, will_retry } => {
                    self.text = close.reason;
                    vec![
                        9.0,
                        close.code.into(),
                        flag(close.was_clean),
                        flag(will_retry),
                    ]
                }
                Notice::Reconnecting { attempt, delay } => {
                    vec![10.0, attempt.into(), milliseconds(delay)]
                }
                Notice::GaveUp { attempts } => vec![11.0, attempts.into()],
                Notice::Dropped(handle) => vec![12.0, handle.id().into()],
                Notice::Acknowledged(handle) => vec![13.0, handle.id().into()],
            },
        }
    }

    /// The text of the action [`Core::next`] returned last.
    #[wasm_bindgen(getter)]
    pub fn text(&self) -> String {
        self.text.clone()
    }

    /// `[state, attempt, delay, readyState, queuedMessages, queuedBytes,
    /// unconfirmedMessages, maxQueuedMessages, maxQueuedBytes]`; state: 0
    /// connecting, 1 open, 2 closing, 3 waiting, 4 offline, 5 closed.
    pub fn status(&self) -> Vec<f64> {
        let state = self.machine.state();
        let (kind, attempt, delay) = match state {
            State::Connecting { attempt } => (0.0, *attempt, Duration::ZERO),
            State::Open => (1.0, 0, Duration::ZERO),
            State::Closing => (2.0, 0, Duration::ZERO),
            State::Waiting { attempt, delay } => (3.0, *attempt, *delay),
            State::Offline { attempt } => (4.0, *attempt, Duration::ZERO),
            State::Closed => (5.0, 0, Duration::ZERO),
        };
        vec![
            kind,
            attempt.into(),
            milliseconds(delay),
            state.ready_state().as_platform().into(),
            self.machine.queued_messages() as f64,
            self.machine.queued_bytes() as f64,
            self.machine.unconfirmed_messages() as f64,
            self.machine.queue_limits().max_messages as f64,
            self.machine.queue_limits().max_bytes as f64,
        ]
    }
}

/// Milliseconds since the epoch as the machine's time.
fn at(now: f64) -> Duration {
    duration(now).unwrap_or_default()
}

/// What is wrong with the options in `numbers` (see [`Core::new`]): 0
/// nothing, 1 a backoff factor below 1, 2 a first delay above the cap, 3
/// another value that cannot work.
#[wasm_bindgen(js_name = configProblem)]
pub fn config_problem(numbers: &[f64]) -> u32 {
    if numbers.len() != option::COUNT {
        return 3;
    }
    match config(numbers, None) {
        Ok(_) => 0,
        Err(Error::InvalidOption {
            option: "backoff.factor",
            ..
        }) => 1,
        Err(Error::InvalidOption {
            option: "backoff.min_delay",
            ..
        }) => 2,
        Err(_) => 3,
    }
}
