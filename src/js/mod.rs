//! The exports behind the npm package's `SteadySocket` class: a small ABI of
//! numbers and UTF-8 buffers, read by `pkg-template/engine.js`.
//!
//! The class (`pkg-template/steadysocket.js`) does the IO in JavaScript: it
//! owns the platform socket, its listeners, the timer and the page signals,
//! and keeps every payload. It asks the core for every lifecycle decision: it
//! feeds what happened ([`core_feed`], [`core_closed`], [`core_timeout`]) and
//! carries out what [`core_next`] returns. Messages never cross into wasm:
//! the core holds [`Handle`]s (an id and a size), so sends and receives cost
//! no copy. Nothing here formats text: the class checks the URL and protocols
//! with the platform's URL parser, as `WebSocket` does, and words its own
//! errors from the numbers it gets back.
//!
//! This module is the whole of the package's wasm (the crate built with only
//! its `npm` feature, no_std, see [`runtime`]). It uses no wasm-bindgen: its
//! glue and runtime would be a fifth of the package.

mod config;
mod handle;
mod runtime;
mod shared;

use crate::core::close_policy::{default_should_reconnect, CloseInfo};
use crate::core::machine::{
    Action, Input, Machine, Notice, Rejection, SendOutcome, ShouldReconnect, State,
};
use crate::core::random::SplitMix64;
use crate::error::Error;
use alloc::rc::Rc;
use config::{at, config, count, milliseconds, option};
use handle::Handle;
use shared::{core_in, keep, release, text_in, text_out, NUMBERS, NUMBER_SLOTS, TEXT_IN, TEXT_OUT};

#[link(wasm_import_module = "steadysocket")]
extern "C" {
    /// The class's `shouldReconnect` for the core in `slot` (the close's
    /// reason is in the text-out buffer): 0 the default table decides, 1
    /// reconnect, 2 stop. It catches what the user's function throws.
    fn decide(slot: u32, code: u32, reason_length: u32, was_clean: u32) -> u32;
}

/// What [`core_feed`] is told, by number.
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

/// What an export returns when its core is busy: the class called it from
/// inside `shouldReconnect`, which runs while the core decides.
const BUSY: u32 = u32::MAX;

/// One connection's decisions.
pub struct Core {
    machine: Machine<SplitMix64, Handle>,
}

/// Runs `f` on the core in `slot`; `None` if there is none or it is busy.
fn with_core<R>(slot: u32, f: impl FnOnce(&mut Core) -> R) -> Option<R> {
    let core = core_in(slot)?;
    let mut core = core.try_borrow_mut().ok()?;
    Some(f(&mut core))
}

/// Where the class reads and writes numbers ([`NUMBER_SLOTS`] of them).
#[no_mangle]
pub extern "C" fn numbers() -> *mut f64 {
    NUMBERS.with(|numbers| numbers.as_mut_ptr())
}

/// Where the class writes `length` bytes of UTF-8 for the next call.
#[no_mangle]
pub extern "C" fn text_in_buffer(length: usize) -> *mut u8 {
    TEXT_IN.with(|text| {
        text.clear();
        text.resize(length, 0);
        text.as_mut_ptr()
    })
}

/// Where the class reads the text the core wrote last.
#[no_mangle]
pub extern "C" fn text_out_buffer() -> *const u8 {
    TEXT_OUT.with(|text| text.as_ptr())
}

/// What is wrong with the options in the numbers: 0 nothing, 1 a backoff
/// factor below 1, 2 a first delay above the cap, 3 another value that
/// cannot work.
#[no_mangle]
pub extern "C" fn config_problem() -> u32 {
    let numbers = NUMBERS.with(|numbers| *numbers);
    match config(&numbers[..option::COUNT], None) {
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

/// A core for the options in the numbers (checked first with
/// [`config_problem`]), its first attempt starting at `now` (ms since the
/// epoch); `decides`: the class has a `shouldReconnect`. Returns its slot.
#[no_mangle]
pub extern "C" fn core_new(now: f64, decides: u32) -> u32 {
    let numbers = NUMBERS.with(|numbers| *numbers);
    keep(|slot| {
        let should_reconnect = (decides != 0).then(|| {
            Rc::new(move |close: &CloseInfo| {
                let length = text_out(&close.reason);
                // SAFETY: an import of the package's own glue; numbers only.
                match unsafe { decide(slot, close.code.into(), length, close.was_clean.into()) } {
                    1 => true,
                    2 => false,
                    _ => default_should_reconnect(close),
                }
            }) as ShouldReconnect
        });
        let config = config(&numbers[..option::COUNT], should_reconnect).unwrap_or_default();
        let seed = numbers[option::SEED] as u64;
        Core {
            machine: Machine::new(config, SplitMix64::new(seed), at(now)),
        }
    })
}

/// Frees the core in `slot`.
#[no_mangle]
pub extern "C" fn core_free(slot: u32) {
    release(slot);
}

/// Accepts a message the class keeps under `id` (`size` bytes; with
/// acknowledged delivery, a key of `key_length` bytes in the text-in buffer,
/// -1 for none): 0 = transmit it now, 1 = queued, 2 = refused (the queue is
/// full), 3 = refused (closed). `peer_closing`: the open platform socket is
/// already closing, so the message waits for the next connection.
#[no_mangle]
pub extern "C" fn core_send(
    slot: u32,
    id: u32,
    size: f64,
    key_length: i32,
    peer_closing: u32,
) -> u32 {
    let handle = Handle::new(id, count(size), text_in(key_length));
    with_core(slot, |core| {
        let outcome = if peer_closing != 0 {
            core.machine.send_after_peer_close(handle)
        } else {
            core.machine.send(handle)
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
    })
    .unwrap_or(BUSY)
}

/// Closes for good with `code` and the reason in the text-in buffer: 0, or
/// (nothing done) 1 for a code other than 1000 or 3000–4999, 2 for a reason
/// over 123 bytes of UTF-8.
#[no_mangle]
pub extern "C" fn core_close(slot: u32, code: u32, reason_length: i32) -> u32 {
    let reason = text_in(reason_length).unwrap_or_default();
    let code = u16::try_from(code).unwrap_or(0);
    with_core(slot, |core| match core.machine.close(code, &reason) {
        Ok(()) => 0,
        Err(Error::InvalidCloseCode { .. }) => 1,
        Err(_) => 2,
    })
    .unwrap_or(BUSY)
}

/// Tells what happened at `now`: an `input` number, with the text in the
/// text-in buffer (`text_length`, -1 for none): the protocol of an open,
/// the reason of a failed attempt, an acknowledged key.
#[no_mangle]
pub extern "C" fn core_feed(slot: u32, now: f64, kind: u32, text_length: i32) -> u32 {
    let text = text_in(text_length);
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
        _ => return 0,
    };
    with_core(slot, |core| core.machine.handle(at(now), input)).map_or(BUSY, |()| 0)
}

/// The current platform socket closed (or failed: code 1006), with the
/// reason in the text-in buffer.
#[no_mangle]
pub extern "C" fn core_closed(
    slot: u32,
    now: f64,
    code: u32,
    reason_length: i32,
    was_clean: u32,
) -> u32 {
    let close = CloseInfo {
        code: u16::try_from(code).unwrap_or(1006),
        reason: text_in(reason_length).unwrap_or_default(),
        was_clean: was_clean != 0,
    };
    with_core(slot, |core| {
        core.machine.handle(at(now), Input::Closed(close))
    })
    .map_or(BUSY, |()| 0)
}

/// Fires the timers due at `now`.
#[no_mangle]
pub extern "C" fn core_timeout(slot: u32, now: f64) -> u32 {
    with_core(slot, |core| core.machine.handle_timeout(at(now))).map_or(BUSY, |()| 0)
}

/// When to call [`core_timeout`] next (ms since the epoch), or Infinity.
#[no_mangle]
pub extern "C" fn core_deadline(slot: u32) -> f64 {
    with_core(slot, |core| core.machine.poll_timeout())
        .flatten()
        .map_or(f64::INFINITY, milliseconds)
}

/// The next thing to do, written to the numbers (its kind is returned; 0:
/// nothing), with its text in the text-out buffer (its length last):
/// `[1, attempt]` connect; `[2, id]` transmit; `[3, code]` close (text:
/// reason); `[4]` abandon the current socket; events: `[5, attempt]`
/// connecting, `[6, reconnected]` open (text: protocol), `[7]` error, `[8]`
/// attempt failed (text: reason), `[9, code, wasClean, willRetry]` close
/// (text: reason), `[10, attempt, delay]` reconnecting, `[11, attempts]`
/// gave up, `[12, id]` dropped, `[13, id]` acknowledged.
#[no_mangle]
pub extern "C" fn core_next(slot: u32) -> u32 {
    let Some(Some(action)) = with_core(slot, |core| core.machine.poll_action()) else {
        return 0;
    };
    let flag = |value: bool| if value { 1.0 } else { 0.0 };
    let (numbers, text): ([f64; 4], &str) = match &action {
        Action::Connect { attempt } => ([1.0, (*attempt).into(), 0.0, 0.0], ""),
        Action::Transmit(handle) => ([2.0, handle.id().into(), 0.0, 0.0], ""),
        Action::Close { code, reason } => ([3.0, (*code).into(), 0.0, 0.0], reason),
        Action::Abandon => ([4.0, 0.0, 0.0, 0.0], ""),
        Action::Notify(notice) => match notice {
            Notice::Connecting { attempt } => ([5.0, (*attempt).into(), 0.0, 0.0], ""),
            Notice::Open {
                protocol,
                reconnected,
            } => (
                [6.0, flag(*reconnected), 0.0, 0.0],
                protocol.as_deref().unwrap_or_default(),
            ),
            Notice::Error => ([7.0, 0.0, 0.0, 0.0], ""),
            Notice::AttemptFailed { reason } => ([8.0, 0.0, 0.0, 0.0], reason),
            Notice::Closed { close, will_retry } => (
                [
                    9.0,
                    close.code.into(),
                    flag(close.was_clean),
                    flag(*will_retry),
                ],
                &close.reason,
            ),
            Notice::Reconnecting { attempt, delay } => {
                ([10.0, (*attempt).into(), milliseconds(*delay), 0.0], "")
            }
            Notice::GaveUp { attempts } => ([11.0, (*attempts).into(), 0.0, 0.0], ""),
            Notice::Dropped(handle) => ([12.0, handle.id().into(), 0.0, 0.0], ""),
            Notice::Acknowledged(handle) => ([13.0, handle.id().into(), 0.0, 0.0], ""),
        },
    };
    let length = text_out(text);
    NUMBERS.with(|out| {
        out[..4].copy_from_slice(&numbers);
        out[NUMBER_SLOTS - 1] = length.into();
    });
    numbers[0] as u32
}

/// Writes `[state, attempt, delay, readyState, queuedMessages, queuedBytes,
/// unconfirmedMessages, maxQueuedMessages, maxQueuedBytes]` to the numbers;
/// state: 0 connecting, 1 open, 2 closing, 3 waiting, 4 offline, 5 closed.
#[no_mangle]
pub extern "C" fn core_status(slot: u32) -> u32 {
    let status = with_core(slot, |core| {
        let machine = &core.machine;
        let state = machine.state();
        let (kind, attempt, delay) = match state {
            State::Connecting { attempt } => (0.0, *attempt, Default::default()),
            State::Open => (1.0, 0, Default::default()),
            State::Closing => (2.0, 0, Default::default()),
            State::Waiting { attempt, delay } => (3.0, *attempt, *delay),
            State::Offline { attempt } => (4.0, *attempt, Default::default()),
            State::Closed => (5.0, 0, Default::default()),
        };
        let limits = machine.queue_limits();
        [
            kind,
            attempt.into(),
            milliseconds(delay),
            state.ready_state().as_platform().into(),
            machine.queued_messages() as f64,
            machine.queued_bytes() as f64,
            machine.unconfirmed_messages() as f64,
            limits.max_messages as f64,
            limits.max_bytes as f64,
        ]
    });
    let Some(status) = status else { return BUSY };
    NUMBERS.with(|out| out[..status.len()].copy_from_slice(&status));
    0
}

/// Bytes the core's allocator holds now (for leak tests and benchmarks).
#[no_mangle]
pub extern "C" fn live_heap_bytes() -> f64 {
    runtime::live_bytes() as f64
}
