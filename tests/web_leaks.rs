//! 1,000 connect/echo/close cycles leave no listener attached and no Rust heap
//! behind, in headless Chromium and in Node.

#![cfg(target_arch = "wasm32")]

mod support;

use steadysocket::core::machine::Notice;
use steadysocket::diagnostics::{live_heap_bytes, live_listeners, CountingAllocator};
use steadysocket::{Event, ReconnectEvent, ReconnectingSocket, Socket};
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
