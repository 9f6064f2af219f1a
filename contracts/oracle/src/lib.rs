//! **oracle**: a Pyth-fed price oracle for the Supercloud contracts (DESIGN §4.2).
//!
//! Each pair (e.g. `akt/usd`) has up to [`state::MAX_SOURCES_PER_PAIR`] sources of two kinds:
//! `pyth {contract, feed_id}`, pulled by the permissionless `refresh` with the standard Pyth
//! CosmWasm query, and `pusher {address}`, an authorized relayer that calls `push`. Every
//! observation is validated (positive price, exponent in [−18, 0], confidence ratio, future drift,
//! staleness) and stored in a fixed-size ring buffer per source; an equal or older `publish_time`
//! than the source's last observation is skipped, not an error.
//!
//! The `price` query is what consumers (bme, pip) call: a time-weighted average per healthy source
//! over `twap_window_s`, the median across healthy sources after leaving out those further than
//! `max_deviation_bps` from the median of the others, and an error — never a number — when the
//! pair is stale, short of sources, without an agreeing strict majority or low-confidence. The
//! `health` query always answers with the current health, reason and what was left out. Every
//! execute that changes a pair's health or price in force emits `oracle.price_aggregated`. See
//! [`aggregate`] for the exact math.
//!
//! Other contracts depend on this crate with feature `library` and use
//! `oracle::msg::{QueryMsg, PriceResponse}`.

pub mod aggregate;
pub mod contract;
pub mod error;
pub mod execute;
pub mod msg;
pub mod pair;
pub mod pyth;
pub mod query;
pub mod state;
pub mod validate;

pub use crate::error::ContractError;

/// cw2 contract name.
pub const CONTRACT_NAME: &str = "crates.io:oracle";
/// cw2 contract version (the crate version).
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
