//! The four WebSocket ready states, numbered exactly as the platform numbers them.

use core::fmt;

/// The state of a WebSocket connection, as `WebSocket.readyState` reports it.
///
/// The discriminants are the platform's constants (`WebSocket.CONNECTING` = 0
/// through `WebSocket.CLOSED` = 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum ReadyState {
    /// The opening handshake has not finished yet.
    Connecting = 0,
    /// The connection is open; messages can be sent.
    Open = 1,
    /// The closing handshake has started.
    Closing = 2,
    /// The connection is closed or could not be opened.
    Closed = 3,
}

impl ReadyState {
    /// Maps the platform's numeric `readyState` to the enum.
    ///
    /// Returns `None` for a number the platform never reports.
    pub const fn from_platform(value: u16) -> Option<ReadyState> {
        match value {
            0 => Some(ReadyState::Connecting),
            1 => Some(ReadyState::Open),
            2 => Some(ReadyState::Closing),
            3 => Some(ReadyState::Closed),
            _ => None,
        }
    }

    /// The platform's number for this state.
    pub const fn as_platform(self) -> u16 {
        self as u16
    }
}

impl ReadyState {
    /// The constant's name: `"CONNECTING"`, `"OPEN"`, `"CLOSING"` or `"CLOSED"`.
    pub const fn name(self) -> &'static str {
        match self {
            ReadyState::Connecting => "CONNECTING",
            ReadyState::Open => "OPEN",
            ReadyState::Closing => "CLOSING",
            ReadyState::Closed => "CLOSED",
        }
    }
}

impl fmt::Display for ReadyState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
