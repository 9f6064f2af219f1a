//! Public messages of the pip contract and every type they carry. `state` stores these types;
//! nothing here depends on `state`.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Decimal256, OverflowError, Uint128, Uint256};
use supercloud_std::AuthorityMsg;

pub use supercloud_events::pip::{
    Basis, EnrollmentEndReason, PilotKindName, PilotStatus, ReturnReason,
};

/// `max_payout_multiple` of pilots created before it existed (0.1.0): a payout never exceeds what
/// the provider was paid by others for the same work.
pub const DEFAULT_MAX_PAYOUT_MULTIPLE: Decimal256 = Decimal256::one();
/// Decimals of a liquidity pilot's denom when it does not give them (uakt).
pub const DEFAULT_DECIMALS: u32 = 6;

fn default_max_payout_multiple() -> Decimal256 {
    DEFAULT_MAX_PAYOUT_MULTIPLE
}

map_struct! {
    /// Instantiates with the authority (gov) and the contracts pilots read from.
    pub struct InstantiateMsg {
        pub authority: String,
        /// Escrow contract answering `verified_work`.
        pub escrow: String,
        /// Oracle contract answering `price`.
        pub oracle: String,
        /// Oracle pair (default `akt/usd`).
        pub oracle_pair: Option<String>,
        /// Reservations contract, when deployed.
        pub reservations: Option<String>,
        /// Allow returns to the community pool (default false: Akash forbids DistributionMsg).
        pub community_pool_allowed: Option<bool>,
        /// Where unspent budget goes when a pilot names no target.
        pub default_return_address: String,
        /// Blocks after a pilot's end before finalize works with unsettled epochs (default 100800,
        /// about a week).
        pub settle_grace_blocks: Option<u64>,
    }
}

map_enum! {
/// Where a pilot returns unspent budget. In a message the address is checked at creation; the
/// stored pilot holds the checked address.
pub enum ReturnTarget {
    /// A plain bank send (the Akash-safe form).
    Address { address: String },
    /// `MsgFundCommunityPool` from the contract (only where `community_pool_allowed`).
    CommunityPool {},
}
}

map_struct! {
    /// A new pilot; the budget is the single coin attached.
    pub struct NewPilot {
        /// 1 to 64 characters.
        pub name: String,
        /// Height from which work counts (exclusive); at or after the current height.
        pub start: u64,
        /// Last height whose work counts; after `start`.
        pub end: u64,
        /// Blocks per epoch (> 0); the last epoch may be shorter.
        pub epoch_length: u64,
        pub eligible: Eligibility,
        pub kind: PilotKind,
        /// Share of the budget held back as volatility buffer, 0 to 5000 bps.
        pub volatility_buffer_bps: u32,
        /// Defaults to the configured return address.
        pub return_target: Option<ReturnTarget>,
        /// May approve and remove enrollments of this pilot.
        pub admin: Option<String>,
        /// A provider's payout for an epoch is at most this multiple of the value it was paid by
        /// others for its work in the epoch (> 0, at most 100). See `measure::cap_payout` for
        /// what it bounds.
        pub max_payout_multiple: Decimal256,
    }
}

map_struct! {
    /// Authority-only partial configuration update; absent fields stay.
    #[derive(Default)]
    pub struct ConfigUpdate {
        pub escrow: Option<String>,
        pub oracle: Option<String>,
        pub oracle_pair: Option<String>,
        pub reservations: Option<String>,
        pub community_pool_allowed: Option<bool>,
        pub default_return_address: Option<String>,
        pub settle_grace_blocks: Option<u64>,
    }
}

map_struct! {
    /// Names a pilot.
    pub struct PilotRef {
        pub pilot_id: u64,
    }
}

map_struct! {
    /// Names a provider's enrollment in a pilot (address unchecked).
    pub struct EnrollmentRef {
        pub pilot_id: u64,
        pub provider: String,
    }
}

map_enum! {
/// State-changing messages.
pub enum ExecuteMsg {
    /// Authority: creates a pilot; attach exactly one coin, the budget.
    CreatePilot(NewPilot),
    /// Provider (sender): asks to join a pilot.
    Enroll(PilotRef),
    /// Authority or pilot admin: approves a pending request.
    Approve(EnrollmentRef),
    /// Authority or pilot admin: enrolls a provider directly (approves any pending request).
    EnrollProvider(EnrollmentRef),
    /// Provider (sender): leaves a pilot or withdraws its request.
    WithdrawEnrollment(PilotRef),
    /// Authority or pilot admin: removes a provider or rejects a request.
    RemoveProvider(EnrollmentRef),
    /// Anyone, after the epoch's end height: settles up to `limit` providers (default 10, max
    /// 30) of the pilot's next epoch, and reads the work of at most as many as 64 work queries
    /// allow (GPU models × sources per provider: 4 providers with 8 models and both sources);
    /// repeat until the epoch completes (`complete` attribute, `epoch_completed` event).
    SettleEpoch {
        pilot_id: u64,
        epoch: u32,
        limit: Option<u32>,
    },
    /// Anyone, after the end (and once every epoch is settled or the grace ran out): returns
    /// everything left and closes the pilot.
    Finalize(PilotRef),
    /// Authority: returns everything left and closes the pilot now.
    Cancel(PilotRef),
    /// Two-step authority handover.
    Authority(AuthorityMsg),
    /// Authority: pauses pilot creation and enrollment requests (settlement and returns stay open).
    SetPaused { paused: bool },
    /// Authority: configuration update.
    UpdateConfig(ConfigUpdate),
}
}

map_enum! {
/// Queries.
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(ConfigResponse)]
    Config {},
    /// Pilots by id (default 10, max 30).
    #[returns(PilotsResponse)]
    Pilots {
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    #[returns(PilotResponse)]
    Pilot(PilotRef),
    /// Enrollments of a pilot by provider address.
    #[returns(EnrollmentsResponse)]
    Enrollments {
        pilot_id: u64,
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// An epoch's summary (when completed) and its per-provider results by address.
    #[returns(EpochResultsResponse)]
    EpochResults {
        pilot_id: u64,
        epoch: u32,
        start_after: Option<String>,
        limit: Option<u32>,
    },
    #[returns(RemainingBudgetResponse)]
    RemainingBudget(PilotRef),
    /// Non-zero payouts of a provider by (pilot, epoch).
    #[returns(PayoutsResponse)]
    PayoutsByProvider {
        provider: String,
        start_after: Option<(u64, u32)>,
        limit: Option<u32>,
    },
}
}

/// Migration message (no parameters).
#[cw_serde]
pub struct MigrateMsg {}

map_struct! {
    /// Contract configuration (authority-owned).
    pub struct Config {
        /// Escrow contract whose `verified_work` query is a source of truth for work (always
        /// read).
        pub escrow: Addr,
        /// Oracle contract giving the price of the budget token in USD.
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
        /// Return address used when a pilot names none, and as the fallback when a pilot asked
        /// for the community pool but the chain no longer allows it.
        pub default_return_address: Addr,
        /// Blocks after a pilot's end during which only fully settled pilots may be finalized;
        /// after that, finalize works even with unsettled epochs (a stuck oracle cannot hold
        /// funds).
        pub settle_grace_blocks: u64,
    }
}

map_struct! {
    /// Which work counts.
    pub struct Eligibility {
        /// GPU models whose verified work counts (1 to 8, distinct, non-empty).
        pub gpu_models: Vec<String>,
        /// When set: a provider qualifies for an epoch only if it leased on average at least this
        /// many eligible GPUs over the epoch, i.e. Σ gpu_blocks ≥ min_gpu_count × epoch blocks.
        pub min_gpu_count: Option<u32>,
    }
}

map_struct! {
    /// USD per GPU-hour for one GPU model.
    pub struct ModelRate {
        pub gpu_model: String,
        pub usd_per_gpu_hour: Decimal256,
    }
}

map_enum! {
/// How a pilot pays, before the value cap (`max_payout_multiple`) and the budget.
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
    /// value caps, rounding dust) is returned when the epoch completes.
    Liquidity {
        tokens_per_epoch: Uint256,
        /// Decimals of the budget denom, for the USD value of payouts in events (default 6, as
        /// for uakt).
        decimals: Option<u32>,
    },
}
}

impl PilotKind {
    /// `committed` or `liquidity`.
    pub fn name(&self) -> PilotKindName {
        match self {
            PilotKind::Committed { .. } => PilotKindName::Committed,
            PilotKind::Liquidity { .. } => PilotKindName::Liquidity,
        }
    }

    /// Decimals of the budget denom.
    pub fn decimals(&self) -> u32 {
        match self {
            PilotKind::Committed { decimals, .. } => *decimals,
            PilotKind::Liquidity { decimals, .. } => decimals.unwrap_or(DEFAULT_DECIMALS),
        }
    }
}

map_struct! {
    /// A pilot and its running totals.
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
        /// must fit all epoch allocations into `budget − buffer`; committed pilots may draw on
        /// the buffer when the token price falls. Whatever is unused returns with the rest.
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
        /// A payout is at most this multiple of the value the provider was paid by others for
        /// the epoch's work (1 for pilots created by 0.1.0).
        #[serde(default = "default_max_payout_multiple")]
        pub max_payout_multiple: Decimal256 = DEFAULT_MAX_PAYOUT_MULTIPLE,
    }
}

impl Pilot {
    /// What the contract still holds for this pilot.
    pub fn remaining(&self) -> Result<Uint256, OverflowError> {
        self.budget
            .checked_sub(self.paid)?
            .checked_sub(self.returned)
    }
}

str_enum! {
    /// A provider's enrollment state.
    pub enum EnrollmentStatus {
        Pending = "pending",
        Approved = "approved",
    }
}

map_struct! {
    /// One enrollment (request or approved).
    pub struct Enrollment {
        pub status: EnrollmentStatus,
        pub requested_at: u64,
        /// Height of approval; only work after it counts.
        pub approved_at: Option<u64>,
    }
}

str_enum! {
    /// Settlement phase of an epoch.
    pub enum Phase {
        /// Liquidity: measuring every approved provider to get Σ basis.
        Measure = "measure",
        /// Paying (committed: measure and pay in one pass; liquidity: pay the measured results).
        Pay = "pay",
    }
}

map_struct! {
    /// An epoch whose settlement started and has not completed.
    pub struct Progress {
        pub epoch: u32,
        pub phase: Phase,
        /// Last provider handled in the current phase.
        pub cursor: Option<Addr>,
        /// Oracle price (USD per whole token) taken at the first batch: required by committed
        /// pilots, recorded by liquidity pilots when the oracle has one.
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
}

map_struct! {
    /// One provider's result in one epoch.
    pub struct EpochResult {
        /// Start of the counted range (the later of epoch start and approval height).
        pub from_height: u64,
        pub to_height: u64,
        /// Eligible GPU-seconds from escrow and reservations (the liquidity basis).
        pub gpu_seconds: Uint128,
        /// Eligible GPU-blocks (escrow only: reservations are timed in seconds).
        pub gpu_blocks: Uint128,
        /// Value the provider was paid by others (leases and reservations) in the pilot denom in
        /// the range; the payout is at most `max_payout_multiple` × this.
        pub value: Uint256,
        /// Committed kind: USD earned at the pilot's rates.
        pub usd: Option<Decimal256>,
        /// Whether the min GPU count was met (work is zeroed when not).
        pub qualified: bool,
        /// Paid to the provider.
        pub amount: Uint256,
        /// Whether the payout was cut by the value cap, the remaining budget or the allocation.
        pub capped: bool,
        /// Whether the result is final (liquidity measure pass leaves it false until paid).
        pub paid: bool,
    }
}

map_struct! {
    /// Summary of a completed epoch.
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
}

map_struct! {
    /// One payout, by provider.
    pub struct Payout {
        pub amount: Uint256,
        pub denom: String,
        pub gpu_seconds: Uint128,
    }
}

#[cw_serde]
pub struct ConfigResponse {
    pub authority: Addr,
    pub pending_authority: Option<Addr>,
    pub paused: bool,
    pub config: Config,
}

/// A pilot with derived figures.
#[cw_serde]
pub struct PilotResponse {
    pub pilot: Pilot,
    /// budget − paid − returned.
    pub remaining: Uint256,
    /// Settlement in progress, if any.
    pub progress: Option<Progress>,
}

#[cw_serde]
pub struct PilotsResponse {
    pub pilots: Vec<PilotResponse>,
}

#[cw_serde]
pub struct EnrollmentEntry {
    pub provider: Addr,
    pub enrollment: Enrollment,
}

#[cw_serde]
pub struct EnrollmentsResponse {
    pub enrollments: Vec<EnrollmentEntry>,
}

#[cw_serde]
pub struct ProviderResult {
    pub provider: Addr,
    pub result: EpochResult,
}

#[cw_serde]
pub struct EpochResultsResponse {
    pub pilot_id: u64,
    pub epoch: u32,
    pub from_height: u64,
    pub to_height: u64,
    /// Present once the epoch completed.
    pub summary: Option<EpochSummary>,
    pub results: Vec<ProviderResult>,
}

#[cw_serde]
pub struct RemainingBudgetResponse {
    pub pilot_id: u64,
    pub denom: String,
    pub budget: Uint256,
    pub paid: Uint256,
    pub returned: Uint256,
    pub remaining: Uint256,
    pub buffer: Uint256,
}

#[cw_serde]
pub struct PayoutEntry {
    pub pilot_id: u64,
    pub epoch: u32,
    pub payout: Payout,
}

#[cw_serde]
pub struct PayoutsResponse {
    pub provider: Addr,
    pub payouts: Vec<PayoutEntry>,
}

#[cfg(test)]
#[path = "msg_tests.rs"]
mod tests;
