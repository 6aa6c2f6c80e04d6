//! The queue between the platform callbacks and the [`Events`] stream.

use crate::event::Event;
use futures_core::Stream;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

/// Events waiting to be read, and the tasks waiting for them.
pub(crate) struct EventQueue<T> {
    events: RefCell<VecDeque<T>>,
    wakers: RefCell<Vec<Waker>>,
    ended: Cell<bool>,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue {
            events: RefCell::new(VecDeque::new()),
            wakers: RefCell::new(Vec::new()),
            ended: Cell::new(false),
        }
    }
}

impl<T> EventQueue<T> {
    /// Queues an event and wakes the readers.
    pub(crate) fn push(&self, event: T) {
        self.events.borrow_mut().push_back(event);
        self.wake_all();
    }

    /// Marks the end of the stream: readers get what is queued, then `None`.
    pub(crate) fn end(&self) {
        self.ended.set(true);
        self.wake_all();
    }

    fn wake_all(&self) {
        let wakers = std::mem::take(&mut *self.wakers.borrow_mut());
        for waker in wakers {
            waker.wake();
        }
    }

    fn poll_next_event(&self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        if let Some(event) = self.events.borrow_mut().pop_front() {
            return Poll::Ready(Some(event));
        }
        if self.ended.get() {
            return Poll::Ready(None);
        }
        let mut wakers = self.wakers.borrow_mut();
        if !wakers.iter().any(|w| w.will_wake(cx.waker())) {
            wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

/// Hands every event to every live subscription. Events that happen before
/// the first subscription are kept for it, so nothing between creating a
/// socket and subscribing is missed.
pub(crate) struct Fanout<T> {
    subscribers: RefCell<Vec<Weak<EventQueue<T>>>>,
    backlog: RefCell<Option<VecDeque<T>>>,
    ended: Cell<bool>,
}

impl<T> Default for Fanout<T> {
    fn default() -> Self {
        Fanout {
            subscribers: RefCell::new(Vec::new()),
            backlog: RefCell::new(Some(VecDeque::new())),
            ended: Cell::new(false),
        }
    }
}

impl<T: Clone> Fanout<T> {
    /// Delivers `event` to every live subscription (moved into the last one,
    /// so a single subscription costs no copy).
    pub(crate) fn push(&self, event: T) {
        // The borrow ends before any queue wakes a reader, and the common case
        // of one subscription allocates nothing.
        let (last, others) = {
            let mut subscribers = self.subscribers.borrow_mut();
            subscribers.retain(|queue| queue.strong_count() > 0);
            match subscribers.split_last() {
                None => (None, Vec::new()),
                Some((last, others)) => (
                    last.upgrade(),
                    others.iter().filter_map(Weak::upgrade).collect(),
                ),
            }
        };
        let Some(last) = last else {
            if let Some(backlog) = self.backlog.borrow_mut().as_mut() {
                backlog.push_back(event);
            }
            return;
        };
        for queue in others {
            queue.push(event.clone());
        }
        last.push(event);
    }

    /// A new subscription: every event from now on (and the backlog, for the first).
    pub(crate) fn subscribe(&self) -> Events<T> {
        let queue = Rc::new(EventQueue::default());
        for event in self.backlog.borrow_mut().take().into_iter().flatten() {
            queue.push(event);
        }
        if self.ended.get() {
            queue.end();
        }
        self.subscribers.borrow_mut().push(Rc::downgrade(&queue));
        Events { queue }
    }

    /// Ends the subscriptions alive now; later ones are not ended (a
    /// reconnecting socket closed for good may be reconnected).
    pub(crate) fn end_current(&self) {
        let subscribers = std::mem::take(&mut *self.subscribers.borrow_mut());
        for queue in subscribers.iter().filter_map(Weak::upgrade) {
            queue.end();
        }
    }

    /// Ends every subscription, present and future.
    pub(crate) fn end(&self) {
        self.ended.set(true);
        let subscribers = self.subscribers.borrow();
        for queue in subscribers.iter().filter_map(Weak::upgrade) {
            queue.end();
        }
    }
}

/// The events of a socket as a [`Stream`], in the order they happened.
///
/// Every call of `events()` is a subscription of its own that sees every event
/// from then on (the first also sees what happened before it). For a
/// [`crate::Socket`] the stream ends after [`Event::Closed`], or when the
/// socket is dropped; for a [`crate::ReconnectingSocket`] after it closes for
/// good, or when it is dropped.
pub struct Events<T = Event> {
    pub(crate) queue: Rc<EventQueue<T>>,
}

impl<T> Stream for Events<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.queue.poll_next_event(cx)
    }
}
