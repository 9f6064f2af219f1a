//! Attribute encoding: every field is a flat string; optional fields are omitted when `None`.

use std::collections::BTreeMap;

use cosmwasm_std::{Addr, Decimal, Decimal256, Uint128, Uint256};
use thiserror::Error;

/// Why an event could not be parsed.
#[derive(Error, Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The contract has no such action in this catalogue version.
    #[error("unknown action {action:?} for contract {contract}")]
    UnknownAction { contract: String, action: String },
    /// A required attribute is absent.
    #[error("missing attribute {key:?}")]
    Missing { key: String },
    /// An attribute value does not parse as its type.
    #[error("attribute {key:?} has invalid value {value:?}: {reason}")]
    Invalid {
        key: String,
        value: String,
        reason: String,
    },
    /// The same attribute key appears twice.
    #[error("attribute {key:?} appears more than once")]
    Duplicate { key: String },
}

/// An event's attributes by key. Keys starting with `_` (wasmd's `_contract_address`) are kept
/// apart from the catalogue fields.
#[derive(Clone, Debug, Default)]
pub struct Attrs<'a> {
    fields: BTreeMap<&'a str, &'a str>,
    contract_address: Option<&'a str>,
}

impl<'a> Attrs<'a> {
    /// Indexes attributes, refusing duplicate keys (they would make the event ambiguous).
    pub fn new(
        attributes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, ParseError> {
        let mut attrs = Attrs::default();
        for (key, value) in attributes {
            if key == "_contract_address" {
                attrs.contract_address = Some(value);
                continue;
            }
            if attrs.fields.insert(key, value).is_some() {
                return Err(ParseError::Duplicate {
                    key: key.to_string(),
                });
            }
        }
        Ok(attrs)
    }

    /// The emitting contract, when wasmd added `_contract_address`.
    pub fn contract_address(&self) -> Option<&'a str> {
        self.contract_address
    }

    /// The raw value of `key`.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.fields.get(key).copied()
    }

    /// Decodes field `key` as `T`.
    pub fn take<T: AttrValue>(&self, key: &str) -> Result<T, ParseError> {
        T::decode(key, self.get(key))
    }
}

/// A type that can be written to and read from one event attribute.
pub trait AttrValue: Sized {
    /// The attribute value; `None` leaves the attribute out.
    fn encode(&self) -> Option<String>;
    /// Reads the value of attribute `key` (`None` when absent).
    fn decode(key: &str, raw: Option<&str>) -> Result<Self, ParseError>;
}

fn required<'r>(key: &str, raw: Option<&'r str>) -> Result<&'r str, ParseError> {
    raw.ok_or_else(|| ParseError::Missing {
        key: key.to_string(),
    })
}

macro_rules! from_str_attr {
    ($($ty:ty),*) => {$(
        impl AttrValue for $ty {
            fn encode(&self) -> Option<String> {
                Some(self.to_string())
            }
            fn decode(key: &str, raw: Option<&str>) -> Result<Self, ParseError> {
                let value = required(key, raw)?;
                value.parse::<$ty>().map_err(|e| ParseError::Invalid {
                    key: key.to_string(),
                    value: value.to_string(),
                    reason: e.to_string(),
                })
            }
        }
    )*};
}

from_str_attr!(String, u8, u32, u64, i32, i64, bool, Uint128, Uint256, Decimal, Decimal256);

impl AttrValue for Addr {
    fn encode(&self) -> Option<String> {
        Some(self.to_string())
    }
    fn decode(key: &str, raw: Option<&str>) -> Result<Self, ParseError> {
        // Events come from the chain, which validated the address when it was stored.
        Ok(Addr::unchecked(required(key, raw)?))
    }
}

impl<T: AttrValue> AttrValue for Option<T> {
    fn encode(&self) -> Option<String> {
        self.as_ref().and_then(T::encode)
    }
    fn decode(key: &str, raw: Option<&str>) -> Result<Self, ParseError> {
        raw.map(|r| T::decode(key, Some(r))).transpose()
    }
}
