//! What the Dioxus and Yew chats share besides their framework code: the
//! chat server's messages, where the server is, and how a line and the
//! status read. The pages show the same things as the Leptos chat, so one
//! end-to-end test (`tests/js/framework-chats.test.mjs`) drives all three.

pub use chat_page::{chat_url, Page};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use steadysocket::{State, Status};

/// What this client says.
#[derive(Serialize)]
pub struct Say {
    /// The text.
    pub message: String,
}

/// A line of the room: a message, or someone joining or leaving.
#[derive(Deserialize, Clone, PartialEq)]
pub struct Line {
    /// `message`, `join` or `leave`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Who.
    pub nickname: String,
    /// What, for a message.
    #[serde(default)]
    pub message: String,
}

impl Line {
    /// How the line reads.
    pub fn text(&self) -> String {
        match self.kind.as_str() {
            "join" => format!("{} joined", self.nickname),
            "leave" => format!("{} left", self.nickname),
            _ => format!("{}: {}", self.nickname, self.message),
        }
    }
}

/// How often a countdown is redrawn while the socket waits to reconnect.
pub const COUNTDOWN_TICK: Duration = Duration::from_millis(100);

/// `open`, `connecting`, `waiting` (also while offline) or `closed`.
pub fn state_word(state: &State) -> &'static str {
    match state {
        State::Open => "open",
        State::Connecting { .. } => "connecting",
        State::Waiting { .. } | State::Offline { .. } => "waiting",
        State::Closing | State::Closed => "closed",
    }
}

/// The status line: the state, while waiting the seconds until the next
/// attempt (read now, so a page redraws it every [`COUNTDOWN_TICK`]), and
/// the messages queued for the connection.
pub fn status_text(status: &Status) -> String {
    let countdown = status
        .retry_in()
        .map(|left| format!(" (retrying in {:.1} s)", left.as_secs_f64()))
        .unwrap_or_default();
    format!(
        "{}{countdown} · queued: {}",
        state_word(&status.state),
        status.queued_messages
    )
}
