//! Writing serde values as JSON text: a [`serde::Serializer`] into a
//! `String`.

use super::{Floats, JsonError};
use serde::ser::{self, Serialize};
use std::fmt::{Display, Write as _};
use std::marker::PhantomData;

/// `value` as JSON text.
pub(super) fn to_string<T: Serialize + ?Sized, F: Floats>(value: &T) -> Result<String, JsonError> {
    let mut writer = Writer::<F> {
        out: String::new(),
        floats: PhantomData,
    };
    value.serialize(&mut writer)?;
    Ok(writer.out)
}

/// The text written so far.
struct Writer<F> {
    out: String,
    floats: PhantomData<F>,
}

impl<F: Floats> Writer<F> {
    fn string(&mut self, text: &str) {
        // Writing into a String cannot fail.
        let _ = crate::quoted::write_json_string(text, &mut self.out);
    }

    fn display(&mut self, value: impl Display) {
        // Writing into a String cannot fail.
        let _ = write!(self.out, "{value}");
    }

    /// Opens `{"variant":` for the variants that carry data.
    fn variant_key(&mut self, variant: &str) {
        self.out.push('{');
        self.string(variant);
        self.out.push(':');
    }

    fn compound(&mut self, open: &str, close: &'static str) -> Compound<'_, F> {
        self.out.push_str(open);
        Compound {
            writer: self,
            first: true,
            close,
        }
    }
}

/// The integer methods: the narrow ones widened to 64 bits (one formatting
/// routine per signedness), the wide ones written in decimal.
macro_rules! integers {
    ($($narrow:ident: $small:ty => $wide_method:ident),*; $($wide:ident: $big:ty),*) => {
        $(fn $narrow(self, value: $small) -> Result<(), JsonError> {
            self.$wide_method(value.into())
        })*
        $(fn $wide(self, value: $big) -> Result<(), JsonError> {
            self.display(value);
            Ok(())
        })*
    };
}

impl<'w, F: Floats> ser::Serializer for &'w mut Writer<F> {
    type Ok = ();
    type Error = JsonError;
    type SerializeSeq = Compound<'w, F>;
    type SerializeTuple = Compound<'w, F>;
    type SerializeTupleStruct = Compound<'w, F>;
    type SerializeTupleVariant = Compound<'w, F>;
    type SerializeMap = Compound<'w, F>;
    type SerializeStruct = Compound<'w, F>;
    type SerializeStructVariant = Compound<'w, F>;

    fn serialize_bool(self, value: bool) -> Result<(), JsonError> {
        self.out.push_str(if value { "true" } else { "false" });
        Ok(())
    }

    integers! {
        serialize_i8: i8 => serialize_i64, serialize_i16: i16 => serialize_i64,
        serialize_i32: i32 => serialize_i64, serialize_u8: u8 => serialize_u64,
        serialize_u16: u16 => serialize_u64, serialize_u32: u32 => serialize_u64;
        serialize_i64: i64, serialize_i128: i128, serialize_u64: u64, serialize_u128: u128
    }

    /// The shortest text for the `f32` itself (`0.1`, not the `f64` it
    /// widens to); `null` if it is not finite.
    fn serialize_f32(self, value: f32) -> Result<(), JsonError> {
        if value.is_finite() {
            self.display(value);
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }

    /// Through [`Floats::write`]; `null` if it is not finite.
    fn serialize_f64(self, value: f64) -> Result<(), JsonError> {
        if value.is_finite() {
            F::write(value, &mut self.out);
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }

    fn serialize_char(self, value: char) -> Result<(), JsonError> {
        self.string(value.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), JsonError> {
        self.string(value);
        Ok(())
    }

    /// An array of numbers, as serde_json writes bytes.
    fn serialize_bytes(self, value: &[u8]) -> Result<(), JsonError> {
        use ser::SerializeSeq;
        let mut items = self.compound("[", "]");
        for byte in value {
            items.serialize_element(byte)?;
        }
        items.end()
    }

    fn serialize_none(self) -> Result<(), JsonError> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), JsonError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), JsonError> {
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), JsonError> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), JsonError> {
        self.string(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), JsonError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), JsonError> {
        self.variant_key(variant);
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'w, F>, JsonError> {
        Ok(self.compound("[", "]"))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'w, F>, JsonError> {
        Ok(self.compound("[", "]"))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, F>, JsonError> {
        Ok(self.compound("[", "]"))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, F>, JsonError> {
        self.variant_key(variant);
        Ok(self.compound("[", "]}"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'w, F>, JsonError> {
        Ok(self.compound("{", "}"))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, F>, JsonError> {
        Ok(self.compound("{", "}"))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, F>, JsonError> {
        self.variant_key(variant);
        Ok(self.compound("{", "}}"))
    }
}

/// An array or object being written.
pub(super) struct Compound<'w, F> {
    writer: &'w mut Writer<F>,
    first: bool,
    /// What ends it (`]`, `}`, or those and the `}` of a variant).
    close: &'static str,
}

impl<F: Floats> Compound<'_, F> {
    fn separate(&mut self) {
        if !self.first {
            self.writer.out.push(',');
        }
        self.first = false;
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
        self.separate();
        value.serialize(&mut *self.writer)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), JsonError> {
        self.separate();
        self.writer.string(key);
        self.writer.out.push(':');
        value.serialize(&mut *self.writer)
    }

    fn finish(self) -> Result<(), JsonError> {
        self.writer.out.push_str(self.close);
        Ok(())
    }
}

/// The array-like compounds: each element after a comma.
macro_rules! array_like {
    ($($trait:ident::$method:ident),*) => {$(
        impl<F: Floats> ser::$trait for Compound<'_, F> {
            type Ok = ();
            type Error = JsonError;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
                self.element(value)
            }

            fn end(self) -> Result<(), JsonError> {
                self.finish()
            }
        }
    )*};
}

array_like! {
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
}

impl<F: Floats> ser::SerializeMap for Compound<'_, F> {
    type Ok = ();
    type Error = JsonError;

    /// A string key as it is; an integer or boolean key quoted (as
    /// serde_json does); anything else is an error.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), JsonError> {
        self.separate();
        let start = self.writer.out.len();
        key.serialize(&mut *self.writer)?;
        match self.writer.out.as_bytes().get(start) {
            Some(b'"') => Ok(()),
            Some(b'-' | b'0'..=b'9' | b't' | b'f') => {
                let written = self.writer.out.split_off(start);
                self.writer.out.push('"');
                self.writer.out.push_str(&written);
                self.writer.out.push('"');
                Ok(())
            }
            _ => Err(JsonError::new(
                "a map key must be a string, an integer or a boolean to be a JSON object key",
            )),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonError> {
        self.writer.out.push(':');
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), JsonError> {
        self.finish()
    }
}

/// The two serde compounds written as an object, by field name.
macro_rules! object_like {
    ($($trait:ident),*) => {$(
        impl<F: Floats> ser::$trait for Compound<'_, F> {
            type Ok = ();
            type Error = JsonError;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), JsonError> {
                self.field(key, value)
            }

            fn end(self) -> Result<(), JsonError> {
                self.finish()
            }
        }
    )*};
}

object_like! { SerializeStruct, SerializeStructVariant }
