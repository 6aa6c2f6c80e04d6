//! Backpressure in the machine (see [`crate::core::flow`]): what is
//! pending, when the high water mark is crossed and when it drains, and the
//! samples of the platform's buffer it asks for meanwhile.

use super::{Action, Machine, Notice, State};
use crate::core::flow::{FlowChange, WaterMarks, DRAIN_CHECK_INTERVAL};
use crate::core::payload::Payload;
use crate::core::random::RandomSource;
use crate::core::time;
use crate::core::timers::Timer;
use crate::core::trace::TraceEntry;
use core::time::Duration;

impl<R: RandomSource, M: Payload> Machine<R, M> {
    /// Bytes not yet transmitted: the platform's buffer (as last sampled,
    /// see [`super::Input::Buffered`]) plus the queue.
    pub fn pending_bytes(&self) -> usize {
        self.flow.buffered.saturating_add(self.queue.bytes())
    }

    /// Whether the high water mark is crossed: writers that respect
    /// backpressure wait for [`Notice::Drained`].
    pub fn is_congested(&self) -> bool {
        self.flow.is_congested()
    }

    /// The water marks.
    pub fn water_marks(&self) -> WaterMarks {
        self.settings.water_marks
    }

    /// Re-evaluates backpressure: reports the drain, and samples the
    /// platform's buffer every [`DRAIN_CHECK_INTERVAL`] while open and
    /// congested (or while a flush waits).
    pub(super) fn update_flow(&mut self, now: Duration) {
        self.report_flow();
        if self.state == State::Open && self.flow.wants_samples() {
            if !self.timers.is_set(Timer::DrainCheck) {
                self.timers
                    .set(Timer::DrainCheck, time::after(now, DRAIN_CHECK_INTERVAL));
            }
        } else {
            self.timers.stop(Timer::DrainCheck);
        }
    }

    /// Re-evaluates backpressure and reports a crossing or the drain,
    /// without arming the samples (a queued message; a connection that is gone).
    pub(super) fn report_flow(&mut self) {
        let settled = self.unconfirmed.is_empty();
        let pending = self.pending_bytes();
        match self
            .flow
            .update(self.settings.water_marks, pending, settled)
        {
            FlowChange::Drained => {
                self.notify(Notice::Drained);
                self.trace(TraceEntry::Drained { pending });
            }
            FlowChange::Congested => self.trace(TraceEntry::Congested { pending }),
            FlowChange::None => {}
        }
    }

    /// Transmits what the machine itself sends (a flushed queue, resent
    /// messages): the platform's buffer grows by its size until the next
    /// sample says otherwise.
    pub(super) fn transmit(&mut self, message: M) {
        self.flow.buffered = self.flow.buffered.saturating_add(message.size());
        self.act(Action::Transmit(message));
    }
}
