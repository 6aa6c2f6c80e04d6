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
pub(crate) fn after(now: Duration, delay: Duration) -> Option<Duration> {
    from_nanos(now.as_nanos() + delay.as_nanos())
}

/// How long after `earlier` `later` is (0 if it is not).
pub(crate) fn since(earlier: Duration, later: Duration) -> Duration {
    from_nanos(later.as_nanos().saturating_sub(earlier.as_nanos())).unwrap_or(Duration::MAX)
}

/// A duration (or a time since the machine's origin) in 8 bytes instead of
/// `Duration`'s 16 in wasm32, for fields every connection keeps: whole
/// nanoseconds, saturating at 2^64 - 1 (584 years), which the core treats as
/// never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Nanos(u64);

impl Nanos {
    /// No time.
    pub(crate) const ZERO: Nanos = Nanos(0);
    /// The latest time there is (2^64 - 1 ns, 584 years after the origin):
    /// never, as a deadline past the end of time is.
    pub(crate) const NEVER: Nanos = Nanos(u64::MAX);

    /// `duration`, or 2^64 - 1 ns if it is longer.
    pub(crate) fn new(duration: Duration) -> Nanos {
        Nanos(u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX))
    }

    /// As a `Duration`.
    pub(crate) fn get(self) -> Duration {
        Duration::from_nanos(self.0)
    }
}

/// `seconds` as a duration, to the nearest nanosecond; `None` for a
/// negative or NaN value or one past 2^64 nanoseconds.
pub(crate) fn from_secs(seconds: f64) -> Option<Duration> {
    let nanos = seconds * 1e9 + 0.5;
    // 2^64 as f64; `as` would saturate, the check keeps it exact.
    (0.5..18_446_744_073_709_551_616.0)
        .contains(&nanos)
        .then(|| Duration::from_nanos(nanos as u64))
}

/// The same answers as `Duration`'s own methods, with "never" past 2^64
/// nanoseconds instead of a panic path.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn past_2_64_nanoseconds_is_never() {
        let end = Duration::from_nanos(u64::MAX);
        assert_eq!(after(end, Duration::ZERO), Some(end));
        assert_eq!(after(end, Duration::from_nanos(1)), None);
        assert_eq!(after(Duration::ZERO, Duration::MAX), None);
        assert_eq!(from_secs(f64::MAX), None);
        assert_eq!(from_secs(f64::INFINITY), None);
    }

    #[test]
    fn negative_and_nan_seconds_are_none() {
        assert_eq!(from_secs(-1.0), None);
        assert_eq!(from_secs(-1e-12), None);
        assert_eq!(from_secs(f64::NAN), None);
        assert_eq!(from_secs(0.0), Some(Duration::ZERO));
    }

    #[test]
    fn since_saturates_at_zero() {
        let (one, two) = (Duration::from_secs(1), Duration::from_secs(2));
        assert_eq!(since(one, two), one);
        assert_eq!(since(two, one), Duration::ZERO);
    }

    #[test]
    fn nanos_saturate_past_2_64() {
        assert_eq!(
            Nanos::new(Duration::MAX).get(),
            Duration::from_nanos(u64::MAX)
        );
        assert_eq!(Nanos::ZERO.get(), Duration::ZERO);
    }

    proptest! {
        #[test]
        fn nanos_keep_every_duration_below_2_64(nanos in any::<u64>()) {
            let duration = Duration::from_nanos(nanos);
            prop_assert_eq!(Nanos::new(duration).get(), duration);
        }


        /// Up to 11 days, where seconds × 10^9 in f64 still lands on the nanosecond.
        #[test]
        fn whole_milliseconds_are_exact(ms in 0u64..1_000_000_000) {
            prop_assert_eq!(from_secs(ms as f64 / 1000.0), Some(Duration::from_millis(ms)));
        }

        #[test]
        fn seconds_round_as_duration_does(seconds in 0.0f64..1e6) {
            let ours = from_secs(seconds).unwrap();
            let std = Duration::from_secs_f64(seconds);
            let apart = ours.abs_diff(std);
            prop_assert!(apart <= Duration::from_nanos(1), "{ours:?} vs {std:?}");
        }

        #[test]
        fn after_and_since_agree_with_duration(a in 0u64..u64::MAX / 2, b in 0u64..u64::MAX / 2) {
            let (a, b) = (Duration::from_nanos(a), Duration::from_nanos(b));
            prop_assert_eq!(after(a, b), Some(a + b));
            prop_assert_eq!(since(a, b), b.saturating_sub(a));
        }
    }
}
