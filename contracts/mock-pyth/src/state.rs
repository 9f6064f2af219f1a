//! Storage of mock-pyth.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Addr;
use cw_storage_plus::{Item, Map};

use crate::msg::PriceFeed;

/// Mock configuration (the authority lives in `supercloud_std::Authority`).
#[cw_serde]
pub struct Config {
    /// The only address allowed to set prices.
    pub publisher: Addr,
}

/// The configuration.
pub const CONFIG: Item<Config> = Item::new("config");
/// Feeds by lowercase hex id.
pub const FEEDS: Map<&str, PriceFeed> = Map::new("feeds");
