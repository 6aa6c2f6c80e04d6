//! `GET /echo`: a WebSocket echo whose behaviour the query string sets, so tests
//! can provoke every path of a client.
//!
//! | parameter | effect |
//! |---|---|
//! | `tag=T` | counts the connection under `T` in `/stats` (default `echo`) |
//! | `status=N` | refuses the handshake with HTTP status `N` |
//! | `protocol=P` | answers with subprotocol `P`, offered or not; `none` answers with none; absent: the first offered |
//! | `close=C&reason=R` | sends a close frame with code `C` and reason `R`, after `close_after` echoes (default 0) |
//! | `hold_ms=M` | with `close=C` at the start: then reads nothing for `M` ms and drops the TCP connection (the client stays CLOSING meanwhile) |
//! | `drop_after=N` | drops the TCP connection, without a close frame, after echoing `N` messages |
//! | `drop_ms=M` | drops the TCP connection, without a close frame, `M` ms after opening |
//! | `reset_after=N` | resets the TCP connection (RST), without a close frame, after echoing `N` messages |
//! | `record=1` | echoes nothing: records each text message in `/received` (see [`crate::received`]), also while closing |
//! | `ack=1` | with `record=1`: answers each text message `T` with `ack:T` (not while closing) |
//! | `stall_ms=M` | stops reading for `M` ms after the first message (a peer that does not keep up: the client's buffer fills), then reads on |

use crate::admission::{payload_len, serve_admitted, too_big_reason};
use crate::connection::Peer;
use crate::faults::{carry_out_reading, close_with, FaultWatch};
use crate::received::Received;
use crate::App;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Default, Deserialize)]
pub struct TestOptions {
    tag: Option<String>,
    status: Option<u16>,
    protocol: Option<String>,
    close: Option<u16>,
    reason: Option<String>,
    close_after: Option<u32>,
    drop_after: Option<u32>,
    drop_ms: Option<u64>,
    reset_after: Option<u32>,
    record: Option<u8>,
    ack: Option<u8>,
    stall_ms: Option<u64>,
    hold_ms: Option<u64>,
}

/// The subprotocols the client offered, in its order.
pub fn offered_protocols(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|token| token.trim().to_owned())
        .filter(|token| !token.is_empty())
        .collect()
}

/// The subprotocol to answer with, as `protocol=` asks.
fn choose_protocol(asked: Option<&str>, offered: &[String]) -> Option<String> {
    match asked {
        None => offered.first().cloned(),
        Some("none") => None,
        Some(protocol) => Some(protocol.to_owned()),
    }
}

pub async fn handle(
    upgrade: WebSocketUpgrade,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<Peer>,
    Query(options): Query<TestOptions>,
    State(app): State<App>,
) -> Response {
    if let Some(status) = options.status {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        return (status, "refused by request").into_response();
    }
    let tag = options.tag.clone().unwrap_or_else(|| "echo".to_owned());
    let chosen = choose_protocol(options.protocol.as_deref(), &offered_protocols(&headers));
    let address = peer.address.ip();
    let serve = move |socket, app: App, tag: String| async move {
        let limit = app.limits.max_message_bytes;
        let faults = app.faults.watch(&tag);
        let recorder = (options.record.unwrap_or(0) != 0).then(|| Recorder {
            received: app.received.clone(),
            tag,
            acknowledge: options.ack.unwrap_or(0) != 0,
        });
        if options.reset_after.is_some() {
            // However this connection ends, it ends with RST.
            peer.reset_when_dropped();
        }
        run(socket, &options, faults, limit, recorder).await;
    };
    let mut response = serve_admitted(app, &headers, address, tag, upgrade, serve);
    if let Some(protocol) = chosen.and_then(|p| HeaderValue::from_str(&p).ok()) {
        response
            .headers_mut()
            .insert(header::SEC_WEBSOCKET_PROTOCOL, protocol);
    }
    response
}

/// Where `record=1` connections put what they receive.
struct Recorder {
    received: Arc<Received>,
    tag: String,
    acknowledge: bool,
}

impl Recorder {
    fn record(&self, message: &Message) {
        if let Message::Text(text) = message {
            self.received.record(&self.tag, text.as_str());
        }
    }

    /// The acknowledgement of `message`, if this connection sends them.
    fn acknowledgement(&self, message: &Message) -> Option<Message> {
        match message {
            Message::Text(text) if self.acknowledge => {
                Some(Message::text(format!("ack:{}", text.as_str())))
            }
            _ => None,
        }
    }
}

/// Echoes (or records) until the client closes, or until the options say to
/// close, drop or reset. Returning drops the socket: without a close frame
/// sent, that is a TCP drop (or reset).
async fn run(
    mut socket: WebSocket,
    options: &TestOptions,
    mut faults: FaultWatch,
    limit: usize,
    recorder: Option<Recorder>,
) {
    let drop_at = options
        .drop_ms
        .map(|ms| Instant::now() + Duration::from_millis(ms));
    let drop_timer = async {
        match drop_at {
            Some(deadline) => tokio::time::sleep_until(deadline).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(drop_timer);
    let mut echoed = 0u32;
    let mut stall = options.stall_ms;
    if options.close_after.unwrap_or(0) == 0 && !send_close_if_asked(&mut socket, options).await {
        return;
    }
    if let (Some(_), None | Some(0), Some(hold)) =
        (options.close, options.close_after, options.hold_ms)
    {
        // The client's close reply is never read: its socket stays CLOSING.
        tokio::time::sleep(Duration::from_millis(hold)).await;
        return;
    }
    loop {
        let received = tokio::select! {
            () = &mut drop_timer => return,
            fault = faults.next() => {
                let on_message = |message: Message| {
                    if let Some(recorder) = &recorder {
                        recorder.record(&message);
                    }
                };
                return carry_out_reading(socket, fault, on_message).await;
            }
            received = socket.recv() => received,
        };
        let message = match received {
            Some(Ok(message @ (Message::Text(_) | Message::Binary(_)))) => message,
            Some(Ok(_)) => continue,
            None | Some(Err(_)) => return,
        };
        if payload_len(&message) > limit {
            return close_with(socket, 1009, &too_big_reason(limit)).await;
        }
        if let Some(ms) = stall.take() {
            // Not reading: TCP's window closes and the client's buffer fills.
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        if let Some(recorder) = &recorder {
            recorder.record(&message);
            let Some(ack) = recorder.acknowledgement(&message) else {
                continue;
            };
            if socket.send(ack).await.is_err() {
                return;
            }
            continue;
        }
        if socket.send(message).await.is_err() {
            return;
        }
        echoed += 1;
        if options.drop_after == Some(echoed) || options.reset_after == Some(echoed) {
            return;
        }
        if options.close_after == Some(echoed) && !send_close_if_asked(&mut socket, options).await {
            return;
        }
    }
}

/// Sends the close frame `close=`/`reason=` ask for; false if sending failed.
async fn send_close_if_asked(socket: &mut WebSocket, options: &TestOptions) -> bool {
    let Some(code) = options.close else {
        return true;
    };
    let frame = CloseFrame {
        code,
        reason: options.reason.clone().unwrap_or_default().into(),
    };
    socket.send(Message::Close(Some(frame))).await.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_choice_follows_the_query() {
        let offered = vec!["b".to_owned(), "a".to_owned()];
        assert_eq!(choose_protocol(None, &offered).as_deref(), Some("b"));
        assert_eq!(choose_protocol(Some("a"), &offered).as_deref(), Some("a"));
        assert_eq!(choose_protocol(Some("none"), &offered), None);
        assert_eq!(choose_protocol(Some("zz"), &offered).as_deref(), Some("zz"));
        assert_eq!(choose_protocol(None, &[]), None);
    }

    #[test]
    fn offered_protocols_are_split_and_trimmed() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::SEC_WEBSOCKET_PROTOCOL,
            HeaderValue::from_static("x, y"),
        );
        headers.append(
            header::SEC_WEBSOCKET_PROTOCOL,
            HeaderValue::from_static("z"),
        );
        assert_eq!(offered_protocols(&headers), ["x", "y", "z"]);
    }
}
