//! What `/echo?record=1` connections received, per tag, so a test can check
//! that every message it sent arrived once and in order, or was reported to
//! it as rejected. `GET /received?tag=T` answers
//! `{"sequence":[n,…],"unreadable":n,"overflowed":n}`: the text messages that
//! were whole numbers (or began with one and a space: large messages pad),
//! in the order they arrived over all of the tag's
//! connections; how many were not; and how many were past the bound.
//!
//! Memory is bounded: at most [`MAX_PER_TAG`] numbers for each of the
//! [`MAX_TAGS`] most recently started tags.

use axum::extract::{Query, State};

use axum::response::Response;
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::Mutex;

/// The most numbers kept for one tag.
pub const MAX_PER_TAG: usize = 100_000;
/// The most tags kept; starting another forgets the oldest.
pub const MAX_TAGS: usize = 256;

/// One tag's record.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The numbers received, in arrival order.
    pub sequence: Vec<u64>,
    /// Messages that were not a whole number in text.
    pub unreadable: u64,
    /// Numbers past [`MAX_PER_TAG`], not kept.
    pub overflowed: u64,
}

/// The records of the most recent tags.
#[derive(Default)]
pub struct Received {
    tags: Mutex<VecDeque<(String, Record)>>,
}

impl Received {
    /// Records one message that arrived on a connection tagged `tag`.
    pub fn record(&self, tag: &str, text: &str) {
        let mut tags = self.tags.lock().unwrap_or_else(|e| e.into_inner());
        let index = match tags.iter().position(|(name, _)| name == tag) {
            Some(index) => index,
            None => {
                if tags.len() == MAX_TAGS {
                    tags.pop_front();
                }
                tags.push_back((tag.to_owned(), Record::default()));
                tags.len() - 1
            }
        };
        let record = &mut tags[index].1;
        // "N", or "N" and a space and padding (large messages that keep their number).
        let number = text.split(' ').next().unwrap_or_default();
        match number.parse::<u64>() {
            Err(_) => record.unreadable += 1,
            Ok(_) if record.sequence.len() == MAX_PER_TAG => record.overflowed += 1,
            Ok(number) => record.sequence.push(number),
        }
    }

    /// The record of `tag` (empty if nothing arrived under it).
    pub fn get(&self, tag: &str) -> Record {
        let tags = self.tags.lock().unwrap_or_else(|e| e.into_inner());
        tags.iter()
            .find(|(name, _)| name == tag)
            .map(|(_, record)| record.clone())
            .unwrap_or_default()
    }
}

/// `GET /received?tag=T`, readable cross-origin.
pub async fn handle(
    State(app): State<crate::App>,
    Query(query): Query<crate::TagQuery>,
) -> Response {
    crate::readable_json(&app.received.get(&query.tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_kept_in_order_and_the_rest_counted() {
        let received = Received::default();
        received.record("a", "2");
        received.record("b", "9");
        received.record("a", "1");
        received.record("a", "x");
        received.record("a", "3 padding padding");
        assert_eq!(
            received.get("a"),
            Record {
                sequence: vec![2, 1, 3],
                unreadable: 1,
                overflowed: 0
            }
        );
        assert_eq!(received.get("none"), Record::default());
    }

    #[test]
    fn memory_is_bounded() {
        let received = Received::default();
        for n in 0..=MAX_PER_TAG {
            received.record("big", &n.to_string());
        }
        let big = received.get("big");
        assert_eq!((big.sequence.len(), big.overflowed), (MAX_PER_TAG, 1));
        for tag in 0..MAX_TAGS {
            received.record(&tag.to_string(), "1");
        }
        assert_eq!(
            received.get("big"),
            Record::default(),
            "the oldest tag is forgotten"
        );
        assert_eq!(received.get("0").sequence, [1]);
    }
}
