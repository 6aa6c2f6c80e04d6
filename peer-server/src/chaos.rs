//! Chaos on request, for soak tests: random faults through the proxy on
//! `--chaos-port` (see [`crate::proxy`]) and on the server's own connections.
//!
//! `POST /chaos?tag=T&seconds=S[&seed=N]` injects faults at random for `S`
//! seconds (at most 600): network faults in the proxy for every connection
//! through it (latency bursts, slicing into 1-byte chunks, a bandwidth limit,
//! a blackhole that passes nothing until it is lifted, a cut after a few
//! kilobytes, a TCP reset), and, for the connections whose tag starts with
//! `T`, a TCP drop without a close frame and a server close with 1012. Each
//! network fault holds for a random while, one at a time, with random gaps.
//! `GET /chaos?tag=T` answers `{"running":bool,"faults":{kind: count}}`.

use crate::admission::origin_allowed;
use crate::faults::Fault;
use crate::proxy::{Network, Proxy};
use crate::{readable_json, App, TagQuery};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const LONGEST_RUN: f64 = 600.0;

/// The kinds of fault, as they are counted.
const KINDS: [&str; 8] = [
    "latency",
    "slicer",
    "bandwidth",
    "blackhole",
    "cut",
    "reset",
    "drop",
    "restart",
];

/// One schedule's counts, by kind, and whether it still runs.
#[derive(Default, Clone, serde::Serialize)]
struct Run {
    running: bool,
    faults: BTreeMap<&'static str, u64>,
}

/// The proxy and the runs by tag.
pub struct Chaos {
    proxy: Arc<Proxy>,
    runs: Mutex<HashMap<String, Run>>,
}

impl Chaos {
    /// Starts the proxy on `listen`, forwarding to `upstream`.
    pub async fn start(listen: SocketAddr, upstream: SocketAddr) -> std::io::Result<Arc<Chaos>> {
        Ok(Arc::new(Chaos {
            proxy: Proxy::start(listen, upstream).await?,
            runs: Mutex::new(HashMap::new()),
        }))
    }

    fn count(&self, tag: &str, kind: &'static str, running: bool) {
        let mut runs = self.runs.lock().unwrap_or_else(|e| e.into_inner());
        let run = runs.entry(tag.to_owned()).or_default();
        run.running = running;
        if !kind.is_empty() {
            *run.faults.entry(kind).or_default() += 1;
        }
    }
}

/// A small deterministic random source for the schedule (SplitMix64).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `low..=high` milliseconds.
    fn millis(&mut self, low: u64, high: u64) -> Duration {
        Duration::from_millis(low + self.next() % (high - low + 1))
    }
}

/// The proxy's setting for a network fault; `None` for the other kinds.
fn network_of(kind: &str) -> Option<Network> {
    match kind {
        "latency" => Some(Network::Latency(Duration::from_millis(250))),
        "slicer" => Some(Network::Slicer),
        "bandwidth" => Some(Network::Bandwidth(4 * 1024)),
        "blackhole" => Some(Network::Blackhole),
        "cut" => Some(Network::Cut(4096)),
        _ => None,
    }
}

/// Runs random faults for `seconds`, counting them under `tag`.
async fn schedule(app: App, chaos: Arc<Chaos>, tag: String, seconds: f64, seed: u64) {
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let mut random = Random(seed);
    chaos.count(&tag, "", true);
    while Instant::now() < until {
        let kind = KINDS[(random.next() % KINDS.len() as u64) as usize];
        chaos.count(&tag, kind, true);
        match (kind, network_of(kind)) {
            (_, Some(network)) => {
                chaos.proxy.set(network);
                tokio::time::sleep(random.millis(500, 2500)).await;
                chaos.proxy.set(Network::Clear);
            }
            ("reset", _) => chaos.proxy.reset_all(),
            ("drop", _) => app.faults.apply_to_prefix(&tag, Fault::Drop),
            _ => app.faults.apply_to_prefix(
                &tag,
                Fault::Close {
                    code: 1012,
                    reason: "chaos restart".to_owned(),
                },
            ),
        }
        tokio::time::sleep(random.millis(200, 1200)).await;
    }
    chaos.count(&tag, "", false);
}

#[derive(Deserialize)]
pub struct ChaosQuery {
    tag: String,
    seconds: f64,
    seed: Option<u64>,
}

/// `POST /chaos?tag=T&seconds=S[&seed=N]`: see the module documentation.
/// Pages from origins that may not send faults (see [`crate::faults`]) may not start chaos either.
pub async fn start(
    State(app): State<App>,
    headers: HeaderMap,
    Query(query): Query<ChaosQuery>,
) -> Response {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if !origin_allowed(
        text(header::ORIGIN),
        text(header::HOST),
        &app.limits.allowed_origins,
    ) {
        return (
            StatusCode::FORBIDDEN,
            "this origin may not start chaos here",
        )
            .into_response();
    }
    let Some(chaos) = app.chaos.clone() else {
        return (StatusCode::NOT_FOUND, "this server runs no chaos proxy").into_response();
    };
    if !(query.seconds.is_finite() && query.seconds > 0.0 && query.seconds <= LONGEST_RUN) {
        return (
            StatusCode::BAD_REQUEST,
            "seconds must be above 0 and at most 600",
        )
            .into_response();
    }
    let seed = query.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |t| t.as_nanos() as u64)
    });
    chaos.count(&query.tag, "", true);
    tokio::spawn(schedule(app.clone(), chaos, query.tag, query.seconds, seed));
    readable_json(&serde_json::json!({ "seed": seed }))
}

/// `GET /chaos?tag=T`: whether the run still goes on, and its faults by kind.
pub async fn report(State(app): State<App>, Query(query): Query<TagQuery>) -> Response {
    let run = app.chaos.as_ref().and_then(|chaos| {
        let runs = chaos.runs.lock().unwrap_or_else(|e| e.into_inner());
        runs.get(&query.tag).cloned()
    });
    readable_json(&run.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_network_faults_set_the_proxy_and_the_others_do_not() {
        for kind in KINDS {
            let network = !matches!(kind, "reset" | "drop" | "restart");
            assert_eq!(network_of(kind).is_some(), network, "{kind}");
        }
    }

    #[test]
    fn random_delays_stay_in_their_range() {
        let mut random = Random(7);
        for _ in 0..1000 {
            let delay = random.millis(200, 1200);
            assert!((200..=1200).contains(&(delay.as_millis() as u64)));
        }
    }
}
