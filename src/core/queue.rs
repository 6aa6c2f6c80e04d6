//! The outbound queue: messages sent while the socket is not OPEN, bounded by
//! count and bytes, flushed in order.

use super::payload::Payload;
use crate::event::Message;
use alloc::collections::VecDeque;
use alloc::vec::Vec;

/// What happens to a message that does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// Refuse the new message; the sender is told (the default).
    RejectNew,
    /// Drop the oldest queued messages to make room; each dropped one is reported.
    DropOldest,
}

/// The bounds of the queue. Defaults: 1,000 messages, 1 MiB, [`Overflow::RejectNew`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueLimits {
    /// The most messages held at once. 0 disables queueing.
    pub max_messages: usize,
    /// The most payload bytes held at once.
    pub max_bytes: usize,
    /// What to do when a message does not fit.
    pub overflow: Overflow,
}

impl QueueLimits {
    /// 1,000 messages, 1 MiB, reject new messages that do not fit.
    pub const DEFAULT: QueueLimits = QueueLimits {
        max_messages: 1000,
        max_bytes: 1024 * 1024,
        overflow: Overflow::RejectNew,
    };
}

impl Default for QueueLimits {
    fn default() -> Self {
        QueueLimits::DEFAULT
    }
}

/// The outcome of [`OutboundQueue::push`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pushed<M = Message> {
    /// The message is queued; these older ones were dropped to make room.
    Queued {
        /// Messages dropped, oldest first (empty unless [`Overflow::DropOldest`]).
        dropped: Vec<M>,
    },
    /// The message was not queued (it is given back).
    Rejected(M),
}

/// A FIFO of messages, each push kept within the [`QueueLimits`] it is given
/// (a machine's settings hold them, shared by the connections made from one
/// configuration, instead of each queue keeping a copy).
#[derive(Debug, Clone)]
pub struct OutboundQueue<M = Message> {
    messages: VecDeque<M>,
    bytes: usize,
}

impl<M> Default for OutboundQueue<M> {
    fn default() -> Self {
        OutboundQueue {
            messages: VecDeque::new(),
            bytes: 0,
        }
    }
}

impl<M: Payload> OutboundQueue<M> {
    /// Queues `message` if it fits within `limits` (after dropping the
    /// oldest, if their policy says so).
    pub fn push(&mut self, message: M, limits: QueueLimits) -> Pushed<M> {
        let size = message.size();
        let QueueLimits {
            max_messages,
            max_bytes,
            overflow,
        } = limits;
        if max_messages == 0 || size > max_bytes {
            return Pushed::Rejected(message);
        }
        let fits =
            |queue: &Self| queue.messages.len() < max_messages && queue.bytes + size <= max_bytes;
        let mut dropped = Vec::new();
        while !fits(self) {
            match overflow {
                Overflow::RejectNew => return Pushed::Rejected(message),
                Overflow::DropOldest => match self.pop() {
                    Some(oldest) => dropped.push(oldest),
                    None => return Pushed::Rejected(message),
                },
            }
        }
        self.bytes += size;
        self.messages.push_back(message);
        Pushed::Queued { dropped }
    }

    /// Takes the oldest message.
    pub fn pop(&mut self) -> Option<M> {
        let message = self.messages.pop_front()?;
        self.bytes -= message.size();
        Some(message)
    }

    /// Puts back, first, a message just taken with [`OutboundQueue::pop`]
    /// (it fitted then, so the limits still hold).
    pub fn restore_front(&mut self, message: M) {
        self.bytes += message.size();
        self.messages.push_front(message);
    }

    /// How many messages are queued.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// The payload bytes queued.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}
