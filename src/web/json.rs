//! The JSON codec: serde values as JSON text messages, read and written in
//! the wasm by [`crate::json`], with the platform's own float parsing and
//! printing (JavaScript's `Number` and `String`, which `JSON.parse` and
//! `JSON.stringify` use).

use crate::codec::{CodecError, Decoder, Encoder};
use crate::event::Message;
use crate::json::{self, Floats};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;

/// serde values as JSON text messages.
///
/// Decoding reads the text straight into your type; an error says what was
/// found and where (`missing field `nickname` (at byte 14)`) without echoing
/// the payload. Encoding writes what serde_json writes: bytes as arrays of
/// numbers, integer and boolean map keys quoted, `null` for a float that is
/// not finite; a map key of any other kind is an encode error.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

#[wasm_bindgen]
extern "C" {
    /// JavaScript's `Number(text)`: the float nearest to a JSON number.
    #[wasm_bindgen(js_name = Number)]
    fn js_number(text: &str) -> f64;
    /// JavaScript's `String(value)`: the shortest text that reads back as
    /// `value`, as `JSON.stringify` writes it.
    #[wasm_bindgen(js_name = String)]
    fn js_string(value: f64) -> String;
}

/// The platform's floats.
struct PlatformFloats;

impl Floats for PlatformFloats {
    fn parse(text: &str) -> f64 {
        js_number(text)
    }

    fn write(value: f64, out: &mut String) {
        out.push_str(&js_string(value));
    }
}

impl<T: Serialize> Encoder<T> for Json {
    fn encode(&self, value: &T) -> Result<Message, CodecError> {
        json::to_string::<T, PlatformFloats>(value)
            .map(Message::Text)
            .map_err(|error| CodecError::new(error.0))
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    fn decode(&self, message: &Message) -> Result<T, CodecError> {
        let Message::Text(text) = message else {
            return Err(CodecError::new(
                "a binary message is not JSON; JSON travels in text messages",
            ));
        };
        json::from_str::<T, PlatformFloats>(text).map_err(|error| CodecError::new(error.0))
    }
}
