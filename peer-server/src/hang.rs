//! A listener that accepts TCP connections, reads the handshake and never
//! answers, but for `/greet` (see [`crate::greet`]), which it answers with a
//! first message in the same write.
//!
//! The request's `tag` query parameter (default `hang`) counts the connection
//! as open until the client goes away, so tests can see that an abandoned
//! attempt really closed its TCP connection.

use crate::counts::Counts;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};

/// How long a never-answered connection is held at most.
const HOLD_AT_MOST: Duration = Duration::from_secs(600);

pub async fn serve(listener: TcpListener, counts: Arc<Counts>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(hold(stream, counts.clone()));
    }
}

async fn hold(mut stream: TcpStream, counts: Arc<Counts>) {
    let work = async {
        let Some(head) = crate::request_head::read_head(&mut stream).await else {
            return;
        };
        // Counted open until the connection ends.
        let _open = counts.open(&tag_of(&head));
        if crate::greet::is_greet(&head) {
            crate::greet::greet(&mut stream, &head).await;
            return;
        }
        let mut buffer = [0u8; 1024];
        while matches!(stream.read(&mut buffer).await, Ok(1..)) {}
    };
    let _ = tokio::time::timeout(HOLD_AT_MOST, work).await;
}

/// The `tag` query parameter of the request line in `head`, or `hang`.
fn tag_of(head: &[u8]) -> String {
    crate::request_head::query_param(head, "tag").unwrap_or_else(|| "hang".to_owned())
}

#[cfg(test)]
mod tests {
    use super::tag_of;

    #[test]
    fn tag_comes_from_the_request_line() {
        assert_eq!(
            tag_of(b"GET /x?a=1&tag=t7 HTTP/1.1\r\nHost: h\r\n\r\n"),
            "t7"
        );
        assert_eq!(tag_of(b"GET / HTTP/1.1\r\n\r\n"), "hang");
        assert_eq!(tag_of(b""), "hang");
    }
}
