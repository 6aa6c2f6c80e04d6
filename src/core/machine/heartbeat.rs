//! The heartbeat: a ping every interval while open, a connection replaced
//! when no reply comes within the timeout, a timer that fired far too late
//! taken for a suspended page (ask again), and a check at once when the page
//! is visible again or the network is back.

use super::closing::closed_without_frame;
use super::{Action, Machine, State};
use crate::core::payload::Payload;
use crate::core::random::RandomSource;
use crate::core::time;
use crate::core::timers::Timer;
use core::time::Duration;

impl<R: RandomSource, M: Payload> Machine<R, M> {
    /// The reply came: the next ping is an interval away.
    pub(super) fn pong_arrived(&mut self, now: Duration) {
        if self.state == State::Open {
            self.timers.stop(Timer::HeartbeatTimeout);
            if let Some(heartbeat) = &self.settings.heartbeat {
                self.timers
                    .set(Timer::Heartbeat, time::after(now, heartbeat.interval));
            }
        }
    }

    /// No reply by `deadline`, noticed at `now`.
    pub(super) fn heartbeat_timed_out(&mut self, deadline: Duration, now: Duration) {
        let timeout = self
            .settings
            .heartbeat
            .as_ref()
            .map_or(Duration::ZERO, |h| h.timeout);
        if time::since(deadline, now) > timeout {
            // The timer fired far too late: this page was suspended or
            // its timers throttled, so the missing reply proves nothing.
            // Ask again instead of dropping a connection that may be fine.
            self.send_ping(now);
        } else {
            self.act(Action::Abandon);
            self.connection_lost(now, closed_without_frame("heartbeat timeout"));
        }
    }

    /// Pings at once if open with a heartbeat and no ping outstanding.
    pub(super) fn check_health(&mut self, now: Duration) {
        let ping_outstanding = self.timers.is_set(Timer::HeartbeatTimeout);
        if self.state == State::Open && !ping_outstanding {
            self.send_ping(now);
        }
    }

    /// Sends the ping and arms the timeout for its reply.
    pub(super) fn send_ping(&mut self, now: Duration) {
        let Some(heartbeat) = &self.settings.heartbeat else {
            return;
        };
        let (ping, timeout) = (heartbeat.ping.clone(), heartbeat.timeout);
        self.timers.stop(Timer::Heartbeat);
        self.timers
            .set(Timer::HeartbeatTimeout, time::after(now, timeout));
        self.act(Action::Transmit(ping));
    }
}
