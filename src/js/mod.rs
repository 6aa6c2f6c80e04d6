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

pub mod abi;
mod actions;
mod config;
mod configs;
mod handle;
mod runtime;
mod shared;
mod single_thread;
mod size_classes;
mod trace;

use crate::core::close_policy::{default_should_reconnect, CloseInfo};
use crate::core::machine::{
    Action, Input, Machine, OptionProblem, Rejection, SendOutcome, SharedConfig, ShouldReconnect,
    State,
};
use crate::core::random::SplitMix64;
use crate::core::retry_hint::{default_retry_after, RetryAfter};
use crate::core::validation::CloseProblem;
use abi::NUMBER_SLOTS;
use abi::{close_answer, config_problem, input, limit, option, sent, state, status, BUSY};
use alloc::rc::Rc;
use config::{at, config, count, milliseconds};
use configs::{key_of, made_from, remember};
use core::time::Duration;
use handle::Handle;
use shared::{core_in, keep, release, text_in, text_out, NUMBERS, TEXT_IN, TEXT_OUT};

#[link(wasm_import_module = "steadysocket")]
extern "C" {
    /// The class's `shouldReconnect` for the core in `slot` (the close's
    /// reason is in the text-out buffer): 0 the default table decides, 1
    /// reconnect, 2 stop. It catches what the user's function throws.
    fn decide(slot: u32, code: u32, reason_length: u32, was_clean: u32) -> u32;

    /// The class's `retryAfter` for the core in `slot` (the close's reason
    /// is in the text-out buffer): a hint in ms (0 or more), [`abi::NO_HINT`],
    /// or [`abi::DEFAULT_HINT`] (it threw, or answered no number of ms).
    fn retry_after(slot: u32, code: u32, reason_length: u32, was_clean: u32) -> f64;
}

/// What the class's `retryAfter` answered, as the core reads hints.
fn hint_from_class(answer: f64, close: &CloseInfo) -> Option<Duration> {
    if answer == abi::NO_HINT {
        None
    } else if answer >= 0.0 {
        Some(config::duration(answer).unwrap_or(Duration::MAX))
    } else {
        default_retry_after(close)
    }
}

/// One connection's decisions.
pub struct Core {
    machine: Machine<SplitMix64, Handle>,
}

// Every connection holds one `Rc<RefCell<Core>>` block (two counts and the
// cell): it must fit the allocator's 192-byte class (the next is 256; see
// `size_classes.rs`), which it does with its settings shared (`configs.rs`),
// its times in 8 bytes (`time::Nanos`), and what few connections use
// (acknowledged messages, the close sent) boxed. The idle bench measures
// what it costs per socket.
#[cfg(target_arch = "wasm32")]
const _: () = assert!(
    2 * core::mem::size_of::<usize>() + core::mem::size_of::<core::cell::RefCell<Core>>() <= 192
);

/// Runs `f` on the core in `slot`; `None` if there is none or it is busy.
fn with_core<R>(slot: u32, f: impl FnOnce(&mut Core) -> R) -> Option<R> {
    let core = core_in(slot)?;
    let mut core = core.try_borrow_mut().ok()?;
    Some(f(&mut core))
}

/// Where the class reads and writes numbers ([`NUMBER_SLOTS`] of them).
#[no_mangle]
pub extern "C" fn numbers() -> *mut f64 {
    // SAFETY: only the address is taken; nothing calls out.
    unsafe { NUMBERS.with(|numbers| numbers.as_mut_ptr()) }
}

/// Where the class writes `length` bytes of UTF-8 for the next call.
#[no_mangle]
pub extern "C" fn text_in_buffer(length: usize) -> *mut u8 {
    // SAFETY: a resize; nothing calls out.
    unsafe {
        TEXT_IN.with(|text| {
            text.clear();
            text.resize(length, 0);
            text.as_mut_ptr()
        })
    }
}

/// Where the class reads the text the core wrote last.
#[no_mangle]
pub extern "C" fn text_out_buffer() -> *const u8 {
    // SAFETY: only the address is taken; nothing calls out.
    unsafe { TEXT_OUT.with(|text| text.as_ptr()) }
}

/// What is wrong with the options in the numbers: one of
/// [`abi::CONFIG_PROBLEMS`]. For options with nothing wrong, the numbers then
/// hold the bounds of [`abi::LIMIT_SLOTS`].
#[no_mangle]
pub extern "C" fn config_problem() -> u32 {
    // SAFETY: a copy out; nothing calls out.
    let numbers = unsafe { NUMBERS.with(|numbers| *numbers) };
    match config(&numbers[..option::COUNT], None, None) {
        Ok(config) => {
            let mut bounds = [0.0; limit::COUNT];
            bounds[limit::MAX_QUEUED_MESSAGES] = config.queue.max_messages as f64;
            bounds[limit::MAX_QUEUED_BYTES] = config.queue.max_bytes as f64;
            bounds[limit::HIGH_WATER_MARK] = config.water_marks.high as f64;
            // SAFETY: a copy in; nothing calls out.
            unsafe { NUMBERS.with(|out| out[..bounds.len()].copy_from_slice(&bounds)) };
            config_problem::NONE
        }
        Err(OptionProblem::BackoffFactor) => config_problem::FACTOR,
        Err(OptionProblem::MinDelayAboveMax) => config_problem::MIN_DELAY_ABOVE_MAX,
        Err(OptionProblem::LowMarkAboveHigh) => config_problem::LOW_MARK_ABOVE_HIGH,
        Err(_) => config_problem::OTHER,
    }
}

/// A core for the options in the numbers (checked first with
/// [`config_problem`]), its first attempt starting at `now` (ms since the
/// epoch); `readers`: the class has a `shouldReconnect` (bit 0, [`abi::DECIDES`])
/// and a `retryAfter` (bit 1, [`abi::READS_HINTS`]). Returns its slot.
#[no_mangle]
pub extern "C" fn core_new(now: f64, readers: u32) -> u32 {
    // SAFETY: a copy out; nothing calls out.
    let numbers = unsafe { NUMBERS.with(|numbers| *numbers) };
    keep(|slot| {
        let should_reconnect = (readers & abi::DECIDES != 0).then(|| {
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
        let retry_after = (readers & abi::READS_HINTS != 0).then(|| {
            Rc::new(move |close: &CloseInfo| {
                let length = text_out(&close.reason);
                // SAFETY: an import of the package's own glue; numbers only.
                let answer =
                    unsafe { retry_after(slot, close.code.into(), length, close.was_clean.into()) };
                hint_from_class(answer, close)
            }) as RetryAfter
        });
        // The option slots are the first of the numbers (abi.rs checks there are more numbers).
        let options: [f64; option::COUNT] = numbers
            .first_chunk()
            .copied()
            .unwrap_or([f64::NAN; option::COUNT]);
        // A class without readers: its configuration is its options' alone, shared (configs.rs).
        let key = (readers == 0).then(|| key_of(&options));
        let config = match key.as_ref().and_then(made_from) {
            Some(shared) => shared,
            None => {
                let made = SharedConfig::new(
                    config(&options, should_reconnect, retry_after).unwrap_or_default(),
                );
                if let Some(key) = key {
                    remember(key, &made);
                }
                made
            }
        };
        let seed = numbers[option::SEED] as u64;
        Core {
            machine: Machine::sharing(&config, SplitMix64::new(seed), at(now)),
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
/// -1 for none): one of [`abi::SENDS`]. `peer_closing`: the open platform socket is
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
            SendOutcome::Transmit(_) => sent::TRANSMIT,
            SendOutcome::Queued => sent::QUEUED,
            SendOutcome::Rejected {
                because: Rejection::QueueFull,
                ..
            } => sent::QUEUE_FULL,
            SendOutcome::Rejected {
                because: Rejection::Closed,
                ..
            } => sent::CLOSED,
        }
    })
    .unwrap_or(BUSY)
}

/// Closes for good with `code` and the reason in the text-in buffer: one of
/// [`abi::CLOSE_ANSWERS`].
#[no_mangle]
pub extern "C" fn core_close(slot: u32, now: f64, code: u32, reason_length: i32) -> u32 {
    let reason = text_in(reason_length).unwrap_or_default();
    let code = u16::try_from(code).unwrap_or(0);
    with_core(slot, |core| {
        match core.machine.close(at(now), code, &reason) {
            Ok(()) => close_answer::CLOSING,
            Err(CloseProblem::Code(_)) => close_answer::BAD_CODE,
            Err(CloseProblem::ReasonTooLong(_)) => close_answer::LONG_REASON,
        }
    })
    .unwrap_or(BUSY)
}

/// Tells what happened at `now`: one of [`abi::INPUTS`], with the text in the
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
        input::RESTORED => Input::Restored,
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
    code: f64,
    reason_length: i32,
    was_clean: u32,
) -> u32 {
    let close = CloseInfo::from_platform(
        code,
        text_in(reason_length).unwrap_or_default(),
        was_clean != 0,
    );
    with_core(slot, |core| {
        core.machine.handle(at(now), Input::Closed(close))
    })
    .map_or(BUSY, |()| 0)
}

/// The platform socket's buffer holds `bytes` (its `bufferedAmount`): after
/// a send left it above the high water mark, or when the core asked.
#[no_mangle]
pub extern "C" fn core_buffered(slot: u32, now: f64, bytes: f64) -> u32 {
    let input = Input::Buffered {
        bytes: count(bytes),
    };
    with_core(slot, |core| core.machine.handle(at(now), input)).map_or(BUSY, |()| 0)
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

/// The next thing to do, written to the numbers as [`abi::ACTIONS`] lays it
/// out (its kind is returned; 0: nothing), with its text in the text-out
/// buffer (its length in the last number).
#[no_mangle]
pub extern "C" fn core_next(slot: u32) -> u32 {
    let next = with_core(slot, |core| {
        let action = core.machine.poll_action();
        if action.is_none() {
            // The step is over: an idle socket keeps no room for actions.
            core.machine.release_action_room();
        }
        action
    });
    let Some(Some(action)) = next else {
        return 0;
    };
    if let Action::Trace(entry) = &action {
        // An entry the class makes itself (none comes from the core): the next.
        return trace::write(entry).unwrap_or_else(|| core_next(slot));
    }
    let Some((kind, numbers, text)) = actions::encoded(&action) else {
        return 0;
    };
    let length = text_out(text);
    // SAFETY: a copy in; nothing calls out.
    unsafe {
        NUMBERS.with(|out| {
            out[0] = kind.into();
            out[1..4].copy_from_slice(&numbers);
            out[NUMBER_SLOTS - 1] = length.into();
        })
    };
    kind
}

/// Writes the status to the numbers, in the slots of [`abi::STATUS_SLOTS`].
#[no_mangle]
pub extern "C" fn core_status(slot: u32) -> u32 {
    let status = with_core(slot, |core| {
        let machine = &core.machine;
        let state = machine.state();
        let (kind, attempt, delay) = match state {
            State::Connecting { attempt } => (state::CONNECTING, *attempt, Default::default()),
            State::Open => (state::OPEN, 0, Default::default()),
            State::Closing => (state::CLOSING, 0, Default::default()),
            State::Waiting { attempt, delay } => (state::WAITING, *attempt, *delay),
            State::Offline { attempt } => (state::OFFLINE, *attempt, Default::default()),
            State::Closed => (state::CLOSED, 0, Default::default()),
        };
        let mut out = [0.0; status::COUNT];
        out[status::STATE] = kind.into();
        out[status::ATTEMPT] = attempt.into();
        out[status::DELAY] = milliseconds(delay);
        out[status::READY_STATE] = state.ready_state().as_platform().into();
        out[status::QUEUED_MESSAGES] = machine.queued_messages() as f64;
        out[status::QUEUED_BYTES] = machine.queued_bytes() as f64;
        out[status::UNCONFIRMED_MESSAGES] = machine.unconfirmed_messages() as f64;
        out[status::CONGESTED] = if machine.is_congested() { 1.0 } else { 0.0 };
        out
    });
    let Some(status) = status else { return BUSY };
    // SAFETY: a copy in; nothing calls out.
    unsafe { NUMBERS.with(|out| out[..status.len()].copy_from_slice(&status)) };
    0
}

/// Bytes the core's allocator holds now (for leak tests and benchmarks).
#[no_mangle]
pub extern "C" fn live_heap_bytes() -> f64 {
    runtime::live_bytes() as f64
}
