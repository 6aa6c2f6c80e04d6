//! The driver of a [`super::ReconnectingSocket`]: all decisions are the core
//! [`Machine`]'s; this only carries out its actions: one [`Socket`] at a
//! time, one `setTimeout` for the machine's next deadline (re-armed only when
//! the deadline changes, as the npm class does), and the page's
//! online/offline/visibility signals as inputs.

use super::source::{both, Source};
use super::status::StatusWatch;
use super::{Delivery, PongMatcher, ReconnectEvent, Status};
use crate::core::machine::{Action, Input, Machine, Notice, Rejection, SendOutcome, State};
use crate::core::random::SplitMix64;
use crate::core::trace::TraceEntry;
use crate::core::unconfirmed::KeyOf;
use crate::error::Error;
use crate::event::Message;
use crate::web::environment::{self, PageSignal};
use crate::web::event_queue::Fanout;
use crate::web::listener::Listener;
use crate::web::socket::{EventSink, Socket};
use crate::web::timer::{now, Timer};
use crate::web::wakers::Wakers;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;

/// Carries out the machine's actions for one [`super::ReconnectingSocket`].
pub(crate) struct Driver {
    pub(super) machine: RefCell<Machine<SplitMix64>>,
    pub(super) socket: RefCell<Option<Socket>>,
    /// Bumped for every attempt and every abandon: late events of an older
    /// socket or provider carry an older number and are ignored.
    pub(super) generation: Cell<u64>,
    pub(super) url: Source<String>,
    pub(super) protocols: Source<Vec<String>>,
    pub(super) constructor: Option<js_sys::Function>,
    pub(super) is_pong: Option<PongMatcher>,
    /// With acknowledged delivery: the key an incoming acknowledgement confirms.
    pub(super) ack_of: Option<KeyOf>,
    /// The pending `setTimeout` and the deadline it was set for.
    pub(super) timer: RefCell<Option<(Duration, Timer)>>,
    pub(super) events: Fanout<ReconnectEvent>,
    /// The status as last published, and its readers.
    pub(super) statuses: StatusWatch,
    pub(super) page: RefCell<Vec<Listener>>,
    /// Writers waiting for the drain, the queue's room or the flush.
    pub(super) writers: Wakers,
    /// Lifecycle inputs handed to [`Driver::feed_soon`] and not fed yet:
    /// while there are any, messages wait behind them.
    pub(super) feeds_due: Cell<u32>,
    /// Where the trace goes, if it is on.
    pub(super) tracer: Option<Tracer>,
}

/// An attempt's hold on its driver: callbacks and tasks of an attempt that
/// was abandoned since (a later one, or none) find nothing.
pub(super) struct Attempt {
    pub(super) driver: Weak<Driver>,
    generation: u64,
}

impl Attempt {
    /// The driver, while it lives and this is still its current attempt.
    pub(super) fn driver(&self) -> Option<Rc<Driver>> {
        let driver = self.driver.upgrade()?;
        (driver.generation.get() == self.generation).then_some(driver)
    }
}

/// Receives the trace (see [`crate::core::trace`]).
pub(crate) type Tracer = Rc<dyn Fn(&TraceEntry)>;

impl Driver {
    /// A driver for `machine`, watching the page's signals, with the
    /// machine's first actions (the first attempt) carried out.
    pub(super) fn start(
        machine: Machine<SplitMix64>,
        url: Source<String>,
        protocols: Source<Vec<String>>,
        constructor: Option<js_sys::Function>,
        is_pong: Option<PongMatcher>,
        ack_of: Option<KeyOf>,
        tracer: Option<Tracer>,
    ) -> Rc<Driver> {
        let driver = Rc::new(Driver {
            machine: RefCell::new(machine),
            socket: RefCell::new(None),
            generation: Cell::new(0),
            url,
            protocols,
            constructor,
            is_pong,
            ack_of,
            timer: RefCell::new(None),
            events: Fanout::default(),
            statuses: StatusWatch::default(),
            page: RefCell::new(Vec::new()),
            writers: Wakers::default(),
            feeds_due: Cell::new(0),
            tracer,
        });
        let weak = Rc::downgrade(&driver);
        *driver.page.borrow_mut() = environment::watch(move |signal| {
            if let Some(driver) = weak.upgrade() {
                driver.on_page_signal(signal);
            }
        });
        driver.run_actions();
        if environment::starts_offline() {
            driver.feed(Input::Offline);
        }
        driver
    }

    pub(super) fn feed(self: &Rc<Self>, input: Input) {
        self.machine.borrow_mut().handle(now(), input);
        self.run_actions();
    }

    fn on_timer(self: &Rc<Self>) {
        let fired = self.timer.borrow_mut().take();
        drop(fired);
        self.machine.borrow_mut().handle_timeout(now());
        self.run_actions();
    }

    /// Carries out the machine's actions, re-arms the timer, publishes the
    /// status; wakes the waiting writers if anything happened.
    pub(super) fn run_actions(self: &Rc<Self>) {
        let mut carried_out = 0;
        loop {
            let action = self.machine.borrow_mut().poll_action();
            let Some(action) = action else { break };
            carried_out += 1;
            match action {
                Action::Connect { attempt } => self.connect(attempt),
                Action::Transmit(message) => {
                    self.transmit(&message);
                    self.note_buffered();
                }
                Action::SampleBuffered => self.sample_buffered(),
                Action::Trace(entry) => self.trace(&entry),
                Action::Close { code, reason } => {
                    if let Some(socket) = &*self.socket.borrow() {
                        // The machine checked code and reason already.
                        let _ = socket.close(code, &reason);
                    }
                }
                Action::Abandon => self.abandon(),
                Action::Notify(notice) => {
                    let for_good = matches!(
                        notice,
                        Notice::Closed {
                            will_retry: false,
                            ..
                        }
                    );
                    self.events.push(ReconnectEvent::Lifecycle(notice));
                    if for_good {
                        // The final close is the last event: the streams
                        // alive now end (later ones see a reconnect()).
                        self.events.end_current();
                    }
                }
            }
        }
        self.arm_timer();
        if self.publish_status() || carried_out > 0 {
            self.wake_writers();
        }
    }

    /// Where the socket stands now.
    pub(super) fn current_status(&self) -> Status {
        Status::of(&self.machine.borrow())
    }

    /// Tells the readers the status, if it changed (and says whether it did).
    fn publish_status(&self) -> bool {
        self.statuses.publish(self.current_status())
    }

    /// Sets the one timer to the machine's next deadline, unless it is set
    /// for that deadline already.
    fn arm_timer(self: &Rc<Self>) {
        let deadline = self.machine.borrow().poll_timeout();
        let armed_for = self.timer.borrow().as_ref().map(|(at, _)| *at);
        if deadline == armed_for {
            return;
        }
        let timer = deadline.map(|deadline| {
            let driver = Rc::downgrade(self);
            let timer = Timer::once(crate::core::time::since(now(), deadline), move || {
                if let Some(driver) = driver.upgrade() {
                    driver.on_timer();
                }
            });
            (deadline, timer)
        });
        // Replacing the old timer cancels it.
        *self.timer.borrow_mut() = timer;
    }

    fn transmit(&self, message: &Message) {
        if let Some(socket) = &*self.socket.borrow() {
            // The machine transmits only while it knows the connection open,
            // but the peer's close frame may have come first: then the
            // platform socket is CLOSING and `send` refuses (NotOpen) rather
            // than hand it the message. A ping is not needed then, and a
            // tracked message goes again on the next connection; an untracked
            // one flushed by an acknowledgement is lost, as the platform would
            // have lost it.
            let _ = socket.send(message);
        }
    }

    fn abandon(&self) {
        self.generation.set(self.generation.get() + 1);
        let socket = self.socket.borrow_mut().take();
        // Dropping closes the platform socket and detaches its listeners.
        drop(socket);
    }

    fn trace(&self, entry: &TraceEntry) {
        if let Some(tracer) = &self.tracer {
            tracer(entry);
        }
    }

    fn connect(self: &Rc<Self>, attempt: u32) {
        self.abandon();
        let this = self.this_attempt();
        let url = self.url.resolve();
        let protocols = self.protocols.resolve();
        wasm_bindgen_futures::spawn_local(async move {
            let (url, protocols) = both(url, protocols).await;
            if let Some(driver) = this.driver() {
                driver.open(attempt, url, protocols);
            }
        });
    }

    /// What a callback or a task of the current attempt holds of the driver.
    pub(super) fn this_attempt(self: &Rc<Self>) -> Attempt {
        Attempt {
            driver: Rc::downgrade(self),
            generation: self.generation.get(),
        }
    }

    /// Opens the socket of attempt `attempt` (the current one) with what the
    /// sources gave, or feeds the machine why it could not.
    fn open(
        self: &Rc<Self>,
        attempt: u32,
        url: Result<String, String>,
        protocols: Result<Vec<String>, String>,
    ) {
        let url = url.map_err(|e| format!("the URL provider failed: {e}"));
        let protocols = protocols.map_err(|e| format!("the protocols provider failed: {e}"));
        let this = self.this_attempt();
        let sink: EventSink = Rc::new(move |event| {
            if let Some(driver) = this.driver() {
                driver.on_event(event);
            }
        });
        let connected = url.and_then(|url| {
            let protocols = protocols?;
            if self.tracer.is_some() {
                self.trace(&TraceEntry::Attempt {
                    attempt,
                    url: url.clone(),
                    protocols: protocols.clone(),
                });
            }
            let mut builder = Socket::builder(url).protocols(protocols);
            if let Some(constructor) = self.constructor.clone() {
                builder = builder.constructor(constructor);
            }
            builder.connect_to(sink).map_err(|e| e.to_string())
        });
        match connected {
            Ok(socket) => *self.socket.borrow_mut() = Some(socket),
            Err(reason) => self.feed(Input::AttemptFailed { reason }),
        }
    }

    fn on_page_signal(self: &Rc<Self>, signal: PageSignal) {
        self.feed(match signal {
            PageSignal::Online => Input::Online,
            PageSignal::Offline => Input::Offline,
            PageSignal::Visible => Input::Visible,
            PageSignal::Restored => Input::Restored,
        });
    }
}

impl Driver {
    /// Sends now if open, else hands the message to the machine (queued,
    /// transmitted, or refused). The machine keeps a message it queues (or,
    /// with acknowledged delivery, every message): an owned one is moved
    /// there, a borrowed one copied.
    pub(crate) fn send(self: &Rc<Self>, message: Cow<'_, Message>) -> Result<Delivery, Error> {
        let mut peer_closing = false;
        // With acknowledged delivery the machine keeps what is sent.
        if self.ack_of.is_none() && *self.machine.borrow().state() == State::Open {
            if let Some(socket) = &*self.socket.borrow() {
                match socket.send(&message) {
                    Ok(()) => {
                        if self.note_buffered() {
                            self.run_actions();
                        }
                        return Ok(Delivery::Sent);
                    }
                    // The peer's close frame came first: the platform socket
                    // is closing and would discard the message.
                    Err(Error::NotOpen { .. }) => peer_closing = true,
                    Err(other) => return Err(other),
                }
            }
        }
        let outcome = if peer_closing {
            self.machine
                .borrow_mut()
                .send_after_peer_close(message.into_owned())
        } else {
            self.machine.borrow_mut().send(message.into_owned())
        };
        let delivery = match outcome {
            SendOutcome::Transmit(message) => {
                self.transmit(&message);
                if self.note_buffered() {
                    self.run_actions();
                }
                Ok(Delivery::Sent)
            }
            SendOutcome::Queued => {
                self.run_actions();
                Ok(Delivery::Queued)
            }
            SendOutcome::Rejected {
                because: Rejection::QueueFull,
                ..
            } => {
                let limits = self.machine.borrow().queue_limits();
                Err(Error::QueueFull {
                    max_messages: limits.max_messages,
                    max_bytes: limits.max_bytes,
                })
            }
            SendOutcome::Rejected {
                because: Rejection::Closed,
                ..
            } => Err(Error::NotOpen {
                state: self.machine.borrow().state().ready_state(),
            }),
        };
        // The queue or the unconfirmed count may have changed.
        self.publish_status();
        delivery
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.events.end();
        self.statuses.wake();
    }
}
