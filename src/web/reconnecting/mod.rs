//! [`ReconnectingSocket`]: a connection that comes back after it is lost.
//!
//! - `source`: the URL and subprotocols, fixed or asked before every attempt;
//! - `driver`: carries out the core machine's actions on the platform;
//! - `builder`: the options;
//! - here: the public handle and what it reports.

mod builder;
mod driver;
mod source;

pub use builder::ReconnectingSocketBuilder;
pub(crate) use driver::Driver;

use crate::core::machine::{Input, Notice, State};
use crate::core::queue::QueueLimits;
use crate::core::ready_state::ReadyState;
use crate::error::Error;
use crate::event::Message;
use crate::web::event_queue::Events;
use crate::web::socket::Socket;
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
/// Dropping it closes the connection, cancels its timer and detaches every
/// callback.
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

    /// A subscription to this socket's events (see [`Events`]); it ends when the socket is dropped.
    pub fn events(&self) -> Events<ReconnectEvent> {
        self.driver.events.subscribe()
    }

    /// Sends now if open; otherwise queues a copy within the queue's bounds.
    /// Fails with [`Error::QueueFull`] or, once closed for good, [`Error::NotOpen`].
    pub fn send(&self, message: &Message) -> Result<Delivery, Error> {
        self.driver.send(message)
    }

    /// Closes for good, in any state: no reconnect follows. `code` must be
    /// 1000 or 3000–4999 and `reason` at most 123 bytes of UTF-8.
    pub fn close(&self, code: u16, reason: &str) -> Result<(), Error> {
        self.driver.machine.borrow_mut().close(code, reason)?;
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
