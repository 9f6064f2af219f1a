//! Storage layout and the types only storage holds (message-facing types are `msg`'s).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal, Uint128};
use cw_storage_plus::{Item, Map};

use crate::msg::{LedgerRecord, Mode, Params, Request, RequestKind, Vault};

/// Configuration: where the price comes from, the parameters and the ACT receivers.
#[cw_serde]
pub struct Config {
    /// The oracle contract answering `{"price":{"pair":..}}`.
    pub oracle: Addr,
    /// The pair quoted in USD per AKT, e.g. `akt/usd`.
    pub pair: String,
    pub params: Params,
    /// Contracts that accept ACT through `send` and may pay it out with `transfer`.
    pub allow_list: Vec<Addr>,
}

/// Circuit-breaker and epoch state, updated by `process`.
#[cw_serde]
pub struct Status {
    pub mode: Mode,
    /// CR in bps at the last evaluation.
    pub cr_bps: u32,
    /// Oracle price of the last evaluation (`None` while the oracle gave none).
    pub price: Option<Decimal>,
    /// Height from which the next burn epoch is due.
    pub next_burn_epoch: u64,
    /// Height from which the next mint epoch is due.
    pub next_mint_epoch: u64,
    /// Progress of a burn epoch that a capped call left open: last id handled and count.
    pub burn_cursor: Option<u64>,
    pub burn_done: u32,
    /// Progress of a mint epoch that a capped call left open.
    pub mint_cursor: Option<u64>,
    pub mint_done: u32,
    /// Height of the last evaluation.
    pub height: u64,
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const VAULT: Item<Vault> = Item::new("vault");
pub const STATUS: Item<Status> = Item::new("status");
/// Next request id (persistent; FIX node #2060).
pub const NEXT_ID: Item<u64> = Item::new("next_id");
/// ACT ledger balances.
pub const BALANCES: Map<&Addr, Uint128> = Map::new("balances");
/// Queued mint requests by id (FIFO = id order).
pub const MINT_QUEUE: Map<u64, Request> = Map::new("mint_queue");
/// Queued burn requests by id.
pub const BURN_QUEUE: Map<u64, Request> = Map::new("burn_queue");
/// Index of queued requests by owner.
pub const BY_OWNER: Map<(&Addr, u64), RequestKind> = Map::new("by_owner");
/// Finished requests by id.
pub const RECORDS: Map<u64, LedgerRecord> = Map::new("records");

/// The queue of `kind`.
pub fn queue(kind: RequestKind) -> Map<u64, Request> {
    match kind {
        RequestKind::Mint => MINT_QUEUE,
        RequestKind::Burn => BURN_QUEUE,
    }
}
