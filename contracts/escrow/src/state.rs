//! Stored state. Accounts are keyed by `(owner, dseq)`, their deposits by queue position and
//! their payments by id; secondary maps index accounts by depositor and payments by provider.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal256, Uint256};
use cw_storage_plus::{Item, Map};

/// Escrow configuration (authority-controlled).
#[cw_serde]
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
}

/// Lifecycle of an account.
#[cw_serde]
#[derive(Copy)]
pub enum AccountState {
    /// Funded and charging its payments.
    Open,
    /// Funds ran out; payments carry debt. Reopens if the debt is paid inside the grace window.
    Overdrawn,
    /// Terminal. Remaining deposits are refunded (in batches).
    Closed,
}

/// Lifecycle of a payment.
#[cw_serde]
#[derive(Copy)]
pub enum PaymentState {
    /// Accruing `rate` per block.
    Open,
    /// Its account ran out of funds; accrues nothing, carries debt.
    Overdrawn,
    /// Terminal.
    Closed,
}

/// Why a payment or account closed.
#[cw_serde]
#[derive(Copy)]
pub enum CloseReason {
    /// The account owner closed it.
    Owner,
    /// The provider closed the payment.
    Provider,
    /// The account closed (payments close with it).
    AccountClosed,
    /// Funds ran out and the grace window ended.
    Overdrawn,
}

impl CloseReason {
    /// Name used in events.
    pub fn as_str(&self) -> &'static str {
        match self {
            CloseReason::Owner => "owner",
            CloseReason::Provider => "provider",
            CloseReason::AccountClosed => "account_closed",
            CloseReason::Overdrawn => "overdrawn",
        }
    }
}

/// Overdraw bookkeeping of an account.
#[cw_serde]
pub struct Overdraw {
    /// Height of the settlement that found the funds exhausted.
    pub detected_at: u64,
    /// First height whose charge the funds did not cover.
    pub exhausted_at: u64,
    /// Last height at which a debt-clearing top-up reopens the account.
    pub grace_until: u64,
}

/// A deployment's escrow account.
#[cw_serde]
pub struct Account {
    pub owner: Addr,
    pub dseq: u64,
    pub denom: String,
    pub state: AccountState,
    pub opened_at: u64,
    /// Height up to which payments have been charged.
    pub settled_at: u64,
    /// Block time (seconds) of `settled_at`.
    pub settled_time: u64,
    /// Σ remaining deposits.
    pub balance: Uint256,
    /// Queue position of the oldest remaining deposit.
    pub deposit_head: u64,
    /// Queue position the next new deposit entry gets.
    pub deposit_next: u64,
    /// Ids of payments that are open or overdrawn, ascending.
    pub open_payments: Vec<u64>,
    pub next_payment_id: u64,
    /// Σ rate of `open_payments`.
    pub rate: Decimal256,
    pub overdraw: Option<Overdraw>,
    pub closed_at: Option<u64>,
    pub total_deposited: Uint256,
    pub total_settled: Uint256,
}

/// Who funded a deposit: the depositor itself, or the depositor's allowance to `grantee`.
#[cw_serde]
pub enum DepositSource {
    /// The depositor's own coins (or ACT); refunded to the depositor.
    Funds,
    /// Spent by `grantee` from the depositor's allowance; refunds are credited back to it.
    Allowance { grantee: Addr },
}

impl DepositSource {
    /// Name used in events.
    pub fn kind(&self) -> &'static str {
        match self {
            DepositSource::Funds => "funds",
            DepositSource::Allowance { .. } => "allowance",
        }
    }

    /// The grantee for allowance-sourced deposits.
    pub fn grantee(&self) -> Option<Addr> {
        match self {
            DepositSource::Funds => None,
            DepositSource::Allowance { grantee } => Some(grantee.clone()),
        }
    }

    /// Key that merges repeat deposits of the same depositor and source into one entry.
    pub fn slot(&self, depositor: &Addr) -> String {
        match self {
            DepositSource::Funds => depositor.to_string(),
            DepositSource::Allowance { grantee } => format!("{depositor}/{grantee}"),
        }
    }
}

/// One entry of an account's deposit queue.
#[cw_serde]
pub struct Deposit {
    pub depositor: Addr,
    pub source: DepositSource,
    /// Unspent part.
    pub amount: Uint256,
    /// Total ever deposited into this entry.
    pub deposited: Uint256,
    /// Height of the first deposit into this entry.
    pub height: u64,
}

/// Resources a payment pays for, declared by the paying owner (used by incentive pilots).
#[cw_serde]
pub struct Resources {
    /// GPU model, e.g. `h100`; empty is refused, use `none` for CPU-only leases.
    pub gpu_model: String,
    /// Number of GPUs.
    pub gpu_count: u32,
}

/// A payment (lease) from an account to a provider.
#[cw_serde]
pub struct Payment {
    pub id: u64,
    pub provider: Addr,
    pub rate: Decimal256,
    pub resources: Resources,
    pub state: PaymentState,
    pub opened_at: u64,
    /// Settled and not yet withdrawn.
    pub withdrawable: Uint256,
    /// Owed but not covered by deposits.
    pub debt: Uint256,
    /// Total paid out to the provider.
    pub withdrawn: Uint256,
    pub closed_at: Option<u64>,
    pub close_reason: Option<CloseReason>,
}

/// Accounts an allowance may be spent on.
#[cw_serde]
pub enum Scope {
    /// Any account.
    Any,
    /// Accounts of this owner.
    Owner(Addr),
    /// One account.
    Account(Addr, u64),
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

/// A sponsor's pre-funded allowance: `grantee` may deposit up to `balance` into accounts in scope.
#[cw_serde]
pub struct Allowance {
    pub scope: Scope,
    pub balance: Uint256,
    pub expires_at: Option<u64>,
}

/// Account key: owner and dseq.
pub type AccountKey<'a> = (&'a Addr, u64);

pub const CONFIG: Item<Config> = Item::new("config");
pub const ACCOUNTS: Map<AccountKey, Account> = Map::new("accounts");
/// (owner, dseq, queue position) -> deposit.
pub const DEPOSITS: Map<(&Addr, u64, u64), Deposit> = Map::new("deposits");
/// ((owner, dseq), merge slot) -> queue position of the live entry for that depositor and source.
pub const DEPOSIT_SLOTS: Map<(AccountKey, &str), u64> = Map::new("deposit_slots");
/// (owner, dseq, payment id) -> payment.
pub const PAYMENTS: Map<(&Addr, u64, u64), Payment> = Map::new("payments");
/// (depositor, owner, dseq): accounts a depositor has deposited into.
pub const DEPOSITOR_ACCOUNTS: Map<(&Addr, &Addr, u64), ()> = Map::new("depositor_accounts");
/// (provider, owner, (dseq, payment id)): payments of a provider.
pub const PROVIDER_PAYMENTS: Map<(&Addr, &Addr, (u64, u64)), ()> = Map::new("provider_payments");
/// (granter, grantee, denom) -> allowance.
pub const ALLOWANCES: Map<(&Addr, &Addr, &str), Allowance> = Map::new("allowances");
