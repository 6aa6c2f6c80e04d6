//! What the machine keeps of its [`Config`]: every field it reads after
//! construction, with the heartbeat boxed. A [`Config`] is 192 bytes in
//! wasm32, and the machine lives in each connection's memory; most
//! connections have no heartbeat (56 of those bytes). The settings, the
//! queue's limits among them, are never changed after construction, so
//! machines made from one [`SharedConfig`] hold one pointer to the same
//! settings.

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
/// socket with the same options one of these (its settings are not copied into each).
pub struct SharedConfig<M> {
    settings: Rc<Settings<M>>,
}

impl<M> SharedConfig<M> {
    /// `config`, ready to be shared.
    #[must_use]
    pub fn new(config: Config<M>) -> Self {
        SharedConfig {
            settings: Rc::new(Settings::from(config)),
        }
    }

    /// The settings every machine made from this shares.
    pub(super) fn settings(&self) -> Rc<Settings<M>> {
        Rc::clone(&self.settings)
    }
}

impl<M> Clone for SharedConfig<M> {
    fn clone(&self) -> Self {
        SharedConfig {
            settings: Rc::clone(&self.settings),
        }
    }
}

/// See the module documentation; each field is [`Config`]'s of that name.
pub(super) struct Settings<M> {
    pub(super) backoff: Backoff,
    pub(super) connect_timeout: Option<Duration>,
    pub(super) min_uptime: Duration,
    pub(super) queue: QueueLimits,
    pub(super) water_marks: WaterMarks,
    pub(super) heartbeat: Option<Box<Heartbeat<M>>>,
    pub(super) should_reconnect: ShouldReconnect,
    pub(super) retry_after: RetryAfter,
    pub(super) trace: bool,
    pub(super) acknowledge: Option<KeyOf<M>>,
}

impl<M> From<Config<M>> for Settings<M> {
    fn from(config: Config<M>) -> Self {
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
        Settings {
            backoff,
            connect_timeout,
            min_uptime,
            queue,
            water_marks,
            heartbeat: heartbeat.map(Box::new),
            should_reconnect,
            retry_after,
            trace,
            acknowledge,
        }
    }
}
