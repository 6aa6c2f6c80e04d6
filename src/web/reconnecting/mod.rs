//! [`ReconnectingSocket`]: a connection that comes back after it is lost.
//!
//! - `source`: the URL and subprotocols, fixed or asked before every attempt;
//! - `driver`: carries out the core machine's actions on the platform;
//! - `platform_events`: what the current socket reports, into the driver;
//! - `builder`: the options;
//! - `flow`: backpressure (the drain, the `Sink`);
//! - here: the public handle and what it reports.

mod builder;
mod driver;
mod flow;
mod platform_events;
mod source;
mod status;

pub use builder::ReconnectingSocketBuilder;
pub(crate) use driver::Driver;
#[cfg(feature = "leptos")]
pub(crate) use status::time_left;
pub use status::{Status, Statuses};

use crate::core::machine::{Input, Notice, State};
use crate::core::queue::QueueLimits;
use crate::core::ready_state::ReadyState;
use crate::error::Error;
use crate::event::Message;
use crate::web::callback::Subscription;
use crate::web::event_queue::Events;
use crate::web::socket::Socket;
use std::borrow::Cow;
use std::rc::Rc;

/// Recognises the heartbeat's reply.
type PongMatcher = Rc<dyn Fn(&Message) -> bool>;

/// What a [`ReconnectingSocket`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReconnectEvent {
    /// A message arrived (heartbeat replies are not reported).
    Message(Message),
    /// The connection's lifecycle: connecting, open, closed (with whether a
    /// retry follows), reconnecting, gave up, dropped messages.
    Lifecycle(Notice),
    /// Before the first subscription more happened than a socket keeps for
    /// it (see [`Events`]): this many of the oldest events went. Only ever
    /// the first item of the first subscription.
    Missed {
        /// How many events went.
        events: usize,
    },
}

impl crate::web::event_queue::Backlogged for ReconnectEvent {
    fn message(&self) -> Option<&Message> {
        match self {
            ReconnectEvent::Message(message) => Some(message),
            _ => None,
        }
    }

    fn missed(events: usize) -> Self {
        ReconnectEvent::Missed { events }
    }
}

/// Whether [`ReconnectingSocket::send`] sent the message or queued it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Handed to the open socket.
    Sent,
    /// Queued; it is sent in order when the connection opens.
    Queued,
}

/// A WebSocket connection that reconnects with jittered exponential backoff
/// when it is lost, queues what is sent meanwhile, and stops when told to.
///
/// Cloning gives another handle to the same connection (cheap: a reference
/// count), to keep in a component and in its cleanup, say. The connection
/// lives while a handle does: dropping the last one closes it, cancels its
/// timer, detaches every callback and ends its streams. [`Self::close`] on
/// any handle closes it for good for all of them. The handles are not
/// `Send`: a wasm app runs on one thread (keep one in Leptos with
/// `StoredValue::new_local`, or in a `SendWrapper`).
#[derive(Clone)]
pub struct ReconnectingSocket {
    driver: Rc<Driver>,
}

impl ReconnectingSocket {
    /// Starts building a reconnecting socket for `url`.
    pub fn builder(url: impl Into<String>) -> ReconnectingSocketBuilder {
        ReconnectingSocketBuilder::new(url.into())
    }

    /// The driver, for the typed views (which must not keep it alive).
    pub(crate) fn downgrade(&self) -> std::rc::Weak<Driver> {
        Rc::downgrade(&self.driver)
    }

    /// A subscription to this socket's events (see [`Events`]), in order. It
    /// ends after the socket closes for good (the final
    /// [`Notice::Closed`], `will_retry: false`, is its last item) or is
    /// dropped; subscribe again after [`Self::reconnect`].
    pub fn events(&self) -> Events<ReconnectEvent> {
        self.driver.events.subscribe()
    }

    /// The same events as [`Self::events`], handed to `handler` as they
    /// happen, on the platform's own callback (no task to wake, so no
    /// executor turn per event). The handler may send, close or reconnect:
    /// what that reports comes after it returns, never inside it. It is
    /// called until the [`Subscription`] is dropped or the socket closes for
    /// good (after the final [`Notice::Closed`]), and dropped then; a handler
    /// that holds a handle to this socket keeps it alive until one of those.
    /// Events from before the first subscription are handed over before this
    /// returns.
    ///
    /// ```rust,no_run
    /// # fn main() -> Result<(), steadysocket::Error> {
    /// use steadysocket::{Message, ReconnectEvent, ReconnectingSocket};
    /// let socket = ReconnectingSocket::builder("wss://example.com/feed").connect()?;
    /// let subscription = socket.on_event(|event| {
    ///     if let ReconnectEvent::Message(Message::Text(text)) = event {
    ///         println!("{text}");
    ///     }
    /// });
    /// // ... keep `subscription` as long as the calls should go on.
    /// # drop(subscription);
    /// # Ok(())
    /// # }
    /// ```
    pub fn on_event(&self, handler: impl FnMut(ReconnectEvent) + 'static) -> Subscription {
        crate::web::callback::subscribe(self.events(), handler)
    }

    /// Sends now if open; otherwise queues a copy within the queue's bounds.
    /// Fails with [`Error::QueueFull`] or, once closed for good, [`Error::NotOpen`].
    pub fn send(&self, message: &Message) -> Result<Delivery, Error> {
        self.driver.send(Cow::Borrowed(message))
    }

    /// Closes for good, in any state: no reconnect follows. `code` must be
    /// 1000 or 3000–4999 and `reason` at most 123 bytes of UTF-8. As with
    /// `WebSocket`, no message is reported after it, whatever the server
    /// sends before its close frame.
    pub fn close(&self, code: u16, reason: &str) -> Result<(), Error> {
        let now = crate::web::timer::now();
        self.driver.machine.borrow_mut().close(now, code, reason)?;
        self.driver.run_actions();
        Ok(())
    }

    /// Reconnects now, from any state (also after [`ReconnectingSocket::close`]
    /// or after retries ran out), with the backoff started over.
    pub fn reconnect(&self) {
        self.driver.feed(Input::Reconnect);
    }

    /// Messages sent and not yet acknowledged (see
    /// [`ReconnectingSocketBuilder::acknowledgements`]).
    pub fn unconfirmed_messages(&self) -> usize {
        self.driver.machine.borrow().unconfirmed_messages()
    }

    /// Where the socket stands: state, queue, unconfirmed messages, when the
    /// next attempt starts.
    pub fn status(&self) -> Status {
        self.driver.current_status()
    }

    /// The status now, then the newest whenever it changed (state, queued
    /// or unconfirmed counts, the next attempt's time): a watch to drive a
    /// reactive UI without polling (see [`Statuses`]). It ends when the
    /// socket is dropped.
    pub fn statuses(&self) -> Statuses {
        Statuses {
            driver: Rc::downgrade(&self.driver),
            seen: None,
        }
    }

    /// Resolves when the socket is closed for good (at once if it is): by
    /// [`Self::close`], a stop rule, or retries running out. Also when the
    /// last handle is dropped.
    pub async fn closed(&self) {
        use futures_core::Stream;
        let mut statuses = self.statuses();
        loop {
            let next = std::future::poll_fn(|cx| std::pin::Pin::new(&mut statuses).poll_next(cx));
            match next.await {
                Some(status) if status.state != State::Closed => continue,
                _ => return,
            }
        }
    }

    /// Where the connection stands, with attempt numbers and delays.
    pub fn state(&self) -> State {
        self.driver.machine.borrow().state().clone()
    }

    /// The WebSocket-compatible state: CONNECTING while an attempt or a retry
    /// is pending, CLOSED only when closed for good.
    pub fn ready_state(&self) -> ReadyState {
        self.driver.machine.borrow().state().ready_state()
    }

    /// The subprotocol of the current connection.
    pub fn protocol(&self) -> Option<String> {
        self.driver
            .socket
            .borrow()
            .as_ref()
            .and_then(Socket::protocol)
    }

    /// The extensions the server accepted on the current connection, or `""`.
    pub fn extensions(&self) -> String {
        self.driver
            .socket
            .borrow()
            .as_ref()
            .map_or_else(String::new, Socket::extensions)
    }

    /// Bytes not yet transmitted: the platform's buffer plus the queue.
    pub fn buffered_amount(&self) -> u64 {
        let platform = self
            .driver
            .socket
            .borrow()
            .as_ref()
            .map_or(0, Socket::buffered_amount);
        u64::from(platform) + self.driver.machine.borrow().queued_bytes() as u64
    }

    /// Messages waiting in the queue.
    pub fn queued_messages(&self) -> usize {
        self.driver.machine.borrow().queued_messages()
    }

    /// The bounds of the queue.
    pub fn queue_limits(&self) -> QueueLimits {
        self.driver.machine.borrow().queue_limits()
    }
}
