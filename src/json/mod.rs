//! JSON text to and from serde values, for the [`crate::Json`] codec.
//!
//! Written for a wasm app's size: a message is read from its text straight
//! into the app's types (no JavaScript object in between, no crossing into
//! JavaScript per field), errors say what was wrong and where without
//! echoing the payload (so no string escaping for `Debug` is compiled in),
//! and the two hard parts of numbers, reading and writing floats, are left
//! to a [`Floats`] (the platform's own, in the web face).
//!
//! Accepted: RFC 8259 JSON, one value with white space around it; strings
//! with every escape (`\uXXXX` surrogate pairs joined, a lone surrogate
//! refused); integers read exactly into 64 bits (larger ones, fractions and
//! exponents as floats); nesting up to [`MAX_DEPTH`]. Written: what
//! serde_json writes, with map keys that are integers or booleans quoted,
//! and `null` for a float that is not finite (as `JSON.stringify`).

mod access;
mod error;
mod exact_float;
mod read;
// Natively: the wasm build of the tests has neither proptest nor serde_json.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
mod write;

pub(crate) use error::JsonError;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Arrays and objects nested deeper than this are refused (an error, not a
/// stack overflow).
pub(crate) const MAX_DEPTH: u32 = 128;

/// How floats are read from and written as JSON numbers.
pub(crate) trait Floats {
    /// The value of `text`, a number that matches JSON's grammar.
    fn parse(text: &str) -> f64;
    /// Appends the shortest text that reads back as `value` (finite).
    fn write(value: f64, out: &mut String);
}

/// The value of type `T` that `text` holds.
pub(crate) fn from_str<T: DeserializeOwned, F: Floats>(text: &str) -> Result<T, JsonError> {
    read::from_str::<T, F>(text)
}

/// `value` as JSON text.
pub(crate) fn to_string<T: Serialize + ?Sized, F: Floats>(value: &T) -> Result<String, JsonError> {
    write::to_string::<T, F>(value)
}
