//! [`ReconnectingSocketBuilder`]: the options of a [`ReconnectingSocket`],
//! each with a documented default, checked before the first attempt.

use super::driver::{Driver, Tracer};
use super::source::{provider, Source};
use super::{PongMatcher, ReconnectingSocket, Status};
use crate::core::backoff::Backoff;
use crate::core::close_policy::CloseInfo;
use crate::core::flow::WaterMarks;
use crate::core::machine::{Config, Heartbeat, Machine};
use crate::core::queue::QueueLimits;
use crate::core::random::SplitMix64;
use crate::core::trace::TraceEntry;
use crate::core::unconfirmed::KeyOf;
use crate::core::validation::{websocket_url, UrlProblem};
use crate::error::Error;
use crate::event::Message;
use crate::web::timer::now;
use std::fmt::Display;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

/// Builds a [`ReconnectingSocket`]. Every option has a documented default.
pub struct ReconnectingSocketBuilder {
    url: Source<String>,
    protocols: Source<Vec<String>>,
    constructor: Option<js_sys::Function>,
    config: Config,
    is_pong: Option<PongMatcher>,
    ack_of: Option<KeyOf>,
    seed: Option<u64>,
    tracer: Option<Tracer>,
}

impl ReconnectingSocketBuilder {
    pub(super) fn new(url: String) -> Self {
        ReconnectingSocketBuilder {
            url: Source::Fixed(url),
            protocols: Source::Fixed(Vec::new()),
            constructor: None,
            config: Config::default(),
            is_pong: None,
            ack_of: None,
            seed: None,
            tracer: None,
        }
    }

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

    /// Backpressure's water marks over what is not yet transmitted, the
    /// platform's `bufferedAmount` plus the queue (default high 1 MiB, low
    /// 256 KiB): above the high mark the [`futures_sink::Sink`]s and
    /// [`ReconnectingSocket::drained`] wait until it falls to the low mark.
    /// `low` must not be more than `high`.
    pub fn water_marks(mut self, marks: WaterMarks) -> Self {
        self.config.water_marks = marks;
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

    /// Reads a server's hint of when to come back from each close (`None`: no
    /// hint), instead of the default [`crate::core::retry_hint::default_retry_after`]:
    /// `retry-after=<seconds>` in the close reason. A hinted retry starts no
    /// earlier than the hint, spread uniformly up to 1.5 times it
    /// ([`crate::DelaySource::Hint`]); a hint longer than a day is a day.
    ///
    /// ```
    /// # fn demo() -> Result<(), steadysocket::Error> {
    /// use std::time::Duration;
    /// // This server writes the seconds as the whole reason of its 4000 closes.
    /// let socket = steadysocket::ReconnectingSocket::builder("wss://example.com/feed")
    ///     .retry_after(|close| {
    ///         let seconds: u64 = close.reason.parse().ok().filter(|_| close.code == 4000)?;
    ///         Some(Duration::from_secs(seconds))
    ///     })
    ///     .connect()?;
    /// # drop(socket);
    /// # Ok(())
    /// # }
    /// ```
    pub fn retry_after(
        mut self,
        reader: impl Fn(&CloseInfo) -> Option<Duration> + 'static,
    ) -> Self {
        self.config.retry_after = Rc::new(reader);
        self
    }

    /// Turns on the trace (default off): `tracer` receives one
    /// [`TraceEntry`] for every decision (attempts with their URL, opens,
    /// closes, retries and why, queued, flushed, dropped and acknowledged
    /// messages, congestion and drain, giving up); its `Display` explains it.
    /// Off, nothing is built for it.
    ///
    /// ```
    /// # fn demo() -> Result<(), steadysocket::Error> {
    /// let log = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    /// let lines = log.clone();
    /// let socket = steadysocket::ReconnectingSocket::builder("wss://example.com/feed")
    ///     .trace(move |entry| lines.borrow_mut().push(entry.to_string()))
    ///     .connect()?;
    /// // log: "attempt 0: connecting to wss://example.com/feed", "open", …
    /// # drop(socket);
    /// # Ok(())
    /// # }
    /// ```
    pub fn trace(mut self, tracer: impl Fn(&TraceEntry) + 'static) -> Self {
        self.config.trace = true;
        self.tracer = Some(Rc::new(tracer));
        self
    }

    /// Seeds the jitter (default: a random seed), for reproducible delays.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The checks that need no platform: the options and fixed protocols.
    fn check_options(&self) -> Result<(), Error> {
        self.config.check()?;
        if let Source::Fixed(protocols) = &self.protocols {
            crate::core::validation::check_protocols(protocols)?;
        }
        Ok(())
    }

    fn check(&self) -> Result<(), Error> {
        self.check_options()?;
        if self.constructor.is_none() && !crate::web::socket::has_global_websocket() {
            return Err(Error::NoWebSocket);
        }
        if let Source::Fixed(url) = &self.url {
            crate::web::platform::resolve_url(url)?;
        }
        Ok(())
    }

    /// The status every socket has before its first attempt, without
    /// connecting: what a server render shows (there is no platform
    /// `WebSocket` there), and what the browser renders first when it
    /// hydrates that page, so the two agree. Connect in the browser (in an
    /// effect, which a server render does not run) and follow
    /// [`ReconnectingSocket::statuses`] from there. It makes the checks that
    /// need no platform: the options, fixed protocols, and a fixed URL
    /// unless it is relative (the browser resolves that against its page).
    /// [`crate::leptos::use_socket`] does this for Leptos by itself.
    ///
    /// ```
    /// use steadysocket::{ReconnectingSocket, State};
    ///
    /// let status = ReconnectingSocket::builder("wss://example.com/chat")
    ///     .status_before_connecting()
    ///     .unwrap();
    /// assert_eq!(status.state, State::Connecting { attempt: 0 });
    /// assert_eq!(status.queued_messages, 0);
    /// ```
    pub fn status_before_connecting(self) -> Result<Status, Error> {
        self.check_options()?;
        if let Source::Fixed(url) = &self.url {
            match websocket_url(url) {
                Err(error) if error.problem != UrlProblem::RelativeWithoutBase => {
                    return Err(error.into())
                }
                _ => {}
            }
        }
        let machine = Machine::new(self.config, SplitMix64::new(0), Duration::ZERO);
        Ok(Status::of(&machine))
    }

    /// Checks every option and fixed value, then starts the first attempt.
    pub fn connect(self) -> Result<ReconnectingSocket, Error> {
        self.check()?;
        let seed = self.seed.unwrap_or_else(|| {
            (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64 ^ now().as_millis() as u64
        });
        let machine = Machine::new(self.config, SplitMix64::new(seed), now());
        let driver = Driver::start(
            machine,
            self.url,
            self.protocols,
            self.constructor,
            self.is_pong,
            self.ack_of,
            self.tracer,
        );
        Ok(ReconnectingSocket { driver })
    }
}
