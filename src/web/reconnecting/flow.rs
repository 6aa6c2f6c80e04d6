//! Backpressure in the Rust face: the driver samples the platform's buffer
//! when a send may have crossed the high water mark (and whenever the core
//! asks), and wakes the writers that wait, as [`crate::core::flow`] decides.

use super::driver::Driver;
use super::ReconnectingSocket;
use crate::core::machine::{Input, State};
use crate::error::Error;
use crate::event::Message;
use crate::ReadyState;
use futures_sink::Sink;
use std::borrow::Cow;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

impl Driver {
    /// What the platform socket holds now (0 without one).
    fn platform_buffered(&self) -> usize {
        self.socket
            .borrow()
            .as_ref()
            .map_or(0, |socket| socket.buffered_amount() as usize)
    }

    /// After a send: if the platform's buffer crossed the high mark, tell the
    /// machine (it watches for the drain from then on). Below the mark this
    /// is one read of `bufferedAmount`. True if the machine was fed (its
    /// actions are then to be run).
    pub(super) fn note_buffered(&self) -> bool {
        let bytes = self.platform_buffered();
        let mut machine = self.machine.borrow_mut();
        if machine.is_congested() || bytes <= machine.water_marks().high {
            return false;
        }
        machine.handle(crate::web::timer::now(), Input::Buffered { bytes });
        true
    }

    /// The core's [`crate::core::machine::Action::SampleBuffered`], inside
    /// [`Driver::run_actions`]'s loop.
    pub(super) fn sample_buffered(&self) {
        let bytes = self.platform_buffered();
        self.machine
            .borrow_mut()
            .handle(crate::web::timer::now(), Input::Buffered { bytes });
    }

    /// Wakes every writer that waits; each checks its own condition again.
    pub(super) fn wake_writers(&self) {
        self.writers.wake_all();
    }

    fn closed_for_good(&self) -> Option<Error> {
        (*self.machine.borrow().state() == State::Closed).then_some(Error::NotOpen {
            state: ReadyState::Closed,
        })
    }

    /// Ready while below the high mark (or drained since) and the queue has room.
    pub(crate) fn poll_ready(&self, cx: &Context<'_>) -> Poll<Result<(), Error>> {
        if let Some(error) = self.closed_for_good() {
            return Poll::Ready(Err(error));
        }
        let machine = self.machine.borrow();
        let limits = machine.queue_limits();
        let queue_full = machine.queued_messages() >= limits.max_messages
            || machine.queued_bytes() >= limits.max_bytes;
        if machine.is_congested() || queue_full {
            drop(machine);
            self.writers.wait(cx);
            return Poll::Pending;
        }
        Poll::Ready(Ok(()))
    }

    /// Ready once the high mark crossed last has drained to the low one.
    pub(crate) fn poll_drained(&self, cx: &Context<'_>) -> Poll<Result<(), Error>> {
        if let Some(error) = self.closed_for_good() {
            return Poll::Ready(Err(error));
        }
        if self.machine.borrow().is_congested() {
            self.writers.wait(cx);
            return Poll::Pending;
        }
        Poll::Ready(Ok(()))
    }

    /// Ready once everything is transmitted (the queue empty, the
    /// platform's buffer empty) and, with acknowledged delivery, confirmed.
    pub(crate) fn poll_flushed(self: &Rc<Self>, cx: &Context<'_>) -> Poll<Result<(), Error>> {
        if let Some(error) = self.closed_for_good() {
            return Poll::Ready(Err(error));
        }
        if *self.machine.borrow().state() == State::Open {
            self.sample_buffered();
        }
        let empty = {
            let machine = self.machine.borrow();
            machine.pending_bytes() == 0 && machine.unconfirmed_messages() == 0
        };
        if !empty {
            // The machine samples the buffer until it is empty; each sample
            // runs the actions and so wakes this writer to look again.
            let now = crate::web::timer::now();
            self.machine.borrow_mut().handle(now, Input::AwaitEmpty);
            self.writers.wait(cx);
        }
        // Only what this poll changed wakes writers (none: no busy loop).
        self.run_actions();
        if empty {
            Poll::Ready(Ok(()))
        } else {
            Poll::Pending
        }
    }
}

impl ReconnectingSocket {
    /// Resolves at once unless the high water mark is crossed (see
    /// [`crate::core::flow`]); then when what is not yet transmitted falls to
    /// the low mark. Fails with [`Error::NotOpen`] once closed for good.
    ///
    /// ```no_run
    /// # async fn demo(socket: steadysocket::ReconnectingSocket, chunks: Vec<steadysocket::Message>) -> Result<(), steadysocket::Error> {
    /// for chunk in &chunks {
    ///     socket.send(chunk)?;
    ///     socket.drained().await?; // waits only while the high mark is crossed
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn drained(&self) -> Result<(), Error> {
        std::future::poll_fn(|cx| self.driver.poll_drained(cx)).await
    }

    /// Resolves once everything sent is transmitted (queue and platform
    /// buffer empty) and, with acknowledged delivery, acknowledged. Fails
    /// with [`Error::NotOpen`] once closed for good.
    pub async fn flushed(&self) -> Result<(), Error> {
        std::future::poll_fn(|cx| self.driver.poll_flushed(cx)).await
    }

    /// Whether the high water mark is crossed (writers that respect
    /// backpressure wait for [`Self::drained`]).
    pub fn is_congested(&self) -> bool {
        self.driver.machine.borrow().is_congested()
    }
}

/// A [`Sink`] of raw messages with backpressure: `poll_ready` is pending
/// while the high water mark is crossed or the queue is full, and woken at
/// the drain; `poll_flush` waits until everything is transmitted (and, with
/// acknowledged delivery, confirmed); `poll_close` flushes (close the socket
/// with [`ReconnectingSocket::close`]). A message it queues (or keeps for
/// acknowledgement) is the one given, not a copy.
impl Sink<Message> for ReconnectingSocket {
    type Error = Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.driver.poll_ready(cx)
    }

    fn start_send(self: Pin<&mut Self>, message: Message) -> Result<(), Error> {
        self.driver.send(Cow::Owned(message)).map(drop)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.driver.poll_flushed(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.driver.poll_flushed(cx)
    }
}
