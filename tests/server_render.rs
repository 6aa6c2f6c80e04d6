//! The Rust API on a target other than wasm32, as a server render (Leptos's
//! `ssr` build, a Dioxus or Yew server) runs a component: nothing panics and
//! nothing connects. `use_socket` gives the status every socket starts with
//! (what the browser renders first when it hydrates the page: the wasm
//! suite `tests/web_api/leptos_primitive.rs` checks the same status there), checks the
//! options as in the browser, and fails sends; a builder gives the same
//! status for any framework (`status_before_connecting`); connecting by hand
//! is [`Error::NoWebSocket`].

#![cfg(all(not(target_arch = "wasm32"), feature = "leptos"))]

#[path = "support/first_status.rs"]
mod first_status;

use first_status::assert_first_status;
use reactive_graph::owner::Owner;
use std::time::Duration;
use steadysocket::leptos::use_socket;
use steadysocket::{
    Backoff, Error, Json, ReadyState, ReconnectingSocket, Socket, State, UrlProblem,
};

/// `use_socket` under `owner` with `builder`, with a callback that must not run.
fn render(
    owner: &Owner,
    builder: steadysocket::ReconnectingSocketBuilder,
) -> Result<steadysocket::leptos::LeptosSocket<String, Json>, Error> {
    owner.with(|| {
        use_socket::<String, String, _>(builder, Json, |_| {
            panic!("a server render receives nothing")
        })
    })
}

#[test]
fn a_server_render_shows_the_first_status_and_connects_nothing() {
    let owner = Owner::new();
    let chat = render(
        &owner,
        ReconnectingSocket::builder("wss://example.com/chat"),
    )
    .unwrap();
    assert_first_status(&chat.status());
    assert_eq!(chat.retry_in(), None);
    assert!(!chat.is_open());
    assert!(chat.socket().is_none());
    assert_eq!(
        chat.send(&"hi".to_owned()),
        Err(Error::NotOpen {
            state: ReadyState::Connecting
        })
    );
    chat.reconnect(); // nothing to reconnect
    assert_eq!(chat.close(1000, ""), Ok(()));
    assert_eq!(
        chat.close(1001, ""),
        Err(Error::InvalidCloseCode { code: 1001 })
    );
    owner.cleanup();
    assert_eq!(chat.status().state, State::Closed);
}

#[test]
fn a_server_render_checks_the_options_as_the_browser_does_but_leaves_relative_urls_to_it() {
    let owner = Owner::new();
    assert!(render(&owner, ReconnectingSocket::builder("/chat?room=1")).is_ok());
    assert!(matches!(
        render(
            &owner,
            ReconnectingSocket::builder("ftp://example.com/chat")
        ),
        Err(Error::InvalidUrl {
            problem: UrlProblem::Scheme(_),
            ..
        })
    ));
    let backwards = Backoff::DEFAULT
        .with_min_delay(Duration::from_secs(9))
        .with_max_delay(Duration::from_secs(1));
    assert!(matches!(
        render(
            &owner,
            ReconnectingSocket::builder("wss://example.com").backoff(backwards)
        ),
        Err(Error::InvalidOption { .. })
    ));
    assert!(matches!(
        render(
            &owner,
            ReconnectingSocket::builder("wss://example.com").protocols(["chat", "chat"])
        ),
        Err(Error::DuplicateProtocol { .. })
    ));
}

#[test]
fn a_builder_gives_the_first_status_without_connecting_for_any_framework() {
    let status = ReconnectingSocket::builder("wss://example.com/chat")
        .status_before_connecting()
        .unwrap();
    assert_first_status(&status);
    assert!(ReconnectingSocket::builder("/chat")
        .status_before_connecting()
        .is_ok());
    assert!(matches!(
        ReconnectingSocket::builder("ftp://example.com/chat").status_before_connecting(),
        Err(Error::InvalidUrl {
            problem: UrlProblem::Scheme(_),
            ..
        })
    ));
    assert!(matches!(
        ReconnectingSocket::builder("wss://example.com")
            .protocols(["chat", "chat"])
            .status_before_connecting(),
        Err(Error::DuplicateProtocol { .. })
    ));
}

#[test]
fn connecting_off_wasm32_is_a_typed_error_that_says_why() {
    let error = ReconnectingSocket::builder("wss://example.com")
        .connect()
        .err()
        .expect("no socket off wasm32");
    assert_eq!(error, Error::NoWebSocket);
    assert!(error.to_string().contains("wasm32"), "{error}");
    assert_eq!(
        Socket::connect("wss://example.com").err(),
        Some(Error::NoWebSocket)
    );
}
