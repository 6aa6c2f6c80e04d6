//! The reconnecting connection as a sans-IO state machine.
//!
//! The machine never touches a socket, a clock or a random source of its own:
//! the driver feeds it [`Input`]s with the current time, calls
//! [`Machine::handle_timeout`] when [`Machine::poll_timeout`] says, and carries
//! out the [`Action`]s from [`Machine::poll_action`]. Time is a [`Duration`]
//! since any origin the driver picks; a timeout that fires early or twice does
//! nothing.

use super::backoff::{Backoff, BackoffProblem};
use super::close_policy::{default_should_reconnect, CloseInfo};
use super::payload::Payload;
use super::queue::{OutboundQueue, Pushed, QueueLimits};
use super::random::RandomSource;
use super::ready_state::ReadyState;
use super::time;
use super::timers::{Timer, TimerTable};
use super::unconfirmed::{KeyOf, Unconfirmed};
use super::validation::{check_close, CloseProblem, ABNORMAL_CLOSURE, NORMAL_CLOSURE};
use crate::event::Message;
use alloc::borrow::ToOwned;
use alloc::collections::VecDeque;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
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
    /// The heartbeat, if any. Default none.
    pub heartbeat: Option<Heartbeat<M>>,
    /// Whether to reconnect after a close. Default [`default_should_reconnect`].
    pub should_reconnect: ShouldReconnect,
    /// Acknowledged delivery, if set (default off): the key of each outgoing
    /// message to track until [`Input::Acknowledged`]; see [`Unconfirmed`].
    pub acknowledge: Option<KeyOf<M>>,
}

impl<M> Default for Config<M> {
    fn default() -> Self {
        Config {
            backoff: Backoff::DEFAULT,
            connect_timeout: Some(Duration::from_secs(10)),
            min_uptime: Duration::from_secs(5),
            queue: QueueLimits::DEFAULT,
            heartbeat: None,
            should_reconnect: Rc::new(default_should_reconnect),
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
}

impl<M> Config<M> {
    /// Checks the values that cannot work together: a backoff factor below 1
    /// (or not finite), a first delay longer than the cap, a connect timeout
    /// of 0, a heartbeat interval or timeout of 0.
    pub fn check(&self) -> Result<(), OptionProblem> {
        match self.backoff.check() {
            Err(BackoffProblem::Factor(_)) => return Err(OptionProblem::BackoffFactor),
            Err(BackoffProblem::MinAboveMax) => return Err(OptionProblem::MinDelayAboveMax),
            Ok(()) => {}
        }
        if self.connect_timeout == Some(Duration::ZERO) {
            return Err(OptionProblem::ZeroConnectTimeout);
        }
        if let Some(heartbeat) = &self.heartbeat {
            if heartbeat.interval.is_zero() || heartbeat.timeout.is_zero() {
                return Err(OptionProblem::ZeroHeartbeat);
            }
        }
        Ok(())
    }
}

/// Where the connection stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// An attempt is under way (`attempt` 0 is the first connection).
    Connecting {
        /// The attempt number.
        attempt: u32,
    },
    /// Connected.
    Open,
    /// [`Machine::close`] started the closing handshake.
    Closing,
    /// Waiting `delay` before reconnect `attempt`.
    Waiting {
        /// The attempt that follows the wait.
        attempt: u32,
        /// The delay drawn for it.
        delay: Duration,
    },
    /// The network is offline: waiting for it to come back.
    Offline {
        /// The attempt that follows.
        attempt: u32,
    },
    /// Closed for good: by [`Machine::close`], a stop rule, or retries running out.
    Closed,
}

impl State {
    /// The WebSocket-compatible ready state: CONNECTING while an attempt or a
    /// retry is pending, CLOSED only when closed for good.
    pub fn ready_state(&self) -> ReadyState {
        match self {
            State::Connecting { .. } | State::Waiting { .. } | State::Offline { .. } => {
                ReadyState::Connecting
            }
            State::Open => ReadyState::Open,
            State::Closing => ReadyState::Closing,
            State::Closed => ReadyState::Closed,
        }
    }
}

/// What the machine reports to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice<M = Message> {
    /// An attempt started.
    Connecting {
        /// The attempt number (0 for the first connection).
        attempt: u32,
    },
    /// The connection opened.
    Open {
        /// The chosen subprotocol.
        protocol: Option<String>,
        /// Whether an earlier connection of this machine had opened.
        reconnected: bool,
    },
    /// The platform reported an error.
    Error,
    /// An attempt failed before opening (timeout, provider failure).
    AttemptFailed {
        /// What went wrong.
        reason: String,
    },
    /// A connection (or attempt) ended.
    Closed {
        /// The close as reported.
        close: CloseInfo,
        /// Whether a reconnect follows.
        will_retry: bool,
    },
    /// A reconnect is scheduled.
    Reconnecting {
        /// The attempt that follows.
        attempt: u32,
        /// After this delay.
        delay: Duration,
    },
    /// Retries ran out (`max_retries`); closed until [`Input::Reconnect`].
    GaveUp {
        /// Reconnect attempts made.
        attempts: u32,
    },
    /// A queued message was dropped (drop-oldest overflow, or closed for good),
    /// or an unconfirmed one when closed for good (it may have arrived).
    Dropped(M),
    /// The server acknowledged this message (with acknowledged delivery).
    Acknowledged(M),
}

/// What the driver must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action<M = Message> {
    /// Open a new platform socket (evaluating URL and protocol providers first).
    Connect {
        /// The attempt number.
        attempt: u32,
    },
    /// Send this message on the open socket.
    Transmit(M),
    /// Start the closing handshake; an [`Input::Closed`] is expected.
    Close {
        /// The close code.
        code: u16,
        /// The close reason.
        reason: String,
    },
    /// Close the current platform socket and detach it at once: its late
    /// events must not reach the machine.
    Abandon,
    /// Report this to the user.
    Notify(Notice<M>),
}

/// What happened, as the driver tells the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// The current socket opened.
    Opened {
        /// The chosen subprotocol.
        protocol: Option<String>,
    },
    /// The current socket closed (or failed to open: code 1006).
    Closed(CloseInfo),
    /// The current socket reported an error.
    Error,
    /// The heartbeat reply arrived.
    Pong,
    /// The user asked to reconnect now.
    Reconnect,
    /// The network came back.
    Online,
    /// The network went away.
    Offline,
    /// The page became visible again.
    Visible,
    /// The attempt could not start (a URL or protocol provider failed).
    AttemptFailed {
        /// What went wrong.
        reason: String,
    },
    /// The server acknowledged the message with this key, and those before it.
    Acknowledged {
        /// The key, as [`Config::acknowledge`] gave it.
        key: String,
    },
}

/// Why a message was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// The queue is full and the policy rejects new messages.
    QueueFull,
    /// The connection is closing or closed for good.
    Closed,
}

/// What became of a message given to [`Machine::send`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum SendOutcome<M = Message> {
    /// The connection is open: transmit this message now.
    Transmit(M),
    /// Queued until the connection opens.
    Queued,
    /// Not accepted; the message is given back.
    Rejected {
        /// The message.
        message: M,
        /// Why.
        because: Rejection,
    },
}

/// The reconnecting connection. See the module documentation.
pub struct Machine<R, M = Message> {
    config: Config<M>,
    random: R,
    state: State,
    timers: TimerTable,
    actions: VecDeque<Action<M>>,
    queue: OutboundQueue<M>,
    unconfirmed: Unconfirmed<M>,
    /// Consecutive failures since the backoff was last reset.
    failures: u32,
    previous_delay: Duration,
    opened_before: bool,
    offline: bool,
    /// The code and reason [`Machine::close`] sent while [`State::Closing`].
    closing_with: Option<(u16, String)>,
}

impl<R: RandomSource, M: Payload> Machine<R, M> {
    /// A machine that starts its first attempt at `now`.
    pub fn new(config: Config<M>, random: R, now: Duration) -> Self {
        let queue = OutboundQueue::new(config.queue);
        let mut machine = Machine {
            config,
            random,
            state: State::Closed,
            timers: TimerTable::default(),
            actions: VecDeque::new(),
            queue,
            unconfirmed: Unconfirmed::default(),
            failures: 0,
            previous_delay: Duration::ZERO,
            opened_before: false,
            offline: false,
            closing_with: None,
        };
        machine.start_attempt(now, 0);
        machine
    }

    /// Where the connection stands.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Messages waiting in the queue.
    pub fn queued_messages(&self) -> usize {
        self.queue.len()
    }

    /// Payload bytes waiting in the queue.
    pub fn queued_bytes(&self) -> usize {
        self.queue.bytes()
    }

    /// Messages sent and not yet acknowledged (with [`Config::acknowledge`]).
    pub fn unconfirmed_messages(&self) -> usize {
        self.unconfirmed.len()
    }

    /// When the next attempt starts, while [`State::Waiting`] (in the
    /// driver's time, as given to [`Machine::handle`]).
    pub fn next_attempt_at(&self) -> Option<Duration> {
        match self.state {
            State::Waiting { .. } => self.timers.deadline(Timer::Reconnect),
            _ => None,
        }
    }

    /// The bounds of the queue.
    pub fn queue_limits(&self) -> QueueLimits {
        self.queue.limits()
    }

    /// The next action for the driver.
    #[must_use]
    pub fn poll_action(&mut self) -> Option<Action<M>> {
        self.actions.pop_front()
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
        match self.queue.push(message) {
            Pushed::Queued { dropped } => {
                for message in dropped {
                    self.notify(Notice::Dropped(message));
                }
                SendOutcome::Queued
            }
            Pushed::Rejected(message) => SendOutcome::Rejected {
                message,
                because: Rejection::QueueFull,
            },
        }
    }

    /// Closes for good: no reconnect follows, in any state. `code` and `reason`
    /// are checked first (1000 or 3000–4999; at most 123 bytes).
    pub fn close(&mut self, code: u16, reason: &str) -> Result<(), CloseProblem> {
        check_close(code, reason)?;
        match self.state {
            State::Open => {
                self.clear_timers();
                self.state = State::Closing;
                self.closing_with = Some((code, reason.to_owned()));
                self.act(Action::Close {
                    code,
                    reason: reason.to_owned(),
                });
            }
            State::Connecting { .. } => {
                self.act(Action::Abandon);
                self.finish(closed_without_frame(""));
            }
            State::Waiting { .. } | State::Offline { .. } => {
                self.finish(CloseInfo {
                    code,
                    reason: reason.to_owned(),
                    was_clean: true,
                });
            }
            State::Closing | State::Closed => {}
        }
        Ok(())
    }

    /// Feeds what happened at `now`.
    pub fn handle(&mut self, now: Duration, input: Input) {
        match input {
            Input::Opened { protocol } => self.on_opened(now, protocol),
            Input::Closed(close) => match self.state {
                State::Connecting { .. } | State::Open => self.connection_lost(now, close),
                State::Closing => self.finish(close),
                _ => {}
            },
            Input::Error => {
                if matches!(
                    self.state,
                    State::Connecting { .. } | State::Open | State::Closing
                ) {
                    self.notify(Notice::Error);
                }
            }
            Input::Pong => {
                if self.state == State::Open {
                    self.timers.stop(Timer::HeartbeatTimeout);
                    if let Some(heartbeat) = &self.config.heartbeat {
                        self.timers
                            .set(Timer::Heartbeat, time::after(now, heartbeat.interval));
                    }
                }
            }
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
            }
            Input::Offline => {
                self.offline = true;
                if let State::Waiting { attempt, .. } = self.state {
                    self.timers.stop(Timer::Reconnect);
                    self.state = State::Offline { attempt };
                }
            }
            Input::Visible => {
                let ping_outstanding = self.timers.is_set(Timer::HeartbeatTimeout);
                if self.state == State::Open && !ping_outstanding {
                    self.send_ping(now);
                }
            }
            Input::Acknowledged { key } => {
                for message in self.unconfirmed.confirm(&key) {
                    self.notify(Notice::Acknowledged(message));
                }
                if self.state == State::Open {
                    self.flush_queue();
                }
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
            (Timer::MinUptime, State::Open) => self.reset_backoff(),
            (Timer::Heartbeat, State::Open) => self.send_ping(now),
            (Timer::HeartbeatTimeout, State::Open) => {
                let timeout = self
                    .config
                    .heartbeat
                    .as_ref()
                    .map_or(Duration::ZERO, |h| h.timeout);
                if time::since(deadline, now) > timeout {
                    // The timer fired far too late: this page was suspended or
                    // its timers throttled, so the missing reply proves nothing.
                    // Ask again instead of dropping a connection that may be fine.
                    self.send_ping(now);
                } else {
                    self.act(Action::Abandon);
                    self.connection_lost(now, closed_without_frame("heartbeat timeout"));
                }
            }
            _ => {}
        }
    }

    fn on_opened(&mut self, now: Duration, protocol: Option<String>) {
        if !matches!(self.state, State::Connecting { .. }) {
            return;
        }
        self.clear_timers();
        self.state = State::Open;
        self.timers
            .set(Timer::MinUptime, time::after(now, self.config.min_uptime));
        if let Some(heartbeat) = &self.config.heartbeat {
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
        for message in resent {
            self.act(Action::Transmit(message));
        }
        self.flush_queue();
    }

    /// Transmits queued messages in order, as far as acknowledged delivery
    /// has room for them.
    fn flush_queue(&mut self) {
        while let Some(message) = self.queue.pop() {
            if !self.track(&message) {
                self.queue.restore_front(message);
                return;
            }
            self.act(Action::Transmit(message));
        }
    }

    /// Whether `message` may be transmitted now; with acknowledged delivery a
    /// message with a key is then tracked as unconfirmed.
    fn track(&mut self, message: &M) -> bool {
        let key = self
            .config
            .acknowledge
            .as_ref()
            .and_then(|key_of| key_of(message));
        let Some(key) = key else { return true };
        if !self
            .unconfirmed
            .has_room(self.queue.limits(), message.size())
        {
            return false;
        }
        self.unconfirmed.push(key, message.clone());
        true
    }

    fn start_attempt(&mut self, now: Duration, attempt: u32) {
        self.clear_timers();
        self.state = State::Connecting { attempt };
        if let Some(timeout) = self.config.connect_timeout {
            self.timers
                .set(Timer::ConnectTimeout, time::after(now, timeout));
        }
        self.notify(Notice::Connecting { attempt });
        self.act(Action::Connect { attempt });
    }

    /// The socket is gone: schedule a retry, or stop for good.
    fn connection_lost(&mut self, now: Duration, close: CloseInfo) {
        self.clear_timers();
        if !(self.config.should_reconnect)(&close) {
            self.finish(close);
            return;
        }
        if self.offline {
            self.notify_closed(close, true);
            self.state = State::Offline {
                attempt: self.failures.saturating_add(1),
            };
            return;
        }
        let delay = self
            .config
            .backoff
            .delay(self.failures, self.previous_delay, &mut self.random);
        let Some(delay) = delay else {
            self.notify(Notice::GaveUp {
                attempts: self.failures,
            });
            self.finish(close);
            return;
        };
        self.notify_closed(close, true);
        self.failures = self.failures.saturating_add(1);
        self.previous_delay = delay;
        let attempt = self.failures;
        self.state = State::Waiting { attempt, delay };
        self.timers.set(Timer::Reconnect, time::after(now, delay));
        self.notify(Notice::Reconnecting { attempt, delay });
    }

    fn send_ping(&mut self, now: Duration) {
        let Some(heartbeat) = &self.config.heartbeat else {
            return;
        };
        let (ping, timeout) = (heartbeat.ping.clone(), heartbeat.timeout);
        self.timers.stop(Timer::Heartbeat);
        self.timers
            .set(Timer::HeartbeatTimeout, time::after(now, timeout));
        self.act(Action::Transmit(ping));
    }

    /// Closed for good: timers off, unconfirmed and queued messages reported
    /// as dropped (an unconfirmed one may have arrived; nothing says so),
    /// then `close`, the last notice until a reconnect.
    fn finish(&mut self, close: CloseInfo) {
        self.clear_timers();
        self.state = State::Closed;
        self.closing_with = None;
        while let Some(message) = self.unconfirmed.pop() {
            self.notify(Notice::Dropped(message));
        }
        while let Some(message) = self.queue.pop() {
            self.notify(Notice::Dropped(message));
        }
        self.notify_closed(close, false);
    }

    /// The close to report for the socket an [`Input::Reconnect`] replaces
    /// (none in the states without one): every connection or attempt ends
    /// with one [`Notice::Closed`]. The socket is abandoned, not waited for,
    /// so none of these is clean: an open one was sent 1000 (reported with
    /// the reason "reconnect"), a closing one what [`Machine::close`] sent,
    /// an attempt ends as one that never opened (1006).
    fn replaced_close(&mut self) -> Option<CloseInfo> {
        let (code, reason) = match self.state {
            State::Open => (NORMAL_CLOSURE, RECONNECT_REASON.to_owned()),
            State::Closing => self
                .closing_with
                .take()
                .unwrap_or((NORMAL_CLOSURE, String::new())),
            State::Connecting { .. } => (ABNORMAL_CLOSURE, RECONNECT_REASON.to_owned()),
            _ => return None,
        };
        Some(CloseInfo {
            code,
            reason,
            was_clean: false,
        })
    }

    fn reset_backoff(&mut self) {
        self.failures = 0;
        self.previous_delay = Duration::ZERO;
    }

    fn clear_timers(&mut self) {
        self.timers.stop_all();
    }

    fn notify_closed(&mut self, close: CloseInfo, will_retry: bool) {
        self.notify(Notice::Closed { close, will_retry });
    }

    fn notify(&mut self, notice: Notice<M>) {
        self.act(Action::Notify(notice));
    }

    fn act(&mut self, action: Action<M>) {
        self.actions.push_back(action);
    }
}

/// The reason reported for a connection that [`Input::Reconnect`] replaced.
pub const RECONNECT_REASON: &str = "reconnect";

/// A close without a close frame (1006), with a reason of our own.
fn closed_without_frame(reason: &str) -> CloseInfo {
    CloseInfo {
        code: ABNORMAL_CLOSURE,
        reason: reason.to_owned(),
        was_clean: false,
    }
}
