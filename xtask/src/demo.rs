//! `cargo xtask demo`: builds the npm package and the Leptos chat example and
//! serves the demo page, its storm view and the Leptos chat.

use crate::package::{self, PACKAGE_DIR};
use crate::peer::{self, PeerServer, Ports, Profile};
use crate::tools;

pub fn main(args: &[String]) -> Result<(), String> {
    let port = match args {
        [] => 8080,
        [flag, value] if flag == "--port" => value
            .parse::<u16>()
            .map_err(|_| format!("--port takes a number from 1 to 65535, not {value:?}"))?,
        _ => return Err("usage: cargo xtask demo [--port N]".to_owned()),
    };
    tools::ensure_wasm_toolchain()?;
    package::build()?;
    // The Rust face beside the JS one: the Leptos, Dioxus and Yew chats, in
    // the same room.
    let examples = crate::examples::build(crate::examples::Build {
        linting: crate::examples::Linting::Off,
        priority: crate::examples::Priority::Normal,
    })?;
    peer::build(Profile::Debug)?;
    let ports = Ports {
        main: port,
        hang: port.wrapping_add(1),
        chaos: port.wrapping_add(2),
    };
    let server = PeerServer::start(
        Profile::Debug,
        ports,
        &[
            "--www",
            "www",
            "--pkg",
            PACKAGE_DIR,
            "--examples",
            &examples.to_string_lossy(),
        ],
    )?;
    println!();
    println!("steadysocket demo: http://127.0.0.1:{port}/   (Ctrl-C stops it)");
    println!("  the storm view: http://127.0.0.1:{port}/storm.html");
    for chat in crate::examples::CHATS {
        println!("  the chat in Rust, same room: http://127.0.0.1:{port}/{chat}/");
    }
    server.wait()
}
