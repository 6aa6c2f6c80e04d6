//! What the machine does when a connection is lost: a retry after the
//! server's hint, the cap's window for 1013, or the backoff's step; waiting
//! for the network while offline; giving up when the retries ran out.

use super::{DelaySource, Machine, Notice, State};
use crate::core::close_policy::{error_precedes, CloseInfo};
use crate::core::payload::Payload;
use crate::core::random::RandomSource;
use crate::core::retry_hint::{hinted_delay, MAX_HINT};
use crate::core::time::{self, Nanos};
use crate::core::timers::Timer;
use crate::core::trace::TraceEntry;
use crate::core::validation::TRY_AGAIN_LATER;
use core::time::Duration;

impl<R: RandomSource, M: Payload> Machine<R, M> {
    /// The socket is gone: schedule a retry, or stop for good.
    pub(super) fn connection_lost(&mut self, now: Duration, close: CloseInfo) {
        self.lost(now, close, false);
    }

    /// The socket was lost while the page was away (the back/forward
    /// cache), not by a server's fault: retried at once with the backoff
    /// started over, as `online` does, unless a stop rule or the network
    /// says otherwise.
    pub(super) fn connection_lost_while_away(&mut self, now: Duration, close: CloseInfo) {
        self.lost(now, close, true);
    }

    fn lost(&mut self, now: Duration, close: CloseInfo, at_once: bool) {
        // Checked here rather than by a timer, so an idle connection runs none.
        if self.state == State::Open
            && time::since(self.opened_at.get(), now) >= self.settings.min_uptime
        {
            self.reset_backoff();
        }
        self.clear_timers();
        self.flow.connection_gone();
        self.report_flow();
        if error_precedes(&close, self.error_reported) {
            self.report_error();
        }
        if !(self.settings.should_reconnect)(&close) {
            self.finish(close);
            return;
        }
        if self.offline {
            self.notify_closed(close, true);
            let attempt = self.failures.saturating_add(1);
            self.state = State::Offline { attempt };
            self.trace(TraceEntry::WaitingForNetwork { attempt });
            return;
        }
        if at_once {
            self.notify_closed(close, true);
            self.reset_backoff();
            self.start_attempt(now, 0);
            return;
        }
        let step = self.failures;
        let Some((delay, source, hint)) = self.retry_delay(&close) else {
            self.notify(Notice::GaveUp {
                attempts: self.failures,
            });
            self.finish(close);
            return;
        };
        self.notify_closed(close, true);
        self.failures = self.failures.saturating_add(1);
        self.previous_delay = Nanos::new(delay);
        let attempt = self.failures;
        self.state = State::Waiting { attempt, delay };
        self.timers.set(Timer::Reconnect, time::after(now, delay));
        self.notify(Notice::Reconnecting {
            attempt,
            delay,
            source,
        });
        self.trace(TraceEntry::RetryScheduled {
            attempt,
            delay,
            source,
            step,
            hint,
        });
    }

    /// The delay before the next attempt after `close`, and where it came
    /// from: the server's hint, the cap's window for 1013 without one, or
    /// the backoff's step; `None` once the retries ran out.
    fn retry_delay(
        &mut self,
        close: &CloseInfo,
    ) -> Option<(Duration, DelaySource, Option<Duration>)> {
        let backoff = self.settings.backoff;
        if !backoff.allows(self.failures) {
            return None;
        }
        if let Some(hint) = (self.settings.retry_after)(close).map(|hint| hint.min(MAX_HINT)) {
            let delay = hinted_delay(hint, &mut self.random);
            return Some((delay, DelaySource::Hint, Some(hint)));
        }
        let (failures, previous) = (self.failures, self.previous_delay.get());
        if close.code == TRY_AGAIN_LATER {
            let delay = backoff.capped_delay(failures, previous, &mut self.random)?;
            return Some((delay, DelaySource::TryAgainLater, None));
        }
        let delay = backoff.delay(failures, previous, &mut self.random)?;
        Some((delay, DelaySource::Backoff, None))
    }

    pub(super) fn reset_backoff(&mut self) {
        self.failures = 0;
        self.previous_delay = Nanos::ZERO;
    }
}
