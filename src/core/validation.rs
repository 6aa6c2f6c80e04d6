//! Rules for what a client may hand to the platform WebSocket.
//!
//! The platform answers a bad close code, an over-long reason, a bad subprotocol
//! or a bad URL with an exception; these checks run first and say what is
//! wrong as the core's own types ([`CloseProblem`], [`ProtocolProblem`],
//! [`UrlError`]), which the Rust API words as [`crate::Error`] and the npm
//! class as the exceptions `WebSocket` throws.
use alloc::borrow::ToOwned;
use alloc::string::String;

/// The longest close reason a client may send, in bytes of UTF-8 (RFC 6455 §5.5:
/// a control frame payload is at most 125 bytes, two of which hold the code).
pub const MAX_CLOSE_REASON_BYTES: usize = 123;

/// The close code for a normal closure.
pub const NORMAL_CLOSURE: u16 = 1000;

/// The close code the platform reports when a connection ended without a close frame.
pub const ABNORMAL_CLOSURE: u16 = 1006;

/// The close code of an overloaded server: "try again later" (RFC 6455 §7.4.1, IANA).
pub const TRY_AGAIN_LATER: u16 = 1013;

/// Whether a client script may send `code` in a close frame: 1000, or 3000 to 4999
/// (the WHATWG WebSocket `close()` rule).
pub const fn is_sendable_close_code(code: u16) -> bool {
    code == NORMAL_CLOSURE || (code >= 3000 && code <= 4999)
}

/// Why a close code or reason cannot be sent (the Rust API words it as
/// [`crate::Error::InvalidCloseCode`] or [`crate::Error::CloseReasonTooLong`]; the npm
/// class as the exceptions `WebSocket.close()` throws).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseProblem {
    /// The code is not 1000 or 3000–4999.
    Code(u16),
    /// The reason is longer than [`MAX_CLOSE_REASON_BYTES`]: this many bytes.
    ReasonTooLong(usize),
}

/// Checks a close code and reason before they reach the platform; a bad
/// code is reported before a long reason.
pub fn check_close(code: u16, reason: &str) -> Result<(), CloseProblem> {
    if !is_sendable_close_code(code) {
        return Err(CloseProblem::Code(code));
    }
    if reason.len() > MAX_CLOSE_REASON_BYTES {
        return Err(CloseProblem::ReasonTooLong(reason.len()));
    }
    Ok(())
}

/// Whether `byte` is an RFC 7230 `tchar`.
pub const fn is_token_char(byte: u8) -> bool {
    matches!(byte,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.'
        | b'^' | b'_' | b'`' | b'|' | b'~'
        | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// Whether `value` is an RFC 7230 `token`: one or more `tchar`s.
pub fn is_token(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(is_token_char)
}

/// Why an offered list of subprotocols cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolProblem {
    /// This subprotocol is not an RFC 7230 token (or is empty).
    Invalid(String),
    /// This subprotocol is offered more than once (letter case aside).
    Duplicate(String),
}

/// Checks an offered list of subprotocols: each a token, none offered twice.
/// Two that differ only in letter case count as one: browsers accept
/// `["chat", "CHAT"]`, but the `WebSocket` constructors of Node (undici),
/// Deno and Bun throw for it, so a socket would fail every attempt there.
pub fn check_protocols<S: AsRef<str>>(protocols: &[S]) -> Result<(), ProtocolProblem> {
    for (index, protocol) in protocols.iter().enumerate() {
        let protocol = protocol.as_ref();
        if !is_token(protocol) {
            return Err(ProtocolProblem::Invalid(protocol.to_owned()));
        }
        let offered_before = |p: &S| p.as_ref().eq_ignore_ascii_case(protocol);
        if protocols.iter().take(index).any(offered_before) {
            return Err(ProtocolProblem::Duplicate(protocol.to_owned()));
        }
    }
    Ok(())
}

/// Whether the subprotocol a server chose can be accepted: one of those
/// offered, or none (`chosen` empty) when none was offered. Otherwise the
/// client must fail the connection (RFC 6455 §4.1; WHATWG fails it too when
/// protocols were offered and none was chosen). Deno 2.9 and Firefox open
/// such connections anyway, so both faces check this themselves.
pub fn accepts_chosen_protocol<S: AsRef<str>>(offered: &[S], chosen: &str) -> bool {
    if chosen.is_empty() {
        offered.is_empty()
    } else {
        offered.iter().any(|protocol| protocol.as_ref() == chosen)
    }
}

/// Why a URL was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlProblem {
    /// The URL is empty.
    Empty,
    /// The URL has no scheme and there is no page location to resolve it against.
    RelativeWithoutBase,
    /// The scheme is not one of ws, wss, http or https.
    Scheme(String),
    /// There is no host after the scheme and its slashes (`ws://`, `ws://:80/`).
    MissingHost,
    /// The port is not a number from 0 to 65535.
    BadPort(String),
    /// WebSocket URLs must not have a `#fragment`.
    Fragment,
    /// The host contains white space or a control character, which no host
    /// may have, as it is or percent-encoded (`%20`: the URL parser decodes a
    /// host before it checks it). Elsewhere the URL parser percent-encodes
    /// them (a space in the path or query becomes `%20`), as `WebSocket`
    /// does.
    Whitespace,
    /// The platform's URL parser (the WHATWG URL Standard's, which the
    /// `WebSocket` constructor uses) refuses what the checks above let
    /// through: a host with a character no host may have (`ws://a<b/`), an
    /// IPv4 or IPv6 address out of form (`ws://1.2.3.256/`, `ws://[zz]/`).
    /// Only the web face asks the platform; the core's checks alone never
    /// give it.
    Unparsable,
}

/// A URL that cannot be used to open a WebSocket, as it was given, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlError {
    /// The URL as it was given.
    pub url: String,
    /// What is wrong with it.
    pub problem: UrlProblem,
}

/// The scheme of `url` if it starts with one (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`).
pub fn scheme_of(url: &str) -> Option<&str> {
    let colon = url.bytes().position(|b| b == b':')?;
    let scheme = url.get(..colon)?;
    let mut bytes = scheme.bytes();
    let first_is_alpha = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    let rest_ok = bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    (first_is_alpha && rest_ok).then_some(scheme)
}

/// `input` as the WHATWG URL parser (and so `WebSocket`) reads it: without
/// the control characters and spaces at either end, and without any ASCII
/// tab or newline. Scanned by bytes, as the rest of the checks are: `str`'s
/// pattern searchers would weigh on every app.
fn cleaned(input: &str) -> String {
    let bytes = input.as_bytes();
    let start = bytes.iter().position(|&b| b > b' ').unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b > b' ')
        .map_or(start, |last| last + 1);
    let mut rest = input.get(start..end).unwrap_or_default();
    let mut cleaned = String::with_capacity(rest.len());
    while let Some(at) = rest
        .bytes()
        .position(|b| matches!(b, b'\t' | b'\n' | b'\r'))
    {
        cleaned.push_str(rest.get(..at).unwrap_or_default());
        rest = rest.get(at + 1..).unwrap_or_default();
    }
    cleaned.push_str(rest);
    cleaned
}

/// Validates an absolute URL for a WebSocket and returns it with its scheme
/// mapped and lower-cased: `ws` and `wss` stay, `http` becomes `ws`, `https`
/// becomes `wss`.
///
/// As the WHATWG URL parser (and so `WebSocket`) does, a control character
/// or space at either end and every tab or newline are dropped first; white
/// space or control characters left in the path or query stay for the
/// platform's URL parser to percent-encode, and are refused only in the host.
///
/// As that parser does for the special schemes, any run of slashes and
/// backslashes after the scheme starts the host: `ws:host`, `ws:/host`,
/// `ws:\\host` and `ws:///host` are all `ws://host`, which `WebSocket` opens.
///
/// A URL without a scheme is reported as [`UrlProblem::RelativeWithoutBase`];
/// the web driver resolves such URLs against the page location first.
pub fn websocket_url(input: &str) -> Result<String, UrlError> {
    checked_url(input).url
}

/// What [`websocket_url`] makes of a URL, and whether a base could change it.
struct Checked {
    url: Result<String, UrlError>,
    /// The URL has no scheme, or its scheme is not followed by `//`: the URL
    /// parser reads an http(s) one relative to a base of the same scheme
    /// (`http:echo` on an http page is the page's `echo`, `http:/:1/` its
    /// `/:1/`).
    base_may_change_it: bool,
}

fn checked_url(input: &str) -> Checked {
    let cleaned = cleaned(input);
    let rest = scheme_of(&cleaned).and_then(|scheme| cleaned.get(scheme.len() + 1..));
    Checked {
        base_may_change_it: !cleaned.is_empty() && !rest.is_some_and(|rest| rest.starts_with("//")),
        url: checked_cleaned(&cleaned).map_err(|problem| UrlError {
            url: input.to_owned(),
            problem,
        }),
    }
}

/// [`websocket_url`] of a URL [`cleaned`] already.
fn checked_cleaned(cleaned: &str) -> Result<String, UrlProblem> {
    if cleaned.is_empty() {
        return Err(UrlProblem::Empty);
    }
    let Some(scheme) = scheme_of(cleaned) else {
        return Err(UrlProblem::RelativeWithoutBase);
    };
    let is = |name: &str| scheme.eq_ignore_ascii_case(name);
    let mapped = if is("ws") || is("http") {
        "ws"
    } else if is("wss") || is("https") {
        "wss"
    } else {
        return Err(UrlProblem::Scheme(scheme.to_owned()));
    };
    // Slicing at ASCII bytes cannot fail; `get` says so without a panic path.
    let rest = cleaned.get(scheme.len() + 1..).unwrap_or_default();
    if rest.bytes().any(|b| b == b'#') {
        return Err(UrlProblem::Fragment);
    }
    let slashes = rest
        .bytes()
        .position(|b| !matches!(b, b'/' | b'\\'))
        .unwrap_or(rest.len());
    let after_slashes = rest.get(slashes..).unwrap_or_default();
    // A backslash ends the host as a slash does in ws(s) and http(s) URLs.
    let authority_end = after_slashes
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'\\'))
        .unwrap_or(after_slashes.len());
    let authority = after_slashes.get(..authority_end).unwrap_or_default();
    let host_port = match authority.bytes().rposition(|b| b == b'@') {
        Some(at) => authority.get(at + 1..).unwrap_or_default(),
        None => authority,
    };
    let (host, port) = split_host_port(host_port);
    if host.is_empty() || host == "[]" {
        return Err(UrlProblem::MissingHost);
    }
    if host_port
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
        || has_encoded_space_or_control(host_port)
    {
        return Err(UrlProblem::Whitespace);
    }
    if let Some(port) = port {
        let number = port.bytes().try_fold(0u32, |number, b| {
            let number = number * 10 + u32::from(b.wrapping_sub(b'0'));
            (b.is_ascii_digit() && number <= u32::from(u16::MAX)).then_some(number)
        });
        if !port.is_empty() && number.is_none() {
            return Err(UrlProblem::BadPort(port.to_owned()));
        }
    }
    let mut url = String::with_capacity(mapped.len() + 3 + after_slashes.len());
    url.push_str(mapped);
    url.push_str("://");
    url.push_str(after_slashes);
    Ok(url)
}

/// [`websocket_url`], with a URL whose meaning depends on a base resolved by
/// `resolve` (browsers resolve against the page location; `None` when there
/// is none, or when the URL does not resolve): a relative one, and one whose
/// scheme is not followed by `//` (`http:echo` is the page's `echo` on an
/// http page, and `ws://echo/` with no page). Errors name the URL as it was
/// given.
pub fn websocket_url_resolving(
    input: &str,
    resolve: impl FnOnce() -> Option<String>,
) -> Result<String, UrlError> {
    let checked = checked_url(input);
    if !checked.base_may_change_it {
        return checked.url;
    }
    match resolve() {
        Some(resolved) => websocket_url(&resolved).map_err(|error| UrlError {
            url: input.to_owned(),
            problem: error.problem,
        }),
        None => checked.url,
    }
}

/// Whether `text` has a space or an ASCII control character percent-encoded
/// (`%00` to `%20`, `%7F`): the URL parser decodes a host before checking it,
/// and Chromium's then writes them encoded into the host it connects to.
fn has_encoded_space_or_control(text: &str) -> bool {
    text.as_bytes().windows(3).any(|window| match window {
        [b'%', b'0' | b'1', low] => low.is_ascii_hexdigit(),
        [b'%', b'2', b'0'] | [b'%', b'7', b'f' | b'F'] => true,
        _ => false,
    })
}

/// Splits `host[:port]` (with `[v6]` hosts) into host and optional port text.
fn split_host_port(host_port: &str) -> (&str, Option<&str>) {
    let find = |byte: u8| host_port.bytes().position(|b| b == byte);
    let host_end = if host_port.starts_with('[') {
        // The host keeps its brackets, as URLs write it.
        match find(b']') {
            Some(close) => close + 1,
            None => return ("", None),
        }
    } else {
        find(b':').unwrap_or(host_port.len())
    };
    let host = host_port.get(..host_end).unwrap_or_default();
    let after = host_port.get(host_end..).unwrap_or_default();
    (host, after.strip_prefix(':'))
}
