//! Faults on request, for the demo's buttons and the tests: `POST
//! /fault?tag=T&action=…` drops the connections tagged `T`, closes them with a
//! code, or sends them away (drops them and refuses new ones for a while).

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// What happens to a tagged connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Drop the TCP connection without a close frame.
    Drop,
    /// Send a close frame with this code and reason.
    Close { code: u16, reason: String },
}

/// The longest "away" a request may ask for.
const MAX_AWAY: Duration = Duration::from_secs(60);

/// Fault commands for live connections, and tags that are away.
pub struct Faults {
    commands: broadcast::Sender<(String, Fault)>,
    away_until: Mutex<HashMap<String, Instant>>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            commands: broadcast::channel(64).0,
            away_until: Mutex::new(HashMap::new()),
        }
    }
}

/// One connection's view of the fault commands.
pub struct FaultWatch {
    commands: broadcast::Receiver<(String, Fault)>,
    tag: String,
}

impl FaultWatch {
    /// The next fault for this connection's tag; pending forever if none comes.
    pub async fn next(&mut self) -> Fault {
        loop {
            match self.commands.recv().await {
                Ok((tag, fault)) if tag == self.tag => return fault,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
            }
        }
    }
}

impl Faults {
    /// Watches the faults for connections tagged `tag`.
    pub fn watch(&self, tag: &str) -> FaultWatch {
        FaultWatch {
            commands: self.commands.subscribe(),
            tag: tag.to_owned(),
        }
    }

    /// Whether new connections tagged `tag` are refused now.
    pub fn is_away(&self, tag: &str) -> bool {
        let mut away = self.away_until.lock().unwrap_or_else(|e| e.into_inner());
        away.retain(|_, until| *until > Instant::now());
        away.contains_key(tag)
    }

    fn apply(&self, tag: &str, fault: Fault) {
        let _ = self.commands.send((tag.to_owned(), fault));
    }

    fn send_away(&self, tag: &str, for_how_long: Duration) {
        let until = Instant::now() + for_how_long.min(MAX_AWAY);
        let mut away = self.away_until.lock().unwrap_or_else(|e| e.into_inner());
        away.insert(tag.to_owned(), until);
        drop(away);
        self.apply(tag, Fault::Drop);
    }
}

/// Codes a server may put in a close frame (not 1004-1006 or 1015, which are reserved).
fn sendable_by_server(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999)
}

/// Carries out `fault` on `socket`: drops it, or closes it cleanly.
pub async fn carry_out(socket: WebSocket, fault: Fault) {
    if let Fault::Close { code, reason } = fault {
        close_with(socket, code, &reason).await;
    }
}

/// Sends a close frame and waits (5 s at most) for the client's reply, so the
/// close is clean; then the connection is dropped.
pub async fn close_with(mut socket: WebSocket, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    if socket.send(Message::Close(Some(frame))).await.is_ok() {
        let drain = async { while let Some(Ok(_)) = socket.recv().await {} };
        let _ = tokio::time::timeout(Duration::from_secs(5), drain).await;
    }
}

#[derive(Deserialize)]
pub struct FaultQuery {
    tag: String,
    action: String,
    code: Option<u16>,
    reason: Option<String>,
    seconds: Option<f64>,
}

/// `POST /fault?tag=T&action=drop|close|away[&code=C&reason=R][&seconds=S]`.
pub async fn handle(
    State(app): State<crate::App>,
    Query(query): Query<FaultQuery>,
) -> (StatusCode, String) {
    let faults = &app.faults;
    match query.action.as_str() {
        "drop" => faults.apply(&query.tag, Fault::Drop),
        "close" => {
            let code = query.code.unwrap_or(1000);
            if !sendable_by_server(code) {
                return (
                    StatusCode::BAD_REQUEST,
                    format!("close code {code} cannot be sent in a close frame; use 1000-1003, 1007-1014 or 3000-4999"),
                );
            }
            let reason: String = query.reason.unwrap_or_default().chars().take(60).collect();
            faults.apply(&query.tag, Fault::Close { code, reason });
        }
        "away" => {
            let seconds = query.seconds.unwrap_or(5.0);
            if !(seconds.is_finite() && seconds > 0.0) {
                return (
                    StatusCode::BAD_REQUEST,
                    "seconds must be a number above 0".to_owned(),
                );
            }
            faults.send_away(&query.tag, Duration::from_secs_f64(seconds));
        }
        other => {
            return (
                StatusCode::BAD_REQUEST,
                format!("unknown action {other:?}; use drop, close or away"),
            )
        }
    }
    (StatusCode::NO_CONTENT, String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_watch_sees_only_its_tag() {
        let faults = Faults::default();
        let mut mine = faults.watch("a");
        faults.apply("b", Fault::Drop);
        faults.apply(
            "a",
            Fault::Close {
                code: 4000,
                reason: "x".into(),
            },
        );
        assert_eq!(
            mine.next().await,
            Fault::Close {
                code: 4000,
                reason: "x".into()
            }
        );
    }

    #[test]
    fn away_ends() {
        let faults = Faults::default();
        faults.send_away("a", Duration::from_millis(30));
        assert!(faults.is_away("a"));
        assert!(!faults.is_away("b"));
        std::thread::sleep(Duration::from_millis(40));
        assert!(!faults.is_away("a"));
    }
}
