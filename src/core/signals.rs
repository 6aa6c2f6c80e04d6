//! What goes in and out of the machine: the [`State`] it is in, the
//! [`Input`]s a driver feeds it, the [`Action`]s and [`Notice`]s it asks
//! for, and what becomes of a message it is given.

use super::close_policy::CloseInfo;
use super::ready_state::ReadyState;
use super::trace::TraceEntry;
use crate::event::Message;
use alloc::string::String;
use core::time::Duration;

/// Where the connection stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// An attempt is under way (`attempt` 0 is the first connection).
    Connecting {
        /// The attempt number.
        attempt: u32,
    },
    /// Connected.
    Open,
    /// [`super::machine::Machine::close`] started the closing handshake.
    Closing,
    /// Waiting `delay` before reconnect `attempt`.
    Waiting {
        /// The attempt that follows the wait.
        attempt: u32,
        /// The delay drawn for it.
        delay: Duration,
    },
    /// The network is offline: waiting for it to come back.
    Offline {
        /// The attempt that follows.
        attempt: u32,
    },
    /// Closed for good: by [`super::machine::Machine::close`], a stop rule, or retries running out.
    Closed,
}

impl State {
    /// The WebSocket-compatible ready state: CONNECTING while an attempt or a
    /// retry is pending, CLOSED only when closed for good.
    pub fn ready_state(&self) -> ReadyState {
        match self {
            State::Connecting { .. } | State::Waiting { .. } | State::Offline { .. } => {
                ReadyState::Connecting
            }
            State::Open => ReadyState::Open,
            State::Closing => ReadyState::Closing,
            State::Closed => ReadyState::Closed,
        }
    }
}

/// What the machine reports to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice<M = Message> {
    /// An attempt started.
    Connecting {
        /// The attempt number (0 for the first connection).
        attempt: u32,
    },
    /// The connection opened.
    Open {
        /// The chosen subprotocol.
        protocol: Option<String>,
        /// Whether an earlier connection of this machine had opened.
        reconnected: bool,
    },
    /// The platform reported an error.
    Error,
    /// An attempt failed before opening (timeout, provider failure).
    AttemptFailed {
        /// What went wrong.
        reason: String,
    },
    /// A connection (or attempt) ended.
    Closed {
        /// The close as reported.
        close: CloseInfo,
        /// Whether a reconnect follows.
        will_retry: bool,
    },
    /// A reconnect is scheduled.
    Reconnecting {
        /// The attempt that follows.
        attempt: u32,
        /// After this delay.
        delay: Duration,
        /// Where the delay came from: the backoff or the server.
        source: DelaySource,
    },
    /// Retries ran out (`max_retries`); closed until [`super::machine::Input::Reconnect`].
    GaveUp {
        /// Reconnect attempts made.
        attempts: u32,
    },
    /// A queued message was dropped (drop-oldest overflow, or closed for good),
    /// or an unconfirmed one when closed for good (it may have arrived).
    Dropped(M),
    /// The server acknowledged this message (with acknowledged delivery).
    Acknowledged(M),
    /// What was not yet transmitted fell to the low water mark after it
    /// had crossed the high one: writers may go on (see [`crate::core::flow`]).
    Drained,
}

/// Where a reconnect delay came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DelaySource {
    /// The backoff's step for this attempt.
    Backoff,
    /// The server's hint (`retry-after=<seconds>` in the close reason, or
    /// the application's own reading of the close): no earlier than the
    /// hint, uniform up to 1.5 times it.
    Hint,
    /// Close code 1013 (Try Again Later) without a hint: drawn from the
    /// backoff cap's window, not the first step's.
    TryAgainLater,
}

impl DelaySource {
    /// Whether the server chose the delay ([`DelaySource::Hint`]).
    pub fn is_hinted(self) -> bool {
        self == DelaySource::Hint
    }
}

/// What the driver must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action<M = Message> {
    /// Open a new platform socket (evaluating URL and protocol providers first).
    Connect {
        /// The attempt number.
        attempt: u32,
    },
    /// Send this message on the open socket.
    Transmit(M),
    /// Start the closing handshake; an [`Input::Closed`] is expected.
    Close {
        /// The close code.
        code: u16,
        /// The close reason.
        reason: String,
    },
    /// Close the current platform socket and detach it at once: its late
    /// events must not reach the machine.
    Abandon,
    /// Report this to the user.
    Notify(Notice<M>),
    /// Add this entry to the trace (only with [`super::machine::Config::trace`]).
    Trace(TraceEntry),
    /// Tell the machine what the platform socket's buffer holds now
    /// ([`Input::Buffered`]): the high water mark was crossed, and the
    /// machine watches for the drain.
    SampleBuffered,
}

/// What happened, as the driver tells the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// The current socket opened.
    Opened {
        /// The chosen subprotocol.
        protocol: Option<String>,
    },
    /// The current socket closed (or failed to open: code 1006).
    Closed(CloseInfo),
    /// The current socket reported an error.
    Error,
    /// The heartbeat reply arrived.
    Pong,
    /// The user asked to reconnect now.
    Reconnect,
    /// The network came back (an open connection with a heartbeat is
    /// checked at once: it may not have outlived the change).
    Online,
    /// The network went away.
    Offline,
    /// The page became visible again (an open connection with a heartbeat
    /// is checked at once).
    Visible,
    /// The page was shown again from the back/forward cache. WebKit closes
    /// a page's sockets as it goes in, Chromium as it is shown again; both
    /// report the close only after the page's `pageshow`, the platform
    /// socket reading OPEN until then (WebKit drops what is sent on it). An
    /// open or connecting socket is replaced at once (no server failed: the
    /// backoff starts over), unless a stop rule or the network says otherwise.
    Restored,
    /// The attempt could not start (a URL or protocol provider failed).
    AttemptFailed {
        /// What went wrong.
        reason: String,
    },
    /// What the platform socket's buffer holds (its `bufferedAmount`): fed
    /// after a send that left it above the high water mark, and whenever
    /// [`Action::SampleBuffered`] asks.
    Buffered {
        /// Bytes.
        bytes: usize,
    },
    /// A flush waits until everything is transmitted (and acknowledged, with
    /// acknowledged delivery): sample the buffer until then.
    AwaitEmpty,
    /// The server acknowledged the message with this key, and those before it.
    Acknowledged {
        /// The key, as [`super::machine::Config::acknowledge`] gave it.
        key: String,
    },
}

/// Why a message was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// The queue is full and the policy rejects new messages.
    QueueFull,
    /// The connection is closing or closed for good.
    Closed,
}

/// What became of a message given to [`super::machine::Machine::send`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum SendOutcome<M = Message> {
    /// The connection is open: transmit this message now.
    Transmit(M),
    /// Queued until the connection opens.
    Queued,
    /// Not accepted; the message is given back.
    Rejected {
        /// The message.
        message: M,
        /// Why.
        because: Rejection,
    },
}
