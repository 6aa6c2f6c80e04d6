//! The fault-injecting TCP proxy behind `--chaos-port`: every connection to
//! it is forwarded to the server, through whatever network fault is set now
//! (see [`Network`]), and can be reset (RST) on request.
//!
//! Written here rather than taken from noxious (a Rust port of Toxiproxy):
//! noxious rebuilds every live link when a fault is added or removed and
//! discards the bytes its fault stages held at that moment, in the middle of
//! a connection that stays open. No real network does that to a TCP stream,
//! and it broke the very thing the soak checks (a client's acknowledged
//! stream lost messages the server later acknowledged past). Here a
//! connection either carries every byte, in order, or ends.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, watch};

/// The network between the clients and the server, for every connection.
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

/// The proxy's controls.
pub struct Proxy {
    network: watch::Sender<Network>,
    resets: broadcast::Sender<()>,
}

impl Proxy {
    /// Listens on `listen` and forwards to `upstream`.
    pub async fn start(listen: SocketAddr, upstream: SocketAddr) -> std::io::Result<Arc<Proxy>> {
        let listener = TcpListener::bind(listen).await?;
        let proxy = Arc::new(Proxy {
            network: watch::channel(Network::Clear).0,
            resets: broadcast::channel(16).0,
        });
        let accepting = proxy.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let network = accepting.network.subscribe();
                let resets = accepting.resets.subscribe();
                tokio::spawn(forward(client, upstream, network, resets));
            }
        });
        Ok(proxy)
    }

    /// Sets the network fault for every connection, live and new.
    pub fn set(&self, network: Network) {
        self.network.send_replace(network);
    }

    /// Resets (RST) every connection open now.
    pub fn reset_all(&self) {
        let _ = self.resets.send(());
    }
}

/// One connection: both directions until either ends, or a reset.
async fn forward(
    mut client: TcpStream,
    upstream: SocketAddr,
    network: watch::Receiver<Network>,
    mut resets: broadcast::Receiver<()>,
) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let reset = {
        let (client_read, client_write) = client.split();
        let (server_read, server_write) = server.split();
        tokio::select! {
            () = pump(client_read, server_write, network.clone()) => false,
            () = pump(server_read, client_write, network) => false,
            _ = resets.recv() => true,
        }
    };
    if reset {
        // A zero linger makes the close a reset (at once: nothing waits for unsent data).
        let _ = client.set_zero_linger();
    }
}

/// Copies `from` to `to` through the network fault of the moment, until
/// `from` ends, a write fails, or a cut ends the connection.
async fn pump(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    mut network: watch::Receiver<Network>,
) {
    let mut buffer = vec![0u8; 16 * 1024];
    let mut cut_budget: Option<usize> = None;
    loop {
        while *network.borrow_and_update() == Network::Blackhole {
            if network.changed().await.is_err() {
                return;
            }
        }
        let read = tokio::select! {
            read = from.read(&mut buffer) => read,
            // A blackhole that starts while waiting holds the next read back.
            changed = network.changed() => match changed {
                Ok(()) => continue,
                Err(_) => return,
            },
        };
        let length = match read {
            Ok(0) | Err(_) => return,
            Ok(length) => length,
        };
        let chunk = &buffer[..length];
        let fault = *network.borrow();
        if let Network::Cut(after) = fault {
            let budget = cut_budget.get_or_insert(after);
            let passed = length.min(*budget);
            *budget -= passed;
            let _ = to.write_all(&chunk[..passed]).await;
            if *budget == 0 {
                return;
            }
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

    async fn round_trip(stream: &mut TcpStream, bytes: &[u8]) -> Vec<u8> {
        stream.write_all(bytes).await.unwrap();
        let mut back = vec![0; bytes.len()];
        stream.read_exact(&mut back).await.unwrap();
        back
    }

    #[tokio::test(flavor = "current_thread")]
    async fn every_byte_passes_in_order_through_every_fault_that_lets_it() {
        let (proxy, address) = proxied_echo().await;
        let mut stream = TcpStream::connect(address).await.unwrap();
        let data: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        for network in [
            Network::Clear,
            Network::Latency(Duration::from_millis(5)),
            Network::Slicer,
            Network::Bandwidth(200_000),
        ] {
            proxy.set(network);
            assert_eq!(round_trip(&mut stream, &data).await, data, "{network:?}");
        }
        // A blackhole holds the bytes back and passes them all when lifted.
        proxy.set(Network::Blackhole);
        stream.write_all(b"held").await.unwrap();
        let mut held = [0u8; 4];
        let early = tokio::time::timeout(Duration::from_millis(100), stream.read_exact(&mut held));
        assert!(early.await.is_err(), "nothing passes a blackhole");
        proxy.set(Network::Clear);
        stream.read_exact(&mut held).await.unwrap();
        assert_eq!(&held, b"held");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_cut_ends_the_connection_and_a_reset_resets_it() {
        let (proxy, address) = proxied_echo().await;
        let mut stream = TcpStream::connect(address).await.unwrap();
        proxy.set(Network::Cut(10));
        stream.write_all(&[7; 20]).await.unwrap();
        let mut back = Vec::new();
        let _ = stream.read_to_end(&mut back).await;
        assert!(
            back.len() <= 10,
            "at most the cut's bytes pass: {}",
            back.len()
        );
        proxy.set(Network::Clear);
        let mut stream = TcpStream::connect(address).await.unwrap();
        assert_eq!(round_trip(&mut stream, b"x").await, b"x");
        proxy.reset_all();
        let mut rest = Vec::new();
        let error = stream.read_to_end(&mut rest).await.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset);
    }
}
