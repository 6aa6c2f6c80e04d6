//! 1,000 connect/echo/close cycles leave no listener attached and no Rust heap
//! behind, in headless Chromium and in Node; a queued message is kept, not
//! copied.

#![cfg(target_arch = "wasm32")]

mod support;

use futures::Sink;
use std::pin::Pin;
use steadysocket::core::machine::Notice;
use steadysocket::diagnostics::{
    allocated_bytes, live_heap_bytes, live_listeners, CountingAllocator,
};
use steadysocket::{
    CodecError, Decoder, Delivery, Encoder, Event, Message, ReconnectEvent, ReconnectingSocket,
    Socket,
};
use support::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

async fn cycle(url: &str) {
    let socket = Socket::connect(url).unwrap();
    let mut events = socket.events();
    expect_open(&mut events).await;
    socket.send_text("ping").unwrap();
    assert_eq!(next_event(&mut events).await, Event::Message("ping".into()));
    socket.close(1000, "").unwrap();
    assert_eq!(expect_closed(&mut events).await.0, 1000);
}

#[wasm_bindgen_test]
async fn a_thousand_cycles_leak_nothing() {
    let tag = unique_tag("cycles");
    let url = peer_url(&format!("/echo?tag={tag}"));
    for _ in 0..20 {
        cycle(&url).await;
    }
    let listeners_before = live_listeners();
    let bytes_before = live_heap_bytes();
    for _ in 0..1000 {
        cycle(&url).await;
    }
    let growth = live_heap_bytes() - bytes_before;
    assert_eq!(
        listeners_before, 0,
        "the warm-up sockets detached their listeners"
    );
    assert_eq!(
        live_listeners(),
        0,
        "every dropped socket detached its listeners"
    );
    // A leak of one closure per cycle would be tens of kilobytes here.
    assert!(
        growth < 1024,
        "Rust heap grew by {growth} bytes over 1,000 cycles"
    );
    let (open, peak, total) = counts(&tag).await;
    assert_eq!(
        (peak, total),
        (1, 1020),
        "one connection at a time, each cycle one connection"
    );
    assert!(open <= 1, "{open} connections still open");
}

async fn reconnecting_cycle(url: &str) {
    let socket = ReconnectingSocket::builder(url).connect().unwrap();
    let mut events = socket.events();
    assert_eq!(
        next_notice(&mut events).await,
        Notice::Connecting { attempt: 0 }
    );
    assert!(matches!(
        next_notice(&mut events).await,
        Notice::Open { .. }
    ));
    socket.send(&"ping".into()).unwrap();
    assert_eq!(
        next_update(&mut events).await,
        ReconnectEvent::Message("ping".into())
    );
    socket.close(1000, "").unwrap();
    assert!(matches!(
        next_notice(&mut events).await,
        Notice::Closed {
            will_retry: false,
            ..
        }
    ));
}

#[wasm_bindgen_test]
async fn reconnecting_sockets_leak_nothing_either() {
    let tag = unique_tag("reconnecting-cycles");
    let url = peer_url(&format!("/echo?tag={tag}"));
    for _ in 0..20 {
        reconnecting_cycle(&url).await;
    }
    let bytes_before = live_heap_bytes();
    for _ in 0..300 {
        reconnecting_cycle(&url).await;
    }
    // Let the finished pump tasks and timers run out.
    sleep(50).await;
    let growth = live_heap_bytes() - bytes_before;
    assert_eq!(
        live_listeners(),
        0,
        "socket and page listeners all detached"
    );
    assert!(
        growth < 1024,
        "Rust heap grew by {growth} bytes over 300 cycles"
    );
    let (_, peak, total) = counts(&tag).await;
    assert_eq!((peak, total), (1, 320));
}

/// A codec whose message is the value itself: encoding allocates it once.
#[derive(Clone)]
struct AsBytes;

impl Encoder<Vec<u8>> for AsBytes {
    fn encode(&self, value: &Vec<u8>) -> Result<Message, CodecError> {
        Ok(Message::Binary(value.clone()))
    }
}

impl Decoder<Vec<u8>> for AsBytes {
    fn decode(&self, message: &Message) -> Result<Vec<u8>, CodecError> {
        match message {
            Message::Binary(bytes) => Ok(bytes.clone()),
            Message::Text(_) => Err(CodecError::new("not binary")),
        }
    }
}

#[wasm_bindgen_test]
async fn a_message_queued_through_a_sink_or_a_typed_sender_is_kept_not_copied() {
    const SIZE: usize = 256 * 1024;
    // A handshake never answered: what is sent waits in the queue.
    let mut socket = ReconnectingSocket::builder(format!("ws://{HANG}/"))
        .connect()
        .unwrap();
    let message = Message::Binary(vec![7; SIZE]);
    let before = allocated_bytes();
    Pin::new(&mut socket).start_send(message).unwrap();
    let through_the_sink = allocated_bytes() - before;
    let (sender, _receiver) = socket.typed::<Vec<u8>, Vec<u8>, _>(AsBytes);
    let value = vec![9; SIZE];
    let before = allocated_bytes();
    assert_eq!(sender.try_send(&value).unwrap(), Delivery::Queued);
    // The encoder's one copy of the value, and nothing of the message's size besides.
    let through_the_typed_sender = allocated_bytes() - before - SIZE;
    let borrowed = Message::Binary(vec![5; SIZE]);
    let before = allocated_bytes();
    assert_eq!(socket.send(&borrowed).unwrap(), Delivery::Queued);
    let borrowed_and_kept = allocated_bytes() - before;
    assert_eq!(socket.queued_messages(), 3);
    socket.close(1000, "").unwrap();
    assert!(
        through_the_sink < SIZE / 2,
        "the sink allocated {through_the_sink} B to queue a {SIZE} B message"
    );
    assert!(
        through_the_typed_sender < SIZE / 2,
        "the typed sender allocated {through_the_typed_sender} B besides the encoding to queue a {SIZE} B message"
    );
    // A borrowed message must be copied to be kept: the measure sees a copy.
    assert!(
        borrowed_and_kept >= SIZE,
        "send(&message) allocated {borrowed_and_kept} B to keep a {SIZE} B message"
    );
}
