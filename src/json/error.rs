//! [`JsonError`]: why a value could not be written or a text read.

use serde::de::{Expected, Unexpected};
use std::fmt;

/// Why a value could not be written as JSON or a text read as one.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct JsonError(pub(crate) String);

impl JsonError {
    /// An error that says `message`.
    pub(crate) fn new(message: impl fmt::Display) -> Self {
        JsonError(message.to_string())
    }
}

/// What kind of value was found, without the value: naming it would need
/// string escaping compiled in, and would echo the payload into the error.
fn kind_of<'a>(unexpected: &Unexpected<'a>) -> &'a str {
    match unexpected {
        Unexpected::Bool(_) => "a boolean",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) | Unexpected::Float(_) => "a number",
        Unexpected::Char(_) | Unexpected::Str(_) => "a string",
        Unexpected::Bytes(_) => "bytes",
        Unexpected::Unit => "null",
        Unexpected::Option => "an optional value",
        Unexpected::NewtypeStruct => "a newtype struct",
        Unexpected::Seq => "an array",
        Unexpected::Map => "an object",
        Unexpected::Enum => "an enum",
        Unexpected::UnitVariant => "a unit variant",
        Unexpected::NewtypeVariant => "a newtype variant",
        Unexpected::TupleVariant => "a tuple variant",
        Unexpected::StructVariant => "a struct variant",
        Unexpected::Other(other) => other,
    }
}

impl serde::de::Error for JsonError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        JsonError::new(message)
    }

    fn invalid_type(found: Unexpected<'_>, expected: &dyn Expected) -> Self {
        JsonError::new(format_args!(
            "found {}, expected {expected}",
            kind_of(&found)
        ))
    }

    fn invalid_value(found: Unexpected<'_>, expected: &dyn Expected) -> Self {
        JsonError::new(format_args!(
            "found {} that does not fit, expected {expected}",
            kind_of(&found)
        ))
    }
}

impl serde::ser::Error for JsonError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        JsonError::new(message)
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// The message, not a derived `Debug` (which would escape it).
impl fmt::Debug for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}
