//! The Pyth CosmWasm query interface, as plain serde types.
//!
//! `pyth-sdk-cw` cannot be linked into a cosmwasm-std 3 wasm (its cosmwasm-std 1.5 defines the
//! same wasm exports), so the request and response are re-declared here with the same JSON: the
//! feed id is 64 lowercase hex digits without `0x`, `price` and `conf` are decimal strings (i64 and
//! u64), `expo` and `publish_time` are JSON numbers. Plain derives (no `deny_unknown_fields`) keep
//! the reader tolerant of fields a newer Pyth contract may add. `tests/it/pyth_wire.rs` proves the
//! bytes equal pyth-sdk-cw's own serialization.

use cosmwasm_std::{Int64, Uint64};
use serde::{Deserialize, Serialize};

/// The request, `{"price_feed":{"id":"<hex>"}}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PythQueryMsg {
    PriceFeed { id: String },
}

/// A Pyth price: `price ± conf` × 10^`expo` at `publish_time`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PythPrice {
    pub price: Int64,
    pub conf: Uint64,
    pub expo: i32,
    pub publish_time: i64,
}

/// A feed: its id, the price and the EMA price.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PythPriceFeed {
    pub id: String,
    pub price: PythPrice,
    pub ema_price: PythPrice,
}

/// The response, `{"price_feed":{...}}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PriceFeedResponse {
    pub price_feed: PythPriceFeed,
}
