//! What the core holds of a message sent through the npm package's class.

use crate::core::payload::Payload;
use alloc::string::String;

/// A message the class keeps under `id`: the core sees only its size and,
/// with acknowledged delivery, its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle {
    id: u32,
    size: usize,
    key: Option<String>,
}

impl Handle {
    /// The heartbeat's ping; the class keeps its text under id 0.
    pub const PING: Handle = Handle {
        id: 0,
        size: 0,
        key: None,
    };

    pub fn new(id: u32, size: usize, key: Option<String>) -> Handle {
        Handle { id, size, key }
    }

    pub fn id(&self) -> u32 {
        self.id
    }

    /// The key of acknowledged delivery, if the class gave one.
    pub fn key(&self) -> Option<String> {
        self.key.clone()
    }
}

impl Payload for Handle {
    fn size(&self) -> usize {
        self.size
    }
}
