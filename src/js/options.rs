//! Reading the JavaScript options object into the builder, with errors that
//! name the option and say what is allowed.

use crate::core::backoff::{Backoff, Jitter};
use crate::core::close_policy::{default_should_reconnect, CloseInfo};
use crate::core::machine::Heartbeat;
use crate::core::queue::{Overflow, QueueLimits};
use crate::event::Message;
use crate::web::platform_exception_message as exception_message;
use crate::web::{ReconnectingSocket, ReconnectingSocketBuilder};
use js_sys::{Reflect, Uint8Array};
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};

/// A value as an error message shows it: a string quoted, other primitives
/// as JavaScript writes them, objects and functions by their kind.
fn shown(value: &JsValue) -> String {
    if let Some(text) = value.as_string() {
        return format!("\"{text}\"");
    }
    if value.is_null() {
        return "null".to_owned();
    }
    let kind = value.js_typeof().as_string().unwrap_or_default();
    match kind.as_str() {
        "object" if js_sys::Array::is_array(value) => "an array".to_owned(),
        "object" => "an object".to_owned(),
        "function" => "a function".to_owned(),
        "number" | "boolean" | "bigint" => as_written(value),
        other => other.to_owned(),
    }
}

/// A primitive as JavaScript's `String()` writes it (no float formatting in
/// the wasm).
fn as_written(value: &JsValue) -> String {
    js_sys::Array::of1(value).join("").into()
}

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
            _ => Err(format!(
                "option {name} must be {allowed}, not {}",
                shown(&value)
            )),
        },
    }
}

fn milliseconds(options: &JsValue, name: &str) -> Result<Option<Duration>, String> {
    let allowed = "a number of milliseconds, 0 or more";
    // Infinity means no limit; a finite value too large for a Duration is
    // the longest Duration (from_secs_f64 would panic).
    Ok(number(options, name, allowed)?
        .filter(|ms| ms.is_finite())
        .map(|ms| Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX)))
}

fn count(options: &JsValue, name: &str) -> Result<Option<usize>, String> {
    let allowed = "a whole number, 0 or more";
    match number(options, name, allowed)? {
        // The number is written by JavaScript: formatting floats in Rust
        // would cost the wasm 17 KB.
        Some(n) if n.fract() != 0.0 => Err(format!(
            "option {name} must be {allowed}, not {}",
            String::from(
                js_sys::Number::from(n)
                    .to_string_with_radix(10)
                    .unwrap_or_default()
            )
        )),
        other => Ok(other.map(|n| n.min(usize::MAX as f64) as usize)),
    }
}

fn word(options: &JsValue, name: &str, allowed: &[&str]) -> Result<Option<String>, String> {
    match field(options, name) {
        None => Ok(None),
        Some(value) => match value.as_string() {
            Some(text) if allowed.contains(&text.as_str()) => Ok(Some(text)),
            _ => Err(format!(
                "option {name} must be one of \"{}\", not {}",
                allowed.join("\", \""),
                shown(&value)
            )),
        },
    }
}

/// Calls a JavaScript provider and awaits its value if it returned a promise.
fn call_provider(
    provider: &js_sys::Function,
) -> impl std::future::Future<Output = Result<JsValue, String>> {
    let called = provider.call0(&JsValue::UNDEFINED);
    async move {
        let value = called.map_err(|e| exception_message(&e))?;
        let promise = js_sys::Promise::resolve(&value);
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(|e| exception_message(&e))
    }
}

/// The URL: a string, or a function returning one (or a promise of one)
/// before every attempt.
pub(crate) fn builder_for(url: &JsValue) -> Result<ReconnectingSocketBuilder, String> {
    if let Some(url) = url.as_string() {
        return Ok(ReconnectingSocket::builder(url));
    }
    let Some(provider) = url.dyn_ref::<js_sys::Function>().cloned() else {
        return Err(format!(
            "the URL must be a string or a function that returns one, not {}",
            shown(url)
        ));
    };
    Ok(ReconnectingSocket::builder("").url_provider(move || {
        let value = call_provider(&provider);
        async move {
            value.await?.as_string().ok_or_else(|| {
                "the URL function must return a string or a promise of one".to_owned()
            })
        }
    }))
}

fn string_list(value: &JsValue) -> Result<Vec<String>, String> {
    if let Some(single) = value.as_string() {
        return Ok(vec![single]);
    }
    if !js_sys::Array::is_array(value) {
        return Err(format!(
            "protocols must be a string or an array of strings, not {}",
            shown(value)
        ));
    }
    js_sys::Array::from(value)
        .iter()
        .map(|item| {
            item.as_string()
                .ok_or_else(|| format!("every protocol must be a string, not {}", shown(&item)))
        })
        .collect()
}

/// The protocols: absent, a string, an array of strings, or a function
/// returning one of those (or a promise of one) before every attempt.
pub(crate) fn apply_protocols(
    protocols: &JsValue,
    builder: ReconnectingSocketBuilder,
) -> Result<ReconnectingSocketBuilder, String> {
    if protocols.is_undefined() || protocols.is_null() {
        return Ok(builder);
    }
    let Some(provider) = protocols.dyn_ref::<js_sys::Function>().cloned() else {
        return Ok(builder.protocols(string_list(protocols)?));
    };
    Ok(builder.protocols_provider(move || {
        let value = call_provider(&provider);
        async move {
            let value = value.await?;
            if value.is_undefined() || value.is_null() {
                return Ok(Vec::new());
            }
            string_list(&value)
        }
    }))
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
    if let Some(constructor) = field(options, "WebSocket") {
        let constructor = constructor
            .dyn_into::<js_sys::Function>()
            .map_err(|value| {
                format!(
                    "option WebSocket must be a WebSocket constructor, not {}",
                    shown(&value)
                )
            })?;
        builder = builder.constructor(constructor);
    }
    if let Some(heartbeat) = field(options, "heartbeat") {
        builder = apply_heartbeat(&heartbeat, builder)?;
    }
    if let Some(acknowledge) = field(options, "acknowledge") {
        builder = apply_acknowledge(&acknowledge, builder)?;
    }
    if let Some(predicate) = field(options, "shouldReconnect") {
        let predicate = predicate.dyn_into::<js_sys::Function>().map_err(|value| {
            format!(
                "option shouldReconnect must be a function, not {}",
                shown(&value)
            )
        })?;
        builder = builder.should_reconnect(move |close: &CloseInfo| {
            let event = js_sys::Object::new();
            let _ = Reflect::set(&event, &"code".into(), &close.code.into());
            let _ = Reflect::set(&event, &"reason".into(), &close.reason.as_str().into());
            let _ = Reflect::set(&event, &"wasClean".into(), &close.was_clean.into());
            // A predicate that throws leaves the decision to the default table.
            predicate
                .call1(&JsValue::UNDEFINED, &event)
                .map(|answer| answer.is_truthy())
                .unwrap_or_else(|_| default_should_reconnect(close))
        });
    }
    Ok(builder)
}

/// `acknowledge: { keyOf, ackOf }`: `keyOf(data)` gives the key of an
/// outgoing message (a string or number; null or undefined: not tracked),
/// `ackOf(data)` the key an incoming acknowledgement confirms. The package's
/// class reads incoming messages itself and calls `acknowledged(key)`.
fn apply_acknowledge(
    acknowledge: &JsValue,
    builder: ReconnectingSocketBuilder,
) -> Result<ReconnectingSocketBuilder, String> {
    let function = |name: &str| {
        field(acknowledge, name)
            .and_then(|value| value.dyn_into::<js_sys::Function>().ok())
            .ok_or_else(|| {
                format!(
                    "option acknowledge.{name} must be a function, not {}",
                    shown(&Reflect::get(acknowledge, &name.into()).unwrap_or_default())
                )
            })
    };
    let (key_of, ack_of) = (function("keyOf")?, function("ackOf")?);
    let ask = |function: js_sys::Function| {
        move |message: &Message| {
            let data = match message {
                Message::Text(text) => JsValue::from_str(text),
                Message::Binary(bytes) => Uint8Array::from(bytes.as_slice()).buffer().into(),
            };
            // A function that throws leaves the message without a key.
            let key = function.call1(&JsValue::UNDEFINED, &data).ok()?;
            key_text(&key)
        }
    };
    Ok(builder.acknowledgements(ask(key_of), ask(ack_of)))
}

/// A key as given by `keyOf`/`ackOf`: a string, or a number as JavaScript
/// writes it; anything else is no key.
pub(super) fn key_text(key: &JsValue) -> Option<String> {
    match key.as_string() {
        Some(text) => Some(text),
        None if key.as_f64().is_some() => Some(as_written(key)),
        None => None,
    }
}

/// `heartbeat: { interval, timeout, ping, pong }`: `ping` is the text sent,
/// `pong` the reply's text or a function telling a reply (default: `ping`).
fn apply_heartbeat(
    heartbeat: &JsValue,
    builder: ReconnectingSocketBuilder,
) -> Result<ReconnectingSocketBuilder, String> {
    let problem = |what: &str| format!("option heartbeat.{what}");
    let required = |name: &str| {
        milliseconds(heartbeat, name)
            .map_err(|_| format!("{} must be a number of milliseconds above 0", problem(name)))?
            .filter(|d| !d.is_zero())
            .ok_or_else(|| format!("{} must be a number of milliseconds above 0", problem(name)))
    };
    let interval = required("interval")?;
    let timeout = required("timeout")?;
    let ping = field(heartbeat, "ping")
        .and_then(|p| p.as_string())
        .ok_or_else(|| format!("{} must be the text to send", problem("ping")))?;
    // The npm class reads the messages itself and recognises the replies
    // (`pong` text, else `ping`, or a function); here it is only checked.
    if let Some(pong) = field(heartbeat, "pong") {
        if pong.as_string().is_none() && !pong.is_function() {
            return Err(format!(
                "{} must be the reply's text or a function",
                problem("pong")
            ));
        }
    }
    let heartbeat = Heartbeat {
        interval,
        timeout,
        ping: Message::Text(ping),
    };
    Ok(builder.heartbeat(heartbeat, |_| false))
}
