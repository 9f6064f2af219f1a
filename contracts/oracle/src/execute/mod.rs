//! State-changing actions: observations (`refresh`, `push`), sources, and governance.

pub mod admin;
pub mod observe;
pub mod sources;

use cosmwasm_std::{Env, Storage};
use supercloud_events::oracle::HealthChanged;

use crate::aggregate::evaluate;
use crate::error::ContractError;
use crate::msg::Limits;
use crate::state::{pair_inputs, PairState, PAIRS};

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

/// Re-evaluates `pair` at `now`, saves `state` and returns the `health_changed` event when the
/// health differs from the stored one. (Queries cannot write, so transitions are recorded by the
/// next execute that touches the pair: refresh, push, add or remove source.)
pub fn reevaluate(
    storage: &mut dyn Storage,
    limits: &Limits,
    now: i64,
    pair: &str,
    mut state: PairState,
) -> Result<Option<HealthChanged>, ContractError> {
    let inputs = pair_inputs(storage, pair, window_start(limits, now)?)?;
    let evaluation = evaluate(limits, now, &inputs)?;
    let changed = state.health != Some(evaluation.health);
    let event = changed.then(|| HealthChanged {
        pair: pair.to_string(),
        from: state.health.map_or("unknown", |h| h.as_str()).to_string(),
        to: evaluation.health.as_str().to_string(),
        reason: evaluation.reason.clone(),
    });
    if changed {
        state.health = Some(evaluation.health);
        state.reason = evaluation.reason;
    }
    PAIRS.save(storage, pair, &state)?;
    Ok(event)
}
