//! Trace entries across the boundary: the kind and up to five numbers, as
//! [`super::abi::TRACE_KINDS`] lays them out, and one text; the class
//! (`pkg-template/trace.js`) names the fields and words the explanation.

use super::abi::{action, trace_kind, NUMBER_SLOTS};
use super::config::milliseconds;
use super::shared::{text_out, NUMBERS};
use crate::core::trace::TraceEntry;

/// Writes `entry` to the numbers (and its text to the text-out buffer);
/// returns [`action::TRACE`], or `None` for an entry the core never makes.
pub fn write(entry: &TraceEntry) -> Option<u32> {
    let flag = |value: bool| if value { 1.0 } else { 0.0 };
    let count = |value: usize| value as f64;
    let none = -1.0;
    let (kind, numbers, text): (u32, [f64; 5], &str) = match entry {
        TraceEntry::Opened {
            protocol,
            reconnected,
        } => (
            trace_kind::OPENED,
            [flag(*reconnected), 0.0, 0.0, 0.0, 0.0],
            protocol.as_deref().unwrap_or_default(),
        ),
        TraceEntry::Closed { close, will_retry } => (
            trace_kind::CLOSED,
            [
                close.code.into(),
                flag(close.was_clean),
                flag(*will_retry),
                0.0,
                0.0,
            ],
            &close.reason,
        ),
        TraceEntry::RetryScheduled {
            attempt,
            delay,
            source,
            step,
            hint,
        } => {
            let source = super::actions::delay_source(*source);
            let hint = hint.map_or(none, milliseconds);
            let numbers = [
                (*attempt).into(),
                milliseconds(*delay),
                source,
                (*step).into(),
                hint,
            ];
            (trace_kind::RETRY_SCHEDULED, numbers, "")
        }
        TraceEntry::WaitingForNetwork { attempt } => (
            trace_kind::WAITING_FOR_NETWORK,
            [(*attempt).into(), 0.0, 0.0, 0.0, 0.0],
            "",
        ),
        TraceEntry::Queued {
            bytes,
            queued_messages,
        } => (
            trace_kind::QUEUED,
            [count(*bytes), count(*queued_messages), 0.0, 0.0, 0.0],
            "",
        ),
        TraceEntry::Flushed { messages } => (
            trace_kind::FLUSHED,
            [count(*messages), 0.0, 0.0, 0.0, 0.0],
            "",
        ),
        TraceEntry::Dropped { bytes } => {
            (trace_kind::DROPPED, [count(*bytes), 0.0, 0.0, 0.0, 0.0], "")
        }
        TraceEntry::Acknowledged { bytes } => (
            trace_kind::ACKNOWLEDGED,
            [count(*bytes), 0.0, 0.0, 0.0, 0.0],
            "",
        ),
        TraceEntry::Congested { pending } => (
            trace_kind::CONGESTED,
            [count(*pending), 0.0, 0.0, 0.0, 0.0],
            "",
        ),
        TraceEntry::Drained { pending } => (
            trace_kind::DRAINED,
            [count(*pending), 0.0, 0.0, 0.0, 0.0],
            "",
        ),
        TraceEntry::GaveUp { attempts } => (
            trace_kind::GAVE_UP,
            [(*attempts).into(), 0.0, 0.0, 0.0, 0.0],
            "",
        ),
        // The class makes the attempt's entry itself: it knows the URL.
        _ => return None,
    };
    let length = text_out(text);
    // SAFETY: a copy in; nothing calls out.
    unsafe {
        NUMBERS.with(|out| {
            out[0] = action::TRACE.into();
            out[1] = kind.into();
            out[2..7].copy_from_slice(&numbers);
            out[NUMBER_SLOTS - 1] = length.into();
        })
    };
    Some(action::TRACE)
}
