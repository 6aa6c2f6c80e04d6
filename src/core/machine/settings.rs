//! What the machine keeps of its [`Config`]: every field it reads after
//! construction, with the heartbeat boxed. A [`Config`] is 192 bytes in
//! wasm32, and the machine lives in each connection's memory; most
//! connections have no heartbeat (56 of those bytes), and the queue's limits
//! are kept by the queue itself. The settings are 128 bytes, never changed
//! after construction, so machines made from one [`SharedConfig`] hold one
//! pointer to the same settings.

use super::{Config, Heartbeat, ShouldReconnect};
use crate::core::backoff::Backoff;
use crate::core::flow::WaterMarks;
use crate::core::queue::QueueLimits;
use crate::core::retry_hint::RetryAfter;
use crate::core::unconfirmed::KeyOf;
use alloc::boxed::Box;
use alloc::rc::Rc;
use core::time::Duration;

/// A [`Config`] made ready for machines that share it: each machine made
/// from it (or a clone) with [`super::Machine::sharing`] points to the same
/// settings instead of holding its own copy. The npm package gives every
/// socket with the same options one of these (128 bytes fewer per socket).
pub struct SharedConfig<M> {
    settings: Rc<Settings<M>>,
    limits: QueueLimits,
}

impl<M> SharedConfig<M> {
    /// `config`, ready to be shared.
    #[must_use]
    pub fn new(config: Config<M>) -> Self {
        let (settings, limits) = Settings::split(config);
        SharedConfig {
            settings: Rc::new(settings),
            limits,
        }
    }

    /// The settings every machine made from this shares, and the queue's limits.
    pub(super) fn parts(&self) -> (Rc<Settings<M>>, QueueLimits) {
        (Rc::clone(&self.settings), self.limits)
    }
}

impl<M> Clone for SharedConfig<M> {
    fn clone(&self) -> Self {
        SharedConfig {
            settings: Rc::clone(&self.settings),
            limits: self.limits,
        }
    }
}

/// See the module documentation; each field is [`Config`]'s of that name.
pub(super) struct Settings<M> {
    pub(super) backoff: Backoff,
    pub(super) connect_timeout: Option<Duration>,
    pub(super) min_uptime: Duration,
    pub(super) water_marks: WaterMarks,
    pub(super) heartbeat: Option<Box<Heartbeat<M>>>,
    pub(super) should_reconnect: ShouldReconnect,
    pub(super) retry_after: RetryAfter,
    pub(super) trace: bool,
    pub(super) acknowledge: Option<KeyOf<M>>,
}

impl<M> Settings<M> {
    /// The settings of `config`, and the queue's limits for the queue.
    fn split(config: Config<M>) -> (Settings<M>, QueueLimits) {
        let Config {
            backoff,
            connect_timeout,
            min_uptime,
            queue,
            water_marks,
            heartbeat,
            should_reconnect,
            retry_after,
            trace,
            acknowledge,
        } = config;
        let settings = Settings {
            backoff,
            connect_timeout,
            min_uptime,
            water_marks,
            heartbeat: heartbeat.map(Box::new),
            should_reconnect,
            retry_after,
            trace,
            acknowledge,
        };
        (settings, queue)
    }
}
