//! Compact JSON decoding of this contract's messages and stored records.
//!
//! Why: serde's derived `Deserialize` emits, for every field of every struct and enum variant, its
//! own parsing, error and cleanup paths: several hundred bytes of wasm per field. This contract
//! decodes about 150 fields, and that code was the largest part of its wasm (figures in the crate
//! docs). Here one parser reads JSON into a [`Value`] tree and each type is built from it with one
//! call per field: `#[serde(try_from = "Value")]` on a type plugs this in. Serialization and the
//! JSON schema stay derived.
//!
//! Accepted JSON is what the derived impls accept in every form `Serialize` writes or the schema
//! describes: the same names, an absent or `null` `Option` is `None`, `#[serde(default)]` fields
//! may be absent, unknown fields are ignored, a known field given twice is refused, numbers must
//! be unsigned integers in range. Error texts follow serde's ("missing field `id`") with the field
//! path instead of line and column. Refused, unlike derive: a struct written as a JSON array of
//! its field values, and a unit variant written as `{"<name>": null}`.

use std::fmt;
use std::str::FromStr;

use cosmwasm_std::{Addr, Binary, Coin, Uint128, Uint256};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use supercloud_events::reservations::Tee;
use supercloud_std::{ActReceiveMsg, AuthorityMsg};

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A non-negative integer that fits in `u64`.
    Uint(u64),
    /// Any other number (negative, fractional, or above `u64::MAX`): never valid here.
    OtherNumber,
    /// A string.
    Str(String),
    /// An array.
    Seq(Vec<Value>),
    /// An object.
    Object(Object),
}

/// A JSON object's entries in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object(Vec<(String, Value)>);

/// Why a value does not decode into the wanted type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// A required field is absent.
    Missing(&'static str),
    /// A field appears more than once.
    Duplicate(&'static str),
    /// The JSON kind is wrong (`found` a string, `expected` an unsigned integer).
    Type {
        expected: &'static str,
        found: &'static str,
    },
    /// The kind is right but the value is not (out of range, not a number, bad base64).
    Invalid {
        expected: &'static str,
        value: String,
    },
    /// An enum tag this type does not have.
    UnknownVariant(String),
    /// The error of a named field (the path is built outwards).
    Field(&'static str, Box<WireError>),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::Missing(field) => write!(f, "missing field `{field}`"),
            WireError::Duplicate(field) => write!(f, "duplicate field `{field}`"),
            WireError::Type { expected, found } => {
                write!(f, "invalid type: {found}, expected {expected}")
            }
            WireError::Invalid { expected, value } => {
                write!(f, "invalid value: {value:?}, expected {expected}")
            }
            WireError::UnknownVariant(tag) => write!(f, "unknown variant `{tag}`"),
            WireError::Field(field, inner) => write!(f, "{field}: {inner}"),
        }
    }
}

impl Value {
    /// The JSON kind, as named in errors.
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Uint(_) | Value::OtherNumber => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    fn type_error(&self, expected: &'static str) -> WireError {
        WireError::Type {
            expected,
            found: self.kind(),
        }
    }

    /// The object's entries, or a type error.
    pub fn into_object(self) -> Result<Object, WireError> {
        match self {
            Value::Object(object) => Ok(object),
            other => Err(other.type_error("an object")),
        }
    }

    /// An externally tagged enum value `{"<tag>": <body>}`: its tag and body.
    pub fn into_variant(self) -> Result<(String, Value), WireError> {
        let mut entries = self.into_object()?.0;
        match entries.pop() {
            Some(entry) if entries.is_empty() => Ok(entry),
            _ => Err(WireError::Type {
                expected: "an object with exactly one key (the variant)",
                found: "another object",
            }),
        }
    }

    fn into_string(self) -> Result<String, WireError> {
        match self {
            Value::Str(s) => Ok(s),
            other => Err(other.type_error("a string")),
        }
    }

    fn into_seq(self, len: Option<usize>, expected: &'static str) -> Result<Vec<Value>, WireError> {
        match self {
            Value::Seq(items) if len.is_none_or(|n| items.len() == n) => Ok(items),
            other => Err(other.type_error(expected)),
        }
    }
}

/// An object being decoded into a struct or struct variant. Fields are taken one by one and the
/// first error is kept for [`Fields::finish`], so building the struct has no early exit: each
/// `?` inside a struct literal would drop the fields built so far, and that cleanup was most of
/// the decoding code. The generic part per field type is one `from_value` call.
pub struct Fields {
    object: Object,
    error: Option<WireError>,
}

impl Fields {
    /// Starts decoding an object (a non-object is the error `finish` reports).
    pub fn new(value: Value) -> Self {
        match value.into_object() {
            Ok(object) => Fields {
                object,
                error: None,
            },
            Err(e) => Fields {
                object: Object::default(),
                error: Some(e),
            },
        }
    }

    /// Removes `key` from the object. `None` when it is absent (an error unless `optional`), given
    /// twice (an error), or an error is already recorded.
    fn slot(&mut self, key: &'static str, optional: bool) -> Option<Value> {
        if self.error.is_some() {
            return None;
        }
        let entries = &mut self.object.0;
        let Some(i) = entries.iter().position(|(k, _)| k == key) else {
            if !optional {
                self.error = Some(WireError::Missing(key));
            }
            return None;
        };
        let (_, value) = entries.swap_remove(i);
        if entries.iter().any(|(k, _)| k == key) {
            self.error = Some(WireError::Duplicate(key));
            return None;
        }
        Some(value)
    }

    /// Records the first error, found in field `key`.
    fn fail(&mut self, key: &'static str, error: WireError) {
        self.error = Some(WireError::Field(key, Box::new(error)));
    }

    /// The decoded field; the placeholder when it is absent (`None` for an `Option`) or an error
    /// is recorded.
    pub fn get<T: FromValue + Placeholder>(&mut self, key: &'static str) -> T {
        if let Some(value) = self.slot(key, T::OPTIONAL) {
            match T::from_value(value) {
                Ok(v) => return v,
                Err(e) => self.fail(key, e),
            }
        }
        T::placeholder()
    }

    /// As [`Fields::get`], with `T::default()` for an absent key (`#[serde(default)]`).
    pub fn get_or_default<T: FromValue + Placeholder + Default>(&mut self, key: &'static str) -> T {
        self.get::<Option<T>>(key).unwrap_or_default()
    }

    /// The built value, or the first error.
    pub fn finish<T>(self, value: T) -> Result<T, WireError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(value),
        }
    }
}

/// A value of the type to stand in for a field that failed to decode (then never returned), and
/// the value of an absent optional field.
pub trait Placeholder {
    /// The stand-in.
    fn placeholder() -> Self;
}

/// Placeholders of types with a cheap `Default`.
macro_rules! default_placeholder {
    ($($ty:ty),*) => {$(
        impl Placeholder for $ty {
            fn placeholder() -> Self {
                Self::default()
            }
        }
    )*};
}
default_placeholder!(bool, u64, u32, u16, String, Uint128, Uint256, Binary, Coin);

impl Placeholder for Addr {
    fn placeholder() -> Self {
        Addr::unchecked("")
    }
}

impl Placeholder for Tee {
    fn placeholder() -> Self {
        Tee::None
    }
}

impl<T> Placeholder for Option<T> {
    fn placeholder() -> Self {
        None
    }
}

impl<T> Placeholder for Vec<T> {
    fn placeholder() -> Self {
        Vec::new()
    }
}

impl<A: Placeholder, B: Placeholder> Placeholder for (A, B) {
    fn placeholder() -> Self {
        (A::placeholder(), B::placeholder())
    }
}

impl<A: Placeholder, B: Placeholder, C: Placeholder> Placeholder for (A, B, C) {
    fn placeholder() -> Self {
        (A::placeholder(), B::placeholder(), C::placeholder())
    }
}

/// A type decoded from a [`Value`].
pub trait FromValue: Sized {
    /// Decodes a present value.
    fn from_value(value: Value) -> Result<Self, WireError>;

    /// Whether the field may be absent (only `Option`, whose placeholder `None` is then its value).
    const OPTIONAL: bool = false;
}

impl FromValue for bool {
    fn from_value(value: Value) -> Result<Self, WireError> {
        match value {
            Value::Bool(b) => Ok(b),
            other => Err(other.type_error("a boolean")),
        }
    }
}

impl FromValue for u64 {
    fn from_value(value: Value) -> Result<Self, WireError> {
        match value {
            Value::Uint(n) => Ok(n),
            other => Err(other.type_error("an unsigned integer")),
        }
    }
}

/// Unsigned integers narrower than `u64`, range-checked.
macro_rules! narrow_uint {
    ($($ty:ty => $expected:literal),*) => {$(
        impl FromValue for $ty {
            fn from_value(value: Value) -> Result<Self, WireError> {
                let n = u64::from_value(value)?;
                <$ty>::try_from(n).map_err(|_| WireError::Invalid {
                    expected: $expected,
                    value: n.to_string(),
                })
            }
        }
    )*};
}
narrow_uint!(u32 => "an integer up to 4294967295", u16 => "an integer up to 65535");

impl FromValue for String {
    fn from_value(value: Value) -> Result<Self, WireError> {
        value.into_string()
    }
}

/// Parses a string with `FromStr` (decimal amounts, enum names).
fn parse_str<T: FromStr>(value: Value, expected: &'static str) -> Result<T, WireError> {
    let s = value.into_string()?;
    s.parse()
        .map_err(|_| WireError::Invalid { expected, value: s })
}

impl FromValue for Addr {
    /// As serde's `Addr`: the string, unvalidated (messages carry addresses as `String` and are
    /// validated by the handlers; stored addresses were validated when written).
    fn from_value(value: Value) -> Result<Self, WireError> {
        Ok(Addr::unchecked(value.into_string()?))
    }
}

impl FromValue for Uint256 {
    fn from_value(value: Value) -> Result<Self, WireError> {
        parse_str(value, "a decimal string of a 256-bit unsigned integer")
    }
}

impl FromValue for Uint128 {
    fn from_value(value: Value) -> Result<Self, WireError> {
        parse_str(value, "a decimal string of a 128-bit unsigned integer")
    }
}

impl FromValue for Binary {
    fn from_value(value: Value) -> Result<Self, WireError> {
        let s = value.into_string()?;
        Binary::from_base64(&s).map_err(|_| WireError::Invalid {
            expected: "base64",
            value: s,
        })
    }
}

impl FromValue for Tee {
    fn from_value(value: Value) -> Result<Self, WireError> {
        parse_str(value, "one of tdx, sev_snp, nvtrust, none")
    }
}

impl FromValue for Coin {
    fn from_value(value: Value) -> Result<Self, WireError> {
        let mut f = Fields::new(value);
        let coin = Coin {
            denom: f.get("denom"),
            amount: f.get("amount"),
        };
        f.finish(coin)
    }
}

impl FromValue for ActReceiveMsg {
    fn from_value(value: Value) -> Result<Self, WireError> {
        let mut f = Fields::new(value);
        let msg = ActReceiveMsg {
            sender: f.get("sender"),
            amount: f.get("amount"),
            msg: f.get("msg"),
        };
        f.finish(msg)
    }
}

impl FromValue for AuthorityMsg {
    fn from_value(value: Value) -> Result<Self, WireError> {
        let (tag, body) = value.into_variant()?;
        let mut f = Fields::new(body);
        let msg = match tag.as_str() {
            "propose" => AuthorityMsg::Propose {
                new_authority: f.get("new_authority"),
            },
            "accept" => AuthorityMsg::Accept {},
            "cancel" => AuthorityMsg::Cancel {},
            _ => return Err(WireError::UnknownVariant(tag)),
        };
        f.finish(msg)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value) -> Result<Self, WireError> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }

    const OPTIONAL: bool = true;
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(value: Value) -> Result<Self, WireError> {
        value
            .into_seq(None, "an array")?
            .into_iter()
            .map(T::from_value)
            .collect()
    }
}

impl<A: FromValue, B: FromValue> FromValue for (A, B) {
    fn from_value(value: Value) -> Result<Self, WireError> {
        let mut items = value.into_seq(Some(2), "an array of 2 items")?.into_iter();
        Ok((next(&mut items)?, next(&mut items)?))
    }
}

impl<A: FromValue, B: FromValue, C: FromValue> FromValue for (A, B, C) {
    fn from_value(value: Value) -> Result<Self, WireError> {
        let mut items = value.into_seq(Some(3), "an array of 3 items")?.into_iter();
        Ok((next(&mut items)?, next(&mut items)?, next(&mut items)?))
    }
}

/// The next item of a length-checked array.
fn next<T: FromValue>(items: &mut impl Iterator<Item = Value>) -> Result<T, WireError> {
    T::from_value(items.next().unwrap_or(Value::Null))
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Uint(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or(Value::OtherNumber, Value::Uint))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Value, E> {
        Ok(Value::OtherNumber)
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Value::Object(Object(entries)))
    }
}

/// Implements [`FromValue`] and [`Placeholder`], and the `TryFrom<Value>` that
/// `#[serde(try_from = "Value")]` calls, for a struct from its field names (`field = default` for
/// a `#[serde(default)]` field). The struct literal makes a forgotten field a compile error.
macro_rules! wire_struct {
    ($ty:ident { $( $field:ident $(= $default:ident)? ),* $(,)? }) => {
        impl $crate::wire::FromValue for $ty {
            fn from_value(value: $crate::wire::Value) -> Result<Self, $crate::wire::WireError> {
                #[allow(unused_mut)]
                let mut fields = $crate::wire::Fields::new(value);
                let value = Self { $( $field: wire_struct!(@get fields, $field $(, $default)?), )* };
                fields.finish(value)
            }
        }
        impl $crate::wire::Placeholder for $ty {
            fn placeholder() -> Self {
                Self { $( $field: $crate::wire::Placeholder::placeholder(), )* }
            }
        }
        wire_struct!(@try_from $ty);
    };
    (@get $fields:ident, $field:ident) => { $fields.get(stringify!($field)) };
    (@get $fields:ident, $field:ident, default) => { $fields.get_or_default(stringify!($field)) };
    (@try_from $ty:ident) => {
        impl TryFrom<$crate::wire::Value> for $ty {
            type Error = $crate::wire::WireError;

            fn try_from(value: $crate::wire::Value) -> Result<Self, Self::Error> {
                <Self as $crate::wire::FromValue>::from_value(value)
            }
        }
    };
}

/// As [`wire_struct!`] for an externally tagged enum: `"tag" => Variant()` for a newtype variant,
/// `"tag" => Variant { fields }` for a struct variant. The tags are checked against the JSON
/// schema by the tests.
macro_rules! wire_enum {
    ($ty:ident { $( $tag:literal => $variant:ident $body:tt ),* $(,)? }) => {
        impl $crate::wire::FromValue for $ty {
            fn from_value(value: $crate::wire::Value) -> Result<Self, $crate::wire::WireError> {
                let (tag, body) = value.into_variant()?;
                match tag.as_str() {
                    $( $tag => wire_enum!(@arm $variant, body, $body), )*
                    _ => Err($crate::wire::WireError::UnknownVariant(tag)),
                }
            }
        }
        wire_struct!(@try_from $ty);
    };
    (@arm $variant:ident, $body:ident, ()) => {
        $crate::wire::FromValue::from_value($body).map(Self::$variant)
    };
    (@arm $variant:ident, $body:ident, { $($field:ident),* }) => {{
        #[allow(unused_mut)]
        let mut fields = $crate::wire::Fields::new($body);
        let value = Self::$variant { $( $field: fields.get(stringify!($field)) ),* };
        fields.finish(value)
    }};
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

        impl $crate::wire::FromValue for $ty {
            fn from_value(value: $crate::wire::Value) -> Result<Self, $crate::wire::WireError> {
                let name = <String as $crate::wire::FromValue>::from_value(value)?;
                match name.as_str() {
                    $first => Ok(Self::$first_variant),
                    $( $name => Ok(Self::$variant), )*
                    _ => Err($crate::wire::WireError::UnknownVariant(name)),
                }
            }
        }

        impl $crate::wire::Placeholder for $ty {
            fn placeholder() -> Self {
                Self::$first_variant
            }
        }

        wire_struct!(@try_from $ty);
    };
}
