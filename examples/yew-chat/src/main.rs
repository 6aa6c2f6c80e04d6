//! The chat room in Yew 0.23 over steadysocket: join with a nickname, talk,
//! watch the connection come back after the server goes away (with a
//! countdown), and leave. No hook of ours is needed: `use_memo` keeps the
//! socket and its typed sender for the component's life, an effect drives
//! the status and message streams, and the effect's cleanup closes the
//! socket when the chat unmounts (which also ends the streams).
//!
//! Built and run end to end in Chromium, Firefox and WebKit by `cargo xtask
//! test`, and served by `cargo xtask demo` at `/yew-chat/` (each writes the
//! page beside wasm-bindgen's output). The page takes the server as
//! `?server=ws://host:port`.

use chat_room::{chat_url, state_word, status_text, Line, Say, COUNTDOWN_TICK};
use futures::StreamExt;
use gloo_timers::callback::Interval;
use std::rc::Rc;
use steadysocket::{Json, ReconnectingSocket, State, Status};
use yew::platform::spawn_local;
use yew::prelude::*;

fn main() {
    yew::Renderer::<App>::new().render();
}

/// The value of the input an event came from.
fn input_value(event: InputEvent) -> String {
    event
        .target_unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

/// The nickname form, then the chat until the user leaves.
#[function_component]
fn App() -> Html {
    let nickname = use_state(String::new);
    let joined = use_state(|| false);
    if *joined {
        let leave = Callback::from(move |_| joined.set(false));
        return html! {
            <>
                <Chat nickname={(*nickname).clone()} />
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

/// Who joins the room.
#[derive(Properties, PartialEq)]
struct ChatProps {
    nickname: String,
}

/// One member's view of the room, for as long as it is mounted.
#[function_component]
fn Chat(props: &ChatProps) -> Html {
    let log = use_reducer(Log::default);
    let draft = use_state(String::new);
    let chat = use_memo(props.nickname.clone(), |nickname| {
        let socket = ReconnectingSocket::builder(chat_url(nickname))
            .connect()
            .expect("the chat URL is valid");
        let (sender, _) = socket.typed::<Say, Line, _>(Json);
        (socket, sender)
    });
    let status = use_state(|| chat.0.status());
    {
        let (chat, status, log) = (chat.clone(), status.setter(), log.dispatcher());
        use_effect_with(props.nickname.clone(), move |_| {
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
            let said = Say {
                message: (*draft).clone(),
            };
            if chat.1.try_send(&said).is_ok() {
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
