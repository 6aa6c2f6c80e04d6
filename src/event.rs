//! What a [`crate::Socket`] reports: messages and lifecycle events.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

/// One WebSocket message, text or binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A text message (valid UTF-8, as the protocol guarantees).
    Text(String),
    /// A binary message.
    Binary(Vec<u8>),
}

impl Message {
    /// The payload length in bytes (UTF-8 bytes for text).
    pub fn len(&self) -> usize {
        match self {
            Message::Text(text) => text.len(),
            Message::Binary(bytes) => bytes.len(),
        }
    }

    /// Whether the payload is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text of a text message; `None` for a binary one.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Message::Text(text) => Some(text),
            Message::Binary(_) => None,
        }
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::Text(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Message::Text(text.to_owned())
    }
}

impl From<Vec<u8>> for Message {
    fn from(bytes: Vec<u8>) -> Self {
        Message::Binary(bytes)
    }
}

impl From<&[u8]> for Message {
    fn from(bytes: &[u8]) -> Self {
        Message::Binary(bytes.to_vec())
    }
}

/// Something that happened to a socket, in the order it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The opening handshake finished; the socket is OPEN.
    Open {
        /// The subprotocol the server chose, or `None` if it chose none.
        protocol: Option<String>,
    },
    /// A message arrived.
    Message(Message),
    /// The platform reported an error. The platform gives no detail; a
    /// [`Event::Closed`] always follows.
    Error,
    /// Before the first subscription more happened than a socket keeps for
    /// it (see [`crate::Events`]): this many of the oldest events went. Only
    /// ever the first item of the first subscription.
    Missed {
        /// How many events went.
        events: usize,
    },
    /// The connection is closed. This is always the last event.
    Closed {
        /// The close code: the peer's, or 1006 when the connection ended without
        /// a close frame (including a connection that never opened).
        code: u16,
        /// The close reason (empty if none was given).
        reason: String,
        /// Whether the closing handshake completed.
        was_clean: bool,
    },
}
