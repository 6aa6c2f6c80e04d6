//! Running commands: with the tool directories on PATH, echoing what runs, and
//! optionally capturing stdout while still showing it.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// `$CARGO_HOME/bin`, where `cargo install` puts tools.
pub fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// Where npm-installed tools (wasm-opt) live: `target/tools/node_modules/.bin`.
pub fn tools_bin() -> PathBuf {
    crate::root().join("target/tools/node_modules/.bin")
}

/// The tool directories followed by the inherited PATH.
fn search_path() -> Vec<PathBuf> {
    let mut paths = vec![tools_bin(), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    paths
}

/// A command for `program`, with the tool directories first on PATH, run in the workspace root.
pub fn command(program: &str) -> Command {
    command_in_path(program, search_path())
}

/// [`command`] with `dir` first on PATH: a program found there (`node` of
/// another version) is the one that runs, also for what `program` starts.
pub fn command_preferring(program: &str, dir: &std::path::Path) -> Command {
    let mut paths = search_path();
    paths.insert(0, dir.to_path_buf());
    command_in_path(program, paths)
}

fn command_in_path(program: &str, paths: Vec<PathBuf>) -> Command {
    let mut command = Command::new(program);
    if let Ok(path) = std::env::join_paths(paths) {
        command.env("PATH", path);
    }
    command.current_dir(crate::root());
    command
}

/// Where `program` is on the PATH that [`command`] uses.
pub fn which(program: &str) -> Option<PathBuf> {
    search_path()
        .into_iter()
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs `command`, showing its output; Err if it cannot start or exits non-zero.
pub fn run(command: &mut Command) -> Result<(), String> {
    let text = describe(command);
    println!("$ {text}");
    let status = command
        .status()
        .map_err(|e| format!("cannot run `{text}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{text}` failed ({status})"))
    }
}

/// Runs `command`, showing its stdout line by line and returning it too.
/// The bool says whether it exited with success. In a lane
/// ([`crate::lanes`]) each line it prints, stderr's too, is marked with the
/// lane's name.
pub fn run_capturing(command: &mut Command) -> Result<(bool, Vec<String>), String> {
    let text = describe(command);
    let mark = crate::lanes::mark();
    println!("{mark}$ {text}");
    if !mark.is_empty() {
        command.stderr(Stdio::piped());
    }
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{text}`: {e}"))?;
    if let Some(stderr) = child.stderr.take() {
        // Not waited for: a program the command started may hold stderr
        // open after it exits; its lines are shown until then.
        let mark = mark.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("{mark}{line}");
            }
        });
    }
    let mut lines = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            println!("{mark}{line}");
            lines.push(line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("`{text}` did not finish: {e}"))?;
    Ok((status.success(), lines))
}

/// Runs `command` quietly and returns its trimmed stdout if it succeeded.
pub fn output(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Waits (20 s at most) until something accepts connections on 127.0.0.1:`port`;
/// Err if `child`, which should, exits first or the time runs out.
pub fn wait_until_listening(
    child: &mut std::process::Child,
    port: u16,
    what: &str,
) -> Result<(), String> {
    use std::net::{Ipv4Addr, SocketAddrV4, TcpStream};
    use std::time::{Duration, Instant};
    let deadline = Instant::now() + Duration::from_secs(20);
    let address = SocketAddrV4::new(Ipv4Addr::LOCALHOST, port);
    while TcpStream::connect(address).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("{what} exited at start ({status})"));
        }
        if Instant::now() > deadline {
            return Err(format!("{what} did not listen on {address} within 20 s"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// A free port on 127.0.0.1 now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap_or(0)
}

/// A program running in a process group of its own; dropping it ends the
/// group (a wrapper such as `xvfb-run` and everything it started).
pub struct Background {
    child: std::process::Child,
}

impl Background {
    /// Starts `command` in a new process group and waits until it listens on `port`.
    pub fn start(command: &mut Command, port: u16, what: &str) -> Result<Background, String> {
        use std::os::unix::process::CommandExt;
        let child = command
            .process_group(0)
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {what}: {e}"))?;
        let mut running = Background { child };
        wait_until_listening(&mut running.child, port, what)?;
        Ok(running)
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.child.wait();
    }
}
