//! Builds, starts and stops the peer server.

use crate::process::{command, run, wait_until_listening};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command};

/// The peer server's ports: HTTP/WebSocket, the never-answering listener and the chaos proxy.
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    pub main: u16,
    pub hang: u16,
    pub chaos: u16,
}

impl Ports {
    /// The variables that tell the tests where the server listens
    /// (`STEADYSOCKET_PEER`, `_HANG` and `_CHAOS`, each `127.0.0.1:port`).
    pub fn environment(self) -> [(&'static str, String); 3] {
        [
            ("STEADYSOCKET_PEER", self.main),
            ("STEADYSOCKET_HANG", self.hang),
            ("STEADYSOCKET_CHAOS", self.chaos),
        ]
        .map(|(variable, port)| (variable, format!("127.0.0.1:{port}")))
    }

    /// 9001/9002 (what the suites use when run by hand) if free, else free ports.
    pub fn choose() -> Ports {
        let free =
            |port: u16| TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)).is_ok();
        if free(9001) && free(9002) && free(9003) {
            return Ports {
                main: 9001,
                hang: 9002,
                chaos: 9003,
            };
        }
        let any = || {
            TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))
                .and_then(|l| l.local_addr())
                .map(|a| a.port())
                .unwrap_or(0)
        };
        let main = any();
        let mut hang = any();
        while hang == main {
            hang = any();
        }
        let mut chaos = any();
        while chaos == main || chaos == hang {
            chaos = any();
        }
        Ports { main, hang, chaos }
    }
}

/// Which build of the peer server: debug for tests and the demo, release for benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Debug,
    Release,
}

/// Builds the peer server binary.
pub fn build(profile: Profile) -> Result<(), String> {
    let mut cargo = command("cargo");
    cargo.args(["build", "--quiet", "-p", "peer-server"]);
    if profile == Profile::Release {
        cargo.arg("--release");
    }
    run(&mut cargo)
}

/// The built peer server binary.
pub fn binary(profile: Profile) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"));
    let directory = match profile {
        Profile::Debug => "debug",
        Profile::Release => "release",
    };
    target.join(directory).join("steadysocket-peer")
}

/// A running peer server; dropping it stops the server.
pub struct PeerServer {
    child: Child,
}

impl PeerServer {
    /// Starts the built server on `ports` with `extra` arguments and waits until it accepts connections.
    pub fn start(profile: Profile, ports: Ports, extra: &[&str]) -> Result<PeerServer, String> {
        let binary = binary(profile);
        let mut server = Command::new(&binary);
        server
            .current_dir(crate::root())
            .args([
                "--port",
                &ports.main.to_string(),
                "--hang-port",
                &ports.hang.to_string(),
                "--chaos-port",
                &ports.chaos.to_string(),
            ])
            .args(extra);
        let child = server
            .spawn()
            .map_err(|e| format!("cannot start the peer server {}: {e}", binary.display()))?;
        let mut running = PeerServer { child };
        wait_until_listening(&mut running.child, ports.main, "the peer server")?;
        Ok(running)
    }

    /// The server's process id (benchmarks pin it to a core).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until the server exits (for the demo, which runs until Ctrl-C).
    pub fn wait(mut self) -> Result<(), String> {
        let status = self.child.wait().map_err(|e| e.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("the peer server exited ({status})"))
        }
    }
}

impl Drop for PeerServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
