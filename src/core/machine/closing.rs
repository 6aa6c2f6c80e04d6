//! How the machine ends a connection: `close()` in every state (with a
//! bound on the closing handshake), closing for good (what was queued reported first, the final close last), and the
//! close reported for a connection that `reconnect()` replaces.

use super::{Action, Machine, Notice, State};
use crate::core::close_policy::CloseInfo;
use crate::core::payload::Payload;
use crate::core::random::RandomSource;
use crate::core::time;
use crate::core::timers::Timer;
use crate::core::validation::{check_close, CloseProblem, ABNORMAL_CLOSURE, NORMAL_CLOSURE};
use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::string::String;
use core::time::Duration;

impl<R: RandomSource, M: Payload> Machine<R, M> {
    /// Closes for good: no reconnect follows, in any state. `code` and `reason`
    /// are checked first (1000 or 3000–4999; at most 123 bytes).
    pub fn close(&mut self, now: Duration, code: u16, reason: &str) -> Result<(), CloseProblem> {
        check_close(code, reason)?;
        match self.state {
            State::Open => {
                self.clear_timers();
                self.timers
                    .set(Timer::ClosingTimeout, time::after(now, CLOSING_TIMEOUT));
                self.state = State::Closing;
                self.closing_with = Some(Box::new((code, reason.to_owned())));
                self.act(Action::Close {
                    code,
                    reason: reason.to_owned(),
                });
            }
            State::Connecting { .. } => {
                self.act(Action::Abandon);
                self.finish(closed_without_frame(""));
            }
            State::Waiting { .. } | State::Offline { .. } => {
                self.finish(CloseInfo {
                    code,
                    reason: reason.to_owned(),
                    was_clean: true,
                });
            }
            State::Closing | State::Closed => {}
        }
        Ok(())
    }

    /// Closed for good: timers off, unconfirmed and queued messages reported
    /// as dropped (an unconfirmed one may have arrived; nothing says so),
    /// then `close`, the last notice until a reconnect.
    pub(super) fn finish(&mut self, close: CloseInfo) {
        self.clear_timers();
        self.flow.reset();
        self.state = State::Closed;
        self.closing_with = None;
        while let Some(message) = self.unconfirmed.pop() {
            self.notify(Notice::Dropped(message));
        }
        while let Some(message) = self.queue.pop() {
            self.notify(Notice::Dropped(message));
        }
        self.notify_closed(close, false);
    }

    /// The closing handshake ran out of time: abandon the socket, closed for
    /// good with what [`Machine::close`] sent, not clean.
    pub(super) fn closing_timed_out(&mut self) {
        self.act(Action::Abandon);
        let (code, reason) = self
            .closing_with
            .take()
            .map_or((NORMAL_CLOSURE, String::new()), |sent| *sent);
        self.finish(CloseInfo {
            code,
            reason,
            was_clean: false,
        });
    }

    /// The close to report for the socket an [`super::Input::Reconnect`] replaces
    /// (none in the states without one): every connection or attempt ends
    /// with one [`Notice::Closed`]. The socket is abandoned, not waited for,
    /// so none of these is clean: an open one was sent 1000 (reported with
    /// the reason "reconnect"), a closing one what [`Machine::close`] sent,
    /// an attempt ends as one that never opened (1006).
    pub(super) fn replaced_close(&mut self) -> Option<CloseInfo> {
        let (code, reason) = match self.state {
            State::Open => (NORMAL_CLOSURE, RECONNECT_REASON.to_owned()),
            State::Closing => self
                .closing_with
                .take()
                .map_or((NORMAL_CLOSURE, String::new()), |sent| *sent),
            State::Connecting { .. } => (ABNORMAL_CLOSURE, RECONNECT_REASON.to_owned()),
            _ => return None,
        };
        Some(CloseInfo {
            code,
            reason,
            was_clean: false,
        })
    }
}

/// How long [`Machine::close`] waits for the closing handshake: a peer that
/// never answers (or a platform that never reports the close: seen in Deno)
/// is abandoned then, and the close reported with what was sent, not clean.
pub const CLOSING_TIMEOUT: Duration = Duration::from_secs(5);

/// The reason reported for a connection that [`super::Input::Reconnect`] replaced.
pub const RECONNECT_REASON: &str = "reconnect";

/// The reason reported for a connection that the back/forward cache cost
/// ([`super::Input::Restored`]).
pub const RESTORED_REASON: &str = "back/forward cache";

/// A close without a close frame (1006), with a reason of our own.
pub(super) fn closed_without_frame(reason: &str) -> CloseInfo {
    CloseInfo {
        code: ABNORMAL_CLOSURE,
        reason: reason.to_owned(),
        was_clean: false,
    }
}
