//! The postcard codec on the host: round trips, and clear errors for the wrong kind of message.

#![cfg(all(not(target_arch = "wasm32"), feature = "postcard"))]

use proptest::prelude::*;
use steadysocket::{Decoder, Encoder, Message, Postcard};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Quote {
    symbol: String,
    cents: u64,
    history: Vec<i32>,
}

proptest! {
    #[test]
    fn values_round_trip_as_binary(symbol in ".{0,12}", cents in any::<u64>(), history in prop::collection::vec(any::<i32>(), 0..20)) {
        let quote = Quote { symbol, cents, history };
        let message = Postcard.encode(&quote).unwrap();
        prop_assert!(matches!(message, Message::Binary(_)));
        let decoded: Quote = Postcard.decode(&message).unwrap();
        prop_assert_eq!(decoded, quote);
    }

    #[test]
    fn garbage_is_an_error_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = Decoder::<Quote>::decode(&Postcard, &Message::Binary(bytes));
    }
}

#[test]
fn text_is_not_postcard() {
    let error = Decoder::<Quote>::decode(&Postcard, &Message::Text("hi".into())).unwrap_err();
    assert!(error.message.contains("binary messages"), "{error}");
    let truncated =
        Decoder::<Quote>::decode(&Postcard, &Message::Binary(vec![3, b'a'])).unwrap_err();
    assert!(!truncated.message.is_empty());
}
