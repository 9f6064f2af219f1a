//! Public messages of the pip contract.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Uint256};
use supercloud_std::AuthorityMsg;

use crate::state::{
    Config, Eligibility, Enrollment, EpochResult, EpochSummary, Payout, Pilot, PilotKind, Progress,
};

/// Instantiates with the authority (gov) and the contracts pilots read from.
#[cw_serde]
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
    /// Blocks after a pilot's end before finalize works with unsettled epochs (default 100800, about a week).
    pub settle_grace_blocks: Option<u64>,
}

/// Where a pilot returns unspent budget (addresses unchecked).
#[cw_serde]
pub enum ReturnTargetMsg {
    Address { address: String },
    CommunityPool {},
}

/// A new pilot; the budget is the single coin attached.
#[cw_serde]
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
    pub return_target: Option<ReturnTargetMsg>,
    /// May approve and remove enrollments of this pilot.
    pub admin: Option<String>,
}

/// Authority-only partial configuration update; absent fields stay.
#[cw_serde]
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

/// State-changing messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Authority: creates a pilot; attach exactly one coin, the budget.
    CreatePilot(NewPilot),
    /// Provider (sender): asks to join a pilot.
    Enroll { pilot_id: u64 },
    /// Authority or pilot admin: approves a pending request.
    Approve { pilot_id: u64, provider: String },
    /// Authority or pilot admin: enrolls a provider directly (approves any pending request).
    EnrollProvider { pilot_id: u64, provider: String },
    /// Provider (sender): leaves a pilot or withdraws its request.
    WithdrawEnrollment { pilot_id: u64 },
    /// Authority or pilot admin: removes a provider or rejects a request.
    RemoveProvider { pilot_id: u64, provider: String },
    /// Anyone, after the epoch's end height: settles up to `limit` providers (default 10, max
    /// 30) of the pilot's next epoch; repeat until the epoch completes.
    SettleEpoch {
        pilot_id: u64,
        epoch: u32,
        limit: Option<u32>,
    },
    /// Anyone, after the end (and once every epoch is settled or the grace ran out): returns
    /// everything left and closes the pilot.
    Finalize { pilot_id: u64 },
    /// Authority: returns everything left and closes the pilot now.
    Cancel { pilot_id: u64 },
    /// Two-step authority handover.
    Authority(AuthorityMsg),
    /// Authority: pauses pilot creation and enrollment requests (settlement and returns stay open).
    SetPaused { paused: bool },
    /// Authority: configuration update.
    UpdateConfig(ConfigUpdate),
}

/// Queries.
#[cw_serde]
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
    Pilot { pilot_id: u64 },
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
    RemainingBudget { pilot_id: u64 },
    /// Non-zero payouts of a provider by (pilot, epoch).
    #[returns(PayoutsResponse)]
    PayoutsByProvider {
        provider: String,
        start_after: Option<(u64, u32)>,
        limit: Option<u32>,
    },
}

/// Migration message (no parameters).
#[cw_serde]
pub struct MigrateMsg {}

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
