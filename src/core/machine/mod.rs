//! The reconnecting connection as a sans-IO state machine.
//!
//! The machine never touches a socket, a clock or a random source of its own:
//! the driver feeds it [`Input`]s with the current time, calls
//! [`Machine::handle_timeout`] when [`Machine::poll_timeout`] says, and carries
//! out the [`Action`]s from [`Machine::poll_action`]. Time is a [`Duration`]
//! since any origin the driver picks; a timeout that fires early or twice does
//! nothing.
//!
#![doc = include_str!("driver_contract.md")]

pub use crate::core::config::{Config, Heartbeat, OptionProblem, ShouldReconnect};
pub use crate::core::signals::{Action, DelaySource, Input, Notice, Rejection, SendOutcome, State};
pub use closing::{CLOSING_TIMEOUT, RECONNECT_REASON, RESTORED_REASON};

mod closing;
mod flow;
mod heartbeat;
mod retry;
mod settings;
mod status;

use closing::closed_without_frame;
use settings::Settings;
pub use settings::SharedConfig;

use crate::core::close_policy::{error_precedes, CloseInfo};
use crate::core::flow::Flow;
use crate::core::payload::Payload;
use crate::core::queue::{OutboundQueue, Pushed};
use crate::core::random::RandomSource;
use crate::core::time::{self, Nanos};
use crate::core::timers::{Timer, TimerTable};
use crate::core::trace::TraceEntry;
use crate::core::unconfirmed::Unconfirmed;
use crate::event::Message;
use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

/// The reconnecting connection. See the module documentation.
pub struct Machine<R, M = Message> {
    /// Shared by the machines made from one [`SharedConfig`].
    settings: Rc<Settings<M>>,
    random: R,
    state: State,
    timers: TimerTable,
    actions: VecDeque<Action<M>>,
    queue: OutboundQueue<M>,
    unconfirmed: Unconfirmed<M>,
    /// Consecutive failures since the backoff was last reset.
    failures: u32,
    previous_delay: Nanos,
    opened_before: bool,
    /// When the current connection opened: one open for
    /// [`Config::min_uptime`] when it is lost starts the backoff over.
    opened_at: Nanos,
    offline: bool,
    /// The code and reason [`Machine::close`] sent while [`State::Closing`]
    /// (boxed: 4 bytes in every connection's memory instead of 16).
    closing_with: Option<Box<(u16, String)>>,
    /// Whether this attempt reported an error already (one at most).
    error_reported: bool,
    /// Backpressure: the platform's buffer as last sampled, and whether the
    /// high water mark is crossed.
    flow: Flow,
}

impl<R: RandomSource, M: Payload> Machine<R, M> {
    /// A machine that starts its first attempt at `now`.
    pub fn new(config: Config<M>, random: R, now: Duration) -> Self {
        Machine::sharing(&SharedConfig::new(config), random, now)
    }

    /// A machine like [`Machine::new`]'s that shares `config`'s settings
    /// with every other machine made from it.
    pub fn sharing(config: &SharedConfig<M>, random: R, now: Duration) -> Self {
        let settings = config.settings();
        let mut machine = Machine {
            settings,
            random,
            state: State::Closed,
            timers: TimerTable::default(),
            actions: VecDeque::new(),
            queue: OutboundQueue::default(),
            unconfirmed: Unconfirmed::default(),
            failures: 0,
            previous_delay: Nanos::ZERO,
            opened_before: false,
            opened_at: Nanos::ZERO,
            offline: false,
            closing_with: None,
            error_reported: false,
            flow: Flow::default(),
        };
        machine.start_attempt(now, 0);
        machine
    }

    /// The next action for the driver.
    #[must_use]
    pub fn poll_action(&mut self) -> Option<Action<M>> {
        self.actions.pop_front()
    }

    /// Frees the room the actions took once they are all taken (a driver
    /// that keeps many idle machines calls it after the last action of a
    /// step; the next step allocates again).
    pub fn release_action_room(&mut self) {
        if self.actions.is_empty() {
            self.actions = VecDeque::new();
        }
    }

    /// When [`Machine::handle_timeout`] should be called next.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.timers.next_deadline()
    }

    /// Accepts a message: transmit now if open, else queue it within the
    /// limits. With acknowledged delivery, a message with a key is tracked
    /// until acknowledged; while as many are unconfirmed as the queue's
    /// limits allow, further messages wait in the queue (in order) for
    /// acknowledgements, as while reconnecting.
    pub fn send(&mut self, message: M) -> SendOutcome<M> {
        match self.state {
            State::Open => {
                if self.queue.is_empty() && self.track(&message) {
                    SendOutcome::Transmit(message)
                } else {
                    self.enqueue(message)
                }
            }
            State::Closing | State::Closed => SendOutcome::Rejected {
                message,
                because: Rejection::Closed,
            },
            _ => self.enqueue(message),
        }
    }

    /// Accepts a message that the open socket could not take because the
    /// peer's close frame came first and the platform socket is closing: it
    /// waits in the queue, within the limits, for the next connection (or is
    /// reported as dropped if the close that follows is for good). In any
    /// state other than open this is [`Machine::send`].
    pub fn send_after_peer_close(&mut self, message: M) -> SendOutcome<M> {
        match self.state {
            State::Open => self.enqueue(message),
            _ => self.send(message),
        }
    }

    fn enqueue(&mut self, message: M) -> SendOutcome<M> {
        let bytes = message.size();
        match self.queue.push(message, self.settings.queue) {
            Pushed::Queued { dropped } => {
                for message in dropped {
                    self.notify(Notice::Dropped(message));
                }
                if self.settings.trace {
                    let queued_messages = self.queue.len();
                    self.trace(TraceEntry::Queued {
                        bytes,
                        queued_messages,
                    });
                }
                // The queue grew: it may cross the high mark.
                self.report_flow();
                SendOutcome::Queued
            }
            Pushed::Rejected(message) => SendOutcome::Rejected {
                message,
                because: Rejection::QueueFull,
            },
        }
    }

    /// Feeds what happened at `now`.
    pub fn handle(&mut self, now: Duration, input: Input) {
        match input {
            Input::Opened { protocol } => self.on_opened(now, protocol),
            Input::Closed(close) => match self.state {
                State::Connecting { .. } | State::Open => self.connection_lost(now, close),
                State::Closing => {
                    if error_precedes(&close, self.error_reported) {
                        self.report_error();
                    }
                    self.finish(close);
                }
                _ => {}
            },
            Input::Error => {
                // After the open, the close decides (`error_precedes`).
                if matches!(self.state, State::Connecting { .. }) {
                    self.report_error();
                }
            }
            Input::Pong => self.pong_arrived(now),
            Input::Reconnect => {
                if let Some(close) = self.replaced_close() {
                    self.act(Action::Abandon);
                    self.notify_closed(close, true);
                }
                self.reset_backoff();
                self.start_attempt(now, 0);
            }
            Input::Online => {
                self.offline = false;
                if matches!(self.state, State::Waiting { .. } | State::Offline { .. }) {
                    self.reset_backoff();
                    self.start_attempt(now, 0);
                }
                // A connection that outlived a network change may be dead
                // (its address gone) with nothing to say so for minutes.
                self.check_health(now);
            }
            Input::Offline => {
                self.offline = true;
                if let State::Waiting { attempt, .. } = self.state {
                    self.timers.stop(Timer::Reconnect);
                    self.state = State::Offline { attempt };
                    self.trace(TraceEntry::WaitingForNetwork { attempt });
                }
            }
            Input::Visible => self.check_health(now),
            Input::Restored => {
                // The engine closed it (WebKit as the page went in, Chromium
                // now) and says so after the app's `pageshow`: replaced now,
                // before anything more is sent on it.
                if matches!(self.state, State::Open | State::Connecting { .. }) {
                    self.act(Action::Abandon);
                    self.connection_lost_while_away(now, closed_without_frame(RESTORED_REASON));
                }
            }
            Input::Acknowledged { key } => {
                for message in self.unconfirmed.confirm(&key) {
                    self.notify(Notice::Acknowledged(message));
                }
                if self.state == State::Open {
                    self.flush_queue();
                }
                self.update_flow(now);
            }
            Input::Buffered { bytes } => {
                if self.state == State::Open {
                    self.flow.buffered = bytes;
                    self.update_flow(now);
                }
            }
            Input::AwaitEmpty => {
                self.flow.await_empty();
                self.update_flow(now);
            }
            Input::AttemptFailed { reason } => {
                if matches!(self.state, State::Connecting { .. }) {
                    self.notify(Notice::AttemptFailed {
                        reason: reason.clone(),
                    });
                    self.connection_lost(now, closed_without_frame(&reason));
                }
            }
        }
    }

    /// Fires every timer whose deadline is at or before `now`.
    pub fn handle_timeout(&mut self, now: Duration) {
        for timer in Timer::ALL {
            if let Some(deadline) = self.timers.take_due(timer, now) {
                self.fire(timer, deadline, now);
            }
        }
    }

    fn fire(&mut self, timer: Timer, deadline: Duration, now: Duration) {
        match (timer, &self.state) {
            (Timer::Reconnect, State::Waiting { attempt, .. }) => {
                let attempt = *attempt;
                self.start_attempt(now, attempt);
            }
            (Timer::ConnectTimeout, State::Connecting { .. }) => {
                self.act(Action::Abandon);
                let reason = "connect timeout";
                self.notify(Notice::AttemptFailed {
                    reason: reason.to_owned(),
                });
                self.connection_lost(now, closed_without_frame(reason));
            }
            (Timer::ClosingTimeout, State::Closing) => self.closing_timed_out(),
            (Timer::DrainCheck, State::Open) => self.act(Action::SampleBuffered),
            (Timer::Heartbeat, State::Open) => self.send_ping(now),
            (Timer::HeartbeatTimeout, State::Open) => self.heartbeat_timed_out(deadline, now),
            _ => {}
        }
    }

    fn on_opened(&mut self, now: Duration, protocol: Option<String>) {
        if !matches!(self.state, State::Connecting { .. }) {
            return;
        }
        self.clear_timers();
        self.state = State::Open;
        self.opened_at = Nanos::new(now);
        if let Some(heartbeat) = &self.settings.heartbeat {
            self.timers
                .set(Timer::Heartbeat, time::after(now, heartbeat.interval));
        }
        let reconnected = core::mem::replace(&mut self.opened_before, true);
        self.notify(Notice::Open {
            protocol,
            reconnected,
        });
        // What the last connection left unconfirmed goes first, then the queue.
        let resent: Vec<M> = self.unconfirmed.messages().cloned().collect();
        let mut messages = resent.len();
        for message in resent {
            self.transmit(message);
        }
        messages += self.flush_queue();
        if messages > 0 {
            self.trace(TraceEntry::Flushed { messages });
        }
        self.update_flow(now);
    }

    /// Transmits queued messages in order, as far as acknowledged delivery
    /// has room for them.
    fn flush_queue(&mut self) -> usize {
        let mut sent = 0;
        while let Some(message) = self.queue.pop() {
            if !self.track(&message) {
                self.queue.restore_front(message);
                break;
            }
            self.transmit(message);
            sent += 1;
        }
        sent
    }

    /// Whether `message` may be transmitted now; with acknowledged delivery a
    /// message with a key is then tracked as unconfirmed.
    fn track(&mut self, message: &M) -> bool {
        let key = self
            .settings
            .acknowledge
            .as_ref()
            .and_then(|key_of| key_of(message));
        let Some(key) = key else { return true };
        if !self
            .unconfirmed
            .has_room(self.settings.queue, message.size())
        {
            return false;
        }
        self.unconfirmed.push(key, message.clone());
        true
    }

    fn start_attempt(&mut self, now: Duration, attempt: u32) {
        self.clear_timers();
        self.error_reported = false;
        self.state = State::Connecting { attempt };
        if let Some(timeout) = self.settings.connect_timeout {
            self.timers
                .set(Timer::ConnectTimeout, time::after(now, timeout));
        }
        self.notify(Notice::Connecting { attempt });
        self.act(Action::Connect { attempt });
    }

    fn clear_timers(&mut self) {
        self.timers.stop_all();
    }

    /// One [`Notice::Error`] per attempt, whatever the platform fired.
    fn report_error(&mut self) {
        if !self.error_reported {
            self.error_reported = true;
            self.notify(Notice::Error);
        }
    }

    fn notify_closed(&mut self, close: CloseInfo, will_retry: bool) {
        self.notify(Notice::Closed { close, will_retry });
    }

    fn notify(&mut self, notice: Notice<M>) {
        let entry = if self.settings.trace {
            TraceEntry::of_notice(&notice)
        } else {
            None
        };
        self.act(Action::Notify(notice));
        if let Some(entry) = entry {
            self.act(Action::Trace(entry));
        }
    }

    /// Adds `entry` to the trace, if it is on ([`Config::trace`]).
    fn trace(&mut self, entry: TraceEntry) {
        if self.settings.trace {
            self.act(Action::Trace(entry));
        }
    }

    fn act(&mut self, action: Action<M>) {
        self.actions.push_back(action);
    }
}
