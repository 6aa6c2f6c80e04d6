//! Backpressure through the Rust face, against the peer server's recorder
//! with a peer that stops reading: the typed `Sink`'s `send_all` and the
//! `drained()` loop keep what is buffered within the high water mark plus
//! one message, and everything arrives once, in order.

use crate::support::*;
use futures::{stream, SinkExt, StreamExt};
use std::cell::Cell;
use std::rc::Rc;
use steadysocket::{
    CodecError, Encoder, Error, Message, ReadyState, ReconnectingSocket, WaterMarks,
};
use wasm_bindgen_test::wasm_bindgen_test;

const HIGH: usize = 1024 * 1024;
const LOW: usize = 256 * 1024;
const SIZE: usize = 64 * 1024;

/// Numbers as text messages of `SIZE` bytes: the number, a space, padding
/// (the recorder reads the number).
#[derive(Clone)]
struct Padded;

impl Encoder<u64> for Padded {
    fn encode(&self, value: &u64) -> Result<Message, CodecError> {
        let text = format!("{value} ");
        let padding = "x".repeat(SIZE - text.len());
        Ok(Message::Text(text + &padding))
    }
}

impl steadysocket::Decoder<u64> for Padded {
    fn decode(&self, _: &Message) -> Result<u64, CodecError> {
        Err(CodecError::new("the recorder sends nothing"))
    }
}

fn stalling_recorder(tag: &str) -> ReconnectingSocket {
    ReconnectingSocket::builder(peer_url(&format!("/echo?record=1&stall_ms=1500&tag={tag}")))
        .water_marks(WaterMarks {
            high: HIGH,
            low: LOW,
        })
        .connect()
        .unwrap()
}

async fn opened(socket: &ReconnectingSocket) {
    for _ in 0..500 {
        if socket.ready_state() == ReadyState::Open {
            return;
        }
        sleep(10).await;
    }
    panic!("the socket did not open");
}

/// Waits until the recorder has `count` numbers; they must be 0, 1, 2, …
async fn expect_all_in_order(tag: &str, count: u64) {
    let mut sequence = Vec::new();
    for _ in 0..300 {
        sequence = received(tag).await.0;
        if sequence.len() as u64 >= count {
            break;
        }
        sleep(100).await;
    }
    assert_eq!(sequence.len() as u64, count, "every message arrived");
    assert!(
        sequence.iter().enumerate().all(|(i, &n)| n == i as u64),
        "once each, in order"
    );
}

#[wasm_bindgen_test]
async fn the_typed_sink_waits_for_a_stalled_peer_and_delivers_64_mib_in_order() {
    let tag = unique_tag("rust-flow-sink");
    let socket = stalling_recorder(&tag);
    opened(&socket).await;
    let (mut sender, _) = socket.typed::<u64, u64, _>(Padded);
    let peak = Rc::new(Cell::new(0u64));
    let count = 1024u64;
    let watched = socket.clone();
    let seen = peak.clone();
    // What is buffered is sampled each time send_all asks for the next value:
    // after the previous one was handed over.
    let values = stream::iter(0..count).map(move |n| {
        seen.set(seen.get().max(watched.buffered_amount()));
        Ok::<_, Error>(n)
    });
    let mut values = Box::pin(values);
    sender.send_all(&mut values).await.unwrap();
    let peak = peak.get().max(socket.buffered_amount());
    assert!(
        peak <= (HIGH + SIZE) as u64,
        "peak buffered {peak} B, above the high mark plus one message"
    );
    assert!(
        peak > LOW as u64,
        "the peer stalled: {peak} B buffered at most"
    );
    // send_all flushed: everything is transmitted.
    assert_eq!(socket.buffered_amount(), 0);
    expect_all_in_order(&tag, count).await;
    web_sys::console::log_1(&format!("# backpressure (Rust Sink): peak buffered {peak} B").into());
    socket.close(1000, "").unwrap();
    socket.closed().await;
    assert!(
        matches!(sender.flush().await, Err(Error::NotOpen { .. })),
        "a closed socket's sink fails"
    );
}

#[wasm_bindgen_test]
async fn drained_after_each_send_bounds_the_buffer() {
    let tag = unique_tag("rust-flow-drained");
    let socket = stalling_recorder(&tag);
    opened(&socket).await;
    let (mut peak, mut waits) = (0u64, 0);
    let count = 256u64;
    for n in 0..count {
        socket.send(&Padded.encode(&n).unwrap()).unwrap();
        peak = peak.max(socket.buffered_amount());
        if socket.is_congested() {
            waits += 1;
            socket.drained().await.unwrap();
            assert!(
                socket.buffered_amount() <= LOW as u64,
                "drained at or below the low mark"
            );
        }
    }
    assert!(peak <= (HIGH + SIZE) as u64, "peak buffered {peak} B");
    assert!(waits > 0, "the peer stalled, the writer waited");
    socket.flushed().await.unwrap();
    assert_eq!(socket.buffered_amount(), 0, "flushed: nothing buffered");
    expect_all_in_order(&tag, count).await;
    socket.close(1000, "").unwrap();
    socket.closed().await;
    assert!(matches!(socket.drained().await, Err(Error::NotOpen { .. })));
}

#[wasm_bindgen_test]
fn a_low_mark_above_the_high_one_is_refused() {
    let error = ReconnectingSocket::builder(peer_url("/echo"))
        .water_marks(WaterMarks { high: 10, low: 20 })
        .connect()
        .err()
        .expect("refused");
    assert_eq!(
        error.to_string(),
        "invalid option water_marks.low: must not be more than water_marks.high"
    );
}
