//! What the machine is configured with: [`Config`], its defaults, and the
//! combinations that cannot work ([`OptionProblem`]).

use super::backoff::{Backoff, BackoffProblem};
use super::close_policy::{default_should_reconnect, CloseInfo};
use super::flow::WaterMarks;
use super::queue::QueueLimits;
use super::retry_hint::{default_retry_after, RetryAfter};
use super::unconfirmed::KeyOf;
use crate::event::Message;
use alloc::rc::Rc;
use core::time::Duration;

/// An application-level heartbeat: send `ping` every `interval` while open;
/// if no reply comes within `timeout`, the connection is dead and is replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heartbeat<M = Message> {
    /// Time between a reply and the next ping.
    pub interval: Duration,
    /// How long to wait for the reply.
    pub timeout: Duration,
    /// The message sent as the ping.
    pub ping: M,
}

/// Decides whether a close is worth a reconnect.
pub type ShouldReconnect = Rc<dyn Fn(&CloseInfo) -> bool>;

/// Everything the machine is configured with. See [`Config::default`] for the defaults.
#[derive(Clone)]
pub struct Config<M = Message> {
    /// Reconnect delays. Default [`Backoff::DEFAULT`].
    pub backoff: Backoff,
    /// How long an attempt may take to open before it is abandoned. Default 10 s.
    pub connect_timeout: Option<Duration>,
    /// How long a connection must stay open before the backoff starts over. Default 5 s.
    pub min_uptime: Duration,
    /// Bounds of the queue of messages sent while not open. Default [`QueueLimits::DEFAULT`].
    pub queue: QueueLimits,
    /// Backpressure's water marks over what is not yet transmitted. Default [`WaterMarks::DEFAULT`].
    pub water_marks: WaterMarks,
    /// The heartbeat, if any. Default none.
    pub heartbeat: Option<Heartbeat<M>>,
    /// Whether to reconnect after a close. Default [`default_should_reconnect`].
    pub should_reconnect: ShouldReconnect,
    /// Reads a server's hint of when to come back from a close. Default
    /// [`default_retry_after`]: `retry-after=<seconds>` in the close reason.
    pub retry_after: RetryAfter,
    /// Whether the machine reports each decision as an
    /// [`super::machine::Action::Trace`] (see [`crate::core::trace`]). Default off.
    pub trace: bool,
    /// Acknowledged delivery, if set (default off): the key of each outgoing
    /// message to track until [`super::machine::Input::Acknowledged`]; see [`super::unconfirmed::Unconfirmed`].
    pub acknowledge: Option<KeyOf<M>>,
}

impl<M> Default for Config<M> {
    fn default() -> Self {
        Config {
            backoff: Backoff::DEFAULT,
            connect_timeout: Some(Duration::from_secs(10)),
            min_uptime: Duration::from_secs(5),
            queue: QueueLimits::DEFAULT,
            water_marks: WaterMarks::DEFAULT,
            heartbeat: None,
            should_reconnect: Rc::new(default_should_reconnect),
            retry_after: Rc::new(default_retry_after),
            trace: false,
            acknowledge: None,
        }
    }
}

/// Why a [`Config`] cannot work (the Rust API words it as
/// [`crate::Error::InvalidOption`]; the npm class as a `TypeError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionProblem {
    /// The backoff factor is below 1 or not a finite number.
    BackoffFactor,
    /// The backoff's first delay is longer than its cap.
    MinDelayAboveMax,
    /// The connect timeout is 0 (`None` is no timeout).
    ZeroConnectTimeout,
    /// The heartbeat's interval or timeout is 0.
    ZeroHeartbeat,
    /// The low water mark is above the high one.
    LowMarkAboveHigh,
}

impl<M> Config<M> {
    /// Checks the values that cannot work together: a backoff factor below 1
    /// (or not finite), a first delay longer than the cap, a connect timeout
    /// of 0, a low water mark above the high one, a heartbeat interval or
    /// timeout of 0.
    pub fn check(&self) -> Result<(), OptionProblem> {
        match self.backoff.check() {
            Err(BackoffProblem::Factor(_)) => return Err(OptionProblem::BackoffFactor),
            Err(BackoffProblem::MinAboveMax) => return Err(OptionProblem::MinDelayAboveMax),
            Ok(()) => {}
        }
        if self.connect_timeout == Some(Duration::ZERO) {
            return Err(OptionProblem::ZeroConnectTimeout);
        }
        if self.water_marks.low > self.water_marks.high {
            return Err(OptionProblem::LowMarkAboveHigh);
        }
        if let Some(heartbeat) = &self.heartbeat {
            if heartbeat.interval.is_zero() || heartbeat.timeout.is_zero() {
                return Err(OptionProblem::ZeroHeartbeat);
            }
        }
        Ok(())
    }
}
