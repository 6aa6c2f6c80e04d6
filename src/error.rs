//! The one error type of the crate.

use crate::core::machine::OptionProblem;
use crate::core::ready_state::ReadyState;
use crate::core::validation::CloseProblem;
use alloc::string::String;
use core::fmt;

/// Everything that can go wrong when using a [`crate::Socket`].
///
/// Each message says what was wrong and what is allowed instead. The enum is
/// `#[non_exhaustive]`: match the variants you care about and keep a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The URL cannot be used to open a WebSocket.
    InvalidUrl {
        /// The URL as it was given.
        url: String,
        /// What is wrong with it.
        problem: UrlProblem,
    },
    /// A subprotocol is not an RFC 7230 token (or is empty).
    InvalidProtocol {
        /// The offending subprotocol.
        protocol: String,
    },
    /// The same subprotocol is offered more than once.
    DuplicateProtocol {
        /// The subprotocol that appears twice.
        protocol: String,
    },
    /// A client may only send close code 1000 or a code from 3000 to 4999.
    InvalidCloseCode {
        /// The rejected code.
        code: u16,
    },
    /// A close reason may be at most 123 bytes of UTF-8.
    CloseReasonTooLong {
        /// The length of the rejected reason in UTF-8 bytes.
        bytes: usize,
    },
    /// A message was sent while the socket was not open, so it was not sent.
    NotOpen {
        /// The state the socket was in.
        state: ReadyState,
    },
    /// The outbound queue is full, so a message sent while not open was not queued.
    QueueFull {
        /// The queue's message bound.
        max_messages: usize,
        /// The queue's byte bound.
        max_bytes: usize,
    },
    /// A typed channel could not encode a value.
    Encode {
        /// The codec's explanation.
        message: String,
    },
    /// An option has a value that cannot work.
    InvalidOption {
        /// The option's name.
        option: &'static str,
        /// What is wrong and what is allowed.
        problem: String,
    },
    /// There is no `WebSocket` constructor: no global one, and none was given.
    NoWebSocket,
    /// The platform WebSocket threw an exception that validation did not foresee.
    Platform {
        /// What steadysocket asked the platform to do.
        operation: &'static str,
        /// The exception's message.
        message: String,
    },
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
    /// There is no host after `//`.
    MissingHost,
    /// The port is not a number from 0 to 65535.
    BadPort(String),
    /// WebSocket URLs must not have a `#fragment`.
    Fragment,
    /// The URL contains white space or control characters.
    Whitespace,
}

impl UrlProblem {
    fn describe(&self, out: &mut String) {
        match self {
            UrlProblem::Empty => out.push_str("it is empty; give a ws:// or wss:// URL"),
            UrlProblem::RelativeWithoutBase => out.push_str(
                "it is relative and there is no page location to resolve it against; \
                 give an absolute ws://, wss://, http:// or https:// URL",
            ),
            UrlProblem::Scheme(scheme) => {
                out.push_str("the scheme ");
                quote(out, scheme);
                out.push_str(
                    " is not allowed; use ws:, wss:, http: (means ws:) or https: (means wss:)",
                );
            }
            UrlProblem::MissingHost => {
                out.push_str("it has no host; write it as ws://host[:port]/path")
            }
            UrlProblem::BadPort(port) => {
                out.push_str("the port ");
                quote(out, port);
                out.push_str(" is not a number from 0 to 65535");
            }
            UrlProblem::Fragment => {
                out.push_str("it has a #fragment, which WebSocket URLs must not have")
            }
            UrlProblem::Whitespace => out.push_str(
                "it contains white space or control characters; percent-encode them (a space is %20)",
            ),
        }
    }
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        self.describe(&mut text);
        f.write_str(&text)
    }
}

impl Error {
    /// The message, built without `core::fmt`: the npm package's wasm has
    /// no formatting machinery (it would cost more than the rest of the core).
    pub(crate) fn describe(&self) -> String {
        let mut out = String::new();
        let mut push = |parts: &[&str]| {
            for part in parts {
                out.push_str(part);
            }
        };
        match self {
            Error::InvalidUrl { url, problem } => {
                push(&["invalid WebSocket URL ", &quoted(url), ": "]);
                problem.describe(&mut out);
            }
            Error::InvalidProtocol { protocol } => push(&[
                "invalid subprotocol ",
                &quoted(protocol),
                ": a subprotocol must be a non-empty token of letters, digits and \
                 !#$%&'*+-.^_`|~ (RFC 7230), without spaces, commas, quotes or separators",
            ]),
            Error::DuplicateProtocol { protocol } => push(&[
                "subprotocol ",
                &quoted(protocol),
                " is offered more than once; offer each subprotocol once",
            ]),
            Error::InvalidCloseCode { code } => push(&[
                "close code ",
                &decimal(u64::from(*code)),
                " is not allowed: use 1000 or a code from 3000 to 4999",
            ]),
            Error::CloseReasonTooLong { bytes } => push(&[
                "close reason is ",
                &decimal(*bytes as u64),
                " bytes of UTF-8; at most 123 are allowed",
            ]),
            Error::NotOpen { state } => push(&[
                "cannot send while the socket is ",
                state.name(),
                "; messages can be sent only while it is OPEN",
            ]),
            Error::QueueFull {
                max_messages,
                max_bytes,
            } => push(&[
                "the message was not queued: the outbound queue holds at most ",
                &decimal(*max_messages as u64),
                " messages and ",
                &decimal(*max_bytes as u64),
                " bytes while the socket is not open, and it is full",
            ]),
            Error::Encode { message } => push(&[
                "the value could not be encoded, so nothing was sent: ",
                message,
            ]),
            Error::InvalidOption { option, problem } => {
                push(&["invalid option ", option, ": ", problem])
            }
            Error::NoWebSocket => push(&[
                "there is no WebSocket constructor here: Node before 22 needs the flag \
                 --experimental-websocket, or pass one (such as the ws package's WebSocket) \
                 as the WebSocket option",
            ]),
            Error::Platform { operation, message } => push(&[
                "the platform WebSocket failed to ",
                operation,
                ": ",
                message,
            ]),
        }
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// `text` in double quotes, with `"`, `\\` and control characters escaped
/// as Rust writes them.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    quote(&mut out, text);
    out
}

fn quote(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                out.push_str("\\u{");
                out.push_str(&hex(u32::from(c)));
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `n` in decimal digits.
fn decimal(n: u64) -> String {
    digits(n, 10)
}

fn hex(n: u32) -> String {
    digits(u64::from(n), 16)
}

fn digits(mut n: u64, base: u64) -> String {
    let mut reversed = alloc::vec::Vec::new();
    loop {
        reversed.push(b"0123456789abcdef"[(n % base) as usize]);
        n /= base;
        if n == 0 {
            break;
        }
    }
    reversed.iter().rev().map(|&b| char::from(b)).collect()
}

impl core::error::Error for Error {}

impl From<CloseProblem> for Error {
    fn from(problem: CloseProblem) -> Error {
        match problem {
            CloseProblem::Code(code) => Error::InvalidCloseCode { code },
            CloseProblem::ReasonTooLong(bytes) => Error::CloseReasonTooLong { bytes },
        }
    }
}

impl From<OptionProblem> for Error {
    /// The option named as the Rust API's builders name it.
    fn from(problem: OptionProblem) -> Error {
        let (option, problem) = match problem {
            OptionProblem::BackoffFactor => ("backoff.factor", "must be a number of at least 1"),
            OptionProblem::MinDelayAboveMax => (
                "backoff.min_delay",
                "must not be longer than backoff.max_delay",
            ),
            OptionProblem::ZeroConnectTimeout => (
                "connect_timeout",
                "must be longer than 0 (or None for no timeout)",
            ),
            OptionProblem::ZeroHeartbeat => (
                "heartbeat",
                "interval and timeout must both be longer than 0",
            ),
        };
        Error::InvalidOption {
            option,
            problem: problem.into(),
        }
    }
}
