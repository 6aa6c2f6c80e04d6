//! The chat room in Yew 0.23 over steadysocket: join with a nickname, talk,
//! watch the connection come back after the server goes away (with a
//! countdown), and leave. No hook of ours is needed: an effect connects the
//! socket and drives its status and message streams, and the effect's
//! cleanup closes it when the chat unmounts (which also ends the streams).
//! Until the effect runs, the chat shows the status a socket starts with
//! (`status_before_connecting`), so a server render, which runs no effect
//! and connects nothing, shows what the browser renders first.
//!
//! Built three ways, by Yew's render mode: `csr` (the default) renders in
//! the browser; `ssr` is a native program that renders the page for a query
//! on the server (`server_render.rs`), and `hydration` takes that page over
//! in the browser. Built and run end to end in Chromium, Firefox and WebKit
//! by `cargo xtask test`, and served by `cargo xtask demo` at `/yew-chat/`
//! (each writes the page beside wasm-bindgen's output). The page takes the
//! server as `?server=ws://host:port`, and `&nickname=` to join at once.

use chat_room::{chat_url, state_word, status_text, Line, Page, Say, COUNTDOWN_TICK};
use futures::StreamExt;
use gloo_timers::callback::Interval;
use std::rc::Rc;
use steadysocket::{Json, ReconnectingSocket, State, Status, TypedSender};
use yew::platform::spawn_local;
use yew::prelude::*;

#[cfg(feature = "ssr")]
mod server_render;

const _: () = assert!(
    cfg!(feature = "csr") as u8 + cfg!(feature = "ssr") as u8 + cfg!(feature = "hydration") as u8
        == 1,
    "build with one render mode: `csr` (the default), `ssr` or `hydration`"
);

#[cfg(feature = "csr")]
fn main() {
    let page = Page::of_location();
    yew::Renderer::<App>::with_props(AppProps { page }).render();
}

#[cfg(feature = "hydration")]
fn main() {
    let page = Page::of_location();
    yew::Renderer::<App>::with_props(AppProps { page }).hydrate();
}

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    server_render::main()
}

/// The value of the input an event came from.
fn input_value(event: InputEvent) -> String {
    event
        .target_unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

/// What the page asks for.
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The server, and who joins at once.
    pub page: Page,
}

/// The nickname form, then the chat until the user leaves.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let nickname = use_state(|| props.page.nickname.clone().unwrap_or_default());
    let joined = use_state(|| props.page.nickname.is_some());
    if *joined {
        let leave = Callback::from(move |_| joined.set(false));
        return html! {
            <>
                <Chat server={props.page.server.clone()} nickname={(*nickname).clone()} />
                <button id="leave" onclick={leave}>{ "Leave" }</button>
            </>
        };
    }
    let onsubmit = {
        let nickname = nickname.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            joined.set(!nickname.trim().is_empty());
        })
    };
    let oninput = {
        let nickname = nickname.clone();
        Callback::from(move |event| nickname.set(input_value(event)))
    };
    html! {
        <form id="join" {onsubmit}>
            <input id="nickname" placeholder="nickname" value={(*nickname).clone()} {oninput} />
            <button type="submit">{ "Join" }</button>
        </form>
    }
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

/// Who joins the room, and where.
#[derive(Properties, PartialEq)]
struct ChatProps {
    server: String,
    nickname: String,
}

/// One member's view of the room, for as long as it is mounted.
#[function_component]
fn Chat(props: &ChatProps) -> Html {
    let log = use_reducer(Log::default);
    let draft = use_state(String::new);
    let url = chat_url(&props.server, &props.nickname);
    let status = use_state(|| {
        ReconnectingSocket::builder(url.clone())
            .status_before_connecting()
            .expect("the chat URL is valid")
    });
    let sender = use_mut_ref(|| None::<TypedSender<Say, Json>>);
    {
        let (status, log, sender) = (status.setter(), log.dispatcher(), sender.clone());
        use_effect_with(url, move |url| {
            let socket = ReconnectingSocket::builder(url.clone())
                .connect()
                .expect("the chat URL is valid");
            *sender.borrow_mut() = Some(socket.sender(Json));
            let mut statuses = socket.statuses();
            spawn_local(async move {
                while let Some(now) = statuses.next().await {
                    status.set(now);
                }
            });
            // Each line straight from the socket's message event.
            let lines = socket.on_message(Json, move |line: Result<Line, _>| {
                if let Ok(line) = line {
                    log.dispatch(line);
                }
            });
            move || {
                drop(lines);
                drop(socket.close(1000, ""));
            }
        });
    }
    let onsubmit = {
        let draft = draft.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let said = Say {
                message: (*draft).clone(),
            };
            let sent = sender
                .borrow()
                .as_ref()
                .map(|sender| sender.try_send(&said));
            if matches!(sent, Some(Ok(_))) {
                draft.set(String::new());
            }
        })
    };
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |event| draft.set(input_value(event)))
    };
    let now = (*status).clone();
    html! {
        <>
            <p id="status" data-state={state_word(&now.state)}>
                if matches!(now.state, State::Waiting { .. }) {
                    <Countdown status={now.clone()} />
                } else {
                    { status_text(&now) }
                }
            </p>
            <ul id="log">
                { for log.0.iter().map(|line| html! {
                    <li class={line.kind.clone()}>{ line.text() }</li>
                }) }
            </ul>
            <form id="say" {onsubmit}>
                <input id="draft" value={(*draft).clone()} {oninput} />
                <button type="submit">{ "Send" }</button>
            </form>
        </>
    }
}

/// The status to count down from.
#[derive(Properties, PartialEq)]
struct CountdownProps {
    status: Status,
}

/// The status while waiting, redrawn every [`COUNTDOWN_TICK`]: its interval
/// runs only while this is mounted, that is while the socket waits.
#[function_component]
fn Countdown(props: &CountdownProps) -> Html {
    let redraw = use_force_update();
    use_effect_with((), move |_| {
        let interval = Interval::new(COUNTDOWN_TICK.as_millis() as u32, move || {
            redraw.force_update()
        });
        move || drop(interval)
    });
    html! { status_text(&props.status) }
}
