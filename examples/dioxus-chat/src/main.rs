//! The chat room in Dioxus 0.7 over steadysocket. No hook of ours is needed:
//! `use_hook` keeps the socket (a cheap `Clone` handle) for the component's
//! life, `spawn` drives its status and message streams (the tasks end with
//! the component), and `use_drop` closes it on unmount.
//!
//! Built by `cargo xtask test` (wasm32); served with `dx serve`. The page
//! takes the server as `?server=ws://host:port`.

use dioxus::prelude::*;
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use steadysocket::{Json, ReconnectingSocket, Status};

/// What this client says.
#[derive(Serialize)]
struct Say {
    message: String,
}

/// A line of the room: a message, or someone joining or leaving.
#[derive(Deserialize, Clone, PartialEq)]
struct Line {
    #[serde(rename = "type")]
    kind: String,
    nickname: String,
    #[serde(default)]
    message: String,
}

fn main() {
    dioxus::launch(Chat);
}

/// The chat server: `?server=` or the page's host.
fn server() -> String {
    let location = web_sys::window().expect("a browser page").location();
    let query = location.search().unwrap_or_default();
    query
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("server="))
        .map_or_else(
            || format!("ws://{}", location.host().unwrap_or_default()),
            str::to_owned,
        )
}

/// One member's view of the room.
#[component]
fn Chat() -> Element {
    let mut lines = use_signal(Vec::<Line>::new);
    let mut draft = use_signal(String::new);
    let socket = use_hook(|| {
        ReconnectingSocket::builder(format!("{}/chat?nickname=dioxus", server()))
            .connect()
            .expect("the chat URL is valid")
    });
    let mut status = use_signal(|| socket.status());
    let sender = use_hook(|| {
        let (sender, mut received) = socket.typed::<Say, Line, _>(Json);
        let mut statuses = socket.statuses();
        spawn(async move {
            while let Some(now) = statuses.next().await {
                status.set(now);
            }
        });
        spawn(async move {
            while let Some(line) = received.next().await {
                if let Ok(line) = line {
                    lines.write().push(line);
                }
            }
        });
        sender
    });
    use_drop({
        let socket = socket.clone();
        move || drop(socket.close(1000, ""))
    });

    let Status {
        state,
        queued_messages,
        ..
    } = status();
    rsx! {
        p { id: "status", "{state:?} · queued: {queued_messages}" }
        ul { id: "log",
            for line in lines.read().iter() {
                li { class: "{line.kind}", "{line.nickname}: {line.message}" }
            }
        }
        form {
            onsubmit: move |event| {
                event.prevent_default();
                if sender.try_send(&Say { message: draft() }).is_ok() {
                    draft.set(String::new());
                }
            },
            input { value: "{draft}", oninput: move |event| draft.set(event.value()) }
            button { r#type: "submit", "Send" }
        }
    }
}
