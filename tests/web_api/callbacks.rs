//! Subscriptions by callback (`on_event`, `on_message`) against the peer
//! server's echo, in every browser and runtime the suites run in: the order,
//! a handler that sends and closes from inside its call, the end after the
//! final close, and dropping the subscription.

use crate::support::*;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use steadysocket::core::machine::Notice;
use steadysocket::{Event, Json, Message, ReconnectEvent, ReconnectingSocket, Socket};
use wasm_bindgen_test::wasm_bindgen_test;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Ping {
    seq: u32,
}

/// Set when the value holding it is dropped (a handler, say).
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

/// The kinds of what a reconnecting socket's handler saw, as short words.
fn word(event: &ReconnectEvent) -> String {
    match event {
        ReconnectEvent::Message(Message::Text(text)) => format!("message {text}"),
        ReconnectEvent::Message(Message::Binary(bytes)) => format!("binary {}", bytes.len()),
        ReconnectEvent::Lifecycle(Notice::Connecting { .. }) => "connecting".into(),
        ReconnectEvent::Lifecycle(Notice::Open { .. }) => "open".into(),
        ReconnectEvent::Lifecycle(Notice::Closed { will_retry, .. }) => {
            format!("closed retry={will_retry}")
        }
        other => format!("{other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_handler_gets_every_event_in_order_never_inside_itself_and_ends_after_the_final_close() {
    let socket = ReconnectingSocket::builder(peer_url("/echo"))
        .connect()
        .unwrap();
    let seen = Rc::new(RefCell::new(Vec::<String>::new()));
    let depth = Rc::new(Cell::new(0));
    let dropped = Rc::new(Cell::new(false));
    let subscription = {
        let (seen, depth, handle) = (seen.clone(), depth.clone(), socket.clone());
        let flag = DropFlag(dropped.clone());
        socket.on_event(move |event| {
            let _keep = &flag;
            assert_eq!(depth.replace(depth.get() + 1), 0, "called inside itself");
            let word = word(&event);
            seen.borrow_mut().push(word.clone());
            // Sending, reconnecting and closing from inside the call: what
            // they report (a reconnect, at once) comes after it returns.
            match word.as_str() {
                "open" => {
                    handle.send(&Message::Text("a".into())).unwrap();
                    handle.send(&Message::Text("b".into())).unwrap();
                }
                "message b" => handle.reconnect(),
                "connecting" if seen.borrow().len() > 1 => handle.close(1000, "done").unwrap(),
                _ => {}
            }
            depth.set(depth.get() - 1);
        })
    };
    // What happened before the first subscription came before on_event returned.
    assert_eq!(
        seen.borrow().first().map(String::as_str),
        Some("connecting")
    );
    until("the final close", || {
        seen.borrow().last().map(String::as_str) == Some("closed retry=false")
    })
    .await;
    assert_eq!(
        *seen.borrow(),
        [
            "connecting",
            "open",
            "message a",
            "message b",
            "closed retry=true",
            "connecting",
            "closed retry=false"
        ]
    );
    // Ended: the handler, which held a handle to the socket, is dropped.
    assert!(dropped.get(), "the handler outlived the final close");
    socket.reconnect();
    sleep(300).await;
    assert_eq!(
        seen.borrow().len(),
        7,
        "a handler is not called after its end"
    );
    drop(subscription);
    socket.close(1000, "").unwrap();
}

#[wasm_bindgen_test]
async fn dropping_the_subscription_stops_the_calls_even_from_inside_the_handler() {
    let socket = ReconnectingSocket::builder(peer_url("/echo"))
        .connect()
        .unwrap();
    let calls = Rc::new(Cell::new(0));
    let dropped = Rc::new(Cell::new(false));
    let slot: Rc<RefCell<Option<steadysocket::Subscription>>> = Rc::default();
    let subscription = {
        let (calls, slot, handle) = (calls.clone(), slot.clone(), socket.clone());
        let flag = DropFlag(dropped.clone());
        socket.on_event(move |event| {
            let _keep = &flag;
            if calls.get() > 0 {
                calls.set(calls.get() + 1); // a call after the drop
            } else if let ReconnectEvent::Message(_) = event {
                // The handler drops its own subscription: this call is the
                // last, although the reconnect after it reports at once.
                calls.set(1);
                drop(slot.borrow_mut().take());
                handle.reconnect();
            }
        })
    };
    *slot.borrow_mut() = Some(subscription);
    let mut events = socket.events();
    while !matches!(next_notice(&mut events).await, Notice::Open { .. }) {}
    socket.send(&Message::Text("first".into())).unwrap();
    while !matches!(next_update(&mut events).await, ReconnectEvent::Message(_)) {}
    // The reconnect it asked for, then the second connection's open.
    while !matches!(next_notice(&mut events).await, Notice::Open { .. }) {}
    socket.send(&Message::Text("second".into())).unwrap();
    while !matches!(next_update(&mut events).await, ReconnectEvent::Message(_)) {}
    assert_eq!(calls.get(), 1, "called after its subscription was dropped");
    assert!(
        dropped.get(),
        "the handler was kept after its subscription was dropped"
    );

    // A subscription dropped from outside: no call after it.
    let later = Rc::new(Cell::new(0));
    let subscription = {
        let later = later.clone();
        socket.on_event(move |_| later.set(later.get() + 1))
    };
    drop(subscription);
    socket.send(&Message::Text("x".into())).unwrap();
    while !matches!(next_update(&mut events).await, ReconnectEvent::Message(_)) {}
    assert_eq!(later.get(), 0);
    socket.close(1000, "").unwrap();
}

#[wasm_bindgen_test]
async fn on_message_decodes_each_message_and_passes_over_the_lifecycle() {
    let socket = ReconnectingSocket::builder(peer_url("/echo"))
        .connect()
        .unwrap();
    let got = Rc::new(RefCell::new(Vec::new()));
    let _subscription = {
        let got = got.clone();
        socket.on_message(Json, move |item: Result<Ping, _>| {
            got.borrow_mut()
                .push(item.map_err(|undecodable| undecodable.raw));
        })
    };
    let sender = socket.sender::<Ping, _>(Json);
    sender.try_send(&Ping { seq: 1 }).unwrap(); // queued until the open
    socket.send(&Message::Text("{not json".into())).unwrap();
    sender.try_send(&Ping { seq: 2 }).unwrap();
    until("three messages", || got.borrow().len() == 3).await;
    assert_eq!(
        *got.borrow(),
        [
            Ok(Ping { seq: 1 }),
            Err(Message::Text("{not json".into())),
            Ok(Ping { seq: 2 })
        ]
    );
    socket.close(1000, "").unwrap();
}

#[wasm_bindgen_test]
async fn a_plain_socket_hands_its_events_to_a_handler_until_closed() {
    let socket = Rc::new(Socket::connect(peer_url("/echo")).unwrap());
    let seen = Rc::new(RefCell::new(Vec::<String>::new()));
    let dropped = Rc::new(Cell::new(false));
    let _subscription = {
        let (seen, flag) = (seen.clone(), DropFlag(dropped.clone()));
        let weak = Rc::downgrade(&socket);
        socket.on_event(move |event| {
            let _keep = &flag;
            let word = match &event {
                Event::Open { .. } => "open".to_owned(),
                Event::Message(Message::Text(text)) => format!("message {text}"),
                Event::Closed { code, .. } => format!("closed {code}"),
                other => format!("{other:?}"),
            };
            if let (Event::Open { .. }, Some(socket)) = (&event, weak.upgrade()) {
                socket.send_text("hi").unwrap();
            }
            if let (Event::Message(_), Some(socket)) = (&event, weak.upgrade()) {
                socket.close(4001, "bye").unwrap();
            }
            seen.borrow_mut().push(word);
        })
    };
    until("the close", || seen.borrow().len() == 3).await;
    assert_eq!(*seen.borrow(), ["open", "message hi", "closed 4001"]);
    assert!(dropped.get(), "the handler outlived the socket's close");
}
