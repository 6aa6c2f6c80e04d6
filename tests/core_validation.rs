//! Host tests of the validation rules: tables for the named cases, property
//! tests for the whole input space.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use steadysocket::core::validation::*;
use steadysocket::{Error, UrlProblem};

/// The core's protocol check, worded as the Rust API's [`Error`].
fn protocols<S: AsRef<str>>(offered: &[S]) -> Result<(), Error> {
    check_protocols(offered).map_err(Error::from)
}

/// The core's URL check, worded as the Rust API's [`Error`].
fn url(input: &str) -> Result<String, Error> {
    websocket_url(input).map_err(Error::from)
}

#[test]
fn close_code_table() {
    let table = [
        (0, false),
        (999, false),
        (1000, true),
        (1001, false),
        (1005, false),
        (1006, false),
        (1011, false),
        (1015, false),
        (2999, false),
        (3000, true),
        (3999, true),
        (4000, true),
        (4999, true),
        (5000, false),
        (u16::MAX, false),
    ];
    for (code, allowed) in table {
        assert_eq!(is_sendable_close_code(code), allowed, "code {code}");
        let expected = if allowed {
            Ok(())
        } else {
            Err(Error::InvalidCloseCode { code })
        };
        assert_eq!(
            check_close(code, "").map_err(Error::from),
            expected,
            "code {code}"
        );
    }
}

#[test]
fn close_reason_table() {
    let cases = [
        (String::new(), true),
        ("a".repeat(123), true),
        ("a".repeat(124), false),
        ("é".repeat(61), true),                 // 122 bytes
        (format!("{}x", "é".repeat(61)), true), // 123 bytes
        ("é".repeat(62), false),                // 124 bytes
        ("🌍".repeat(30), true),                // 120 bytes
        ("🌍".repeat(31), false),               // 124 bytes
    ];
    for (reason, allowed) in cases {
        let result = check_close(1000, &reason).map_err(Error::from);
        if allowed {
            assert_eq!(result, Ok(()), "{} bytes", reason.len());
        } else {
            assert_eq!(
                result,
                Err(Error::CloseReasonTooLong {
                    bytes: reason.len()
                })
            );
        }
    }
}

#[test]
fn a_bad_code_is_reported_before_a_long_reason() {
    assert_eq!(
        check_close(1005, &"x".repeat(200)).map_err(Error::from),
        Err(Error::InvalidCloseCode { code: 1005 })
    );
}

#[test]
fn protocol_token_table() {
    for good in [
        "chat",
        "chat.v2",
        "a",
        "x-y_z",
        "!#$%&'*+-.^_`|~",
        "V1",
        "0",
    ] {
        assert!(is_token(good), "{good:?} is a token");
    }
    for bad in [
        "", " ", "a b", "a,b", "a;b", "\"q\"", "(x)", "a/b", "a:b", "é", "a\tb", "{x}", "[x]",
        "a=b", "a?b", "@x", "a\\b",
    ] {
        assert!(!is_token(bad), "{bad:?} is not a token");
    }
}

#[test]
fn protocol_list_table() {
    assert_eq!(protocols::<&str>(&[]), Ok(()));
    assert_eq!(protocols(&["chat.v2", "chat.v1"]), Ok(()));
    assert_eq!(
        protocols(&["Chat", "chat"]),
        Err(Error::DuplicateProtocol {
            protocol: "chat".into()
        }),
        "duplicates compare without letter case, as Node's, Deno's and Bun's constructors do"
    );
    assert_eq!(
        protocols(&["a", "b", "a"]),
        Err(Error::DuplicateProtocol {
            protocol: "a".into()
        })
    );
    assert_eq!(
        protocols(&["a", "b c"]),
        Err(Error::InvalidProtocol {
            protocol: "b c".into()
        })
    );
}

#[test]
fn url_table() {
    let ok = [
        ("ws://example.com/", "ws://example.com/"),
        ("wss://example.com/feed?x=1", "wss://example.com/feed?x=1"),
        ("http://127.0.0.1:9001/echo", "ws://127.0.0.1:9001/echo"),
        ("https://example.com", "wss://example.com"),
        ("WS://Example.com/", "ws://Example.com/"),
        ("HtTpS://h:443/", "wss://h:443/"),
        ("ws://[::1]:9001/x", "ws://[::1]:9001/x"),
        ("ws://user:pw@host/", "ws://user:pw@host/"),
        ("ws://host:/", "ws://host:/"),
        ("ws://host:65535?q", "ws://host:65535?q"),
        ("ws://a@b@[::1]:0080/", "ws://a@b@[::1]:0080/"),
        // White space and control characters as the WHATWG URL parser takes
        // them: dropped at the ends (tabs and newlines anywhere); in the path
        // or query left for the platform's parser to percent-encode.
        (" \u{0}ws://host/a b?c d\n", "ws://host/a b?c d"),
        ("ws://ho\tst/\u{1}x\r\n/", "ws://host/\u{1}x/"),
        ("ws://host\\a b", "ws://host\\a b"),
        ("ws://us er@host/", "ws://us er@host/"),
        ("ws://h%41%2d%21/%20", "ws://h%41%2d%21/%20"),
        // Any run of slashes and backslashes after the scheme starts the
        // host, as the URL parser reads the special schemes.
        ("ws:host", "ws://host"),
        ("ws:/host/a", "ws://host/a"),
        ("ws:///x", "ws://x"),
        ("wss:\\\\host\\a", "wss://host\\a"),
        ("HTTP:/\\host:80?q", "ws://host:80?q"),
    ];
    for (input, expected) in ok {
        assert_eq!(url(input).as_deref(), Ok(expected), "{input}");
    }
    let bad = [
        ("", UrlProblem::Empty),
        ("/echo", UrlProblem::RelativeWithoutBase),
        ("echo", UrlProblem::RelativeWithoutBase),
        ("//host/x", UrlProblem::RelativeWithoutBase),
        ("ftp://host/", UrlProblem::Scheme("ftp".into())),
        ("file:///etc/passwd", UrlProblem::Scheme("file".into())),
        ("localhost:9001/x", UrlProblem::Scheme("localhost".into())),
        ("ws://host/#frag", UrlProblem::Fragment),
        ("ws://host#", UrlProblem::Fragment),
        ("ws:", UrlProblem::MissingHost),
        ("ws://", UrlProblem::MissingHost),
        ("ws:///", UrlProblem::MissingHost),
        ("ws:?x", UrlProblem::MissingHost),
        ("ws://:9001/", UrlProblem::MissingHost),
        ("ws://[::1/", UrlProblem::MissingHost),
        ("ws://host:99999/", UrlProblem::BadPort("99999".into())),
        ("ws://host:65536/", UrlProblem::BadPort("65536".into())),
        ("ws://[::1]:8x/", UrlProblem::BadPort("8x".into())),
        ("ws://host:+80/", UrlProblem::BadPort("+80".into())),
        ("ws://host:http/", UrlProblem::BadPort("http".into())),
        ("ws://ho st/a", UrlProblem::Whitespace),
        ("ws://host\u{7f}/", UrlProblem::Whitespace),
        ("ws://user@host:80 /", UrlProblem::Whitespace),
        ("ws://[::1]\u{a0}/", UrlProblem::Whitespace),
        ("ws://exa%20mple.com/", UrlProblem::Whitespace),
        ("ws://u@h%0a%7F:80/", UrlProblem::Whitespace),
        ("ws:h%1F/", UrlProblem::Whitespace),
        (" \t\n", UrlProblem::Empty),
    ];
    for (input, problem) in bad {
        assert_eq!(
            url(input),
            Err(Error::InvalidUrl {
                url: input.into(),
                problem
            }),
            "{input:?}"
        );
    }
}

#[test]
fn a_base_is_asked_only_where_the_url_depends_on_one() {
    let page = |resolved: &'static str| move || Some(resolved.to_owned());
    let never = || -> Option<String> { panic!("asked for a base") };
    // With the scheme's `//`, no base changes anything.
    assert_eq!(
        websocket_url_resolving("https://h/x", never),
        Ok("wss://h/x".to_owned())
    );
    // Without it, the URL parser reads an http(s) URL against a base of the
    // same scheme: the resolver (the platform's parser, on the page) decides.
    assert_eq!(
        websocket_url_resolving("http:echo", page("http://page/echo")),
        Ok("ws://page/echo".to_owned())
    );
    assert_eq!(
        websocket_url_resolving("http:echo", || None),
        Ok("ws://echo".to_owned())
    );
    assert_eq!(
        websocket_url_resolving("/echo", page("https://page/echo")),
        Ok("wss://page/echo".to_owned())
    );
    // The resolved URL's problem is reported with the URL as it was given.
    assert_eq!(
        websocket_url_resolving("/echo", page("ftp://page/echo")),
        Err(UrlError {
            url: "/echo".to_owned(),
            problem: UrlProblem::Scheme("ftp".into())
        })
    );
    assert_eq!(
        websocket_url_resolving("/echo", || None),
        Err(UrlError {
            url: "/echo".to_owned(),
            problem: UrlProblem::RelativeWithoutBase
        })
    );
    // What the URL would have no host or a bad port for without a base may
    // be a path against one.
    assert_eq!(
        websocket_url_resolving("http:/:65536/", page("http://page/:65536/")),
        Ok("ws://page/:65536/".to_owned())
    );
    assert_eq!(
        websocket_url_resolving("http:/:65536/", || None),
        Err(UrlError {
            url: "http:/:65536/".to_owned(),
            problem: UrlProblem::MissingHost
        })
    );
    // A problem no base can change is reported without asking.
    assert_eq!(
        websocket_url_resolving("", never),
        Err(UrlError {
            url: String::new(),
            problem: UrlProblem::Empty
        })
    );
    assert_eq!(
        websocket_url_resolving("ws://host/#f", never),
        Err(UrlError {
            url: "ws://host/#f".to_owned(),
            problem: UrlProblem::Fragment
        })
    );
}

#[test]
fn error_messages_say_what_is_allowed() {
    let message = |error: Error| error.to_string();
    assert!(message(Error::InvalidCloseCode { code: 1005 })
        .contains("1000 or a code from 3000 to 4999"));
    assert!(message(Error::CloseReasonTooLong { bytes: 130 }).contains("at most 123 are allowed"));
    assert!(message(Error::InvalidProtocol {
        protocol: "a b".into()
    })
    .contains("token"));
    let message = url("ftp://x/").unwrap_err().to_string();
    assert!(
        message.contains("\"ftp\"") && message.contains("ws:, wss:"),
        "{message}"
    );
}

fn token_strategy() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}").unwrap()
}

proptest! {
    #[test]
    fn only_1000_and_3000_to_4999_are_sendable(code in any::<u16>()) {
        let allowed = code == 1000 || (3000..=4999).contains(&code);
        prop_assert_eq!(check_close(code, "").is_ok(), allowed);
    }

    #[test]
    fn reasons_are_limited_by_utf8_bytes(reason in ".{0,80}") {
        prop_assert_eq!(check_close(1000, &reason).is_ok(), reason.len() <= 123);
    }

    #[test]
    fn tokens_are_accepted(token in token_strategy()) {
        prop_assert!(is_token(&token));
        prop_assert_eq!(protocols(&[token.as_str()]), Ok(()));
    }

    #[test]
    fn any_non_token_character_is_rejected(
        prefix in token_strategy(),
        bad in "[ \t\"(),/:;<=>?@\\[\\]{}\\\\é\u{0}-\u{1f}]",
        suffix in "[a-z]{0,5}",
    ) {
        let protocol = format!("{prefix}{bad}{suffix}");
        prop_assert!(!is_token(&protocol));
        prop_assert_eq!(
            protocols(&[protocol.as_str()]),
            Err(Error::InvalidProtocol { protocol: protocol.clone() })
        );
    }

    #[test]
    fn a_repeated_token_is_a_duplicate(tokens in proptest::collection::vec(token_strategy(), 1..6), pick in any::<prop::sample::Index>()) {
        let mut offered = tokens.clone();
        offered.dedup();
        let repeated = pick.get(&offered).clone();
        let first_duplicate_free = {
            let mut seen = std::collections::HashSet::new();
            offered.iter().all(|t| seen.insert(t))
        };
        prop_assume!(first_duplicate_free);
        offered.push(repeated.clone());
        prop_assert_eq!(protocols(&offered), Err(Error::DuplicateProtocol { protocol: repeated }));
    }

    #[test]
    fn schemes_map_and_everything_else_is_kept(
        scheme in prop::sample::select(vec!["ws", "wss", "http", "https", "WS", "Https"]),
        host in "[a-z][a-z0-9-]{0,10}(\\.[a-z]{2,5}){0,2}",
        port in proptest::option::of(any::<u16>()),
        path in "(/[a-zA-Z0-9._~%-]{0,8}){0,3}(\\?[a-z0-9=&]{0,10})?",
    ) {
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let rest = format!("//{host}{port}{path}");
        let mapped = match scheme.to_ascii_lowercase().as_str() {
            "ws" | "http" => "ws",
            _ => "wss",
        };
        prop_assert_eq!(url(&format!("{scheme}:{rest}")), Ok(format!("{mapped}:{rest}")));
        prop_assert_eq!(
            url(&format!("{scheme}:{rest}#f")).unwrap_err(),
            Error::InvalidUrl { url: format!("{scheme}:{rest}#f"), problem: UrlProblem::Fragment }
        );
    }

    #[test]
    fn any_run_of_slashes_after_the_scheme_starts_the_host(
        scheme in prop::sample::select(vec!["ws", "wss", "http", "https"]),
        slashes in "[/\\\\]{0,4}",
        host in "[a-z][a-z0-9.-]{0,8}",
        path in "([/\\\\][a-z]{0,4}){0,2}(\\?[a-z=]{0,6})?",
    ) {
        let mapped = match scheme {
            "ws" | "http" => "ws",
            _ => "wss",
        };
        prop_assert_eq!(
            url(&format!("{scheme}:{slashes}{host}{path}")),
            Ok(format!("{mapped}://{host}{path}"))
        );
    }

    #[test]
    fn a_space_or_control_character_percent_encoded_in_the_host_is_refused(
        host in "[a-z]{1,8}",
        byte in 0u8..0x80,
        upper_case in any::<bool>(),
        at in any::<prop::sample::Index>(),
    ) {
        let encoded = if upper_case { format!("%{byte:02X}") } else { format!("%{byte:02x}") };
        let at = at.index(host.len() + 1);
        let input = format!("ws://{}{encoded}{}/", &host[..at], &host[at..]);
        let refused = url(&input)
            == Err(Error::InvalidUrl { url: input.clone(), problem: UrlProblem::Whitespace });
        prop_assert_eq!(refused, byte <= 0x20 || byte == 0x7f, "{}", input);
    }

    #[test]
    fn what_the_url_parser_drops_changes_nothing_and_white_space_counts_only_in_the_host(
        host in "[a-z]{1,8}",
        path in "/[a-z ]{0,8}[a-z](\\?[a-z =]{0,8}[a-z])?",
        ends in prop::collection::vec(prop::sample::select(vec![' ', '\0', '\u{1f}', '\t', '\n', '\r']), 0..4),
        tabs in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(vec!['\t', '\n', '\r'])), 0..4),
        space_in_host in any::<prop::sample::Index>(),
    ) {
        let clean = format!("ws://{host}{path}");
        let mut messy: Vec<char> = clean.chars().collect();
        for (at, c) in &tabs {
            messy.insert(at.index(messy.len() + 1), *c);
        }
        let ends: String = ends.into_iter().collect();
        let messy = format!("{ends}{}{ends}", messy.into_iter().collect::<String>());
        prop_assert_eq!(url(&messy), Ok(clean.clone()), "{:?}", messy);
        // The same space in the host is refused.
        let at = "ws://".len() + space_in_host.index(host.len());
        let spaced = format!("{} {}", &clean[..at], &clean[at..]);
        prop_assert_eq!(
            url(&spaced),
            Err(Error::InvalidUrl { url: spaced.clone(), problem: UrlProblem::Whitespace })
        );
    }

    #[test]
    fn other_schemes_are_rejected(scheme in "[a-z][a-z0-9+.-]{0,8}", host in "[a-z]{1,8}") {
        prop_assume!(!["ws", "wss", "http", "https"].contains(&scheme.as_str()));
        let input = format!("{scheme}://{host}/");
        prop_assert_eq!(
            url(&input),
            Err(Error::InvalidUrl { url: input.clone(), problem: UrlProblem::Scheme(scheme) })
        );
    }

    #[test]
    fn validation_never_panics(input in "\\PC{0,40}") {
        let _ = url(&input);
        let _ = protocols(&[input.as_str()]);
        let _ = check_close(1000, &input);
    }
}
