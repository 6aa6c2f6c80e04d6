//! Reading the JavaScript options object into the builder, with errors that
//! name the option and say what is allowed.

use crate::core::backoff::{Backoff, Jitter};
use crate::core::queue::{Overflow, QueueLimits};
use crate::web::ReconnectingSocketBuilder;
use js_sys::Reflect;
use std::time::Duration;
use wasm_bindgen::JsValue;

/// The value of `options[name]`, or `None` if it is absent (undefined or null).
fn field(options: &JsValue, name: &str) -> Option<JsValue> {
    if options.is_undefined() || options.is_null() {
        return None;
    }
    let value = Reflect::get(options, &JsValue::from_str(name)).ok()?;
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

fn number(options: &JsValue, name: &str, allowed: &str) -> Result<Option<f64>, String> {
    match field(options, name) {
        None => Ok(None),
        Some(value) => match value.as_f64() {
            Some(n) if !n.is_nan() && n >= 0.0 => Ok(Some(n)),
            _ => Err(format!("option {name} must be {allowed}, not {value:?}")),
        },
    }
}

fn milliseconds(options: &JsValue, name: &str) -> Result<Option<Duration>, String> {
    let allowed = "a number of milliseconds, 0 or more";
    Ok(number(options, name, allowed)?
        .filter(|ms| ms.is_finite())
        .map(|ms| Duration::from_secs_f64(ms / 1000.0)))
}

fn count(options: &JsValue, name: &str) -> Result<Option<usize>, String> {
    let allowed = "a whole number, 0 or more";
    match number(options, name, allowed)? {
        Some(n) if n.fract() != 0.0 => Err(format!("option {name} must be {allowed}, not {n}")),
        other => Ok(other.map(|n| n.min(usize::MAX as f64) as usize)),
    }
}

fn word(options: &JsValue, name: &str, allowed: &[&str]) -> Result<Option<String>, String> {
    match field(options, name) {
        None => Ok(None),
        Some(value) => match value.as_string() {
            Some(text) if allowed.contains(&text.as_str()) => Ok(Some(text)),
            _ => Err(format!(
                "option {name} must be one of \"{}\", not {value:?}",
                allowed.join("\", \"")
            )),
        },
    }
}

/// Applies the reconnect options of `options` to `builder`.
pub(crate) fn apply(
    options: &JsValue,
    mut builder: ReconnectingSocketBuilder,
) -> Result<ReconnectingSocketBuilder, String> {
    let mut backoff = Backoff::DEFAULT;
    if let Some(delay) = milliseconds(options, "minDelay")? {
        backoff = backoff.with_min_delay(delay);
    }
    if let Some(delay) = milliseconds(options, "maxDelay")? {
        backoff = backoff.with_max_delay(delay);
    }
    if let Some(factor) = number(options, "factor", "a number of at least 1")? {
        backoff = backoff.with_factor(factor);
    }
    let jitters = ["none", "full", "equal", "decorrelated"];
    if let Some(jitter) = word(options, "jitter", &jitters)? {
        backoff = backoff.with_jitter(match jitter.as_str() {
            "none" => Jitter::None,
            "equal" => Jitter::Equal,
            "decorrelated" => Jitter::Decorrelated,
            _ => Jitter::Full,
        });
    }
    let retries = number(options, "maxRetries", "a whole number or Infinity")?;
    if let Some(retries) = retries.filter(|r| r.is_finite()) {
        backoff = backoff.with_max_retries(Some(retries.min(u32::MAX as f64) as u32));
    }
    builder = builder.backoff(backoff);
    if field(options, "connectTimeout").is_some() {
        let timeout = milliseconds(options, "connectTimeout")?;
        builder = builder.connect_timeout(timeout.filter(|t| !t.is_zero()));
    }
    if let Some(uptime) = milliseconds(options, "minUptime")? {
        builder = builder.min_uptime(uptime);
    }
    let mut limits = QueueLimits::DEFAULT;
    if let Some(messages) = count(options, "maxQueuedMessages")? {
        limits.max_messages = messages;
    }
    if let Some(bytes) = count(options, "maxQueuedBytes")? {
        limits.max_bytes = bytes;
    }
    if let Some(overflow) = word(options, "overflow", &["reject", "drop-oldest"])? {
        limits.overflow = if overflow == "drop-oldest" {
            Overflow::DropOldest
        } else {
            Overflow::RejectNew
        };
    }
    builder = builder.queue(limits);
    if let Some(seed) = number(options, "seed", "a number")? {
        builder = builder.seed(seed as u64);
    }
    Ok(builder)
}
