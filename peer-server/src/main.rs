//! `steadysocket-peer`: the WebSocket server of the steadysocket demo and tests.
//!
//! It binds to 127.0.0.1 only. Each module documents its endpoint; `admission`
//! has the limits every connection lives with.

mod admission;
mod chaos;
mod chat;
mod connection;
mod counts;
mod faults;
mod greet;
mod hang;
mod proxy;
mod received;
mod request_head;
mod stocks;
mod test_endpoint;

use axum::routing::get;
use axum::Router;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::services::ServeDir;

/// Command-line settings.
struct Args {
    port: u16,
    hang_port: u16,
    chaos_port: Option<u16>,
    www: Option<PathBuf>,
    pkg: Option<PathBuf>,
    /// The folder whose folders are served at `/their-name/`.
    examples: Option<PathBuf>,
    limits: admission::Limits,
}

const USAGE: &str =
    "usage: steadysocket-peer [--port N (default 9001)] [--hang-port N (default port+1)] \
[--chaos-port N (a fault-injecting proxy to this server there, see POST /chaos)] \
[--www DIR (serve the demo page)] [--pkg DIR (serve the npm package at /pkg)] \
[--examples DIR (serve each folder of DIR at /its-name/, as it is at each request: the built chat examples, which may be built after the server starts)] \
[--allow-origin ORIGIN (repeatable; its own and localhost origins are always allowed)] \
[--max-connections-per-address N (default 2000)] \
[--max-message-bytes N (default 8388608; a larger message closes with 1009)] \
[--chat-rate N (chat messages a second per connection, default 10; more closes with 1008)]";

fn parse_args() -> Result<Args, String> {
    let mut port = 9001u16;
    let mut limits = admission::Limits::default();
    let mut hang_port = None;
    let mut chaos_port = None;
    let (mut www, mut pkg, mut examples) = (None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value\n{USAGE}"));
        let number = |text: String| {
            text.parse::<u16>()
                .map_err(|_| format!("{flag} takes a port number from 0 to 65535, not {text:?}"))
        };
        let count = |text: String| {
            text.parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or(format!("{flag} takes a whole number above 0, not {text:?}"))
        };
        match flag.as_str() {
            "--port" => port = number(value()?)?,
            "--hang-port" => hang_port = Some(number(value()?)?),
            "--chaos-port" => chaos_port = Some(number(value()?)?).filter(|p| *p != 0),
            "--www" => www = Some(PathBuf::from(value()?)),
            "--pkg" => pkg = Some(PathBuf::from(value()?)),
            "--examples" => examples = Some(PathBuf::from(value()?)),
            "--allow-origin" => limits.allowed_origins.push(value()?),
            "--max-connections-per-address" => {
                limits.max_connections_per_address = count(value()?)?
            }
            "--max-message-bytes" => limits.max_message_bytes = count(value()?)?,
            "--chat-rate" => limits.chat_messages_per_second = count(value()?)? as f64,
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let hang_port = hang_port.unwrap_or(port.wrapping_add(1));
    Ok(Args {
        port,
        hang_port,
        chaos_port,
        www,
        pkg,
        examples,
        limits,
    })
}

/// What every handler shares.
#[derive(Clone)]
pub struct App {
    pub counts: Arc<counts::Counts>,
    pub stocks: Arc<stocks::Stocks>,
    pub chat: Arc<chat::Chat>,
    pub faults: Arc<faults::Faults>,
    pub received: Arc<received::Received>,
    pub limits: Arc<admission::Limits>,
    pub addresses: Arc<admission::Addresses>,
    /// The chaos proxy, with `--chaos-port`.
    pub chaos: Option<Arc<chaos::Chaos>>,
}

/// `?tag=T`, the query of the endpoints that report on a tag.
#[derive(serde::Deserialize)]
pub struct TagQuery {
    pub tag: String,
}

/// A JSON answer for tests, readable cross-origin and never cached.
pub fn readable_json(value: &impl serde::Serialize) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let body = serde_json::to_string(value).unwrap_or_default();
    let headers = [
        (header::CONTENT_TYPE, "application/json"),
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    (headers, body).into_response()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let mut app = App {
        counts: Arc::default(),
        stocks: stocks::Stocks::start(),
        chat: Arc::default(),
        faults: Arc::default(),
        received: Arc::default(),
        limits: Arc::new(args.limits.clone()),
        addresses: Arc::default(),
        chaos: None,
    };
    let mut router = Router::new()
        .route("/echo", get(test_endpoint::handle))
        .route("/stats", get(counts::handle))
        .route("/received", get(received::handle))
        .route("/stocks", get(stocks::handle))
        .route("/chat", get(chat::handle))
        .route("/fault", axum::routing::post(faults::handle))
        .route("/chaos", get(chaos::report).post(chaos::start));
    if let Some(pkg) = &args.pkg {
        router = router.nest_service("/pkg", ServeDir::new(pkg));
    }
    // A path is looked up in the examples' folder first, then in the demo's:
    // at each request, so examples built after the server started are served.
    router = match (&args.examples, &args.www) {
        (Some(examples), Some(www)) => {
            router.fallback_service(ServeDir::new(examples).fallback(ServeDir::new(www)))
        }
        (Some(examples), None) => router.fallback_service(ServeDir::new(examples)),
        (None, Some(www)) => router.fallback_service(ServeDir::new(www)),
        (None, None) => router,
    };

    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let hang_address = SocketAddr::from((Ipv4Addr::LOCALHOST, args.hang_port));
    let listener = bind(address).await;
    let hang_listener = bind(hang_address).await;
    // Port 0 asks the system for a free port: say the ones it gave.
    let (address, hang_address) = match (listener.local_addr(), hang_listener.local_addr()) {
        (Ok(address), Ok(hang_address)) => (address, hang_address),
        _ => (address, hang_address),
    };
    if let Some(port) = args.chaos_port {
        let chaos_address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        match chaos::Chaos::start(chaos_address, address).await {
            Ok(chaos) => app.chaos = Some(chaos),
            Err(error) => {
                eprintln!(
                    "steadysocket-peer: cannot start the chaos proxy on {chaos_address}: {error}"
                );
                std::process::exit(1);
            }
        }
        println!(
            "steadysocket-peer: chaos proxy on ws://{chaos_address}/ (POST /chaos starts faults)"
        );
    }
    let router = router.with_state(app.clone());
    tokio::spawn(hang::serve(hang_listener, app.counts.clone()));
    println!(
        "steadysocket-peer listening on http://{address} (never-answering handshakes on ws://{hang_address}/)"
    );
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let service = router.into_make_service_with_connect_info::<connection::Peer>();
    if let Err(error) = axum::serve(connection::Listener(listener), service)
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("steadysocket-peer: server error: {error}");
        std::process::exit(1);
    }
}

async fn bind(address: SocketAddr) -> tokio::net::TcpListener {
    match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("steadysocket-peer: cannot listen on {address}: {error}");
            std::process::exit(1);
        }
    }
}
