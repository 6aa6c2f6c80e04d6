//! The server half of the `ssr`/`hydration` pair: renders the page for a
//! query as a server renders it for a request, and prints it.
//!
//! `yew-chat '?server=ws://127.0.0.1:9001&nickname=ann'` prints a page whose
//! body is the app as Yew renders it here (the chat in the status a socket
//! starts with, "connecting": effects do not run in a server render, so
//! nothing connects), and whose head loads `./yew_chat.js`, the `hydration`
//! build's wasm-bindgen output, which takes the rendered page over.

use crate::{App, AppProps};
use chat_room::Page;
use std::process::ExitCode;
use yew::LocalServerRenderer;

/// Prints the page for the query given as the one argument.
pub fn main() -> ExitCode {
    let page = match Page::of_command_line() {
        Ok(page) => page,
        Err(code) => return code,
    };
    let app = futures::executor::block_on(
        LocalServerRenderer::<App>::with_props(AppProps { page }).render(),
    );
    print!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <link rel=\"icon\" href=\"data:,\"><title>steadysocket · yew-chat, rendered on the server</title>\
         <script type=\"module\">import init from \"./yew_chat.js\"; init();</script>\
         </head><body>{app}</body></html>"
    );
    ExitCode::SUCCESS
}
