//! Messages and query responses of the escrow contract.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Coin, Decimal256, Uint256};
use supercloud_std::{ActReceiveMsg, AuthorityMsg};

use crate::wire::{unit, wire_enum, wire_struct, Fields, FromValue, Placeholder, Value, WireError};

/// Verified work in a height range, shared with the reservations contract and read by the pilots.
pub use supercloud_std::VerifiedWorkResponse;

/// Closed value sets shared with the event catalogue (one definition, same names in events).
pub use supercloud_events::escrow::{AccountState, CloseReason, DepositSourceKind, PaymentState};

/// Escrow configuration (authority-controlled).
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct Config {
    /// Native denoms accounts may use.
    pub native_denoms: Vec<String>,
    /// The bme contract holding the ACT ledger; `uact` accounts exist only when set.
    pub act_ledger: Option<Addr>,
    /// Blocks after exhaustion in which a debt-clearing top-up reopens an account.
    pub grace_period_blocks: u64,
    /// Block time estimate for time-to-depletion.
    pub block_time_ms: u64,
    /// Most open payments per account.
    pub max_open_payments: u32,
    /// Most deposits refunded per call.
    pub refund_batch: u32,
    /// Backstops against dust deposits (absent in state written by 0.1.0: the defaults).
    #[serde(default)]
    pub deposit_limits: DepositLimits,
}

wire_struct!(Config {
    native_denoms,
    act_ledger,
    grace_period_blocks,
    block_time_ms,
    max_open_payments,
    refund_batch,
    deposit_limits = default
});

/// Limits on an account's deposit queue (DESIGN §4.1). Settlement cost does not depend on them
/// (it never walks the queue); they bound what an attacker can make others' calls continue.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct DepositLimits {
    /// Smallest deposit accepted per denom; a denom not listed takes any amount above zero.
    pub min_deposit: Vec<Coin>,
    /// Most live deposit entries per account. A deposit that would add one more is refused,
    /// unless the account's owner makes it (an owner can always top up its own deployment).
    pub max_live_deposits: u32,
    /// Most deposit entries one call takes charges from (emitting their `deposit_consumed`);
    /// a settlement that uses up more leaves the rest as `consume_pending` for later calls.
    pub consume_batch: u32,
}

wire_struct!(DepositLimits {
    min_deposit,
    max_live_deposits,
    consume_batch
});

/// Default `DepositLimits::max_live_deposits`.
pub const DEFAULT_MAX_LIVE_DEPOSITS: u32 = 1_000;
/// Default `DepositLimits::consume_batch`.
pub const DEFAULT_CONSUME_BATCH: u32 = 30;

impl Default for DepositLimits {
    fn default() -> Self {
        DepositLimits {
            min_deposit: vec![],
            max_live_deposits: DEFAULT_MAX_LIVE_DEPOSITS,
            consume_batch: DEFAULT_CONSUME_BATCH,
        }
    }
}

impl DepositLimits {
    /// The smallest deposit accepted in `denom` (zero when none is set).
    pub fn min_deposit_of(&self, denom: &str) -> Uint256 {
        self.min_deposit
            .iter()
            .find(|c| c.denom == denom)
            .map_or(Uint256::zero(), |c| c.amount)
    }
}

/// Who funded a deposit: the depositor itself, or the depositor's allowance to `grantee`.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub enum DepositSource {
    /// The depositor's own coins (or ACT); refunded to the depositor.
    Funds,
    /// Spent by `grantee` from the depositor's allowance; refunds are credited back to it.
    Allowance { grantee: Addr },
}

impl FromValue for DepositSource {
    fn from_value(value: Value) -> Result<Self, WireError> {
        let (tag, body) = value.into_variant()?;
        match tag.as_str() {
            "funds" => unit(body).map(|()| DepositSource::Funds),
            "allowance" => {
                let mut f = Fields::new(body, &["grantee"]);
                let mut grantee = Addr::unchecked("");
                f.set(&mut grantee, "grantee");
                f.finish(DepositSource::Allowance { grantee })
            }
            _ => Err(WireError::UnknownVariant(tag)),
        }
    }
}

impl Placeholder for DepositSource {
    fn placeholder() -> Self {
        DepositSource::Funds
    }
}

impl TryFrom<Value> for DepositSource {
    type Error = WireError;

    fn try_from(value: Value) -> Result<Self, WireError> {
        Self::from_value(value)
    }
}

impl DepositSource {
    /// Its kind as events name it.
    pub fn kind(&self) -> DepositSourceKind {
        match self {
            DepositSource::Funds => DepositSourceKind::Funds,
            DepositSource::Allowance { .. } => DepositSourceKind::Allowance,
        }
    }

    /// The grantee for allowance-sourced deposits.
    pub fn grantee(&self) -> Option<Addr> {
        match self {
            DepositSource::Funds => None,
            DepositSource::Allowance { grantee } => Some(grantee.clone()),
        }
    }
}

/// Resources a payment pays for, declared by the paying owner (used by incentive pilots).
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct Resources {
    /// GPU model, e.g. `h100`; empty is refused, use `none` for CPU-only leases.
    pub gpu_model: String,
    /// Number of GPUs.
    pub gpu_count: u32,
}

wire_struct!(Resources {
    gpu_model,
    gpu_count
});

/// Accounts an allowance may be spent on.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub enum Scope {
    /// Any account.
    Any,
    /// Accounts of this owner.
    Owner(Addr),
    /// One account.
    Account(Addr, u64),
}

impl FromValue for Scope {
    fn from_value(value: Value) -> Result<Self, WireError> {
        let (tag, body) = value.into_variant()?;
        match tag.as_str() {
            "any" => unit(body).map(|()| Scope::Any),
            "owner" => Addr::from_value(body).map(Scope::Owner),
            "account" => <(Addr, u64)>::from_value(body).map(|(o, d)| Scope::Account(o, d)),
            _ => Err(WireError::UnknownVariant(tag)),
        }
    }
}

impl Placeholder for Scope {
    fn placeholder() -> Self {
        Scope::Any
    }
}

impl TryFrom<Value> for Scope {
    type Error = WireError;

    fn try_from(value: Value) -> Result<Self, WireError> {
        Self::from_value(value)
    }
}

impl Scope {
    /// Whether an account falls in this scope.
    pub fn covers(&self, owner: &Addr, dseq: u64) -> bool {
        match self {
            Scope::Any => true,
            Scope::Owner(o) => o == owner,
            Scope::Account(o, d) => o == owner && *d == dseq,
        }
    }

    /// Flat form used in events: `any`, `owner:<addr>`, `account:<addr>/<dseq>`.
    pub fn to_attr(&self) -> String {
        match self {
            Scope::Any => "any".to_string(),
            Scope::Owner(o) => format!("owner:{o}"),
            Scope::Account(o, d) => format!("account:{o}/{d}"),
        }
    }
}

/// Instantiates the escrow with its authority (the gov module on Akash) and configuration.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct InstantiateMsg {
    /// Address allowed to change config, pause, migrate and hand over authority.
    pub authority: String,
    /// Native denoms accounts may use (e.g. `uakt`, an IBC USDC denom).
    pub native_denoms: Vec<String>,
    /// The bme contract whose ACT ledger may deliver `uact` through its `send` hook.
    pub act_ledger: Option<String>,
    /// Blocks after funds ran out during which a top-up that clears the debt reopens the account.
    #[serde(default)]
    pub grace_period_blocks: u64,
    /// Chain block time used for time-to-depletion estimates (default 6000 ms).
    pub block_time_ms: Option<u64>,
    /// Most open payments per account (default 20); bounds settlement work.
    pub max_open_payments: Option<u32>,
    /// Most deposits refunded in one call (default 30); a `refund` call continues.
    pub refund_batch: Option<u32>,
    /// Deposit queue limits (default: no minimum, 1,000 live deposits, 30 consumed per call).
    pub deposit_limits: Option<DepositLimits>,
}

wire_struct!(InstantiateMsg {
    authority,
    native_denoms,
    act_ledger,
    grace_period_blocks = default,
    block_time_ms,
    max_open_payments,
    refund_batch,
    deposit_limits,
});

/// Authority-only partial configuration update; absent fields stay as they are.
#[cw_serde]
#[derive(Default)]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct ConfigUpdate {
    /// Replaces the accepted native denoms (accounts already open keep working).
    pub native_denoms: Option<Vec<String>>,
    /// Sets the ACT ledger contract.
    pub act_ledger: Option<String>,
    /// New grace window in blocks.
    pub grace_period_blocks: Option<u64>,
    /// New block time estimate in milliseconds.
    pub block_time_ms: Option<u64>,
    /// New cap on open payments per account.
    pub max_open_payments: Option<u32>,
    /// New refund batch size.
    pub refund_batch: Option<u32>,
    /// New deposit queue limits (replaced as a whole).
    pub deposit_limits: Option<DepositLimits>,
}

wire_struct!(ConfigUpdate {
    native_denoms,
    act_ledger,
    grace_period_blocks,
    block_time_ms,
    max_open_payments,
    refund_batch,
    deposit_limits
});

/// Where one part of a deposit comes from, tried in the order the caller lists them.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub enum SourceMsg {
    /// The coins attached to this message (or the ACT delivered by the ledger hook).
    Funds {},
    /// An allowance that `granter` gave the sender.
    Allowance { granter: String },
}

wire_enum!(SourceMsg {
    "funds" => Funds {},
    "allowance" => Allowance { granter },
});

/// Which accounts an allowance may be spent on.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub enum ScopeMsg {
    /// Any account.
    Any {},
    /// Accounts of one owner.
    Owner { owner: String },
    /// One account.
    Account { owner: String, dseq: u64 },
}

wire_enum!(ScopeMsg {
    "any" => Any {},
    "owner" => Owner { owner },
    "account" => Account { owner, dseq },
});

impl Placeholder for ScopeMsg {
    fn placeholder() -> Self {
        ScopeMsg::Any {}
    }
}

/// Execute messages.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub enum ExecuteMsg {
    /// Opens the sender's account `dseq` in `denom`; attached coins become the first deposit.
    OpenAccount { dseq: u64, denom: String },
    /// Deposits `amount` into `owner`/`dseq`, drawing on `sources` in order (default: attached
    /// funds). Attached coins left over are sent back.
    Deposit {
        owner: String,
        dseq: u64,
        amount: Uint256,
        #[serde(default)]
        sources: Vec<SourceMsg>,
    },
    /// Owner opens a payment of `rate` per block to `provider`.
    OpenPayment {
        dseq: u64,
        provider: String,
        rate: Decimal256,
        resources: Resources,
    },
    /// Provider collects what the payment has settled (zero on a repeat in the same block).
    Withdraw {
        owner: String,
        dseq: u64,
        payment_id: u64,
    },
    /// Owner or provider closes a payment; the provider is paid what was settled.
    ClosePayment {
        owner: String,
        dseq: u64,
        payment_id: u64,
    },
    /// Closes an account: the owner at any time, anyone once its grace window has ended.
    CloseAccount { owner: String, dseq: u64 },
    /// Continues refunding a closed account's depositors (anyone may call).
    Refund { owner: String, dseq: u64 },
    /// Funds (or tops up) an allowance for `grantee` with the attached coin.
    GrantAllowance {
        grantee: String,
        scope: ScopeMsg,
        expires_at: Option<u64>,
    },
    /// Granter takes back what is left of an allowance in `denom`.
    RevokeAllowance { grantee: String, denom: String },
    /// ACT delivered by the bme ledger's `send`; `msg` is a [`ReceiveHook`].
    Receive(ActReceiveMsg),
    /// Authority handover (propose, accept, cancel).
    Authority(AuthorityMsg),
    /// Authority pauses or resumes inflows (exits stay open while paused).
    SetPaused { paused: bool },
    /// Authority changes configuration.
    UpdateConfig(ConfigUpdate),
}

wire_enum!(ExecuteMsg {
    "open_account" => OpenAccount { dseq, denom },
    "deposit" => Deposit { owner, dseq, amount, sources = default },
    "open_payment" => OpenPayment { dseq, provider, rate, resources },
    "withdraw" => Withdraw { owner, dseq, payment_id },
    "close_payment" => ClosePayment { owner, dseq, payment_id },
    "close_account" => CloseAccount { owner, dseq },
    "refund" => Refund { owner, dseq },
    "grant_allowance" => GrantAllowance { grantee, scope, expires_at },
    "revoke_allowance" => RevokeAllowance { grantee, denom },
    "receive" => Receive(),
    "authority" => Authority(),
    "set_paused" => SetPaused { paused },
    "update_config" => UpdateConfig(),
});

/// What ACT delivered through the ledger's `send` hook is for.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub enum ReceiveHook {
    /// Opens the sender's `uact` account with the ACT as first deposit.
    OpenAccount { dseq: u64 },
    /// Deposits the ACT into an account.
    Deposit { owner: String, dseq: u64 },
    /// Funds an ACT allowance.
    GrantAllowance {
        grantee: String,
        scope: ScopeMsg,
        expires_at: Option<u64>,
    },
}

wire_enum!(ReceiveHook {
    "open_account" => OpenAccount { dseq },
    "deposit" => Deposit { owner, dseq },
    "grant_allowance" => GrantAllowance { grantee, scope, expires_at },
});

/// Migration message (no options yet).
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct MigrateMsg {}

wire_struct!(MigrateMsg {});

/// Queries.
#[cw_serde]
#[derive(QueryResponses)]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub enum QueryMsg {
    /// Configuration and pause state.
    #[returns(ConfigResponse)]
    Config {},
    /// An account with a settlement preview at the current height.
    #[returns(AccountResponse)]
    Account { owner: String, dseq: u64 },
    /// An account's remaining deposits, oldest first.
    #[returns(DepositsResponse)]
    Deposits {
        owner: String,
        dseq: u64,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// One payment, previewed at the current height.
    #[returns(PaymentResponse)]
    Payment {
        owner: String,
        dseq: u64,
        payment_id: u64,
    },
    /// An account's payments by id, previewed at the current height.
    #[returns(PaymentsResponse)]
    Payments {
        owner: String,
        dseq: u64,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// Blocks and estimated seconds until the account's funds run out.
    #[returns(TimeToDepletionResponse)]
    TimeToDepletion { owner: String, dseq: u64 },
    /// Accounts of an owner, by dseq.
    #[returns(AccountsResponse)]
    AccountsByOwner {
        owner: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// Accounts a depositor has deposited into.
    #[returns(AccountRefsResponse)]
    AccountsByDepositor {
        depositor: String,
        start_after: Option<AccountRef>,
        limit: Option<u32>,
    },
    /// Payments of a provider with their summary (rate, state, withdrawable previewed at the
    /// current height, GPU model and count), by owner, dseq and payment id.
    #[returns(PaymentsResponse)]
    AccountsByProvider {
        provider: String,
        start_after: Option<PaymentRef>,
        limit: Option<u32>,
    },
    /// A provider's verified work settled in heights `(from_height, to_height]`: value in
    /// `denom` and GPU work on `gpu_model` (read by the incentive pilots).
    #[returns(VerifiedWorkResponse)]
    VerifiedWork {
        provider: String,
        denom: String,
        gpu_model: String,
        from_height: u64,
        to_height: u64,
    },
    /// One allowance.
    #[returns(AllowanceResponse)]
    Allowance {
        granter: String,
        grantee: String,
        denom: String,
    },
    /// Allowances a granter gave, by grantee and denom.
    #[returns(AllowancesResponse)]
    Allowances {
        granter: String,
        start_after: Option<(String, String)>,
        limit: Option<u32>,
    },
}

wire_enum!(QueryMsg {
    "config" => Config {},
    "account" => Account { owner, dseq },
    "deposits" => Deposits { owner, dseq, start_after, limit },
    "payment" => Payment { owner, dseq, payment_id },
    "payments" => Payments { owner, dseq, start_after, limit },
    "time_to_depletion" => TimeToDepletion { owner, dseq },
    "accounts_by_owner" => AccountsByOwner { owner, start_after, limit },
    "accounts_by_depositor" => AccountsByDepositor { depositor, start_after, limit },
    "accounts_by_provider" => AccountsByProvider { provider, start_after, limit },
    "verified_work" => VerifiedWork { provider, denom, gpu_model, from_height, to_height },
    "allowance" => Allowance { granter, grantee, denom },
    "allowances" => Allowances { granter, start_after, limit },
});

/// Configuration plus pause flag and authority.
#[cw_serde]
pub struct ConfigResponse {
    pub authority: Addr,
    pub pending_authority: Option<Addr>,
    pub paused: bool,
    pub config: Config,
}

/// What settling the account now would do.
#[cw_serde]
pub struct SettlementPreview {
    /// Height the preview is computed at.
    pub height: u64,
    /// Amount that would move from deposits to providers.
    pub settled: Uint256,
    /// Debt the account would carry after settling.
    pub debt: Uint256,
    /// Deposits left after settling.
    pub balance: Uint256,
    /// First height whose charge the funds do not cover, when they run out by `height`.
    pub exhausted_at: Option<u64>,
}

/// An account with its live settlement preview.
#[cw_serde]
pub struct AccountResponse {
    pub owner: Addr,
    pub dseq: u64,
    pub denom: String,
    pub state: AccountState,
    pub opened_at: u64,
    pub settled_at: u64,
    /// Remaining deposits as of `settled_at`.
    pub balance: Uint256,
    /// Σ rate of open payments per block.
    pub rate: Decimal256,
    pub open_payments: Vec<u64>,
    pub total_deposited: Uint256,
    pub total_settled: Uint256,
    /// Deposits not yet refunded after close.
    pub refunds_pending: u64,
    /// Settled out of `balance` but not yet taken from the deposit entries, oldest first (see
    /// `DepositLimits::consume_batch`); the `deposits` query shows entries before it.
    pub consume_pending: Uint256,
    /// Last height of the grace window when overdrawn.
    pub grace_until: Option<u64>,
    pub preview: SettlementPreview,
}

/// A remaining deposit.
#[cw_serde]
pub struct DepositInfo {
    /// Position in the account's deposit queue (spent in ascending order).
    pub seq: u64,
    pub depositor: Addr,
    pub source: DepositSource,
    /// Unspent part.
    pub amount: Uint256,
    /// Total ever deposited into this entry.
    pub deposited: Uint256,
    /// Height of the first deposit into this entry.
    pub height: u64,
}

/// A page of deposits.
#[cw_serde]
pub struct DepositsResponse {
    pub deposits: Vec<DepositInfo>,
}

/// A payment previewed at the current height.
#[cw_serde]
pub struct PaymentResponse {
    pub owner: Addr,
    pub dseq: u64,
    pub payment_id: u64,
    pub provider: Addr,
    pub rate: Decimal256,
    pub resources: Resources,
    pub state: PaymentState,
    pub opened_at: u64,
    /// Settled and not yet withdrawn, including the preview.
    pub withdrawable: Uint256,
    /// Owed but not covered.
    pub debt: Uint256,
    pub withdrawn: Uint256,
    pub closed_at: Option<u64>,
}

/// A page of payments.
#[cw_serde]
pub struct PaymentsResponse {
    pub payments: Vec<PaymentResponse>,
}

/// Time until the funds of an account run out at current rates.
#[cw_serde]
pub struct TimeToDepletionResponse {
    /// Height of the estimate.
    pub height: u64,
    /// Whole blocks still covered; `None` when nothing is being charged.
    pub blocks: Option<u64>,
    /// `blocks` × configured block time; `None` when nothing is being charged.
    pub estimated_seconds: Option<u64>,
    /// Height at which the funds run out; `None` when nothing is being charged.
    pub depletes_at: Option<u64>,
}

/// A page of an owner's accounts.
#[cw_serde]
pub struct AccountsResponse {
    pub accounts: Vec<AccountResponse>,
}

/// Names an account.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct AccountRef {
    pub owner: String,
    pub dseq: u64,
}

wire_struct!(AccountRef { owner, dseq });

/// A page of account references.
#[cw_serde]
pub struct AccountRefsResponse {
    pub accounts: Vec<AccountRef>,
}

/// Names a payment.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct PaymentRef {
    pub owner: String,
    pub dseq: u64,
    pub payment_id: u64,
}

wire_struct!(PaymentRef {
    owner,
    dseq,
    payment_id
});

/// The response `data` of `open_account`: the new account's id.
#[cw_serde]
pub struct OpenAccountResponse {
    pub owner: Addr,
    pub dseq: u64,
}

/// The response `data` of `open_payment`: the new payment's id.
#[cw_serde]
pub struct OpenPaymentResponse {
    pub owner: Addr,
    pub dseq: u64,
    pub payment_id: u64,
}

/// An allowance.
#[cw_serde]
pub struct AllowanceResponse {
    pub granter: Addr,
    pub grantee: Addr,
    pub denom: String,
    pub scope: Scope,
    pub balance: Uint256,
    pub expires_at: Option<u64>,
}

/// A page of allowances.
#[cw_serde]
pub struct AllowancesResponse {
    pub allowances: Vec<AllowanceResponse>,
}

#[cfg(test)]
#[path = "msg_tests.rs"]
mod tests;
