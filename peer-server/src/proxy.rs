//! The fault-injecting TCP proxy behind `--chaos-port`: every connection to
//! it is forwarded to the server, through the network fault (see
//! [`Network`]) that the run of its tag has set now, and can be reset (RST)
//! with that run's connections. A run reaches the connections whose `tag`
//! query parameter starts with the run's tag (the proxy reads it from the
//! request head), so runs side by side deal their faults to their own
//! clients only.
//!
//! Written here rather than taken from noxious (a Rust port of Toxiproxy):
//! noxious rebuilds every live link when a fault is added or removed and
//! discards the bytes its fault stages held at that moment, in the middle of
//! a connection that stays open. No real network does that to a TCP stream,
//! and it broke the very thing the soak checks (a client's acknowledged
//! stream lost messages the server later acknowledged past). Here a
//! connection either carries every byte, in order, or ends.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, watch};

/// The network between the clients and the server, for a run's connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network {
    /// Bytes pass as they come.
    Clear,
    /// Each chunk waits this long before it is passed on (a slow link).
    Latency(Duration),
    /// Bytes are passed on one at a time.
    Slicer,
    /// At most this many bytes a second (downstream and upstream alike).
    Bandwidth(u64),
    /// Nothing passes until the fault is lifted; the bytes wait in the
    /// senders' buffers (a connection that looks alive and carries nothing).
    Blackhole,
    /// Each connection passes at most this many more bytes, then ends (FIN).
    Cut(usize),
}

/// The network faults set now, by the tag of the run that set each.
type Faults = BTreeMap<String, Network>;

/// The fault that reaches a connection tagged `tag`: that of a run whose tag
/// begins it, or none.
fn network_for(faults: &Faults, tag: &str) -> Network {
    faults
        .iter()
        .find(|(run, _)| tag.starts_with(run.as_str()))
        .map_or(Network::Clear, |(_, network)| *network)
}

/// The proxy's controls.
pub struct Proxy {
    faults: watch::Sender<Faults>,
    /// The tags of the runs whose connections are to be reset.
    resets: broadcast::Sender<String>,
}

impl Proxy {
    /// Listens on `listen` and forwards to `upstream`.
    pub async fn start(listen: SocketAddr, upstream: SocketAddr) -> std::io::Result<Arc<Proxy>> {
        let listener = TcpListener::bind(listen).await?;
        let proxy = Arc::new(Proxy {
            faults: watch::channel(Faults::new()).0,
            resets: broadcast::channel(16).0,
        });
        let accepting = proxy.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let faults = accepting.faults.subscribe();
                let resets = accepting.resets.subscribe();
                tokio::spawn(forward(client, upstream, faults, resets));
            }
        });
        Ok(proxy)
    }

    /// Sets the network fault of the run `run` for its connections, live
    /// and new.
    pub fn set(&self, run: &str, network: Network) {
        self.faults.send_modify(|faults| {
            if network == Network::Clear {
                faults.remove(run);
            } else {
                faults.insert(run.to_owned(), network);
            }
        });
    }

    /// Resets (RST) the run `run`'s connections open now.
    pub fn reset(&self, run: &str) {
        let _ = self.resets.send(run.to_owned());
    }
}

/// One connection: its head read for its tag, then both directions until
/// either ends, or a reset of its run.
async fn forward(
    mut client: TcpStream,
    upstream: SocketAddr,
    faults: watch::Receiver<Faults>,
    resets: broadcast::Receiver<String>,
) {
    let Some(head) = crate::request_head::read_head(&mut client).await else {
        return;
    };
    let tag = crate::request_head::query_param(&head, "tag").unwrap_or_default();
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let reset = {
        let (client_read, client_write) = client.split();
        let (server_read, server_write) = server.split();
        let upstream = Link {
            tag: &tag,
            faults: faults.clone(),
        };
        let downstream = Link { tag: &tag, faults };
        tokio::select! {
            () = pump(client_read, server_write, upstream, head) => false,
            () = pump(server_read, client_write, downstream, Vec::new()) => false,
            () = reset_of(&tag, resets) => true,
        }
    };
    if reset {
        // A zero linger makes the close a reset (at once: nothing waits for unsent data).
        let _ = client.set_zero_linger();
    }
}

/// Ends when a run whose tag begins `tag` is reset (or resets were missed).
async fn reset_of(tag: &str, mut resets: broadcast::Receiver<String>) {
    loop {
        match resets.recv().await {
            Ok(run) if !tag.starts_with(run.as_str()) => {}
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
            _ => return,
        }
    }
}

/// One direction of a connection: its tag and the faults.
struct Link<'a> {
    tag: &'a str,
    faults: watch::Receiver<Faults>,
}

impl Link<'_> {
    /// The network fault for this connection now, marking the faults seen.
    fn network(&mut self) -> Network {
        network_for(&self.faults.borrow_and_update(), self.tag)
    }
}

/// Copies `from` to `to` through the network fault of the moment (`first`,
/// the bytes already read, before the rest), until `from` ends, a write
/// fails, or a cut ends the connection.
async fn pump(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    mut link: Link<'_>,
    mut first: Vec<u8>,
) {
    let mut buffer = vec![0u8; 16 * 1024];
    let mut cut_budget: Option<usize> = None;
    loop {
        while link.network() == Network::Blackhole {
            if link.faults.changed().await.is_err() {
                return;
            }
        }
        let chunk = if first.is_empty() {
            let read = tokio::select! {
                read = from.read(&mut buffer) => read,
                // A blackhole that starts while waiting holds the next read back.
                changed = link.faults.changed() => match changed {
                    Ok(()) => continue,
                    Err(_) => return,
                },
            };
            match read {
                Ok(0) | Err(_) => return,
                Ok(length) => &buffer[..length],
            }
        } else {
            first.as_slice()
        };
        let length = chunk.len();
        let fault = link.network();
        if let Network::Cut(after) = fault {
            let budget = cut_budget.get_or_insert(after);
            let passed = length.min(*budget);
            *budget -= passed;
            let _ = to.write_all(&chunk[..passed]).await;
            if *budget == 0 {
                return;
            }
            first.clear();
            continue;
        }
        cut_budget = None;
        let written = match fault {
            Network::Latency(delay) => {
                tokio::time::sleep(delay).await;
                to.write_all(chunk).await
            }
            Network::Slicer => slice(&mut to, chunk).await,
            Network::Bandwidth(rate) => {
                let written = to.write_all(chunk).await;
                let seconds = length as f64 / rate.max(1) as f64;
                tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
                written
            }
            Network::Clear | Network::Blackhole | Network::Cut(_) => to.write_all(chunk).await,
        };
        if written.is_err() {
            return;
        }
        first.clear();
    }
}

/// Writes `chunk` one byte at a time, each flushed.
async fn slice(to: &mut (impl AsyncWrite + Unpin), chunk: &[u8]) -> std::io::Result<()> {
    for byte in chunk {
        to.write_all(std::slice::from_ref(byte)).await?;
        to.flush().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A proxy in front of an echo server on loopback.
    async fn proxied_echo() -> (Arc<Proxy>, SocketAddr) {
        let echo = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let upstream = echo.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = echo.accept().await {
                tokio::spawn(async move {
                    let (mut read, mut write) = stream.split();
                    let _ = tokio::io::copy(&mut read, &mut write).await;
                });
            }
        });
        let port = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap()
            .local_addr()
            .unwrap();
        let proxy = Proxy::start(port, upstream).await.unwrap();
        (proxy, port)
    }

    /// A connection through the proxy tagged `tag`, its request head
    /// echoed back and read.
    async fn tagged(address: SocketAddr, tag: &str) -> TcpStream {
        let mut stream = TcpStream::connect(address).await.unwrap();
        let head = format!("GET /echo?record=1&tag={tag} HTTP/1.1\r\nHost: h\r\n\r\n");
        assert_eq!(
            round_trip(&mut stream, head.as_bytes()).await,
            head.as_bytes()
        );
        stream
    }

    async fn round_trip(stream: &mut TcpStream, bytes: &[u8]) -> Vec<u8> {
        stream.write_all(bytes).await.unwrap();
        let mut back = vec![0; bytes.len()];
        stream.read_exact(&mut back).await.unwrap();
        back
    }

    /// Whether `bytes` come back within 100 ms.
    async fn passes(stream: &mut TcpStream, bytes: &[u8]) -> bool {
        let back = tokio::time::timeout(Duration::from_millis(100), round_trip(stream, bytes));
        back.await.is_ok()
    }

    #[test]
    fn a_run_reaches_the_tags_it_begins() {
        let faults = Faults::from([("soak-1".to_owned(), Network::Slicer)]);
        assert_eq!(network_for(&faults, "soak-1-c0"), Network::Slicer);
        assert_eq!(network_for(&faults, "soak-1"), Network::Slicer);
        assert_eq!(network_for(&faults, "soak-2-c0"), Network::Clear);
        assert_eq!(network_for(&faults, ""), Network::Clear);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn every_byte_passes_in_order_through_every_fault_that_lets_it() {
        let (proxy, address) = proxied_echo().await;
        let mut stream = tagged(address, "run-c0").await;
        let data: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        for network in [
            Network::Clear,
            Network::Latency(Duration::from_millis(5)),
            Network::Slicer,
            Network::Bandwidth(200_000),
        ] {
            proxy.set("run", network);
            assert_eq!(round_trip(&mut stream, &data).await, data, "{network:?}");
        }
        // A blackhole holds the bytes back and passes them all when lifted.
        proxy.set("run", Network::Blackhole);
        stream.write_all(b"held").await.unwrap();
        let mut held = [0u8; 4];
        let early = tokio::time::timeout(Duration::from_millis(100), stream.read_exact(&mut held));
        assert!(early.await.is_err(), "nothing passes a blackhole");
        proxy.set("run", Network::Clear);
        stream.read_exact(&mut held).await.unwrap();
        assert_eq!(&held, b"held");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_cut_ends_the_connection_and_a_reset_resets_it() {
        let (proxy, address) = proxied_echo().await;
        let mut stream = tagged(address, "run-c0").await;
        proxy.set("run", Network::Cut(10));
        stream.write_all(&[7; 20]).await.unwrap();
        let mut back = Vec::new();
        let _ = stream.read_to_end(&mut back).await;
        assert!(
            back.len() <= 10,
            "at most the cut's bytes pass: {}",
            back.len()
        );
        proxy.set("run", Network::Clear);
        let mut stream = tagged(address, "run-c1").await;
        assert_eq!(round_trip(&mut stream, b"x").await, b"x");
        proxy.reset("run");
        let mut rest = Vec::new();
        let error = stream.read_to_end(&mut rest).await.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_run_s_faults_and_resets_do_not_reach_other_tags() {
        let (proxy, address) = proxied_echo().await;
        let mut ours = tagged(address, "a-c0").await;
        let mut theirs = tagged(address, "b-c0").await;
        proxy.set("a", Network::Blackhole);
        assert!(
            !passes(&mut ours, b"1").await,
            "the run's own connection is held"
        );
        assert!(passes(&mut theirs, b"2").await, "another tag's passes");
        // A connection made during the run is held as soon as its head is read.
        let mut late = TcpStream::connect(address).await.unwrap();
        assert!(!passes(&mut late, b"GET /?tag=a-c1 HTTP/1.1\r\n\r\n").await);
        proxy.set("a", Network::Clear);
        proxy.reset("b");
        let mut rest = Vec::new();
        let error = theirs.read_to_end(&mut rest).await.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset);
        let mut held = [0u8; 1];
        ours.read_exact(&mut held).await.unwrap();
        assert_eq!(&held, b"1", "held, then passed when lifted; not reset");
        assert!(passes(&mut ours, b"3").await);
    }
}
