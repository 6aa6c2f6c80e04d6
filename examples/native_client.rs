//! A driver of your own: steadysocket's sans-IO core over a blocking native
//! socket ([tungstenite]), outside any browser or JavaScript runtime (a
//! command-line tool, a bot, a desktop app's Rust side). The core decides
//! everything (when to connect, the backoff, the queue, which closes
//! reconnect); this file only carries its actions out and tells it what
//! happened, with the time since the client started. Plain `ws:` only (no
//! TLS), one thread. Its heartbeat, if the config has one, is the protocol's
//! own: the core's ping is [`Outgoing::Ping`], sent as a Ping frame, which
//! every server answers with a Pong (RFC 6455 §5.5.2) without any code of
//! its own; a browser's script has no way to send one.
//!
//! ```text
//! cargo run --example native_client -- ws://127.0.0.1:9001/echo
//! ```
//!
//! sends each line of standard input and prints what comes back and every
//! lifecycle notice. `tests/native_client.rs` runs it against the peer
//! server.

use std::collections::VecDeque;
use std::io::ErrorKind;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use steadysocket::core::machine::{Action, Config, Input, Machine, SendOutcome};
use steadysocket::core::payload::Payload;
use steadysocket::core::random::SplitMix64;
use steadysocket::core::validation::{websocket_url, CloseProblem};
use steadysocket::{CloseInfo, Heartbeat, Message, Notice};
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::CloseFrame;
use tungstenite::WebSocket;

/// What the client reports: a message from the server, or a notice of the core.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent {
    /// A text or binary message.
    Message(Message),
    /// Connecting, open, closed, reconnecting, dropped, ...
    Notice(Notice<Outgoing>),
}

/// What the core hands this driver to transmit: an application's message,
/// or the heartbeat's ping (the machine is generic over what it sends, so the
/// two cannot be mistaken for each other).
#[derive(Debug, Clone, PartialEq)]
pub enum Outgoing {
    /// A text or binary message.
    Message(Message),
    /// A Ping frame: the heartbeat's ping ([`Config::heartbeat`]), answered
    /// by the server's Pong.
    Ping,
}

impl Payload for Outgoing {
    fn size(&self) -> usize {
        match self {
            Outgoing::Message(message) => message.size(),
            Outgoing::Ping => 0,
        }
    }
}

/// A reconnecting client: the core's machine and the socket it asked for.
pub struct NativeClient {
    machine: Machine<SplitMix64, Outgoing>,
    socket: Option<WebSocket<TcpStream>>,
    url: String,
    connect_timeout: Duration,
    started: Instant,
    /// The close frame the server sent, until its connection has ended.
    peer_close: Option<CloseInfo>,
    events: VecDeque<ClientEvent>,
}

impl NativeClient {
    /// Starts connecting to `url` (`ws://host[:port]/path`) as `config` says.
    pub fn connect(url: &str, config: Config<Outgoing>) -> Result<NativeClient, String> {
        let url = websocket_url(url).map_err(|e| steadysocket::Error::from(e).to_string())?;
        if !url.starts_with("ws://") {
            return Err(format!("{url}: this example speaks plain ws: only"));
        }
        let started = Instant::now();
        // Jitter spreads a fleet only if each client draws its own delays.
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let seed = since_epoch.as_nanos() as u64 ^ (u64::from(std::process::id()) << 32);
        let mut client = NativeClient {
            connect_timeout: config.connect_timeout.unwrap_or(Duration::from_secs(10)),
            machine: Machine::new(config, SplitMix64::new(seed), Duration::ZERO),
            socket: None,
            url,
            started,
            peer_close: None,
            events: VecDeque::new(),
        };
        client.run_actions();
        Ok(client)
    }

    /// Sends `message` now if open, else queues it (or refuses it), as the core decides.
    pub fn send(&mut self, message: Message) -> SendOutcome<Outgoing> {
        let outcome = self.machine.send(Outgoing::Message(message));
        if let SendOutcome::Transmit(message) = &outcome {
            self.transmit(message.clone());
        }
        self.run_actions();
        outcome
    }

    /// Closes for good with `code` and `reason` (1000 or 3000–4999, at most 123 bytes).
    pub fn close(&mut self, code: u16, reason: &str) -> Result<(), CloseProblem> {
        self.machine.close(self.now(), code, reason)?;
        self.run_actions();
        Ok(())
    }

    /// The next event, waiting for it until `until`; `None` if none came by then.
    pub fn next_event(&mut self, until: Instant) -> Option<ClientEvent> {
        loop {
            if let Some(event) = self.events.pop_front() {
                return Some(event);
            }
            if Instant::now() >= until {
                return None;
            }
            self.wait(until);
            self.run_actions();
        }
    }

    fn now(&self) -> Duration {
        self.started.elapsed()
    }

    /// Waits for the socket or the core's next timer, whichever is first (at most until `until`).
    fn wait(&mut self, until: Instant) {
        let timer = self.machine.poll_timeout().map(|at| self.started + at);
        if timer.is_some_and(|timer| timer <= Instant::now()) {
            // Due timers first, so that a busy socket never starves them.
            return self.machine.handle_timeout(self.now());
        }
        let deadline = timer.map_or(until, |timer| timer.min(until));
        let wait = deadline.saturating_duration_since(Instant::now());
        let Some(socket) = &mut self.socket else {
            std::thread::sleep(wait);
            return self.machine.handle_timeout(self.now());
        };
        let wait = wait.max(Duration::from_millis(1));
        let _ = socket.get_mut().set_read_timeout(Some(wait));
        match socket.read() {
            Ok(tungstenite::Message::Text(text)) => {
                let text = Message::Text(text.as_str().to_owned());
                self.events.push_back(ClientEvent::Message(text));
            }
            Ok(tungstenite::Message::Binary(bytes)) => {
                let bytes = Message::Binary(bytes.to_vec());
                self.events.push_back(ClientEvent::Message(bytes));
            }
            Ok(tungstenite::Message::Close(frame)) => {
                // Answered by tungstenite; the connection ends at the next read.
                self.peer_close = Some(match frame {
                    Some(frame) => close_info(u16::from(frame.code), frame.reason.as_str(), true),
                    None => close_info(1005, "", true),
                });
            }
            Ok(tungstenite::Message::Pong(_)) => self.machine.handle(self.now(), Input::Pong),
            Ok(_) => {} // the server's pings are answered by tungstenite
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                self.machine.handle_timeout(self.now());
            }
            Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => {
                self.connection_ended();
            }
            Err(_) => {
                // Dropped without a close frame, or a protocol error.
                self.machine.handle(self.now(), Input::Error);
                self.connection_ended();
            }
        }
    }

    /// The connection (or the attempt) ended: as the server's close frame
    /// said, if one came, else as a drop (1006, not clean).
    fn connection_ended(&mut self) {
        self.socket = None;
        let close = self
            .peer_close
            .take()
            .unwrap_or(close_info(1006, "", false));
        self.machine.handle(self.now(), Input::Closed(close));
    }

    /// Carries out what the core asked for, until it asks for nothing more.
    fn run_actions(&mut self) {
        while let Some(action) = self.machine.poll_action() {
            match action {
                Action::Connect { .. } => self.open(),
                Action::Transmit(message) => self.transmit(message),
                Action::Close { code, reason } => {
                    if let Some(socket) = &mut self.socket {
                        let code = CloseCode::from(code);
                        let _ = socket.close(Some(CloseFrame {
                            code,
                            reason: reason.into(),
                        }));
                    }
                }
                Action::Abandon => {
                    // Dropping the stream closes the connection; its late events are gone with it.
                    self.socket = None;
                    self.peer_close = None;
                }
                Action::Notify(notice) => self.events.push_back(ClientEvent::Notice(notice)),
                // Writes block until the kernel takes them: nothing waits in a buffer of ours.
                Action::SampleBuffered => self
                    .machine
                    .handle(self.now(), Input::Buffered { bytes: 0 }),
                Action::Trace(_) => {}
            }
        }
    }

    /// Opens a connection (blocking, within the connect timeout) and tells the core how it went.
    fn open(&mut self) {
        match handshake(&self.url, self.connect_timeout) {
            Ok((socket, protocol)) => {
                self.socket = Some(socket);
                self.machine.handle(self.now(), Input::Opened { protocol });
            }
            Err(_) => {
                // As a platform WebSocket reports a failed handshake: an error, then 1006.
                self.machine.handle(self.now(), Input::Error);
                self.connection_ended();
            }
        }
    }

    fn transmit(&mut self, outgoing: Outgoing) {
        let Some(socket) = &mut self.socket else {
            return;
        };
        let message = match outgoing {
            Outgoing::Message(Message::Text(text)) => tungstenite::Message::text(text),
            Outgoing::Message(Message::Binary(bytes)) => tungstenite::Message::binary(bytes),
            Outgoing::Ping => tungstenite::Message::Ping(Default::default()),
        };
        // A failed write surfaces as the connection's end at the next read.
        let _ = socket.send(message);
    }
}

/// Connects to `url` over TCP and upgrades it, within `timeout`; the subprotocol the server chose.
fn handshake(
    url: &str,
    timeout: Duration,
) -> Result<(WebSocket<TcpStream>, Option<String>), String> {
    let authority = url["ws://".len()..]
        .split(['/', '?'])
        .next()
        .unwrap_or_default();
    let address = if authority.ends_with(']') || !authority.contains(':') {
        format!("{authority}:80")
    } else {
        authority.to_owned()
    };
    let address = address
        .to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or("no address")?;
    let stream = TcpStream::connect_timeout(&address, timeout).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    let (socket, response) = tungstenite::client(url, stream).map_err(|e| e.to_string())?;
    let protocol = response
        .headers()
        .get("sec-websocket-protocol")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    Ok((socket, protocol))
}

/// A close as the core takes it (the rules for codes and reasons are the core's).
fn close_info(code: u16, reason: &str, was_clean: bool) -> CloseInfo {
    CloseInfo::from_platform(f64::from(code), reason.to_owned(), was_clean)
}

fn main() {
    let url = std::env::args()
        .nth(1)
        .unwrap_or("ws://127.0.0.1:9001/echo".into());
    let config = Config {
        // A connection that stops answering is noticed within a minute and replaced.
        heartbeat: Some(Heartbeat {
            interval: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
            ping: Outgoing::Ping,
        }),
        ..Config::default()
    };
    let mut client = match NativeClient::connect(&url, config) {
        Ok(client) => client,
        Err(e) => return eprintln!("{e}"),
    };
    let (lines, typed) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    loop {
        while let Ok(line) = typed.try_recv() {
            let outcome = client.send(Message::Text(line.clone()));
            println!("send {line:?}: {outcome:?}");
        }
        if let Some(event) = client.next_event(Instant::now() + Duration::from_millis(50)) {
            println!("{event:?}");
        }
    }
}
