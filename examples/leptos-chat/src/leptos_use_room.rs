//! The same room over leptos-use's `use_websocket` with codee's serde JSON
//! codec, reconnecting forever at its fixed interval. Only for `cargo xtask
//! bench footprint`: what the usual alternative adds to the same page. It
//! has no queue (a message said while closed is lost), no countdown and no
//! backoff, so those parts of the page stay empty.

use crate::{Line, Room};
use codee::string::JsonSerdeCodec;
use leptos::prelude::*;
use leptos_use_websocket::{
    use_websocket_with_options, ConnectionReadyState, ReconnectLimit, UseWebSocketOptions,
};

/// What this client says.
#[derive(serde::Serialize)]
struct Say {
    message: String,
}

/// Joins the room at `server` as `nickname`, for as long as the component lives.
pub fn join(server: &str, nickname: &str) -> Room {
    let lines = RwSignal::new(Vec::new());
    let url = chat_page::chat_url(server, nickname);
    let chat = use_websocket_with_options::<Say, Line, JsonSerdeCodec, _, _>(
        &url,
        UseWebSocketOptions::default()
            .reconnect_limit(ReconnectLimit::Infinite)
            .on_message(move |line: &Line| lines.update(|lines| lines.push(line.clone()))),
    );
    let ready_state = chat.ready_state;
    let send = chat.send;
    Room {
        lines,
        state: Signal::derive(move || match ready_state.get() {
            ConnectionReadyState::Open => "open",
            ConnectionReadyState::Connecting => "connecting",
            ConnectionReadyState::Closing | ConnectionReadyState::Closed => "waiting",
        }),
        retry_in: Signal::derive(|| None),
        queued: Signal::derive(|| 0),
        say: Callback::new(move |message| {
            send(&Say { message });
            true
        }),
    }
}
