//! How serde walks what the [`Reader`] reads: an array's elements, an
//! object's members and keys, an enum's variant.

use super::read::{Reader, Text};
use super::{Floats, JsonError};
use serde::de::{
    self, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;

/// The elements of an array.
pub(super) struct Items<'r, 't, F> {
    pub(super) reader: &'r mut Reader<'t, F>,
    pub(super) first: bool,
}

impl<'t, F: Floats> SeqAccess<'t> for Items<'_, 't, F> {
    type Error = JsonError;

    fn next_element_seed<T: DeserializeSeed<'t>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, JsonError> {
        if self.reader.peek() == Some(b']') {
            return Ok(None);
        }
        if !self.first {
            self.reader.take(b',', "`,` or `]`")?;
        }
        self.first = false;
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

/// The members of an object.
pub(super) struct Members<'r, 't, F> {
    pub(super) reader: &'r mut Reader<'t, F>,
    pub(super) first: bool,
}

impl<'t, F: Floats> MapAccess<'t> for Members<'_, 't, F> {
    type Error = JsonError;

    fn next_key_seed<K: DeserializeSeed<'t>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, JsonError> {
        if self.reader.peek() == Some(b'}') {
            return Ok(None);
        }
        if !self.first {
            self.reader.take(b',', "`,` or `}`")?;
        }
        self.first = false;
        seed.deserialize(Key {
            reader: &mut *self.reader,
        })
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'t>>(&mut self, seed: V) -> Result<V::Value, JsonError> {
        self.reader.take(b':', "`:`")?;
        seed.deserialize(&mut *self.reader)
    }
}

/// An object's key: a string, read as a number for integer keys and as a
/// unit variant for enum keys.
struct Key<'r, 't, F> {
    reader: &'r mut Reader<'t, F>,
}

macro_rules! integer_keys {
    ($($method:ident: $parsed:ty => $visit:ident),*) => {$(
        fn $method<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, JsonError> {
            let key = self.reader.string()?;
            match key.as_str().parse::<$parsed>() {
                Ok(number) => visitor.$visit(number),
                Err(_) => Err(de::Error::invalid_type(Unexpected::Str(""), &visitor)),
            }
        }
    )*};
}

impl<'t, F: Floats> de::Deserializer<'t> for Key<'_, 't, F> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.reader.string()? {
            Text::Borrowed(text) => visitor.visit_borrowed_str(text),
            Text::Owned(text) => visitor.visit_string(text),
        }
    }

    integer_keys! {
        deserialize_u8: u64 => visit_u64, deserialize_u16: u64 => visit_u64,
        deserialize_u32: u64 => visit_u64, deserialize_u64: u64 => visit_u64,
        deserialize_i8: i64 => visit_i64, deserialize_i16: i64 => visit_i64,
        deserialize_i32: i64 => visit_i64, deserialize_i64: i64 => visit_i64
    }

    fn deserialize_enum<V: Visitor<'t>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        let key = self.reader.string()?;
        visitor.visit_enum(key.as_str().to_owned().into_deserializer())
    }

    forward_to_deserialize_any! {
        <W: Visitor<'t>>
        bool i128 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// An enum's variant: a string alone (`unit`), or the one key of an object.
pub(super) struct Variant<'r, 't, F> {
    pub(super) reader: &'r mut Reader<'t, F>,
    pub(super) unit: bool,
}

impl<'r, 't, F: Floats> EnumAccess<'t> for Variant<'r, 't, F> {
    type Error = JsonError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'t>>(self, seed: V) -> Result<(V::Value, Self), JsonError> {
        let name = seed.deserialize(Key {
            reader: &mut *self.reader,
        })?;
        if !self.unit {
            self.reader.take(b':', "`:`")?;
        }
        Ok((name, self))
    }
}

impl<'t, F: Floats> VariantAccess<'t> for Variant<'_, 't, F> {
    type Error = JsonError;

    fn unit_variant(self) -> Result<(), JsonError> {
        if self.unit {
            return Ok(());
        }
        de::Deserialize::deserialize(&mut *self.reader)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'t>>(self, seed: T) -> Result<T::Value, JsonError> {
        if self.unit {
            return Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"a newtype variant",
            ));
        }
        seed.deserialize(&mut *self.reader)
    }

    fn tuple_variant<V: Visitor<'t>>(self, _len: usize, visitor: V) -> Result<V::Value, JsonError> {
        if self.unit {
            return Err(de::Error::invalid_type(Unexpected::UnitVariant, &visitor));
        }
        de::Deserializer::deserialize_any(&mut *self.reader, visitor)
    }

    fn struct_variant<V: Visitor<'t>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.tuple_variant(0, visitor)
    }
}
