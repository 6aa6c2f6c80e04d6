//! The outbound queue: bounds always held, order kept, nothing lost unreported.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use steadysocket::core::queue::{OutboundQueue, Overflow, Pushed, QueueLimits};
use steadysocket::Message;

fn limits(max_messages: usize, max_bytes: usize, overflow: Overflow) -> QueueLimits {
    QueueLimits {
        max_messages,
        max_bytes,
        overflow,
    }
}

fn text(n: usize) -> Message {
    Message::Text("x".repeat(n))
}

#[test]
fn rejects_what_does_not_fit() {
    let within = limits(2, 10, Overflow::RejectNew);
    let mut queue = OutboundQueue::default();
    assert_eq!(
        queue.push(text(4), within),
        Pushed::Queued { dropped: vec![] }
    );
    assert_eq!(
        queue.push(text(6), within),
        Pushed::Queued { dropped: vec![] }
    );
    assert_eq!(
        queue.push(text(0), within),
        Pushed::Rejected(text(0)),
        "count bound"
    );
    queue.pop();
    assert_eq!(
        queue.push(text(5), within),
        Pushed::Rejected(text(5)),
        "byte bound"
    );
    assert_eq!(
        queue.push(text(4), within),
        Pushed::Queued { dropped: vec![] }
    );
    assert_eq!((queue.len(), queue.bytes()), (2, 10));
}

#[test]
fn drop_oldest_reports_what_it_dropped() {
    let within = limits(3, 100, Overflow::DropOldest);
    let mut queue = OutboundQueue::default();
    for n in 1..=3 {
        queue.push(text(n), within);
    }
    assert_eq!(
        queue.push(text(4), within),
        Pushed::Queued {
            dropped: vec![text(1)]
        }
    );
    assert_eq!(
        queue.push(text(95), within),
        Pushed::Queued {
            dropped: vec![text(2), text(3)]
        }
    );
    assert_eq!(
        queue.push(text(101), within),
        Pushed::Rejected(text(101)),
        "larger than the whole queue"
    );
    assert_eq!(queue.pop(), Some(text(4)));
    assert_eq!(queue.pop(), Some(text(95)));
    assert_eq!(queue.pop(), None);
}

#[test]
fn zero_messages_disables_queueing_and_defaults_are_documented() {
    let within = limits(0, 100, Overflow::DropOldest);
    let mut queue = OutboundQueue::default();
    assert_eq!(queue.push(text(1), within), Pushed::Rejected(text(1)));
    assert_eq!(
        QueueLimits::default(),
        limits(1000, 1024 * 1024, Overflow::RejectNew)
    );
}

proptest! {
    #[test]
    fn bounds_hold_and_every_message_is_accounted_for(
        max_messages in 0usize..8,
        max_bytes in 0usize..64,
        drop_oldest in any::<bool>(),
        sizes in prop::collection::vec(0usize..40, 0..60),
    ) {
        let overflow = if drop_oldest { Overflow::DropOldest } else { Overflow::RejectNew };
        let within = limits(max_messages, max_bytes, overflow);
        let mut queue = OutboundQueue::default();
        let mut accounted = Vec::new();
        for (id, size) in sizes.iter().enumerate() {
            let message = Message::Binary(std::iter::repeat_n(id as u8, *size).collect());
            match queue.push(message, within) {
                Pushed::Queued { dropped } => accounted.extend(dropped),
                Pushed::Rejected(message) => accounted.push(message),
            }
            prop_assert!(queue.len() <= max_messages);
            prop_assert!(queue.bytes() <= max_bytes);
        }
        while let Some(message) = queue.pop() {
            accounted.push(message);
        }
        prop_assert_eq!(accounted.len(), sizes.len(), "every message is queued, dropped or rejected");
        prop_assert_eq!(queue.bytes(), 0);
    }

    #[test]
    fn order_is_kept(count in 0usize..50) {
        let within = QueueLimits::DEFAULT;
        let mut queue = OutboundQueue::default();
        for n in 0..count {
            queue.push(Message::Text(n.to_string()), within);
        }
        let order: Vec<Message> = std::iter::from_fn(|| queue.pop()).collect();
        let expected: Vec<Message> = (0..count).map(|n| Message::Text(n.to_string())).collect();
        prop_assert_eq!(order, expected);
    }
}
