//! The JSON codec, through the platform's `JSON` and serde-wasm-bindgen, so no
//! JSON parser is compiled into the wasm.

use crate::codec::{CodecError, Decoder, Encoder};
use crate::event::Message;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// serde values as JSON text messages.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

fn js_message(value: &wasm_bindgen::JsValue) -> String {
    super::platform::exception_message(value)
}

impl<T: Serialize> Encoder<T> for Json {
    fn encode(&self, value: &T) -> Result<Message, CodecError> {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let js = value
            .serialize(&serializer)
            .map_err(|e| CodecError::new(e.to_string()))?;
        let text = js_sys::JSON::stringify(&js).map_err(|e| CodecError::new(js_message(&e)))?;
        Ok(Message::Text(text.into()))
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    fn decode(&self, message: &Message) -> Result<T, CodecError> {
        let Message::Text(text) = message else {
            return Err(CodecError::new(
                "a binary message is not JSON; JSON travels in text messages",
            ));
        };
        let js = js_sys::JSON::parse(text).map_err(|e| CodecError::new(js_message(&e)))?;
        serde_wasm_bindgen::from_value(js).map_err(|e| CodecError::new(e.to_string()))
    }
}
