//! The framework examples (`examples/`, a workspace of their own): built for
//! wasm32 by the test command (the three chats then run end to end in
//! Chromium, Firefox and WebKit, and the Leptos and Yew chats again
//! rendered on the server and hydrated), and the Leptos chat measured by
//! `cargo xtask bench footprint`.

use crate::process::{self, command};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the examples' cargo builds go (beside the crate's own, so `cargo
/// clean` clears them too).
const TARGET_DIR: &str = "target/examples-build";
/// Where each chat's page is put together (wasm-bindgen's output and an
/// `index.html`), in a folder named as the example.
pub const PAGES_DIR: &str = "target/examples";
/// The chat examples, each a page that the end-to-end test drives and the
/// demo serves.
pub const CHATS: [&str; 3] = ["leptos-chat", "dioxus-chat", "yew-chat"];
/// A chat that is also built to be rendered on the server and hydrated: its
/// browser build goes to the folder `{chat}-hydrate` of [`PAGES_DIR`]
/// (wasm-bindgen's output, without a page: the server renders that), and
/// its native server build, a program named as the chat that prints the page
/// for a query, to `{chat}-ssr`.
pub struct ServerRendered {
    /// The example.
    pub chat: &'static str,
    /// Its features for the browser half (`hydrate` in Leptos, `hydration`
    /// in Yew).
    hydrate: &'static str,
    /// Its features for the server half.
    ssr: &'static str,
}

/// The chats that are also rendered on the server (Dioxus's needs its
/// fullstack server for hydration, so it is not among them).
pub const SERVER_RENDERED: [ServerRendered; 2] = [
    ServerRendered {
        chat: "leptos-chat",
        hydrate: "socket,hydrate",
        ssr: "socket,ssr",
    },
    ServerRendered {
        chat: "yew-chat",
        hydrate: "hydration",
        ssr: "ssr",
    },
];

impl ServerRendered {
    /// The cargo arguments that build this chat with `features` alone.
    fn args(&self, features: &'static str) -> [&'static str; 5] {
        [
            "-p",
            self.chat,
            "--no-default-features",
            "--features",
            features,
        ]
    }

    /// Builds both halves into their folders of `pages`.
    fn build(&self, pages: &Path, build: Build) -> Result<(), String> {
        process::run(build.cargo("build")?.args(self.args(self.hydrate)))?;
        let hydrated = pages.join(format!("{}-hydrate", self.chat));
        bindgen(self.chat, &built_wasm("debug", self.chat), &hydrated)?;
        process::run(build.native_cargo("build")?.args(self.args(self.ssr)))?;
        let built = crate::root().join(TARGET_DIR).join("debug").join(self.chat);
        let server = pages.join(format!("{}-ssr", self.chat));
        std::fs::create_dir_all(&server)
            .and_then(|()| std::fs::copy(&built, server.join(self.chat)))
            .map(drop)
            .map_err(|e| {
                format!(
                    "cannot copy {} to {}: {e}",
                    built.display(),
                    server.display()
                )
            })
    }
}

/// A cargo command in the examples' workspace, for wasm32.
fn cargo(subcommand: &str, priority: Priority) -> Command {
    let mut cargo = native_cargo(subcommand, priority);
    cargo.args(WASM_TARGET);
    cargo
}

/// The cargo arguments of a build for the browser.
const WASM_TARGET: [&str; 2] = ["--target", "wasm32-unknown-unknown"];

/// A cargo command in the examples' workspace, for this machine.
fn native_cargo(subcommand: &str, priority: Priority) -> Command {
    let root = crate::root();
    let mut cargo = match priority {
        Priority::Normal => command("cargo"),
        Priority::Background => {
            let mut nice = command("nice");
            nice.args(["-n", "19", "cargo"]);
            nice
        }
    };
    cargo
        .arg(subcommand)
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(root.join("examples/Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join(TARGET_DIR));
    cargo
}

/// Fails unless the examples' lock resolves the wasm-bindgen of the crate's
/// lock: one wasm-bindgen CLI serves both.
pub fn check_wasm_bindgen() -> Result<(), String> {
    let crate_version = crate::tools::locked_wasm_bindgen()?;
    let lock = std::fs::read_to_string(crate::root().join("examples/Cargo.lock"))
        .map_err(|e| format!("cannot read examples/Cargo.lock: {e}"))?;
    match crate::tools::locked_version(&lock, "wasm-bindgen") {
        Some(version) if version == crate_version => Ok(()),
        other => Err(format!(
            "examples/Cargo.lock resolves wasm-bindgen {other:?}, Cargo.lock {crate_version}: \
             run `cargo update --manifest-path examples/Cargo.toml -p wasm-bindgen --precise {crate_version}`"
        )),
    }
}

/// How a build of the examples runs.
#[derive(Clone, Copy)]
pub struct Build {
    /// Whether it lints them too.
    pub linting: Linting,
    /// At what CPU priority.
    pub priority: Priority,
}

impl Build {
    /// A cargo command in the examples' workspace, for wasm32, as this build
    /// runs it.
    fn cargo(self, subcommand: &str) -> Result<Command, String> {
        let mut cargo = self.native_cargo(subcommand)?;
        cargo.args(WASM_TARGET);
        Ok(cargo)
    }

    /// The same for this machine.
    fn native_cargo(self, subcommand: &str) -> Result<Command, String> {
        let mut cargo = native_cargo(subcommand, self.priority);
        self.linting.apply(&mut cargo)?;
        Ok(cargo)
    }
}

/// The CPU priority of a build of the examples.
#[derive(Clone, Copy)]
pub enum Priority {
    /// As any command's.
    Normal,
    /// The lowest (`nice -n 19`): beside the test suites, which mostly wait
    /// on timers and reconnects and must not be slowed by a compile; it gets
    /// what CPU they leave.
    Background,
}

/// Whether a build of the examples lints them too.
#[derive(Clone, Copy)]
pub enum Linting {
    /// clippy over each example as it compiles, warnings as errors (the
    /// test command: one pass, not a check and then a build).
    WarningsAreErrors,
    /// A plain build (the demo).
    Off,
}

impl Linting {
    /// `cargo` as this linting runs it.
    fn apply(self, cargo: &mut Command) -> Result<&mut Command, String> {
        match self {
            Linting::WarningsAreErrors => crate::lint_while_building::lint(cargo),
            Linting::Off => Ok(cargo),
        }
    }
}

/// Builds the Leptos chat's footprint variant over leptos-use (debug,
/// clippy's warnings as errors), which only `cargo xtask bench footprint`
/// builds otherwise, so the bench's comparison keeps compiling. After
/// [`build`], whose pages it leaves alone, it costs the variant's own crates
/// alone (16 s against 53 s for a check of its whole tree). Linted as
/// `build` says.
pub fn build_leptos_use_variant(build: Build) -> Result<(), String> {
    process::run(
        build
            .cargo("build")?
            .args(["-p", "leptos-chat"])
            .args(Room::LeptosUse.features()),
    )
}

/// The unit tests of the examples' shared crates (the page's query, the
/// room's address), natively.
pub fn unit_tests() -> Result<(), String> {
    process::run(native_cargo("test", Priority::Normal).args([
        "-p",
        "chat-page",
        "-p",
        "chat-room",
    ]))
}

/// Builds every example (debug), as `build` says, and puts each
/// chat's page together in a folder of [`PAGES_DIR`], then both halves of
/// each of [`SERVER_RENDERED`]. Returns that directory.
pub fn build(build: Build) -> Result<PathBuf, String> {
    process::run(build.cargo("build")?.arg("--workspace"))?;
    let pages = crate::root().join(PAGES_DIR);
    for chat in CHATS {
        page(chat, &built_wasm("debug", chat), &pages.join(chat))?;
    }
    for chat in &SERVER_RENDERED {
        chat.build(&pages, build)?;
    }
    Ok(pages)
}

/// The wasm of the example `name`'s last build in `profile`.
fn built_wasm(profile: &str, name: &str) -> PathBuf {
    crate::root()
        .join(TARGET_DIR)
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join(name)
        .with_extension("wasm")
}

/// wasm-bindgen's output for the example `name`'s `wasm` and a page that
/// starts it, in `out`.
fn page(name: &str, wasm: &Path, out: &Path) -> Result<(), String> {
    let module = bindgen(name, wasm, out)?;
    let index = out.join("index.html");
    std::fs::write(&index, index_html(name, &module))
        .map_err(|e| format!("cannot write {}: {e}", index.display()))
}

/// wasm-bindgen's output for the example `name`'s `wasm`, alone in `out`;
/// returns the module's name (`{module}.js`).
fn bindgen(name: &str, wasm: &Path, out: &Path) -> Result<String, String> {
    let _ = std::fs::remove_dir_all(out);
    let module = name.replace('-', "_");
    process::run(
        command("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--out-name", &module])
            .arg("--out-dir")
            .arg(out)
            .arg(wasm),
    )?;
    Ok(module)
}

/// The page of the example `name`, whose wasm-bindgen module is
/// `{module}.js`. Dioxus mounts on `#main`; Leptos and Yew on the body.
fn index_html(name: &str, module: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <link rel="icon" href="data:,">
  <title>steadysocket · {name}</title>
</head>
<body>
  <div id="main"></div>
  <script type="module">
    import init from "./{module}.js";
    init();
  </script>
</body>
</html>
"#
    )
}

/// What one release build of the Leptos chat weighs, in bytes.
#[derive(Debug, Clone, Copy)]
pub struct Footprint {
    /// The wasm after wasm-opt.
    pub wasm: u64,
    /// The same, gzip -9.
    pub wasm_gzip: u64,
    /// wasm-bindgen's JavaScript.
    pub js: u64,
    /// The same, gzip -9.
    pub js_gzip: u64,
}

impl Footprint {
    /// What the page downloads, compressed.
    pub fn total_gzip(&self) -> u64 {
        self.wasm_gzip + self.js_gzip
    }
}

/// What the Leptos chat's room talks over, in a footprint build.
#[derive(Debug, Clone, Copy)]
pub enum Room {
    /// A local room that stands in for a socket (the baseline).
    Local,
    /// steadysocket with typed JSON channels (the example as shipped).
    Steadysocket,
    /// leptos-use's `use_websocket` with codee's serde JSON codec.
    LeptosUse,
}

impl Room {
    /// The cargo arguments that build the Leptos chat over this room.
    fn features(self) -> &'static [&'static str] {
        match self {
            Room::Local => &["--no-default-features", "--features", "csr"],
            Room::Steadysocket => &[],
            Room::LeptosUse => &["--no-default-features", "--features", "leptos-use,csr"],
        }
    }

    /// The build's folder under target/bench/footprint.
    fn folder(self) -> &'static str {
        match self {
            Room::Local => "without",
            Room::Steadysocket => "with",
            Room::LeptosUse => "leptos-use",
        }
    }
}

/// Builds the Leptos chat in release over `room`, runs wasm-opt, and weighs it.
pub fn footprint(room: Room) -> Result<Footprint, String> {
    let mut build = cargo("build", Priority::Normal);
    build
        .args(["--release", "-p", "leptos-chat"])
        .args(room.features());
    process::run(&mut build)?;
    let out = crate::root()
        .join("target/bench/footprint")
        .join(room.folder());
    page("leptos-chat", &built_wasm("release", "leptos-chat"), &out)?;
    let wasm = out.join("leptos_chat_bg.wasm");
    crate::package::optimise(&wasm, &wasm)?;
    let js = out.join("leptos_chat.js");
    Ok(Footprint {
        wasm: size(&wasm)?,
        wasm_gzip: gzip_size(&wasm)?,
        js: size(&js)?,
        js_gzip: gzip_size(&js)?,
    })
}

fn size(path: &Path) -> Result<u64, String> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The size of `path` after `gzip -9`.
fn gzip_size(path: &Path) -> Result<u64, String> {
    let compressed = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    if !compressed.status.success() {
        return Err(format!("gzip failed on {}", path.display()));
    }
    Ok(compressed.stdout.len() as u64)
}
