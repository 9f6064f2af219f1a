//! Stored state. Accounts are keyed by `(owner, dseq)`, their deposits by queue position and
//! their payments by id; secondary maps index accounts by depositor and payments by provider.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal256, Uint256};
use cw_storage_plus::{Item, Map};

use crate::wire::wire_struct;

use crate::msg::{
    AccountState, CloseReason, Config, DepositSource, PaymentState, Resources, Scope,
};

/// Overdraw bookkeeping of an account.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct Overdraw {
    /// Height of the settlement that found the funds exhausted.
    pub detected_at: u64,
    /// First height whose charge the funds did not cover.
    pub exhausted_at: u64,
    /// Last height at which a debt-clearing top-up reopens the account.
    pub grace_until: u64,
}

wire_struct!(Overdraw {
    detected_at,
    exhausted_at,
    grace_until
});

/// A deployment's escrow account.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
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
    /// Settled out of `balance` but not yet taken from deposit entries: the oldest entries owe
    /// it, and later calls take it from them at most `consume_batch` entries at a time (absent in
    /// state written by 0.1.0 and 0.2.0, which consumed eagerly: zero).
    #[serde(default)]
    pub consume_pending: Uint256,
}

wire_struct!(Account {
    owner,
    dseq,
    denom,
    state,
    opened_at,
    settled_at,
    settled_time,
    balance,
    deposit_head,
    deposit_next,
    open_payments,
    next_payment_id,
    rate,
    overdraw,
    closed_at,
    total_deposited,
    total_settled,
    consume_pending = default
});

/// One entry of an account's deposit queue.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
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

wire_struct!(Deposit {
    depositor,
    source,
    amount,
    deposited,
    height
});

/// A payment (lease) from an account to a provider.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct Payment {
    pub id: u64,
    pub provider: Addr,
    pub rate: Decimal256,
    pub resources: Resources,
    pub state: PaymentState,
    pub opened_at: u64,
    /// Accrued fraction below one base unit that settlements have not charged yet (absent in
    /// state written by 0.1.0, which had no carry: zero).
    #[serde(default)]
    pub carry: Decimal256,
    /// Settled and not yet withdrawn.
    pub withdrawable: Uint256,
    /// Owed but not covered by deposits.
    pub debt: Uint256,
    /// Total paid out to the provider.
    pub withdrawn: Uint256,
    pub closed_at: Option<u64>,
    pub close_reason: Option<CloseReason>,
    /// Charged blocks whose GPU work waits for value to cover it (`work::Unbooked`; absent in
    /// state written by 0.1.0 and 0.2.0, which booked every charged block: zero).
    #[serde(default)]
    pub unbooked_blocks: u64,
    /// Paid value not yet matched to booked blocks (`work::Unbooked`; absent before: zero).
    #[serde(default)]
    pub unbooked_value: Decimal256,
}

wire_struct!(Payment { id, provider, rate, resources, state, opened_at, carry = default, withdrawable, debt, withdrawn, closed_at, close_reason, unbooked_blocks = default, unbooked_value = default });

/// A sponsor's pre-funded allowance: `grantee` may deposit up to `balance` into accounts in scope.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct Allowance {
    pub scope: Scope,
    pub balance: Uint256,
    pub expires_at: Option<u64>,
}

wire_struct!(Allowance {
    scope,
    balance,
    expires_at
});

/// Account key: owner and dseq.
pub type AccountKey<'a> = (&'a Addr, u64);

pub const CONFIG: Item<Config> = Item::new("config");
pub const ACCOUNTS: Map<AccountKey, Account> = Map::new("accounts");
/// (owner, dseq, queue position) -> deposit.
pub const DEPOSITS: Map<(&Addr, u64, u64), Deposit> = Map::new("deposits");
/// (owner, dseq, payment id) -> payment.
pub const PAYMENTS: Map<(&Addr, u64, u64), Payment> = Map::new("payments");
/// (depositor, owner, dseq): accounts a depositor has deposited into.
pub const DEPOSITOR_ACCOUNTS: Map<(&Addr, &Addr, u64), ()> = Map::new("depositor_accounts");
/// (provider, owner, (dseq, payment id)): payments of a provider.
pub const PROVIDER_PAYMENTS: Map<(&Addr, &Addr, (u64, u64)), ()> = Map::new("provider_payments");
/// (granter, grantee, denom) -> allowance.
pub const ALLOWANCES: Map<(&Addr, &Addr, &str), Allowance> = Map::new("allowances");
