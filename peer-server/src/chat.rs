//! `GET /chat?nickname=N`: every text message a client sends is broadcast to all
//! as `{"type":"message","nickname":N,"message":text}`; joins and leaves as
//! `{"type":"join"|"leave","nickname":N}`.
//!
//! A client may send plain text or `{"message": text}`.

use crate::admission::{payload_len, serve_admitted, too_big_reason, RateLimit};
use crate::connection::Peer;
use crate::faults::{carry_out, close_with, FaultWatch};
use crate::App;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// The longest chat message kept, in characters; longer ones are cut.
const MAX_MESSAGE_CHARS: usize = 2000;
/// The longest nickname kept, in characters.
const MAX_NICKNAME_CHARS: usize = 32;

/// The chat room.
pub struct Chat {
    room: broadcast::Sender<Arc<str>>,
}

impl Default for Chat {
    fn default() -> Self {
        Chat {
            room: broadcast::channel(256).0,
        }
    }
}

impl Chat {
    fn announce(&self, value: serde_json::Value) {
        let _ = self.room.send(value.to_string().into());
    }
}

#[derive(Deserialize)]
pub struct ChatQuery {
    nickname: Option<String>,
    tag: Option<String>,
}

#[derive(Deserialize)]
struct Incoming {
    message: String,
}

/// The message text of what a client sent: `{"message": …}` or the text itself.
fn message_text(sent: &str) -> String {
    let text = serde_json::from_str::<Incoming>(sent)
        .map(|incoming| incoming.message)
        .unwrap_or_else(|_| sent.to_owned());
    text.chars().take(MAX_MESSAGE_CHARS).collect()
}

fn nickname_of(asked: Option<&str>) -> String {
    let nickname: String = asked
        .unwrap_or("")
        .trim()
        .chars()
        .take(MAX_NICKNAME_CHARS)
        .collect();
    if nickname.is_empty() {
        "anonymous".to_owned()
    } else {
        nickname
    }
}

pub async fn handle(
    upgrade: WebSocketUpgrade,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<Peer>,
    Query(query): Query<ChatQuery>,
    State(app): State<App>,
) -> Response {
    let tag = query.tag.unwrap_or_else(|| "chat".to_owned());
    let serve = move |socket, app: App, tag: String| async move {
        let member = Member {
            nickname: nickname_of(query.nickname.as_deref()),
            faults: app.faults.watch(&tag),
            rate: RateLimit::new(app.limits.chat_messages_per_second),
            max_message_bytes: app.limits.max_message_bytes,
        };
        join(socket, &app.chat, member).await;
    };
    serve_admitted(app, &headers, peer.address.ip(), tag, upgrade, serve)
}

/// One chat connection's identity and limits.
struct Member {
    nickname: String,
    faults: FaultWatch,
    rate: RateLimit,
    max_message_bytes: usize,
}

/// How long a member may take to accept a line before it is dropped as too slow.
const SLOW_READER: Duration = Duration::from_secs(10);

async fn join(mut socket: WebSocket, chat: &Chat, mut member: Member) {
    let nickname = member.nickname.clone();
    let mut room = chat.room.subscribe();
    chat.announce(serde_json::json!({ "type": "join", "nickname": nickname }));
    loop {
        tokio::select! {
            fault = member.faults.next() => {
                carry_out(socket, fault).await;
                break;
            }
            said = room.recv() => match said {
                Ok(line) => {
                    // The room's queue is bounded (a reader that lags skips lines);
                    // one that stops reading altogether is dropped.
                    let sent = tokio::time::timeout(SLOW_READER, socket.send(Message::Text(line.as_ref().into())));
                    if !matches!(sent.await, Ok(Ok(()))) {
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => break,
            },
            received = socket.recv() => match received {
                Some(Ok(message)) if payload_len(&message) > member.max_message_bytes => {
                    close_with(socket, 1009, &too_big_reason(member.max_message_bytes)).await;
                    break;
                }
                Some(Ok(Message::Text(_))) if !member.rate.allow(Instant::now()) => {
                    let reason = format!("rate limit: at most {} messages a second", member.rate.per_second());
                    close_with(socket, 1008, &reason).await;
                    break;
                }
                Some(Ok(Message::Text(text))) => chat.announce(serde_json::json!({
                    "type": "message",
                    "nickname": nickname,
                    "message": message_text(text.as_str()),
                })),
                Some(Ok(_)) => continue,
                None | Some(Err(_)) => break,
            },
        }
    }
    chat.announce(serde_json::json!({ "type": "leave", "nickname": nickname }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_text_takes_json_or_plain_text() {
        assert_eq!(message_text(r#"{"message":"hi"}"#), "hi");
        assert_eq!(message_text("plain <b>text</b>"), "plain <b>text</b>");
        assert_eq!(message_text(&"x".repeat(5000)).len(), MAX_MESSAGE_CHARS);
    }

    #[test]
    fn nickname_is_trimmed_and_bounded() {
        assert_eq!(nickname_of(None), "anonymous");
        assert_eq!(nickname_of(Some("  ann ")), "ann");
        assert_eq!(nickname_of(Some(&"n".repeat(99))).len(), MAX_NICKNAME_CHARS);
    }
}
