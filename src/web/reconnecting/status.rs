//! [`Status`]: where a [`super::ReconnectingSocket`] stands, as one value an
//! app can watch (a reactive signal in Leptos, state in Dioxus or Yew), and
//! [`Statuses`], the watch.

use super::Driver;
use crate::core::machine::{Machine, State};
use crate::core::random::SplitMix64;
use crate::core::ready_state::ReadyState;
use crate::web::wakers::Wakers;
use futures_core::Stream;
use std::cell::{Cell, RefCell};
use std::pin::Pin;
use std::rc::Weak;
use std::task::{Context, Poll};
use std::time::Duration;

/// Where a [`super::ReconnectingSocket`] stands: its state, the queue and
/// what awaits acknowledgement. [`super::ReconnectingSocket::statuses`]
/// gives it again whenever any of it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Status {
    /// The state, with attempt numbers and the drawn delay.
    pub state: State,
    /// The WebSocket-compatible ready state.
    pub ready_state: ReadyState,
    /// Messages waiting in the queue.
    pub queued_messages: usize,
    /// Bytes waiting in the queue.
    pub queued_bytes: usize,
    /// Messages sent and not yet acknowledged (with acknowledged delivery).
    pub unconfirmed_messages: usize,
    /// While waiting: when the next attempt starts, as time since the Unix
    /// epoch on the clock of `Date.now()`, which an app reads with
    /// `js_sys::Date::now()` for a countdown (`std::time::Instant` panics on
    /// wasm32-unknown-unknown).
    pub retry_at: Option<Duration>,
}

impl Status {
    /// The status of `machine` now.
    pub(crate) fn of(machine: &Machine<SplitMix64>) -> Status {
        let state = machine.state().clone();
        Status {
            ready_state: state.ready_state(),
            state,
            queued_messages: machine.queued_messages(),
            queued_bytes: machine.queued_bytes(),
            unconfirmed_messages: machine.unconfirmed_messages(),
            retry_at: machine.next_attempt_at(),
        }
    }

    /// While waiting, the time left until the next attempt by `Date.now()`
    /// (zero once it is due); `None` otherwise. For a countdown in any
    /// framework: read it again on a timer while the state is
    /// [`State::Waiting`].
    pub fn retry_in(&self) -> Option<Duration> {
        self.retry_at.map(time_left)
    }
}

/// The time left until `at` (as time since the Unix epoch) by `Date.now()`.
pub(crate) fn time_left(at: Duration) -> Duration {
    crate::core::time::since(crate::web::timer::now(), at)
}

/// The driver's side of the watch: the status last published, how many
/// times it changed, and the readers waiting for the next change.
#[derive(Default)]
pub(crate) struct StatusWatch {
    status: RefCell<Option<Status>>,
    version: Cell<u64>,
    readers: Wakers,
}

impl StatusWatch {
    /// Publishes `status` if it differs from the last one (and says whether
    /// it did), waking the readers.
    pub(crate) fn publish(&self, status: Status) -> bool {
        if self.status.borrow().as_ref() == Some(&status) {
            return false;
        }
        *self.status.borrow_mut() = Some(status);
        self.version.set(self.version.get() + 1);
        self.wake();
        true
    }

    /// Wakes every reader (also when the socket goes, so that they end).
    pub(crate) fn wake(&self) {
        self.readers.wake_all();
    }
}

/// The status of a [`super::ReconnectingSocket`] as a watch: the status
/// now, then the newest whenever it changed since the last one read. A
/// reader that falls behind gets the newest, never a backlog, so a slow UI
/// costs no memory. It ends when the socket is dropped (it does not keep
/// the socket alive).
pub struct Statuses {
    pub(super) driver: Weak<Driver>,
    /// The version last read; `None` before the first.
    pub(super) seen: Option<u64>,
}

impl Stream for Statuses {
    type Item = Status;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Status>> {
        let this = self.get_mut();
        let Some(driver) = this.driver.upgrade() else {
            return Poll::Ready(None);
        };
        let watch = &driver.statuses;
        let version = watch.version.get();
        if this.seen != Some(version) {
            this.seen = Some(version);
            let published = watch.status.borrow().clone();
            return Poll::Ready(Some(published.unwrap_or_else(|| driver.current_status())));
        }
        watch.readers.wait(cx);
        Poll::Pending
    }
}
