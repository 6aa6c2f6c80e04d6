//! The seed's chat room in Leptos 0.8 over steadysocket: join with a
//! nickname, talk, watch the connection come back after the server goes away
//! (with a countdown), and leave (the socket closes when the chat unmounts).
//!
//! The page takes the chat server in its query: `?server=ws://host:port`
//! (default: the page's own host), and `&nickname=` to join at once. All that
//! touches the socket is in `socket_room.rs`.
//!
//! Built three ways, by Leptos's render mode: `csr` (the default) renders in
//! the browser; `ssr` is a native program that renders the page for a query
//! on the server (`server_render.rs`), and `hydrate` takes that page over in
//! the browser.

use chat_page::Page;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server_render;

const _: () = assert!(
    cfg!(feature = "csr") as u8 + cfg!(feature = "ssr") as u8 + cfg!(feature = "hydrate") as u8
        == 1,
    "build with one render mode: `csr` (the default), `ssr` or `hydrate`"
);

#[cfg(all(feature = "socket", feature = "leptos-use"))]
compile_error!("the room is over steadysocket (`socket`) or leptos-use (`leptos-use`), not both");
#[cfg(not(any(feature = "socket", feature = "leptos-use")))]
#[path = "local_room.rs"]
mod room;
#[cfg(feature = "leptos-use")]
#[path = "leptos_use_room.rs"]
mod room;
#[cfg(feature = "socket")]
#[path = "socket_room.rs"]
mod room;

/// A line of the room: a message, or someone joining or leaving.
#[derive(Clone)]
#[cfg_attr(
    any(feature = "socket", feature = "leptos-use"),
    derive(serde::Deserialize)
)]
pub struct Line {
    /// `message`, `join` or `leave`.
    #[cfg_attr(
        any(feature = "socket", feature = "leptos-use"),
        serde(rename = "type")
    )]
    pub kind: String,
    /// Who.
    pub nickname: String,
    /// What, for a message.
    #[cfg_attr(any(feature = "socket", feature = "leptos-use"), serde(default))]
    pub message: String,
}

/// What the page shows of a room and how it talks to it.
pub struct Room {
    /// Every line so far.
    pub lines: RwSignal<Vec<Line>>,
    /// `open`, `connecting`, `waiting` or `closed`.
    pub state: Signal<&'static str>,
    /// While waiting, the seconds until the next attempt.
    pub retry_in: Signal<Option<f64>>,
    /// Messages waiting for the connection.
    pub queued: Signal<usize>,
    /// Says a message; false if it could not be sent or queued.
    pub say: Callback<String, bool>,
}

#[cfg(feature = "csr")]
fn main() {
    let page = Page::of_location();
    leptos::mount::mount_to_body(move || view! { <App page /> });
}

#[cfg(feature = "hydrate")]
fn main() {
    let page = Page::of_location();
    leptos::mount::hydrate_body(move || view! { <App page /> });
}

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    server_render::main()
}

/// The nickname form, then the chat until the user leaves.
#[component]
fn App(page: Page) -> impl IntoView {
    let Page { server, nickname } = page;
    let joined = RwSignal::new(nickname.is_some());
    let nickname = RwSignal::new(nickname.unwrap_or_default());
    view! {
        <Show
            when=move || joined.get()
            fallback=move || view! {
                <form id="join" on:submit=move |e| { e.prevent_default(); joined.set(!nickname.get().trim().is_empty()); }>
                    <input id="nickname" placeholder="nickname" bind:value=nickname />
                    <button type="submit">"Join"</button>
                </form>
            }
        >
            <Chat server=server.clone() nickname=nickname.get_untracked() />
            <button id="leave" on:click=move |_| joined.set(false)>"Leave"</button>
        </Show>
    }
}

/// One member's view of the room at `server`.
#[component]
fn Chat(server: String, nickname: String) -> impl IntoView {
    let room = room::join(&server, &nickname);
    let Room {
        lines,
        state,
        retry_in,
        queued,
        say,
    } = room;
    let countdown = move || retry_in.get().map(|s| format!(" (retrying in {s:.1} s)"));
    let draft = RwSignal::new(String::new());
    let send = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        if say.run(draft.get_untracked()) {
            draft.set(String::new());
        }
    };
    view! {
        <p id="status" data-state=state>{state}{countdown}" · queued: "{queued}</p>
        <ul id="log">
            <For each=move || lines.get().into_iter().enumerate() key=|(i, _)| *i let:((_, line))>
                <li class=line.kind.clone()>{line_text(&line)}</li>
            </For>
        </ul>
        <form id="say" on:submit=send>
            <input id="draft" bind:value=draft />
            <button type="submit">"Send"</button>
        </form>
    }
}

/// How a line of the room reads.
fn line_text(line: &Line) -> String {
    match line.kind.as_str() {
        "join" => format!("{} joined", line.nickname),
        "leave" => format!("{} left", line.nickname),
        _ => format!("{}: {}", line.nickname, line.message),
    }
}
