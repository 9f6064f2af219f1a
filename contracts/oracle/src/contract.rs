//! Entry points: thin wrappers that dispatch to `execute` and `query`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};
use supercloud_events::oracle::OracleEvent;
use supercloud_events::CatalogEvent;
use supercloud_std::governance as shared;
use supercloud_std::Authority;

use crate::aggregate::RawPrice;
use crate::error::ContractError;
use crate::execute::{admin, observe, reevaluate, sources};
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use crate::state::{LIMITS, MAX_INITIAL_SOURCES, PAIRS};
use crate::{query, validate, CONTRACT_NAME, CONTRACT_VERSION};

/// Stores authority and limits (defaults when omitted) and adds the initial sources; emits
/// `instantiated`, one `source_added` per source and the first `health_changed` and
/// `price_aggregated` of each pair.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    // The oracle holds no funds: coins sent along would be stuck.
    cw_utils::nonpayable(&info)?;
    let authority = deps.api.addr_validate(&msg.authority)?;
    let limits = msg.limits.unwrap_or_default();
    validate::limits(&limits)?;
    if msg.sources.len() > MAX_INITIAL_SOURCES as usize {
        return Err(ContractError::TooManyInitialSources {
            max: MAX_INITIAL_SOURCES,
        });
    }
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Authority::init(deps.storage, authority.clone())?;
    LIMITS.save(deps.storage, &limits)?;
    let mut response = shared::instantiated::<OracleEvent, _, ContractError>(
        authority,
        CONTRACT_VERSION,
        &limits,
    )?;
    let mut pairs: Vec<String> = Vec::new();
    for source in msg.sources {
        let (ev, _) = sources::add(&mut deps, &source.pair, &source.source, source.kind)?;
        response = response.add_event(ev.to_event());
        if !pairs.contains(&source.pair) {
            pairs.push(source.pair);
        }
    }
    for pair in pairs {
        let state = PAIRS.load(deps.storage, &pair)?;
        response = response.add_events(reevaluate(deps.storage, &env, &limits, &pair, state)?);
    }
    Ok(response)
}

/// Dispatches state-changing messages.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    match msg {
        ExecuteMsg::Refresh { pair } => observe::refresh(deps, env, info, pair),
        ExecuteMsg::Push {
            pair,
            source,
            price,
            conf,
            expo,
            publish_time,
        } => {
            let raw = RawPrice {
                price: price.i64(),
                conf: conf.u64(),
                expo,
                publish_time,
            };
            observe::push(deps, env, info, pair, source, raw)
        }
        ExecuteMsg::AddSource { pair, source, kind } => {
            sources::add_source(deps, env, info, pair, source, kind)
        }
        ExecuteMsg::RemoveSource { pair, source } => {
            sources::remove_source(deps, env, info, pair, source)
        }
        ExecuteMsg::UpdateConfig {
            max_staleness_s,
            max_conf_bps,
            max_future_drift_s,
            twap_window_s,
            max_deviation_bps,
            min_sources,
        } => admin::update_config(
            deps,
            info,
            admin::LimitsUpdate {
                max_staleness_s,
                max_conf_bps,
                max_future_drift_s,
                twap_window_s,
                max_deviation_bps,
                min_sources,
            },
        ),
        ExecuteMsg::SetPaused { paused } => {
            shared::set_paused::<OracleEvent, _>(deps.storage, &info.sender, paused)
        }
        ExecuteMsg::Authority(msg) => {
            shared::handover::<OracleEvent, _>(deps.storage, deps.api, &info.sender, msg)
        }
    }
}

/// Answers queries. `price` errors when the pair is not healthy.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    query::query(deps, env, msg)
}

/// Versioned migration: refuses another contract, a downgrade and a replay.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    shared::migrate::<OracleEvent, _>(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)
}
