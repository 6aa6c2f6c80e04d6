//! [`ReconnectingSocket`]: a connection that comes back after it is lost.
//!
//! All decisions are the core [`Machine`]'s; this driver only carries out its
//! actions: one [`Socket`] at a time, one `setTimeout` for the machine's next
//! deadline, and the page's online/offline/visibility signals as inputs.

use super::environment::{self, PageSignal};
use super::event_queue::{Events, Fanout};
use super::listener::Listener;
use super::socket::{MessageRoute, Socket};
use super::timer::{now, Timer};
use super::typed::{TypedReceiver, TypedSender};
use crate::codec::{Decoder, Encoder};
use crate::core::backoff::Backoff;
use crate::core::close_policy::CloseInfo;
use crate::core::machine::{
    Action, Config, Heartbeat, Input, Machine, Notice, Rejection, SendOutcome, State,
};
use crate::core::queue::QueueLimits;
use crate::core::random::SplitMix64;
use crate::core::ready_state::ReadyState;
use crate::core::unconfirmed::KeyOf;
use crate::error::Error;
use crate::event::{Event, Message};
use std::cell::{Cell, RefCell};
use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::time::Duration;

type ProviderFuture<T> = Pin<Box<dyn Future<Output = Result<T, String>>>>;
type Provider<T> = Rc<dyn Fn() -> ProviderFuture<T>>;
type PongMatcher = Rc<dyn Fn(&Message) -> bool>;

/// A value, or a function asked for it before every attempt.
enum Source<T> {
    Fixed(T),
    Provider(Provider<T>),
}

impl<T: Clone + 'static> Source<T> {
    fn resolve(&self) -> ProviderFuture<T> {
        match self {
            Source::Fixed(value) => {
                let value = value.clone();
                Box::pin(async move { Ok(value) })
            }
            Source::Provider(provider) => provider(),
        }
    }
}

fn provider<T, E, F, Fut>(provider: F) -> Source<T>
where
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, E>> + 'static,
    E: Display,
{
    Source::Provider(Rc::new(move || {
        let future = provider();
        Box::pin(async move { future.await.map_err(|error| error.to_string()) })
    }))
}

/// What a [`ReconnectingSocket`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReconnectEvent {
    /// A message arrived (heartbeat replies are not reported).
    Message(Message),
    /// The connection's lifecycle: connecting, open, closed (with whether a
    /// retry follows), reconnecting, gave up, dropped messages.
    Lifecycle(Notice),
}

/// Whether [`ReconnectingSocket::send`] sent the message or queued it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Handed to the open socket.
    Sent,
    /// Queued; it is sent in order when the connection opens.
    Queued,
}

pub(super) struct Driver {
    machine: RefCell<Machine<SplitMix64>>,
    socket: RefCell<Option<Socket>>,
    /// Bumped for every attempt and every abandon: late events of an older
    /// socket or provider carry an older number and are ignored.
    generation: Cell<u64>,
    url: Source<String>,
    protocols: Source<Vec<String>>,
    constructor: Option<js_sys::Function>,
    is_pong: Option<PongMatcher>,
    /// With acknowledged delivery: the key an incoming acknowledgement confirms.
    ack_of: Option<KeyOf>,
    timer: RefCell<Option<Timer>>,
    events: Fanout<ReconnectEvent>,
    page: RefCell<Vec<Listener>>,
}

impl Driver {
    fn feed(self: &Rc<Self>, input: Input) {
        self.machine.borrow_mut().handle(now(), input);
        self.run_actions();
    }

    fn on_timer(self: &Rc<Self>) {
        drop(self.timer.borrow_mut().take());
        self.machine.borrow_mut().handle_timeout(now());
        self.run_actions();
    }

    fn run_actions(self: &Rc<Self>) {
        loop {
            let action = self.machine.borrow_mut().poll_action();
            let Some(action) = action else { break };
            match action {
                Action::Connect { .. } => self.connect(),
                Action::Transmit(message) => self.transmit(&message),
                Action::Close { code, reason } => {
                    if let Some(socket) = &*self.socket.borrow() {
                        // The machine checked code and reason already.
                        let _ = socket.close(code, &reason);
                    }
                }
                Action::Abandon => self.abandon(),
                Action::Notify(notice) => self.events.push(ReconnectEvent::Lifecycle(notice)),
            }
        }
        self.arm_timer();
    }

    /// A message of the current socket, straight from the platform callback.
    fn on_message(self: &Rc<Self>, message: Message) {
        if let Some(key) = self.ack_of.as_ref().and_then(|ack_of| ack_of(&message)) {
            // Fed here, inside the platform callback: an acknowledgement only
            // releases queued messages onto this same open socket, in order,
            // before any later send; it never replaces the socket.
            self.feed(Input::Acknowledged { key });
            return;
        }
        let is_pong = self
            .is_pong
            .as_ref()
            .is_some_and(|is_pong| is_pong(&message));
        if !is_pong {
            self.events.push(ReconnectEvent::Message(message));
            return;
        }
        // The machine is fed outside the platform callback: what it does next
        // may replace the socket whose callback this is.
        let driver = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(driver) = driver.upgrade() {
                driver.feed(Input::Pong);
            }
        });
    }

    fn arm_timer(self: &Rc<Self>) {
        let deadline = self.machine.borrow().poll_timeout();
        let timer = deadline.map(|deadline| {
            let driver = Rc::downgrade(self);
            Timer::once(deadline.saturating_sub(now()), move || {
                if let Some(driver) = driver.upgrade() {
                    driver.on_timer();
                }
            })
        });
        // Replacing the old timer cancels it.
        *self.timer.borrow_mut() = timer;
    }

    fn transmit(&self, message: &Message) {
        if let Some(socket) = &*self.socket.borrow() {
            // The machine transmits only while this socket is open, where the
            // platform accepts every message.
            let _ = socket.send(message);
        }
    }

    fn abandon(&self) {
        self.generation.set(self.generation.get() + 1);
        let socket = self.socket.borrow_mut().take();
        // Dropping closes the platform socket and detaches its listeners.
        drop(socket);
    }

    fn connect(self: &Rc<Self>) {
        self.abandon();
        let generation = self.generation.get();
        let driver = Rc::downgrade(self);
        let url = self.url.resolve();
        let protocols = self.protocols.resolve();
        let constructor = self.constructor.clone();
        let route = {
            let driver = driver.clone();
            MessageRoute::Sink(Rc::new(move |message| {
                if let Some(driver) = driver.upgrade() {
                    if driver.generation.get() == generation {
                        driver.on_message(message);
                    }
                }
            }))
        };
        wasm_bindgen_futures::spawn_local(async move {
            let url = url
                .await
                .map_err(|e| format!("the URL provider failed: {e}"));
            let protocols = protocols
                .await
                .map_err(|e| format!("the protocols provider failed: {e}"));
            let Some(strong) = driver.upgrade() else {
                return;
            };
            if strong.generation.get() != generation {
                return;
            }
            let connected = url.and_then(|url| {
                let mut builder = Socket::builder(url).protocols(protocols?).messages(route);
                if let Some(constructor) = constructor {
                    builder = builder.constructor(constructor);
                }
                builder.connect().map_err(|e| e.to_string())
            });
            match connected {
                Ok(socket) => {
                    let events = socket.events();
                    *strong.socket.borrow_mut() = Some(socket);
                    drop(strong);
                    pump(driver, generation, events).await;
                }
                Err(reason) => strong.feed(Input::AttemptFailed { reason }),
            }
        });
    }

    fn on_page_signal(self: &Rc<Self>, signal: PageSignal) {
        self.feed(match signal {
            PageSignal::Online => Input::Online,
            PageSignal::Offline => Input::Offline,
            PageSignal::Visible => Input::Visible,
        });
    }
}

impl Driver {
    pub(super) fn send(self: &Rc<Self>, message: &Message) -> Result<Delivery, Error> {
        let mut peer_closing = false;
        // With acknowledged delivery the machine keeps what is sent.
        if self.ack_of.is_none() && *self.machine.borrow().state() == State::Open {
            if let Some(socket) = &*self.socket.borrow() {
                match socket.send(message) {
                    Ok(()) => return Ok(Delivery::Sent),
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
                .send_after_peer_close(message.clone())
        } else {
            self.machine.borrow_mut().send(message.clone())
        };
        match outcome {
            SendOutcome::Transmit(message) => {
                self.transmit(&message);
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
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.events.end();
    }
}

/// Feeds one socket's events to the machine until it closes or is replaced.
async fn pump(driver: Weak<Driver>, generation: u64, mut events: Events<Event>) {
    while let Some(event) = events.next_event().await {
        let Some(driver) = driver.upgrade() else {
            return;
        };
        if driver.generation.get() != generation {
            return;
        }
        match event {
            Event::Open { protocol } => driver.feed(Input::Opened { protocol }),
            // Messages go to the driver's sink, not through here.
            Event::Message(message) => driver.events.push(ReconnectEvent::Message(message)),
            Event::Error => driver.feed(Input::Error),
            Event::Closed {
                code,
                reason,
                was_clean,
            } => {
                let finished = driver.socket.borrow_mut().take();
                drop(finished);
                driver.feed(Input::Closed(CloseInfo {
                    code,
                    reason,
                    was_clean,
                }));
            }
        }
    }
}

/// Builds a [`ReconnectingSocket`]. Every option has a documented default.
pub struct ReconnectingSocketBuilder {
    url: Source<String>,
    protocols: Source<Vec<String>>,
    constructor: Option<js_sys::Function>,
    config: Config,
    is_pong: Option<PongMatcher>,
    ack_of: Option<KeyOf>,
    seed: Option<u64>,
}

impl ReconnectingSocketBuilder {
    /// The subprotocols to offer, most preferred first (default: none).
    pub fn protocols<I, S>(mut self, protocols: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.protocols = Source::Fixed(protocols.into_iter().map(Into::into).collect());
        self
    }

    /// Asks `provider` for the URL before every attempt (fresh credentials in a
    /// query string, a new server). A provider error is a failed attempt.
    pub fn url_provider<E, F, Fut>(mut self, provider_fn: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<String, E>> + 'static,
        E: Display,
    {
        self.url = provider(provider_fn);
        self
    }

    /// Asks `provider` for the subprotocols before every attempt.
    pub fn protocols_provider<E, F, Fut>(mut self, provider_fn: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<Vec<String>, E>> + 'static,
        E: Display,
    {
        self.protocols = provider(provider_fn);
        self
    }

    /// The `WebSocket` constructor to use instead of `globalThis.WebSocket`
    /// (such as the `ws` package's in Node).
    pub fn constructor(mut self, constructor: js_sys::Function) -> Self {
        self.constructor = Some(constructor);
        self
    }

    /// Reconnect delays (default [`Backoff::DEFAULT`]: 1 s doubling to 30 s, full jitter, forever).
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.config.backoff = backoff;
        self
    }

    /// How long an attempt may take to open (default 10 s; `None` waits forever).
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// How long a connection must stay open before the backoff starts over (default 5 s).
    pub fn min_uptime(mut self, uptime: Duration) -> Self {
        self.config.min_uptime = uptime;
        self
    }

    /// Bounds of the queue of messages sent while not open (default 1,000 messages, 1 MiB, reject new).
    pub fn queue(mut self, limits: QueueLimits) -> Self {
        self.config.queue = limits;
        self
    }

    /// Turns on the heartbeat (default off); `is_pong` recognises the reply,
    /// which is not reported as a message.
    pub fn heartbeat(
        mut self,
        heartbeat: Heartbeat,
        is_pong: impl Fn(&Message) -> bool + 'static,
    ) -> Self {
        self.config.heartbeat = Some(heartbeat);
        self.is_pong = Some(Rc::new(is_pong));
        self
    }

    /// Turns on acknowledged delivery (default off): `key_of` names each
    /// outgoing message to track (`None`: not tracked; keys should be unique),
    /// `ack_of` recognises an incoming acknowledgement and the key it confirms
    /// (with every message sent before it); acknowledgements are not reported
    /// as messages. What is unconfirmed when a connection is lost is sent
    /// again, first, on the next one, so the server must drop what it has
    /// already seen by key. At most as many messages and bytes as the queue
    /// holds are unconfirmed at once; further sends wait in the queue, in
    /// order, for acknowledgements (and fail with [`Error::QueueFull`] only
    /// when the queue is full too). When the socket closes for good, each
    /// unconfirmed message is reported as dropped.
    pub fn acknowledgements(
        mut self,
        key_of: impl Fn(&Message) -> Option<String> + 'static,
        ack_of: impl Fn(&Message) -> Option<String> + 'static,
    ) -> Self {
        self.config.acknowledge = Some(Rc::new(key_of));
        self.ack_of = Some(Rc::new(ack_of));
        self
    }

    /// Decides whether to reconnect after a close (default
    /// [`crate::core::close_policy::default_should_reconnect`]).
    pub fn should_reconnect(mut self, predicate: impl Fn(&CloseInfo) -> bool + 'static) -> Self {
        self.config.should_reconnect = Rc::new(predicate);
        self
    }

    /// Seeds the jitter (default: a random seed), for reproducible delays.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    fn check(&self) -> Result<(), Error> {
        self.config.check()?;
        if self.constructor.is_none() && !super::socket::has_global_websocket() {
            return Err(Error::NoWebSocket);
        }
        if let Source::Fixed(url) = &self.url {
            super::platform::resolve_url(url)?;
        }
        if let Source::Fixed(protocols) = &self.protocols {
            crate::core::validation::check_protocols(protocols)?;
        }
        Ok(())
    }

    /// Checks every option and fixed value, then starts the first attempt.
    pub fn connect(self) -> Result<ReconnectingSocket, Error> {
        self.check()?;
        let seed = self.seed.unwrap_or_else(|| {
            (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64 ^ now().as_millis() as u64
        });
        let driver = Rc::new(Driver {
            machine: RefCell::new(Machine::new(self.config, SplitMix64::new(seed), now())),
            socket: RefCell::new(None),
            generation: Cell::new(0),
            url: self.url,
            protocols: self.protocols,
            constructor: self.constructor,
            is_pong: self.is_pong,
            ack_of: self.ack_of,
            timer: RefCell::new(None),
            events: Fanout::default(),
            page: RefCell::new(Vec::new()),
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
        Ok(ReconnectingSocket { driver })
    }
}

/// A WebSocket connection that reconnects with jittered exponential backoff
/// when it is lost, queues what is sent meanwhile, and stops when told to.
///
/// Dropping it closes the connection, cancels its timer and detaches every
/// callback.
pub struct ReconnectingSocket {
    driver: Rc<Driver>,
}

impl ReconnectingSocket {
    /// Starts building a reconnecting socket for `url`.
    pub fn builder(url: impl Into<String>) -> ReconnectingSocketBuilder {
        ReconnectingSocketBuilder {
            url: Source::Fixed(url.into()),
            protocols: Source::Fixed(Vec::new()),
            constructor: None,
            config: Config::default(),
            is_pong: None,
            ack_of: None,
            seed: None,
        }
    }

    /// A subscription to this socket's events (see [`Events`]); it ends when the socket is dropped.
    pub fn events(&self) -> Events<ReconnectEvent> {
        self.driver.events.subscribe()
    }

    /// Sends now if open; otherwise queues a copy within the queue's bounds.
    /// Fails with [`Error::QueueFull`] or, once closed for good, [`Error::NotOpen`].
    pub fn send(&self, message: &Message) -> Result<Delivery, Error> {
        self.driver.send(message)
    }

    /// A typed view: a sender of `Out` and a receiver of `In`, encoded and
    /// decoded by `codec`. Take as many views as you like; each receiver sees
    /// every message from now on, and this handle keeps control of the
    /// connection (state, close, reconnect) wherever the views go.
    pub fn typed<Out, In, C>(&self, codec: C) -> (TypedSender<Out, C>, TypedReceiver<In, C>)
    where
        C: Encoder<Out> + Decoder<In> + Clone,
    {
        let sender = TypedSender::new(Rc::downgrade(&self.driver), codec.clone());
        (sender, TypedReceiver::new(self.events(), codec))
    }

    /// Closes for good, in any state: no reconnect follows. `code` must be
    /// 1000 or 3000–4999 and `reason` at most 123 bytes of UTF-8.
    pub fn close(&self, code: u16, reason: &str) -> Result<(), Error> {
        self.driver.machine.borrow_mut().close(code, reason)?;
        self.driver.run_actions();
        Ok(())
    }

    /// Reconnects now, from any state (also after [`ReconnectingSocket::close`]
    /// or after retries ran out), with the backoff started over.
    pub fn reconnect(&self) {
        self.driver.feed(Input::Reconnect);
    }

    /// Messages sent and not yet acknowledged (see
    /// [`ReconnectingSocketBuilder::acknowledgements`]).
    pub fn unconfirmed_messages(&self) -> usize {
        self.driver.machine.borrow().unconfirmed_messages()
    }

    /// Where the connection stands, with attempt numbers and delays.
    pub fn state(&self) -> State {
        self.driver.machine.borrow().state().clone()
    }

    /// The WebSocket-compatible state: CONNECTING while an attempt or a retry
    /// is pending, CLOSED only when closed for good.
    pub fn ready_state(&self) -> ReadyState {
        self.driver.machine.borrow().state().ready_state()
    }

    /// The subprotocol of the current connection.
    pub fn protocol(&self) -> Option<String> {
        self.driver
            .socket
            .borrow()
            .as_ref()
            .and_then(Socket::protocol)
    }

    /// The extensions the server accepted on the current connection, or `""`.
    pub fn extensions(&self) -> String {
        self.driver
            .socket
            .borrow()
            .as_ref()
            .map_or_else(String::new, Socket::extensions)
    }

    /// Bytes not yet transmitted: the platform's buffer plus the queue.
    pub fn buffered_amount(&self) -> u64 {
        let platform = self
            .driver
            .socket
            .borrow()
            .as_ref()
            .map_or(0, Socket::buffered_amount);
        u64::from(platform) + self.driver.machine.borrow().queued_bytes() as u64
    }

    /// Messages waiting in the queue.
    pub fn queued_messages(&self) -> usize {
        self.driver.machine.borrow().queued_messages()
    }

    /// The bounds of the queue.
    pub fn queue_limits(&self) -> QueueLimits {
        self.driver.machine.borrow().queue_limits()
    }
}
