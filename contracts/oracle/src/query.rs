//! Queries. `price` is the consumer interface; everything else is for dashboards and tooling.

use cosmwasm_std::{to_json_binary, Binary, Deps, Env, Order};
use cw_storage_plus::Bound;
use supercloud_std::{page_limit, Authority, Paused};

use crate::aggregate::Evaluation;
use crate::error::ContractError;
use crate::msg::{
    ConfigResponse, Health, HealthResponse, ObservationsResponse, PairInfo, PairsResponse,
    PriceResponse, QueryMsg, SourceInfo, SourcesResponse,
};
use crate::pair::{self, block_time};
use crate::state::{
    oldest_seq, slot, LIMITS, MAX_SOURCES_PER_PAIR, OBSERVATIONS, OBSERVATION_CAPACITY, PAIRS,
    SOURCES,
};

/// Dispatches a query.
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Price { pair } => to_json_binary(&price(deps, &env, pair)?)?,
        QueryMsg::Health { pair } => to_json_binary(&health(deps, &env, pair)?)?,
        QueryMsg::Config {} => to_json_binary(&config(deps)?)?,
        QueryMsg::Pairs { start_after, limit } => {
            to_json_binary(&pairs(deps, start_after, limit)?)?
        }
        QueryMsg::Sources {
            pair,
            start_after,
            limit,
        } => to_json_binary(&sources(deps, pair, start_after, limit)?)?,
        QueryMsg::Observations {
            pair,
            source,
            start_after,
            limit,
        } => to_json_binary(&observations(deps, pair, source, start_after, limit)?)?,
    })
}

fn evaluate_now(deps: Deps, env: &Env, pair: &str) -> Result<Evaluation, ContractError> {
    let limits = LIMITS.load(deps.storage)?;
    pair::evaluate(deps.storage, &limits, block_time(env)?, pair)
}

/// The consumer price, or `Unavailable` (with health and reason) when the pair is not healthy.
pub fn price(deps: Deps, env: &Env, pair: String) -> Result<PriceResponse, ContractError> {
    pair::load(deps.storage, &pair)?;
    let ev = evaluate_now(deps, env, &pair)?;
    match (ev.health, ev.price, ev.publish_time) {
        (Health::Healthy, Some(price), Some(publish_time)) => Ok(PriceResponse {
            pair,
            price,
            publish_time,
            sources: ev.sources_used,
        }),
        (health, _, _) => Err(ContractError::Unavailable {
            pair,
            health,
            reason: ev.reason,
        }),
    }
}

/// Current health with per-source detail.
pub fn health(deps: Deps, env: &Env, pair: String) -> Result<HealthResponse, ContractError> {
    let state = pair::load(deps.storage, &pair)?;
    let ev = evaluate_now(deps, env, &pair)?;
    Ok(HealthResponse {
        pair,
        health: ev.health,
        reason: ev.reason,
        price: ev.price,
        publish_time: ev.publish_time,
        healthy_sources: ev.healthy_sources,
        sources_used: ev.sources_used,
        left_out: ev.left_out,
        deviation_bps: ev.deviation_bps,
        stored_health: state.health,
        sources: ev.sources,
    })
}

/// Authority, limits and constants.
pub fn config(deps: Deps) -> Result<ConfigResponse, ContractError> {
    let authority = Authority::load(deps.storage)?;
    Ok(ConfigResponse {
        authority: authority.current,
        pending_authority: authority.pending,
        paused: Paused::is_paused(deps.storage)?,
        limits: LIMITS.load(deps.storage)?,
        observation_capacity: OBSERVATION_CAPACITY,
        max_sources_per_pair: MAX_SOURCES_PER_PAIR,
    })
}

/// Pairs in name order after `start_after`.
pub fn pairs(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<PairsResponse, ContractError> {
    let pairs = PAIRS
        .range(
            deps.storage,
            start_after.as_deref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| {
            item.map(|(pair, state)| PairInfo {
                pair,
                sources: state.sources,
                stored_health: state.health,
                stored_reason: state.reason,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PairsResponse { pairs })
}

/// Sources of `pair` in id order after `start_after`, each with its latest observation.
pub fn sources(
    deps: Deps,
    pair: String,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<SourcesResponse, ContractError> {
    pair::load(deps.storage, &pair)?;
    let sources = SOURCES
        .prefix(&pair)
        .range(
            deps.storage,
            start_after.as_deref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| {
            item.map(|(source, s)| SourceInfo {
                pair: pair.clone(),
                source,
                kind: s.kind,
                count: s.count,
                latest: s.latest,
                last_rejection: s.last_rejection,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SourcesResponse { sources })
}

/// Stored observations of one source, newest first, with `seq` below `start_after`.
pub fn observations(
    deps: Deps,
    pair: String,
    source_id: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<ObservationsResponse, ContractError> {
    let source = SOURCES
        .may_load(deps.storage, (&pair, &source_id))?
        .ok_or_else(|| ContractError::UnknownSource {
            pair: pair.clone(),
            source_id: source_id.clone(),
        })?;
    let oldest = oldest_seq(source.count);
    let mut seq = start_after.map_or(source.count, |s| s.min(source.count));
    let mut observations = Vec::new();
    let limit = page_limit(limit);
    while seq > oldest && observations.len() < limit {
        seq = seq.saturating_sub(1);
        if let Some(obs) = OBSERVATIONS.may_load(deps.storage, (&pair, &source_id, slot(seq)?))? {
            observations.push(obs);
        }
    }
    Ok(ObservationsResponse { observations })
}
