//! Server-directed retry: how long a server asks its clients to stay away.
//!
//! RFC 6455 leaves reconnect delays to the client, but a server that is
//! restarting (close code 1012) or overloaded (1013) knows better. It can say
//! how long in the close reason: `retry-after=<seconds>` anywhere in it.
//!
//! The grammar, exactly:
//!
//! ```text
//! hint    = key *SP "=" *SP seconds
//! key     = "retry-after"                 ; ASCII, any case
//! seconds = 1*DIGIT [ "." *DIGIT ]        ; decimal seconds, ms precision
//! ```
//!
//! The key must not follow a letter, a digit, `-` or `_` (so `x-retry-after`
//! is not a hint); the first hint in the reason counts; anything may come
//! before or after it (`"restarting; retry-after=5"`). Digits past the third
//! decimal are ignored, and a hint longer than [`MAX_HINT`] is [`MAX_HINT`].
//!
//! A hinted retry starts no earlier than the hint: the delay is drawn
//! uniformly from `[hint, hint × (1 + HINT_SPREAD)]` so a fleet the server
//! closed at one instant does not come back at one instant.

use super::close_policy::CloseInfo;
use super::random::RandomSource;
use super::time;
use alloc::rc::Rc;
use core::time::Duration;

/// The longest hint honoured: a day. A longer one (from any reader) counts as a day.
pub const MAX_HINT: Duration = Duration::from_secs(24 * 60 * 60);

/// How far past the hint a hinted delay may fall, as a fraction of the hint:
/// delays are uniform over `[hint, 1.5 × hint]`.
pub const HINT_SPREAD: f64 = 0.5;

/// Reads a close for a server's hint (how long to wait before the next
/// attempt); `None` is no hint. The machine caps what it answers at [`MAX_HINT`].
pub type RetryAfter = Rc<dyn Fn(&CloseInfo) -> Option<Duration>>;

/// The default reading: the `retry-after=<seconds>` of the close reason
/// (see the module documentation), whatever the close code.
pub fn default_retry_after(close: &CloseInfo) -> Option<Duration> {
    parse_retry_after(&close.reason)
}

/// The first `retry-after=<seconds>` hint in `text`, per the grammar in the
/// module documentation.
pub fn parse_retry_after(text: &str) -> Option<Duration> {
    // Plain loops over `get`: no panic path (and so no formatting
    // machinery) and little code in the npm package's wasm.
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let at_boundary = at == 0 || !bytes.get(at - 1).copied().is_some_and(is_word_byte);
        if at_boundary && key_at(bytes, at) {
            if let Some(hint) = seconds_at(bytes, at + KEY.len()) {
                return Some(hint);
            }
        }
        at += 1;
    }
    None
}

/// The hint's key.
const KEY: &[u8] = b"retry-after";

/// Whether `bytes` hold the key (in any case) at `at`.
fn key_at(bytes: &[u8], at: usize) -> bool {
    KEY.iter()
        .enumerate()
        .all(|(i, key)| bytes.get(at + i).map(u8::to_ascii_lowercase) == Some(*key))
}

/// `*SP "=" *SP seconds` at `at`, as a duration.
fn seconds_at(bytes: &[u8], mut at: usize) -> Option<Duration> {
    let byte = |at: usize| bytes.get(at).copied().unwrap_or(0);
    while byte(at) == b' ' {
        at += 1;
    }
    if byte(at) != b'=' {
        return None;
    }
    at += 1;
    while byte(at) == b' ' {
        at += 1;
    }
    let max_millis = MAX_HINT.as_secs() * 1000;
    let (mut millis, first_digit) = (0u64, at);
    while byte(at).is_ascii_digit() {
        millis = (millis * 10 + u64::from(byte(at) - b'0') * 1000).min(max_millis * 10);
        at += 1;
    }
    if at == first_digit {
        return None;
    }
    if byte(at) == b'.' {
        let mut scale = 100;
        at += 1;
        while scale > 0 && byte(at).is_ascii_digit() {
            millis += u64::from(byte(at) - b'0') * scale;
            scale /= 10;
            at += 1;
        }
    }
    // At most a day in ms, times a million: far below u64::MAX.
    Some(Duration::from_nanos(millis.min(max_millis) * 1_000_000))
}

/// The delay of a hinted retry: uniform over `[hint, hint × (1 + HINT_SPREAD)]`.
pub fn hinted_delay(hint: Duration, random: &mut impl RandomSource) -> Duration {
    let seconds = hint.as_secs_f64() * (1.0 + HINT_SPREAD * random.next_unit());
    time::from_secs(seconds).unwrap_or(hint)
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'
}

/// Where the parser's edges are: examples of the grammar.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::random::SplitMix64;
    use proptest::prelude::*;

    fn ms(millis: u64) -> Option<Duration> {
        Some(Duration::from_millis(millis))
    }

    #[test]
    fn reads_the_grammar() {
        assert_eq!(parse_retry_after("retry-after=5"), ms(5000));
        assert_eq!(parse_retry_after("restarting; retry-after=5"), ms(5000));
        assert_eq!(parse_retry_after("Retry-After = 2.5 please"), ms(2500));
        assert_eq!(parse_retry_after("retry-after=0.0019"), ms(1));
        assert_eq!(parse_retry_after("retry-after=0"), ms(0));
        assert_eq!(parse_retry_after("retry-after=7."), ms(7000));
        assert_eq!(parse_retry_after("(retry-after=3)"), ms(3000));
    }

    #[test]
    fn ignores_what_is_not_a_hint() {
        assert_eq!(parse_retry_after(""), None);
        assert_eq!(parse_retry_after("retry-after"), None);
        assert_eq!(parse_retry_after("retry-after="), None);
        assert_eq!(parse_retry_after("retry-after=.5"), None);
        assert_eq!(parse_retry_after("retry-after=-5"), None);
        assert_eq!(parse_retry_after("retry-after:5"), None);
        assert_eq!(parse_retry_after("x-retry-after=5"), None);
        assert_eq!(parse_retry_after("my_retry-after=5"), None);
    }

    #[test]
    fn the_first_hint_counts_and_a_bad_one_does_not_hide_a_good_one() {
        assert_eq!(parse_retry_after("retry-after=1 retry-after=9"), ms(1000));
        assert_eq!(parse_retry_after("retry-after=x retry-after=9"), ms(9000));
    }

    #[test]
    fn long_hints_are_a_day() {
        assert_eq!(parse_retry_after("retry-after=86401"), Some(MAX_HINT));
        assert_eq!(
            parse_retry_after("retry-after=99999999999999999999999999"),
            Some(MAX_HINT)
        );
    }

    proptest! {
        #[test]
        fn any_millisecond_count_reads_back(millis in 0u64..=86_400_000, prefix in "[ -~]{0,20}") {
            let text = format!("{prefix} retry-after={}.{:03}", millis / 1000, millis % 1000);
            // A hint earlier in the prefix would count first.
            prop_assume!(parse_retry_after(&prefix).is_none());
            prop_assert_eq!(parse_retry_after(&text), ms(millis));
        }

        #[test]
        fn never_panics(text in "\\PC{0,60}") {
            let _ = parse_retry_after(&text);
        }

        #[test]
        fn hinted_delays_stay_in_the_window(millis in 0u64..=86_400_000, seed: u64) {
            let hint = Duration::from_millis(millis);
            let delay = hinted_delay(hint, &mut SplitMix64::new(seed));
            prop_assert!(delay >= hint);
            prop_assert!(delay.as_secs_f64() <= hint.as_secs_f64() * (1.0 + HINT_SPREAD) + 1e-9);
        }
    }
}
