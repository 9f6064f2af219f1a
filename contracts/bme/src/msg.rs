//! Messages, query responses and the types they carry (`state` stores some of them).

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Binary, Decimal, Uint128};
use supercloud_std::AuthorityMsg;

/// The closed value sets are the event catalogue's, so messages, state and events share one
/// definition.
pub use supercloud_events::bme::{CancelReason, Denom, Mode, RequestKind, RetryReason};

/// Instantiates with the authority (gov), the oracle, parameters (Akash defaults when absent)
/// and the allow-listed ACT receivers.
#[cw_serde]
pub struct InstantiateMsg {
    pub authority: String,
    /// The oracle contract (`oracle::msg::QueryMsg::Price`).
    pub oracle: String,
    /// Pair quoted in USD per AKT (default `akt/usd`).
    pub pair: Option<String>,
    pub params: Option<Params>,
    /// Contracts accepting ACT via `send` and allowed to `transfer` it out (at most 20).
    #[serde(default)]
    pub allow_list: Vec<String>,
}

/// Authority-only partial parameter update; absent fields keep their value.
#[cw_serde]
#[derive(Default)]
pub struct ParamsUpdate {
    pub warn_bps: Option<u32>,
    pub halt_bps: Option<u32>,
    pub min_epoch_blocks: Option<u64>,
    pub epoch_backoff_percent: Option<u32>,
    pub mint_spread_bps: Option<u32>,
    pub settle_spread_bps: Option<u32>,
    pub max_records_per_epoch: Option<u32>,
    pub min_mint: Option<Uint128>,
    pub min_burn: Option<Uint128>,
    pub max_attempts: Option<u32>,
    pub max_pending_per_owner: Option<u32>,
    /// New oracle contract.
    pub oracle: Option<String>,
    /// New price pair.
    pub pair: Option<String>,
}

/// Execute messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Queues an AKT → ACT request for the uakt attached (exactly one coin, uakt). Refused while
    /// paused, when the oracle is unhealthy, in halt-CR or halt-oracle mode, when the ACT it
    /// would mint at the current price (before the spread) is below `min_mint`, or when the
    /// sender already has `max_pending_per_owner` requests queued.
    MintAct {},
    /// Queues an ACT → AKT request: `amount` uact leaves the sender's balance at once and is held
    /// by the request. Refused while paused, below `min_burn`, when the oracle is unhealthy, when
    /// it would pay zero uakt at the current price, or when the sender already has
    /// `max_pending_per_owner` requests queued.
    BurnAct { amount: Uint128 },
    /// Moves `amount` uact to the allow-listed `contract` and calls its
    /// `{"receive":{"sender","amount","msg"}}` hook (cw20-style).
    Send {
        contract: String,
        amount: Uint128,
        msg: Binary,
    },
    /// Allow-listed contracts only: pays `amount` uact from the caller's balance to `recipient`.
    /// Same JSON as `supercloud_std::ActLedgerMsg::Transfer`. Stays open while paused.
    Transfer { recipient: String, amount: Uint128 },
    /// Permissionless keeper call: runs the due burn then mint epochs, at most `limit` records per
    /// queue (default and maximum `max_records_per_epoch`).
    Process { limit: Option<u32> },
    /// Authority only: adds exactly the uakt attached to the vault.
    FundVault {},
    /// Authority only: changes parameters (validated as a whole).
    UpdateParams(ParamsUpdate),
    /// Authority only: adds and removes allow-listed ACT receivers.
    UpdateAllowList {
        #[serde(default)]
        add: Vec<String>,
        #[serde(default)]
        remove: Vec<String>,
    },
    /// Authority only: while paused, new requests, `send` and `process` are refused;
    /// `transfer` (payouts by allow-listed contracts) stays open.
    SetPaused { paused: bool },
    /// Two-step authority handover.
    Authority(AuthorityMsg),
}

/// Queries.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// cw20-shaped ACT balance.
    #[returns(BalanceResponse)]
    Balance { address: String },
    /// cw20-shaped token info (name, symbol, decimals, total supply).
    #[returns(TokenInfoResponse)]
    TokenInfo {},
    /// Authority, pause flag, oracle, parameters and allow list.
    #[returns(ConfigResponse)]
    Config {},
    /// Circuit breaker: stored mode/CR of the last `process`, the live values at the current
    /// oracle price, and the next epoch heights.
    #[returns(StatusResponse)]
    Status {},
    /// Vault and supply accounting.
    #[returns(Vault)]
    Vault {},
    /// Where request `id` is: queued (with its attempts), executed or cancelled (with the
    /// outcome and height). Unknown ids are an error.
    #[returns(RequestStatusResponse)]
    RequestStatus { id: u64 },
    /// Queued requests of `owner` in id order (default 10, max 30).
    #[returns(RequestsResponse)]
    RequestsByOwner {
        owner: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// Queued requests of one kind in execution (id) order (default 10, max 30).
    #[returns(RequestsResponse)]
    Queue {
        kind: RequestKind,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// Finished requests in id order (default 10, max 30).
    #[returns(RecordsResponse)]
    Records {
        start_after: Option<u64>,
        limit: Option<u32>,
    },
}

/// Migration takes no parameters.
#[cw_serde]
pub struct MigrateMsg {}

/// Response of `balance`.
#[cw_serde]
pub struct BalanceResponse {
    pub balance: Uint128,
}

/// Response of `token_info`.
#[cw_serde]
pub struct TokenInfoResponse {
    pub name: String,
    pub symbol: String,
    pub decimals: u8,
    pub total_supply: Uint128,
}

/// Response of `config`.
#[cw_serde]
pub struct ConfigResponse {
    pub authority: Addr,
    pub pending_authority: Option<Addr>,
    pub paused: bool,
    pub oracle: Addr,
    pub pair: String,
    pub params: Params,
    pub allow_list: Vec<Addr>,
}

/// Response of `status`.
#[cw_serde]
pub struct StatusResponse {
    /// Mode stored by the last `process` (what the last `mode_changed` announced).
    pub mode: Mode,
    /// CR in bps stored by the last `process` (`u32::MAX` for a zero supply).
    pub cr_bps: u32,
    /// Price used by the last `process`.
    pub price: Option<Decimal>,
    /// Mode at the current oracle price and vault state.
    pub live_mode: Mode,
    pub live_cr_bps: u32,
    pub live_price: Option<Decimal>,
    /// Why the live price is missing.
    pub oracle_error: Option<String>,
    pub next_burn_epoch: u64,
    pub next_mint_epoch: u64,
    /// Length of the mint epoch the live mode implies.
    pub mint_epoch_blocks: u64,
    pub paused: bool,
}

/// A page of queued requests.
#[cw_serde]
pub struct RequestsResponse {
    pub requests: Vec<Request>,
}

/// A page of finished requests.
#[cw_serde]
pub struct RecordsResponse {
    pub records: Vec<LedgerRecord>,
}

/// Where a request is, with what is common to every state.
#[cw_serde]
pub struct RequestStatusResponse {
    pub id: u64,
    pub kind: RequestKind,
    pub owner: Addr,
    /// uakt for a mint, uact for a burn.
    pub amount: Uint128,
    /// Height of submission.
    pub requested_at: u64,
    /// Epochs in which it failed retriably.
    pub attempts: u32,
    pub state: RequestState,
}

/// The state of a request. Amounts of an executed request mean what they mean in its
/// `record_executed` event; `height` is where it executed or was cancelled.
#[cw_serde]
pub enum RequestState {
    /// Waiting in its queue; `last_error` is why its last attempt failed.
    Queued { last_error: Option<RetryReason> },
    /// Executed at `price`.
    Executed {
        burned: Uint128,
        minted: Uint128,
        spread: Uint128,
        paid: Uint128,
        price: Decimal,
        height: u64,
    },
    /// Cancelled and `refund` returned to the owner.
    Cancelled {
        reason: CancelReason,
        refund: Uint128,
        height: u64,
    },
}

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
    /// Smallest burn, in uact (FIX: dust burns could fill the burn queue). > 0. Absent in a
    /// configuration stored by 0.1.0: the default applies.
    #[serde(default = "default_min_burn")]
    pub min_burn: Uint128,
    /// Epochs a request may fail retriably before it is cancelled. 1..=100.
    pub max_attempts: u32,
    /// Most requests one address may have queued, mints and burns together (FIX issue 23: one
    /// address could push honest requests back without limit). 1..=100; absent in a
    /// configuration stored by 0.1.0: the default applies.
    ///
    /// What it bounds (the argument is in `execute::process`): with `P` this cap,
    /// `R = max_records_per_epoch` and `A = max_attempts`, a request with requests of `k`
    /// distinct owners queued ahead of it in its queue (all submitted under this cap) is handled
    /// at the latest in the `floor(P·k·A / R) + 1`-th epoch of that queue that starts after its
    /// submission, `floor(P·k / R) + 1` when none of them fails retriably; one `process` call at
    /// the default limit runs a whole epoch. So each address ahead adds at most `P/R` epochs
    /// (`P·A/R` if all its requests fail retriably): with the defaults (10, 50, 3) a fifth of an
    /// epoch, and five flooding addresses are needed to push an honest request back by one
    /// whole epoch when nothing retries.
    #[serde(default = "default_max_pending_per_owner")]
    pub max_pending_per_owner: u32,
}

/// Default `min_burn`: 1 ACT.
fn default_min_burn() -> Uint128 {
    Uint128::new(1_000_000)
}

/// Default `max_pending_per_owner`: a fifth of the default `max_records_per_epoch`.
fn default_max_pending_per_owner() -> u32 {
    10
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
            min_burn: default_min_burn(),
            max_attempts: 3,
            max_pending_per_owner: default_max_pending_per_owner(),
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

/// A queued request. `amount` is uakt for a mint, uact for a burn.
#[cw_serde]
pub struct Request {
    pub id: u64,
    pub kind: RequestKind,
    pub owner: Addr,
    pub amount: Uint128,
    pub height: u64,
    /// Epochs in which it failed retriably.
    pub attempts: u32,
    /// Reason of the last retriable failure.
    pub last_error: Option<RetryReason>,
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
        price: Decimal,
    },
    /// Cancelled and `refund` returned to the owner.
    Cancelled {
        reason: CancelReason,
        refund: Uint128,
    },
}

/// A finished request (ledger record), kept under the request id.
#[cw_serde]
pub struct LedgerRecord {
    pub id: u64,
    pub kind: RequestKind,
    pub owner: Addr,
    pub amount: Uint128,
    pub requested_at: u64,
    pub finished_at: u64,
    pub attempts: u32,
    pub outcome: Outcome,
}
