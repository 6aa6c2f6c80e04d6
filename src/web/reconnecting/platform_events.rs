//! What the current socket reports, carried into the [`Driver`]: a
//! lifecycle event is fed to the machine a microtask later (what the machine
//! does next may replace the socket whose callback this is); a message is
//! handled at once, or, while such a feed is due, a task later behind it.

use super::driver::Driver;
use super::ReconnectEvent;
use crate::core::close_policy::CloseInfo;
use crate::core::machine::Input;
use crate::event::{Event, Message};
use std::rc::Rc;

/// What waits for a microtask: an input for the machine that may replace
/// the socket whose callback gave it, or a message behind such an input.
enum Due {
    Input(Input),
    Message(Message),
}

impl Driver {
    /// An event of the current socket, straight from the platform callback:
    /// a message is handled there (see [`Driver::on_message`]); a lifecycle
    /// event is fed to the machine a microtask later, because what the
    /// machine does next may replace the socket whose callback this is.
    pub(super) fn on_event(self: &Rc<Self>, event: Event) {
        let input = match event {
            Event::Message(message) => return self.on_message(message),
            Event::Open { protocol } => Input::Opened { protocol },
            Event::Error => Input::Error,
            Event::Closed {
                code,
                reason,
                was_clean,
            } => Input::Closed(CloseInfo {
                code,
                reason,
                was_clean,
            }),
            // Only a socket's own stream says that; its sink never does.
            Event::Missed { .. } => return,
        };
        self.feed_soon(input);
    }

    /// Feeds `input` a microtask later, if the socket it came from is still
    /// the current one; a close first drops that socket.
    pub(super) fn feed_soon(self: &Rc<Self>, input: Input) {
        self.feeds_due.set(self.feeds_due.get() + 1);
        self.soon(Due::Input(input));
    }

    /// A message of the current socket, inside the platform callback; or,
    /// if a lifecycle input is due (the open, whose feed waits for a
    /// microtask), a task later, after it. The `ws` package hands over a
    /// message that came with the handshake's answer before such a microtask
    /// runs (in a `nextTick` in Node, in the same task in Deno); tasks run
    /// in the order they were spawned.
    fn on_message(self: &Rc<Self>, message: Message) {
        if self.feeds_due.get() == 0 {
            return self.take_message(message);
        }
        self.soon(Due::Message(message));
    }

    /// Carries out `due` a microtask later, if the socket it came from is
    /// still the current one (one task type for both kinds: each costs an
    /// app its own code).
    fn soon(self: &Rc<Self>, due: Due) {
        let this = self.this_attempt();
        wasm_bindgen_futures::spawn_local(async move {
            let is_input = matches!(due, Due::Input(_));
            if let Some(driver) = this.driver.upgrade().filter(|_| is_input) {
                driver.feeds_due.set(driver.feeds_due.get() - 1);
            }
            let Some(driver) = this.driver() else {
                return;
            };
            match due {
                Due::Message(message) => driver.take_message(message),
                Due::Input(input) => {
                    if matches!(input, Input::Closed(_)) {
                        let finished = driver.socket.borrow_mut().take();
                        drop(finished);
                    }
                    driver.feed(input);
                }
            }
        });
    }

    /// A message of the current socket, with what came before it handled.
    fn take_message(self: &Rc<Self>, message: Message) {
        if let Some(key) = self.ack_of.as_ref().and_then(|ack_of| ack_of(&message)) {
            // Fed at once (inside the platform callback, or in the task of a
            // message held behind the open): an acknowledgement only releases
            // queued messages onto this same open socket, in order, before
            // any later send; it never replaces the socket.
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
        // The machine is fed a microtask later, outside any platform
        // callback: what it does next may replace the socket this came from.
        self.feed_soon(Input::Pong);
    }
}
