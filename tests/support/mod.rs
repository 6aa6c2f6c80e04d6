//! Helpers shared by the wasm test suites: where the peer server is, waiting
//! for events with a deadline, and reading the server's connection counts.

#![allow(dead_code)]

use futures::future::{select, Either};
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;
use steadysocket::{Event, Events};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// `host:port` of the peer server (set `STEADYSOCKET_PEER` at build time to change it).
pub const PEER: &str = match option_env!("STEADYSOCKET_PEER") {
    Some(peer) => peer,
    None => "127.0.0.1:9001",
};

/// `host:port` of the peer server's never-answering listener.
pub const HANG: &str = match option_env!("STEADYSOCKET_HANG") {
    Some(hang) => hang,
    None => "127.0.0.1:9002",
};

/// `host:port` of the peer server's chaos proxy (`--chaos-port`).
pub const CHAOS: &str = match option_env!("STEADYSOCKET_CHAOS") {
    Some(chaos) => chaos,
    None => "127.0.0.1:9003",
};

/// How long a test waits for an event that should come.
pub const EVENT_WAIT_MS: u32 = 10_000;

/// A `ws://` URL on the peer server.
pub fn peer_url(path_and_query: &str) -> String {
    format!("ws://{PEER}{path_and_query}")
}

/// A tag no other test (or earlier run) uses, for the server's counts.
pub fn unique_tag(name: &str) -> String {
    let random = (js_sys::Math::random() * 1e12) as u64;
    format!("{name}-{random}")
}

/// A `ws://` URL where nothing listens (port 1 on loopback: the connect is
/// refused at once), with a path no other test uses. Firefox delays a
/// connection to an address, port and path that failed moments ago, longer
/// with each failure (up to a minute): a shared path would let one test's
/// failures slow the next one's attempts.
pub fn refused_url(name: &str) -> String {
    format!("ws://127.0.0.1:1/{}", unique_tag(name))
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u32) {
    TimeoutFuture::new(ms).await;
}

/// Polls `condition` every 20 ms until it holds, failing with `what` after
/// [`EVENT_WAIT_MS`].
pub async fn until(what: &str, mut condition: impl FnMut() -> bool) {
    let mut waited = 0;
    while !condition() {
        assert!(
            waited < EVENT_WAIT_MS,
            "{what}: not within {EVENT_WAIT_MS} ms"
        );
        sleep(20).await;
        waited += 20;
    }
}

/// The next event, or `None` if none comes within `ms` (or the stream ended).
pub async fn next_within<T>(events: &mut Events<T>, ms: u32) -> Option<T> {
    match select(events.next(), TimeoutFuture::new(ms)).await {
        Either::Left((event, _)) => event,
        Either::Right(_) => None,
    }
}

/// The next event; panics if none comes in time.
pub async fn next_event(events: &mut Events) -> Event {
    next_within(events, EVENT_WAIT_MS)
        .await
        .unwrap_or_else(|| panic!("no event within {EVENT_WAIT_MS} ms"))
}

/// Waits for `Closed`, skipping `Error` events (browsers fire one before an
/// abnormal close); panics on anything else. Returns (code, reason, was_clean, errors seen).
pub async fn expect_closed(events: &mut Events) -> (u16, String, bool, usize) {
    let mut errors = 0;
    loop {
        match next_event(events).await {
            Event::Error => errors += 1,
            Event::Closed {
                code,
                reason,
                was_clean,
            } => return (code, reason, was_clean, errors),
            other => panic!("expected Closed, got {other:?}"),
        }
    }
}

/// Waits for `Open` and returns the chosen protocol; panics on anything else.
pub async fn expect_open(events: &mut Events) -> Option<String> {
    match next_event(events).await {
        Event::Open { protocol } => protocol,
        other => panic!("expected Open, got {other:?}"),
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch_with(url: &str, init: &JsValue) -> js_sys::Promise;
}

/// The JSON body of `GET url`.
async fn get_json(url: &str) -> JsValue {
    let response = JsFuture::from(global_fetch(url)).await.expect("fetch");
    let json = js_sys::Reflect::get(&response, &"json".into()).expect("Response.json");
    let json: js_sys::Function = json.unchecked_into();
    let promise: js_sys::Promise = json.call0(&response).expect("call json()").unchecked_into();
    JsFuture::from(promise).await.expect("a JSON body")
}

/// Asks the peer server for a fault on the connections tagged `tag`:
/// `action` is `drop`, `close&code=C`, `away&seconds=S` or `restart&seconds=S`.
pub async fn fault(tag: &str, action: &str) {
    post(
        &format!("http://{PEER}/fault?tag={}&action={action}", encode(tag)),
        204,
    )
    .await;
}

/// Starts `rounds` rounds of faults (each round every kind once, in a
/// random order) through the chaos proxy and on the connections whose tag
/// starts with `tag` (`POST /chaos`).
pub async fn start_chaos(tag: &str, rounds: u32) {
    post(
        &format!("http://{PEER}/chaos?tag={}&rounds={rounds}", encode(tag)),
        200,
    )
    .await;
}

/// POSTs to `url` and checks the answer's status.
async fn post(url: &str, expected_status: u16) {
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"method".into(), &"POST".into()).expect("set method");
    let response = JsFuture::from(global_fetch_with(url, &init))
        .await
        .expect("fetch");
    let status = js_sys::Reflect::get(&response, &"status".into())
        .ok()
        .and_then(|status| status.as_f64());
    assert_eq!(status, Some(f64::from(expected_status)), "POST {url}");
}

/// What `GET /chaos?tag=T` reports of a chaos run.
pub struct ChaosReport {
    /// Whether the run still goes on.
    pub running: bool,
    /// The faults dealt so far, as JSON text (`{kind: count}`).
    pub faults: String,
    /// The same counts, one a kind (every kind is named from the start).
    pub counts: Vec<u64>,
}

/// What the peer server reports of the chaos run `tag`.
pub async fn chaos_report(tag: &str) -> ChaosReport {
    let body = get_json(&format!("http://{PEER}/chaos?tag={}", encode(tag))).await;
    let running = js_sys::Reflect::get(&body, &"running".into())
        .ok()
        .and_then(|running| running.as_bool())
        .unwrap_or(false);
    let faults = js_sys::Reflect::get(&body, &"faults".into()).unwrap_or(JsValue::NULL);
    let counts = js_sys::Object::values(faults.unchecked_ref())
        .iter()
        .map(|count: JsValue| count.as_f64().unwrap_or(0.0) as u64)
        .collect();
    let faults = js_sys::JSON::stringify(&faults).map_or_else(|_| String::new(), String::from);
    ChaosReport {
        running,
        faults,
        counts,
    }
}

/// The numbers that `/echo?record=1` connections tagged `tag` received, in
/// arrival order, and how many messages were not numbers.
pub async fn received(tag: &str) -> (Vec<u64>, u64) {
    let body = get_json(&format!("http://{PEER}/received?tag={}", encode(tag))).await;
    let field = |name: &str| js_sys::Reflect::get(&body, &name.into()).expect(name);
    let sequence: js_sys::Array = field("sequence").unchecked_into();
    let sequence = sequence
        .iter()
        .map(|n| n.as_f64().expect("a number") as u64)
        .collect();
    (
        sequence,
        field("unreadable").as_f64().expect("a count") as u64,
    )
}

/// The peer server's counts for `tag`: (open now, peak open, total opened).
pub async fn counts(tag: &str) -> (u32, u32, u32) {
    let body = get_json(&format!("http://{PEER}/stats?tag={}", encode(tag))).await;
    let field = |name: &str| {
        js_sys::Reflect::get(&body, &name.into())
            .ok()
            .and_then(|v| v.as_f64())
            .expect("a count") as u32
    };
    (field("open"), field("peak"), field("total"))
}

/// Polls the server until `tag` has `open` connections, or panics after `ms`.
pub async fn wait_for_open_count(tag: &str, open: u32, ms: u32) {
    let mut waited = 0;
    loop {
        let (now, _, _) = counts(tag).await;
        if now == open {
            return;
        }
        assert!(
            waited < ms,
            "tag {tag}: {now} open after {ms} ms, expected {open}"
        );
        sleep(50).await;
        waited += 50;
    }
}

/// Whether this runtime has a page location (a browser, not Node).
pub fn has_location() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"location".into())
        .map(|l| !l.is_undefined())
        .unwrap_or(false)
}

/// The next event of a reconnecting socket; panics if none comes in time.
pub async fn next_update(
    events: &mut Events<steadysocket::ReconnectEvent>,
) -> steadysocket::ReconnectEvent {
    match select(events.next(), TimeoutFuture::new(EVENT_WAIT_MS)).await {
        Either::Left((Some(event), _)) => event,
        Either::Left((None, _)) => panic!("the event stream ended"),
        Either::Right(_) => panic!("no event within {EVENT_WAIT_MS} ms"),
    }
}

/// The next status of a reconnecting socket's watch, or a panic after [`EVENT_WAIT_MS`].
pub async fn next_status(statuses: &mut steadysocket::Statuses) -> steadysocket::Status {
    match select(statuses.next(), TimeoutFuture::new(EVENT_WAIT_MS)).await {
        Either::Left((Some(status), _)) => status,
        Either::Left((None, _)) => panic!("the status stream ended"),
        Either::Right(_) => panic!("no status within {EVENT_WAIT_MS} ms"),
    }
}

/// The next lifecycle notice, skipping messages.
pub async fn next_notice(
    events: &mut Events<steadysocket::ReconnectEvent>,
) -> steadysocket::core::machine::Notice {
    loop {
        if let steadysocket::ReconnectEvent::Lifecycle(notice) = next_update(events).await {
            return notice;
        }
    }
}

/// The notice after the one `error` steadysocket reports before the close of
/// a lost or failed connection, in every runtime (messages skipped).
pub async fn notice_after_error(
    events: &mut Events<steadysocket::ReconnectEvent>,
) -> steadysocket::core::machine::Notice {
    let error = next_notice(events).await;
    assert_eq!(
        error,
        steadysocket::core::machine::Notice::Error,
        "an error comes before the close of a lost connection"
    );
    next_notice(events).await
}

/// Whether anything arrives within `ms`.
pub async fn quiet_for(events: &mut Events<steadysocket::ReconnectEvent>, ms: u32) -> bool {
    match select(events.next(), TimeoutFuture::new(ms)).await {
        Either::Left((event, _)) => {
            assert!(event.is_none(), "expected quiet, got {event:?}");
            true
        }
        Either::Right(_) => true,
    }
}

/// Whether the platform closes the TCP connection of a WebSocket abandoned
/// while CONNECTING. Firefox keeps it open for a while (until its own
/// handshake gives up), although the socket reports CLOSED and steadysocket
/// has detached it; Chromium and Node close it at once.
pub fn platform_closes_abandoned_handshakes() -> bool {
    !user_agent().contains("Firefox")
}

/// `navigator.userAgent`, or `""` where there is none.
fn user_agent() -> String {
    js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|navigator| js_sys::Reflect::get(&navigator, &"userAgent".into()))
        .ok()
        .and_then(|agent| agent.as_string())
        .unwrap_or_default()
}

/// Whether this is WebKit (Safari's engine, not Chromium's fork of it).
pub fn is_webkit() -> bool {
    let agent = user_agent();
    agent.contains("AppleWebKit") && !agent.contains("Chrome")
}

/// The close a server's close frame with `code` arrives as: WebKitGTK 2.50
/// fails a connection whose close frame carries 1012, 1013 or 1014 (`error`,
/// then 1006 without the reason), which no client can undo.
pub fn close_as_seen(code: u16, reason: &str) -> (u16, String, bool) {
    if is_webkit() && (1012..=1014).contains(&code) {
        (1006, String::new(), false)
    } else {
        (code, reason.to_owned(), true)
    }
}

/// After abandoning handshakes: the server sees them closed, where the platform does that.
pub async fn wait_for_abandoned_handshakes_closed(tag: &str) {
    if platform_closes_abandoned_handshakes() {
        wait_for_open_count(tag, 0, 5000).await;
    }
}

/// Waits for the next notice and checks it is a close for good with this code, reason and cleanliness.
pub async fn expect_closed_for_good(
    events: &mut Events<steadysocket::ReconnectEvent>,
    code: u16,
    reason: &str,
    was_clean: bool,
) {
    let close = steadysocket::core::close_policy::CloseInfo {
        code,
        reason: reason.into(),
        was_clean,
    };
    assert_eq!(
        next_notice(events).await,
        steadysocket::core::machine::Notice::Closed {
            close,
            will_retry: false
        }
    );
}

/// Expects attempt `attempt` to start and open (without a subprotocol).
pub async fn expect_attempt_opens(
    events: &mut Events<steadysocket::ReconnectEvent>,
    attempt: u32,
    reconnected: bool,
) {
    use steadysocket::core::machine::Notice;
    assert_eq!(next_notice(events).await, Notice::Connecting { attempt });
    assert_eq!(
        next_notice(events).await,
        Notice::Open {
            protocol: None,
            reconnected
        }
    );
}
