//! Typed views over one reconnecting socket, against the peer server's echo
//! and chat.

use crate::support::*;
use futures::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use steadysocket::core::machine::Notice;
use steadysocket::{Delivery, Error, Json, Message, Postcard, ReconnectingSocket, Undecodable};
use wasm_bindgen_test::wasm_bindgen_test;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Order {
    id: u64,
    item: String,
    quantity: u32,
    tags: Vec<String>,
    note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Ping {
    seq: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum ChatEvent {
    Join { nickname: String },
    Leave { nickname: String },
    Message { nickname: String, message: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct ChatLine {
    message: String,
}

fn order(id: u64) -> Order {
    Order {
        id,
        item: "tea ✓".into(),
        quantity: 3,
        tags: vec!["hot".into()],
        note: None,
    }
}

async fn open_socket(path: &str) -> ReconnectingSocket {
    let socket = ReconnectingSocket::builder(peer_url(path))
        .connect()
        .unwrap();
    let mut events = socket.events();
    loop {
        if let Notice::Open { .. } = next_notice(&mut events).await {
            return socket;
        }
    }
}

async fn next_item<T>(receiver: &mut (impl futures::Stream<Item = T> + Unpin)) -> T {
    match futures::future::select(
        receiver.next(),
        gloo_timers::future::TimeoutFuture::new(EVENT_WAIT_MS),
    )
    .await
    {
        futures::future::Either::Left((Some(item), _)) => item,
        futures::future::Either::Left((None, _)) => panic!("the typed stream ended"),
        futures::future::Either::Right(_) => panic!("no typed item within {EVENT_WAIT_MS} ms"),
    }
}

#[wasm_bindgen_test]
async fn json_values_round_trip_through_the_sink_and_stream() {
    let socket = open_socket("/echo").await;
    let (mut sender, mut receiver) = socket.typed::<Order, Order, _>(Json);
    sender.send(order(1)).await.unwrap(); // Sink
    assert_eq!(sender.try_send(&order(2)), Ok(Delivery::Sent));
    assert_eq!(next_item(&mut receiver).await, Ok(order(1)));
    assert_eq!(next_item(&mut receiver).await, Ok(order(2)));
    socket.close(1000, "").unwrap();
}

#[wasm_bindgen_test]
async fn bad_payloads_are_items_with_the_raw_message_and_the_socket_goes_on() {
    let socket = open_socket("/echo").await;
    let (sender, mut orders) = socket.typed::<Order, Order, _>(Json);
    let (_, mut pings) = socket.typed::<Ping, Ping, _>(Json);
    let garbage = [
        Message::Text("{not json".into()),
        Message::Text(r#"{"id": "seven"}"#.into()),
        Message::Text("x".repeat(200_000)),
        // Deeper than the reader's limit: an error, not a stack overflow.
        Message::Text("[".repeat(100_000)),
        Message::Text(r#"{"id": 1e400}"#.into()),
        Message::Binary(vec![1, 2, 3]),
    ];
    for raw in &garbage {
        socket.send(raw).unwrap();
        match next_item(&mut orders).await {
            Err(Undecodable { raw: got, error }) => {
                assert_eq!(&got, raw);
                assert!(!error.message.is_empty());
            }
            Ok(value) => panic!("decoded garbage as {value:?}"),
        }
        assert!(
            next_item(&mut pings).await.is_err(),
            "the other view sees it too"
        );
    }
    // Two views over one socket: each gets its own type, the other fails cleanly.
    sender.try_send(&order(9)).unwrap();
    assert_eq!(next_item(&mut orders).await, Ok(order(9)));
    let as_ping = next_item(&mut pings).await.unwrap_err();
    assert!(as_ping.to_string().contains("did not decode"), "{as_ping}");
    socket.send(&Message::Text(r#"{"seq": 5}"#.into())).unwrap();
    assert!(next_item(&mut orders).await.is_err());
    assert_eq!(next_item(&mut pings).await, Ok(Ping { seq: 5 }));
    assert_eq!(socket.ready_state(), steadysocket::ReadyState::Open);
    socket.close(1000, "").unwrap();
}

#[wasm_bindgen_test]
async fn the_control_handle_works_after_the_views_moved_away() {
    let socket = open_socket("/echo").await;
    let (sender, receiver) = socket.typed::<Ping, Ping, _>(Json);
    let (mut sink, mut stream) = (sender, receiver);
    let received =
        wasm_bindgen_futures::JsFuture::from(wasm_bindgen_futures::future_to_promise(async move {
            sink.send(Ping { seq: 1 }).await.unwrap();
            let first = next_item(&mut stream).await.unwrap();
            assert_eq!(first, Ping { seq: 1 });
            // The stream ends only when the socket handle is dropped.
            while stream.next().await.is_some() {}
            Ok(wasm_bindgen::JsValue::from(first.seq))
        }));
    sleep(300).await;
    socket.close(1000, "").unwrap();
    assert_eq!(socket.ready_state(), steadysocket::ReadyState::Closing);
    drop(socket);
    assert_eq!(received.await.unwrap().as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn a_sender_outliving_its_socket_reports_it() {
    let socket = open_socket("/echo").await;
    let (sender, _) = socket.typed::<Ping, Ping, _>(Json);
    drop(socket);
    assert_eq!(
        sender.try_send(&Ping { seq: 1 }),
        Err(Error::NotOpen {
            state: steadysocket::ReadyState::Closed
        })
    );
}

#[wasm_bindgen_test]
async fn values_that_cannot_be_json_are_encode_errors() {
    let socket = open_socket("/echo").await;
    let (sender, _) = socket.typed::<f64, f64, _>(Json);
    // A map whose keys are lists has no JSON object form.
    let (map_sender, _) = socket.typed::<std::collections::BTreeMap<Vec<u8>, u8>, u8, _>(Json);
    let mut map = std::collections::BTreeMap::new();
    map.insert(vec![1u8], 1u8);
    match map_sender.try_send(&map) {
        Err(Error::Encode { message }) => assert!(!message.is_empty()),
        other => panic!("expected an encode error, got {other:?}"),
    }
    assert_eq!(sender.try_send(&1.5), Ok(Delivery::Sent));
    socket.close(1000, "").unwrap();
}

#[wasm_bindgen_test]
async fn floats_are_written_as_json_stringify_writes_them_and_read_back_exactly() {
    let socket = open_socket("/echo").await;
    let floats = vec![
        0.1,
        1.0 / 3.0,
        1e21,
        -2.5e-300,
        5e-324,
        f64::MAX,
        -0.0,
        123_456_789.0,
    ];
    let (sender, mut receiver) = socket.typed::<Vec<f64>, Vec<f64>, _>(Json);
    let mut raw = socket.events();
    sender.try_send(&floats).unwrap();
    assert_eq!(next_item(&mut receiver).await, Ok(floats.clone()));
    let text = loop {
        if let steadysocket::ReconnectEvent::Message(Message::Text(text)) =
            next_item(&mut raw).await
        {
            break text;
        }
    };
    let array = js_sys::Array::new();
    for float in &floats {
        array.push(&(*float).into());
    }
    let platform = js_sys::JSON::stringify(&array).unwrap();
    assert_eq!(text, String::from(platform));
    // NaN has no JSON form: null, as JSON.stringify writes it; null is not a float.
    sender.try_send(&vec![f64::NAN]).unwrap();
    let error = next_item(&mut receiver).await.unwrap_err();
    assert_eq!(error.raw, Message::Text("[null]".into()));
    assert!(error.error.message.contains("expected f64"), "{error}");
    socket.close(1000, "").unwrap();
}

#[wasm_bindgen_test]
async fn postcard_values_travel_as_binary() {
    let socket = open_socket("/echo").await;
    let (sender, mut receiver) = socket.typed::<Order, Order, _>(Postcard);
    sender.try_send(&order(42)).unwrap();
    assert_eq!(next_item(&mut receiver).await, Ok(order(42)));
    socket
        .send(&Message::Text("text is not postcard".into()))
        .unwrap();
    let error = next_item(&mut receiver).await.unwrap_err();
    assert!(error.error.message.contains("binary"), "{error}");
    socket.close(1000, "").unwrap();
}

#[wasm_bindgen_test]
async fn chat_through_a_typed_view_of_tagged_json() {
    let nickname = unique_tag("ann");
    let socket = ReconnectingSocket::builder(peer_url(&format!("/chat?nickname={nickname}")))
        .connect()
        .unwrap();
    // Taken before the open: the room's join notice may come with it (in
    // Deno, in the same turn), before a view taken after the open exists.
    let (sender, mut receiver) = socket.typed::<ChatLine, ChatEvent, _>(Json);
    // Others may chat at the same time: look for our own lines.
    let mut saw_join = false;
    sender
        .try_send(&ChatLine {
            message: "<b>hello</b>".into(),
        })
        .unwrap();
    loop {
        match next_item(&mut receiver).await {
            Ok(ChatEvent::Join { nickname: n }) if n == nickname => saw_join = true,
            Ok(ChatEvent::Message {
                nickname: n,
                message,
            }) if n == nickname => {
                assert_eq!(message, "<b>hello</b>");
                break;
            }
            Ok(_) => {}
            Err(other) => panic!("chat sent something undecodable: {other}"),
        }
    }
    assert!(saw_join, "the join notice came before our message");
    socket.close(1000, "").unwrap();
}
