//! Duration arithmetic without panic paths.
//!
//! `Duration`'s own `checked_add`, `saturating_sub` and `try_from_secs_f64`
//! reach `Duration::new`, whose overflow check keeps the formatting
//! machinery of a panic message in the npm package's wasm (a tenth of it).
//! These work in nanoseconds instead; a time more than 584 years past its
//! origin (2^64 ns) is "never", as a deadline past the end of time was.

use core::time::Duration;

fn from_nanos(nanos: u128) -> Option<Duration> {
    u64::try_from(nanos).ok().map(Duration::from_nanos)
}

/// `now + delay`, or `None` (never) past 2^64 nanoseconds.
pub fn after(now: Duration, delay: Duration) -> Option<Duration> {
    from_nanos(now.as_nanos() + delay.as_nanos())
}

/// How long after `earlier` `later` is (0 if it is not).
pub fn since(earlier: Duration, later: Duration) -> Duration {
    from_nanos(later.as_nanos().saturating_sub(earlier.as_nanos())).unwrap_or(Duration::MAX)
}

/// `seconds` as a duration, to the nearest nanosecond; `None` for a
/// negative or NaN value or one past 2^64 nanoseconds.
pub fn from_secs(seconds: f64) -> Option<Duration> {
    let nanos = seconds * 1e9 + 0.5;
    // 2^64 as f64; `as` would saturate, the check keeps it exact.
    (0.5..18_446_744_073_709_551_616.0)
        .contains(&nanos)
        .then(|| Duration::from_nanos(nanos as u64))
}
