//! Every way an escrow message can be refused.

use cosmwasm_std::{Addr, StdError, Uint256};
use supercloud_std::{ActError, AuthorityError, DenomError, MigrateError, PauseError};
use thiserror::Error;

/// A typed escrow error; nothing changes when one is returned.
#[derive(Error, Debug)]
pub enum ContractError {
    /// Storage, serialization or address validation failed.
    #[error(transparent)]
    Std(#[from] StdError),
    /// Authority rule broken.
    #[error(transparent)]
    Authority(#[from] AuthorityError),
    /// Contract is paused.
    #[error(transparent)]
    Pause(#[from] PauseError),
    /// Migration refused.
    #[error(transparent)]
    Migrate(#[from] MigrateError),
    /// Malformed denom.
    #[error(transparent)]
    Denom(#[from] DenomError),
    /// ACT refused on the way in (wrong ledger, zero) or not payable out (no ledger).
    #[error(transparent)]
    Act(#[from] ActError),
    /// Attached funds are not what the message needs.
    #[error(transparent)]
    Payment(#[from] cw_utils::PaymentError),
    /// Checked arithmetic overflowed.
    #[error(transparent)]
    Overflow(#[from] cosmwasm_std::OverflowError),
    /// A division by zero.
    #[error(transparent)]
    DivideByZero(#[from] cosmwasm_std::DivideByZeroError),
    /// The denom is not accepted for escrow accounts.
    #[error("denom {denom} is not accepted for escrow accounts")]
    DenomNotAllowed { denom: String },
    /// Funds in a denom different from the account's.
    #[error("wrong denom: account takes {expected}, got {got}")]
    WrongDenom { expected: String, got: String },
    /// A zero amount where a positive one is required.
    #[error("{what} must be greater than zero")]
    ZeroAmount { what: &'static str },
    /// An account with this owner and dseq already exists.
    #[error("account {owner}/{dseq} already exists")]
    AccountExists { owner: Addr, dseq: u64 },
    /// No such account.
    #[error("account {owner}/{dseq} not found")]
    AccountNotFound { owner: Addr, dseq: u64 },
    /// The account is closed; nothing can be added to it.
    #[error("account {owner}/{dseq} is closed")]
    AccountClosed { owner: Addr, dseq: u64 },
    /// The account is overdrawn; only deposits, withdrawals and closes are allowed.
    #[error("account {owner}/{dseq} is overdrawn")]
    AccountOverdrawn { owner: Addr, dseq: u64 },
    /// The overdrawn account's grace window ended; it can only be closed now.
    #[error("account {owner}/{dseq} ran out of funds and its grace window ended at height {grace_until}; close it to refund")]
    GraceExpired {
        owner: Addr,
        dseq: u64,
        grace_until: u64,
    },
    /// No such payment.
    #[error("payment {payment_id} of account {owner}/{dseq} not found")]
    PaymentNotFound {
        owner: Addr,
        dseq: u64,
        payment_id: u64,
    },
    /// The payment is closed.
    #[error("payment {payment_id} is closed")]
    PaymentClosed { payment_id: u64 },
    /// Too many open payments on one account (keeps settlement bounded).
    #[error("deposit of {amount}{denom} is below the minimum of {min}{denom}")]
    DepositBelowMinimum {
        amount: Uint256,
        min: Uint256,
        denom: String,
    },

    #[error("account already has the maximum of {max} live deposits; only its owner may add more")]
    TooManyDeposits { max: u32 },

    #[error("account already has the maximum of {max} open payments")]
    TooManyPayments { max: u32 },
    /// Sender may not do this.
    #[error("unauthorized: {reason}")]
    Unauthorized { reason: String },
    /// Deposit sources could not cover the requested amount.
    #[error("deposit sources cover {covered} of {requested}")]
    InsufficientSources {
        requested: Uint256,
        covered: Uint256,
    },
    /// The same source listed twice.
    #[error("deposit source listed twice: {source_name}")]
    DuplicateSource { source_name: String },
    /// No allowance from granter to grantee in this denom.
    #[error("no allowance from {granter} to {grantee} in {denom}")]
    AllowanceNotFound {
        granter: Addr,
        grantee: Addr,
        denom: String,
    },
    /// The allowance expired.
    #[error("allowance from {granter} expired at height {expires_at}")]
    AllowanceExpired { granter: Addr, expires_at: u64 },
    /// The allowance does not cover this account.
    #[error("allowance from {granter} does not cover account {owner}/{dseq}")]
    AllowanceOutOfScope {
        granter: Addr,
        owner: Addr,
        dseq: u64,
    },
    /// Granting to oneself.
    #[error("granter and grantee must differ")]
    SelfGrant,
    /// Invalid configuration value.
    #[error("invalid config: {reason}")]
    InvalidConfig { reason: String },
    /// A height range whose start is after its end.
    #[error("invalid range: from_height {from} is after to_height {to}")]
    InvalidRange { from: u64, to: u64 },
    /// A payment rate above what settlement can charge without overflow.
    #[error("rate {rate} per block is above the maximum of {max}")]
    RateTooHigh {
        rate: cosmwasm_std::Decimal256,
        max: cosmwasm_std::Decimal256,
    },
    /// A GPU model name that is empty or too long.
    #[error("invalid resources: {reason}")]
    InvalidResources { reason: String },
}
