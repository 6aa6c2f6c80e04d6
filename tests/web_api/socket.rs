//! The `Socket` against the real peer server, in the browsers and runtimes
//! (the same binary; `cargo xtask test` runs it in each).

use crate::support::*;
use serde::Deserialize;
use steadysocket::{Decoder, Json, ReconnectingSocket};
use steadysocket::{Error, Event, Message, ReadyState, Socket, UrlProblem, BACKLOG_EVENTS};
use wasm_bindgen::prelude::{wasm_bindgen, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn echoes_text_and_binary_of_every_size() {
    let tag = unique_tag("echo");
    let socket = Socket::connect(peer_url(&format!("/echo?tag={tag}"))).unwrap();
    assert_eq!(socket.ready_state(), ReadyState::Connecting);
    let mut events = socket.events();
    assert_eq!(expect_open(&mut events).await, None);
    assert_eq!(socket.ready_state(), ReadyState::Open);

    let megabyte_text: String = "0123456789abcdef".repeat(65_536);
    // Long enough to take the platform encoder's path, with 1- to 4-byte characters.
    let long_unicode: String = "aé✓🌍日本語".repeat(200);
    let megabyte_binary: Vec<u8> = (0..1_048_576u32).map(|i| (i * 7 % 251) as u8).collect();
    let messages = [
        Message::Text(String::new()),
        Message::Text("héllo wörld ✓ 🌍 日本語".to_owned()),
        Message::Text(megabyte_text),
        Message::Text(long_unicode),
        Message::Binary(Vec::new()),
        Message::Binary((0..=255).collect()),
        Message::Binary(megabyte_binary),
    ];
    for message in &messages {
        socket.send(message).unwrap();
        match next_event(&mut events).await {
            Event::Message(echoed) => assert!(
                &echoed == message,
                "echo differs for a {}-byte message",
                message.len()
            ),
            other => panic!("expected the echo, got {other:?}"),
        }
    }
    assert_eq!(socket.ready_state(), ReadyState::Open);

    socket.close(1000, "done").unwrap();
    assert_eq!(socket.ready_state(), ReadyState::Closing);
    assert_eq!(
        expect_closed(&mut events).await,
        (1000, "done".to_owned(), true, 0)
    );
    assert_eq!(socket.ready_state(), ReadyState::Closed);
    assert_eq!(
        next_within(&mut events, 100).await,
        None,
        "Closed is the last event"
    );
    wait_for_open_count(&tag, 0, 3000).await;
    assert_eq!(
        counts(&tag).await,
        (0, 1, 1),
        "one connection, never two at once"
    );
}

#[wasm_bindgen_test]
async fn a_message_that_comes_with_the_handshakes_answer_follows_the_open() {
    // The server answers the handshake and greets in one write (one TCP
    // segment); with `close=1008` a close frame follows in the same write.
    let tag = unique_tag("socket-greet");
    let greeting = Event::Message(Message::Text("greeting".to_owned()));
    let socket = Socket::connect(format!("ws://{HANG}/greet?tag={tag}")).unwrap();
    let mut events = socket.events();
    assert_eq!(expect_open(&mut events).await, None);
    assert_eq!(next_event(&mut events).await, greeting);
    // The server answers the close frame with a message first: as
    // WebSocket, none is reported once the closing handshake started.
    socket.close(1000, "").unwrap();
    assert_eq!(
        expect_closed(&mut events).await,
        (1000, String::new(), true, 0)
    );

    let turned_away = Socket::connect(format!("ws://{HANG}/greet?tag={tag}&close=1008")).unwrap();
    let mut events = turned_away.events();
    assert_eq!(expect_open(&mut events).await, None);
    assert_eq!(next_event(&mut events).await, greeting);
    assert_eq!(expect_closed(&mut events).await.0, 1008);
    wait_for_open_count(&tag, 0, 3000).await;
    assert_eq!(counts(&tag).await.2, 2, "two connections greeted");
}

#[wasm_bindgen_test]
async fn server_close_codes_and_reasons_arrive_as_sent() {
    for (code, reason) in [
        (1000, ""),
        (1001, "going away"),
        (1011, "server error"),
        (4000, "custom"),
        (4999, "ünïcödé reason"),
    ] {
        let url = peer_url(&format!("/echo?close={code}&reason={}", encode(reason)));
        let socket = Socket::connect(url).unwrap();
        let mut events = socket.events();
        expect_open(&mut events).await;
        let closed = expect_closed(&mut events).await;
        assert_eq!(
            closed,
            (code, reason.to_owned(), true, 0),
            "server close {code}"
        );
        assert_eq!(socket.ready_state(), ReadyState::Closed);
    }
}

#[wasm_bindgen_test]
async fn server_close_after_traffic_keeps_earlier_messages() {
    let socket = Socket::connect(peer_url("/echo?close=4002&reason=enough&close_after=2")).unwrap();
    let mut events = socket.events();
    expect_open(&mut events).await;
    socket.send_text("one").unwrap();
    socket.send_text("two").unwrap();
    for expected in ["one", "two"] {
        assert_eq!(
            next_event(&mut events).await,
            Event::Message(expected.into())
        );
    }
    assert_eq!(
        expect_closed(&mut events).await,
        (4002, "enough".to_owned(), true, 0)
    );
}

#[wasm_bindgen_test]
async fn client_close_is_validated_before_the_platform() {
    let socket = Socket::connect(peer_url("/echo")).unwrap();
    let mut events = socket.events();
    expect_open(&mut events).await;
    for code in [0, 999, 1001, 1005, 1006, 1015, 2999, 5000, u16::MAX] {
        assert_eq!(
            socket.close(code, ""),
            Err(Error::InvalidCloseCode { code })
        );
    }
    let too_long = "é".repeat(62); // 124 bytes
    assert_eq!(
        socket.close(1000, &too_long),
        Err(Error::CloseReasonTooLong { bytes: 124 })
    );
    assert_eq!(
        socket.ready_state(),
        ReadyState::Open,
        "rejected closes do nothing"
    );
    let longest = format!("{}x", "é".repeat(61)); // 123 bytes
    socket.close(4321, &longest).unwrap();
    assert_eq!(expect_closed(&mut events).await, (4321, longest, true, 0));
    assert_eq!(
        socket.close(1000, ""),
        Ok(()),
        "closing a closed socket does nothing"
    );
}

#[wasm_bindgen_test]
async fn sending_outside_open_is_an_error_not_a_loss() {
    let socket = Socket::connect(peer_url("/echo")).unwrap();
    assert_eq!(
        socket.send_text("early"),
        Err(Error::NotOpen {
            state: ReadyState::Connecting
        })
    );
    let mut events = socket.events();
    expect_open(&mut events).await;
    socket.close(1000, "").unwrap();
    assert_eq!(
        socket.send_binary(&[1, 2, 3]),
        Err(Error::NotOpen {
            state: ReadyState::Closing
        })
    );
    expect_closed(&mut events).await;
    assert_eq!(
        socket.send_text("late"),
        Err(Error::NotOpen {
            state: ReadyState::Closed
        })
    );
}

#[wasm_bindgen_test]
async fn subprotocol_selection() {
    let offered = ["chat.v2", "chat.v1"];
    for (asked, expected) in [("", Some("chat.v2")), ("chat.v1", Some("chat.v1"))] {
        let query = if asked.is_empty() {
            String::new()
        } else {
            format!("?protocol={asked}")
        };
        let socket = Socket::builder(peer_url(&format!("/echo{query}")))
            .protocols(offered)
            .connect()
            .unwrap();
        assert_eq!(socket.protocol(), None, "no protocol before open");
        let mut events = socket.events();
        assert_eq!(
            expect_open(&mut events).await.as_deref(),
            expected,
            "asked {asked:?}"
        );
        assert_eq!(socket.protocol().as_deref(), expected);
    }
}

#[wasm_bindgen_test]
async fn a_server_may_choose_no_protocol_only_when_none_was_offered() {
    let socket = Socket::connect(peer_url("/echo?protocol=none")).unwrap();
    assert_eq!(expect_open(&mut socket.events()).await, None);
    assert_eq!(socket.protocol(), None);

    // WHATWG: protocols were offered and the answer names none, so the
    // platform fails the connection.
    let socket = Socket::builder(peer_url("/echo?protocol=none"))
        .protocols(["chat.v2", "chat.v1"])
        .connect()
        .unwrap();
    let (code, _, was_clean, errors) = expect_closed(&mut socket.events()).await;
    assert_eq!((code, was_clean, errors), (1006, false, 1));
    assert_eq!(socket.ready_state(), ReadyState::Closed);
}

#[wasm_bindgen_test]
async fn a_protocol_that_was_not_offered_fails_the_connection() {
    let socket = Socket::builder(peer_url("/echo?protocol=chat.v9"))
        .protocols(["chat.v2", "chat.v1"])
        .connect()
        .unwrap();
    let mut events = socket.events();
    let (code, reason, was_clean, errors) = expect_closed(&mut events).await;
    assert_eq!(
        (code, reason.as_str(), was_clean, errors),
        (1006, "", false, 1)
    );
    assert_eq!(socket.ready_state(), ReadyState::Closed);
    assert_eq!(socket.protocol(), None);
}

#[wasm_bindgen_test]
async fn bad_protocols_and_urls_are_rejected_before_connecting() {
    let connect = |protocols: &[&str]| {
        Socket::builder(peer_url("/echo"))
            .protocols(protocols.iter().copied())
            .connect()
            .err()
    };
    assert_eq!(
        connect(&["ok", "not ok"]),
        Some(Error::InvalidProtocol {
            protocol: "not ok".into()
        })
    );
    assert_eq!(
        connect(&[""]),
        Some(Error::InvalidProtocol {
            protocol: String::new()
        })
    );
    assert_eq!(
        connect(&["a,b"]),
        Some(Error::InvalidProtocol {
            protocol: "a,b".into()
        })
    );
    assert_eq!(
        connect(&["x", "y", "x"]),
        Some(Error::DuplicateProtocol {
            protocol: "x".into()
        })
    );
    // Browsers accept it; the constructors of Node, Deno and Bun throw.
    assert_eq!(
        connect(&["chat", "CHAT"]),
        Some(Error::DuplicateProtocol {
            protocol: "CHAT".into()
        })
    );

    let problem = |url: &str| match Socket::connect(url) {
        Err(Error::InvalidUrl { problem, .. }) => Some(problem),
        Err(other) => panic!("{url}: unexpected {other}"),
        Ok(_) => None,
    };
    assert_eq!(problem(""), Some(UrlProblem::Empty));
    assert_eq!(
        problem("ftp://127.0.0.1/"),
        Some(UrlProblem::Scheme("ftp".into()))
    );
    assert_eq!(problem("ws://127.0.0.1/#top"), Some(UrlProblem::Fragment));
    assert_eq!(problem("ws://"), Some(UrlProblem::MissingHost));
    assert_eq!(problem("ws:///?x"), Some(UrlProblem::MissingHost));
    for (url, message) in platform_refused_urls() {
        assert_eq!(problem(&url), Some(UrlProblem::Unparsable), "{url}");
        match ReconnectingSocket::builder(url.as_str()).connect() {
            Err(error) => assert_eq!(error.to_string(), message),
            Ok(_) => {
                panic!("{url}: connected, to fail every attempt at the platform's constructor")
            }
        }
    }

    let mapped = Socket::connect(format!("http://{PEER}/echo")).unwrap();
    assert_eq!(mapped.url(), format!("ws://{PEER}/echo"));
    assert_eq!(expect_open(&mut mapped.events()).await, None);

    match Socket::connect("/echo") {
        Ok(socket) => {
            assert!(
                has_location(),
                "a relative URL resolves only against a page"
            );
            assert!(socket.url().starts_with("ws://"), "{}", socket.url());
            assert!(socket.url().ends_with("/echo"), "{}", socket.url());
        }
        Err(error) => {
            assert!(
                !has_location(),
                "a page resolves relative URLs, got {error}"
            );
            assert_eq!(
                error,
                Error::InvalidUrl {
                    url: "/echo".into(),
                    problem: UrlProblem::RelativeWithoutBase
                }
            );
        }
    }
}

/// `url()` is the URL as the WHATWG URL parser writes it, what the platform's
/// `WebSocket.url` gives in browsers, Node, Deno and Bun (and the npm class's
/// `url` everywhere; workerd's own gives back the string it was given).
#[wasm_bindgen_test]
async fn the_url_is_written_as_the_platforms_url_parser_writes_it() {
    let mixed_case = PEER.replace("127.0.0.1", "LocalHost");
    let lower_case = PEER.replace("127.0.0.1", "localhost");
    for (url, written) in [
        (format!("ws://{PEER}"), format!("ws://{PEER}/")),
        (
            format!("WS://{mixed_case}/echo?note=a"),
            format!("ws://{lower_case}/echo?note=a"),
        ),
        (
            format!("ws://{PEER}/./x/../echo?q=%41"),
            format!("ws://{PEER}/echo?q=%41"),
        ),
        (format!("http://{PEER}"), format!("ws://{PEER}/")),
        (
            format!(" ws://{PEER}/ec\tho?note=a b\n"),
            format!("ws://{PEER}/echo?note=a%20b"),
        ),
    ] {
        let socket = Socket::connect(url.as_str()).unwrap();
        assert_eq!(socket.url(), written, "{url}");
    }
}

/// A URL whose scheme is not followed by `//` is read as the platform's URL
/// parser reads it, the one `WebSocket` uses: any run of slashes and
/// backslashes starts the host, and an http(s) one is relative to a page of
/// the same scheme. What the parser makes of each (against the page
/// location, where there is one) is what `url()` gives, and the first opens.
#[wasm_bindgen_test]
async fn a_url_without_the_schemes_slashes_is_read_as_the_url_parser_reads_it() {
    let as_the_parser_reads = |input: &str| {
        let location = js_sys::Reflect::get(&js_sys::global(), &"location".into()).unwrap();
        let parsed = match js_sys::Reflect::get(&location, &"href".into())
            .ok()
            .and_then(|href| href.as_string())
        {
            Some(base) => web_sys::Url::new_with_base(input, &base),
            None => web_sys::Url::new(input),
        }
        .unwrap();
        parsed.set_protocol(if parsed.protocol() == "https:" {
            "wss:"
        } else {
            "ws:"
        });
        parsed.href()
    };
    let inputs = [
        format!("ws:{PEER}/echo"),
        format!("ws:/{PEER}/echo"),
        format!("ws:\\\\{PEER}\\echo"),
        format!("WS:///{PEER}/echo"),
        format!("http:{PEER}/echo"),
        format!("https:/{PEER}/echo"),
    ];
    for input in &inputs {
        let socket = Socket::connect(input.as_str()).unwrap();
        assert_eq!(socket.url(), as_the_parser_reads(input), "{input}");
    }
    assert_eq!(as_the_parser_reads(&inputs[0]), format!("ws://{PEER}/echo"));
    let socket = Socket::connect(inputs[0].as_str()).unwrap();
    let mut events = socket.events();
    assert_eq!(expect_open(&mut events).await, None);
    socket.close(1000, "").unwrap();
    expect_closed(&mut events).await;
}

/// White space in the path or query is percent-encoded, as `WebSocket`
/// does, and the connection opens with it: the server reads the tag with
/// its spaces.
#[wasm_bindgen_test]
async fn white_space_in_the_query_reaches_the_server_percent_encoded() {
    let tag = unique_tag("rust url with spaces");
    let socket = Socket::connect(format!("ws://{PEER}/echo?tag={tag}\n")).unwrap();
    let mut events = socket.events();
    expect_open(&mut events).await;
    assert_eq!(counts(&tag).await.0, 1);
    socket.close(1000, "").unwrap();
    expect_closed(&mut events).await;
}

/// The shared vectors' URLs that pass the core's checks and that the
/// platform's URL parser refuses, with the message both faces give
/// (`tests/vectors.json`), read by the crate's own JSON codec.
fn platform_refused_urls() -> Vec<(String, String)> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Vectors {
        platform_refused_urls: Vec<Case>,
    }
    #[derive(Deserialize)]
    struct Case {
        url: String,
        message: String,
    }
    let text = include_str!("../vectors.json");
    let vectors: Vectors = Json.decode(&Message::Text(text.into())).unwrap();
    let cases = vectors.platform_refused_urls;
    assert!(!cases.is_empty(), "tests/vectors.json lists them");
    cases
        .into_iter()
        .map(|case| (case.url, case.message))
        .collect()
}

#[wasm_bindgen_test]
async fn refused_handshake_ends_with_1006() {
    let socket = Socket::connect(peer_url("/echo?status=403")).unwrap();
    let mut events = socket.events();
    let (code, _, was_clean, errors) = expect_closed(&mut events).await;
    assert_eq!((code, was_clean, errors), (1006, false, 1));
    assert_eq!(socket.ready_state(), ReadyState::Closed);
}

#[wasm_bindgen_test]
async fn refused_connection_ends_with_1006() {
    // Port 1 on loopback: nothing listens there, the TCP connect is refused.
    let socket = Socket::connect(refused_url("refused")).unwrap();
    let mut events = socket.events();
    let (code, _, was_clean, errors) = expect_closed(&mut events).await;
    assert_eq!((code, was_clean, errors), (1006, false, 1));
    assert_eq!(socket.ready_state(), ReadyState::Closed);
    assert_eq!(next_within(&mut events, 200).await, None);
}

#[wasm_bindgen_test]
async fn dropped_tcp_is_an_unclean_1006() {
    let socket = Socket::connect(peer_url("/echo?drop_after=1")).unwrap();
    let mut events = socket.events();
    expect_open(&mut events).await;
    socket.send_text("last words").unwrap();
    assert_eq!(
        next_event(&mut events).await,
        Event::Message("last words".into())
    );
    let (code, reason, was_clean, _) = expect_closed(&mut events).await;
    assert_eq!((code, reason.as_str(), was_clean), (1006, "", false));
    assert_eq!(socket.ready_state(), ReadyState::Closed);

    let socket = Socket::connect(peer_url("/echo?drop_ms=300")).unwrap();
    let mut events = socket.events();
    expect_open(&mut events).await;
    let (code, _, was_clean, _) = expect_closed(&mut events).await;
    assert_eq!((code, was_clean), (1006, false));
}

/// A clean close comes without an error, twenty times over: workerd fires
/// one ("Network connection lost.") before about a third of clean closes
/// after a 64 KiB echo, which is not reported.
#[wasm_bindgen_test]
async fn a_clean_close_comes_without_an_error() {
    let message = Message::Text("x".repeat(65_536));
    for round in 0..20 {
        let socket = Socket::connect(peer_url("/echo")).unwrap();
        let mut events = socket.events();
        expect_open(&mut events).await;
        socket.send(&message).unwrap();
        assert_eq!(
            next_event(&mut events).await,
            Event::Message(message.clone())
        );
        socket.close(1000, "done").unwrap();
        assert_eq!(
            expect_closed(&mut events).await,
            (1000, "done".to_owned(), true, 0),
            "round {round}: code, reason, clean, errors"
        );
    }
}

// A module of its own, not `Function::new`: workerd compiles no code from strings.
#[wasm_bindgen(inline_js = "
export function reportingDropsAsZero() {
    return class extends globalThis.WebSocket {
        addEventListener(type, listener, options) {
            if (type !== 'close') return super.addEventListener(type, listener, options);
            return super.addEventListener(type, (event) => listener({
                type, code: event.code === 1006 ? 0 : event.code,
                reason: event.reason, wasClean: event.wasClean,
            }), options);
        }
    };
}")]
extern "C" {
    /// A `WebSocket` class over the global one whose close events report a
    /// connection that ended without a close frame as code 0, as Deno's does.
    #[wasm_bindgen(js_name = reportingDropsAsZero)]
    fn reporting_drops_as_zero() -> js_sys::Function;
}

#[wasm_bindgen_test]
async fn a_platform_close_code_0_is_reported_as_an_unclean_1006() {
    let socket = Socket::builder(peer_url("/echo?drop_after=1"))
        .constructor(reporting_drops_as_zero())
        .connect()
        .unwrap();
    let mut events = socket.events();
    expect_open(&mut events).await;
    socket.send_text("last words").unwrap();
    next_event(&mut events).await;
    let (code, _, was_clean, _) = expect_closed(&mut events).await;
    assert_eq!((code, was_clean), (1006, false));
}

// A module of its own, not `Function::new`: workerd compiles no code from strings.
#[wasm_bindgen(inline_js = "
export function readingSendsLater() {
    return class extends globalThis.WebSocket {
        send(data) {
            queueMicrotask(() => super.send(data));
        }
    };
}
export function swapGlobalWebSocket(constructor) {
    const previous = globalThis.WebSocket;
    globalThis.WebSocket = constructor;
    return previous;
}
export function deflateEcho() {
    return globalThis.steadysocketDeflateEcho;
}")]
extern "C" {
    /// A `WebSocket` class over the global one that reads what it is given
    /// to send a microtask after `send` returns, as the `ws` package does
    /// while it compresses and as test doubles of `WebSocket` do.
    #[wasm_bindgen(js_name = readingSendsLater)]
    fn reading_sends_later() -> js_sys::Function;
    /// Puts `constructor` in place of `globalThis.WebSocket`; returns what was there.
    #[wasm_bindgen(js_name = swapGlobalWebSocket)]
    fn swap_global_websocket(constructor: &JsValue) -> JsValue;
    /// The URL of an echo that negotiates permessage-deflate, where the
    /// suites run with the `ws` package as the global WebSocket
    /// (tests/js/ws-as-global.cjs); `None` elsewhere.
    #[wasm_bindgen(js_name = deflateEcho)]
    fn deflate_echo() -> Option<String>;
}

/// Connects to `url` with `constructor` put in place of the global
/// `WebSocket` for the call.
fn connect_with_global(url: String, constructor: &JsValue) -> Result<Socket, Error> {
    let previous = swap_global_websocket(constructor);
    let socket = Socket::connect(url);
    swap_global_websocket(&previous);
    socket
}

/// A binary message is what its bytes were when `send_binary` was called,
/// with the runtime's own `WebSocket` and with one that reads them later,
/// whether it was passed as the constructor or put in place of the global
/// one: the buffer is refilled
/// between sends, so a view of wasm memory read late would send the last
/// round's bytes. Where the suites run with the `ws` package as the global
/// WebSocket, also through `ws` itself against an echo that negotiates
/// permessage-deflate.
#[wasm_bindgen_test]
async fn binary_sends_are_copied_before_send_returns() {
    const ROUNDS: u8 = 20;
    let injected = Socket::builder(peer_url("/echo")).constructor(reading_sends_later());
    let mut sockets = vec![
        // Sent as a view where its `send` copies at once (a platform's own,
        // Node's and Deno's), so this checks that it does.
        ("the runtime's own", Socket::connect(peer_url("/echo"))),
        ("passed as the constructor", injected.connect()),
        (
            "in place of the global WebSocket",
            connect_with_global(peer_url("/echo"), &reading_sends_later()),
        ),
    ];
    if let Some(url) = deflate_echo() {
        sockets.push(("ws with permessage-deflate", Socket::connect(url)));
    }
    for (how, socket) in sockets {
        let socket = socket.unwrap();
        let mut events = socket.events();
        expect_open(&mut events).await;
        let mut buffer = vec![0u8; 4096];
        for round in 1..=ROUNDS {
            buffer.fill(round);
            socket.send_binary(&buffer).unwrap();
        }
        buffer.fill(0);
        for round in 1..=ROUNDS {
            match next_event(&mut events).await {
                Event::Message(Message::Binary(bytes)) => assert!(
                    bytes.len() == 4096 && bytes.iter().all(|&byte| byte == round),
                    "{how}: round {round} came back as {} bytes starting {:?}",
                    bytes.len(),
                    &bytes[..bytes.len().min(4)]
                ),
                other => panic!("{how}: expected the echo, got {other:?}"),
            }
        }
        socket.close(1000, "done").unwrap();
        assert_eq!(expect_closed(&mut events).await.0, 1000, "{how}");
    }
}

#[wasm_bindgen_test]
async fn never_answered_handshake_stays_connecting_until_dropped() {
    let tag = unique_tag("hang-drop");
    let socket = Socket::connect(format!("ws://{HANG}/?tag={tag}")).unwrap();
    let mut events = socket.events();
    assert_eq!(
        next_within(&mut events, 1500).await,
        None,
        "no event while hanging"
    );
    assert_eq!(socket.ready_state(), ReadyState::Connecting);
    wait_for_open_count(&tag, 1, 3000).await;
    drop(socket);
    assert_eq!(
        next_within(&mut events, 100).await,
        None,
        "a dropped socket's stream ends"
    );
    wait_for_abandoned_handshakes_closed(&tag).await;
}

#[wasm_bindgen_test]
async fn close_while_connecting_abandons_the_attempt() {
    let tag = unique_tag("hang-close");
    let socket = Socket::connect(format!("ws://{HANG}/?tag={tag}")).unwrap();
    let mut events = socket.events();
    wait_for_open_count(&tag, 1, 3000).await;
    assert_eq!(socket.ready_state(), ReadyState::Connecting);
    socket.close(1000, "never mind").unwrap();
    assert_eq!(socket.ready_state(), ReadyState::Closed);
    assert_eq!(
        expect_closed(&mut events).await,
        (1006, String::new(), false, 0)
    );
    assert_eq!(
        next_within(&mut events, 300).await,
        None,
        "no late platform events"
    );
    wait_for_abandoned_handshakes_closed(&tag).await;
}

/// A socket nobody reads holds bounded memory: its first subscription gets
/// the newest events the backlog keeps, after an item that counts the
/// older ones that went, and what it gets follows on without a gap.
#[wasm_bindgen_test]
async fn a_socket_nobody_reads_keeps_the_newest_events_and_counts_the_rest() {
    let tag = unique_tag("backlog");
    // Open, this many echoes and the server's close all happen before
    // anyone subscribes.
    let total = BACKLOG_EVENTS + 100;
    let url = peer_url(&format!(
        "/echo?tag={tag}&close=4000&reason=done&close_after={total}"
    ));
    let socket = Socket::connect(url).unwrap();
    let mut waited = 0;
    while socket.ready_state() != ReadyState::Open {
        assert!(waited < EVENT_WAIT_MS, "not open within {EVENT_WAIT_MS} ms");
        sleep(10).await;
        waited += 10;
    }
    for n in 0..total {
        socket.send_text(&n.to_string()).unwrap();
    }
    while socket.ready_state() != ReadyState::Closed {
        assert!(waited < 4 * EVENT_WAIT_MS, "not closed in time");
        sleep(10).await;
        waited += 10;
    }
    let mut events = socket.events();
    let first = next_event(&mut events).await;
    assert_eq!(
        first,
        Event::Missed {
            events: 2 + total - BACKLOG_EVENTS
        },
        "the newest {BACKLOG_EVENTS} events are kept; the first item counts the rest"
    );
    // The open event went first, then the oldest echoes.
    for n in 1 + total - BACKLOG_EVENTS..total {
        let expected = Message::Text(n.to_string());
        assert_eq!(next_event(&mut events).await, Event::Message(expected));
    }
    assert!(matches!(
        next_event(&mut events).await,
        Event::Closed { code: 4000, .. }
    ));
    assert_eq!(
        futures::StreamExt::next(&mut events).await,
        None,
        "the stream ends after the close"
    );
}
