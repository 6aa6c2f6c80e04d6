//! Subscriptions by callback (see [`crate::ReconnectingSocket::on_event`]):
//! an [`Events`] subscription whose reader is a function run at the wake
//! itself, on the platform's own callback, instead of a task that an
//! executor polls on a later turn. The socket's queue is read as a stream's
//! reader reads it, so only an app that subscribes by callback pays for
//! this file.
//!
//! An event that comes while the handler runs (it sent, closed or
//! reconnected, which reports at once) wakes nobody, since the run's waker
//! is registered again only once the queue is empty: the run's own loop
//! hands it over after the call returns. So the handler is never called
//! inside itself, and the order holds.

use super::event_queue::Events;
use futures_core::Stream;
use std::cell::RefCell;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// Hands what a subscription's queue holds to its handler; says whether
/// more may come (false once the stream ended, or the subscription was
/// dropped by the handler).
type Reader = Box<dyn FnMut(&mut Context<'_>) -> bool>;

/// A subscription's place in [`READERS`].
enum Slot {
    /// Waiting for its wake.
    Idle(Reader),
    /// Its reader runs now, taken out so that the handler may subscribe or
    /// drop subscriptions.
    Running,
    /// Dropped while it ran: the run ends after the handler's call.
    DroppedWhileRunning,
    /// Its stream ended and the reader (with the handler) is dropped; the
    /// place is kept until the [`Subscription`] goes.
    Ended,
    /// Free for a new subscription.
    Free,
}

thread_local! {
    /// Every live subscription by callback, by number. A wasm app has one
    /// thread; a subscription's waker is only woken there, by its queue.
    static READERS: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
}

/// A subscription's waker: its number, which is all of it that is `Send`.
struct WakeReader(usize);

impl Wake for WakeReader {
    fn wake(self: Arc<Self>) {
        let number = self.0;
        run(number, &Waker::from(self));
    }
}

fn with_slot<R>(number: usize, f: impl FnOnce(&mut Slot) -> R) -> R {
    READERS.with(|readers| f(&mut readers.borrow_mut()[number]))
}

/// Runs reader `number` with `waker`, unless it runs already (its loop
/// sees what woke it) or is gone.
fn run(number: usize, waker: &Waker) {
    let taken = with_slot(number, |slot| {
        match std::mem::replace(slot, Slot::Running) {
            Slot::Idle(reader) => Some(reader),
            other => {
                *slot = other;
                None
            }
        }
    });
    let Some(mut reader) = taken else { return };
    let more = reader(&mut Context::from_waker(waker));
    let finished = with_slot(number, |slot| match slot {
        Slot::Running if more => {
            *slot = Slot::Idle(reader);
            None
        }
        Slot::Running => {
            *slot = Slot::Ended;
            Some(reader)
        }
        _ => {
            *slot = Slot::Free;
            Some(reader)
        }
    });
    // Dropped outside the borrow: the handler may hold a socket, whose drop
    // ends its subscriptions.
    drop(finished);
}

/// Subscribes `handler` to `events`: called with what the queue holds now
/// (the backlog, for a socket's first subscription) before this returns,
/// then at every wake, until the stream ends or the subscription is dropped.
pub(crate) fn subscribe<T: 'static>(
    mut events: Events<T>,
    mut handler: impl FnMut(T) + 'static,
) -> Subscription {
    let number = READERS.with(|readers| {
        let mut readers = readers.borrow_mut();
        match readers.iter().position(|slot| matches!(slot, Slot::Free)) {
            Some(free) => free,
            None => {
                readers.push(Slot::Free);
                readers.len() - 1
            }
        }
    });
    let reader: Reader = Box::new(move |cx| loop {
        match Pin::new(&mut events).poll_next(cx) {
            Poll::Ready(Some(event)) => {
                handler(event);
                if !with_slot(number, |slot| matches!(slot, Slot::Running)) {
                    return false; // dropped by the handler
                }
            }
            Poll::Ready(None) => return false,
            Poll::Pending => return true,
        }
    });
    with_slot(number, |slot| *slot = Slot::Idle(reader));
    run(number, &Waker::from(Arc::new(WakeReader(number))));
    Subscription {
        number,
        _one_thread: PhantomData,
    }
}

/// A callback subscription to a socket's events, from
/// [`crate::ReconnectingSocket::on_event`], [`crate::ReconnectingSocket::on_message`]
/// or [`crate::Socket::on_event`]. The handler is called until this is
/// dropped (also from inside the handler: that call is the last) or the
/// socket closes for good (or is dropped), and is dropped then. Keep it as
/// long as the calls should go on.
#[must_use = "dropping a Subscription stops its calls at once"]
pub struct Subscription {
    number: usize,
    /// The subscription lives on the thread of its handler.
    _one_thread: PhantomData<Rc<()>>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let reader = with_slot(self.number, |slot| {
            match std::mem::replace(slot, Slot::Free) {
                Slot::Idle(reader) => Some(reader),
                Slot::Running => {
                    *slot = Slot::DroppedWhileRunning;
                    None
                }
                _ => None,
            }
        });
        drop(reader);
    }
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Subscription")
    }
}
