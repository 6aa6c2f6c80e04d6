//! The room over steadysocket: all the glue between the page and the socket.

use crate::{Line, Room};
use leptos::prelude::*;
use steadysocket::leptos::use_socket;
use steadysocket::{Json, ReconnectingSocket, State};

/// What this client says.
#[derive(serde::Serialize)]
struct Say {
    message: String,
}

/// Joins the room at `server` as `nickname`, for as long as the component lives.
pub fn join(server: &str, nickname: &str) -> Room {
    let lines = RwSignal::new(Vec::new());
    let url = chat_page::chat_url(server, nickname);
    let chat = use_socket(ReconnectingSocket::builder(url), Json, move |line| {
        if let Ok(line) = line {
            lines.update(|lines: &mut Vec<Line>| lines.push(line));
        }
    })
    .expect("the chat URL is valid");
    let state = Signal::derive(move || match chat.status().state {
        State::Open => "open",
        State::Connecting { .. } => "connecting",
        State::Waiting { .. } | State::Offline { .. } => "waiting",
        State::Closing | State::Closed => "closed",
    });
    Room {
        lines,
        state,
        retry_in: Signal::derive(move || chat.retry_in().map(|d| d.as_secs_f64())),
        queued: Signal::derive(move || chat.status().queued_messages),
        say: Callback::new(move |message| chat.send(&Say { message }).is_ok()),
    }
}
