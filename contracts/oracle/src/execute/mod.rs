//! State-changing actions: observations (`refresh`, `push`), sources, and governance.

pub mod admin;
pub mod observe;
pub mod sources;

use cosmwasm_std::{Env, Event, Storage};
use supercloud_events::oracle::{HealthChanged, PriceAggregated};
use supercloud_events::CatalogEvent;

use crate::error::ContractError;
use crate::msg::Limits;
use crate::pair::{block_time, evaluate};
use crate::state::{PairState, PAIRS};

/// Re-evaluates `pair` at the block time, saves `state` and returns the events of what changed:
/// `health_changed` when the health differs from the stored one, then `price_aggregated` when
/// `(health, price in force)` differs from the last one announced. (Queries cannot write, so
/// changes are recorded by the next execute that touches the pair: refresh, push, add or remove
/// source.)
pub fn reevaluate(
    storage: &mut dyn Storage,
    env: &Env,
    limits: &Limits,
    pair: &str,
    mut state: PairState,
) -> Result<Vec<Event>, ContractError> {
    let evaluation = evaluate(storage, limits, block_time(env)?, pair)?;
    let health = evaluation.health;
    let price = evaluation.price_in_force();
    let announce = (state.health, state.price) != (Some(health), price);
    let mut events = Vec::new();
    if state.health != Some(health) {
        let ev = HealthChanged {
            pair: pair.to_string(),
            from: state.health,
            to: health,
            reason: evaluation.reason.clone(),
        };
        events.push(ev.to_event());
        state.reason = evaluation.reason;
    }
    if announce {
        let left_out = evaluation
            .left_out
            .iter()
            .map(|l| l.source.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let ev = PriceAggregated {
            pair: pair.to_string(),
            price,
            health,
            sources_used: if price.is_some() {
                evaluation.sources_used
            } else {
                0
            },
            left_out: (!left_out.is_empty()).then_some(left_out),
            height: env.block.height,
            time: env.block.time.seconds(),
        };
        events.push(ev.to_event());
    }
    state.health = Some(health);
    state.price = price;
    PAIRS.save(storage, pair, &state)?;
    Ok(events)
}
