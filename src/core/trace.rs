//! A trace of every decision: what the core decided and why, one
//! [`TraceEntry`] each, for an app's log or a bug report. Off by default
//! ([`super::machine::Config::trace`]); when off, nothing is built and
//! nothing is added to the message path.
//!
//! Each entry's `Display` explains it in a sentence; the npm class words its
//! entries the same (checked by `tests/vectors.json`).

use super::close_policy::CloseInfo;
use super::payload::Payload;
use super::signals::DelaySource;
use super::signals::Notice;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

/// One decision, with what it was based on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TraceEntry {
    /// An attempt starts (the driver adds where it connects, after asking
    /// the providers).
    Attempt {
        /// The attempt number (0 for the first connection).
        attempt: u32,
        /// The URL it connects to.
        url: String,
        /// The subprotocols it offers.
        protocols: Vec<String>,
    },
    /// The connection opened.
    Opened {
        /// The chosen subprotocol.
        protocol: Option<String>,
        /// Whether an earlier connection had opened.
        reconnected: bool,
    },
    /// A connection or attempt ended.
    Closed {
        /// The close as reported (1006 with the cause as reason when there
        /// was no close frame: a dropped connection, a missed heartbeat, a
        /// connect timeout).
        close: CloseInfo,
        /// Whether a retry follows.
        will_retry: bool,
    },
    /// The next attempt is scheduled.
    RetryScheduled {
        /// The attempt that follows.
        attempt: u32,
        /// After this delay.
        delay: Duration,
        /// Why this delay: the backoff's step, the server's hint, or 1013.
        source: DelaySource,
        /// The backoff step (consecutive failures before this one).
        step: u32,
        /// The server's hint, when it gave one.
        hint: Option<Duration>,
    },
    /// The network is offline: the next attempt waits for it.
    WaitingForNetwork {
        /// The attempt that follows.
        attempt: u32,
    },
    /// A message was queued (not open, or behind others).
    Queued {
        /// Its size.
        bytes: usize,
        /// Messages in the queue now.
        queued_messages: usize,
    },
    /// Queued or unconfirmed messages were sent on the new connection.
    Flushed {
        /// How many.
        messages: usize,
    },
    /// A message was dropped: the queue overflowed (drop-oldest), or it was
    /// queued or unconfirmed when the socket closed for good.
    Dropped {
        /// Its size.
        bytes: usize,
    },
    /// The server acknowledged a message.
    Acknowledged {
        /// Its size.
        bytes: usize,
    },
    /// What is not yet transmitted crossed the high water mark.
    Congested {
        /// Bytes not yet transmitted.
        pending: usize,
    },
    /// It fell to the low water mark again.
    Drained {
        /// Bytes not yet transmitted.
        pending: usize,
    },
    /// Retries ran out.
    GaveUp {
        /// Retries made.
        attempts: u32,
    },
}

impl TraceEntry {
    /// The entry of a notice that is a decision of its own (open, close,
    /// gave up, dropped, acknowledged); `None` for the others, which the
    /// machine traces where it decides them.
    pub(crate) fn of_notice<M: Payload>(notice: &Notice<M>) -> Option<TraceEntry> {
        Some(match notice {
            Notice::Open {
                protocol,
                reconnected,
            } => TraceEntry::Opened {
                protocol: protocol.clone(),
                reconnected: *reconnected,
            },
            Notice::Closed { close, will_retry } => TraceEntry::Closed {
                close: close.clone(),
                will_retry: *will_retry,
            },
            Notice::GaveUp { attempts } => TraceEntry::GaveUp {
                attempts: *attempts,
            },
            Notice::Dropped(message) => TraceEntry::Dropped {
                bytes: message.size(),
            },
            Notice::Acknowledged(message) => TraceEntry::Acknowledged {
                bytes: message.size(),
            },
            _ => return None,
        })
    }
}

impl fmt::Display for TraceEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceEntry::Attempt {
                attempt,
                url,
                protocols,
            } => {
                write!(f, "attempt {attempt}: connecting to {url}")?;
                if !protocols.is_empty() {
                    write!(f, " offering {}", protocols.join(", "))?;
                }
                Ok(())
            }
            TraceEntry::Opened {
                protocol,
                reconnected,
            } => {
                f.write_str(if *reconnected { "reopened" } else { "open" })?;
                match protocol {
                    Some(protocol) => write!(f, " with subprotocol {protocol}"),
                    None => Ok(()),
                }
            }
            TraceEntry::Closed { close, will_retry } => {
                let clean = if close.was_clean {
                    "clean"
                } else {
                    "not clean"
                };
                write!(f, "closed: code {}, {clean}", close.code)?;
                if !close.reason.is_empty() {
                    write!(f, ", reason \"{}\"", close.reason)?;
                }
                f.write_str(if *will_retry {
                    "; a retry follows"
                } else {
                    "; closed for good"
                })
            }
            TraceEntry::RetryScheduled {
                attempt,
                delay,
                source,
                step,
                hint,
            } => {
                write!(f, "retry {attempt} in {} ms: ", delay.as_millis())?;
                match (source, hint) {
                    (DelaySource::Hint, Some(hint)) => write!(
                        f,
                        "the server asked for {} ms, spread up to 1.5 times",
                        hint.as_millis()
                    ),
                    (DelaySource::TryAgainLater, _) => {
                        f.write_str("the server said try again later (1013), from the cap's window")
                    }
                    _ => write!(f, "backoff step {step}"),
                }
            }
            TraceEntry::WaitingForNetwork { attempt } => {
                write!(f, "offline: attempt {attempt} waits for the network")
            }
            TraceEntry::Queued {
                bytes,
                queued_messages,
            } => write!(f, "queued {bytes} bytes ({queued_messages} waiting)"),
            TraceEntry::Flushed { messages } => {
                write!(f, "sent {messages} waiting messages on the new connection")
            }
            TraceEntry::Dropped { bytes } => write!(f, "dropped a message of {bytes} bytes"),
            TraceEntry::Acknowledged { bytes } => {
                write!(f, "the server acknowledged a message of {bytes} bytes")
            }
            TraceEntry::Congested { pending } => write!(
                f,
                "congested: {pending} bytes not yet transmitted, above the high water mark"
            ),
            TraceEntry::Drained { pending } => write!(
                f,
                "drained: {pending} bytes not yet transmitted, at or below the low water mark"
            ),
            TraceEntry::GaveUp { attempts } => write!(f, "gave up after {attempts} retries"),
        }
    }
}
