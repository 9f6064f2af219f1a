//! A pair as both the write and the read side see it: block time, the TWAP window, the loaders
//! and the evaluation at a block time. `execute` and `query` both build on this module; neither
//! imports the other.

use cosmwasm_std::{Env, Storage};

use crate::aggregate::{self, Evaluation, SourceInput};
use crate::error::ContractError;
use crate::msg::Limits;
use crate::state::{pair_sources, window_observations, PairState, PAIRS};

/// Block time in unix seconds as Pyth's signed type.
pub fn block_time(env: &Env) -> Result<i64, ContractError> {
    i64::try_from(env.block.time.seconds())
        .map_err(|_| ContractError::OutOfRange { what: "block time" })
}

/// The start of the TWAP window ending at `now`.
pub fn window_start(limits: &Limits, now: i64) -> Result<i64, ContractError> {
    let window = i64::try_from(limits.twap_window_s)
        .map_err(|_| ContractError::OutOfRange { what: "window" })?;
    now.checked_sub(window)
        .ok_or(ContractError::OutOfRange { what: "time" })
}

/// The stored pair, or `UnknownPair`.
pub fn load(storage: &dyn Storage, pair: &str) -> Result<PairState, ContractError> {
    PAIRS
        .may_load(storage, pair)?
        .ok_or_else(|| ContractError::UnknownPair {
            pair: pair.to_string(),
        })
}

/// What [`aggregate::evaluate`] needs for every source of `pair` (at most 8, each reading at
/// most the ring capacity).
pub fn inputs(
    storage: &dyn Storage,
    pair: &str,
    window_start: i64,
) -> Result<Vec<SourceInput>, ContractError> {
    pair_sources(storage, pair)?
        .into_iter()
        .map(|(id, source)| {
            let window = window_observations(storage, pair, &id, &source, window_start)?;
            Ok(SourceInput {
                source: id,
                latest: source.latest,
                last_rejection: source.last_rejection,
                window,
            })
        })
        .collect()
}

/// The evaluation of `pair` at block time `now` under `limits`.
pub fn evaluate(
    storage: &dyn Storage,
    limits: &Limits,
    now: i64,
    pair: &str,
) -> Result<Evaluation, ContractError> {
    let inputs = inputs(storage, pair, window_start(limits, now)?)?;
    aggregate::evaluate(limits, now, &inputs)
}
