//! The machine's timers: one deadline per kind, in a small table (after
//! quinn-proto's `TimerTable`), so that the machine sets, stops and fires
//! timers by name instead of writing array slots.

use super::time::Nanos;
use core::time::Duration;

/// The machine's timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timer {
    /// The next reconnect attempt.
    Reconnect,
    /// An attempt that is not open by then is abandoned.
    ConnectTimeout,
    /// The next heartbeat ping.
    Heartbeat,
    /// The heartbeat's reply is late.
    HeartbeatTimeout,
    /// The closing handshake [`super::machine::Machine::close`] started is late.
    ClosingTimeout,
    /// Sample the platform's buffer again (see [`super::flow`]).
    DrainCheck,
}

impl Timer {
    /// Every timer, in the order due ones fire.
    pub(crate) const ALL: [Timer; 6] = [
        Timer::Reconnect,
        Timer::ConnectTimeout,
        Timer::Heartbeat,
        Timer::HeartbeatTimeout,
        Timer::ClosingTimeout,
        Timer::DrainCheck,
    ];
}

/// A deadline for each [`Timer`], or none: in nanoseconds since the
/// machine's time origin, 8 bytes each instead of an `Option<Duration>`'s 16
/// (the table is in every connection's memory), with [`Nanos::NEVER`] for
/// none.
#[derive(Debug, Clone)]
pub(crate) struct TimerTable {
    deadlines: [Nanos; Timer::ALL.len()],
}

impl Default for TimerTable {
    fn default() -> Self {
        TimerTable {
            deadlines: [Nanos::NEVER; Timer::ALL.len()],
        }
    }
}

/// `deadline` as kept; [`Nanos::NEVER`] for none or one 2^64 - 1 ns or more
/// after the origin.
fn kept(deadline: Option<Duration>) -> Nanos {
    deadline.map_or(Nanos::NEVER, Nanos::new)
}

/// The deadline kept as `nanos`, if it is set.
fn deadline(nanos: Nanos) -> Option<Duration> {
    (nanos != Nanos::NEVER).then(|| nanos.get())
}

impl TimerTable {
    /// Sets `timer` to `deadline` (`None`: stopped, as for a deadline past
    /// the end of time).
    pub(crate) fn set(&mut self, timer: Timer, deadline: Option<Duration>) {
        // `get_mut`, not indexing: no panic path in the npm wasm (a timer's
        // number is always in range).
        if let Some(slot) = self.deadlines.get_mut(timer as usize) {
            *slot = kept(deadline);
        }
    }

    /// Stops `timer`.
    pub(crate) fn stop(&mut self, timer: Timer) {
        self.set(timer, None);
    }

    /// `timer`'s deadline, if it is set.
    pub(crate) fn deadline(&self, timer: Timer) -> Option<Duration> {
        deadline(
            self.deadlines
                .get(timer as usize)
                .copied()
                .unwrap_or(Nanos::NEVER),
        )
    }

    /// Whether `timer` is set.
    pub(crate) fn is_set(&self, timer: Timer) -> bool {
        self.deadline(timer).is_some()
    }

    /// Stops every timer.
    pub(crate) fn stop_all(&mut self) {
        *self = TimerTable::default();
    }

    /// The earliest deadline, if any timer is set.
    pub(crate) fn next_deadline(&self) -> Option<Duration> {
        deadline(self.deadlines.iter().copied().min().unwrap_or(Nanos::NEVER))
    }

    /// `timer`'s deadline if it is due at `now`, stopping it; `None` if it
    /// is not set or not yet due.
    pub(crate) fn take_due(&mut self, timer: Timer, now: Duration) -> Option<Duration> {
        let slot = self.deadlines.get_mut(timer as usize)?;
        let due = deadline(*slot).filter(|deadline| *deadline <= now)?;
        *slot = Nanos::NEVER;
        Some(due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn the_earliest_set_timer_is_next_and_fires_once() {
        let mut table = TimerTable::default();
        assert_eq!(table.next_deadline(), None);
        table.set(Timer::Heartbeat, Some(3 * SECOND));
        table.set(Timer::ClosingTimeout, Some(2 * SECOND));
        assert_eq!(table.next_deadline(), Some(2 * SECOND));
        assert_eq!(
            table.take_due(Timer::Heartbeat, 2 * SECOND),
            None,
            "not yet due"
        );
        assert_eq!(
            table.take_due(Timer::ClosingTimeout, 2 * SECOND),
            Some(2 * SECOND)
        );
        assert_eq!(
            table.take_due(Timer::ClosingTimeout, 5 * SECOND),
            None,
            "fired once"
        );
        assert!(table.is_set(Timer::Heartbeat));
        table.stop(Timer::Heartbeat);
        assert!(!table.is_set(Timer::Heartbeat));
        table.set(Timer::Reconnect, Some(SECOND));
        table.stop_all();
        assert_eq!(table.next_deadline(), None);
    }

    #[test]
    fn deadlines_keep_their_nanoseconds_and_the_end_of_time_is_never() {
        let mut table = TimerTable::default();
        let exact = Duration::new(1_234_567, 891);
        table.set(Timer::ClosingTimeout, Some(exact));
        assert_eq!(table.deadline(Timer::ClosingTimeout), Some(exact));
        assert_eq!(table.take_due(Timer::ClosingTimeout, exact), Some(exact));
        let last = Duration::from_nanos(u64::MAX - 1);
        table.set(Timer::Reconnect, Some(last));
        assert_eq!(table.next_deadline(), Some(last));
        table.set(Timer::Reconnect, Some(Duration::from_nanos(u64::MAX)));
        assert_eq!(table.deadline(Timer::Reconnect), None, "584 years on");
        table.set(Timer::Reconnect, Some(Duration::MAX));
        assert!(!table.is_set(Timer::Reconnect));
        assert_eq!(table.take_due(Timer::Reconnect, Duration::MAX), None);
    }
}
