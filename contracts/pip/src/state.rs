//! Stored state. Pilots by id; enrollments and approved providers per pilot; per-epoch results
//! per provider; payouts indexed by provider; the in-progress settlement cursor per pilot.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal256, Uint128, Uint256};
use cw_storage_plus::{Item, Map};

/// Contract configuration (authority-owned).
#[cw_serde]
pub struct Config {
    /// Escrow contract whose `verified_work` query is a source of truth for work (always read).
    pub escrow: Addr,
    /// Oracle contract giving the price of the budget token in USD (committed kind).
    pub oracle: Addr,
    /// Oracle pair, e.g. `akt/usd` (USD per whole budget token).
    pub oracle_pair: String,
    /// Reservations contract (reserved GPU-hours of attested hosts), read with the same
    /// `verified_work` query and added to escrow's work; while it is `None`, only escrow work
    /// counts.
    pub reservations: Option<Addr>,
    /// Whether pilots may return to the community pool (`MsgFundCommunityPool` as a
    /// `CosmosMsg::Any`). False by default: Akash's message filter forbids it.
    pub community_pool_allowed: bool,
    /// Return address used when a pilot names none, and as the fallback when a pilot asked for the
    /// community pool but the chain no longer allows it.
    pub default_return_address: Addr,
    /// Blocks after a pilot's end during which only fully settled pilots may be finalized; after
    /// that, finalize works even with unsettled epochs (a stuck oracle cannot hold funds).
    pub settle_grace_blocks: u64,
}

/// Where unspent budget goes.
#[cw_serde]
pub enum ReturnTarget {
    /// A plain bank send (the Akash-safe form).
    Address { address: Addr },
    /// `MsgFundCommunityPool` from the contract (only where `community_pool_allowed`).
    CommunityPool {},
}

/// Which work counts.
#[cw_serde]
pub struct Eligibility {
    /// GPU models whose verified work counts (1 to 16, distinct, non-empty).
    pub gpu_models: Vec<String>,
    /// When set: a provider qualifies for an epoch only if it leased on average at least this
    /// many eligible GPUs over the epoch, i.e. Σ gpu_blocks ≥ min_gpu_count × epoch blocks.
    pub min_gpu_count: Option<u32>,
}

/// USD per GPU-hour for one GPU model.
#[cw_serde]
pub struct ModelRate {
    pub gpu_model: String,
    pub usd_per_gpu_hour: Decimal256,
}

/// How a pilot pays.
#[cw_serde]
pub enum PilotKind {
    /// Pays each provider `Σ_model GPU-hours × usd_per_gpu_hour` converted to the budget token at
    /// the oracle price taken once per epoch: `floor(usd × 10^decimals / price)`. Every eligible
    /// model has exactly one rate. Unspent budget rolls over to later epochs.
    Committed {
        rates: Vec<ModelRate>,
        /// Decimals of the budget denom (6 for uakt).
        decimals: u32,
    },
    /// Splits `tokens_per_epoch` pro rata over eligible GPU-seconds:
    /// `floor(tokens_per_epoch × basis / Σ basis)`. The epoch's unspent allocation (no work,
    /// rounding dust) is returned when the epoch completes.
    Liquidity { tokens_per_epoch: Uint256 },
}

impl PilotKind {
    /// `committed` or `liquidity`.
    pub fn name(&self) -> &'static str {
        match self {
            PilotKind::Committed { .. } => "committed",
            PilotKind::Liquidity { .. } => "liquidity",
        }
    }
}

/// Pilot lifecycle.
#[cw_serde]
pub enum PilotStatus {
    Active,
    Finalized,
    Cancelled,
}

/// A pilot and its running totals.
#[cw_serde]
pub struct Pilot {
    pub id: u64,
    pub name: String,
    pub denom: String,
    /// First height before the first epoch; work in `(start, end]` counts.
    pub start: u64,
    pub end: u64,
    pub epoch_length: u64,
    /// Number of epochs: ceil((end − start) / epoch_length).
    pub epochs: u32,
    pub eligible: Eligibility,
    pub kind: PilotKind,
    pub volatility_buffer_bps: u32,
    /// ceil(budget × bps / 10000): the part not planned for regular payouts. Liquidity pilots
    /// must fit all epoch allocations into `budget − buffer`; committed pilots may draw on the
    /// buffer when the token price falls. Whatever is unused returns with the rest.
    pub buffer: Uint256,
    pub return_target: ReturnTarget,
    pub admin: Option<Addr>,
    /// Everything attached at creation.
    pub budget: Uint256,
    /// Σ payouts.
    pub paid: Uint256,
    /// Σ returns.
    pub returned: Uint256,
    /// The next epoch to settle (epochs settle in order).
    pub next_epoch: u32,
    pub status: PilotStatus,
    pub created_at: u64,
}

impl Pilot {
    /// What the contract still holds for this pilot.
    pub fn remaining(&self) -> Result<Uint256, cosmwasm_std::OverflowError> {
        self.budget
            .checked_sub(self.paid)?
            .checked_sub(self.returned)
    }
}

/// A provider's enrollment state.
#[cw_serde]
pub enum EnrollmentStatus {
    Pending,
    Approved,
}

/// One enrollment (request or approved).
#[cw_serde]
pub struct Enrollment {
    pub status: EnrollmentStatus,
    pub requested_at: u64,
    /// Height of approval; only work after it counts.
    pub approved_at: Option<u64>,
}

/// Settlement phase of an epoch.
#[cw_serde]
pub enum Phase {
    /// Liquidity: measuring every approved provider to get Σ basis.
    Measure,
    /// Paying (committed: measure and pay in one pass; liquidity: pay the measured results).
    Pay,
}

/// An epoch whose settlement started and has not completed.
#[cw_serde]
pub struct Progress {
    pub epoch: u32,
    pub phase: Phase,
    /// Last provider handled in the current phase.
    pub cursor: Option<Addr>,
    /// Oracle price taken at the first batch (committed kind).
    pub price: Option<Decimal256>,
    /// Liquidity: this epoch's allocation (tokens_per_epoch capped by remaining).
    pub allocation: Option<Uint256>,
    /// Liquidity: Σ basis of measured providers.
    pub total_basis: Uint128,
    /// Paid so far in this epoch.
    pub paid: Uint256,
    /// Providers handled so far (measured or paid).
    pub providers: u32,
}

/// One provider's result in one epoch.
#[cw_serde]
pub struct EpochResult {
    /// Start of the counted range (the later of epoch start and approval height).
    pub from_height: u64,
    pub to_height: u64,
    /// Eligible GPU-seconds from escrow and reservations (the liquidity basis).
    pub gpu_seconds: Uint128,
    /// Eligible GPU-blocks (escrow only: reservations are timed in seconds).
    pub gpu_blocks: Uint128,
    /// Value the provider was paid by leases and reservations in the pilot denom in the range
    /// (informational).
    pub value: Uint256,
    /// Committed kind: USD earned at the pilot's rates.
    pub usd: Option<Decimal256>,
    /// Whether the min GPU count was met (work is zeroed when not).
    pub qualified: bool,
    /// Paid to the provider.
    pub amount: Uint256,
    /// Whether the payout was cut by the remaining budget.
    pub capped: bool,
    /// Whether the result is final (liquidity measure pass leaves it false until paid).
    pub paid: bool,
}

/// Summary of a completed epoch.
#[cw_serde]
pub struct EpochSummary {
    pub from_height: u64,
    pub to_height: u64,
    pub price: Option<Decimal256>,
    pub allocation: Option<Uint256>,
    pub total_basis: Uint128,
    pub providers: u32,
    pub paid: Uint256,
    /// Returned at completion (liquidity unspent allocation).
    pub returned: Uint256,
    pub settled_at: u64,
}

/// One payout, by provider.
#[cw_serde]
pub struct Payout {
    pub amount: Uint256,
    pub denom: String,
    pub gpu_seconds: Uint128,
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const NEXT_PILOT_ID: Item<u64> = Item::new("next_pilot");
pub const PILOTS: Map<u64, Pilot> = Map::new("pilots");
/// (pilot, provider) -> enrollment (pending and approved).
pub const ENROLLMENTS: Map<(u64, &Addr), Enrollment> = Map::new("enrollments");
/// (pilot, provider) -> approval height; what settlement iterates.
pub const APPROVED: Map<(u64, &Addr), u64> = Map::new("approved");
/// pilot -> settlement in progress.
pub const PROGRESS: Map<u64, Progress> = Map::new("progress");
/// (pilot, epoch, provider) -> result.
pub const RESULTS: Map<(u64, u32, &Addr), EpochResult> = Map::new("results");
/// (pilot, epoch) -> summary of a completed epoch.
pub const EPOCHS: Map<(u64, u32), EpochSummary> = Map::new("epochs");
/// (provider, pilot, epoch) -> non-zero payout.
pub const PAYOUTS: Map<(&Addr, u64, u32), Payout> = Map::new("payouts");
