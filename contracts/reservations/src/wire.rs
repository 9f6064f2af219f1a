//! Compact JSON decoding of this contract's messages and stored records: the shared
//! [`supercloud_wire`] decoder in its strict forms. Accepted JSON is what the derived impls accept
//! in every form `Serialize` writes or the schema describes (the same names, an absent or `null`
//! `Option` is `None`, `#[serde(default)]` fields may be absent or `null`, unknown fields are
//! ignored, a known field given twice is refused, numbers must be unsigned integers in range).
//! Refused, unlike derive: a struct of this contract written as a JSON array of its field values,
//! and a struct variant written as a bare string. The types implement it next to their
//! definitions with the macros below.

pub use supercloud_wire::{Fields, FromValue, Placeholder, Value, WireError};

/// Implements [`FromValue`], [`Placeholder`] and the `TryFrom<Value>` that
/// `#[serde(try_from = "Value")]` calls, for a struct from its field names (`field = default` for
/// a `#[serde(default)]` field): objects only ([`supercloud_wire::object_struct!`]).
macro_rules! wire_struct {
    ($($body:tt)*) => { ::supercloud_wire::object_struct!($($body)*); };
}

/// As [`wire_struct!`] for an externally tagged enum, `{"tag": body}` only: `"tag" => Variant()`
/// for a newtype variant, `"tag" => Variant { fields }` for a struct variant
/// ([`supercloud_wire::object_enum!`]). The tags are checked against the JSON schema by the tests.
macro_rules! wire_enum {
    ($($body:tt)*) => { ::supercloud_wire::object_enum!($($body)*); };
}

/// `as_str`, and the conversion `#[serde(into = "&'static str")]` serializes through, for an enum
/// of unit variants written as strings: one list of names for both directions.
macro_rules! names {
    ($ty:ident { $( $name:literal => $variant:ident ),* $(,)? }) => {
        impl $ty {
            /// The name in messages, state and errors.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $( Self::$variant => $name, )*
                }
            }
        }

        impl From<$ty> for &'static str {
            fn from(value: $ty) -> Self {
                value.as_str()
            }
        }
    };
}

/// [`names!`] plus decoding (the first variant is the placeholder).
macro_rules! wire_names {
    ($ty:ident { $first:literal => $first_variant:ident $(, $name:literal => $variant:ident )* $(,)? }) => {
        names!($ty { $first => $first_variant $(, $name => $variant)* });

        impl ::supercloud_wire::FromValue for $ty {
            fn from_value(value: ::supercloud_wire::Value) -> Result<Self, ::supercloud_wire::WireError> {
                let name = <String as ::supercloud_wire::FromValue>::from_value(value)?;
                match name.as_str() {
                    $first => Ok(Self::$first_variant),
                    $( $name => Ok(Self::$variant), )*
                    _ => Err(::supercloud_wire::WireError::UnknownVariant(name)),
                }
            }
        }

        impl ::supercloud_wire::Placeholder for $ty {
            fn placeholder() -> Self {
                Self::$first_variant
            }
        }

        ::supercloud_wire::wire_struct!(@try_from $ty);
    };
}
