//! Every way a reservations message can be refused.

use cosmwasm_std::{DivideByZeroError, OverflowError, StdError, Uint256};
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
    /// Checked amount arithmetic overflowed.
    #[error("arithmetic overflow: {0}")]
    Overflow(#[from] OverflowError),
    /// Checked amount arithmetic divided by zero.
    #[error("arithmetic error: {0}")]
    DivideByZero(#[from] DivideByZeroError),
    /// A time or counter (`u64`) overflowed.
    #[error("arithmetic overflow: {what}")]
    CounterOverflow { what: &'static str },
    /// Sender may not do this.
    #[error("unauthorized: {reason}")]
    Unauthorized { reason: &'static str },
    /// Invalid configuration value.
    #[error("invalid config: {reason}")]
    InvalidConfig { reason: &'static str },
    /// A host description that breaks a rule.
    #[error("invalid host: {reason}")]
    InvalidHost { reason: &'static str },
    /// A host description lists an attribute key twice.
    #[error("invalid host: duplicate attribute {key}")]
    DuplicateAttribute { key: String },
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
    InvalidAttestation { reason: &'static str },
    /// An attestation expiry outside `(now, latest]`.
    #[error("invalid attestation: expires_at must be after now ({now}) and at most {latest}")]
    AttestationExpiry { now: u64, latest: u64 },
    /// No attestation recorded for the host.
    #[error("host {host_id} has no attestation")]
    NoAttestation { host_id: String },
    /// The reservation needs a valid (unexpired) attestation and the host has none.
    #[error("host {host_id} has no valid attestation")]
    NotAttested { host_id: String },
    /// A term outside the allowed range, in the past, or misordered.
    #[error("invalid term: {reason}")]
    InvalidTerm { reason: &'static str },
    /// A term that starts before the current block time.
    #[error("invalid term: start {start} is before now {now}")]
    StartInPast { start: u64, now: u64 },
    /// A term shorter than an hour or longer than 365 days.
    #[error("invalid term: term of {len} s is outside 3600..=31536000 (1 hour to 365 days)")]
    TermLength { len: u64 },
    /// A reclamation that would not end before the reservation does.
    #[error("invalid term: reclamation deadline {deadline} is not before the end {end}")]
    ReclaimAfterEnd { deadline: u64, end: u64 },
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
        status: &'static str,
        action: &'static str,
    },
    /// The confirmation deadline passed.
    #[error("reservation {id}: confirmation deadline {deadline} passed")]
    ConfirmDeadlinePassed { id: u64, deadline: u64 },
    /// Too early for this action.
    #[error("too early: {what} at {at}, now {now}")]
    TooEarly {
        what: &'static str,
        at: u64,
        now: u64,
    },
    /// Bond rule broken.
    #[error("bond: {reason}")]
    Bond { reason: &'static str },
    /// A bond withdrawal larger than what is bonded.
    #[error("bond: withdrawal {amount} exceeds bonded {bonded}")]
    WithdrawalExceedsBond { amount: Uint256, bonded: Uint256 },
    /// A slash that names a reservation of another provider.
    #[error("bond: reservation {id} is not with this provider")]
    SlashOtherProvider { id: u64 },
    /// A range whose start is after its end.
    #[error("invalid range: from {from} is after to {to}")]
    InvalidRange { from: u64, to: u64 },
    /// A free-text field that is too long.
    #[error("{what} is longer than {max} bytes")]
    TooLong { what: &'static str, max: usize },
}
