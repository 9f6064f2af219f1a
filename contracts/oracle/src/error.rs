//! Errors of the oracle.

use cosmwasm_std::{
    Addr, CheckedFromRatioError, Decimal256RangeExceeded, DivideByZeroError, OverflowError,
    StdError,
};
use supercloud_std::{AuthorityError, MigrateError, PauseError};
use thiserror::Error;

use crate::msg::Health;

/// Everything the oracle can refuse. Observations that fail validation are *not* errors: they are
/// reported per source (see `execute::observe`); errors are kept for malformed or unauthorized
/// calls and for consumers asking for an unhealthy price.
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
    /// Coins were attached to a message that takes none.
    #[error(transparent)]
    Payment(#[from] cw_utils::PaymentError),
    /// Checked arithmetic overflowed.
    #[error(transparent)]
    Overflow(#[from] OverflowError),
    /// Checked division by zero.
    #[error(transparent)]
    DivideByZero(#[from] DivideByZeroError),
    /// Checked decimal division failed.
    #[error(transparent)]
    Ratio(#[from] CheckedFromRatioError),
    /// A decimal outside Decimal256's range.
    #[error(transparent)]
    DecimalRange(#[from] Decimal256RangeExceeded),
    /// A time or count that does not fit the target integer type.
    #[error("value out of range: {what}")]
    OutOfRange { what: &'static str },
    /// A limit outside its allowed range.
    #[error("invalid limit {field} = {value}: must be within [{min}, {max}]")]
    InvalidLimit {
        field: &'static str,
        value: u64,
        min: u64,
        max: u64,
    },
    /// `update_config` without any field.
    #[error("update_config needs at least one field")]
    EmptyUpdate,
    /// A pair name that is not `base/quote` in lowercase letters and digits.
    #[error("invalid pair {pair:?}: expected base/quote, each 1-16 of [a-z0-9]")]
    InvalidPair { pair: String },
    /// A source id outside `[a-z0-9_-]{1,32}` (starting with a letter or digit).
    #[error(
        "invalid source id {source_id:?}: 1-32 of [a-z0-9_-], starting with a letter or digit"
    )]
    InvalidSourceId { source_id: String },
    /// A Pyth feed id that is not 32 bytes of hex.
    #[error("invalid feed id {feed_id:?}: expected 64 hex digits, optionally prefixed with 0x")]
    InvalidFeedId { feed_id: String },
    /// The pair has no sources and was never configured.
    #[error("unknown pair {pair}")]
    UnknownPair { pair: String },
    /// No such source in this pair.
    #[error("unknown source {source_id} for pair {pair}")]
    UnknownSource { pair: String, source_id: String },
    /// A source id already used in this pair.
    #[error("source {source_id} already exists for pair {pair}")]
    DuplicateSource { pair: String, source_id: String },
    /// The same Pyth feed or pusher address twice in one pair (it would count as two sources).
    #[error("pair {pair} already has source {existing} reading the same {what}")]
    DuplicateFeed {
        pair: String,
        existing: String,
        what: &'static str,
    },
    /// The pair already has the maximum number of sources.
    #[error("pair {pair} already has the maximum of {max} sources")]
    TooManySources { pair: String, max: u32 },
    /// Instantiate with more sources than one message may add.
    #[error("at most {max} sources may be given at instantiate")]
    TooManyInitialSources { max: u32 },
    /// `push` from someone other than the source's pusher.
    #[error("unauthorized: only {pusher} may push to source {source_id} of {pair}")]
    NotPusher {
        pair: String,
        source_id: String,
        pusher: Addr,
    },
    /// `push` to a source that is pulled from Pyth.
    #[error("source {source_id} of {pair} is a pyth source; prices arrive through refresh")]
    NotPushSource { pair: String, source_id: String },
    /// The consumer price query on a pair that is not healthy.
    #[error("price for {pair} unavailable: {health}: {reason}")]
    Unavailable {
        pair: String,
        health: Health,
        reason: String,
    },
}
