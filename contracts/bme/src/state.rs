//! Storage layout and stored types.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal256, Uint128};
use cw_storage_plus::{Item, Map};

/// Governance parameters (Akash x/bme defaults; bounds enforced by `validate_params`).
#[cw_serde]
pub struct Params {
    /// CR above this (bps) is healthy; `(halt, warn]` is warning. ≤ 10000 and > `halt_bps`.
    pub warn_bps: u32,
    /// CR at or below this (bps) halts mints (halt-CR). < `warn_bps`.
    pub halt_bps: u32,
    /// Blocks between burn epochs and the unstretched mint epoch. > 0 (≤ 14400).
    pub min_epoch_blocks: u64,
    /// Mint epochs stretch by this percent per 10 bps below `warn_bps`. ≤ 100.
    pub epoch_backoff_percent: u32,
    /// Spread withheld from minted ACT (bps, ≤ 1000).
    pub mint_spread_bps: u32,
    /// Spread kept in the vault from AKT paid for burned ACT (bps, ≤ 1000).
    pub settle_spread_bps: u32,
    /// Most records of one queue executed per epoch (and per call). 1..=100.
    pub max_records_per_epoch: u32,
    /// Smallest mint, in uact before the spread. > 0.
    pub min_mint: Uint128,
    /// Epochs a request may fail retriably before it is cancelled. 1..=100.
    pub max_attempts: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            warn_bps: 9_500,
            halt_bps: 9_000,
            min_epoch_blocks: 10,
            epoch_backoff_percent: 10,
            mint_spread_bps: 25,
            settle_spread_bps: 0,
            max_records_per_epoch: 50,
            min_mint: Uint128::new(10_000_000),
            max_attempts: 3,
        }
    }
}

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

/// The circuit-breaker mode.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum Mode {
    /// CR above `warn_bps`: everything runs.
    Healthy,
    /// CR in `(halt_bps, warn_bps]`: everything runs, mint epochs stretch.
    Warning,
    /// CR at or below `halt_bps`: only ACT → AKT is accepted and executed.
    HaltCr,
    /// No healthy oracle price: nothing is accepted or executed; requests wait.
    HaltOracle,
}

impl Mode {
    /// The snake_case name used in JSON and events.
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::Healthy => "healthy",
            Mode::Warning => "warning",
            Mode::HaltCr => "halt_cr",
            Mode::HaltOracle => "halt_oracle",
        }
    }
}

/// Vault and supply accounting (see the crate invariants).
#[cw_serde]
#[derive(Default)]
pub struct Vault {
    /// uakt owned by the vault (funding, executed mints, burn spreads), not counting pending.
    pub vault_akt: Uint128,
    /// uakt attached to queued mint requests (refundable, not collateral).
    pub pending_akt: Uint128,
    /// uact held by queued burn requests (still part of the supply).
    pub pending_act: Uint128,
    /// ACT total supply: ledger balances + `pending_act`.
    pub supply: Uint128,
    /// uakt that executed mints left in the vault and that burns have not paid out again.
    pub remint_credits: Uint128,
    /// uact created by executed mints (net of spread).
    pub total_minted_act: Uint128,
    /// uact destroyed by executed burns.
    pub total_burned_act: Uint128,
    /// uakt taken in by executed mints.
    pub total_akt_in: Uint128,
    /// uakt paid out by executed burns.
    pub total_akt_out: Uint128,
    /// uakt added by `fund_vault`.
    pub total_funded: Uint128,
}

/// Circuit-breaker and epoch state, updated by `process`.
#[cw_serde]
pub struct Status {
    pub mode: Mode,
    /// CR in bps at the last evaluation.
    pub cr_bps: u32,
    /// Oracle price of the last evaluation (`None` while the oracle gave none).
    pub price: Option<Decimal256>,
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

/// Direction of a request.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum Kind {
    /// AKT → ACT.
    Mint,
    /// ACT → AKT.
    Burn,
}

impl Kind {
    /// `mint` or `burn`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Mint => "mint",
            Kind::Burn => "burn",
        }
    }
}

/// A queued request. `amount` is uakt for a mint, uact for a burn.
#[cw_serde]
pub struct Request {
    pub id: u64,
    pub kind: Kind,
    pub owner: Addr,
    pub amount: Uint128,
    pub height: u64,
    /// Epochs in which it failed retriably.
    pub attempts: u32,
    /// Reason of the last retriable failure.
    pub last_error: Option<String>,
}

/// How a request ended.
#[cw_serde]
pub enum Outcome {
    /// Executed: see the `record_executed` event for the meaning per kind.
    Executed {
        burned: Uint128,
        minted: Uint128,
        spread: Uint128,
        paid: Uint128,
        price: Decimal256,
    },
    /// Cancelled and `refund` returned to the owner.
    Cancelled { reason: String, refund: Uint128 },
}

/// A finished request (ledger record), kept under the request id.
#[cw_serde]
pub struct LedgerRecord {
    pub id: u64,
    pub kind: Kind,
    pub owner: Addr,
    pub amount: Uint128,
    pub requested_at: u64,
    pub finished_at: u64,
    pub attempts: u32,
    pub outcome: Outcome,
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
pub const BY_OWNER: Map<(&Addr, u64), Kind> = Map::new("by_owner");
/// Finished requests by id.
pub const RECORDS: Map<u64, LedgerRecord> = Map::new("records");

/// The queue of `kind`.
pub fn queue(kind: Kind) -> Map<u64, Request> {
    match kind {
        Kind::Mint => MINT_QUEUE,
        Kind::Burn => BURN_QUEUE,
    }
}
