//! How an action or event of the core crosses to the class: its kind, up
//! to three numbers and a text, as [`super::abi::ACTIONS`] lays them out.

use super::abi::{action, delay_source};
use super::config::milliseconds;
use super::handle::Handle;
use crate::core::machine::{Action, DelaySource, Notice};

/// `action` as its kind, its numbers in the order [`super::abi::ACTIONS`] names
/// them, and its text ("" for none); `None` for a trace entry (the trace
/// module writes those).
pub fn encoded(action: &Action<Handle>) -> Option<(u32, [f64; 3], &str)> {
    let flag = |value: bool| if value { 1.0 } else { 0.0 };
    let encoded: (u32, [f64; 3], &str) = match action {
        Action::Connect { attempt } => (action::CONNECT, [(*attempt).into(), 0.0, 0.0], ""),
        Action::Transmit(handle) => (action::TRANSMIT, [handle.id().into(), 0.0, 0.0], ""),
        Action::Close { code, reason } => (action::CLOSE, [(*code).into(), 0.0, 0.0], reason),
        Action::Abandon => (action::ABANDON, [0.0; 3], ""),
        Action::SampleBuffered => (action::SAMPLE_BUFFERED, [0.0; 3], ""),
        Action::Trace(_) => return None,
        Action::Notify(notice) => match notice {
            Notice::Connecting { attempt } => {
                (action::CONNECTING, [(*attempt).into(), 0.0, 0.0], "")
            }
            Notice::Open {
                protocol,
                reconnected,
            } => (
                action::OPEN,
                [flag(*reconnected), 0.0, 0.0],
                protocol.as_deref().unwrap_or_default(),
            ),
            Notice::Error => (action::ERROR, [0.0; 3], ""),
            Notice::AttemptFailed { reason } => (action::ATTEMPT_FAILED, [0.0; 3], reason),
            Notice::Closed { close, will_retry } => (
                action::CLOSED,
                [close.code.into(), flag(close.was_clean), flag(*will_retry)],
                &close.reason,
            ),
            Notice::Reconnecting {
                attempt,
                delay,
                source,
            } => (
                action::RECONNECTING,
                [
                    (*attempt).into(),
                    milliseconds(*delay),
                    delay_source(*source),
                ],
                "",
            ),
            Notice::GaveUp { attempts } => (action::GAVE_UP, [(*attempts).into(), 0.0, 0.0], ""),
            Notice::Dropped(handle) => (action::DROPPED, [handle.id().into(), 0.0, 0.0], ""),
            Notice::Acknowledged(handle) => {
                (action::ACKNOWLEDGED, [handle.id().into(), 0.0, 0.0], "")
            }
            Notice::Drained => (action::DRAINED, [0.0; 3], ""),
        },
    };
    Some(encoded)
}

/// A delay's source as its number in [`super::abi::DELAY_SOURCES`].
pub fn delay_source(source: DelaySource) -> f64 {
    let number = match source {
        DelaySource::Backoff => delay_source::BACKOFF,
        DelaySource::Hint => delay_source::HINT,
        DelaySource::TryAgainLater => delay_source::TRY_AGAIN_LATER,
    };
    number.into()
}
