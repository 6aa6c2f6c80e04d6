//! The chat room in Dioxus 0.7 over steadysocket: join with a nickname,
//! talk, watch the connection come back after the server goes away (with a
//! countdown), and leave. No hook of ours is needed: `use_hook` keeps the
//! socket (a cheap `Clone` handle) for the component's life, `spawn` drives
//! its status and message streams (the tasks end with the component), and
//! `use_drop` closes it when the chat unmounts.
//!
//! Built and run end to end in Chromium, Firefox and WebKit by `cargo xtask
//! test`, and served by `cargo xtask demo` at `/dioxus-chat/` (each writes the
//! page beside wasm-bindgen's output). The page takes the server as
//! `?server=ws://host:port`.

use chat_room::{chat_url, state_word, status_text, Line, Page, Say, COUNTDOWN_TICK};
use dioxus::prelude::*;
use futures::StreamExt;
use gloo_timers::future::sleep;
use steadysocket::{Json, ReconnectingSocket, State, Status};

fn main() {
    dioxus::launch(App);
}

/// The nickname form, then the chat until the user leaves.
#[component]
fn App() -> Element {
    let mut nickname = use_signal(String::new);
    let mut joined = use_signal(|| false);
    if joined() {
        rsx! {
            Chat { nickname: nickname() }
            button { id: "leave", onclick: move |_| joined.set(false), "Leave" }
        }
    } else {
        rsx! {
            form {
                id: "join",
                onsubmit: move |event| {
                    event.prevent_default();
                    joined.set(!nickname().trim().is_empty());
                },
                input {
                    id: "nickname",
                    placeholder: "nickname",
                    value: "{nickname}",
                    oninput: move |event| nickname.set(event.value()),
                }
                button { r#type: "submit", "Join" }
            }
        }
    }
}

/// One member's view of the room, for as long as it is mounted.
#[component]
fn Chat(nickname: String) -> Element {
    let mut lines = use_signal(Vec::<Line>::new);
    let mut draft = use_signal(String::new);
    let socket = use_hook(|| {
        ReconnectingSocket::builder(chat_url(&Page::of_location().server, &nickname))
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

    let now = status();
    rsx! {
        p { id: "status", "data-state": state_word(&now.state),
            if matches!(now.state, State::Waiting { .. }) {
                Countdown { status: now.clone() }
            } else {
                "{status_text(&now)}"
            }
        }
        ul { id: "log",
            for line in lines.read().iter() {
                li { class: "{line.kind}", "{line.text()}" }
            }
        }
        form {
            id: "say",
            onsubmit: move |event| {
                event.prevent_default();
                if sender.try_send(&Say { message: draft() }).is_ok() {
                    draft.set(String::new());
                }
            },
            input { id: "draft", value: "{draft}", oninput: move |event| draft.set(event.value()) }
            button { r#type: "submit", "Send" }
        }
    }
}

/// The status while waiting, redrawn every [`COUNTDOWN_TICK`]: its timer
/// runs only while this is mounted, that is while the socket waits.
#[component]
fn Countdown(status: Status) -> Element {
    let mut ticks = use_signal(|| 0_u32);
    use_future(move || async move {
        loop {
            sleep(COUNTDOWN_TICK).await;
            ticks += 1;
        }
    });
    ticks.read();
    rsx! { "{status_text(&status)}" }
}
