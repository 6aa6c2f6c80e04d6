//! Chaos on request, for soak tests: faults dealt at random through the proxy
//! on `--chaos-port` (see [`crate::proxy`]) and on the server's own
//! connections.
//!
//! The kinds, each for the connections whose tag starts with `T` (runs side
//! by side do not reach each other's clients): network faults in the proxy
//! (latency bursts, slicing into 1-byte chunks, a bandwidth limit, a
//! blackhole that passes nothing until it is lifted, a cut after a few
//! hundred bytes, a TCP reset), and, on the server's own connections, a TCP
//! drop without a close frame and a server close with 1012.
//! Faults are dealt in rounds, one at a time with random gaps: a round is
//! every kind once, in a random order, so a run of one round exercises them
//! all. A network fault holds for a random while.
//!
//! `POST /chaos?tag=T&rounds=R[&seed=N]` deals `R` whole rounds (at most
//! 40); `POST /chaos?tag=T&seconds=S[&seed=N]` deals rounds until `S`
//! seconds have passed (at most 600), the last one cut short. `GET
//! /chaos?tag=T` answers `{"running":bool,"faults":{kind: count}}`, every
//! kind named from the start.

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

/// The longest run `seconds` may ask for.
const LONGEST_RUN: f64 = 600.0;
/// The most rounds a run may ask for (a round takes at most about 15 s).
const MOST_ROUNDS: u32 = 40;

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

    /// Starts the run `tag` afresh: running, every kind at 0.
    fn begin(&self, tag: &str) {
        let mut runs = self.runs.lock().unwrap_or_else(|e| e.into_inner());
        runs.insert(
            tag.to_owned(),
            Run {
                running: true,
                faults: KINDS.iter().map(|kind| (*kind, 0)).collect(),
            },
        );
    }

    /// Counts one fault of `kind` in the run `tag`.
    fn count(&self, tag: &str, kind: &'static str) {
        let mut runs = self.runs.lock().unwrap_or_else(|e| e.into_inner());
        *runs
            .entry(tag.to_owned())
            .or_default()
            .faults
            .entry(kind)
            .or_default() += 1;
    }

    /// Marks the run `tag` as over.
    fn end(&self, tag: &str) {
        let mut runs = self.runs.lock().unwrap_or_else(|e| e.into_inner());
        runs.entry(tag.to_owned()).or_default().running = false;
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

    /// Uniform in `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    /// Uniform in `low..=high` milliseconds.
    fn millis(&mut self, low: u64, high: u64) -> Duration {
        Duration::from_millis(self.between(low, high))
    }

    /// Every kind once, in a random order (Fisher-Yates).
    fn round(&mut self) -> [&'static str; KINDS.len()] {
        let mut round = KINDS;
        for i in (1..round.len()).rev() {
            round.swap(i, self.between(0, i as u64) as usize);
        }
        round
    }
}

/// The proxy's setting for a network fault and how long it holds; `None`
/// for the other kinds. A cut comes after 16–256 bytes, within a frame as
/// often as not (a soak's small messages pass a few hundred bytes a second
/// on a connection). A blackhole holds 1–3 s: about half the time long
/// enough for a heartbeat of 0.5 s and a 1 s timeout to find the link dead,
/// otherwise a stall that passes.
fn network_of(kind: &str, random: &mut Random) -> Option<(Network, Duration)> {
    let network = match kind {
        "latency" => Network::Latency(Duration::from_millis(250)),
        "slicer" => Network::Slicer,
        "bandwidth" => Network::Bandwidth(4 * 1024),
        "blackhole" => return Some((Network::Blackhole, random.millis(1000, 3000))),
        "cut" => Network::Cut(random.between(16, 256) as usize),
        _ => return None,
    };
    Some((network, random.millis(300, 1500)))
}

/// How long a run goes on.
#[derive(Debug, Clone, Copy)]
enum Length {
    /// This many whole rounds.
    Rounds(u32),
    /// Until this instant, the round in progress cut short.
    Until(Instant),
}

/// Deals faults in rounds for `length`, counting them under `tag`.
async fn schedule(app: App, chaos: Arc<Chaos>, tag: String, length: Length, seed: u64) {
    let mut random = Random(seed);
    let mut rounds = 0;
    'rounds: loop {
        match length {
            Length::Rounds(all) if rounds == all => break,
            _ => rounds += 1,
        }
        for kind in random.round() {
            if matches!(length, Length::Until(until) if Instant::now() >= until) {
                break 'rounds;
            }
            chaos.count(&tag, kind);
            inject(&app, &chaos, &tag, kind, &mut random).await;
            tokio::time::sleep(random.millis(200, 800)).await;
        }
    }
    chaos.end(&tag);
}

/// Injects one fault of `kind`, holding a network fault for its while.
async fn inject(app: &App, chaos: &Chaos, tag: &str, kind: &str, random: &mut Random) {
    match (kind, network_of(kind, random)) {
        (_, Some((network, hold))) => {
            chaos.proxy.set(tag, network);
            tokio::time::sleep(hold).await;
            chaos.proxy.set(tag, Network::Clear);
        }
        ("reset", _) => chaos.proxy.reset(tag),
        ("drop", _) => app.faults.apply_to_prefix(tag, Fault::Drop),
        _ => app.faults.apply_to_prefix(
            tag,
            Fault::Close {
                code: 1012,
                reason: "chaos restart".to_owned(),
            },
        ),
    }
}

#[derive(Deserialize)]
pub struct ChaosQuery {
    tag: String,
    seconds: Option<f64>,
    rounds: Option<u32>,
    seed: Option<u64>,
}

impl ChaosQuery {
    /// The run's length, or what is wrong with the query.
    fn length(&self) -> Result<Length, String> {
        let rounds_allowed = format!("rounds from 1 to {MOST_ROUNDS}");
        let seconds_allowed = format!("seconds above 0 and at most {LONGEST_RUN}");
        match (self.rounds, self.seconds) {
            (Some(rounds), None) if (1..=MOST_ROUNDS).contains(&rounds) => {
                Ok(Length::Rounds(rounds))
            }
            (None, Some(seconds))
                if seconds.is_finite() && seconds > 0.0 && seconds <= LONGEST_RUN =>
            {
                Ok(Length::Until(
                    Instant::now() + Duration::from_secs_f64(seconds),
                ))
            }
            (Some(_), None) => Err(format!("{rounds_allowed} may be asked for")),
            (None, Some(_)) => Err(format!("{seconds_allowed} may be asked for")),
            _ => Err(format!("give one of {rounds_allowed} or {seconds_allowed}")),
        }
    }
}

/// `POST /chaos?tag=T&rounds=R|seconds=S[&seed=N]`: see the module
/// documentation.
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
    let length = match query.length() {
        Ok(length) => length,
        Err(wrong) => return (StatusCode::BAD_REQUEST, wrong).into_response(),
    };
    let seed = query.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |t| t.as_nanos() as u64)
    });
    chaos.begin(&query.tag);
    tokio::spawn(schedule(app.clone(), chaos, query.tag, length, seed));
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
        let mut random = Random(3);
        for kind in KINDS {
            let network = !matches!(kind, "reset" | "drop" | "restart");
            assert_eq!(network_of(kind, &mut random).is_some(), network, "{kind}");
        }
    }

    #[test]
    fn holds_and_cuts_stay_in_their_ranges() {
        let mut random = Random(7);
        for _ in 0..1000 {
            let (_, blackhole) = network_of("blackhole", &mut random).unwrap();
            assert!((1000..=3000).contains(&blackhole.as_millis()));
            let (Network::Cut(after), hold) = network_of("cut", &mut random).unwrap() else {
                panic!("a cut is a cut");
            };
            assert!((16..=256).contains(&after));
            assert!((300..=1500).contains(&hold.as_millis()));
        }
    }

    #[test]
    fn every_round_deals_every_kind_once_in_orders_that_vary() {
        let mut random = Random(11);
        let mut orders = std::collections::HashSet::new();
        for _ in 0..200 {
            let round = random.round();
            let mut sorted = round;
            sorted.sort_unstable();
            let mut kinds = KINDS;
            kinds.sort_unstable();
            assert_eq!(sorted, kinds);
            orders.insert(round);
        }
        assert!(orders.len() > 150, "{} orders in 200 rounds", orders.len());
    }

    #[test]
    fn a_run_is_rounds_or_seconds_within_their_limits() {
        let query = |rounds, seconds| ChaosQuery {
            tag: "t".to_owned(),
            rounds,
            seconds,
            seed: None,
        };
        assert!(matches!(
            query(Some(1), None).length(),
            Ok(Length::Rounds(1))
        ));
        assert!(matches!(
            query(Some(40), None).length(),
            Ok(Length::Rounds(40))
        ));
        assert!(matches!(
            query(None, Some(600.0)).length(),
            Ok(Length::Until(_))
        ));
        for (rounds, seconds) in [
            (Some(0), None),
            (Some(41), None),
            (None, Some(0.0)),
            (None, Some(600.5)),
            (None, Some(f64::NAN)),
            (None, None),
            (Some(1), Some(1.0)),
        ] {
            let wrong = query(rounds, seconds).length().unwrap_err();
            assert!(
                wrong.contains("rounds from 1 to 40") || wrong.contains("seconds above 0"),
                "{wrong}"
            );
        }
    }
}
