//! The queue between the platform callbacks and the [`Events`] stream.

use crate::event::Event;
use futures_core::Stream;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::pin::Pin;
use std::rc::Rc;
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

/// The events of a socket as a [`Stream`], in the order they happened.
///
/// For a [`crate::Socket`] the stream ends after [`Event::Closed`], or when
/// the socket is dropped; for a [`crate::ReconnectingSocket`] when it is
/// closed for good or dropped. All handles of one socket share one queue:
/// each event is yielded once, to whichever handle polls first.
pub struct Events<T = Event> {
    pub(crate) queue: Rc<EventQueue<T>>,
}

impl<T> Events<T> {
    /// The next event; `None` once the stream has ended.
    pub(crate) async fn next_event(&mut self) -> Option<T> {
        std::future::poll_fn(|cx| self.queue.poll_next_event(cx)).await
    }
}

impl<T> Stream for Events<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.queue.poll_next_event(cx)
    }
}
