//! The server half of the `ssr`/`hydrate` pair: renders the page for a query
//! as a server renders it for a request, and prints it.
//!
//! `leptos-chat '?server=ws://127.0.0.1:9001&nickname=ann'` prints a page
//! whose body is the app as rendered here (the chat in its first status,
//! "connecting", since the socket only connects in the browser), followed by
//! a module that loads `./leptos_chat.js`, the `hydrate` build's
//! wasm-bindgen output, which takes the rendered page over.

use crate::App;
use chat_page::Page;
use leptos::prelude::*;
use std::process::ExitCode;

/// Prints the page for the query given as the one argument.
pub fn main() -> ExitCode {
    let page = match Page::of_command_line() {
        Ok(page) => page,
        Err(code) => return code,
    };
    print!("{}", render(page));
    ExitCode::SUCCESS
}

/// The whole page for `page`, rendered by Leptos: the app is the body's first
/// child, where hydration looks for it, and the module that hydrates it
/// follows.
fn render(page: Page) -> String {
    let owner = Owner::new();
    let html = owner.with(|| {
        view! {
            <html lang="en">
                <head>
                    <meta charset="utf-8" />
                    <link rel="icon" href="data:," />
                    <title>"steadysocket · leptos-chat, rendered on the server"</title>
                </head>
                <body>
                    <App page />
                    <script type="module" inner_html=HYDRATE_MODULE></script>
                </body>
            </html>
        }
        .to_html()
    });
    format!("<!doctype html>{html}")
}

/// The page's module: the `hydrate` build's wasm-bindgen output, whose start
/// takes the page over.
const HYDRATE_MODULE: &str = r#"import init from "./leptos_chat.js"; init();"#;
