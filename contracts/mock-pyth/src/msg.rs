//! Messages of mock-pyth. The `price_feed` query and its response reproduce the Pyth CosmWasm
//! wire format exactly (pyth-sdk-cw 1.x `QueryMsg::PriceFeed` / `PriceFeedResponse`): feed ids are
//! 64 lowercase hex digits without `0x`, `price` and `conf` are decimal strings, `expo` and
//! `publish_time` are JSON numbers.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Int64, Uint64};
use supercloud_std::AuthorityMsg;

/// Creates the mock with its authority and the publisher allowed to set prices.
#[cw_serde]
pub struct InstantiateMsg {
    /// Who may change the publisher, pause and migrate.
    pub authority: String,
    /// Who may set prices.
    pub publisher: String,
}

/// State-changing messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Publisher only: sets feed `id` (64 hex digits, `0x` optional, any case; stored lowercase).
    /// Values are stored as given, without validation. `ema_price`/`ema_conf` default to
    /// `price`/`conf`.
    SetPrice {
        id: String,
        price: Int64,
        conf: Uint64,
        expo: i32,
        publish_time: i64,
        ema_price: Option<Int64>,
        ema_conf: Option<Uint64>,
    },
    /// Authority only: replaces the publisher.
    UpdateConfig { publisher: String },
    /// Authority only: while paused, `set_price` is refused (queries keep answering).
    SetPaused { paused: bool },
    /// Two-step authority handover.
    Authority(AuthorityMsg),
}

/// Queries. `price_feed` is the Pyth interface; the others are mock bookkeeping.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The Pyth query: the current price and EMA price of feed `id`.
    #[returns(PriceFeedResponse)]
    PriceFeed { id: String },
    /// Authority, publisher and pause flag.
    #[returns(ConfigResponse)]
    Config {},
    /// Feeds in id order, paginated (default 10, max 30).
    #[returns(FeedsResponse)]
    Feeds {
        start_after: Option<String>,
        limit: Option<u32>,
    },
}

/// Migration takes no parameters.
#[cw_serde]
pub struct MigrateMsg {}

/// A Pyth price: `price ± conf` × 10^`expo`, published at `publish_time` (unix seconds).
#[cw_serde]
pub struct Price {
    pub price: Int64,
    pub conf: Uint64,
    pub expo: i32,
    pub publish_time: i64,
}

/// A Pyth price feed: id (64 lowercase hex digits), price and EMA price.
#[cw_serde]
pub struct PriceFeed {
    pub id: String,
    pub price: Price,
    pub ema_price: Price,
}

/// Response of the Pyth `price_feed` query.
#[cw_serde]
pub struct PriceFeedResponse {
    pub price_feed: PriceFeed,
}

/// Response of `config`.
#[cw_serde]
pub struct ConfigResponse {
    pub authority: Addr,
    pub pending_authority: Option<Addr>,
    pub publisher: Addr,
    pub paused: bool,
}

/// Response of `feeds`.
#[cw_serde]
pub struct FeedsResponse {
    pub feeds: Vec<PriceFeed>,
}
