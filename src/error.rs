//! The one error type of the crate.

use crate::core::machine::OptionProblem;
use crate::core::ready_state::ReadyState;
use crate::core::validation::{CloseProblem, ProtocolProblem, UrlError, UrlProblem};
use crate::quoted::Quoted;
use alloc::string::String;
use core::fmt;

/// Everything that can go wrong when using a [`crate::Socket`].
///
/// Each message says what was wrong and what is allowed instead. The enum is
/// `#[non_exhaustive]`: match the variants you care about and keep a `_` arm.
///
/// `Debug` prints the same message as `Display` (in `Error(…)`): it already
/// names every value, and a derived `Debug` would compile Rust's string
/// escaping into every app that calls `unwrap` (about 4 KB of wasm).
#[derive(Clone, PartialEq, Eq)]
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
        /// The subprotocol that appears twice (letter case aside).
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
    /// There is no `WebSocket` constructor: no global one, and none was
    /// given; on a target other than wasm32 (a server render), never one.
    NoWebSocket,
    /// The platform WebSocket threw an exception that validation did not foresee.
    Platform {
        /// What steadysocket asked the platform to do.
        operation: &'static str,
        /// The exception's message.
        message: String,
    },
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlProblem::Empty => f.write_str("it is empty; give a ws:// or wss:// URL"),
            UrlProblem::RelativeWithoutBase => f.write_str(
                "it is relative and there is no page location to resolve it against; \
                 give an absolute ws://, wss://, http:// or https:// URL",
            ),
            UrlProblem::Scheme(scheme) => write!(
                f,
                "the scheme {} is not allowed; use ws:, wss:, http: (means ws:) or https: (means wss:)",
                Quoted(scheme)
            ),
            UrlProblem::MissingHost => f.write_str("it has no host; write it as ws://host[:port]/path"),
            UrlProblem::BadPort(port) => {
                write!(f, "the port {} is not a number from 0 to 65535", Quoted(port))
            }
            UrlProblem::Fragment => {
                f.write_str("it has a #fragment, which WebSocket URLs must not have")
            }
            UrlProblem::Whitespace => f.write_str(
                "its host contains white space or a control character, which no host may have",
            ),
            UrlProblem::Unparsable => {
                f.write_str("it does not parse as a URL; write it as ws://host[:port]/path")
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({self})")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidUrl { url, problem } => {
                write!(f, "invalid WebSocket URL {}: {problem}", Quoted(url))
            }
            Error::InvalidProtocol { protocol } => write!(
                f,
                "invalid subprotocol {}: a subprotocol must be a non-empty token of letters, digits and \
                 !#$%&'*+-.^_`|~ (RFC 7230), without spaces, commas, quotes or separators",
                Quoted(protocol)
            ),
            Error::DuplicateProtocol { protocol } => write!(
                f,
                "subprotocol {} is offered more than once (letter case aside); offer each subprotocol once",
                Quoted(protocol)
            ),
            Error::InvalidCloseCode { code } => write!(
                f,
                "close code {code} is not allowed: use 1000 or a code from 3000 to 4999"
            ),
            Error::CloseReasonTooLong { bytes } => write!(
                f,
                "close reason is {bytes} bytes of UTF-8; at most 123 are allowed"
            ),
            Error::NotOpen { state } => write!(
                f,
                "cannot send while the socket is {}; messages can be sent only while it is OPEN",
                state.name()
            ),
            Error::QueueFull {
                max_messages,
                max_bytes,
            } => write!(
                f,
                "the message was not queued: the outbound queue holds at most {max_messages} \
                 messages and {max_bytes} bytes while the socket is not open, and it is full"
            ),
            Error::Encode { message } => write!(
                f,
                "the value could not be encoded, so nothing was sent: {message}"
            ),
            Error::InvalidOption { option, problem } => {
                write!(f, "invalid option {option}: {problem}")
            }
            Error::NoWebSocket if cfg!(target_arch = "wasm32") => f.write_str(
                "there is no WebSocket constructor here: Node before 22 needs the flag \
                 --experimental-websocket, or pass one (such as the ws package's WebSocket) \
                 as the WebSocket option",
            ),
            Error::NoWebSocket => f.write_str(
                "there is no WebSocket on this target: the Rust API drives a JavaScript \
                 runtime's WebSocket from wasm32 (in a server render, connect in the browser)",
            ),
            Error::Platform { operation, message } => {
                write!(f, "the platform WebSocket failed to {operation}: {message}")
            }
        }
    }
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
            OptionProblem::LowMarkAboveHigh => {
                ("water_marks.low", "must not be more than water_marks.high")
            }
        };
        Error::InvalidOption {
            option,
            problem: problem.into(),
        }
    }
}

impl From<ProtocolProblem> for Error {
    fn from(problem: ProtocolProblem) -> Error {
        match problem {
            ProtocolProblem::Invalid(protocol) => Error::InvalidProtocol { protocol },
            ProtocolProblem::Duplicate(protocol) => Error::DuplicateProtocol { protocol },
        }
    }
}

impl From<UrlError> for Error {
    fn from(error: UrlError) -> Error {
        Error::InvalidUrl {
            url: error.url,
            problem: error.problem,
        }
    }
}
