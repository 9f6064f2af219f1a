//! **mock-pyth**: a stand-in for a Pyth price contract, for tests and the local devnet only.
//!
//! It answers the standard Pyth CosmWasm query `{"price_feed":{"id":"<64 hex>"}}` with the same JSON
//! as a real Pyth contract (`{"price_feed":{"id","price":{..},"ema_price":{..}}}`, `price` and
//! `conf` as strings), but its prices are whatever an authorized `publisher` sets, with no VAA or
//! guardian verification and no sanity checks (so tests can feed the oracle bad data on purpose).
//!
//! **Never propose this contract to governance and never deploy it on a real chain.** The build
//! and proposal scripts must leave it out of governance artifacts.

pub mod contract;
pub mod error;
pub mod execute;
pub mod feed;
pub mod msg;
pub mod query;
pub mod state;

pub use crate::error::ContractError;

/// cw2 contract name.
pub const CONTRACT_NAME: &str = "crates.io:mock-pyth";
/// cw2 contract version (the crate version).
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
