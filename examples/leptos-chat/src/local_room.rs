//! The same room without a server: what is said is shown at once. Only for
//! `cargo xtask bench footprint`, the baseline the socket's cost is measured from.

use crate::{Line, Room};
use leptos::prelude::*;

/// A room of one, always open.
pub fn join(_server: &str, nickname: &str) -> Room {
    let lines = RwSignal::new(Vec::new());
    let nickname = nickname.to_owned();
    Room {
        lines,
        state: Signal::derive(|| "open"),
        retry_in: Signal::derive(|| None),
        queued: Signal::derive(|| 0),
        say: Callback::new(move |message| {
            let kind = "message".to_owned();
            let nickname = nickname.clone();
            lines.update(|lines: &mut Vec<Line>| {
                lines.push(Line {
                    kind,
                    nickname,
                    message,
                })
            });
            true
        }),
    }
}
