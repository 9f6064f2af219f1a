//! `map_struct!`, `map_enum!`, `str_enum!`: pip's message and state types with a smaller
//! `Deserialize` than the derive's.
//!
//! `#[derive(Deserialize)]` gives each struct (and each struct variant of an enum) two parsers,
//! one for a JSON object and one for a JSON array (`[field0, field1, …]`, a form no client
//! sends), plus a field-name visitor of its own, and each enum a variant visitor and an enum
//! access; serde_json instantiates all of them per type. In pip's wasm that was about 30 KB of
//! the 400 KiB limit (structs about 19 KB, enums about 11 KB). These macros declare the types
//! with the derives `#[cw_serde]` gives, except `Deserialize`, which they implement for the
//! object (or string) form only, with name lookups shared by every type ([`FieldIndex`],
//! [`VariantIndex`], [`NameIndex`]).
//!
//! The JSON accepted is the derive's object form: fields in any order, unknown fields ignored,
//! `Option` fields absent or `null`, a repeated field refused, a missing required field refused
//! with its name. A field written `pub name: Type = expr` takes `expr` when absent; give it a
//! `#[serde(default = "…")]` as well so that the schema marks it optional.

use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// A key seed: the position of a field name in a struct's field list, `usize::MAX` when unknown.
pub struct FieldIndex(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<usize, E> {
        Ok(self.0.iter().position(|f| *f == name).unwrap_or(usize::MAX))
    }
}

/// The fields of a struct seen so far (at most 64 fields, which every `map_struct!` checks).
#[derive(Default)]
pub struct Seen(u64);

impl Seen {
    /// Records field `index` of `fields` (unknown fields, `usize::MAX`, are not recorded); a
    /// field seen twice is the derive's "duplicate field" error.
    pub fn insert<E: de::Error>(&mut self, fields: &[&'static str], index: usize) -> Result<(), E> {
        let bit = u32::try_from(index)
            .ok()
            .and_then(|i| 1u64.checked_shl(i))
            .unwrap_or(0);
        if self.0 & bit != 0 {
            let name = fields.get(index).copied().unwrap_or_default();
            return Err(E::duplicate_field(name));
        }
        self.0 |= bit;
        Ok(())
    }
}

/// The value of an absent field: `None` for an `Option`, else the "missing field" error (as the
/// derive does).
pub fn absent<'de, T: de::Deserialize<'de>, E: de::Error>(field: &'static str) -> Result<T, E> {
    T::deserialize(de::value::UnitDeserializer::<E>::new()).map_err(|_| E::missing_field(field))
}

/// Declares a struct (all fields `pub`) with `Serialize`, `Clone`, `Debug`, `PartialEq`, the two
/// schema derives and an object-only `Deserialize` (see the module docs).
macro_rules! map_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                pub $field:ident : $ty:ty $(= $default:expr)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            ::serde::Serialize,
            ::std::clone::Clone,
            ::std::fmt::Debug,
            ::std::cmp::PartialEq,
            ::cosmwasm_schema::schemars::JsonSchema,
            ::cosmwasm_schema::cw_schema::Schemaifier,
        )]
        #[allow(clippy::derive_partial_eq_without_eq)]
        #[schemaifier(crate = "::cosmwasm_schema::cw_schema")]
        #[schemars(crate = "::cosmwasm_schema::schemars")]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                #[allow(non_camel_case_types, dead_code)]
                enum Field {
                    $($field),*
                }
                const FIELDS: &[&str] = &[$(stringify!($field)),*];
                const _: () = assert!(FIELDS.len() <= 64, "Seen holds 64 fields");

                struct ObjectVisitor;

                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<A>(self, mut map: A) -> ::core::result::Result<$name, A::Error>
                    where
                        A: ::serde::de::MapAccess<'de>,
                    {
                        $( let mut $field: ::core::option::Option<$ty> = None; )*
                        let mut seen = $crate::serde_map::Seen::default();
                        while let Some(index) =
                            map.next_key_seed($crate::serde_map::FieldIndex(FIELDS))?
                        {
                            seen.insert::<A::Error>(FIELDS, index)?;
                            $(
                                if index == Field::$field as usize {
                                    $field = Some(map.next_value()?);
                                    continue;
                                }
                            )*
                            map.next_value::<::serde::de::IgnoredAny>()?;
                        }
                        Ok($name {
                            $(
                                $field: match $field {
                                    Some(value) => value,
                                    None => map_struct!(@absent $field $(, $default)?),
                                },
                            )*
                        })
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    };
    (@absent $field:ident) => {
        $crate::serde_map::absent(stringify!($field))?
    };
    (@absent $field:ident, $default:expr) => {
        $default
    };
}

/// A key seed for an externally tagged enum: the position of the variant whose snake_case name is
/// the key (as `#[serde(rename_all = "snake_case")]` names it), `usize::MAX` when none is.
pub struct VariantIndex(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for VariantIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for VariantIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a variant name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<usize, E> {
        match self.0.iter().position(|v| snake_case_is(v, name)) {
            Some(index) => Ok(index),
            None => Err(E::custom(format_args!("unknown variant `{name}`"))),
        }
    }
}

/// Whether `snake` is serde's snake_case of the CamelCase name `camel` (ASCII): an `_` before
/// every capital but the first, capitals lowered.
pub fn snake_case_is(camel: &str, snake: &str) -> bool {
    let mut rest = snake.bytes();
    for (i, c) in camel.bytes().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && rest.next() != Some(b'_') {
            return false;
        }
        if rest.next() != Some(c.to_ascii_lowercase()) {
            return false;
        }
    }
    rest.next().is_none()
}

/// Declares an externally tagged enum (`{"variant_name": …}`, variant names in snake_case) whose
/// variants are newtype (`Name(Type)`) or struct variants (`Name { … }`, `Name {}`), with the
/// derives `#[cw_serde]` gives and an object-only `Deserialize` like [`map_struct!`]'s. An
/// object with no key, an unknown variant or a second key is refused, as by the derive.
macro_rules! map_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $body:tt
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            ::serde::Serialize,
            ::std::clone::Clone,
            ::std::fmt::Debug,
            ::std::cmp::PartialEq,
            ::cosmwasm_schema::schemars::JsonSchema,
            ::cosmwasm_schema::cw_schema::Schemaifier,
        )]
        #[allow(clippy::derive_partial_eq_without_eq)]
        #[serde(rename_all = "snake_case")]
        #[schemaifier(crate = "::cosmwasm_schema::cw_schema")]
        #[schemars(crate = "::cosmwasm_schema::schemars")]
        pub enum $name {
            $( $(#[$vmeta])* $variant $body, )*
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                #[allow(non_camel_case_types, clippy::enum_variant_names)]
                enum Variant {
                    $($variant),*
                }
                const VARIANTS: &[&str] = &[$(stringify!($variant)),*];

                struct TagVisitor;

                impl<'de> ::serde::de::Visitor<'de> for TagVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
                        f.write_str(concat!("enum ", stringify!($name)))
                    }

                    fn visit_map<A>(self, mut map: A) -> ::core::result::Result<$name, A::Error>
                    where
                        A: ::serde::de::MapAccess<'de>,
                    {
                        use ::serde::de::Error as _;
                        let index = map
                            .next_key_seed($crate::serde_map::VariantIndex(VARIANTS))?
                            .ok_or_else(|| A::Error::invalid_length(0, &self))?;
                        let value = $(
                            if index == Variant::$variant as usize {
                                map_enum!(@payload map $name $variant $body)
                            } else
                        )* {
                            return Err(A::Error::invalid_length(0, &self));
                        };
                        if map.next_key::<::serde::de::IgnoredAny>()?.is_some() {
                            return Err(A::Error::invalid_length(2, &self));
                        }
                        Ok(value)
                    }
                }

                deserializer.deserialize_map(TagVisitor)
            }
        }
    };
    (@payload $map:ident $name:ident $variant:ident ( $ty:ty )) => {
        $name::$variant($map.next_value::<$ty>()?)
    };
    (@payload $map:ident $name:ident $variant:ident {
        $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
    }) => {{
        map_struct! {
            pub struct Payload {
                $( pub $field: $ty, )*
            }
        }
        #[allow(unused_variables)]
        let payload: Payload = $map.next_value()?;
        $name::$variant { $( $field: payload.$field, )* }
    }};
}

/// A seed for a fieldless enum written as a string: the position of the name in `names`, or the
/// derive's "unknown variant" error.
pub struct NameIndex(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for NameIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for NameIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a variant name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| E::unknown_variant(name, self.0))
    }
}

/// Declares a fieldless enum written in JSON as one of the given names (`"name"`, as
/// `#[cw_serde]` writes a unit variant), with the derives `#[cw_serde]` gives (and `Copy`, `Eq`)
/// and hand-written `Serialize`/`Deserialize` that share [`NameIndex`].
macro_rules! str_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            ::std::clone::Clone,
            ::std::marker::Copy,
            ::std::fmt::Debug,
            ::std::cmp::PartialEq,
            ::std::cmp::Eq,
            ::cosmwasm_schema::schemars::JsonSchema,
            ::cosmwasm_schema::cw_schema::Schemaifier,
        )]
        #[serde(rename_all = "snake_case")]
        #[schemaifier(crate = "::cosmwasm_schema::cw_schema")]
        #[schemars(crate = "::cosmwasm_schema::schemars")]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// The name written in JSON.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )*
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                const NAMES: &[&str] = &[$($text),*];
                const ALL: &[$name] = &[$($name::$variant),*];
                let index = ::serde::de::DeserializeSeed::deserialize(
                    $crate::serde_map::NameIndex(NAMES),
                    deserializer,
                )?;
                ALL.get(index).copied().ok_or_else(|| {
                    <D::Error as ::serde::de::Error>::custom("unknown variant")
                })
            }
        }
    };
}

#[cfg(test)]
#[path = "serde_map_tests.rs"]
mod tests;
