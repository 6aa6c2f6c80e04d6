//! Transcript tests of the reconnect machine with a fake clock that jumps to
//! the next deadline, plus a random-input property test of its invariants.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use std::rc::Rc;
use std::time::Duration;
use steadysocket::core::backoff::{Backoff, Jitter};
use steadysocket::core::close_policy::{default_should_reconnect, CloseInfo};
use steadysocket::core::machine::*;
use steadysocket::core::payload::Payload;
use steadysocket::core::queue::{Overflow, QueueLimits};
use steadysocket::core::random::SplitMix64;
use steadysocket::{Error, Message, ReadyState, WaterMarks};

const SECOND: Duration = Duration::from_secs(1);

struct Harness {
    machine: Machine<SplitMix64>,
    now: Duration,
}

impl Harness {
    fn new(config: Config) -> Self {
        Harness {
            machine: Machine::new(config, SplitMix64::new(7), Duration::ZERO),
            now: Duration::ZERO,
        }
    }

    fn actions(&mut self) -> Vec<Action> {
        std::iter::from_fn(|| self.machine.poll_action()).collect()
    }

    fn input(&mut self, input: Input) -> Vec<Action> {
        self.machine.handle(self.now, input);
        self.actions()
    }

    /// Jumps the clock to the next deadline and fires it.
    fn jump(&mut self) -> Vec<Action> {
        let deadline = self.machine.poll_timeout().expect("a deadline is pending");
        assert!(deadline >= self.now, "deadline in the past");
        self.now = deadline;
        self.machine.handle_timeout(self.now);
        self.actions()
    }

    fn open(&mut self) -> Vec<Action> {
        self.input(Input::Opened {
            protocol: Some("p".into()),
        })
    }

    fn state(&self) -> State {
        self.machine.state().clone()
    }
}

fn close(code: u16, reason: &str, was_clean: bool) -> CloseInfo {
    CloseInfo {
        code,
        reason: reason.into(),
        was_clean,
    }
}

fn notify(notice: Notice) -> Action {
    Action::Notify(notice)
}

fn no_jitter() -> Config {
    Config {
        backoff: Backoff::DEFAULT.with_jitter(Jitter::None),
        ..Config::default()
    }
}

#[test]
fn first_attempt_connects_at_once_with_a_timeout() {
    let mut h = Harness::new(Config::default());
    assert_eq!(
        h.actions(),
        [
            notify(Notice::Connecting { attempt: 0 }),
            Action::Connect { attempt: 0 }
        ]
    );
    assert_eq!(h.state().ready_state(), ReadyState::Connecting);
    assert_eq!(
        h.machine.poll_timeout(),
        Some(10 * SECOND),
        "connect timeout"
    );
    assert_eq!(
        h.open(),
        [notify(Notice::Open {
            protocol: Some("p".into()),
            reconnected: false
        })]
    );
    assert_eq!(h.state(), State::Open);
}

#[test]
fn a_dropped_connection_reconnects_after_a_growing_delay() {
    let mut h = Harness::new(no_jitter());
    h.actions();
    h.open();
    let dropped = close(1006, "", false);
    assert_eq!(
        h.input(Input::Closed(dropped.clone())),
        [
            notify(Notice::Error),
            notify(Notice::Closed {
                close: dropped.clone(),
                will_retry: true
            }),
            notify(Notice::Reconnecting {
                attempt: 1,
                delay: SECOND,
                source: DelaySource::Backoff,
            }),
        ]
    );
    assert_eq!(
        h.state(),
        State::Waiting {
            attempt: 1,
            delay: SECOND
        }
    );
    assert_eq!(h.state().ready_state(), ReadyState::Connecting);
    assert_eq!(
        h.jump(),
        [
            notify(Notice::Connecting { attempt: 1 }),
            Action::Connect { attempt: 1 }
        ]
    );
    assert_eq!(h.now, SECOND);
    // It fails again before opening: the next delay doubles.
    let actions = h.input(Input::Closed(dropped.clone()));
    assert_eq!(
        actions[2],
        notify(Notice::Reconnecting {
            attempt: 2,
            delay: 2 * SECOND,
            source: DelaySource::Backoff,
        })
    );
    h.jump();
    assert_eq!(
        h.open()[0],
        notify(Notice::Open {
            protocol: Some("p".into()),
            reconnected: true
        })
    );
}

#[test]
fn backoff_resets_only_after_min_uptime() {
    let mut h = Harness::new(no_jitter());
    h.actions();
    h.open();
    h.input(Input::Closed(close(1006, "", false)));
    h.jump();
    h.open();
    // Open for less than min_uptime (5 s): the next delay keeps growing.
    h.now += 4 * SECOND;
    let actions = h.input(Input::Closed(close(1006, "", false)));
    assert_eq!(
        actions[2],
        notify(Notice::Reconnecting {
            attempt: 2,
            delay: 2 * SECOND,
            source: DelaySource::Backoff,
        })
    );
    h.jump();
    h.open();
    // Open for min_uptime: the backoff starts over. No timer runs meanwhile
    // (an idle connection without a heartbeat has nothing to do).
    assert_eq!(h.machine.poll_timeout(), None, "no timer while open");
    h.now += 5 * SECOND;
    let actions = h.input(Input::Closed(close(1006, "", false)));
    assert_eq!(
        actions[2],
        notify(Notice::Reconnecting {
            attempt: 1,
            delay: SECOND,
            source: DelaySource::Backoff,
        })
    );
}

#[test]
fn stop_rules_close_for_good() {
    for code in [1002, 1003, 1007, 1008, 1009, 1010, 1015, 3000, 3003] {
        let mut h = Harness::new(Config::default());
        h.actions();
        h.open();
        let info = close(code, "no", true);
        assert_eq!(
            h.input(Input::Closed(info.clone())),
            [notify(Notice::Closed {
                close: info,
                will_retry: false
            })]
        );
        assert_eq!(h.state(), State::Closed, "code {code}");
        assert_eq!(h.machine.poll_timeout(), None);
    }
    for code in [
        1000, 1001, 1005, 1006, 1011, 1012, 1013, 1014, 3008, 4000, 4999,
    ] {
        assert!(
            default_should_reconnect(&close(code, "", true)),
            "code {code} retries"
        );
    }
}

#[test]
fn a_custom_predicate_decides() {
    let config = Config {
        should_reconnect: Rc::new(|c: &CloseInfo| c.reason != "stop"),
        ..Config::default()
    };
    let mut h = Harness::new(config);
    h.actions();
    h.open();
    h.input(Input::Closed(close(1001, "stop", true)));
    assert_eq!(h.state(), State::Closed);
}

#[test]
fn close_stops_in_every_state() {
    // Open: the closing handshake, then closed for good.
    let mut h = Harness::new(Config::default());
    h.actions();
    h.open();
    h.machine.close(h.now, 4000, "bye").unwrap();
    assert_eq!(
        h.actions(),
        [Action::Close {
            code: 4000,
            reason: "bye".into()
        }]
    );
    assert_eq!(h.state(), State::Closing);
    let info = close(4000, "bye", true);
    assert_eq!(
        h.input(Input::Closed(info.clone())),
        [notify(Notice::Closed {
            close: info,
            will_retry: false
        })]
    );
    assert_eq!((h.state(), h.machine.poll_timeout()), (State::Closed, None));

    // Connecting: the attempt is abandoned.
    let mut h = Harness::new(Config::default());
    h.actions();
    h.machine.close(h.now, 1000, "").unwrap();
    assert_eq!(
        h.actions(),
        [
            Action::Abandon,
            notify(Notice::Closed {
                close: close(1006, "", false),
                will_retry: false
            })
        ]
    );
    assert_eq!((h.state(), h.machine.poll_timeout()), (State::Closed, None));

    // Waiting: the retry is cancelled.
    let mut h = Harness::new(Config::default());
    h.actions();
    h.input(Input::Closed(close(1006, "", false)));
    h.machine.close(h.now, 1000, "done").unwrap();
    assert_eq!(
        h.actions(),
        [notify(Notice::Closed {
            close: close(1000, "done", true),
            will_retry: false
        })]
    );
    assert_eq!((h.state(), h.machine.poll_timeout()), (State::Closed, None));
    h.machine.handle_timeout(h.now + 3600 * SECOND);
    assert!(h.actions().is_empty(), "no timer survives close()");

    // Closed: nothing more; bad arguments are errors.
    h.machine.close(h.now, 1000, "").unwrap();
    assert!(h.actions().is_empty());
    assert_eq!(
        h.machine.close(h.now, 1006, "").map_err(Error::from),
        Err(Error::InvalidCloseCode { code: 1006 })
    );
}

#[test]
fn connect_timeout_abandons_and_retries() {
    let mut h = Harness::new(no_jitter());
    h.actions();
    let timeout = close(1006, "connect timeout", false);
    assert_eq!(
        h.jump(),
        [
            Action::Abandon,
            notify(Notice::AttemptFailed {
                reason: "connect timeout".into()
            }),
            notify(Notice::Error),
            notify(Notice::Closed {
                close: timeout,
                will_retry: true
            }),
            notify(Notice::Reconnecting {
                attempt: 1,
                delay: SECOND,
                source: DelaySource::Backoff,
            }),
        ]
    );
    assert_eq!(h.now, 10 * SECOND);
    assert_eq!(h.jump()[1], Action::Connect { attempt: 1 });
    // A late Opened or Closed of the abandoned socket would be dropped by the
    // driver; the machine also ignores stale inputs where they cannot apply.
    h.machine.close(h.now, 1000, "").unwrap();
    h.actions();
    assert!(h.input(Input::Opened { protocol: None }).is_empty());
}

#[test]
fn max_retries_gives_up_and_reconnect_starts_over() {
    let config = Config {
        backoff: Backoff::DEFAULT.with_max_retries(Some(2)),
        ..Config::default()
    };
    let mut h = Harness::new(config);
    h.actions();
    for attempt in 1..=2 {
        let actions = h.input(Input::Closed(close(1006, "", false)));
        assert!(
            matches!(actions[2], Action::Notify(Notice::Reconnecting { attempt: a, .. }) if a == attempt)
        );
        h.jump();
    }
    let failed = close(1006, "", false);
    assert_eq!(
        h.input(Input::Closed(failed.clone())),
        [
            notify(Notice::Error),
            notify(Notice::GaveUp { attempts: 2 }),
            notify(Notice::Closed {
                close: failed,
                will_retry: false
            }),
        ],
        "the final close is the last notice"
    );
    assert_eq!(
        (h.state(), h.state().ready_state()),
        (State::Closed, ReadyState::Closed)
    );
    assert_eq!(
        h.input(Input::Reconnect),
        [
            notify(Notice::Connecting { attempt: 0 }),
            Action::Connect { attempt: 0 }
        ]
    );
}

#[test]
fn reconnect_replaces_the_current_socket() {
    let mut h = Harness::new(Config::default());
    h.actions();
    h.open();
    assert_eq!(
        h.input(Input::Reconnect),
        [
            Action::Abandon,
            notify(Notice::Closed {
                close: close(1000, "reconnect", false),
                will_retry: true
            }),
            notify(Notice::Connecting { attempt: 0 }),
            Action::Connect { attempt: 0 }
        ],
        "the replaced connection's close is reported"
    );
    // Closing, then reconnect at once: the close reports what close() sent.
    h.open();
    h.machine.close(h.now, 1000, "bye").unwrap();
    h.actions();
    assert_eq!(
        h.input(Input::Reconnect)[..2],
        [
            Action::Abandon,
            notify(Notice::Closed {
                close: close(1000, "bye", false),
                will_retry: true
            }),
        ]
    );
    // An attempt replaced before it opened ends as one that never opened.
    assert_eq!(
        h.input(Input::Reconnect)[..2],
        [
            Action::Abandon,
            notify(Notice::Closed {
                close: close(1006, "reconnect", false),
                will_retry: true
            }),
        ]
    );
}

/// A driver that frees the action room after every step (the npm
/// package's, for idle sockets) sees the same actions as one that keeps it.
#[test]
fn releasing_the_action_room_between_steps_changes_no_decision() {
    let run = |release: bool| {
        let mut h = Harness::new(no_jitter());
        let step = |h: &mut Harness, actions: Vec<Action>| {
            if release {
                h.machine.release_action_room();
            }
            actions
        };
        let mut seen = Vec::new();
        let first = h.actions();
        seen.push(step(&mut h, first));
        for _ in 0..3 {
            let opened = h.open();
            seen.push(step(&mut h, opened));
            let transmit = h.machine.send("m".into());
            assert_eq!(transmit, SendOutcome::Transmit("m".into()));
            let dropped = h.input(Input::Closed(close(1006, "", false)));
            seen.push(step(&mut h, dropped));
            assert_eq!(h.machine.send("q".into()), SendOutcome::Queued);
            let retried = h.jump();
            seen.push(step(&mut h, retried));
        }
        seen
    };
    assert_eq!(run(true), run(false));
}

#[test]
fn messages_queue_while_not_open_and_flush_in_order() {
    let config = Config {
        queue: QueueLimits {
            max_messages: 2,
            max_bytes: 100,
            overflow: Overflow::RejectNew,
        },
        ..Config::default()
    };
    let mut h = Harness::new(config);
    h.actions();
    assert_eq!(h.machine.send("a".into()), SendOutcome::Queued);
    assert_eq!(h.machine.send("b".into()), SendOutcome::Queued);
    assert_eq!(
        h.machine.send("c".into()),
        SendOutcome::Rejected {
            message: "c".into(),
            because: Rejection::QueueFull
        }
    );
    assert_eq!(
        (h.machine.queued_messages(), h.machine.queued_bytes()),
        (2, 2)
    );
    let actions = h.open();
    assert_eq!(
        actions[1..],
        [Action::Transmit("a".into()), Action::Transmit("b".into())]
    );
    assert_eq!(
        h.machine.send("d".into()),
        SendOutcome::Transmit("d".into())
    );
    h.machine.close(h.now, 1000, "").unwrap();
    assert_eq!(
        h.machine.send("e".into()),
        SendOutcome::Rejected {
            message: "e".into(),
            because: Rejection::Closed
        }
    );
}

#[test]
fn drop_oldest_and_closing_for_good_report_every_dropped_message() {
    let config = Config {
        queue: QueueLimits {
            max_messages: 1,
            max_bytes: 100,
            overflow: Overflow::DropOldest,
        },
        ..Config::default()
    };
    let mut h = Harness::new(config);
    h.actions();
    assert_eq!(h.machine.send("old".into()), SendOutcome::Queued);
    assert_eq!(h.machine.send("new".into()), SendOutcome::Queued);
    assert_eq!(h.actions(), [notify(Notice::Dropped("old".into()))]);
    h.machine.close(h.now, 1000, "").unwrap();
    let actions = h.actions();
    assert_eq!(
        actions[actions.len() - 2..],
        [
            notify(Notice::Dropped("new".into())),
            notify(Notice::Closed {
                close: close(1006, "", false),
                will_retry: false
            })
        ],
        "what was queued is reported dropped, then the close: the last notice"
    );
}

#[test]
fn sends_after_the_peers_close_frame_wait_for_the_next_connection() {
    let mut h = Harness::new(no_jitter());
    h.actions();
    h.open();
    // The platform socket is closing (the server's 1012 came first).
    assert_eq!(
        h.machine.send_after_peer_close("x".into()),
        SendOutcome::Queued
    );
    assert_eq!(
        h.machine.send_after_peer_close("y".into()),
        SendOutcome::Queued
    );
    assert!(
        h.actions().is_empty(),
        "nothing transmitted on the closing socket"
    );
    h.input(Input::Closed(close(1012, "restart", true)));
    assert_eq!(h.machine.queued_messages(), 2);
    h.jump();
    let actions = h.open();
    assert_eq!(
        actions[1..],
        [Action::Transmit("x".into()), Action::Transmit("y".into())]
    );
    // If the close that follows is for good, what waited is reported dropped.
    assert_eq!(
        h.machine.send_after_peer_close("z".into()),
        SendOutcome::Queued
    );
    let policy = close(1008, "policy", true);
    let actions = h.input(Input::Closed(policy.clone()));
    assert_eq!(
        actions,
        [
            notify(Notice::Dropped("z".into())),
            notify(Notice::Closed {
                close: policy,
                will_retry: false
            })
        ]
    );
    assert_eq!(h.state(), State::Closed);
}

/// Acknowledged delivery keyed by the text itself; "-" messages are not tracked.
fn acknowledged(max_messages: usize) -> Config {
    Config {
        acknowledge: Some(Rc::new(|message: &Message| match message {
            Message::Text(text) if text != "-" => Some(text.clone()),
            _ => None,
        })),
        queue: QueueLimits {
            max_messages,
            max_bytes: 100,
            overflow: Overflow::RejectNew,
        },
        ..no_jitter()
    }
}

#[test]
fn unconfirmed_messages_are_sent_again_first_on_the_next_connection() {
    let mut h = Harness::new(acknowledged(10));
    h.actions();
    h.open();
    for text in ["a", "-", "b", "c"] {
        assert_eq!(
            h.machine.send(text.into()),
            SendOutcome::Transmit(text.into())
        );
    }
    assert_eq!(h.machine.unconfirmed_messages(), 3, "\"-\" is not tracked");
    h.input(Input::Acknowledged { key: "a".into() });
    assert_eq!(h.machine.unconfirmed_messages(), 2);
    h.input(Input::Closed(close(1006, "", false)));
    assert_eq!(h.machine.send("d".into()), SendOutcome::Queued);
    h.jump();
    let actions = h.open();
    assert_eq!(
        actions[1..],
        [
            Action::Transmit("b".into()),
            Action::Transmit("c".into()),
            Action::Transmit("d".into())
        ],
        "unconfirmed first, then the queue"
    );
    // An acknowledgement confirms its message and every one before it.
    assert_eq!(
        h.input(Input::Acknowledged { key: "c".into() }),
        [
            notify(Notice::Acknowledged("b".into())),
            notify(Notice::Acknowledged("c".into()))
        ]
    );
    assert_eq!(h.machine.unconfirmed_messages(), 1);
    h.input(Input::Acknowledged {
        key: "unknown".into(),
    });
    assert_eq!(h.machine.unconfirmed_messages(), 1);
    h.machine.close(h.now, 1000, "").unwrap();
    let actions = h.input(Input::Closed(close(1000, "", true)));
    assert_eq!(
        actions[actions.len() - 2..],
        [
            notify(Notice::Dropped("d".into())),
            notify(Notice::Closed {
                close: close(1000, "", true),
                will_retry: false
            })
        ],
        "closed for good: what is unconfirmed is reported, before the close"
    );
}

#[test]
fn with_as_many_unconfirmed_as_the_queue_holds_sends_wait_for_acknowledgements() {
    let mut h = Harness::new(acknowledged(2));
    h.actions();
    h.open();
    assert_eq!(
        h.machine.send("a".into()),
        SendOutcome::Transmit("a".into())
    );
    assert_eq!(
        h.machine.send("b".into()),
        SendOutcome::Transmit("b".into())
    );
    assert_eq!(h.machine.send("c".into()), SendOutcome::Queued);
    assert_eq!(
        h.machine.send("-".into()),
        SendOutcome::Queued,
        "untracked messages keep their place behind"
    );
    assert_eq!(
        h.machine.send("d".into()),
        SendOutcome::Rejected {
            message: "d".into(),
            because: Rejection::QueueFull
        }
    );
    assert_eq!(
        h.input(Input::Acknowledged { key: "a".into() }),
        [
            notify(Notice::Acknowledged("a".into())),
            Action::Transmit("c".into()),
            Action::Transmit("-".into())
        ]
    );
    assert_eq!(
        (
            h.machine.unconfirmed_messages(),
            h.machine.queued_messages()
        ),
        (2, 0)
    );
    assert_eq!(h.machine.send("e".into()), SendOutcome::Queued);
}

fn heartbeat_config() -> Config {
    Config {
        heartbeat: Some(Heartbeat {
            interval: 10 * SECOND,
            timeout: 2 * SECOND,
            ping: "ping".into(),
        }),
        min_uptime: 100 * SECOND,
        ..no_jitter()
    }
}

#[test]
fn heartbeat_pings_and_replaces_a_dead_connection() {
    let mut h = Harness::new(heartbeat_config());
    h.actions();
    h.open();
    assert_eq!(h.jump(), [Action::Transmit("ping".into())]);
    assert_eq!(h.now, 10 * SECOND);
    h.now += SECOND;
    assert!(h.input(Input::Pong).is_empty());
    assert_eq!(
        h.machine.poll_timeout(),
        Some(21 * SECOND),
        "next ping an interval after the reply"
    );
    assert_eq!(h.jump(), [Action::Transmit("ping".into())]);
    // No reply: dead.
    let dead = close(1006, "heartbeat timeout", false);
    assert_eq!(
        h.jump(),
        [
            Action::Abandon,
            notify(Notice::Error),
            notify(Notice::Closed {
                close: dead,
                will_retry: true
            }),
            notify(Notice::Reconnecting {
                attempt: 1,
                delay: SECOND,
                source: DelaySource::Backoff,
            }),
        ]
    );
    assert_eq!(h.now, 23 * SECOND);
}

#[test]
fn a_heartbeat_timer_that_fires_far_too_late_asks_again() {
    let mut h = Harness::new(heartbeat_config());
    h.actions();
    h.open();
    h.jump(); // ping at 10 s, reply due by 12 s
              // The page was suspended: the timer fires at 60 s.
    h.now = 60 * SECOND;
    h.machine.handle_timeout(h.now);
    assert_eq!(h.actions(), [Action::Transmit("ping".into())]);
    assert_eq!(h.state(), State::Open);
    assert_eq!(h.machine.poll_timeout(), Some(62 * SECOND));
}

#[test]
fn visible_again_or_online_again_checks_health_at_once() {
    for signal in [Input::Visible, Input::Online] {
        let mut h = Harness::new(heartbeat_config());
        h.actions();
        h.open();
        h.now = 3 * SECOND;
        assert_eq!(h.input(signal.clone()), [Action::Transmit("ping".into())]);
        assert!(
            h.input(signal.clone()).is_empty(),
            "one ping outstanding at a time"
        );
        // The reply comes: the next ping is an interval away.
        h.input(Input::Pong);
        assert_eq!(h.machine.poll_timeout(), Some(13 * SECOND));
    }
    // Without a heartbeat there is nothing to ask.
    let mut h = Harness::new(no_jitter());
    h.actions();
    h.open();
    assert!(h.input(Input::Online).is_empty());
    assert!(h.input(Input::Visible).is_empty());
}

#[test]
fn a_page_restored_from_the_back_forward_cache_replaces_its_connection_at_once() {
    let mut h = Harness::new(no_jitter());
    h.actions();
    h.open();
    h.now = 60 * SECOND;
    // Chromium and WebKit closed the socket; it reads OPEN until their close
    // comes, after the page is shown again. No server failed: no wait.
    let lost = close(1006, RESTORED_REASON, false);
    assert_eq!(
        h.input(Input::Restored),
        [
            Action::Abandon,
            notify(Notice::Error),
            notify(Notice::Closed {
                close: lost,
                will_retry: true
            }),
            notify(Notice::Connecting { attempt: 0 }),
            Action::Connect { attempt: 0 },
        ]
    );
    // What is sent meanwhile waits for the next connection.
    assert!(matches!(
        h.machine.send(Message::Text("said at once".into())),
        SendOutcome::Queued
    ));
    assert_eq!(
        h.open(),
        [
            notify(Notice::Open {
                protocol: Some("p".into()),
                reconnected: true
            }),
            Action::Transmit(Message::Text("said at once".into())),
        ]
    );
    // An attempt under way is replaced too, with the backoff started over
    // (after two failures it would wait).
    for _ in 0..2 {
        h.input(Input::Closed(close(1006, "", false)));
        h.jump();
    }
    assert_eq!(h.state(), State::Connecting { attempt: 2 });
    let actions = h.input(Input::Restored);
    assert_eq!(actions[0], Action::Abandon);
    assert_eq!(h.state(), State::Connecting { attempt: 0 });
    // A wait, a socket closing by request, or one closed for good has
    // nothing to replace.
    h.input(Input::Closed(close(1006, "", false)));
    assert!(matches!(h.state(), State::Waiting { .. }));
    assert!(h.input(Input::Restored).is_empty());
    h.jump();
    h.open();
    h.machine.close(h.now, 1000, "bye").unwrap();
    h.actions();
    assert!(h.input(Input::Restored).is_empty());
    assert_eq!(h.state(), State::Closing);
}

#[test]
fn a_restored_page_offline_or_stopped_by_a_rule_does_not_retry_at_once() {
    // Offline: it waits for the network.
    let mut h = Harness::new(no_jitter());
    h.actions();
    h.open();
    h.input(Input::Offline);
    h.input(Input::Restored);
    assert_eq!(h.state(), State::Offline { attempt: 1 });
    // A stop rule that stops on 1006 stops here too.
    let mut h = Harness::new(Config {
        should_reconnect: Rc::new(|close: &CloseInfo| close.code != 1006),
        ..no_jitter()
    });
    h.actions();
    h.open();
    h.input(Input::Restored);
    assert_eq!(h.state(), State::Closed);
}

#[test]
fn offline_pauses_retries_and_online_reconnects_at_once() {
    let mut h = Harness::new(no_jitter());
    h.actions();
    h.open();
    h.input(Input::Closed(close(1006, "", false)));
    assert!(h.input(Input::Offline).is_empty());
    assert_eq!(h.state(), State::Offline { attempt: 1 });
    assert_eq!(h.machine.poll_timeout(), None, "no retries while offline");
    h.now += 60 * SECOND;
    assert_eq!(
        h.input(Input::Online),
        [
            notify(Notice::Connecting { attempt: 0 }),
            Action::Connect { attempt: 0 }
        ]
    );
    // Losing an attempt while offline waits for the network without a timer.
    h.input(Input::Offline);
    h.input(Input::Closed(close(1006, "", false)));
    assert_eq!(
        (h.state(), h.machine.poll_timeout()),
        (State::Offline { attempt: 1 }, None)
    );
}

#[test]
fn a_failed_provider_is_a_failed_attempt() {
    let mut h = Harness::new(no_jitter());
    h.actions();
    let actions = h.input(Input::AttemptFailed {
        reason: "token fetch failed".into(),
    });
    assert_eq!(
        actions[0],
        notify(Notice::AttemptFailed {
            reason: "token fetch failed".into()
        })
    );
    assert_eq!(actions[1], notify(Notice::Error));
    assert_eq!(
        actions[2],
        notify(Notice::Closed {
            close: close(1006, "token fetch failed", false),
            will_retry: true
        })
    );
}

#[test]
fn spurious_timeouts_do_nothing() {
    let mut h = Harness::new(Config::default());
    h.actions();
    h.machine.handle_timeout(Duration::from_millis(1));
    assert!(h.actions().is_empty());
    h.open();
    h.machine.handle_timeout(Duration::from_millis(2));
    assert!(h.actions().is_empty());
}

#[derive(Debug, Clone)]
enum Step {
    Open,
    Lose(u16),
    Error,
    Jump,
    Wait(u64),
    Send(usize),
    Close,
    Reconnect,
    Online,
    Offline,
    Visible,
    Restored,
    Pong,
    PeerCloses,
    /// The platform hands this many buffered bytes to the network.
    Transmitted(usize),
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        Just(Step::Open),
        prop::sample::select(vec![1000u16, 1001, 1006, 1008, 1011, 4000]).prop_map(Step::Lose),
        Just(Step::Error),
        Just(Step::Jump),
        (0u64..20_000).prop_map(Step::Wait),
        (0usize..300).prop_map(Step::Send),
        Just(Step::Close),
        Just(Step::Reconnect),
        Just(Step::Online),
        Just(Step::Offline),
        Just(Step::Visible),
        Just(Step::Restored),
        Just(Step::Pong),
        Just(Step::PeerCloses),
        (0usize..400).prop_map(Step::Transmitted),
    ]
}

/// The lifecycle notices in order: every attempt (`Connecting`) ends with
/// exactly one `Closed` before the next; `Open` only within an attempt and
/// once; a close with `will_retry` ends a live attempt; after the final close
/// (`will_retry: false`, also from a wait, where no attempt is live) nothing
/// is reported until a new attempt; at most one `Error` in an attempt, and
/// once open, one only before a close of a lost connection (1006).
#[derive(Default)]
struct Lifecycle {
    attempt_live: bool,
    opened: bool,
    final_close: bool,
    errors: u32,
    error_after_open: bool,
}

impl Lifecycle {
    fn check(&mut self, notice: &Notice) -> Result<(), TestCaseError> {
        if !matches!(notice, Notice::Connecting { .. }) {
            prop_assert!(!self.final_close, "{notice:?} after the final close");
        }
        match notice {
            Notice::Connecting { .. } => {
                prop_assert!(
                    !self.attempt_live,
                    "an attempt started before the last one closed"
                );
                *self = Lifecycle {
                    attempt_live: true,
                    ..Lifecycle::default()
                };
            }
            Notice::Open { .. } => {
                prop_assert!(
                    self.attempt_live && !self.opened,
                    "open outside a live attempt"
                );
                self.opened = true;
            }
            Notice::Error => {
                prop_assert!(
                    self.attempt_live && self.errors == 0,
                    "an error outside an attempt, or a second in one"
                );
                self.errors += 1;
                self.error_after_open = self.opened;
            }
            Notice::Closed { will_retry, close } => {
                prop_assert!(
                    self.attempt_live || !will_retry,
                    "a retrying close of no attempt"
                );
                prop_assert!(
                    !self.error_after_open || close.code == 1006,
                    "an error after the open before {close:?}"
                );
                self.errors = 0;
                self.error_after_open = false;
                self.attempt_live = false;
                self.final_close = !will_retry;
            }
            _ => {}
        }
        Ok(())
    }
}

/// Drives a machine with `config` through `steps` and checks, after every
/// step: never two sockets at once, never a transmit while not open, the queue
/// within bounds, delays within the backoff's bounds, every message sent,
/// queued, rejected or reported as dropped, the [`Lifecycle`] rules, and
/// closed after `close()`.
fn check_invariants(config: Config, seed: u64, steps: Vec<Step>) -> Result<(), TestCaseError> {
    let limits = config.queue;
    let backoff = config.backoff;
    let trace = config.trace;
    let mut machine = Machine::new(config, SplitMix64::new(seed), Duration::ZERO);
    let mut now = Duration::ZERO;
    let mut socket_alive = false;
    // The peer's close frame arrived: the platform socket takes no more sends.
    let mut peer_closing = false;
    let (mut sent, mut accounted) = (0usize, 0usize);
    // The first attempt's Connecting was reported by `new`.
    let mut lifecycle = Lifecycle::default();
    // What the simulated platform socket holds, as its bufferedAmount.
    let mut platform_buffered = 0usize;
    let marks = machine.water_marks();
    let tracing = trace;
    for step in steps {
        let congested_before = machine.is_congested();
        let closing_for_good = matches!(step, Step::Close);
        match step {
            Step::Open if socket_alive && !peer_closing => {
                machine.handle(now, Input::Opened { protocol: None })
            }
            Step::Lose(code) if socket_alive => {
                socket_alive = false;
                peer_closing = false;
                machine.handle(now, Input::Closed(close(code, "", false)));
            }
            Step::Error if socket_alive => machine.handle(now, Input::Error),
            Step::Jump => {
                if let Some(deadline) = machine.poll_timeout() {
                    prop_assert!(deadline >= now);
                    now = deadline;
                    machine.handle_timeout(now);
                }
            }
            Step::Wait(ms) => {
                now = now.saturating_add(Duration::from_millis(ms));
                machine.handle_timeout(now);
            }
            Step::Send(size) => {
                sent += 1;
                let message = Message::Binary(vec![0; size]);
                let outcome = if peer_closing {
                    machine.send_after_peer_close(message)
                } else {
                    machine.send(message)
                };
                match outcome {
                    SendOutcome::Transmit(_) => {
                        prop_assert_eq!(machine.state(), &State::Open);
                        accounted += 1;
                    }
                    SendOutcome::Rejected { .. } => accounted += 1,
                    SendOutcome::Queued => {}
                }
            }
            Step::Close => {
                let _ = machine.close(now, 1000, "");
            }
            Step::Reconnect => machine.handle(now, Input::Reconnect),
            Step::Online => machine.handle(now, Input::Online),
            Step::Offline => machine.handle(now, Input::Offline),
            Step::Visible => machine.handle(now, Input::Visible),
            Step::Restored => machine.handle(now, Input::Restored),
            Step::Pong => machine.handle(now, Input::Pong),
            Step::PeerCloses => peer_closing = socket_alive && machine.state() == &State::Open,
            Step::Transmitted(bytes) => platform_buffered = platform_buffered.saturating_sub(bytes),
            _ => {}
        }
        while let Some(action) = machine.poll_action() {
            match action {
                Action::Connect { .. } => {
                    prop_assert!(!socket_alive, "a second socket while one is alive");
                    socket_alive = true;
                }
                Action::Abandon => {
                    socket_alive = false;
                    peer_closing = false;
                }
                Action::Trace(_) => prop_assert!(tracing, "a trace entry with the trace off"),
                Action::SampleBuffered => {
                    prop_assert!(
                        socket_alive && machine.state() == &State::Open,
                        "a sample asked for while not open"
                    );
                    machine.handle(
                        now,
                        Input::Buffered {
                            bytes: platform_buffered,
                        },
                    );
                }
                Action::Transmit(message) => {
                    prop_assert!(
                        socket_alive && machine.state() == &State::Open,
                        "transmit while not open"
                    );
                    prop_assert!(
                        !peer_closing || message == Message::from("p"),
                        "a message transmitted on a socket the peer is closing"
                    );
                    if message != Message::from("p") {
                        accounted += 1;
                    }
                    platform_buffered += message.size();
                    // The driver's rule: tell the machine when a send leaves the buffer above the high mark.
                    if !machine.is_congested() && platform_buffered > marks.high {
                        machine.handle(
                            now,
                            Input::Buffered {
                                bytes: platform_buffered,
                            },
                        );
                    }
                }
                Action::Close { .. } => prop_assert!(socket_alive),
                Action::Notify(notice) => {
                    lifecycle.check(&notice)?;
                    match notice {
                        Notice::Dropped(_) => accounted += 1,
                        Notice::Reconnecting { delay, .. } => {
                            prop_assert!(delay <= backoff.max_delay)
                        }
                        Notice::Drained => {
                            prop_assert!(
                                congested_before || machine.pending_bytes() <= marks.low,
                                "a drain without congestion"
                            );
                            prop_assert!(
                                machine.pending_bytes() <= marks.low,
                                "drained above the low mark"
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
        if closing_for_good {
            prop_assert!(
                matches!(machine.state(), State::Closing | State::Closed),
                "close() left {:?}",
                machine.state()
            );
        }
        prop_assert!(machine.queued_messages() <= limits.max_messages);
        prop_assert!(machine.queued_bytes() <= limits.max_bytes);
        if machine.state() == &State::Closed {
            prop_assert_eq!(machine.poll_timeout(), None);
            prop_assert!(!machine.is_congested(), "congested after closing for good");
        }
        if machine.state() == &State::Open && machine.is_congested() {
            prop_assert!(
                machine.poll_timeout().is_some(),
                "congested without a sample to come"
            );
        }
        if machine.state() != &State::Open {
            platform_buffered = 0;
        }
        if matches!(machine.state(), State::Waiting { .. }) {
            // Only the retry is due: no sample of a socket that is gone.
            prop_assert_eq!(
                machine.poll_timeout(),
                machine.next_attempt_at(),
                "a timer other than the retry while waiting"
            );
        }
    }
    prop_assert_eq!(
        sent,
        accounted + machine.queued_messages(),
        "a message went missing"
    );
    Ok(())
}

proptest! {
    /// The invariants of [`check_invariants`] hold for any input sequence.
    #[test]
    fn invariants_hold_for_any_input_sequence(steps in prop::collection::vec(step_strategy(), 1..80), seed in any::<u64>()) {
        let limits = QueueLimits { max_messages: 5, max_bytes: 600, overflow: if seed % 2 == 0 { Overflow::DropOldest } else { Overflow::RejectNew } };
        let config = Config {
            queue: limits,
            water_marks: WaterMarks { high: 300, low: 100 },
            trace: seed % 5 == 0,
            heartbeat: Some(Heartbeat { interval: 3 * SECOND, timeout: SECOND, ping: "p".into() }),
            backoff: Backoff::DEFAULT.with_max_retries(if seed % 3 == 0 { Some(3) } else { None }),
            ..Config::default()
        };
        check_invariants(config, seed, steps)?;
    }

    /// The longest durations anywhere (what `Number.MAX_VALUE` milliseconds
    /// become) neither panic nor break the invariants: a deadline past the
    /// end of time is no deadline.
    #[test]
    fn the_longest_durations_do_not_panic(steps in prop::collection::vec(step_strategy(), 1..80), seed in any::<u64>(), longest in 0usize..5) {
        let pick = |i: usize| if longest == i || longest == 4 { Duration::MAX } else { SECOND };
        let config = Config {
            heartbeat: Some(Heartbeat { interval: pick(0), timeout: pick(1), ping: "p".into() }),
            connect_timeout: Some(pick(2)),
            min_uptime: pick(3),
            backoff: Backoff::DEFAULT.with_min_delay(pick(3)).with_max_delay(Duration::MAX).with_factor(f64::MAX),
            ..Config::default()
        };
        check_invariants(config, seed, steps)?;
    }
}

#[derive(Debug, Clone)]
enum AckStep {
    Machine(Step),
    /// The server reads what is in flight.
    Deliver,
    /// The server acknowledges the last key it read.
    Ack,
}

fn ack_step_strategy() -> impl Strategy<Value = AckStep> {
    prop_oneof![
        3 => step_strategy().prop_map(AckStep::Machine),
        1 => Just(AckStep::Deliver),
        1 => Just(AckStep::Ack),
    ]
}

proptest! {
    /// Acknowledged delivery against a model server that reads what is in
    /// flight only when told (a lost connection loses the rest): what the
    /// server reads first is in send order with nothing skipped, a refused
    /// message is never sent, and every message is read, refused, reported
    /// dropped, or still held.
    #[test]
    fn acknowledged_delivery_keeps_order_and_loses_nothing(steps in prop::collection::vec(ack_step_strategy(), 1..120), seed in any::<u64>()) {
        let mut machine = Machine::new(acknowledged(4), SplitMix64::new(seed), Duration::ZERO);
        let mut now = Duration::ZERO;
        let (mut socket_alive, mut next_key) = (false, 0u64);
        let (mut in_flight, mut read): (Vec<u64>, Vec<u64>) = (Vec::new(), Vec::new());
        let (mut refused, mut dropped): (Vec<u64>, Vec<u64>) = (Vec::new(), Vec::new());
        for step in steps {
            match step {
                AckStep::Deliver => read.append(&mut in_flight),
                AckStep::Ack => {
                    if let (true, Some(last)) = (socket_alive && machine.state() == &State::Open, read.last()) {
                        machine.handle(now, Input::Acknowledged { key: last.to_string() });
                    }
                }
                AckStep::Machine(Step::Send(_)) => {
                    let key = next_key;
                    next_key += 1;
                    match machine.send(key.to_string().into()) {
                        SendOutcome::Rejected { .. } => refused.push(key),
                        SendOutcome::Transmit(_) => {
                            prop_assert!(socket_alive && machine.state() == &State::Open);
                            in_flight.push(key);
                        }
                        SendOutcome::Queued => prop_assert!(machine.state() != &State::Closed, "accepted while closed"),
                    }
                }
                AckStep::Machine(Step::Open) if socket_alive => machine.handle(now, Input::Opened { protocol: None }),
                AckStep::Machine(Step::Lose(code)) if socket_alive => {
                    socket_alive = false;
                    in_flight.clear();
                    machine.handle(now, Input::Closed(close(code, "", false)));
                }
                AckStep::Machine(Step::Jump) => {
                    if let Some(deadline) = machine.poll_timeout() {
                        now = deadline;
                        machine.handle_timeout(now);
                    }
                }
                AckStep::Machine(Step::Close) => { let _ = machine.close(now, 1000, ""); }
                AckStep::Machine(Step::Reconnect) => machine.handle(now, Input::Reconnect),
                AckStep::Machine(_) => {}
            }
            while let Some(action) = machine.poll_action() {
                match action {
                    Action::Connect { .. } => socket_alive = true,
                    Action::Abandon => {
                        socket_alive = false;
                        in_flight.clear();
                    }
                    Action::Transmit(Message::Text(text)) => {
                        prop_assert!(socket_alive && machine.state() == &State::Open);
                        in_flight.push(text.parse::<u64>().unwrap());
                    }
                    Action::Notify(Notice::Dropped(Message::Text(text))) => dropped.push(text.parse::<u64>().unwrap()),
                    Action::Notify(Notice::Acknowledged(Message::Text(text))) => {
                        let key = text.parse::<u64>().unwrap();
                        prop_assert!(read.contains(&key), "{} acknowledged before the server read it", key);
                    }
                    _ => {}
                }
            }
            prop_assert!(machine.unconfirmed_messages() <= 4 && machine.queued_messages() <= 4);
        }
        let mut first = std::collections::HashSet::new();
        let first_reads: Vec<u64> = read.iter().copied().filter(|k| first.insert(*k)).collect();
        prop_assert!(first_reads.windows(2).all(|pair| pair[0] < pair[1]), "out of order: {:?}", read);
        prop_assert!(refused.iter().all(|k| !first.contains(k)), "a refused message was sent");
        let gaps: Vec<u64> = (0..first_reads.last().map_or(0, |last| *last))
            .filter(|k| !first.contains(k) && !refused.contains(k) && !dropped.contains(k))
            .collect();
        prop_assert!(gaps.is_empty(), "skipped before a later read: {:?}", gaps);
        let unaccounted = (0..next_key)
            .filter(|k| !first.contains(k) && !refused.contains(k) && !dropped.contains(k))
            .count();
        prop_assert!(unaccounted <= machine.queued_messages() + machine.unconfirmed_messages(), "lost: {} unaccounted", unaccounted);
    }
}

proptest! {
    /// A close code no close frame can carry (Deno reports a drop as 0) is
    /// reported as 1006, not clean; a frame's code is kept as it is. A close
    /// without a code from the peer (1005, 1006, 1015) has no reason, even
    /// where the platform gives one (workerd does for a drop).
    #[test]
    fn platform_close_codes_are_made_whatwg(code in prop_oneof![
        any::<f64>(),
        (0u32..70_000).prop_map(f64::from),
        Just(0.0), Just(999.0), Just(1000.0), Just(4999.0), Just(5000.0), Just(1000.5), Just(f64::NAN),
        Just(1005.0), Just(1006.0), Just(1015.0),
    ], clean in any::<bool>()) {
        let close = CloseInfo::from_platform(code, "why".into(), clean);
        if (1000.0..=4999.0).contains(&code) && code == code.trunc() {
            prop_assert_eq!((f64::from(close.code), close.was_clean), (code, clean));
        } else {
            prop_assert_eq!((close.code, close.was_clean), (1006, false));
        }
        let without_reason = [1005, 1006, 1015].contains(&close.code);
        prop_assert_eq!(close.reason, if without_reason { "" } else { "why" });
    }
}

#[test]
fn one_error_precedes_every_lost_connection_whatever_the_platform_fired() {
    // Chromium fires no `error` before a dropped connection's close; Node 24
    // fires one; a platform may fire two; workerd fires one before some clean
    // closes. Whether the socket was open or closing, a lost connection
    // (1006) gets exactly one, first, and a close with a close frame none.
    for closing in [false, true] {
        for platform_errors in 0..3 {
            for (ending, errors_reported) in [
                (close(1006, "", false), 1),
                (close(1000, "done", true), 0),
                (close(1012, "restart", true), 0),
            ] {
                let mut h = Harness::new(no_jitter());
                h.actions();
                h.open();
                if closing {
                    h.machine.close(h.now, 1000, "done").unwrap();
                    h.actions();
                }
                let mut notices = Vec::new();
                for _ in 0..platform_errors {
                    notices.extend(h.input(Input::Error));
                }
                notices.extend(h.input(Input::Closed(ending.clone())));
                let errors = notices
                    .iter()
                    .filter(|a| **a == notify(Notice::Error))
                    .count();
                let case = format!(
                    "closing {closing}, {platform_errors} platform errors, {ending:?}: {notices:?}"
                );
                assert_eq!(errors, errors_reported, "{case}");
                if errors_reported == 1 {
                    assert_eq!(notices[0], notify(Notice::Error), "the error first: {case}");
                }
            }
        }
    }
}

#[test]
fn a_closing_handshake_that_never_ends_is_abandoned_after_the_closing_timeout() {
    let mut h = Harness::new(no_jitter());
    h.actions();
    h.open();
    h.machine.close(h.now, 4001, "bye").unwrap();
    assert_eq!(
        h.actions(),
        [Action::Close {
            code: 4001,
            reason: "bye".into()
        }]
    );
    assert_eq!(h.machine.poll_timeout(), Some(h.now + CLOSING_TIMEOUT));
    // No close event comes: the socket is abandoned, closed for good with
    // what was sent, not clean.
    assert_eq!(
        h.jump(),
        [
            Action::Abandon,
            notify(Notice::Closed {
                close: close(4001, "bye", false),
                will_retry: false
            }),
        ]
    );
    assert_eq!(h.state(), State::Closed);
    assert_eq!(h.machine.poll_timeout(), None);
}

/// The `Reconnecting` notice after a close: its delay and source.
fn retry_after_close(h: &mut Harness, info: CloseInfo) -> (Duration, DelaySource) {
    let actions = h.input(Input::Closed(info));
    let found = actions.iter().find_map(|action| match action {
        Action::Notify(Notice::Reconnecting { delay, source, .. }) => Some((*delay, *source)),
        _ => None,
    });
    found.expect("a reconnect is scheduled")
}

#[test]
fn a_hint_in_the_close_reason_sets_the_delay_within_its_window() {
    for seed in 0..200 {
        let mut h = Harness {
            machine: Machine::new(no_jitter(), SplitMix64::new(seed), Duration::ZERO),
            now: Duration::ZERO,
        };
        h.actions();
        h.open();
        let (delay, source) =
            retry_after_close(&mut h, close(1012, "restart; retry-after=5", true));
        assert_eq!(source, DelaySource::Hint);
        assert!(
            (5 * SECOND..=Duration::from_millis(7500)).contains(&delay),
            "{delay:?}"
        );
        // Nothing starts before the hinted delay.
        assert_eq!(h.machine.next_attempt_at(), Some(delay));
        assert_eq!(h.jump()[1], Action::Connect { attempt: 1 });
        assert_eq!(h.now, delay);
    }
}

#[test]
fn try_again_later_without_a_hint_draws_from_the_caps_window() {
    let mut h = Harness::new(no_jitter());
    h.actions();
    h.open();
    // No jitter: the cap's window is the cap itself (30 s), not the first step (1 s).
    let (delay, source) = retry_after_close(&mut h, close(1013, "busy", true));
    assert_eq!((delay, source), (30 * SECOND, DelaySource::TryAgainLater));
    // A hint wins over the code's default.
    h.jump();
    h.open();
    let (delay, source) = retry_after_close(&mut h, close(1013, "retry-after=2", true));
    assert_eq!(source, DelaySource::Hint);
    assert!(delay >= 2 * SECOND && delay <= 3 * SECOND, "{delay:?}");
    // Other codes without a hint follow the backoff.
    h.jump();
    let (_, source) = retry_after_close(&mut h, close(1012, "", true));
    assert_eq!(source, DelaySource::Backoff);
}

#[test]
fn full_jitter_spreads_try_again_later_over_the_whole_cap() {
    let mut h = Harness::new(Config::default());
    h.actions();
    let mut longest = Duration::ZERO;
    for _ in 0..50 {
        h.open();
        let (delay, _) = retry_after_close(&mut h, close(1013, "", true));
        assert!(delay <= 30 * SECOND);
        longest = longest.max(delay);
        h.jump();
    }
    assert!(
        longest > 10 * SECOND,
        "the cap's window, not the first steps': {longest:?}"
    );
}

#[test]
fn the_applications_reader_replaces_the_default_and_hints_are_capped_at_a_day() {
    let config = Config {
        retry_after: Rc::new(|info: &CloseInfo| {
            (info.code == 4000).then(|| Duration::from_secs(info.reason.parse().unwrap_or(0)))
        }),
        ..no_jitter()
    };
    let mut h = Harness::new(config);
    h.actions();
    h.open();
    let (delay, source) = retry_after_close(&mut h, close(4000, "10", true));
    assert_eq!(source, DelaySource::Hint);
    assert!(delay >= 10 * SECOND && delay <= 15 * SECOND, "{delay:?}");
    h.jump();
    h.open();
    // The default grammar no longer applies.
    let (_, source) = retry_after_close(&mut h, close(1012, "retry-after=5", true));
    assert_eq!(source, DelaySource::Backoff);
    h.jump();
    h.open();
    let (delay, _) = retry_after_close(&mut h, close(4000, "999999999", true));
    assert!(
        delay >= steadysocket::core::retry_hint::MAX_HINT,
        "{delay:?}"
    );
    assert!(delay.as_secs_f64() <= 1.5 * 86_400.0);
}

#[test]
fn hinted_retries_count_towards_max_retries() {
    let config = Config {
        backoff: Backoff::DEFAULT.with_max_retries(Some(1)),
        ..Config::default()
    };
    let mut h = Harness::new(config);
    h.actions();
    h.open();
    retry_after_close(&mut h, close(1012, "retry-after=1", true));
    h.jump();
    let actions = h.input(Input::Closed(close(1012, "retry-after=1", true)));
    assert!(
        actions.contains(&notify(Notice::GaveUp { attempts: 1 })),
        "{actions:?}"
    );
    assert_eq!(h.state(), State::Closed);
}

#[test]
fn a_hint_does_not_override_a_stop_rule_or_a_reconnect() {
    let mut h = Harness::new(Config::default());
    h.actions();
    h.open();
    h.input(Input::Closed(close(1008, "retry-after=1", true)));
    assert_eq!(
        h.state(),
        State::Closed,
        "1008 stops whatever the reason says"
    );
    h.input(Input::Reconnect);
    h.open();
    retry_after_close(&mut h, close(1012, "retry-after=600", true));
    // reconnect() starts at once, whatever the server asked for.
    let actions = h.input(Input::Reconnect);
    assert!(
        actions.contains(&Action::Connect { attempt: 0 }),
        "{actions:?}"
    );
}

#[test]
fn try_again_later_retries_within_max_retries() {
    let config = Config {
        backoff: Backoff::DEFAULT.with_max_retries(Some(3)),
        ..Config::default()
    };
    let mut h = Harness::new(config);
    h.actions();
    h.open();
    let (_, source) = retry_after_close(&mut h, close(1013, "", true));
    assert_eq!(source, DelaySource::TryAgainLater);
}

#[test]
fn the_trace_is_off_by_default_and_reports_each_decision_when_on() {
    let traced = |trace: bool| {
        let mut h = Harness::new(Config {
            trace,
            ..no_jitter()
        });
        let mut actions = h.actions();
        actions.extend(h.open());
        actions.extend(h.input(Input::Closed(close(1006, "heartbeat timeout", false))));
        let _ = h.machine.send(Message::from("queued"));
        actions.extend(h.actions());
        actions
            .into_iter()
            .filter_map(|action| match action {
                Action::Trace(entry) => Some(entry.to_string()),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert!(traced(false).is_empty());
    assert_eq!(
        traced(true),
        [
            "open with subprotocol p",
            "closed: code 1006, not clean, reason \"heartbeat timeout\"; a retry follows",
            "retry 1 in 1000 ms: backoff step 0",
            "queued 6 bytes (1 waiting)",
        ]
    );
}

#[test]
fn a_lost_connection_stops_sampling_its_buffer() {
    let mut h = Harness::new(no_jitter());
    h.actions();
    h.open();
    // A flush waits (and, with a full buffer, writers too): samples are due.
    h.input(Input::AwaitEmpty);
    h.input(Input::Buffered { bytes: 2 << 20 });
    assert!(h.machine.is_congested());
    let actions = h.input(Input::Closed(close(1006, "", false)));
    assert!(actions.contains(&notify(Notice::Drained)), "{actions:?}");
    // Only the retry is due: no sample of a socket that is gone.
    assert_eq!(h.machine.poll_timeout(), h.machine.next_attempt_at());
}
