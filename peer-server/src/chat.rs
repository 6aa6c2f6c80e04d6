//! `GET /chat?nickname=N`: every text message a client sends is broadcast to all
//! as `{"type":"message","nickname":N,"message":text}`; joins and leaves as
//! `{"type":"join"|"leave","nickname":N}`.
//!
//! A client may send plain text or `{"message": text}`.

use crate::faults::{carry_out, FaultWatch};
use crate::App;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;
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
    Query(query): Query<ChatQuery>,
    State(app): State<App>,
) -> Response {
    let tag = query.tag.unwrap_or_else(|| "chat".to_owned());
    if let Some(refusal) = app.faults.refusal(&tag) {
        return refusal;
    }
    upgrade.on_upgrade(move |socket| async move {
        let _open = app.counts.open(&tag);
        let nickname = nickname_of(query.nickname.as_deref());
        join(socket, &app.chat, &nickname, app.faults.watch(&tag)).await;
    })
}

async fn join(mut socket: WebSocket, chat: &Chat, nickname: &str, mut faults: FaultWatch) {
    let mut room = chat.room.subscribe();
    chat.announce(serde_json::json!({ "type": "join", "nickname": nickname }));
    loop {
        tokio::select! {
            fault = faults.next() => {
                carry_out(socket, fault).await;
                break;
            }
            said = room.recv() => match said {
                Ok(line) => {
                    if socket.send(Message::Text(line.as_ref().into())).await.is_err() {
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => break,
            },
            received = socket.recv() => match received {
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
