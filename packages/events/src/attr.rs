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

/// Attribute wasmd adds to every contract event: the emitting contract.
pub const CONTRACT_ADDRESS_KEY: &str = "_contract_address";
/// Attribute the SDK (0.50+) adds to every event of a message: its index in the tx.
pub const MSG_INDEX_KEY: &str = "msg_index";

/// An event's attributes by key. The chain's own keys (`_contract_address`, `msg_index`) are kept
/// apart from the catalogue fields.
#[derive(Clone, Debug, Default)]
pub struct Attrs<'a> {
    fields: BTreeMap<&'a str, &'a str>,
    contract_address: Option<&'a str>,
    msg_index: Option<&'a str>,
}

impl<'a> Attrs<'a> {
    /// Indexes attributes, refusing duplicate keys (they would make the event ambiguous).
    pub fn new(
        attributes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, ParseError> {
        let mut attrs = Attrs::default();
        for (key, value) in attributes {
            let chain_slot = match key {
                CONTRACT_ADDRESS_KEY => Some(&mut attrs.contract_address),
                MSG_INDEX_KEY => Some(&mut attrs.msg_index),
                _ => None,
            };
            if let Some(slot) = chain_slot {
                if slot.replace(value).is_some() {
                    return Err(ParseError::Duplicate {
                        key: key.to_string(),
                    });
                }
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

    /// The message index the SDK tagged the event with (absent on block-level events).
    pub fn msg_index(&self) -> Result<Option<u32>, ParseError> {
        Option::<u32>::decode(MSG_INDEX_KEY, self.msg_index)
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

/// What an attribute holds, so a reader (the indexer's tables and GraphQL types) can type it
/// without knowing the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// A bech32 address.
    Address,
    /// Free text (JSON for nested values).
    Text,
    /// Unsigned integer that fits `u8`.
    U8,
    /// Unsigned integer that fits `u32`.
    U32,
    /// Unsigned integer that fits `u64` (heights, ids, unix seconds).
    U64,
    /// Signed integer that fits `i32`.
    I32,
    /// Signed integer that fits `i64`.
    I64,
    /// `true` or `false`.
    Bool,
    /// Amount in base units up to 2^128 − 1.
    Uint128,
    /// Amount in base units up to 2^256 − 1.
    Uint256,
    /// Fixed-point decimal with 18 fractional digits (`Decimal`).
    Decimal,
    /// Fixed-point decimal with 18 fractional digits (`Decimal256`).
    Decimal256,
    /// One name out of a closed set.
    Enum(&'static [&'static str]),
}

/// A type that can be written to and read from one event attribute.
pub trait AttrValue: Sized {
    /// What the attribute holds.
    const KIND: FieldKind;
    /// Whether the attribute may be absent (`Option` fields).
    const OPTIONAL: bool = false;

    /// The attribute value; `None` leaves the attribute out.
    fn encode(&self) -> Option<String>;
    /// Reads the value of attribute `key` (`None` when absent).
    fn decode(key: &str, raw: Option<&str>) -> Result<Self, ParseError>;
}

pub(crate) fn required<'r>(key: &str, raw: Option<&'r str>) -> Result<&'r str, ParseError> {
    raw.ok_or_else(|| ParseError::Missing {
        key: key.to_string(),
    })
}

macro_rules! from_str_attr {
    ($($ty:ty => $kind:ident),*) => {$(
        impl AttrValue for $ty {
            const KIND: FieldKind = FieldKind::$kind;
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

from_str_attr!(
    String => Text, u8 => U8, u32 => U32, u64 => U64, i32 => I32, i64 => I64, bool => Bool,
    Uint128 => Uint128, Uint256 => Uint256, Decimal => Decimal, Decimal256 => Decimal256
);

impl AttrValue for Addr {
    const KIND: FieldKind = FieldKind::Address;
    fn encode(&self) -> Option<String> {
        Some(self.to_string())
    }
    fn decode(key: &str, raw: Option<&str>) -> Result<Self, ParseError> {
        // Events come from the chain, which validated the address when it was stored.
        Ok(Addr::unchecked(required(key, raw)?))
    }
}

impl<T: AttrValue> AttrValue for Option<T> {
    const KIND: FieldKind = T::KIND;
    const OPTIONAL: bool = true;
    fn encode(&self) -> Option<String> {
        self.as_ref().and_then(T::encode)
    }
    fn decode(key: &str, raw: Option<&str>) -> Result<Self, ParseError> {
        raw.map(|r| T::decode(key, Some(r))).transpose()
    }
}
