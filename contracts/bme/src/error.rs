//! Every way a bme message can be refused.

use cosmwasm_std::{
    Addr, ConversionOverflowError, DivideByZeroError, OverflowError, StdError, Uint128,
};
use supercloud_std::{AuthorityError, DenomError, MigrateError, PauseError};
use thiserror::Error;

use crate::msg::{Mode, RequestKind};

/// A typed bme error; nothing changes when one is returned.
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
    /// Attached funds are not what the message needs.
    #[error(transparent)]
    Payment(#[from] cw_utils::PaymentError),
    /// Checked arithmetic overflowed.
    #[error(transparent)]
    Overflow(#[from] OverflowError),
    /// Division by zero in checked arithmetic.
    #[error(transparent)]
    DivideByZero(#[from] DivideByZeroError),
    /// A value does not fit the narrower type it is stored in.
    #[error(transparent)]
    ConversionOverflow(#[from] ConversionOverflowError),
    /// A zero amount where a positive one is required.
    #[error("{what} must be greater than zero")]
    ZeroAmount { what: &'static str },
    /// Not enough ACT in the ledger balance.
    #[error("insufficient ACT: balance {balance} uact, needed {needed} uact")]
    InsufficientAct { balance: Uint128, needed: Uint128 },
    /// `send` to a contract that is not allow-listed.
    #[error("{contract} is not an allow-listed ACT receiver")]
    NotAllowListed { contract: Addr },
    /// `transfer` called by a sender that is not an allow-listed contract.
    #[error("unauthorized: only allow-listed contracts may transfer ACT, not {sender}")]
    TransferNotAllowed { sender: Addr },
    /// The oracle has no healthy price.
    #[error("oracle price unavailable: {reason}")]
    OracleUnhealthy { reason: String },
    /// The circuit breaker forbids this request now.
    #[error("{kind} requests are not accepted in mode {mode}")]
    ModeForbids { kind: RequestKind, mode: Mode },
    /// A mint whose expected ACT is below the minimum (FIX Console #2972: refused up front).
    #[error(
        "mint of {expected} uact at the current price is below the minimum of {min_mint} uact"
    )]
    BelowMinMint {
        expected: Uint128,
        min_mint: Uint128,
    },
    /// A burn below the minimum (FIX: dust burns delayed honest ones by filling the queue).
    #[error("burn of {amount} uact is below the minimum of {min_burn} uact")]
    BelowMinBurn { amount: Uint128, min_burn: Uint128 },
    /// The sender already has as many queued requests as one address may have (FIX issue 23:
    /// one address could flood a queue and push honest requests back without limit).
    #[error(
        "{owner} already has the most queued requests one address may have \
         (max_pending_per_owner = {max_pending_per_owner}); wait until they are processed or \
         request more at once"
    )]
    TooManyPending {
        owner: Addr,
        max_pending_per_owner: u32,
    },
    /// The request would produce nothing at the current price.
    #[error("{what} rounds to zero at the current price")]
    ZeroAfterRounding { what: &'static str },
    /// Invalid parameter or configuration value.
    #[error("invalid params: {reason}")]
    InvalidParams { reason: &'static str },
    /// No request was ever given this id.
    #[error("request {id} not found")]
    UnknownRequest { id: u64 },
}
