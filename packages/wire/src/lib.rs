//! Compact JSON decoding of contract messages and stored records.
//!
//! Why: serde's derived `Deserialize` emits, for every field of every struct and struct variant,
//! its own parsing, error and cleanup paths, plus a second parser for the array form of each
//! struct: several hundred bytes of wasm per field, the largest part of a contract's code (DESIGN
//! §3: the lowered wasm must stay under 400 KiB). Here serde reads any JSON into one [`Value`] tree
//! (one parser for every type) and each type is built from the tree by plain code, one call per
//! field. `#[serde(try_from = "supercloud_wire::Value")]` on a `#[cw_serde]` type plugs this in;
//! serialization and the JSON schemas stay derived, so nothing changes on the wire.
//!
//! [`wire_struct!`] and [`wire_enum!`] accept what the derived impls accept: the same names;
//! fields in any order; unknown fields ignored (`#[cw_serde]` does not deny them); a known field
//! given twice refused; an `Option` field absent or `null` is `None`; a `#[serde(default)]` field
//! may be absent (but not `null`); a struct may also be written as the array of its field values
//! in declaration order; an enum is `{"variant": body}` with exactly one key, a unit variant also
//! the string `"variant"`. [`object_struct!`] and [`object_enum!`] are the strict forms: objects
//! only, and an enum only as an object of one key. Numbers: `u64`/`u32`/`u16` fields take
//! non-negative JSON integers in range; amounts and decimals their string forms, read exactly as
//! cosmwasm-std reads them (`Uint256` by its own parser, `Uint128` and `Decimal256` by leaner
//! equivalents, tested against it). Error texts follow serde's ("missing field `owner`") with the
//! field path in front instead of line and column.
//!
//! Types of other crates implement [`FromValue`] and [`Placeholder`] where they are defined (the
//! orphan rule): the event catalogue's closed sets in `attr_enum!`, `supercloud_std`'s messages
//! there.

use std::fmt;

use cosmwasm_std::{Addr, Binary, Coin, Decimal256, Uint128, Uint256};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A non-negative integer that fits in `u64`.
    Uint(u64),
    /// Any other number (negative, fractional, or above `u64::MAX`): no field here takes one.
    OtherNumber,
    Str(String),
    Seq(Vec<Value>),
    /// An object's entries in document order.
    Map(Vec<(String, Value)>),
}

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
            Value::Map(_) => "an object",
        }
    }

    /// The error for a value of the wrong kind.
    pub fn type_error(&self, expected: &'static str) -> WireError {
        WireError::Type {
            expected,
            found: self.kind(),
        }
    }

    /// An externally tagged enum value, `{"<tag>": <body>}`, or the bare string `"<tag>"` of a
    /// unit variant (then the body is `Null`, which only a unit variant takes).
    pub fn into_variant(self) -> Result<(String, Value), WireError> {
        match self {
            Value::Str(tag) => Ok((tag, Value::Null)),
            Value::Map(mut entries) if entries.len() == 1 => {
                entries.pop().ok_or(WireError::Missing("variant"))
            }
            other => Err(other.type_error("an enum: a string or an object with one key")),
        }
    }

    /// Strictly an externally tagged enum value `{"<tag>": <body>}` (no bare string).
    pub fn into_object_variant(self) -> Result<(String, Value), WireError> {
        match self {
            Value::Map(mut entries) => match entries.pop() {
                Some(entry) if entries.is_empty() => Ok(entry),
                _ => Err(WireError::Type {
                    expected: "an object with exactly one key (the variant)",
                    found: "another object",
                }),
            },
            other => Err(other.type_error("an object")),
        }
    }

    /// The string, or a type error.
    pub fn into_string(self) -> Result<String, WireError> {
        match self {
            Value::Str(s) => Ok(s),
            other => Err(other.type_error("a string")),
        }
    }

    /// The two items of an array of two (a pair), or a type error.
    pub fn into_pair(self) -> Result<[Value; 2], WireError> {
        if let Value::Seq(items) = self {
            return <[Value; 2]>::try_from(items).map_err(|items| Value::Seq(items).pair_error());
        }
        Err(self.pair_error())
    }

    fn pair_error(&self) -> WireError {
        self.type_error("an array of 2 items")
    }
}

/// The body of a unit variant: `Null` (from `"tag"` or `{"tag": null}`) and nothing else.
pub fn unit(body: Value) -> Result<(), WireError> {
    match body {
        Value::Null => Ok(()),
        other => Err(other.type_error("null (a unit variant)")),
    }
}

/// The tag of a unit variant (`"tag"` or `{"tag": null}`).
pub fn unit_name(value: Value) -> Result<String, WireError> {
    let (name, body) = value.into_variant()?;
    unit(body)?;
    Ok(name)
}

/// An object (or field array) being decoded into a struct or struct variant. The value starts as
/// placeholders and each field is decoded into its slot, keeping the first error for
/// [`Fields::finish`]: no early exit, whose cleanup of the fields built so far was most of the
/// derived code, and one call per field.
pub struct Fields {
    entries: Vec<(String, Value)>,
    /// Written as an array: every field but a defaulted one must be there, `Option`s included.
    from_array: bool,
    error: Option<WireError>,
}

impl Fields {
    /// Starts decoding an object, or an array of the values of `names` in order (a longer array
    /// is refused); anything else is the error `finish` reports.
    pub fn new(value: Value, names: &'static [&'static str]) -> Self {
        let mut fields = Fields {
            entries: Vec::new(),
            from_array: false,
            error: None,
        };
        match value {
            Value::Map(entries) => fields.entries = entries,
            Value::Seq(items) if items.len() <= names.len() => {
                fields.from_array = true;
                for (name, item) in names.iter().zip(items) {
                    fields.entries.push((name.to_string(), item));
                }
            }
            other => fields.error = Some(other.type_error("an object")),
        }
        fields
    }

    /// Starts decoding strictly an object (anything else is the error `finish` reports).
    pub fn object(value: Value) -> Self {
        match value {
            Value::Map(entries) => Fields {
                entries,
                from_array: false,
                error: None,
            },
            other => Fields {
                entries: Vec::new(),
                from_array: false,
                error: Some(other.type_error("an object")),
            },
        }
    }

    /// The value of `key`, removed from the object. `None` when it is absent (an error unless
    /// `absent_ok`), given twice (an error), or an error is already recorded. Out of line: one
    /// copy for every field type (and for every crate that decodes with `Fields`).
    #[inline(never)]
    fn take(&mut self, key: &'static str, absent_ok: bool) -> Option<Value> {
        if self.error.is_some() {
            return None;
        }
        let Some(i) = self.entries.iter().position(|(k, _)| k == key) else {
            if !absent_ok {
                self.error = Some(WireError::Missing(key));
            }
            return None;
        };
        let (_, value) = self.entries.swap_remove(i);
        if self.entries.iter().any(|(k, _)| k == key) {
            self.error = Some(WireError::Duplicate(key));
            return None;
        }
        Some(value)
    }

    /// Decodes field `key` into `slot` if present and no error is recorded yet.
    fn decode_into<T: FromValue>(&mut self, slot: &mut T, key: &'static str, absent_ok: bool) {
        if let Some(value) = self.take(key, absent_ok) {
            match T::from_value(value) {
                Ok(v) => *slot = v,
                Err(e) => self.fail(key, e),
            }
        }
    }

    /// Records the error of field `key` (out of line: one copy for every field type).
    #[inline(never)]
    fn fail(&mut self, key: &'static str, error: WireError) {
        self.error = Some(WireError::Field(key, Box::new(error)));
    }

    /// Decodes field `key` into `slot` (an `Option` may be absent from an object). `slot` keeps
    /// its placeholder when the field is absent or an error is recorded. Writing in place, out
    /// of line, keeps the code per field to one call.
    #[inline(never)]
    pub fn set<T: FromValue>(&mut self, slot: &mut T, key: &'static str) {
        let absent_ok = T::OPTIONAL && !self.from_array;
        self.decode_into(slot, key, absent_ok);
    }

    /// As [`Fields::set`] for a `#[serde(default)]` field, which may be absent in any form
    /// (`slot` holds the default).
    #[inline(never)]
    pub fn set_or_default<T: FromValue>(&mut self, slot: &mut T, key: &'static str) {
        self.decode_into(slot, key, true);
    }

    /// The decoded field; the placeholder when it is absent (`None` for an `Option`) or an error
    /// is recorded (then never returned).
    pub fn get<T: FromValue + Placeholder>(&mut self, key: &'static str) -> T {
        let absent_ok = T::OPTIONAL && !self.from_array;
        if let Some(value) = self.take(key, absent_ok) {
            match T::from_value(value) {
                Ok(v) => return v,
                Err(e) => self.fail(key, e),
            }
        }
        T::placeholder()
    }

    /// As [`Fields::get`], with `T::default()` for an absent key (`#[serde(default)]`).
    /// A `null` is the default too (as the strict contracts had it).
    pub fn get_or_default<T: FromValue + Placeholder + Default>(&mut self, key: &'static str) -> T {
        self.get::<Option<T>>(key).unwrap_or_default()
    }

    /// The built value, or the first error.
    pub fn finish<T>(self, value: T) -> Result<T, WireError> {
        self.check().map(|()| value)
    }

    /// The first error, if any (out of line: one copy for every built type).
    #[inline(never)]
    fn check(self) -> Result<(), WireError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// The value a field starts from before it is decoded (returned only for an absent `Option`).
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
default_placeholder!(bool, u64, u32, u16, String, Uint128, Uint256, Decimal256, Binary, Coin);

impl Placeholder for Addr {
    fn placeholder() -> Self {
        Addr::unchecked("")
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
    /// Whether the field may be absent from an object (only `Option`, then `None`).
    const OPTIONAL: bool = false;

    /// Decodes a present value.
    fn from_value(value: Value) -> Result<Self, WireError>;
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

impl FromValue for Addr {
    /// As serde's `Addr`: the string, unvalidated (messages carry addresses as `String` and the
    /// handlers validate them; stored addresses were validated before they were written).
    fn from_value(value: Value) -> Result<Self, WireError> {
        Ok(Addr::unchecked(value.into_string()?))
    }
}

/// Parses a string with the type's own `TryFrom<&str>`, as its serde impl does.
fn parse_str<T: for<'a> TryFrom<&'a str>>(
    value: Value,
    expected: &'static str,
) -> Result<T, WireError> {
    let s = value.into_string()?;
    let parsed = T::try_from(s.as_str()).ok();
    parsed.ok_or(WireError::Invalid { expected, value: s })
}

impl FromValue for Uint256 {
    fn from_value(value: Value) -> Result<Self, WireError> {
        parse_str(value, "a string-encoded 256-bit unsigned integer")
    }
}

impl FromValue for Uint128 {
    /// `Uint128::from_str` is `u128::from_str` with an error value: the same strings without it.
    fn from_value(value: Value) -> Result<Self, WireError> {
        let s = value.into_string()?;
        let parsed = s.parse::<u128>().ok();
        parsed.map(Uint128::new).ok_or(WireError::Invalid {
            expected: "a string-encoded 128-bit unsigned integer",
            value: s,
        })
    }
}

impl FromValue for Decimal256 {
    fn from_value(value: Value) -> Result<Self, WireError> {
        let s = value.into_string()?;
        parse_decimal(&s).ok_or(WireError::Invalid {
            expected: "a string-encoded Decimal256",
            value: s,
        })
    }
}

/// `Decimal256::one()` in atomics.
const UNIT: Uint256 = Uint256::new(1_000_000_000_000_000_000);

/// `Decimal256::from_str` without its error values (the caller has one): the same strings give
/// the same decimal or are refused (tested), with less code: the error texts, their backtraces
/// and a 256-bit `pow` are left out. `whole[.fraction]`, each part as `Uint256::from_str` reads
/// it, at most 18 fraction digits.
pub fn parse_decimal(s: &str) -> Option<Decimal256> {
    let mut parts = s.split('.');
    let whole: Uint256 = parts.next()?.parse().ok()?;
    let mut atomics = whole.checked_mul(UNIT).ok()?;
    if let Some(fraction) = parts.next() {
        let digits = u32::try_from(fraction.len()).ok()?;
        let scale = 10u128.checked_pow(18u32.checked_sub(digits)?)?;
        let fraction: Uint256 = fraction.parse().ok()?;
        atomics = atomics
            .checked_add(fraction.checked_mul(Uint256::from(scale)).ok()?)
            .ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(Decimal256::new(atomics))
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

impl<T: FromValue> FromValue for Option<T> {
    const OPTIONAL: bool = true;

    fn from_value(value: Value) -> Result<Self, WireError> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(value: Value) -> Result<Self, WireError> {
        let items = match value {
            Value::Seq(items) => items,
            other => return Err(other.type_error("an array")),
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(T::from_value(item)?);
        }
        Ok(out)
    }
}

impl<A: FromValue, B: FromValue> FromValue for (A, B) {
    fn from_value(value: Value) -> Result<Self, WireError> {
        let [a, b] = value.into_pair()?;
        Ok((A::from_value(a)?, B::from_value(b)?))
    }
}

impl<A: FromValue, B: FromValue, C: FromValue> FromValue for (A, B, C) {
    fn from_value(value: Value) -> Result<Self, WireError> {
        let items = match value {
            Value::Seq(items) if items.len() == 3 => items,
            other => return Err(other.type_error("an array of 3 items")),
        };
        let mut items = items.into_iter();
        let mut next = || items.next().unwrap_or(Value::Null);
        Ok((
            A::from_value(next())?,
            B::from_value(next())?,
            C::from_value(next())?,
        ))
    }
}

impl FromValue for Coin {
    /// Objects only (as the contracts decoding coins had it before this crate).
    fn from_value(value: Value) -> Result<Self, WireError> {
        let mut f = Fields::object(value);
        let coin = Coin {
            denom: f.get("denom"),
            amount: f.get("amount"),
        };
        f.finish(coin)
    }
}

/// A closed set of names (an enum of unit variants with `FromStr`): the string `"name"` or the
/// unit variant `{"name": null}`, as the derived impls take them; an unknown name is an invalid
/// value (`expected` lists the names).
pub fn named<T: std::str::FromStr>(value: Value, expected: &'static str) -> Result<T, WireError> {
    let name = unit_name(value)?;
    name.parse().map_err(|_| WireError::Invalid {
        expected,
        value: name,
    })
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

    /// serde_json gives negative integers here (and `-0`, which `u64` fields take as 0).
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
        Ok(Value::Map(entries))
    }
}

/// Implements [`FromValue`], [`Placeholder`] and the `TryFrom<Value>` that
/// `#[serde(try_from = "supercloud_wire::Value")]` calls, for a struct from its field names in
/// declaration order (`field = default` for a `#[serde(default)]` field). The struct literal
/// makes a forgotten field a compile error; the tests check the order against serialization.
#[macro_export]
macro_rules! wire_struct {
    ($ty:ident { $( $field:ident $(= $default:ident)? ),* $(,)? }) => {
        impl $crate::FromValue for $ty {
            fn from_value(value: $crate::Value) -> Result<Self, $crate::WireError> {
                #[allow(unused_mut)]
                let mut f = $crate::Fields::new(value, &[$(stringify!($field)),*]);
                #[allow(unused_mut)]
                let mut v = Self { $( $field: $crate::wire_struct!(@init $($default)?), )* };
                $( $crate::wire_struct!(@set f, &mut v.$field, $field $(, $default)?); )*
                f.finish(v)
            }
        }
        impl $crate::Placeholder for $ty {
            fn placeholder() -> Self {
                Self { $( $field: $crate::Placeholder::placeholder(), )* }
            }
        }
        $crate::wire_struct!(@try_from $ty);
    };
    (@init) => { $crate::Placeholder::placeholder() };
    (@init default) => { Default::default() };
    (@set $f:ident, $slot:expr, $field:ident) => { $f.set($slot, stringify!($field)) };
    (@set $f:ident, $slot:expr, $field:ident, default) => {
        $f.set_or_default($slot, stringify!($field))
    };
    (@try_from $ty:ident) => {
        impl TryFrom<$crate::Value> for $ty {
            type Error = $crate::WireError;

            fn try_from(value: $crate::Value) -> Result<Self, Self::Error> {
                <Self as $crate::FromValue>::from_value(value)
            }
        }
    };
}

/// As [`wire_struct!`] (without a placeholder) for an externally tagged enum of newtype variants,
/// `"tag" => Variant()`, and struct variants, `"tag" => Variant { fields }`. A struct variant
/// starts as placeholders, then one [`Fields`] fills whichever variant the tag named: one
/// decoding sequence for the enum, not one per variant. The tests check every tag against
/// serialization.
#[macro_export]
macro_rules! wire_enum {
    ($ty:ident { $( $tag:literal => $variant:ident $body:tt ),* $(,)? }) => {
        impl $crate::FromValue for $ty {
            fn from_value(value: $crate::Value) -> Result<Self, $crate::WireError> {
                let (tag, body) = value.into_variant()?;
                let (names, mut v): (&'static [&'static str], Self) = match tag.as_str() {
                    $( $tag => $crate::wire_enum!(@start $variant, body, $body), )*
                    _ => return Err($crate::WireError::UnknownVariant(tag)),
                };
                #[allow(unused_mut)]
                let mut f = $crate::Fields::new(body, names);
                $( $crate::wire_enum!(@fill f, v, $variant $body); )*
                f.finish(v)
            }
        }
        $crate::wire_struct!(@try_from $ty);
    };
    (@start $variant:ident, $body:ident, ()) => {
        return $crate::FromValue::from_value($body).map(Self::$variant)
    };
    (@start $variant:ident, $body:ident, { $( $field:ident $(= $default:ident)? ),* }) => {
        (
            &[$(stringify!($field)),*],
            Self::$variant { $( $field: $crate::wire_struct!(@init $($default)?) ),* },
        )
    };
    (@fill $f:ident, $v:ident, $variant:ident ()) => {};
    (@fill $f:ident, $v:ident, $variant:ident { $( $field:ident $(= $default:ident)? ),* }) => {
        #[allow(irrefutable_let_patterns)]
        if let Self::$variant { $( $field ),* } = &mut $v {
            $( $crate::wire_struct!(@set $f, $field, $field $(, $default)?); )*
        }
    };
}

/// As [`wire_struct!`], strictly: objects only (no array form), and a `#[serde(default)]` field
/// may also be `null`.
#[macro_export]
macro_rules! object_struct {
    ($ty:ident { $( $field:ident $(= $default:ident)? ),* $(,)? }) => {
        impl $crate::FromValue for $ty {
            fn from_value(value: $crate::Value) -> Result<Self, $crate::WireError> {
                #[allow(unused_mut)]
                let mut fields = $crate::Fields::object(value);
                let value = Self { $( $field: $crate::object_struct!(@get fields, $field $(, $default)?), )* };
                fields.finish(value)
            }
        }
        impl $crate::Placeholder for $ty {
            fn placeholder() -> Self {
                Self { $( $field: $crate::Placeholder::placeholder(), )* }
            }
        }
        $crate::wire_struct!(@try_from $ty);
    };
    (@get $fields:ident, $field:ident) => { $fields.get(stringify!($field)) };
    (@get $fields:ident, $field:ident, default) => { $fields.get_or_default(stringify!($field)) };
}

/// As [`wire_enum!`], strictly: only `{"tag": body}`, struct variant bodies objects only.
#[macro_export]
macro_rules! object_enum {
    ($ty:ident { $( $tag:literal => $variant:ident $body:tt ),* $(,)? }) => {
        impl $crate::FromValue for $ty {
            fn from_value(value: $crate::Value) -> Result<Self, $crate::WireError> {
                let (tag, body) = value.into_object_variant()?;
                match tag.as_str() {
                    $( $tag => $crate::object_enum!(@arm $variant, body, $body), )*
                    _ => Err($crate::WireError::UnknownVariant(tag)),
                }
            }
        }
        $crate::wire_struct!(@try_from $ty);
    };
    (@arm $variant:ident, $body:ident, ()) => {
        $crate::FromValue::from_value($body).map(Self::$variant)
    };
    (@arm $variant:ident, $body:ident, { $($field:ident),* }) => {{
        #[allow(unused_mut)]
        let mut fields = $crate::Fields::object($body);
        let value = Self::$variant { $( $field: fields.get(stringify!($field)) ),* };
        fields.finish(value)
    }};
}

#[cfg(test)]
mod tests;
