//! Messages sent but not yet acknowledged by the server, for acknowledged
//! delivery: each carries a key of the application's (a sequence number, an
//! id); an acknowledgement of a key confirms that message and every one sent
//! before it. What is unconfirmed when a connection is lost is sent again,
//! first, on the next one; the server drops what it had already seen by key.

use super::payload::Payload;
use super::queue::QueueLimits;
use crate::event::Message;
use alloc::collections::VecDeque;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

/// Picks the key of an outgoing message; `None` sends it without tracking.
pub type KeyOf<M = Message> = Rc<dyn Fn(&M) -> Option<String>>;

/// The unconfirmed messages, oldest first.
#[derive(Debug, Clone)]
pub struct Unconfirmed<M = Message> {
    entries: VecDeque<(String, M)>,
    bytes: usize,
}

impl<M> Default for Unconfirmed<M> {
    fn default() -> Self {
        Unconfirmed {
            entries: VecDeque::new(),
            bytes: 0,
        }
    }
}

impl<M: Payload> Unconfirmed<M> {
    /// Whether a message of `size` bytes fits within `limits` (the same
    /// bounds as the queue's, held apart from it).
    pub fn has_room(&self, limits: QueueLimits, size: usize) -> bool {
        self.entries.len() < limits.max_messages && self.bytes + size <= limits.max_bytes
    }

    /// Tracks `message`, just sent, under `key`.
    pub fn push(&mut self, key: String, message: M) {
        self.bytes += message.size();
        self.entries.push_back((key, message));
    }

    /// Confirms the message with `key` and all sent before it, and hands
    /// them back, oldest first. An unknown key (already confirmed, or never
    /// sent) confirms nothing.
    pub fn confirm(&mut self, key: &str) -> Vec<M> {
        let count = self
            .entries
            .iter()
            .position(|(k, _)| k == key)
            .map_or(0, |index| index + 1);
        (0..count).filter_map(|_| self.pop()).collect()
    }

    /// The messages to send again, oldest first; they stay unconfirmed.
    pub fn messages(&self) -> impl Iterator<Item = &M> {
        self.entries.iter().map(|(_, message)| message)
    }

    /// Removes and returns the oldest unconfirmed message.
    pub fn pop(&mut self) -> Option<M> {
        let (_, message) = self.entries.pop_front()?;
        self.bytes -= message.size();
        Some(message)
    }

    /// How many messages are unconfirmed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Their payload bytes.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}
