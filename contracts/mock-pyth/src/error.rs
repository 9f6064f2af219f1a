//! Errors of mock-pyth.

use cosmwasm_std::{Addr, StdError};
use supercloud_std::{AuthorityError, MigrateError, PauseError};
use thiserror::Error;

/// Everything mock-pyth can refuse.
#[derive(Error, Debug)]
pub enum ContractError {
    /// Storage, serialization or address validation failed.
    #[error(transparent)]
    Std(#[from] StdError),
    /// Authority rules (handover, authority-only actions).
    #[error(transparent)]
    Authority(#[from] AuthorityError),
    /// The contract is paused.
    #[error(transparent)]
    Pause(#[from] PauseError),
    /// Migration refused.
    #[error(transparent)]
    Migrate(#[from] MigrateError),
    /// Only the publisher may set prices.
    #[error("unauthorized: only the publisher {publisher} may set prices")]
    NotPublisher { publisher: Addr },
    /// A feed id that is not 32 bytes of hex.
    #[error("invalid feed id {id:?}: expected 64 hex digits, optionally prefixed with 0x")]
    InvalidFeedId { id: String },
    /// No price was ever set for this feed (a real Pyth contract also errors here).
    #[error("price feed {id} not found")]
    FeedNotFound { id: String },
}
