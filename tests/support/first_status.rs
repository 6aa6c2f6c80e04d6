//! The status every socket starts with, before its first attempt: what a
//! server render shows (tests/server_render.rs) and what the browser renders
//! first when it hydrates that page (tests/web_api/leptos_primitive.rs), so the two must
//! agree. Shared by both suites (native and wasm32) with `#[path]`.

use steadysocket::{ReadyState, State, Status};

/// Panics unless `status` is the first status of a socket.
pub fn assert_first_status(status: &Status) {
    assert_eq!(status.state, State::Connecting { attempt: 0 });
    assert_eq!(status.ready_state, ReadyState::Connecting);
    assert_eq!(
        (
            status.queued_messages,
            status.queued_bytes,
            status.unconfirmed_messages
        ),
        (0, 0, 0)
    );
    assert_eq!(status.retry_at, None);
}
