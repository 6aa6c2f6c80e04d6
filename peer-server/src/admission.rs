//! Who may open a WebSocket here: an origin allowlist, a limit of connections
//! per client address, and tags the fault endpoint sent away. Plus the limits
//! every connection lives with: message size and, for chat, message rate.

use crate::App;
use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The limits the server enforces; see `--help` for the flags that set them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Origins allowed besides the server's own and localhost ones.
    pub allowed_origins: Vec<String>,
    /// Open WebSocket connections one client address may hold.
    pub max_connections_per_address: usize,
    /// The largest message accepted, in bytes; larger ones close the connection with 1009.
    pub max_message_bytes: usize,
    /// Chat messages a connection may send per second (burst: twice that); more closes with 1008.
    pub chat_messages_per_second: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            allowed_origins: Vec::new(),
            max_connections_per_address: 2_000,
            max_message_bytes: 8 * 1024 * 1024,
            chat_messages_per_second: 10.0,
        }
    }
}

/// Whether a browser page from `origin` may connect to a server reached as `host`:
/// no Origin (not a browser), the server's own origin, a localhost origin, or
/// one of `allowed` (exact, like `https://example.com`).
pub fn origin_allowed(origin: Option<&str>, host: Option<&str>, allowed: &[String]) -> bool {
    let Some(origin) = origin else { return true };
    if allowed.iter().any(|a| a == origin) {
        return true;
    }
    let Some((_, authority)) = origin.split_once("://") else {
        return false;
    };
    if host.is_some_and(|host| host.eq_ignore_ascii_case(authority)) {
        return true;
    }
    let hostname = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    matches!(
        hostname.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    )
}

/// Open connections per client address.
#[derive(Default)]
pub struct Addresses {
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection counted against its address; dropping it releases the slot.
pub struct AddressSlot {
    addresses: Arc<Addresses>,
    address: IpAddr,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self
            .addresses
            .open
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

impl Addresses {
    fn take(self: &Arc<Self>, address: IpAddr, limit: usize) -> Option<AddressSlot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(address).or_insert(0);
        if *count >= limit {
            return None;
        }
        *count += 1;
        Some(AddressSlot {
            addresses: self.clone(),
            address,
        })
    }
}

/// Why a handshake was not let in: the HTTP status and a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal(pub StatusCode, pub &'static str);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.0, self.1).into_response()
    }
}

/// Lets a handshake in, or refuses it: 403 for a foreign origin, 503 for a
/// tag that is away, 429 for an address at its connection limit. The upgrade
/// comes back with the message size bounded (messages between the limit and
/// twice the limit are read, so the handler can close with 1009).
fn admit(
    app: &App,
    headers: &HeaderMap,
    address: IpAddr,
    tag: &str,
    upgrade: WebSocketUpgrade,
) -> Result<(AddressSlot, WebSocketUpgrade), Refusal> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let limits = &app.limits;
    if !origin_allowed(
        text(header::ORIGIN),
        text(header::HOST),
        &limits.allowed_origins,
    ) {
        return Err(Refusal(
            StatusCode::FORBIDDEN,
            "this origin may not connect here",
        ));
    }
    if app.faults.is_away(tag) {
        return Err(Refusal(StatusCode::SERVICE_UNAVAILABLE, "away for a while"));
    }
    let slot = app
        .addresses
        .take(address, limits.max_connections_per_address)
        .ok_or(Refusal(
            StatusCode::TOO_MANY_REQUESTS,
            "too many connections from this address",
        ))?;
    Ok((
        slot,
        upgrade.max_message_size(limits.max_message_bytes.saturating_mul(2)),
    ))
}

/// The payload size of a data message (0 for control messages).
pub fn payload_len(message: &axum::extract::ws::Message) -> usize {
    use axum::extract::ws::Message;
    match message {
        Message::Text(text) => text.len(),
        Message::Binary(bytes) => bytes.len(),
        _ => 0,
    }
}

/// The close reason for a message over the limit.
pub fn too_big_reason(limit: usize) -> String {
    format!("message too big: at most {limit} bytes")
}

/// A token bucket: `per_second` tokens a second, at most twice that saved up.
pub struct RateLimit {
    per_second: f64,
    tokens: f64,
    last: Instant,
}

impl RateLimit {
    pub fn new(per_second: f64) -> Self {
        RateLimit {
            per_second,
            tokens: per_second * 2.0,
            last: Instant::now(),
        }
    }

    /// The sustained rate.
    pub fn per_second(&self) -> f64 {
        self.per_second
    }

    /// Takes a token if there is one.
    pub fn allow(&mut self, now: Instant) -> bool {
        let earned = now.saturating_duration_since(self.last).as_secs_f64() * self.per_second;
        self.tokens = (self.tokens + earned).min(self.per_second * 2.0);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Lets a handshake in as [`admit`] does and, once upgraded, runs `serve`
/// with the socket, the app and `tag` while the connection holds its
/// address slot and counts as open under `tag`; a refusal is the response
/// otherwise.
pub fn serve_admitted<Serve, Served>(
    app: App,
    headers: &HeaderMap,
    address: IpAddr,
    tag: String,
    upgrade: WebSocketUpgrade,
    serve: Serve,
) -> Response
where
    Serve: FnOnce(WebSocket, App, String) -> Served + Send + 'static,
    Served: Future<Output = ()> + Send,
{
    let (slot, upgrade) = match admit(&app, headers, address, &tag, upgrade) {
        Ok(admitted) => admitted,
        Err(refusal) => return refusal.into_response(),
    };
    upgrade.on_upgrade(move |socket| async move {
        let _slot = slot;
        let _open = app.counts.open(&tag);
        serve(socket, app.clone(), tag.clone()).await;
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn origins() {
        let allowed = vec!["https://app.example".to_owned()];
        let ok = |origin: Option<&str>, host: Option<&str>| origin_allowed(origin, host, &allowed);
        assert!(ok(None, Some("127.0.0.1:8080")), "no Origin: not a browser");
        assert!(
            ok(Some("http://127.0.0.1:8080"), Some("127.0.0.1:8080")),
            "same origin"
        );
        assert!(ok(Some("http://localhost:3000"), Some("example.org")));
        assert!(ok(Some("http://[::1]:3000"), Some("example.org")));
        assert!(ok(Some("http://LOCALHOST"), Some("x")));
        assert!(
            ok(Some("https://app.example"), Some("api.example")),
            "allowlisted"
        );
        assert!(!ok(Some("https://evil.example"), Some("127.0.0.1:8080")));
        assert!(!ok(Some("http://localhost.evil.example"), Some("x")));
        assert!(!ok(Some("null"), Some("x")));
    }

    #[test]
    fn address_slots_are_limited_and_released() {
        let addresses = Arc::new(Addresses::default());
        let address: IpAddr = "127.0.0.1".parse().unwrap();
        let first = addresses.take(address, 2).unwrap();
        let _second = addresses.take(address, 2).unwrap();
        assert!(addresses.take(address, 2).is_none());
        drop(first);
        assert!(addresses.take(address, 2).is_some());
    }

    #[test]
    fn rate_limit_allows_bursts_then_the_rate() {
        let start = Instant::now();
        let mut limit = RateLimit {
            per_second: 10.0,
            tokens: 20.0,
            last: start,
        };
        assert_eq!(
            (0..25).filter(|_| limit.allow(start)).count(),
            20,
            "burst of twice the rate"
        );
        assert!(!limit.allow(start));
        assert!(
            limit.allow(start + Duration::from_millis(100)),
            "one token per 100 ms"
        );
        assert!(!limit.allow(start + Duration::from_millis(100)));
    }
}
