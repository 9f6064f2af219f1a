//! Every way a pip message can be refused.

use cosmwasm_std::{Addr, StdError};
use supercloud_std::{AuthorityError, MigrateError, PauseError};
use thiserror::Error;

/// A typed pip error; nothing changes when one is returned.
#[derive(Error, Debug)]
pub enum ContractError {
    /// Storage, serialization, address validation or a failed cross-contract query.
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
    /// Attached funds are not what the message needs.
    #[error(transparent)]
    Payment(#[from] cw_utils::PaymentError),
    /// Checked arithmetic overflowed.
    #[error(transparent)]
    Overflow(#[from] cosmwasm_std::OverflowError),
    /// A division by zero in checked arithmetic.
    #[error(transparent)]
    DivideByZero(#[from] cosmwasm_std::DivideByZeroError),
    /// A ratio could not be formed (division by zero or overflow).
    #[error(transparent)]
    Ratio(#[from] cosmwasm_std::CheckedFromRatioError),
    /// A product with a ratio overflowed or divided by zero.
    #[error(transparent)]
    MultiplyRatio(#[from] cosmwasm_std::CheckedMultiplyRatioError),
    /// A counter or height reached the end of its range.
    #[error("{what} is out of range")]
    OutOfRange { what: &'static str },
    /// Only the authority or the pilot's admin manages its enrollments.
    #[error("unauthorized: only the authority or the admin of pilot {pilot_id} may do this")]
    NotManager { pilot_id: u64 },
    /// Invalid pilot parameters.
    #[error("invalid pilot: {reason}")]
    InvalidPilot { reason: String },
    /// Invalid configuration value.
    #[error("invalid config: {reason}")]
    InvalidConfig { reason: String },
    /// No such pilot.
    #[error("pilot {pilot_id} not found")]
    PilotNotFound { pilot_id: u64 },
    /// The pilot was finalized or cancelled.
    #[error("pilot {pilot_id} is closed")]
    PilotClosed { pilot_id: u64 },
    /// Enrollment is only open until the pilot ends.
    #[error("pilot {pilot_id} ended at height {end}; enrollment is closed")]
    EnrollmentClosed { pilot_id: u64, end: u64 },
    /// The provider already has a request or an enrollment.
    #[error("{provider} is already enrolled or has a pending request in pilot {pilot_id}")]
    AlreadyEnrolled { pilot_id: u64, provider: Addr },
    /// No enrollment or request of this provider.
    #[error("{provider} has no enrollment in pilot {pilot_id}")]
    NotEnrolled { pilot_id: u64, provider: Addr },
    /// Epochs settle in order, one at a time.
    #[error(
        "pilot {pilot_id}: epoch {requested} cannot be settled; the next epoch to settle is {next}"
    )]
    WrongEpoch {
        pilot_id: u64,
        requested: u32,
        next: u32,
    },
    /// Every epoch of the pilot is settled.
    #[error("pilot {pilot_id} has no epoch {epoch} (it has {epochs})")]
    NoSuchEpoch {
        pilot_id: u64,
        epoch: u32,
        epochs: u32,
    },
    /// The epoch's last height is not behind us yet.
    #[error("epoch ends at height {ends_at}; settle it from height {settle_from}")]
    EpochNotOver { ends_at: u64, settle_from: u64 },
    /// Finalize before the pilot's end, or before its last epochs were settled or their grace ran out.
    #[error("pilot {pilot_id} cannot be finalized before height {from_height}")]
    TooEarlyToFinalize { pilot_id: u64, from_height: u64 },
    /// The oracle gave no usable price (committed kind waits for it; finalize still works).
    #[error("oracle price unavailable: {reason}")]
    PriceUnavailable { reason: String },
}
