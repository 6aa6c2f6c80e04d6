//! Faults on request, for the demo's buttons and the tests: `POST
//! /fault?tag=T&action=…` drops the connections tagged `T`, closes them with a
//! code, sends them away (drops them and refuses new ones for a while), or
//! restarts them (closes them with 1012 after reading what the clients had
//! sent, and refuses new ones for a while, as a restarting server does). A
//! tag `T*` names every connection whose tag starts with `T`.

use crate::admission::origin_allowed;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
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

/// The close code of a server that is restarting (RFC 6455 registry).
const SERVICE_RESTART: u16 = 1012;

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
                Ok((tag, fault)) if covers(&tag, &self.tag) => return fault,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
            }
        }
    }
}

/// Whether a fault sent to `target` reaches a connection tagged `tag`: the
/// same tag, or, for a target ending in `*`, every tag that starts with what
/// precedes the `*`.
fn covers(target: &str, tag: &str) -> bool {
    match target.strip_suffix('*') {
        Some(prefix) => tag.starts_with(prefix),
        None => target == tag,
    }
}

impl Faults {
    /// Carries out `fault` on every connection whose tag starts with `prefix`.
    pub fn apply_to_prefix(&self, prefix: &str, fault: Fault) {
        self.apply(&format!("{prefix}*"), fault);
    }

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

    /// Refuses new connections tagged `tag` for a while, then carries out
    /// `fault` on the open ones.
    fn away_after(&self, tag: &str, for_how_long: Duration, fault: Fault) {
        let until = Instant::now() + for_how_long.min(MAX_AWAY);
        let mut away = self.away_until.lock().unwrap_or_else(|e| e.into_inner());
        away.insert(tag.to_owned(), until);
        drop(away);
        self.apply(tag, fault);
    }
}

/// Codes a server may put in a close frame (not 1004-1006 or 1015, which are reserved).
fn sendable_by_server(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999)
}

/// Carries out `fault` on `socket`: drops it, or closes it cleanly.
pub async fn carry_out(socket: WebSocket, fault: Fault) {
    carry_out_reading(socket, fault, |_| {}).await;
}

/// [`carry_out`], giving `on_message` what the client sent before it saw the
/// close frame.
pub async fn carry_out_reading(socket: WebSocket, fault: Fault, on_message: impl FnMut(Message)) {
    if let Fault::Close { code, reason } = fault {
        close_reading(socket, code, &reason, on_message).await;
    }
}

/// Sends a close frame and waits (5 s at most) for the client's reply, so the
/// close is clean; then the connection is dropped.
pub async fn close_with(socket: WebSocket, code: u16, reason: &str) {
    close_reading(socket, code, reason, |_| {}).await;
}

/// [`close_with`], giving `on_message` the messages that arrive before the
/// client's reply: the client sent them before it saw the close frame.
pub async fn close_reading(
    mut socket: WebSocket,
    code: u16,
    reason: &str,
    mut on_message: impl FnMut(Message),
) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    if socket.send(Message::Close(Some(frame))).await.is_ok() {
        let drain = async {
            while let Some(Ok(message)) = socket.recv().await {
                on_message(message);
            }
        };
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

/// `POST /fault?tag=T&action=drop|close|away|restart[&code=C&reason=R][&seconds=S]`.
/// Browser pages from origins that may not open WebSockets here (see
/// [`origin_allowed`]) may not send faults either; the others may read the answer.
pub async fn handle(
    State(app): State<crate::App>,
    headers: HeaderMap,
    Query(query): Query<FaultQuery>,
) -> Response {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let allowed = &app.limits.allowed_origins;
    if !origin_allowed(text(header::ORIGIN), text(header::HOST), allowed) {
        return (
            StatusCode::FORBIDDEN,
            "this origin may not send faults here",
        )
            .into_response();
    }
    let answer = command(&app.faults, &query);
    ([(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")], answer).into_response()
}

fn command(faults: &Faults, query: &FaultQuery) -> (StatusCode, String) {
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
            let reason = query.reason.as_deref().unwrap_or_default();
            let reason: String = reason.chars().take(60).collect();
            faults.apply(&query.tag, Fault::Close { code, reason });
        }
        "away" | "restart" => {
            let seconds = query.seconds.unwrap_or(5.0);
            if !(seconds.is_finite() && seconds > 0.0) {
                return (
                    StatusCode::BAD_REQUEST,
                    "seconds must be a number above 0".to_owned(),
                );
            }
            let fault = if query.action == "away" {
                Fault::Drop
            } else {
                Fault::Close {
                    code: SERVICE_RESTART,
                    reason: "restarting".to_owned(),
                }
            };
            faults.away_after(
                &query.tag,
                Duration::from_secs_f64(seconds.min(MAX_AWAY.as_secs_f64())),
                fault,
            );
        }
        other => {
            return (
                StatusCode::BAD_REQUEST,
                format!("unknown action {other:?}; use drop, close, away or restart"),
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
        faults.apply("ab*", Fault::Drop);
        faults.apply_to_prefix("a", Fault::Drop);
        assert_eq!(mine.next().await, Fault::Drop, "a prefix covers its tags");
        assert!(
            covers("a", "a") && !covers("a", "ab") && covers("a*", "ab") && !covers("ab*", "a")
        );
    }

    #[test]
    fn away_ends() {
        let faults = Faults::default();
        faults.away_after("a", Duration::from_millis(30), Fault::Drop);
        assert!(faults.is_away("a"));
        assert!(!faults.is_away("b"));
        std::thread::sleep(Duration::from_millis(40));
        assert!(!faults.is_away("a"));
    }
}
