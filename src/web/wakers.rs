//! [`Wakers`]: the tasks waiting for something to change (the next event,
//! a new status, room to write), woken all at once when it does.

use std::cell::RefCell;
use std::task::{Context, Waker};

/// The tasks waiting for one thing; each checks its own condition again
/// when woken.
#[derive(Default)]
pub(crate) struct Wakers(RefCell<Vec<Waker>>);

impl Wakers {
    /// Remembers the task of `cx` (once, however often it polls).
    pub(crate) fn wait(&self, cx: &Context<'_>) {
        let mut waiting = self.0.borrow_mut();
        if !waiting.iter().any(|waker| waker.will_wake(cx.waker())) {
            waiting.push(cx.waker().clone());
        }
    }

    /// Wakes every waiting task and forgets them. The list is taken first,
    /// so a task woken here may wait again at once.
    pub(crate) fn wake_all(&self) {
        let waiting = std::mem::take(&mut *self.0.borrow_mut());
        for waker in waiting {
            waker.wake();
        }
    }
}
