//! The chaos soak of the Rust API, the twin of the npm class's
//! (`tests/js/soak.mjs`), in headless Chromium, Firefox and Node: clients
//! with acknowledged delivery and a heartbeat send numbered messages through
//! the peer server's chaos proxy while it deals a round of faults, every
//! kind once in a random order (latency, 1-byte slices, a bandwidth limit, a
//! blackhole, a cut, a reset, a drop and a 1012 restart). After the faults
//! stop every message has arrived once and
//! in order, or was reported to its sender; every client is OPEN again within
//! the heartbeat, the cap and the connect timeout; the Rust heap is flat and
//! no listener is left.

#![cfg(target_arch = "wasm32")]

mod support;

use futures::StreamExt;
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use std::time::Duration;
use steadysocket::core::backoff::Backoff;
use steadysocket::core::machine::{Heartbeat, Notice, State};
use steadysocket::core::queue::{Overflow, QueueLimits};
use steadysocket::diagnostics::{live_heap_bytes, live_listeners, CountingAllocator};
use steadysocket::{Error, Message, ReadyState, ReconnectEvent, ReconnectingSocket};
use support::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const CLIENTS: usize = 6;
/// Rounds of faults: each deals every kind once.
const ROUNDS: u32 = 1;
const EVERY_MS: u32 = 50;
const HEARTBEAT_INTERVAL_MS: u64 = 500;
const HEARTBEAT_TIMEOUT_MS: u64 = 1000;
const MAX_DELAY_MS: u64 = 1000;
const CONNECT_TIMEOUT_MS: u64 = 3000;
/// How long a client may take to be OPEN again after the last fault: a dead
/// link found by the heartbeat, a delay, a connect.
const SETTLE_BOUND_MS: u64 =
    HEARTBEAT_INTERVAL_MS + HEARTBEAT_TIMEOUT_MS + MAX_DELAY_MS + CONNECT_TIMEOUT_MS;

/// One client: its socket and what became of the numbers it sent.
struct Client {
    socket: ReconnectingSocket,
    sent: u64,
    refused: HashSet<u64>,
    dropped: Rc<RefCell<HashSet<u64>>>,
}

fn client(url: String) -> Client {
    let socket = ReconnectingSocket::builder(url)
        .backoff(
            Backoff::DEFAULT
                .with_min_delay(Duration::from_millis(50))
                .with_max_delay(Duration::from_millis(MAX_DELAY_MS)),
        )
        .connect_timeout(Some(Duration::from_millis(CONNECT_TIMEOUT_MS)))
        .queue(QueueLimits {
            max_messages: 200,
            max_bytes: 1 << 20,
            overflow: Overflow::RejectNew,
        })
        .heartbeat(
            Heartbeat {
                interval: Duration::from_millis(HEARTBEAT_INTERVAL_MS),
                timeout: Duration::from_millis(HEARTBEAT_TIMEOUT_MS),
                ping: "ping".into(),
            },
            |message| message.as_text() == Some("ack:ping"),
        )
        .acknowledgements(
            |message| message.as_text().map(str::to_owned),
            |message| {
                let key = message.as_text()?.strip_prefix("ack:")?;
                (key != "ping").then(|| key.to_owned())
            },
        )
        .connect()
        .unwrap();
    let dropped = Rc::new(RefCell::new(HashSet::new()));
    let mut events = socket.events();
    let seen = dropped.clone();
    wasm_bindgen_futures::spawn_local(async move {
        while let Some(event) = events.next().await {
            if let ReconnectEvent::Lifecycle(Notice::Dropped(Message::Text(text))) = event {
                if let Ok(n) = text.parse() {
                    seen.borrow_mut().insert(n);
                }
            }
        }
    });
    Client {
        socket,
        sent: 0,
        refused: HashSet::new(),
        dropped,
    }
}

fn settled(client: &Client) -> bool {
    client.socket.state() == State::Open
        && client.socket.unconfirmed_messages() == 0
        && client.socket.queued_messages() == 0
}

/// As many clients as the soak has, through a whole life without faults, so
/// that what stays for good at that size (the capacity of the task queue, of
/// the buffers) is counted before the soak.
async fn warm_up(run: &str) {
    let warm: Vec<Client> = (0..CLIENTS)
        .map(|i| {
            client(peer_url(&format!(
                "/echo?record=1&ack=1&tag={run}-warm-up-{i}"
            )))
        })
        .collect();
    wait_until("the warm-up clients open", || warm.iter().all(settled)).await;
    for client in &warm {
        client.socket.send(&"0".into()).unwrap();
        client.socket.reconnect();
    }
    wait_until("the warm-up messages are acknowledged", || {
        warm.iter().all(settled)
    })
    .await;
    for client in &warm {
        client.socket.close(1000, "").unwrap();
    }
    wait_until("the warm-up clients close", || {
        warm.iter()
            .all(|client| client.socket.ready_state() == ReadyState::Closed)
    })
    .await;
}

/// Polls `condition` until it holds; panics after [`EVENT_WAIT_MS`].
async fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let deadline = js_sys::Date::now() + f64::from(EVENT_WAIT_MS);
    while !condition() {
        assert!(
            js_sys::Date::now() < deadline,
            "{what}: not within {EVENT_WAIT_MS} ms"
        );
        sleep(10).await;
    }
}

#[wasm_bindgen_test]
async fn chaos_soak_loses_nothing_and_every_client_settles() {
    let run = unique_tag("rust-soak");
    warm_up(&run).await;
    sleep(100).await;
    let heap_before = live_heap_bytes();
    let mut clients: Vec<Client> = (0..CLIENTS)
        .map(|i| client(format!("ws://{CHAOS}/echo?record=1&ack=1&tag={run}-c{i}")))
        .collect();
    start_chaos(&run, ROUNDS).await;
    // The clients send until the faults end, asking every tenth turn.
    for turn in 1.. {
        if turn % 10 == 0 && !chaos_report(&run).await.running {
            break;
        }
        for client in &mut clients {
            let n = client.sent;
            client.sent += 1;
            match client.socket.send(&Message::Text(n.to_string())) {
                Ok(_) => {}
                Err(Error::QueueFull { .. }) => {
                    client.refused.insert(n);
                }
                Err(other) => panic!("message {n}: {other}"),
            }
        }
        sleep(EVERY_MS).await;
    }
    let report = chaos_report(&run).await;
    let faults = &report.faults;
    let faults_ended = js_sys::Date::now();
    while !clients.iter().all(settled)
        && js_sys::Date::now() - faults_ended < 4.0 * SETTLE_BOUND_MS as f64
    {
        sleep(20).await;
    }
    let settle_ms = js_sys::Date::now() - faults_ended;
    let states: Vec<String> = clients
        .iter()
        .map(|c| format!("{:?}/{}", c.socket.state(), c.socket.unconfirmed_messages()))
        .collect();
    assert!(
        clients.iter().all(settled),
        "every client OPEN with nothing unconfirmed: {states:?} (faults {faults})"
    );

    let (mut sent, mut delivered, mut lost, mut out_of_order, mut repeats) = (0, 0, 0, 0, 0);
    for (i, client) in clients.iter().enumerate() {
        let (sequence, _pings) = received(&format!("{run}-c{i}")).await;
        let mut seen = HashSet::new();
        let mut last = None;
        for n in sequence {
            if !seen.insert(n) {
                repeats += 1;
                continue;
            }
            if last.is_some_and(|last| n < last) {
                out_of_order += 1;
            }
            last = Some(n);
        }
        let dropped = client.dropped.borrow();
        lost += (0..client.sent)
            .filter(|n| !seen.contains(n) && !client.refused.contains(n) && !dropped.contains(n))
            .count();
        sent += client.sent;
        delivered += seen.len();
    }
    for client in &clients {
        client.socket.close(1000, "").unwrap();
    }
    drop(clients);
    sleep(300).await;
    // Read once, before the figures' own string is made: the printed figure
    // is the one checked, and the check does not count the test's text.
    let heap_after = live_heap_bytes();
    let figures = format!(
        "faults {faults}; {sent} sent, {delivered} delivered, {lost} lost, {out_of_order} out of order, \
         {repeats} repeats dropped by the server; settled after {settle_ms} ms; Rust heap {heap_before} -> {heap_after} B"
    );
    web_sys_log(&format!("chaos soak (Rust API): {figures}"));
    assert_eq!(lost, 0, "nothing lost: {figures}");
    assert_eq!(out_of_order, 0, "in order: {figures}");
    assert!(
        settle_ms <= (SETTLE_BOUND_MS + 1000) as f64,
        "settled within {SETTLE_BOUND_MS} ms and a second: {figures}"
    );
    assert_eq!(live_listeners(), 0, "no listener left: {figures}");
    assert!(
        !report.counts.is_empty() && report.counts.iter().all(|&n| n == u64::from(ROUNDS)),
        "every kind of fault dealt {ROUNDS} times: {figures}"
    );
    assert!(
        heap_after <= heap_before + 1024,
        "Rust heap flat: {figures}"
    );
}

/// Writes a line to the runtime's console (the test output shows it).
fn web_sys_log(line: &str) {
    wasm_bindgen_test::console_log!("{line}");
}
