//! The reconnect delay policy: truncated exponential backoff with jitter on
//! every attempt (RFC 6455 §7.2.3).
//!
//! The ceiling for attempt `n` (counting from 0) is `min(max_delay, min_delay ×
//! factor^n)`, computed in floating point so it saturates at the cap instead of
//! overflowing, even at attempt 1,000,000. Jitter is drawn *below* the cap, so
//! clients that reached the cap still spread out instead of all waiting exactly
//! `max_delay`.

use super::random::RandomSource;
use super::time;
use core::time::Duration;

/// How the random part of a delay is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    /// No randomness: the delay is the ceiling. Only for tests and special cases:
    /// clients that lost their server together come back together.
    None,
    /// Uniform in `[0, ceiling]` (the default): the widest spread.
    Full,
    /// Uniform in `[ceiling / 2, ceiling]`: never much shorter than the ceiling.
    Equal,
    /// Uniform in `[min_delay, min(max_delay, 3 × previous delay)]` (the
    /// previous delay of the first attempt counts as `min_delay`): each delay
    /// grows from the one before, not from the attempt number.
    Decorrelated,
}

/// A reconnect delay policy. All fields have documented defaults ([`Backoff::DEFAULT`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The ceiling of the first delay. Default 1 s.
    pub min_delay: Duration,
    /// The cap of every delay. Default 30 s.
    pub max_delay: Duration,
    /// How much the ceiling grows per attempt. Default 2.0.
    pub factor: f64,
    /// How delays are randomised. Default [`Jitter::Full`].
    pub jitter: Jitter,
    /// How many reconnect attempts before giving up; `None` retries forever. Default `None`.
    pub max_retries: Option<u32>,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::DEFAULT
    }
}

/// Why a [`Backoff`] cannot be used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BackoffProblem {
    /// `factor` is below 1 or not a finite number.
    Factor(f64),
    /// `min_delay` is longer than `max_delay`.
    MinAboveMax,
}

impl Backoff {
    /// 1 s first ceiling, doubling, capped at 30 s, full jitter, retrying forever.
    pub const DEFAULT: Backoff = Backoff {
        min_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(30),
        factor: 2.0,
        jitter: Jitter::Full,
        max_retries: None,
    };

    /// Sets [`Backoff::min_delay`].
    pub const fn with_min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = delay;
        self
    }

    /// Sets [`Backoff::max_delay`]. A cap below the default first delay
    /// (1 s) lowers that default to the cap, so a cap alone always works; a
    /// `min_delay` set explicitly above the cap is an error of
    /// [`Backoff::check`]. (Set the cap first if you set both: a `min_delay`
    /// equal to the default, set before a lower cap, gives way too.)
    pub const fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        let default_min = Backoff::DEFAULT.min_delay.as_nanos();
        if self.min_delay.as_nanos() == default_min && delay.as_nanos() < default_min {
            self.min_delay = delay;
        }
        self
    }

    /// Sets [`Backoff::factor`].
    pub const fn with_factor(mut self, factor: f64) -> Self {
        self.factor = factor;
        self
    }

    /// Sets [`Backoff::jitter`].
    pub const fn with_jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// Sets [`Backoff::max_retries`].
    pub const fn with_max_retries(mut self, retries: Option<u32>) -> Self {
        self.max_retries = retries;
        self
    }

    /// Checks that the policy makes sense: `factor` finite and ≥ 1, `min_delay ≤ max_delay`.
    pub fn check(&self) -> Result<(), BackoffProblem> {
        if !self.factor.is_finite() || self.factor < 1.0 {
            return Err(BackoffProblem::Factor(self.factor));
        }
        if self.min_delay > self.max_delay {
            return Err(BackoffProblem::MinAboveMax);
        }
        Ok(())
    }

    /// The ceiling for `attempt` (0 = the first reconnect): saturates at `max_delay`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let grown = self.min_delay.as_secs_f64() * power(self.factor.max(1.0), attempt);
        let capped = grown.min(self.max_delay.as_secs_f64());
        time::from_secs(capped).unwrap_or(self.max_delay)
    }

    /// Whether reconnect `attempt` (0 = the first) may be made: `max_retries` allows it.
    pub fn allows(&self, attempt: u32) -> bool {
        !self.max_retries.is_some_and(|max| attempt >= max)
    }

    /// The delay before reconnect `attempt` (0 = the first), given the delay
    /// before the previous attempt; `None` once `max_retries` attempts were made.
    pub fn delay(
        &self,
        attempt: u32,
        previous: Duration,
        random: &mut impl RandomSource,
    ) -> Option<Duration> {
        if !self.allows(attempt) {
            return None;
        }
        Some(self.draw(self.ceiling(attempt), previous, random))
    }

    /// A delay drawn from the cap's window, as if the backoff had reached
    /// `max_delay`: what a server that says "try again later" (close code
    /// 1013) without saying when gets. `None` once `max_retries` attempts
    /// were made.
    pub fn capped_delay(
        &self,
        attempt: u32,
        previous: Duration,
        random: &mut impl RandomSource,
    ) -> Option<Duration> {
        if !self.allows(attempt) {
            return None;
        }
        let previous = previous.max(self.max_delay);
        Some(self.draw(self.max_delay, previous, random))
    }

    /// A delay under `ceiling` (after `previous`), jittered as configured.
    fn draw(
        &self,
        ceiling: Duration,
        previous: Duration,
        random: &mut impl RandomSource,
    ) -> Duration {
        let ceiling = ceiling.as_secs_f64();
        let (low, high) = match self.jitter {
            Jitter::None => (ceiling, ceiling),
            Jitter::Full => (0.0, ceiling),
            Jitter::Equal => (ceiling / 2.0, ceiling),
            Jitter::Decorrelated => {
                let min = self.min_delay.as_secs_f64();
                let max = self.max_delay.as_secs_f64();
                // The first attempt grows from min_delay, so it is random too.
                let base = previous.as_secs_f64().max(min);
                let high = (base * 3.0).max(min).min(max);
                (min.min(high), high)
            }
        };
        let seconds = low + random.next_unit() * (high - low);
        time::from_secs(seconds).unwrap_or(self.max_delay)
    }

    /// The delays of successive attempts, ending after `max_retries`.
    pub fn delays<R: RandomSource>(self, random: R) -> Delays<R> {
        Delays {
            policy: self,
            random,
            attempt: 0,
            previous: Duration::ZERO,
        }
    }
}

/// An iterator of reconnect delays; see [`Backoff::delays`].
#[derive(Debug, Clone)]
pub struct Delays<R> {
    policy: Backoff,
    random: R,
    attempt: u32,
    previous: Duration,
}

impl<R: RandomSource> Iterator for Delays<R> {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let delay = self
            .policy
            .delay(self.attempt, self.previous, &mut self.random)?;
        self.attempt = self.attempt.saturating_add(1);
        self.previous = delay;
        Some(delay)
    }
}

/// `base` to the power `exponent` (`base` ≥ 1), by squaring: it reaches
/// infinity instead of overflowing, and needs no `std` (`f64::powi` is not
/// in `core`).
fn power(base: f64, exponent: u32) -> f64 {
    let (mut result, mut square, mut rest) = (1.0, base, exponent);
    while rest > 0 {
        if rest & 1 == 1 {
            result *= square;
        }
        square *= square;
        rest >>= 1;
    }
    result
}
