//! Property tests of the backoff policy: bounds, growth, spread at the cap,
//! no overflow, determinism per seed.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use std::time::Duration;
use steadysocket::core::backoff::{Backoff, BackoffProblem, Jitter};
use steadysocket::core::random::SplitMix64;

fn jitter_strategy() -> impl Strategy<Value = Jitter> {
    prop::sample::select(vec![
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
    ])
}

fn policy_strategy() -> impl Strategy<Value = Backoff> {
    (1u64..5_000, 1u64..120_000, 1.0f64..4.0, jitter_strategy()).prop_map(
        |(min_ms, extra_ms, factor, jitter)| {
            Backoff::DEFAULT
                .with_min_delay(Duration::from_millis(min_ms))
                .with_max_delay(Duration::from_millis(min_ms + extra_ms))
                .with_factor(factor)
                .with_jitter(jitter)
        },
    )
}

fn coefficient_of_variation(samples: &[f64]) -> f64 {
    let n = samples.len() as f64;
    let mean = samples.iter().sum::<f64>() / n;
    let variance = samples.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n;
    variance.sqrt() / mean
}

#[test]
fn defaults_are_documented_values() {
    let policy = Backoff::default();
    assert_eq!(policy.min_delay, Duration::from_secs(1));
    assert_eq!(policy.max_delay, Duration::from_secs(30));
    assert_eq!(policy.factor, 2.0);
    assert_eq!(policy.jitter, Jitter::Full);
    assert_eq!(policy.max_retries, None);
    assert_eq!(policy.check(), Ok(()));
}

#[test]
fn bad_policies_are_reported() {
    assert_eq!(
        Backoff::DEFAULT.with_factor(0.5).check(),
        Err(BackoffProblem::Factor(0.5))
    );
    assert!(matches!(
        Backoff::DEFAULT.with_factor(f64::NAN).check(),
        Err(BackoffProblem::Factor(_))
    ));
    let inverted = Backoff::DEFAULT
        .with_min_delay(Duration::from_secs(10))
        .with_max_delay(Duration::from_secs(1));
    assert_eq!(inverted.check(), Err(BackoffProblem::MinAboveMax));
}

#[test]
fn ceilings_double_up_to_the_cap() {
    let ceilings: Vec<u64> = (0..8)
        .map(|n| Backoff::DEFAULT.ceiling(n).as_millis() as u64)
        .collect();
    assert_eq!(
        ceilings,
        [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]
    );
}

#[test]
fn the_first_delay_is_random() {
    for jitter in [Jitter::Full, Jitter::Equal, Jitter::Decorrelated] {
        let policy = Backoff::DEFAULT.with_jitter(jitter);
        let firsts: Vec<Duration> = (0..50)
            .map(|seed| policy.delays(SplitMix64::new(seed)).next().unwrap())
            .collect();
        let distinct: std::collections::BTreeSet<_> = firsts.iter().collect();
        assert!(distinct.len() > 40, "{jitter:?}: first delays barely vary");
    }
}

#[test]
fn delays_at_the_cap_still_spread() {
    for jitter in [Jitter::Full, Jitter::Decorrelated] {
        let policy = Backoff::DEFAULT.with_jitter(jitter);
        // 2,000 clients, each at its 40th attempt: far past the cap.
        let samples: Vec<f64> = (0..2000)
            .map(|seed| {
                policy
                    .delays(SplitMix64::new(seed))
                    .nth(40)
                    .unwrap()
                    .as_secs_f64()
            })
            .collect();
        let cv = coefficient_of_variation(&samples);
        assert!(
            cv >= 0.25,
            "{jitter:?}: coefficient of variation at the cap is {cv:.3}"
        );
        let at_max = samples.iter().filter(|s| **s >= 30.0).count();
        assert!(
            at_max < 20,
            "{jitter:?}: {at_max} of 2000 clients wait exactly the max"
        );
    }
}

#[test]
fn max_retries_ends_the_delays() {
    let policy = Backoff::DEFAULT.with_max_retries(Some(5));
    assert_eq!(policy.delays(SplitMix64::new(1)).count(), 5);
    assert_eq!(
        Backoff::DEFAULT
            .with_max_retries(Some(0))
            .delays(SplitMix64::new(1))
            .next(),
        None
    );
}

proptest! {
    #[test]
    fn every_delay_is_within_its_bounds(policy in policy_strategy(), seed in any::<u64>()) {
        let mut previous = Duration::ZERO;
        for (attempt, delay) in policy.delays(SplitMix64::new(seed)).take(60).enumerate() {
            let ceiling = policy.ceiling(attempt as u32);
            prop_assert!(delay <= policy.max_delay, "attempt {attempt}: {delay:?} over the cap");
            match policy.jitter {
                Jitter::None => prop_assert_eq!(delay, ceiling),
                Jitter::Full => prop_assert!(delay <= ceiling),
                Jitter::Equal => prop_assert!(delay <= ceiling && delay + Duration::from_nanos(2) >= ceiling / 2),
                Jitter::Decorrelated => {
                    let high = (previous.max(policy.min_delay) * 3).min(policy.max_delay);
                    prop_assert!(delay + Duration::from_nanos(2) >= policy.min_delay.min(high));
                    prop_assert!(delay <= high + Duration::from_nanos(2));
                }
            }
            previous = delay;
        }
    }

    #[test]
    fn ceilings_never_shrink(policy in policy_strategy(), attempt in 0u32..10_000) {
        prop_assert!(policy.ceiling(attempt) <= policy.ceiling(attempt + 1));
        prop_assert!(policy.ceiling(attempt) <= policy.max_delay);
        prop_assert_eq!(policy.ceiling(0), policy.min_delay);
    }

    #[test]
    fn huge_attempt_numbers_saturate(policy in policy_strategy(), seed in any::<u64>(), attempt in 1_000_000u32..=u32::MAX) {
        let mut random = SplitMix64::new(seed);
        prop_assert_eq!(policy.ceiling(attempt), policy.max_delay);
        let delay = policy.delay(attempt, policy.max_delay, &mut random).unwrap();
        prop_assert!(delay <= policy.max_delay);
    }

    #[test]
    fn the_same_seed_gives_the_same_delays(policy in policy_strategy(), seed in any::<u64>()) {
        let first: Vec<_> = policy.delays(SplitMix64::new(seed)).take(20).collect();
        let second: Vec<_> = policy.delays(SplitMix64::new(seed)).take(20).collect();
        prop_assert_eq!(first, second);
    }

    #[test]
    fn max_retries_is_exact(retries in 0u32..50, seed in any::<u64>()) {
        let policy = Backoff::DEFAULT.with_max_retries(Some(retries));
        prop_assert_eq!(policy.delays(SplitMix64::new(seed)).count(), retries as usize);
    }
}

#[test]
fn a_cap_alone_below_the_default_first_delay_lowers_it() {
    let capped = Backoff::DEFAULT.with_max_delay(Duration::from_millis(500));
    assert_eq!(capped.min_delay, Duration::from_millis(500));
    assert_eq!(capped.check(), Ok(()));
    // A cap above the default leaves it as it is.
    let wide = Backoff::DEFAULT.with_max_delay(Duration::from_secs(60));
    assert_eq!(wide.min_delay, Backoff::DEFAULT.min_delay);
    // A first delay set explicitly above the cap is still an error.
    let explicit = capped.with_min_delay(Duration::from_secs(2));
    assert_eq!(explicit.check(), Err(BackoffProblem::MinAboveMax));
}
