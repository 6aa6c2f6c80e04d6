//! How typed channels turn values into messages and back.

use crate::event::Message;
use std::fmt;

/// Turns values of type `T` into messages: one half of a codec. Implement it
/// (with [`Decoder`]) for your own format; [`crate::Json`] and, with the
/// `postcard` feature, [`crate::Postcard`] come with the crate.
pub trait Encoder<T> {
    /// The message for `value`.
    fn encode(&self, value: &T) -> Result<Message, CodecError>;
}

/// Turns messages into values of type `T`: the other half of a codec.
pub trait Decoder<T> {
    /// The value in `message`.
    fn decode(&self, message: &Message) -> Result<T, CodecError>;
}

/// Why a value could not be encoded or a message decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError {
    /// What went wrong, in the codec's words.
    pub message: String,
}

impl CodecError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        CodecError {
            message: message.into(),
        }
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CodecError {}

/// A message that a typed view could not decode: the raw payload and why.
/// The socket and the other views go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecodable {
    /// The message as it arrived.
    pub raw: Message,
    /// Why it did not decode.
    pub error: CodecError,
}

impl fmt::Display for Undecodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.raw {
            Message::Text(_) => "text",
            Message::Binary(_) => "binary",
        };
        write!(
            f,
            "a {}-byte {kind} message did not decode: {}",
            self.raw.len(),
            self.error
        )
    }
}

impl std::error::Error for Undecodable {}

/// A compact binary codec: serde values as postcard bytes in binary messages.
#[cfg(feature = "postcard")]
#[derive(Debug, Clone, Copy, Default)]
pub struct Postcard;

#[cfg(feature = "postcard")]
impl<T: serde::Serialize> Encoder<T> for Postcard {
    fn encode(&self, value: &T) -> Result<Message, CodecError> {
        postcard::to_allocvec(value)
            .map(Message::Binary)
            .map_err(|e| CodecError::new(e.to_string()))
    }
}

#[cfg(feature = "postcard")]
impl<T: serde::de::DeserializeOwned> Decoder<T> for Postcard {
    fn decode(&self, message: &Message) -> Result<T, CodecError> {
        match message {
            Message::Binary(bytes) => {
                postcard::from_bytes(bytes).map_err(|e| CodecError::new(e.to_string()))
            }
            Message::Text(_) => Err(CodecError::new(
                "a text message is not postcard; postcard travels in binary messages",
            )),
        }
    }
}
