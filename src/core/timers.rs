//! The machine's timers: one deadline per kind, in a small table (after
//! quinn-proto's `TimerTable`), so that the machine sets, stops and fires
//! timers by name instead of writing array slots.

use core::time::Duration;

/// The machine's timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timer {
    /// The next reconnect attempt.
    Reconnect,
    /// An attempt that is not open by then is abandoned.
    ConnectTimeout,
    /// A connection open this long starts the backoff over.
    MinUptime,
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
    pub(crate) const ALL: [Timer; 7] = [
        Timer::Reconnect,
        Timer::ConnectTimeout,
        Timer::MinUptime,
        Timer::Heartbeat,
        Timer::HeartbeatTimeout,
        Timer::ClosingTimeout,
        Timer::DrainCheck,
    ];
}

/// A deadline for each [`Timer`], or none.
#[derive(Debug, Clone, Default)]
pub(crate) struct TimerTable {
    deadlines: [Option<Duration>; Timer::ALL.len()],
}

impl TimerTable {
    /// Sets `timer` to `deadline` (`None`: stopped, as for a deadline past
    /// the end of time).
    pub(crate) fn set(&mut self, timer: Timer, deadline: Option<Duration>) {
        // `get_mut`, not indexing: no panic path in the npm wasm (a timer's
        // number is always in range).
        if let Some(slot) = self.deadlines.get_mut(timer as usize) {
            *slot = deadline;
        }
    }

    /// Stops `timer`.
    pub(crate) fn stop(&mut self, timer: Timer) {
        self.set(timer, None);
    }

    /// `timer`'s deadline, if it is set.
    pub(crate) fn deadline(&self, timer: Timer) -> Option<Duration> {
        self.deadlines.get(timer as usize).copied().flatten()
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
        self.deadlines.iter().flatten().min().copied()
    }

    /// `timer`'s deadline if it is due at `now`, stopping it; `None` if it
    /// is not set or not yet due.
    pub(crate) fn take_due(&mut self, timer: Timer, now: Duration) -> Option<Duration> {
        let slot = self.deadlines.get_mut(timer as usize)?;
        let deadline = slot.filter(|deadline| *deadline <= now)?;
        *slot = None;
        Some(deadline)
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
        table.set(Timer::MinUptime, Some(2 * SECOND));
        assert_eq!(table.next_deadline(), Some(2 * SECOND));
        assert_eq!(
            table.take_due(Timer::Heartbeat, 2 * SECOND),
            None,
            "not yet due"
        );
        assert_eq!(
            table.take_due(Timer::MinUptime, 2 * SECOND),
            Some(2 * SECOND)
        );
        assert_eq!(
            table.take_due(Timer::MinUptime, 5 * SECOND),
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
}
