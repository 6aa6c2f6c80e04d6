//! `GET /stocks`: JSON prices for four symbols, pushed every second (a random walk).
//!
//! Each message: `{"type":"prices","time":<unix ms>,"prices":{"APPLE":187.12,...}}`.
//! A new subscriber gets the latest prices at once.

use crate::admission::{payload_len, serve_admitted, too_big_reason};
use crate::connection::Peer;
use crate::faults::{carry_out, close_with, FaultWatch};
use crate::App;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::broadcast;

/// The symbols and their opening prices.
const SYMBOLS: [(&str, f64); 4] = [
    ("APPLE", 190.0),
    ("ALPHABET", 140.0),
    ("AMAZON", 180.0),
    ("MICROSOFT", 420.0),
];

/// The price feed shared by all subscribers.
pub struct Stocks {
    updates: broadcast::Sender<Arc<str>>,
    latest: Mutex<Arc<str>>,
}

impl Stocks {
    /// Starts the feed's ticker task.
    pub fn start() -> Arc<Stocks> {
        let mut walk = RandomWalk::new(seed_from_clock());
        let stocks = Arc::new(Stocks {
            updates: broadcast::channel(16).0,
            latest: Mutex::new(walk.snapshot()),
        });
        let feed = stocks.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                walk.step();
                let message = walk.snapshot();
                *feed.latest.lock().unwrap_or_else(|e| e.into_inner()) = message.clone();
                let _ = feed.updates.send(message);
            }
        });
        stocks
    }
}

fn seed_from_clock() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos | 1
}

/// Prices moving by up to ±1% a step, from a xorshift generator.
struct RandomWalk {
    state: u64,
    prices: [f64; 4],
}

impl RandomWalk {
    fn new(seed: u64) -> Self {
        RandomWalk {
            state: seed.max(1),
            prices: SYMBOLS.map(|(_, price)| price),
        }
    }

    /// A uniform number in [0, 1).
    fn next_unit(&mut self) -> f64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        (self.state >> 11) as f64 / (1u64 << 53) as f64
    }

    fn step(&mut self) {
        for index in 0..self.prices.len() {
            let change = (self.next_unit() - 0.5) * 0.02;
            let price = self.prices[index] * (1.0 + change);
            self.prices[index] = (price.max(1.0) * 100.0).round() / 100.0;
        }
    }

    fn snapshot(&self) -> Arc<str> {
        let time = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let prices: serde_json::Map<String, serde_json::Value> = SYMBOLS
            .iter()
            .zip(self.prices)
            .map(|((symbol, _), price)| ((*symbol).to_owned(), price.into()))
            .collect();
        serde_json::json!({ "type": "prices", "time": time, "prices": prices })
            .to_string()
            .into()
    }
}

#[derive(Deserialize)]
pub struct StocksQuery {
    tag: Option<String>,
}

pub async fn handle(
    upgrade: WebSocketUpgrade,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<Peer>,
    Query(query): Query<StocksQuery>,
    State(app): State<App>,
) -> Response {
    let tag = query.tag.unwrap_or_else(|| "stocks".to_owned());
    let serve = |socket, app: App, tag: String| async move {
        let limit = app.limits.max_message_bytes;
        subscribe(socket, &app.stocks, app.faults.watch(&tag), limit).await;
    };
    serve_admitted(app, &headers, peer.address.ip(), tag, upgrade, serve)
}

async fn subscribe(mut socket: WebSocket, stocks: &Stocks, mut faults: FaultWatch, limit: usize) {
    let mut updates = stocks.updates.subscribe();
    let first = stocks
        .latest
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if socket
        .send(Message::Text(first.as_ref().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            fault = faults.next() => return carry_out(socket, fault).await,
            update = updates.recv() => match update {
                Ok(message) => {
                    if socket.send(Message::Text(message.as_ref().into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            received = socket.recv() => match received {
                Some(Ok(message)) if payload_len(&message) > limit => {
                    return close_with(socket, 1009, &too_big_reason(limit)).await;
                }
                Some(Ok(_)) => continue,
                None | Some(Err(_)) => return,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_moves_prices_by_at_most_one_percent() {
        let mut walk = RandomWalk::new(42);
        for _ in 0..1000 {
            let before = walk.prices;
            walk.step();
            for (old, new) in before.iter().zip(walk.prices) {
                assert!((new - old).abs() <= old * 0.0101 + 0.01, "{old} -> {new}");
            }
        }
    }

    #[test]
    fn snapshot_names_all_four_symbols() {
        let snapshot: serde_json::Value =
            serde_json::from_str(&RandomWalk::new(7).snapshot()).unwrap();
        for (symbol, _) in SYMBOLS {
            assert!(snapshot["prices"][symbol].is_number(), "{symbol}");
        }
        assert_eq!(snapshot["type"], "prices");
    }
}
