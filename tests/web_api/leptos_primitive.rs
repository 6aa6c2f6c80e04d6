//! `steadysocket::leptos` against the real peer server, under a reactive
//! owner as a Leptos component has one:
//! the status signal follows the socket, every message reaches the callback
//! in order, the countdown ticks while waiting, and cleaning up the owner
//! closes the socket (the server counts it gone).

use crate::first_status::assert_first_status;
use crate::support::*;
use reactive_graph::computed::Memo;
use reactive_graph::owner::Owner;
use reactive_graph::traits::GetUntracked;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use steadysocket::leptos::{use_socket, LeptosSocket, RETRY_TICK};
use steadysocket::{Backoff, Jitter, Json, ReconnectingSocket, State};
use wasm_bindgen_test::wasm_bindgen_test;

/// An echo socket for `tag` made under `owner`, with what it received; it
/// waits half of `delay` to all of it before reconnecting.
fn echo_under(
    owner: &Owner,
    tag: &str,
    delay: Duration,
) -> (LeptosSocket<String, Json>, Rc<RefCell<Vec<String>>>) {
    let received = Rc::new(RefCell::new(Vec::new()));
    let sink = received.clone();
    // Equal jitter, long enough to be seen waiting (a full-jitter delay can
    // be a few ms and pass between two looks).
    let builder = ReconnectingSocket::builder(peer_url(&format!("/echo?tag={tag}"))).backoff(
        Backoff::DEFAULT
            .with_min_delay(delay)
            .with_max_delay(delay)
            .with_jitter(Jitter::Equal),
    );
    let socket = owner.with(|| {
        use_socket::<String, String, _>(builder, Json, move |echo| {
            sink.borrow_mut().push(echo.expect("JSON text"));
        })
        .unwrap()
    });
    (socket, received)
}

#[wasm_bindgen_test]
async fn status_messages_and_cleanup_follow_the_owner() {
    let owner = Owner::new();
    let tag = unique_tag("leptos");
    let (socket, received) = echo_under(&owner, &tag, Duration::from_millis(600));
    // A memo recomputes only when what it read notified it, so it proves
    // that the status is reactive (a read of the socket alone would not).
    let state = owner.with(|| Memo::new(move |_| socket.status().state));
    // What a server render shows (tests/server_render.rs), so that the page
    // it rendered hydrates without a mismatch.
    assert_first_status(&socket.status());
    until("open", || state.get_untracked() == State::Open).await;
    assert!(socket.is_open());

    for n in 0..20 {
        socket.send(&format!("message {n}")).unwrap();
    }
    until("20 echoes", || received.borrow().len() == 20).await;
    let expected: Vec<String> = (0..20).map(|n| format!("message {n}")).collect();
    assert_eq!(*received.borrow(), expected, "every echo, in order");

    let was_open = state.get_untracked();
    owner.cleanup();
    wait_for_open_count(&tag, 0, EVENT_WAIT_MS).await;
    assert_eq!(was_open, State::Open);
    assert_eq!(socket.status().state, State::Closed, "closed after cleanup");
    assert!(
        socket.socket().is_none(),
        "the handle is gone with its owner"
    );
    assert!(
        socket.send(&"after cleanup".to_owned()).is_err(),
        "sending after cleanup fails"
    );
}

#[wasm_bindgen_test]
async fn the_countdown_ticks_while_waiting_and_clears_on_open() {
    let owner = Owner::new();
    let tag = unique_tag("leptos-countdown");
    // Waiting 750-1,500 ms: more than the two ticks looked at below.
    let (socket, _) = echo_under(&owner, &tag, Duration::from_millis(1_500));
    until("open", || socket.is_open()).await;
    assert_eq!(socket.retry_in(), None);
    // A memo recomputes only when what it read notified it: the status, or
    // the tick.
    let countdown = owner.with(|| Memo::new(move |_| socket.retry_in()));

    fault(&tag, "drop").await;
    until("a countdown", || socket.retry_in().is_some()).await;
    let waiting_for = socket.status().retry_at;
    let first = countdown.get_untracked().expect("a countdown");
    assert!(
        first <= Duration::from_millis(1_500),
        "at most the delay: {first:?}"
    );
    sleep(RETRY_TICK.as_millis() as u32 * 2).await;
    assert_eq!(
        socket.status().retry_at,
        waiting_for,
        "still waiting for the same attempt"
    );
    let later = countdown.get_untracked().expect("still a countdown");
    assert!(
        later + RETRY_TICK <= first,
        "the tick alone moved the countdown down: {first:?} then {later:?}"
    );
    until("open again", || socket.is_open()).await;
    until("no countdown", || socket.retry_in().is_none()).await;
    owner.cleanup();
    wait_for_open_count(&tag, 0, EVENT_WAIT_MS).await;
}
