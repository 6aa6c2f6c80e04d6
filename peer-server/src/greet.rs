//! `ws://<hang-port>/greet`: a handshake answered together with a first
//! message (and, with `close=C`, a close frame), in one write, so that the client's platform receives both in one
//! TCP segment (as from a server that greets each client at once, when the
//! network coalesces them). A client must still report the open before that
//! message: the `ws` package in Node hands the message over before a
//! microtask queued at its open event runs, and in Deno even in the same task.

use crate::request_head::{header, query_param};
use sha1::{Digest, Sha1};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The text of the message sent with the handshake's answer.
pub const GREETING: &str = "greeting";

/// Whether the request in `head` asks for the greeting (path `/greet`).
pub fn is_greet(head: &[u8]) -> bool {
    head.starts_with(b"GET /greet ") || head.starts_with(b"GET /greet?")
}

/// `Sec-WebSocket-Accept` for the request's `Sec-WebSocket-Key` (RFC 6455 §4.2.2).
fn accept_key(key: &str) -> String {
    use base64::Engine;
    let mut sha = Sha1::new();
    sha.update(key.as_bytes());
    sha.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    base64::engine::general_purpose::STANDARD.encode(sha.finalize())
}

/// The handshake's answer and an unmasked text frame of [`GREETING`], as one
/// buffer, and with `close=C` in the query a close frame with code `C`
/// after them (a server that greets and turns the client away at once);
/// `None` if the request has no key.
fn answer(head: &[u8]) -> Option<Vec<u8>> {
    let accept = accept_key(&header(head, "Sec-WebSocket-Key")?);
    let mut bytes = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
    )
    .into_bytes();
    bytes.extend_from_slice(&text_frame(GREETING));
    if let Some(code) = close_code(head) {
        bytes.extend_from_slice(&[0x88, 0x02]);
        bytes.extend_from_slice(&code.to_be_bytes());
    }
    Some(bytes)
}

/// The `close` query parameter of the request in `head`, if it is a number.
fn close_code(head: &[u8]) -> Option<u16> {
    query_param(head, "close")?.parse().ok()
}

/// An unmasked, final text frame of `text` (under 126 bytes).
fn text_frame(text: &str) -> Vec<u8> {
    let mut frame = vec![0x81, text.len() as u8];
    frame.extend_from_slice(text.as_bytes());
    frame
}

/// The text of the message sent after the client's close frame, before the
/// answering one: a client that called `close()` must not report it
/// (WHATWG: no message once CLOSING), though the `ws` package and Deno's
/// socket hand it over.
pub const AFTER_CLOSE: &str = "after your close";

/// Answers the handshake in `head` with the greeting in one write; answers
/// the client's close frame with [`AFTER_CLOSE`] and a 1000 close, in one
/// write (or, if the answer closed already, with nothing: no frame may
/// follow a close frame, and Chromium fails a connection that gets one),
/// and ends the connection (anything else the client sends is read and
/// ignored).
pub async fn greet(stream: &mut TcpStream, head: &[u8]) {
    let Some(answer) = answer(head) else {
        return;
    };
    if stream.write_all(&answer).await.is_err() {
        return;
    }
    let closed_already = close_code(head).is_some();
    let mut buffer = [0u8; 1024];
    loop {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            // A frame whose first byte is FIN + close (0x88); the client's
            // frames are small, so each read starts with one.
            Ok(_) if buffer[0] == 0x88 => {
                if !closed_already {
                    let mut closing = text_frame(AFTER_CLOSE);
                    closing.extend_from_slice(&[0x88, 0x02, 0x03, 0xe8]);
                    let _ = stream.write_all(&closing).await;
                }
                let _ = stream.shutdown().await;
                return;
            }
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{accept_key, answer, is_greet};

    #[test]
    fn accept_key_is_rfc_6455s_example() {
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn the_answer_carries_the_greeting_frame_after_the_headers() {
        let head = b"GET /greet?tag=t HTTP/1.1\r\nHost: h\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        assert!(is_greet(head));
        let bytes = answer(head).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"));
        assert!(bytes.ends_with(b"\x81\x08greeting"));
        assert!(answer(b"GET /greet HTTP/1.1\r\n\r\n").is_none());
        let closing = b"GET /greet?tag=t&close=1008 HTTP/1.1\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        assert!(answer(closing)
            .unwrap()
            .ends_with(b"\x81\x08greeting\x88\x02\x03\xf0"));
        assert!(!is_greet(b"GET /?tag=greet HTTP/1.1\r\n\r\n"));
        assert!(!is_greet(b"GET /greeting HTTP/1.1\r\n\r\n"));
    }
}
