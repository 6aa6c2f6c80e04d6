//! The native driver example (examples/native_client.rs) against the peer
//! server: the sans-IO core carried out over a blocking native socket opens,
//! echoes, reconnects after a restart's close with the backoff, sends what
//! waited meanwhile once, stops on a close that means stop, closes for
//! good, and keeps a quiet connection by Ping frames but replaces one that
//! stops answering them. Ignored in a plain `cargo test` (it needs the server); `cargo xtask
//! test` runs it with `--ignored` once the server is up, which
//! `STEADYSOCKET_PEER` names.

#![cfg(not(target_arch = "wasm32"))]

#[allow(dead_code)]
#[path = "../examples/native_client.rs"]
mod native_client;

use native_client::{ClientEvent, NativeClient, Outgoing};
use std::time::{Duration, Instant};
use steadysocket::core::machine::{Config, Rejection, SendOutcome};
use steadysocket::{CloseInfo, Heartbeat, Message, Notice};

const WAIT: Duration = Duration::from_secs(10);

fn peer_url(path_and_query: &str) -> String {
    let peer = std::env::var("STEADYSOCKET_PEER")
        .expect("STEADYSOCKET_PEER names the peer server (cargo xtask test sets it)");
    format!("ws://{peer}{path_and_query}")
}

/// The events until one that `wanted` accepts (which is returned), or a panic
/// that lists what came instead.
fn until(
    client: &mut NativeClient,
    what: &str,
    wanted: impl Fn(&ClientEvent) -> bool,
) -> ClientEvent {
    let deadline = Instant::now() + WAIT;
    let mut seen = Vec::new();
    while let Some(event) = client.next_event(deadline) {
        if wanted(&event) {
            return event;
        }
        seen.push(event);
    }
    panic!("no {what} within {WAIT:?}; instead: {seen:?}");
}

fn opened(event: &ClientEvent) -> bool {
    matches!(event, ClientEvent::Notice(Notice::Open { .. }))
}

fn closed(event: &ClientEvent) -> bool {
    matches!(event, ClientEvent::Notice(Notice::Closed { .. }))
}

fn message(text: &str) -> impl Fn(&ClientEvent) -> bool + '_ {
    move |event| *event == ClientEvent::Message(Message::Text(text.into()))
}

fn the_close(event: ClientEvent) -> (CloseInfo, bool) {
    match event {
        ClientEvent::Notice(Notice::Closed { close, will_retry }) => (close, will_retry),
        other => panic!("not a close: {other:?}"),
    }
}

#[test]
#[ignore = "needs the peer server: cargo xtask test runs it"]
fn echoes_in_order_and_closes_for_good() {
    let mut client = NativeClient::connect(&peer_url("/echo"), Config::default()).unwrap();
    until(&mut client, "open", opened);
    for text in ["one", "two"] {
        assert_eq!(
            client.send(Message::Text(text.into())),
            SendOutcome::Transmit(Outgoing::Message(Message::Text(text.into())))
        );
    }
    let first = until(&mut client, "a message", |event| {
        matches!(event, ClientEvent::Message(_))
    });
    assert_eq!(first, ClientEvent::Message(Message::Text("one".into())));
    until(&mut client, "the second echo", message("two"));
    client.close(1000, "bye").unwrap();
    let (close, will_retry) = the_close(until(&mut client, "the close", closed));
    assert_eq!(
        (
            close.code,
            close.reason.as_str(),
            close.was_clean,
            will_retry
        ),
        (1000, "bye", true, false)
    );
    assert!(matches!(
        client.send(Message::Text("late".into())),
        SendOutcome::Rejected {
            because: Rejection::Closed,
            ..
        }
    ));
    assert!(
        client.close(1001, "").is_err(),
        "1001 is not a code a client may send"
    );
    assert_eq!(client.close(1000, ""), Ok(()), "closing again does nothing");
    let deadline = Instant::now() + Duration::from_millis(300);
    assert_eq!(
        client.next_event(deadline),
        None,
        "nothing after the final close"
    );
}

#[test]
#[ignore = "needs the peer server: cargo xtask test runs it"]
fn a_restart_close_reconnects_with_the_backoff_and_what_waited_goes_once() {
    // The server echoes once, then closes with 1012 (Service Restart), on every connection.
    let mut client = NativeClient::connect(
        &peer_url("/echo?close=1012&close_after=1"),
        Config::default(),
    )
    .unwrap();
    until(&mut client, "open", opened);
    let _ = client.send(Message::Text("before".into()));
    until(&mut client, "the echo", message("before"));
    let (close, will_retry) = the_close(until(&mut client, "the server's close", closed));
    assert_eq!(
        (close.code, close.was_clean, will_retry),
        (1012, true, true)
    );
    let reconnecting = until(&mut client, "the retry", |event| {
        matches!(event, ClientEvent::Notice(Notice::Reconnecting { .. }))
    });
    let ClientEvent::Notice(Notice::Reconnecting { attempt, delay, .. }) = reconnecting else {
        unreachable!()
    };
    assert_eq!(attempt, 1);
    assert!(
        delay <= Duration::from_secs(1),
        "the first retry waits at most the backoff's first ceiling, not {delay:?}"
    );
    assert_eq!(
        client.send(Message::Text("meanwhile".into())),
        SendOutcome::Queued
    );
    let reopened = until(&mut client, "the reopen", opened);
    assert!(matches!(
        reopened,
        ClientEvent::Notice(Notice::Open {
            reconnected: true,
            ..
        })
    ));
    until(&mut client, "what waited, echoed", message("meanwhile"));
    until(&mut client, "the next close", closed);
    client.close(1000, "").unwrap();
    let deadline = Instant::now() + Duration::from_millis(300);
    while let Some(event) = client.next_event(deadline) {
        assert_ne!(
            event,
            ClientEvent::Message(Message::Text("meanwhile".into())),
            "sent twice"
        );
    }
}

#[test]
#[ignore = "needs the peer server: cargo xtask test runs it"]
fn a_refused_handshake_is_an_error_then_1006_and_a_retry() {
    let mut client =
        NativeClient::connect(&peer_url("/echo?status=503"), Config::default()).unwrap();
    until(&mut client, "the error", |event| {
        *event == ClientEvent::Notice(Notice::Error)
    });
    let (close, will_retry) = the_close(until(&mut client, "the close", closed));
    assert_eq!(
        (close.code, close.was_clean, will_retry),
        (1006, false, true)
    );
    client.close(1000, "").unwrap();
}

#[test]
#[ignore = "needs the peer server: cargo xtask test runs it"]
fn a_policy_close_stops_reconnecting() {
    let mut client = NativeClient::connect(
        &peer_url("/echo?close=1008&reason=go%20away"),
        Config::default(),
    )
    .unwrap();
    let (close, will_retry) = the_close(until(&mut client, "the server's close", closed));
    assert_eq!(
        (close.code, close.reason.as_str(), will_retry),
        (1008, "go away", false)
    );
    let deadline = Instant::now() + Duration::from_millis(1_500);
    assert_eq!(
        client.next_event(deadline),
        None,
        "nothing after the final close"
    );
}

/// A heartbeat of Ping frames every `interval`, each answered within `timeout`.
fn pinging(interval_ms: u64, timeout_ms: u64) -> Config<Outgoing> {
    Config {
        heartbeat: Some(Heartbeat {
            interval: Duration::from_millis(interval_ms),
            timeout: Duration::from_millis(timeout_ms),
            ping: Outgoing::Ping,
        }),
        ..Config::default()
    }
}

#[test]
#[ignore = "needs the peer server: cargo xtask test runs it"]
fn pongs_keep_a_quiet_connection_and_pings_are_no_messages() {
    // Ten pings in the second below, each answered well within its timeout.
    let mut client = NativeClient::connect(&peer_url("/echo"), pinging(100, 400)).unwrap();
    until(&mut client, "open", opened);
    let deadline = Instant::now() + Duration::from_secs(1);
    assert_eq!(
        client.next_event(deadline),
        None,
        "nothing while quiet: no close for a missing pong, no ping echoed as a message"
    );
    let _ = client.send(Message::Text("still here".into()));
    until(&mut client, "the echo", message("still here"));
    client.close(1000, "").unwrap();
}

#[test]
#[ignore = "needs the peer server: cargo xtask test runs it"]
fn a_server_that_stops_answering_pings_is_replaced() {
    // The server stops reading for 5 s after the first message: no Pong comes.
    let mut client =
        NativeClient::connect(&peer_url("/echo?stall_ms=5000"), pinging(200, 300)).unwrap();
    until(&mut client, "open", opened);
    let stalled_at = Instant::now();
    let _ = client.send(Message::Text("stall now".into()));
    let (close, will_retry) = the_close(until(&mut client, "the heartbeat's close", closed));
    assert_eq!(
        (close.code, close.was_clean, will_retry),
        (1006, false, true)
    );
    assert!(
        stalled_at.elapsed() < Duration::from_secs(2),
        "replaced after {:?}: within a ping interval and its timeout, not at the stall's end",
        stalled_at.elapsed()
    );
    until(&mut client, "the reopen", opened);
    client.close(1000, "").unwrap();
}

#[test]
fn only_plain_ws_urls_are_taken() {
    let refused = |url: &str| NativeClient::connect(url, Config::default()).err();
    assert!(refused("wss://example.com/")
        .unwrap()
        .contains("plain ws: only"));
    assert!(refused("ftp://example.com/").unwrap().contains("ftp"));
}
