//! What the core holds of a message. It never looks inside: it needs the
//! size (for the queue's byte bound) and a copy (to keep a message until it is
//! acknowledged). The Rust API holds whole [`Message`]s; the npm package holds
//! small handles and keeps the data in JavaScript, so that no payload is
//! copied into wasm.

use crate::event::Message;

/// A message as the core holds it.
pub trait Payload: Clone {
    /// The payload's size in bytes, as the queue counts it.
    fn size(&self) -> usize;
}

impl Payload for Message {
    fn size(&self) -> usize {
        self.len()
    }
}
