//! The class's options, as numbers, into the core's configuration.

use super::handle::Handle;
use crate::core::backoff::{Backoff, Jitter};
use crate::core::machine::{Config, Heartbeat, OptionProblem, ShouldReconnect};
use crate::core::queue::Overflow;
use crate::core::retry_hint::RetryAfter;
use crate::core::time;
use alloc::rc::Rc;
use core::time::Duration;

use super::abi::{jitter, option, overflow};

/// Milliseconds (finite, 0 or more) as a duration; anything else is `None`.
pub fn duration(ms: f64) -> Option<Duration> {
    (ms.is_finite() && ms >= 0.0).then(|| time::from_secs(ms / 1000.0).unwrap_or(Duration::MAX))
}

/// A duration in milliseconds, as the class counts time.
pub fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Milliseconds since the epoch as the machine's time.
pub fn at(now: f64) -> Duration {
    duration(now).unwrap_or_default()
}

/// A count the class checked to be a whole number, 0 or more.
pub fn count(value: f64) -> usize {
    if value >= usize::MAX as f64 {
        usize::MAX
    } else {
        value as usize
    }
}

/// The configuration from the class's `numbers` (in the slots of
/// [`super::abi::OPTION_SLOTS`]), checked by the core. `should_reconnect`
/// asks the class's `shouldReconnect`, `retry_after` its `retryAfter`, if it has them.
pub fn config(
    numbers: &[f64],
    should_reconnect: Option<ShouldReconnect>,
    retry_after: Option<RetryAfter>,
) -> Result<Config<Handle>, OptionProblem> {
    let given = |index: usize| numbers.get(index).copied().filter(|n| !n.is_nan());
    let mut backoff = Backoff::DEFAULT;
    // The cap first: a cap alone lowers the default first delay to it, and
    // an explicit first delay above the cap is then an error.
    if let Some(delay) = given(option::MAX_DELAY).and_then(duration) {
        backoff = backoff.with_max_delay(delay);
    }
    if let Some(delay) = given(option::MIN_DELAY).and_then(duration) {
        backoff = backoff.with_min_delay(delay);
    }
    if let Some(factor) = given(option::FACTOR) {
        backoff = backoff.with_factor(factor);
    }
    if let Some(jitter) = given(option::JITTER) {
        backoff = backoff.with_jitter(match jitter as u32 {
            jitter::NONE => Jitter::None,
            jitter::EQUAL => Jitter::Equal,
            jitter::DECORRELATED => Jitter::Decorrelated,
            _ => Jitter::Full,
        });
    }
    if let Some(retries) = given(option::MAX_RETRIES).filter(|r| r.is_finite()) {
        backoff = backoff.with_max_retries(Some(count(retries).min(u32::MAX as usize) as u32));
    }
    let mut config = Config::<Handle> {
        backoff,
        ..Config::default()
    };
    if let Some(timeout) = given(option::CONNECT_TIMEOUT) {
        // 0 and Infinity: no timeout.
        config.connect_timeout = duration(timeout).filter(|t| !t.is_zero());
    }
    if let Some(uptime) = given(option::MIN_UPTIME).and_then(duration) {
        config.min_uptime = uptime;
    }
    if let Some(messages) = given(option::MAX_QUEUED_MESSAGES) {
        config.queue.max_messages = count(messages);
    }
    if let Some(bytes) = given(option::MAX_QUEUED_BYTES) {
        config.queue.max_bytes = count(bytes);
    }
    if let Some(bytes) = given(option::HIGH_WATER_MARK) {
        config.water_marks.high = count(bytes);
    }
    if let Some(bytes) = given(option::LOW_WATER_MARK) {
        config.water_marks.low = count(bytes);
    }
    if given(option::OVERFLOW) == Some(overflow::DROP_OLDEST.into()) {
        config.queue.overflow = Overflow::DropOldest;
    }
    let heartbeat = (
        given(option::HEARTBEAT_INTERVAL),
        given(option::HEARTBEAT_TIMEOUT),
    );
    if let (Some(interval), Some(timeout)) = heartbeat {
        config.heartbeat = Some(Heartbeat {
            interval: duration(interval).unwrap_or(Duration::MAX),
            timeout: duration(timeout).unwrap_or(Duration::MAX),
            ping: Handle::PING,
        });
    }
    config.trace = given(option::TRACE) == Some(1.0);
    if given(option::ACKNOWLEDGE) == Some(1.0) {
        config.acknowledge = Some(Rc::new(Handle::key));
    }
    if let Some(should_reconnect) = should_reconnect {
        config.should_reconnect = should_reconnect;
    }
    if let Some(retry_after) = retry_after {
        config.retry_after = retry_after;
    }
    config.check()?;
    Ok(config)
}
