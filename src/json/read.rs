//! Reading JSON text into serde values: a recursive-descent
//! [`serde::Deserializer`] over the text, with no panic path (every index is
//! checked).

use super::access::{Items, Members, Variant};
use super::exact_float::exact_float;
use super::{Floats, JsonError, MAX_DEPTH};
use serde::de::{self, DeserializeOwned, Visitor};
use serde::forward_to_deserialize_any;
use std::marker::PhantomData;

/// The value of type `T` in `text`; errors say where (as a byte offset).
pub(super) fn from_str<T: DeserializeOwned, F: Floats>(text: &str) -> Result<T, JsonError> {
    let mut reader = Reader::<F> {
        text,
        pos: 0,
        depth: 0,
        floats: PhantomData,
    };
    T::deserialize(&mut reader)
        .and_then(|value| match reader.peek() {
            None => Ok(value),
            Some(_) => Err(JsonError::new("more text after the value")),
        })
        .map_err(|error| JsonError::new(format_args!("{error} (at byte {})", reader.pos)))
}

/// Where reading is in the text.
pub(super) struct Reader<'t, F> {
    text: &'t str,
    /// A byte offset; always at a character boundary (it only ever steps
    /// over ASCII bytes, or to the closing quote of a string).
    pos: usize,
    /// Arrays and objects open around `pos`.
    depth: u32,
    floats: PhantomData<F>,
}

/// A string as read: a slice of the text when it has no escapes.
pub(super) enum Text<'t> {
    Borrowed(&'t str),
    Owned(String),
}

/// What a value starts with.
enum Token<'t> {
    Null,
    Bool(bool),
    Text(Text<'t>),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    /// `[`, taken.
    Array,
    /// `{`, taken.
    Object,
}

impl Text<'_> {
    pub(super) fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(text) => text,
            Text::Owned(text) => text,
        }
    }
}

impl<'t, F: Floats> Reader<'t, F> {
    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// The next byte that is not white space, without taking it.
    pub(super) fn peek(&mut self) -> Option<u8> {
        while matches!(self.byte(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
        self.byte()
    }

    pub(super) fn expected(&self, what: &str) -> JsonError {
        match self.byte() {
            None => JsonError::new(format_args!("the text ends where {what} should be")),
            Some(_) => JsonError::new(format_args!("expected {what}")),
        }
    }

    /// Takes `byte` (after white space) or fails, naming `what` was expected.
    pub(super) fn take(&mut self, byte: u8, what: &str) -> Result<(), JsonError> {
        if self.peek() != Some(byte) {
            return Err(self.expected(what));
        }
        self.pos += 1;
        Ok(())
    }

    /// Takes `word` (`null`, `true` or `false`).
    fn word(&mut self, word: &str) -> Result<(), JsonError> {
        let end = self.pos + word.len();
        if self.text.as_bytes().get(self.pos..end) != Some(word.as_bytes()) {
            return Err(self.expected("a JSON value"));
        }
        self.pos = end;
        Ok(())
    }

    /// The text between two character boundaries.
    fn slice(&self, from: usize, to: usize) -> &'t str {
        let text: &'t str = self.text;
        text.get(from..to).unwrap_or_default()
    }

    /// Opens an array or object (its bracket is next).
    fn enter(&mut self) -> Result<(), JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(JsonError::new(format_args!(
                "arrays and objects nest deeper than {MAX_DEPTH}"
            )));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    /// Closes an array or object with `byte`.
    pub(super) fn leave(&mut self, byte: u8, what: &str) -> Result<(), JsonError> {
        self.take(byte, what)?;
        self.depth -= 1;
        Ok(())
    }

    /// A string (its opening quote is next, after white space).
    pub(super) fn string(&mut self) -> Result<Text<'t>, JsonError> {
        self.take(b'"', "a string")?;
        let mut owned: Option<String> = None;
        let mut run = self.pos;
        loop {
            match self.byte() {
                None => return Err(JsonError::new("a string is not closed")),
                Some(b'"') => {
                    let rest = self.slice(run, self.pos);
                    self.pos += 1;
                    return Ok(match owned {
                        None => Text::Borrowed(rest),
                        Some(mut text) => {
                            text.push_str(rest);
                            Text::Owned(text)
                        }
                    });
                }
                Some(b'\\') => {
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(self.slice(run, self.pos));
                    self.pos += 1;
                    text.push(self.escape()?);
                    run = self.pos;
                }
                Some(0..=0x1f) => {
                    return Err(JsonError::new(
                        "a control character in a string must be escaped",
                    ))
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// The character of an escape (after its backslash).
    fn escape(&mut self) -> Result<char, JsonError> {
        let byte = self.byte();
        self.pos += 1;
        Ok(match byte {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => self.unicode_escape()?,
            _ => return Err(JsonError::new("an unknown escape in a string")),
        })
    }

    /// The character of `\uXXXX`, or of a surrogate pair of two.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let lone = || JsonError::new("a \\u escape is a lone surrogate");
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                let end = self.pos + 2;
                if self.text.as_bytes().get(self.pos..end) != Some(b"\\u".as_slice()) {
                    return Err(lone());
                }
                self.pos = end;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(lone());
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(lone()),
            _ => first,
        };
        char::from_u32(code).ok_or_else(lone)
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = self
                .byte()
                .and_then(|byte| char::from(byte).to_digit(16))
                .ok_or_else(|| JsonError::new("a \\u escape needs four hex digits"))?;
            value = value * 16 + digit;
            self.pos += 1;
        }
        Ok(value)
    }

    /// Takes one or more digits, adding them to `value` (`None` once it
    /// passes 2^64).
    fn digits(&mut self, value: &mut Option<u64>) -> Result<u64, JsonError> {
        let start = self.pos;
        while let Some(digit @ b'0'..=b'9') = self.byte() {
            *value = value.and_then(|n| n.checked_mul(10)?.checked_add(u64::from(digit - b'0')));
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.expected("a digit"));
        }
        Ok((self.pos - start) as u64)
    }

    /// A number: integers that fit in 64 bits exactly, the common floats
    /// by [`exact_float`], the rest through [`Floats::parse`].
    fn number(&mut self) -> Result<Token<'t>, JsonError> {
        let start = self.pos;
        let negative = self.byte() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        // The significant digits, and the power of ten they are scaled by.
        let mut digits = Some(0);
        let mut power: i64 = 0;
        if self.byte() == Some(b'0') {
            self.pos += 1;
        } else {
            self.digits(&mut digits)?;
        }
        let mut is_float = false;
        if self.byte() == Some(b'.') {
            self.pos += 1;
            power -= self.digits(&mut digits)? as i64;
            is_float = true;
        }
        if matches!(self.byte(), Some(b'e' | b'E')) {
            self.pos += 1;
            let exponent_negative = self.byte() == Some(b'-');
            if matches!(self.byte(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            let mut exponent = Some(0);
            self.digits(&mut exponent)?;
            // Past the fast path's reach either way when it does not fit.
            let exponent = exponent.map_or(i64::MAX / 2, |e| e.min(1 << 32) as i64);
            power += if exponent_negative {
                -exponent
            } else {
                exponent
            };
            is_float = true;
        }
        match digits {
            Some(value) if !is_float && !negative => return Ok(Token::Unsigned(value)),
            // Two's complement: 2^63 becomes i64::MIN. `-0` is a float
            // (negative zero, as `JSON.parse` reads it).
            Some(value) if !is_float && value != 0 && value <= 1 << 63 => {
                return Ok(Token::Signed((value as i64).wrapping_neg()))
            }
            _ => {}
        }
        let value = match digits.and_then(|digits| exact_float(digits, power)) {
            Some(value) if negative => -value,
            Some(value) => value,
            None => F::parse(self.slice(start, self.pos)),
        };
        if !value.is_finite() {
            return Err(JsonError::new("a number too large for a 64-bit float"));
        }
        Ok(Token::Float(value))
    }

    /// The next value's first token: all of a scalar, or the opening of an
    /// array or object (entered). Not generic, so the code that reads JSON
    /// is compiled once, not once per type read.
    fn token(&mut self) -> Result<Token<'t>, JsonError> {
        Ok(match self.peek() {
            Some(b'n') => {
                self.word("null")?;
                Token::Null
            }
            Some(b't') => {
                self.word("true")?;
                Token::Bool(true)
            }
            Some(b'f') => {
                self.word("false")?;
                Token::Bool(false)
            }
            Some(b'"') => Token::Text(self.string()?),
            Some(b'[') => {
                self.enter()?;
                Token::Array
            }
            Some(b'{') => {
                self.enter()?;
                Token::Object
            }
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.expected("a JSON value")),
        })
    }
}

impl<'t, F: Floats> de::Deserializer<'t> for &mut Reader<'t, F> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.token()? {
            Token::Null => visitor.visit_unit(),
            Token::Bool(value) => visitor.visit_bool(value),
            Token::Text(Text::Borrowed(text)) => visitor.visit_borrowed_str(text),
            Token::Text(Text::Owned(text)) => visitor.visit_string(text),
            Token::Unsigned(value) => visitor.visit_u64(value),
            Token::Signed(value) => visitor.visit_i64(value),
            Token::Float(value) => visitor.visit_f64(value),
            Token::Array => {
                let value = visitor.visit_seq(Items {
                    reader: &mut *self,
                    first: true,
                })?;
                self.leave(b']', "`,` or `]`")?;
                Ok(value)
            }
            Token::Object => {
                let value = visitor.visit_map(Members {
                    reader: &mut *self,
                    first: true,
                })?;
                self.leave(b'}', "`,` or `}`")?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, JsonError> {
        if self.peek() == Some(b'n') {
            self.word("null")?;
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'t>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        visitor.visit_newtype_struct(self)
    }

    /// `"Variant"` for a unit variant, `{"Variant": value}` for the others.
    fn deserialize_enum<V: Visitor<'t>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        if self.peek() != Some(b'{') {
            return visitor.visit_enum(Variant {
                reader: self,
                unit: true,
            });
        }
        self.enter()?;
        let value = visitor.visit_enum(Variant {
            reader: &mut *self,
            unit: false,
        })?;
        self.leave(b'}', "`}` after the one variant")?;
        Ok(value)
    }

    forward_to_deserialize_any! {
        <W: Visitor<'t>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}
