//! Every way a reservations message can be refused.

use cosmwasm_std::{StdError, Uint256};
use supercloud_std::{ActError, AuthorityError, DenomError, MigrateError, PauseError};
use thiserror::Error;

/// A typed reservations error; nothing changes when one is returned.
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
    #[error("arithmetic overflow: {0}")]
    Overflow(String),
    /// Sender may not do this.
    #[error("unauthorized: {reason}")]
    Unauthorized { reason: String },
    /// Invalid configuration value.
    #[error("invalid config: {reason}")]
    InvalidConfig { reason: String },
    /// A host description that breaks a rule.
    #[error("invalid host: {reason}")]
    InvalidHost { reason: String },
    /// The denom is not accepted for prices.
    #[error("denom {denom} is not accepted")]
    DenomNotAllowed { denom: String },
    /// Funds in a denom different from the one required.
    #[error("wrong denom: expected {expected}, got {got}")]
    WrongDenom { expected: String, got: String },
    /// A zero amount where a positive one is required.
    #[error("{what} must be greater than zero")]
    ZeroAmount { what: &'static str },
    /// The prepaid amount is not exactly the price of the term.
    #[error("wrong payment: the term costs exactly {expected} {denom}, got {got}")]
    WrongAmount {
        expected: Uint256,
        got: Uint256,
        denom: String,
    },
    /// A host with this id is already registered by the provider.
    #[error("host {host_id} already registered")]
    HostExists { host_id: String },
    /// No such host.
    #[error("host {provider}/{host_id} not found")]
    HostNotFound { provider: String, host_id: String },
    /// The host does not take new reservations.
    #[error("host {host_id} is deactivated")]
    HostInactive { host_id: String },
    /// The address is not an appointed auditor.
    #[error("{address} is not an auditor")]
    NotAuditor { address: String },
    /// The address is already an auditor.
    #[error("{address} is already an auditor")]
    AuditorExists { address: String },
    /// An attestation that breaks a rule.
    #[error("invalid attestation: {reason}")]
    InvalidAttestation { reason: String },
    /// No attestation recorded for the host.
    #[error("host {host_id} has no attestation")]
    NoAttestation { host_id: String },
    /// The reservation needs a valid (unexpired) attestation and the host has none.
    #[error("host {host_id} has no valid attestation")]
    NotAttested { host_id: String },
    /// A term outside the allowed range, in the past, or misordered.
    #[error("invalid term: {reason}")]
    InvalidTerm { reason: String },
    /// The term overlaps a live reservation on the host.
    #[error("term overlaps reservation {id} [{start}, {end}) on this host")]
    Overlap { id: u64, start: u64, end: u64 },
    /// No such reservation.
    #[error("reservation {id} not found")]
    ReservationNotFound { id: u64 },
    /// The reservation is not in a state that allows this.
    #[error("reservation {id} is {status}: {action} not allowed")]
    WrongStatus {
        id: u64,
        status: String,
        action: &'static str,
    },
    /// The confirmation deadline passed.
    #[error("reservation {id}: confirmation deadline {deadline} passed")]
    ConfirmDeadlinePassed { id: u64, deadline: u64 },
    /// Too early for this action.
    #[error("too early: {reason}")]
    TooEarly { reason: String },
    /// Bond rule broken.
    #[error("bond: {reason}")]
    Bond { reason: String },
    /// A range whose start is after its end.
    #[error("invalid range: from {from} is after to {to}")]
    InvalidRange { from: u64, to: u64 },
    /// A free-text field that is too long.
    #[error("{what} is longer than {max} bytes")]
    TooLong { what: &'static str, max: usize },
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
