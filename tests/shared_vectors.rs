//! The shared test vectors (`tests/vectors.json`) through the Rust API's
//! rules: close codes and reasons, subprotocol lists and URLs with the exact
//! message each face gives (also for URLs only the platform's parser refuses), which subprotocol a server may choose, backoff
//! options with the problem, the trace's sentences, and which platform
//! `send`s copy a binary message at once. The npm
//! class reads the same file (`tests/js/vectors.test.mjs`).

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::time::Duration;
use steadysocket::core::machine::Config;
use steadysocket::core::validation::{
    accepts_chosen_protocol, check_close, check_protocols, websocket_url,
};
use steadysocket::{Backoff, CloseInfo, DelaySource, Error, OptionProblem, TraceEntry, UrlProblem};

fn vectors() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors.json"))
        .expect("tests/vectors.json");
    serde_json::from_str(&text).expect("valid JSON")
}

fn cases<'a>(vectors: &'a Value, name: &str) -> &'a Vec<Value> {
    vectors[name].as_array().expect(name)
}

/// A list of strings in a case.
fn strings(list: &Value) -> Vec<&str> {
    let list = list.as_array().expect("a list");
    list.iter().map(|p| p.as_str().expect("a string")).collect()
}

/// The message a result gives: `None` for success.
fn message<T>(result: Result<T, Error>) -> Option<String> {
    result.err().map(|error| error.to_string())
}

#[test]
fn close_codes_and_reasons() {
    let vectors = vectors();
    for case in cases(&vectors, "close") {
        let code = case["code"].as_u64().unwrap() as u16;
        let reason = case["reason"].as_str().unwrap();
        let got = message(check_close(code, reason).map_err(Error::from));
        assert_eq!(got.as_deref(), case["message"].as_str(), "{case}");
    }
}

#[test]
fn subprotocol_lists() {
    let vectors = vectors();
    for case in cases(&vectors, "protocols") {
        let list = strings(&case["list"]);
        let got = message(check_protocols(&list).map_err(Error::from));
        assert_eq!(got.as_deref(), case["message"].as_str(), "{case}");
    }
}

#[test]
fn chosen_subprotocols() {
    let vectors = vectors();
    for case in cases(&vectors, "chosen") {
        let offered = strings(&case["offered"]);
        let chosen = case["chosen"].as_str().unwrap();
        let accepted = case["accepted"].as_bool().unwrap();
        assert_eq!(
            accepts_chosen_protocol(&offered, chosen),
            accepted,
            "{case}"
        );
    }
}

#[test]
fn urls() {
    let vectors = vectors();
    for case in cases(&vectors, "urls") {
        let url = case["url"].as_str().unwrap();
        let got = message(websocket_url(url).map_err(Error::from));
        assert_eq!(got.as_deref(), case["message"].as_str(), "{case}");
    }
}

/// URLs the core's checks let through and the platform's URL parser refuses:
/// the web face asks the platform (`tests/web_api/socket.rs` runs these
/// there), so natively this checks that they pass the core and that the
/// Rust API's message for the platform's refusal is the class's.
#[test]
fn platform_refused_urls() {
    let vectors = vectors();
    for case in cases(&vectors, "platformRefusedUrls") {
        let url = case["url"].as_str().unwrap();
        assert!(websocket_url(url).is_ok(), "the core alone accepts {case}");
        let refused = Error::InvalidUrl {
            url: url.to_owned(),
            problem: UrlProblem::Unparsable,
        };
        assert_eq!(
            Some(refused.to_string().as_str()),
            case["message"].as_str(),
            "{case}"
        );
    }
}

#[test]
fn backoff_options() {
    let vectors = vectors();
    for case in cases(&vectors, "backoff") {
        let ms = |name: &str| case[name].as_u64().map(Duration::from_millis);
        // The cap first, as the class applies them.
        let mut backoff = Backoff::DEFAULT;
        if let Some(max) = ms("maxDelay") {
            backoff = backoff.with_max_delay(max);
        }
        if let Some(min) = ms("minDelay") {
            backoff = backoff.with_min_delay(min);
        }
        if let Some(factor) = case["factor"].as_f64() {
            backoff = backoff.with_factor(factor);
        }
        let config = Config::<steadysocket::Message> {
            backoff,
            ..Config::default()
        };
        let got = match config.check() {
            Ok(()) => None,
            Err(OptionProblem::BackoffFactor) => Some("factor"),
            Err(OptionProblem::MinDelayAboveMax) => Some("minDelayAboveMax"),
            Err(other) => panic!("{other:?} for {case}"),
        };
        assert_eq!(got, case["problem"].as_str(), "{case}");
    }
}

/// A trace entry from its JSON in the vectors (the npm class's field names).
fn trace_entry(json: &Value) -> TraceEntry {
    let number = |name: &str| {
        json[name]
            .as_u64()
            .unwrap_or_else(|| panic!("{name} in {json}"))
    };
    let whole = |name: &str| u32::try_from(number(name)).expect("a u32");
    let count = |name: &str| usize::try_from(number(name)).expect("a usize");
    let text = |name: &str| json[name].as_str().map(str::to_owned);
    match json["type"].as_str().expect("a type") {
        "attempt" => TraceEntry::Attempt {
            attempt: whole("attempt"),
            url: text("url").expect("a url"),
            protocols: json["protocols"]
                .as_array()
                .expect("protocols")
                .iter()
                .map(|p| p.as_str().expect("a protocol").to_owned())
                .collect(),
        },
        "opened" => TraceEntry::Opened {
            protocol: text("protocol"),
            reconnected: json["reconnected"].as_bool().expect("reconnected"),
        },
        "closed" => TraceEntry::Closed {
            close: CloseInfo {
                code: u16::try_from(number("code")).expect("a code"),
                reason: text("reason").expect("a reason"),
                was_clean: json["wasClean"].as_bool().expect("wasClean"),
            },
            will_retry: json["willRetry"].as_bool().expect("willRetry"),
        },
        "retry-scheduled" => TraceEntry::RetryScheduled {
            attempt: whole("attempt"),
            delay: Duration::from_millis(number("delay")),
            source: match json["source"].as_str() {
                Some("hint") => DelaySource::Hint,
                Some("try-again-later") => DelaySource::TryAgainLater,
                _ => DelaySource::Backoff,
            },
            step: whole("step"),
            hint: json["hint"].as_u64().map(Duration::from_millis),
        },
        "waiting-for-network" => TraceEntry::WaitingForNetwork {
            attempt: whole("attempt"),
        },
        "queued" => TraceEntry::Queued {
            bytes: count("bytes"),
            queued_messages: count("queuedMessages"),
        },
        "flushed" => TraceEntry::Flushed {
            messages: count("messages"),
        },
        "dropped" => TraceEntry::Dropped {
            bytes: count("bytes"),
        },
        "acknowledged" => TraceEntry::Acknowledged {
            bytes: count("bytes"),
        },
        "congested" => TraceEntry::Congested {
            pending: count("pending"),
        },
        "drained" => TraceEntry::Drained {
            pending: count("pending"),
        },
        "gave-up" => TraceEntry::GaveUp {
            attempts: whole("attempts"),
        },
        other => panic!("unknown trace entry {other}"),
    }
}

#[test]
fn trace_entries_are_explained_in_the_classs_sentences() {
    let vectors = vectors();
    for case in cases(&vectors, "trace") {
        let entry = trace_entry(&case["entry"]);
        assert_eq!(entry.to_string(), case["text"].as_str().unwrap(), "{case}");
    }
}

#[test]
fn sends_that_copy_at_once_are_told_from_the_others() {
    let vectors = vectors();
    for (list, copies) in [("copying", true), ("others", false)] {
        for source in strings(&vectors["sends"][list]) {
            assert_eq!(
                steadysocket::core::platform_send::copies_at_once(source),
                copies,
                "{source}"
            );
        }
    }
}
