//! The boundary between the npm package's class and its wasm core, declared
//! once: every number that crosses it and what each means. The core's
//! exports (`src/js/mod.rs`) use these declarations; `cargo xtask package`
//! compiles this same file into the xtask and generates the class's
//! `abi.js` from it, so the two sides cannot drift apart. This file has no
//! imports on purpose (the xtask includes it by path).
//!
//! Each side uses only part of it (the core the constants, the xtask the
//! tables), hence the `dead_code` allowance.
#![allow(dead_code)]
//!
//! Names are written as Rust constants; the JavaScript side sees slot and
//! field names in camelCase (`MAX_QUEUED_MESSAGES` → `maxQueuedMessages`,
//! `was_clean` → `wasClean`) and words in lower case with `-` for `_`.

/// Declares numbered kinds: a module of `u32` constants and a table of
/// `(name, value)` for the generated JavaScript.
macro_rules! numbered {
    ($(#[$doc:meta])* $table:ident in $module:ident { $($(#[$item_doc:meta])* $name:ident = $value:expr,)* }) => {
        $(#[$doc])*
        pub mod $module {
            $($(#[$item_doc])* pub const $name: u32 = $value;)*
        }
        $(#[$doc])*
        pub const $table: &[(&str, u32)] = &[$((stringify!($name), $module::$name),)*];
    };
}

/// Declares slots of an array of numbers: a module of `usize` positions (and
/// `COUNT`) and the table of names in order.
macro_rules! slots {
    ($(#[$doc:meta])* $table:ident in $module:ident { $($(#[$item_doc:meta])* $name:ident,)* }) => {
        $(#[$doc])*
        pub mod $module {
            /// The positions, in order.
            #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
            enum Position { $($name,)* Count }
            $($(#[$item_doc])* pub const $name: usize = Position::$name as usize;)*
            /// How many there are.
            pub const COUNT: usize = Position::Count as usize;
        }
        $(#[$doc])*
        pub const $table: &[&str] = &[$(stringify!($name),)*];
    };
}

/// Declares the actions and events the core asks the class to carry out:
/// their numbers, the names of the numbers that follow the kind, and the name
/// of the text that goes with them (in the text-out buffer).
macro_rules! actions {
    ($(#[$doc:meta])* $table:ident in $module:ident { $($(#[$item_doc:meta])* $name:ident = $value:expr, [$($field:ident),*] $(text $text:ident)?;)* }) => {
        $(#[$doc])*
        pub mod $module {
            $($(#[$item_doc])* pub const $name: u32 = $value;)*
        }
        $(#[$doc])*
        pub const $table: &[ActionLayout] = &[$(ActionLayout {
            name: stringify!($name),
            kind: $module::$name,
            numbers: &[$(stringify!($field)),*],
            text: actions!(@text $($text)?),
        },)*];
    };
    (@text $text:ident) => { Some(stringify!($text)) };
    (@text) => { None };
}

/// One action's layout on the boundary: `numbers` follow the kind in the
/// shared numbers, `text` (if any) is in the text-out buffer.
#[derive(Debug, Clone, Copy)]
pub struct ActionLayout {
    /// The kind's name.
    pub name: &'static str,
    /// The kind's number (the first of the shared numbers, and what `core_next` returns).
    pub kind: u32,
    /// The names of the numbers after the kind, in order.
    pub numbers: &'static [&'static str],
    /// The name of the text, if the action has one.
    pub text: Option<&'static str>,
}

/// How many numbers pass each way at most; the last holds a text's length.
pub const NUMBER_SLOTS: usize = 24;

// Every table of slots fits beside the text's length (a slice past the end
// would make every export a panic).
const _: () = assert!(
    option::COUNT < NUMBER_SLOTS && status::COUNT < NUMBER_SLOTS && limit::COUNT < NUMBER_SLOTS
);

/// What an export returns when its core is busy: the class called it from
/// inside `shouldReconnect`, which runs while the core decides.
pub const BUSY: u32 = u32::MAX;

numbered! {
    /// What the class tells the core (`core_feed`).
    INPUTS in input {
        /// The current socket opened (text: the protocol).
        OPENED = 0,
        /// The current socket reported an error.
        ERROR = 1,
        /// The heartbeat reply arrived.
        PONG = 2,
        /// `reconnect()` was called.
        RECONNECT = 3,
        /// The page went online.
        ONLINE = 4,
        /// The page went offline.
        OFFLINE = 5,
        /// The page became visible.
        VISIBLE = 6,
        /// The attempt could not start (text: why).
        ATTEMPT_FAILED = 7,
        /// An acknowledgement arrived (text: its key).
        ACKNOWLEDGED = 8,
        /// The page was shown again from the back/forward cache.
        RESTORED = 9,
    }
}

actions! {
    /// What the core asks for (`core_next`): actions, then events; 0 is none.
    ACTIONS in action {
        /// Open the platform socket of attempt `attempt`.
        CONNECT = 1, [attempt];
        /// Send the message kept under `id`.
        TRANSMIT = 2, [id];
        /// Start the closing handshake.
        CLOSE = 3, [code] text reason;
        /// Close and detach the current platform socket.
        ABANDON = 4, [];
        /// Event: an attempt started.
        CONNECTING = 5, [attempt];
        /// Event: the connection opened (`reconnected` is 0 or 1).
        OPEN = 6, [reconnected] text protocol;
        /// Event: the platform reported an error.
        ERROR = 7, [];
        /// Event: an attempt failed before it opened.
        ATTEMPT_FAILED = 8, [] text reason;
        /// Event: a connection or attempt ended (`was_clean`, `will_retry` are 0 or 1).
        CLOSED = 9, [code, was_clean, will_retry] text reason;
        /// Event: a reconnect is scheduled after `delay` ms (`source`: one of [`DELAY_SOURCES`]).
        RECONNECTING = 10, [attempt, delay, source];
        /// Event: retries ran out.
        GAVE_UP = 11, [attempts];
        /// Event: the message kept under `id` was dropped.
        DROPPED = 12, [id];
        /// Event: the message kept under `id` was acknowledged.
        ACKNOWLEDGED = 13, [id];
        /// Tell the core the platform's `bufferedAmount` (`core_buffered`).
        SAMPLE_BUFFERED = 14, [];
        /// Event: what was not transmitted fell to the low water mark.
        DRAINED = 15, [];
        /// A trace entry: one of [`TRACE_KINDS`] and its numbers (see `pkg-template/trace.js`).
        TRACE = 16, [entry, first, second, third, fourth, fifth] text text;
    }
}

numbered! {
    /// What became of a message given to `core_send`.
    SENDS in sent {
        /// Transmit it now.
        TRANSMIT = 0,
        /// Queued until a connection opens.
        QUEUED = 1,
        /// Refused: the queue is full.
        QUEUE_FULL = 2,
        /// Refused: the socket is closing or closed.
        CLOSED = 3,
    }
}

numbered! {
    /// What `core_close` answers.
    CLOSE_ANSWERS in close_answer {
        /// Closing.
        CLOSING = 0,
        /// Nothing done: the code is not 1000 or 3000–4999.
        BAD_CODE = 1,
        /// Nothing done: the reason is over 123 bytes of UTF-8.
        LONG_REASON = 2,
    }
}

numbered! {
    /// What `config_problem` finds in the options.
    CONFIG_PROBLEMS in config_problem {
        /// Nothing: the options work.
        NONE = 0,
        /// The backoff factor is below 1.
        FACTOR = 1,
        /// The first delay is above the cap.
        MIN_DELAY_ABOVE_MAX = 2,
        /// Another value that cannot work.
        OTHER = 3,
        /// The low water mark is above the high one.
        LOW_MARK_ABOVE_HIGH = 4,
    }
}

numbered! {
    /// The states of `core_status` (`state`).
    STATES in state {
        /// An attempt is under way.
        CONNECTING = 0,
        /// Connected.
        OPEN = 1,
        /// The closing handshake is under way.
        CLOSING = 2,
        /// Waiting to reconnect.
        WAITING = 3,
        /// Offline, waiting for the network.
        OFFLINE = 4,
        /// Closed for good.
        CLOSED = 5,
    }
}

numbered! {
    /// The values of the `jitter` option (its words in lower case).
    JITTERS in jitter {
        /// No randomness.
        NONE = 0,
        /// Uniform below the ceiling.
        FULL = 1,
        /// Uniform in the upper half.
        EQUAL = 2,
        /// Growing from the previous delay.
        DECORRELATED = 3,
    }
}

numbered! {
    /// Where a reconnect delay came from (its words in lower case, `-` for `_`).
    DELAY_SOURCES in delay_source {
        /// The backoff's step.
        BACKOFF = 0,
        /// The server's hint.
        HINT = 1,
        /// Close code 1013 without a hint: the cap's window.
        TRY_AGAIN_LATER = 2,
    }
}

numbered! {
    /// The kinds of trace entries (their words in lower case, `-` for `_`).
    TRACE_KINDS in trace_kind {
        /// `[reconnected]`, text: the protocol.
        OPENED = 0,
        /// `[code, was_clean, will_retry]`, text: the reason.
        CLOSED = 1,
        /// `[attempt, delay ms, source, step, hint ms or -1]`.
        RETRY_SCHEDULED = 2,
        /// `[attempt]`.
        WAITING_FOR_NETWORK = 3,
        /// `[bytes, queued_messages]`.
        QUEUED = 4,
        /// `[messages]`.
        FLUSHED = 5,
        /// `[bytes]`.
        DROPPED = 6,
        /// `[bytes]`.
        ACKNOWLEDGED = 7,
        /// `[pending]`.
        CONGESTED = 8,
        /// `[pending]`.
        DRAINED = 9,
        /// `[attempts]`.
        GAVE_UP = 10,
    }
}

/// `core_new`'s flag: the class has a `shouldReconnect`.
pub const DECIDES: u32 = 1;

/// `core_new`'s flag: the class has a `retryAfter`.
pub const READS_HINTS: u32 = 2;

/// What the class's `retryAfter` answers when it has no hint.
pub const NO_HINT: f64 = -1.0;

/// What the class's `retryAfter` answers when it threw or answered something
/// that is not a number of milliseconds: the default reading decides.
pub const DEFAULT_HINT: f64 = -2.0;

numbered! {
    /// The values of the `overflow` option (its words in lower case, `-` for `_`).
    OVERFLOWS in overflow {
        /// A full queue refuses new messages.
        REJECT = 0,
        /// A full queue drops its oldest messages.
        DROP_OLDEST = 1,
    }
}

slots! {
    /// What `core_status` writes to the numbers, in order.
    STATUS_SLOTS in status {
        /// One of [`STATES`].
        STATE,
        /// The attempt of a connecting, waiting or offline state.
        ATTEMPT,
        /// The delay of a waiting state, ms.
        DELAY,
        /// The WebSocket ready state.
        READY_STATE,
        /// Messages in the queue.
        QUEUED_MESSAGES,
        /// Bytes in the queue.
        QUEUED_BYTES,
        /// Messages sent and not acknowledged.
        UNCONFIRMED_MESSAGES,
        /// 1 while the high water mark is crossed.
        CONGESTED,
    }
}

slots! {
    /// What `config_problem` writes to the numbers for options it finds
    /// nothing wrong with, in order: the bounds the core keeps to, defaults
    /// applied (the same for every socket made with those options).
    LIMIT_SLOTS in limit {
        /// The queue's message bound.
        MAX_QUEUED_MESSAGES,
        /// The queue's byte bound.
        MAX_QUEUED_BYTES,
        /// The high water mark, bytes.
        HIGH_WATER_MARK,
    }
}

slots! {
    /// The options the class writes to the numbers before `core_new` (NaN: not given).
    OPTION_SLOTS in option {
        /// ms.
        MIN_DELAY,
        /// ms.
        MAX_DELAY,
        /// Growth per attempt.
        FACTOR,
        /// One of [`JITTERS`].
        JITTER,
        /// A count, or Infinity.
        MAX_RETRIES,
        /// ms; 0 or Infinity: none.
        CONNECT_TIMEOUT,
        /// ms.
        MIN_UPTIME,
        /// A count.
        MAX_QUEUED_MESSAGES,
        /// A count.
        MAX_QUEUED_BYTES,
        /// One of [`OVERFLOWS`].
        OVERFLOW,
        /// ms.
        HEARTBEAT_INTERVAL,
        /// ms.
        HEARTBEAT_TIMEOUT,
        /// 1: acknowledged delivery.
        ACKNOWLEDGE,
        /// The jitter's seed.
        SEED,
        /// Bytes.
        HIGH_WATER_MARK,
        /// Bytes.
        LOW_WATER_MARK,
        /// 1: report every decision (the trace).
        TRACE,
    }
}
