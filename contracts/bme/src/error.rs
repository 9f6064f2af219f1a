//! Every way a bme message can be refused.

use cosmwasm_std::{Addr, StdError, Uint128};
use supercloud_std::{AuthorityError, DenomError, MigrateError, PauseError};
use thiserror::Error;

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
    #[error("arithmetic overflow: {0}")]
    Overflow(String),
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
    ModeForbids { kind: &'static str, mode: String },
    /// A mint whose expected ACT is below the minimum (FIX Console #2972: refused up front).
    #[error(
        "mint of {expected} uact at the current price is below the minimum of {min_mint} uact"
    )]
    BelowMinMint {
        expected: Uint128,
        min_mint: Uint128,
    },
    /// The request would produce nothing at the current price.
    #[error("{what} rounds to zero at the current price")]
    ZeroAfterRounding { what: &'static str },
    /// Invalid parameter or configuration value.
    #[error("invalid params: {reason}")]
    InvalidParams { reason: String },
    /// No such request or record.
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: u64 },
}

impl From<cosmwasm_std::OverflowError> for ContractError {
    fn from(e: cosmwasm_std::OverflowError) -> Self {
        ContractError::Overflow(e.to_string())
    }
}

impl From<cosmwasm_std::DivideByZeroError> for ContractError {
    fn from(e: cosmwasm_std::DivideByZeroError) -> Self {
        ContractError::Overflow(e.to_string())
    }
}

impl From<cosmwasm_std::ConversionOverflowError> for ContractError {
    fn from(e: cosmwasm_std::ConversionOverflowError) -> Self {
        ContractError::Overflow(e.to_string())
    }
}

impl From<cosmwasm_std::CheckedMultiplyRatioError> for ContractError {
    fn from(e: cosmwasm_std::CheckedMultiplyRatioError) -> Self {
        ContractError::Overflow(e.to_string())
    }
}
