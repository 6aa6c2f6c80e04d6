//! The peer server as users run it: it refuses foreign origins, closes
//! oversized and too-fast senders, limits connections per address, keeps its
//! memory bounded with a client that never reads, and survives garbage.

use futures_util::{SinkExt, StreamExt};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server on ports the system picks (`--port 0`: no port can be
/// taken by another test between choosing and binding it) and reads the port
/// from the line it prints.
async fn start(extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_steadysocket-peer"))
        .args(["--port", "0", "--hang-port", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the peer server");
    let stdout = child.stdout.take().expect("the server's output");
    let port = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).ok()?;
        let after = line.split("http://127.0.0.1:").nth(1)?;
        after
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse::<u16>()
            .ok()
    })
    .await
    .unwrap()
    .expect("the server says where it listens");
    Server { child, port }
}

type Client = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

async fn connect(port: u16, path: &str, origin: Option<&str>) -> Result<Client, WsError> {
    let mut request = format!("ws://127.0.0.1:{port}{path}")
        .into_client_request()
        .unwrap();
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
    }
    tokio_tungstenite::connect_async(request)
        .await
        .map(|(client, _)| client)
}

fn refused_with(result: Result<Client, WsError>) -> u16 {
    match result {
        Err(WsError::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("expected an HTTP refusal, got {other}"),
        Ok(_) => panic!("expected a refusal, the handshake succeeded"),
    }
}

/// Reads until a close frame; returns its code.
async fn close_code(client: &mut Client) -> u16 {
    let deadline = Duration::from_secs(10);
    loop {
        match tokio::time::timeout(deadline, client.next())
            .await
            .expect("a close frame in time")
        {
            Some(Ok(Message::Close(Some(frame)))) => return u16::from(frame.code),
            Some(Ok(_)) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[tokio::test]
async fn foreign_origins_are_refused_and_listed_ones_allowed() {
    let server = start(&["--allow-origin", "https://app.example"]).await;
    assert_eq!(
        refused_with(connect(server.port, "/echo", Some("https://evil.example")).await),
        403
    );
    assert_eq!(
        refused_with(connect(server.port, "/chat", Some("http://localhost.evil.example")).await),
        403
    );
    for origin in [
        None,
        Some("http://localhost:3000"),
        Some("http://127.0.0.1:8080"),
        Some("https://app.example"),
    ] {
        connect(server.port, "/echo", origin)
            .await
            .unwrap_or_else(|e| panic!("{origin:?}: {e}"));
    }
}

#[tokio::test]
async fn oversized_messages_close_with_1009() {
    let server = start(&["--max-message-bytes", "1000"]).await;
    let mut client = connect(server.port, "/echo", None).await.unwrap();
    client.send(Message::text("x".repeat(1000))).await.unwrap();
    assert_eq!(
        client.next().await.unwrap().unwrap().len(),
        1000,
        "at the limit is fine"
    );
    client.send(Message::binary(vec![0u8; 1001])).await.unwrap();
    assert_eq!(close_code(&mut client).await, 1009);
}

#[tokio::test]
async fn a_chat_flood_closes_with_1008() {
    let server = start(&["--chat-rate", "5"]).await;
    let mut client = connect(server.port, "/chat?nickname=flood", None)
        .await
        .unwrap();
    for n in 0..30 {
        if client
            .send(Message::text(format!("spam {n}")))
            .await
            .is_err()
        {
            break;
        }
    }
    assert_eq!(close_code(&mut client).await, 1008);
}

#[tokio::test]
async fn connections_per_address_are_limited() {
    let server = start(&["--max-connections-per-address", "3"]).await;
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(connect(server.port, "/echo", None).await.unwrap());
    }
    assert_eq!(refused_with(connect(server.port, "/echo", None).await), 429);
    let mut first = open.remove(0);
    first.close(None).await.unwrap();
    while first.next().await.is_some() {}
    tokio::time::sleep(Duration::from_millis(200)).await;
    connect(server.port, "/echo", None)
        .await
        .expect("a slot is free again");
}

#[tokio::test]
async fn a_client_that_never_reads_cannot_grow_the_server() {
    let server = start(&["--chat-rate", "1000000"]).await;
    let pid = server.child.id();
    // Joins the chat and never reads a byte.
    let _stuck = connect(server.port, "/chat?nickname=stuck", None)
        .await
        .unwrap();
    let talker = connect(server.port, "/chat?nickname=talker", None)
        .await
        .unwrap();
    let (mut says, mut hears) = talker.split();
    // The talker reads every line back, so only the stuck client lags.
    let reader = tokio::spawn(async move {
        let mut lines = 0u32;
        while let Some(Ok(_)) = hears.next().await {
            lines += 1;
        }
        lines
    });
    let before = resident_kib(pid);
    let line = "y".repeat(1500);
    for _ in 0..20_000 {
        says.send(Message::text(line.clone())).await.unwrap();
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let growth_mib = (resident_kib(pid).saturating_sub(before)) / 1024;
    eprintln!("server resident memory grew by {growth_mib} MiB");
    // Buffering the ~30 MB the stuck client never read would show here.
    assert!(
        growth_mib < 8,
        "the server grew by {growth_mib} MiB for ~30 MB of chat"
    );
    says.close().await.unwrap();
    let heard = tokio::time::timeout(Duration::from_secs(10), reader)
        .await
        .unwrap()
        .unwrap();
    assert!(
        heard > 1000,
        "the talker kept hearing the room ({heard} lines)"
    );
}

#[tokio::test]
async fn garbage_does_not_bring_the_server_down() {
    let server = start(&[]).await;
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let key = "dGhlIHNhbXBsZSBub25jZQ==";
    let shapes: Vec<Vec<u8>> = vec![
        b"GET /echo HTTP/1.1\r\n\r\n".to_vec(),
        b"GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".to_vec(),
        format!("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\n\r\n\u{ff}\u{0}garbage frames").into_bytes(),
        b"GET /chat?nickname=%ff%fe HTTP/1.1\r\nHost: x\r\nSec-WebSocket-Key: nope\r\nSec-WebSocket-Version: 99\r\n\r\n".to_vec(),
        format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(70_000)).into_bytes(),
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03".to_vec(),
        b"POST /fault?tag=x&action=close&code=1005 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".to_vec(),
    ];
    for round in 0..300 {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port))
            .await
            .unwrap();
        let bytes: Vec<u8> = if round < shapes.len() * 10 {
            shapes[round % shapes.len()].clone()
        } else {
            (0..(random() % 4096)).map(|_| random() as u8).collect()
        };
        let _ = stream.write_all(&bytes).await;
        let mut reply = [0u8; 512];
        let _ = tokio::time::timeout(Duration::from_millis(20), stream.read(&mut reply)).await;
    }
    assert!(server.child.id() > 0);
    assert_still_echoes(server.port).await;
}

/// The status code of `POST path`, sent by a page from `origin` if given.
async fn post_status(port: u16, path: &str, origin: Option<&str>) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{origin}Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await.unwrap();
    let reply = String::from_utf8_lossy(&reply);
    reply
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn faults_are_refused_to_foreign_pages_and_bounded() {
    let server = start(&[]).await;
    let port = server.port;
    let restart = "/fault?tag=t&action=restart&seconds=0.2";
    assert_eq!(
        post_status(port, restart, Some("https://evil.example")).await,
        403
    );
    assert_eq!(
        post_status(port, restart, Some("http://localhost:8080")).await,
        204
    );
    let huge = "/fault?tag=u&action=away&seconds=1e300";
    assert_eq!(
        post_status(port, huge, None).await,
        204,
        "capped, not a panic"
    );
    assert_eq!(
        post_status(port, "/fault?tag=u&action=nope", None).await,
        400
    );
    assert_still_echoes(port).await;
}

/// The server still answers a new echo connection.
async fn assert_still_echoes(port: u16) {
    let mut client = connect(port, "/echo", None).await.expect("still serving");
    client.send(Message::text("alive")).await.unwrap();
    assert_eq!(
        client.next().await.unwrap().unwrap(),
        Message::text("alive")
    );
}

/// Sends `sent` messages and reads until the connection ends without a close
/// frame: the echoes that came (in order, a prefix) and the read error.
async fn end_after_echoes(port: u16, query: &str, sent: usize) -> (usize, WsError) {
    let mut client = connect(port, &format!("/echo?{query}"), None)
        .await
        .unwrap();
    for n in 0..sent {
        client.send(Message::text(n.to_string())).await.unwrap();
    }
    let mut echoes = 0;
    loop {
        let next = tokio::time::timeout(Duration::from_secs(10), client.next())
            .await
            .expect("the connection ends");
        match next {
            Some(Ok(echo)) => {
                assert_eq!(echo, Message::text(echoes.to_string()), "echoes in order");
                echoes += 1;
            }
            Some(Err(error)) => return (echoes, error),
            None => panic!("the stream ended without an error"),
        }
    }
}

#[tokio::test]
async fn reset_after_ends_the_stream_with_rst_and_drop_after_with_fin() {
    let server = start(&[]).await;
    // A reset may also discard echoes the client had not read yet.
    let (echoes, reset) = end_after_echoes(server.port, "reset_after=3", 5).await;
    assert!(echoes <= 3, "{echoes} echoes");
    assert!(
        matches!(&reset, WsError::Io(e) if e.kind() == std::io::ErrorKind::ConnectionReset),
        "reset_after: {reset:?}"
    );
    let (echoes, dropped) = end_after_echoes(server.port, "drop_after=3", 5).await;
    assert_eq!(echoes, 3);
    assert!(
        matches!(
            &dropped,
            WsError::Protocol(
                tokio_tungstenite::tungstenite::error::ProtocolError::ResetWithoutClosingHandshake
            )
        ),
        "drop_after: {dropped:?}"
    );
}
