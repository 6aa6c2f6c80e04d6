//! The queue between the platform callbacks and the [`Events`] stream.

use crate::event::{Event, Message};
use futures_core::Stream;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll};

use super::wakers::Wakers;

/// Events waiting to be read, and the tasks waiting for them.
pub(crate) struct EventQueue<T> {
    events: RefCell<VecDeque<T>>,
    readers: Wakers,
    ended: Cell<bool>,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue {
            events: RefCell::new(VecDeque::new()),
            readers: Wakers::default(),
            ended: Cell::new(false),
        }
    }
}

impl<T> EventQueue<T> {
    /// Queues an event and wakes the readers.
    pub(crate) fn push(&self, event: T) {
        self.events.borrow_mut().push_back(event);
        self.readers.wake_all();
    }

    /// Marks the end of the stream: readers get what is queued, then `None`.
    pub(crate) fn end(&self) {
        self.ended.set(true);
        self.readers.wake_all();
    }

    fn poll_next_event(&self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        if let Some(event) = self.events.borrow_mut().pop_front() {
            return Poll::Ready(Some(event));
        }
        if self.ended.get() {
            return Poll::Ready(None);
        }
        self.readers.wait(cx);
        Poll::Pending
    }
}

/// The most events a socket keeps for its first subscription.
pub const BACKLOG_EVENTS: usize = 1024;
/// The most message bytes a socket keeps for its first subscription.
pub const BACKLOG_BYTES: usize = 1 << 20;

/// What the backlog needs of an event type.
pub(crate) trait Backlogged {
    /// The message an event carries, if any (its bytes count).
    fn message(&self) -> Option<&Message>;
    /// The first item of a first subscription for which `events` were let go.
    fn missed(events: usize) -> Self;
}

/// What happened before the first subscription: the newest events, within
/// [`BACKLOG_EVENTS`] and [`BACKLOG_BYTES`], and how many older ones went.
struct Backlog<T> {
    events: VecDeque<T>,
    bytes: usize,
    missed: usize,
}

impl<T: Backlogged> Backlog<T> {
    fn keep(&mut self, event: T) {
        self.bytes += bytes_of(&event);
        self.events.push_back(event);
        while self.events.len() > BACKLOG_EVENTS || self.bytes > BACKLOG_BYTES {
            let Some(oldest) = self.events.pop_front() else {
                break;
            };
            self.bytes -= bytes_of(&oldest);
            self.missed += 1;
        }
    }
}

fn bytes_of(event: &impl Backlogged) -> usize {
    event.message().map_or(0, Message::len)
}

/// Hands every event to every live subscription. Events that happen before
/// the first subscription are kept for it (the newest, within the backlog's
/// bounds), so nothing between creating a socket and subscribing is missed
/// unnoticed, and a socket nobody reads holds bounded memory.
pub(crate) struct Fanout<T> {
    subscribers: RefCell<Vec<Weak<EventQueue<T>>>>,
    backlog: RefCell<Option<Backlog<T>>>,
    ended: Cell<bool>,
}

impl<T> Default for Fanout<T> {
    fn default() -> Self {
        Fanout {
            subscribers: RefCell::new(Vec::new()),
            backlog: RefCell::new(Some(Backlog {
                events: VecDeque::new(),
                bytes: 0,
                missed: 0,
            })),
            ended: Cell::new(false),
        }
    }
}

impl<T: Clone + Backlogged> Fanout<T> {
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
                backlog.keep(event);
            }
            return;
        };
        for queue in others {
            queue.push(event.clone());
        }
        last.push(event);
    }

    /// A new subscription: every event from now on (and the backlog, for
    /// the first, after a `missed` item if older events went).
    pub(crate) fn subscribe(&self) -> Events<T> {
        let queue = Rc::new(EventQueue::default());
        let backlog = self.backlog.borrow_mut().take();
        if let Some(backlog) = backlog {
            if backlog.missed > 0 {
                queue.push(T::missed(backlog.missed));
            }
            for event in backlog.events {
                queue.push(event);
            }
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
/// from then on. The first also sees what happened before it: the newest
/// [`BACKLOG_EVENTS`] events holding at most [`BACKLOG_BYTES`] of messages,
/// after an item that counts the older ones if more happened (a socket
/// nobody reads keeps no more than that). For a
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

impl Backlogged for Event {
    fn message(&self) -> Option<&Message> {
        match self {
            Event::Message(message) => Some(message),
            _ => None,
        }
    }

    fn missed(events: usize) -> Self {
        Event::Missed { events }
    }
}
