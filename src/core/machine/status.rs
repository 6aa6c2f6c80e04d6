//! What a driver reads of the machine: its state, its queue and when the
//! next attempt starts.

use super::{Machine, State};
use crate::core::payload::Payload;
use crate::core::queue::QueueLimits;
use crate::core::random::RandomSource;
use crate::core::timers::Timer;
use core::time::Duration;

impl<R: RandomSource, M: Payload> Machine<R, M> {
    /// Where the connection stands.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Messages waiting in the queue.
    pub fn queued_messages(&self) -> usize {
        self.queue.len()
    }

    /// Payload bytes waiting in the queue.
    pub fn queued_bytes(&self) -> usize {
        self.queue.bytes()
    }

    /// Messages sent and not yet acknowledged (with [`super::Config::acknowledge`]).
    pub fn unconfirmed_messages(&self) -> usize {
        self.unconfirmed.len()
    }

    /// When the next attempt starts, while [`State::Waiting`] (in the
    /// driver's time, as given to [`Machine::handle`]).
    pub fn next_attempt_at(&self) -> Option<Duration> {
        match self.state {
            State::Waiting { .. } => self.timers.deadline(Timer::Reconnect),
            _ => None,
        }
    }

    /// The bounds of the queue.
    pub fn queue_limits(&self) -> QueueLimits {
        self.settings.queue
    }
}
