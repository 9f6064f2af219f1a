//! Compact JSON decoding of the escrow's messages and stored records: the shared
//! [`supercloud_wire`] decoder (derived-compatible forms: objects or field arrays, unit variants as
//! a string or `{"name": null}`); the escrow's types implement it next to their definitions with
//! [`wire_struct!`] and [`wire_enum!`]. The tests decode every form against `#[cw_serde]` twins of
//! the types.

pub use supercloud_wire::{
    parse_decimal, unit, wire_enum, wire_struct, Fields, FromValue, Placeholder, Value, WireError,
};

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
