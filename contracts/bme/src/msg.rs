//! Messages and query responses of the bme contract.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Binary, Decimal256, Uint128};
use supercloud_std::AuthorityMsg;

use crate::state::{Kind, LedgerRecord, Mode, Params, Request};

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
    pub max_attempts: Option<u32>,
    /// New oracle contract.
    pub oracle: Option<String>,
    /// New price pair.
    pub pair: Option<String>,
}

/// Execute messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Queues an AKT → ACT request for the uakt attached (exactly one coin, uakt). Refused while
    /// paused, when the oracle is unhealthy, in halt-CR or halt-oracle mode, or when the ACT it
    /// would mint at the current price (before the spread) is below `min_mint`.
    MintAct {},
    /// Queues an ACT → AKT request: `amount` uact leaves the sender's balance at once and is held
    /// by the request. Refused while paused, when the oracle is unhealthy or when it would pay
    /// zero uakt at the current price.
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
    #[returns(crate::state::Vault)]
    Vault {},
    /// One queued request.
    #[returns(Request)]
    Request { id: u64 },
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
        kind: Kind,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// One finished request.
    #[returns(LedgerRecord)]
    Record { id: u64 },
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
    pub price: Option<Decimal256>,
    /// Mode at the current oracle price and vault state.
    pub live_mode: Mode,
    pub live_cr_bps: u32,
    pub live_price: Option<Decimal256>,
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
