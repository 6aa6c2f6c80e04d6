//! Typed views of a [`crate::ReconnectingSocket`]: a [`Sink`] of outgoing
//! values and a [`Stream`] of incoming ones, through an [`Encoder`] and a [`Decoder`].

use super::callback::Subscription;
use super::event_queue::Events;
use super::reconnecting::{Delivery, Driver, ReconnectEvent};
use super::ReconnectingSocket;
use crate::codec::{Decoder, Encoder, Undecodable};
use crate::core::ready_state::ReadyState;
use crate::error::Error;
use crate::event::Message;
use futures_core::Stream;
use futures_sink::Sink;
use std::borrow::Cow;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Weak;
use std::task::{Context, Poll};

impl ReconnectingSocket {
    /// A typed view: a sender of `Out` and a receiver of `In`, encoded and
    /// decoded by `codec`. Take as many views as you like; each receiver sees
    /// every message from now on, and this handle keeps control of the
    /// connection (state, close, reconnect) wherever the views go.
    pub fn typed<Out, In, C>(&self, codec: C) -> (TypedSender<Out, C>, TypedReceiver<In, C>)
    where
        C: Encoder<Out> + Decoder<In> + Clone,
    {
        (
            self.sender(codec.clone()),
            TypedReceiver::new(self.events(), codec),
        )
    }

    /// A typed sender alone, for an app that takes the messages with
    /// [`Self::on_message`] (and subscribes to nothing here).
    pub fn sender<Out, C: Encoder<Out>>(&self, codec: C) -> TypedSender<Out, C> {
        TypedSender::new(self.downgrade(), codec)
    }

    /// Every message decoded as `In` by `codec`, handed to `handler` as it
    /// arrives (`Err` with the raw payload for one that does not decode), on
    /// the platform's own callback: what [`TypedReceiver`] gives, with the
    /// calls and their end as [`ReconnectingSocket::on_event`]'s.
    pub fn on_message<In, C>(
        &self,
        codec: C,
        mut handler: impl FnMut(Result<In, Undecodable>) + 'static,
    ) -> Subscription
    where
        C: Decoder<In> + 'static,
    {
        self.on_event(move |event| {
            if let ReconnectEvent::Message(raw) = event {
                handler(decoded(&codec, raw));
            }
        })
    }
}

/// Sends values of type `Out`, encoded by `C`. Also a [`Sink`] with
/// backpressure: `poll_ready` is pending while the high water mark is
/// crossed or the queue is full (woken at the drain), `poll_flush` waits
/// until everything is transmitted and, with acknowledged delivery,
/// confirmed (see [`crate::core::flow`]). Clones send
/// on the same connection; none keeps it alive (see
/// [`crate::ReconnectingSocket`]: after the last socket handle is dropped,
/// sending fails with [`Error::NotOpen`]).
pub struct TypedSender<Out, C> {
    driver: Weak<Driver>,
    codec: C,
    _values: PhantomData<fn(&Out)>,
}

impl<Out, C: Clone> Clone for TypedSender<Out, C> {
    fn clone(&self) -> Self {
        TypedSender {
            driver: self.driver.clone(),
            codec: self.codec.clone(),
            _values: PhantomData,
        }
    }
}

impl<Out, C: Encoder<Out>> TypedSender<Out, C> {
    fn new(driver: Weak<Driver>, codec: C) -> Self {
        TypedSender {
            driver,
            codec,
            _values: PhantomData,
        }
    }

    /// Encodes and sends `value` now (or queues it while reconnecting), without
    /// waiting. Fails with [`Error::Encode`] if it does not encode, and like
    /// [`crate::ReconnectingSocket::send`] otherwise; after the socket is
    /// dropped, with [`Error::NotOpen`]. As a [`Sink`], `send(value).await` does the same.
    /// A message it queues (or keeps for acknowledgement) is the encoded one, not a copy.
    pub fn try_send(&self, value: &Out) -> Result<Delivery, Error> {
        let message = self
            .codec
            .encode(value)
            .map_err(|e| Error::Encode { message: e.message })?;
        match self.driver.upgrade() {
            Some(driver) => driver.send(Cow::Owned(message)),
            None => Err(dropped()),
        }
    }
}

/// `raw` decoded by `codec`, or why not with `raw` itself.
fn decoded<In, C: Decoder<In>>(codec: &C, raw: Message) -> Result<In, Undecodable> {
    codec
        .decode(&raw)
        .map_err(|error| Undecodable { raw, error })
}

/// What a sender of a dropped socket answers.
fn dropped() -> Error {
    Error::NotOpen {
        state: ReadyState::Closed,
    }
}

impl<Out, C: Encoder<Out>> Sink<Out> for TypedSender<Out, C> {
    type Error = Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        match self.driver.upgrade() {
            Some(driver) => driver.poll_ready(cx),
            None => Poll::Ready(Err(dropped())),
        }
    }

    fn start_send(self: Pin<&mut Self>, value: Out) -> Result<(), Error> {
        self.try_send(&value).map(drop)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        match self.driver.upgrade() {
            Some(driver) => driver.poll_flushed(cx),
            None => Poll::Ready(Err(dropped())),
        }
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.poll_flush(cx)
    }
}

/// Receives every message decoded as `In` by `C`: `Ok(value)`, or
/// `Err(Undecodable)` with the raw payload when it does not decode. Lifecycle
/// events are left to [`crate::ReconnectingSocket::events`]. Ends when the
/// socket closes for good or is dropped. Like every subscription it sees
/// what arrives from when it is made (see [`Events`] for what the first one
/// also gets), so make it before awaiting anything.
pub struct TypedReceiver<In, C> {
    events: Events<ReconnectEvent>,
    codec: C,
    _values: PhantomData<fn() -> In>,
}

impl<In, C: Decoder<In>> TypedReceiver<In, C> {
    pub(super) fn new(events: Events<ReconnectEvent>, codec: C) -> Self {
        TypedReceiver {
            events,
            codec,
            _values: PhantomData,
        }
    }
}

// No field is structurally pinned: the codec and the events are only used by `&mut`.
impl<In, C> Unpin for TypedReceiver<In, C> {}

impl<In, C: Decoder<In>> Stream for TypedReceiver<In, C> {
    type Item = Result<In, Undecodable>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match Pin::new(&mut this.events).poll_next(cx) {
                Poll::Ready(Some(ReconnectEvent::Message(raw))) => {
                    return Poll::Ready(Some(decoded(&this.codec, raw)));
                }
                Poll::Ready(Some(ReconnectEvent::Lifecycle(_) | ReconnectEvent::Missed { .. })) => {
                    continue
                }
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}
