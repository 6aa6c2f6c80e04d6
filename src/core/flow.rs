//! Backpressure: high and low water marks over everything not yet
//! transmitted (the platform socket's `bufferedAmount` plus the queue).
//!
//! The platform `WebSocket` buffers without limit and has no event for a
//! drained buffer. So the drivers tell the machine what the platform holds
//! ([`super::machine::Input::Buffered`]) only when a send may have crossed
//! the high mark; from then on the machine asks for a sample every
//! [`DRAIN_CHECK_INTERVAL`] ([`super::machine::Action::SampleBuffered`])
//! until what is pending falls to the low mark, and reports
//! [`super::machine::Notice::Drained`]. While below the high mark nothing is
//! watched and nothing is added to the message path.
//!
//! A writer that waits for the drain whenever the high mark is crossed (the
//! JS `drained()`, the Rust `Sink`) never has more than the high mark plus
//! one message pending.

use core::time::Duration;

/// How often the platform's buffer is sampled while the high mark is
/// crossed (or while a flush waits for it to empty).
pub const DRAIN_CHECK_INTERVAL: Duration = Duration::from_millis(20);

/// The water marks. Defaults: high 1 MiB, low 256 KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaterMarks {
    /// Above this many pending bytes the socket is congested: writers wait.
    pub high: usize,
    /// A congested socket is drained again at or below this many.
    pub low: usize,
}

impl WaterMarks {
    /// High 1 MiB, low 256 KiB.
    pub const DEFAULT: WaterMarks = WaterMarks {
        high: 1024 * 1024,
        low: 256 * 1024,
    };
}

impl Default for WaterMarks {
    fn default() -> Self {
        WaterMarks::DEFAULT
    }
}

/// What a sample changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlowChange {
    /// Nothing.
    None,
    /// The high mark was crossed: writers wait from now on.
    Congested,
    /// It fell to the low mark after crossing the high one.
    Drained,
}

/// The flow state of a connection: the platform's last sampled buffer and
/// whether the high mark was crossed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Flow {
    /// Bytes the platform socket held at the last sample.
    pub(crate) buffered: usize,
    congested: bool,
    /// A flush waits for everything to be transmitted.
    awaiting_empty: bool,
}

impl Flow {
    /// Whether writers wait.
    pub(crate) fn is_congested(&self) -> bool {
        self.congested
    }

    /// A flush waits: keep sampling until nothing is pending.
    pub(crate) fn await_empty(&mut self) {
        self.awaiting_empty = true;
    }

    /// Whether the machine should sample the platform's buffer.
    pub(crate) fn wants_samples(&self) -> bool {
        self.congested || self.awaiting_empty
    }

    /// Re-evaluates with `pending` bytes not yet transmitted (`settled`:
    /// nothing awaits acknowledgement either).
    pub(crate) fn update(
        &mut self,
        marks: WaterMarks,
        pending: usize,
        settled: bool,
    ) -> FlowChange {
        if pending == 0 && settled {
            self.awaiting_empty = false;
        }
        if !self.congested && pending > marks.high {
            self.congested = true;
            FlowChange::Congested
        } else if self.congested && pending <= marks.low {
            self.congested = false;
            FlowChange::Drained
        } else {
            FlowChange::None
        }
    }

    /// The connection is gone (or closed for good): its platform buffer with it.
    pub(crate) fn connection_gone(&mut self) {
        self.buffered = 0;
    }

    /// Closed for good: nobody waits any more.
    pub(crate) fn reset(&mut self) {
        *self = Flow::default();
    }
}
