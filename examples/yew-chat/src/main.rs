//! The chat room in Yew 0.23 over steadysocket. No hook of ours is needed:
//! `use_memo` keeps the socket and its typed sender for the component's
//! life, an effect drives the status and message streams, and the effect's
//! cleanup closes the socket on unmount (which also ends the streams).
//!
//! Built by `cargo xtask test` (wasm32); served with `trunk serve`. The page
//! takes the server as `?server=ws://host:port`.

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use steadysocket::{Json, ReconnectingSocket, Status};
use yew::platform::spawn_local;
use yew::prelude::*;

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

/// Every line so far; each action is one more.
#[derive(Default, PartialEq)]
struct Log(Vec<Line>);

impl Reducible for Log {
    type Action = Line;

    fn reduce(self: Rc<Self>, line: Line) -> Rc<Self> {
        let mut lines = self.0.clone();
        lines.push(line);
        Rc::new(Log(lines))
    }
}

fn main() {
    yew::Renderer::<Chat>::new().render();
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
#[function_component]
fn Chat() -> Html {
    let log = use_reducer(Log::default);
    let draft = use_state(String::new);
    let chat = use_memo((), |_| {
        let socket = ReconnectingSocket::builder(format!("{}/chat?nickname=yew", server()))
            .connect()
            .expect("the chat URL is valid");
        let (sender, _) = socket.typed::<Say, Line, _>(Json);
        (socket, sender)
    });
    let status = use_state(|| chat.0.status());
    {
        let (chat, status, log) = (chat.clone(), status.setter(), log.dispatcher());
        use_effect_with((), move |_| {
            let socket = chat.0.clone();
            let mut statuses = socket.statuses();
            spawn_local(async move {
                while let Some(now) = statuses.next().await {
                    status.set(now);
                }
            });
            let (_, mut received) = socket.typed::<Say, Line, _>(Json);
            spawn_local(async move {
                while let Some(line) = received.next().await {
                    if let Ok(line) = line {
                        log.dispatch(line);
                    }
                }
            });
            move || drop(socket.close(1000, ""))
        });
    }
    let onsubmit = {
        let (chat, draft) = (chat.clone(), draft.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if chat
                .1
                .try_send(&Say {
                    message: (*draft).clone(),
                })
                .is_ok()
            {
                draft.set(String::new());
            }
        })
    };
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            draft.set(
                event
                    .target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let Status {
        state,
        queued_messages,
        ..
    } = (*status).clone();
    html! {
        <>
            <p id="status">{ format!("{state:?} · queued: {queued_messages}") }</p>
            <ul id="log">
                { for log.0.iter().map(|line| html! {
                    <li class={line.kind.clone()}>{ format!("{}: {}", line.nickname, line.message) }</li>
                }) }
            </ul>
            <form {onsubmit}>
                <input value={(*draft).clone()} {oninput} />
                <button type="submit">{ "Send" }</button>
            </form>
        </>
    }
}
