//! Entry points: validate, then dispatch to `execute::*` and `query::*`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response};
use supercloud_events::pip::PipEvent;
use supercloud_std::governance as shared;
use supercloud_std::Authority;

use crate::error::ContractError;
use crate::execute::{enrollment, governance, pilot, settle};
use crate::load::addr;
use crate::msg::{
    Config, EnrollmentRef, ExecuteMsg, InstantiateMsg, MigrateMsg, PilotRef, QueryMsg,
};
use crate::query;
use crate::state::CONFIG;

/// cw2 contract name.
pub const CONTRACT_NAME: &str = "crates.io:pip";
/// cw2 contract version (the crate version).
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Default oracle pair.
pub const DEFAULT_PAIR: &str = "akt/usd";
/// Default grace after a pilot's end before finalize ignores unsettled epochs (~7 days of 6 s blocks).
pub const DEFAULT_SETTLE_GRACE_BLOCKS: u64 = 100_800;

/// Stores authority and configuration.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let InstantiateMsg {
        authority,
        escrow,
        oracle,
        oracle_pair,
        reservations,
        community_pool_allowed,
        default_return_address,
        settle_grace_blocks,
    } = msg;
    let authority = addr(deps.api, &authority)?;
    let config = Config {
        escrow: addr(deps.api, &escrow)?,
        oracle: addr(deps.api, &oracle)?,
        oracle_pair: oracle_pair.unwrap_or_else(|| DEFAULT_PAIR.to_string()),
        reservations: reservations.map(|r| addr(deps.api, &r)).transpose()?,
        community_pool_allowed: community_pool_allowed.unwrap_or(false),
        default_return_address: addr(deps.api, &default_return_address)?,
        settle_grace_blocks: settle_grace_blocks.unwrap_or(DEFAULT_SETTLE_GRACE_BLOCKS),
    };
    governance::validate_config(&config)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Authority::init(deps.storage, authority.clone())?;
    CONFIG.save(deps.storage, &config)?;
    shared::instantiated::<PipEvent, _, _>(authority, CONTRACT_VERSION, &config)
}

/// Dispatches execute messages.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    if !matches!(msg, ExecuteMsg::CreatePilot(_)) {
        cw_utils::nonpayable(&info)?;
    }
    match msg {
        ExecuteMsg::CreatePilot(new) => {
            let coin = cw_utils::one_coin(&info)?;
            pilot::create(deps, &env, &info.sender, new, coin.denom, coin.amount)
        }
        ExecuteMsg::Enroll(PilotRef { pilot_id }) => {
            enrollment::request(deps, &env, info.sender, pilot_id)
        }
        ExecuteMsg::Approve(EnrollmentRef { pilot_id, provider }) => {
            let provider = addr(deps.api, &provider)?;
            enrollment::approve(deps, &env, &info.sender, pilot_id, provider, false)
        }
        ExecuteMsg::EnrollProvider(EnrollmentRef { pilot_id, provider }) => {
            let provider = addr(deps.api, &provider)?;
            enrollment::approve(deps, &env, &info.sender, pilot_id, provider, true)
        }
        ExecuteMsg::WithdrawEnrollment(PilotRef { pilot_id }) => {
            let provider = info.sender.clone();
            enrollment::end(deps, &info.sender, pilot_id, provider)
        }
        ExecuteMsg::RemoveProvider(EnrollmentRef { pilot_id, provider }) => {
            let provider = addr(deps.api, &provider)?;
            enrollment::end(deps, &info.sender, pilot_id, provider)
        }
        ExecuteMsg::SettleEpoch {
            pilot_id,
            epoch,
            limit,
        } => settle::settle_epoch(deps, &env, pilot_id, epoch, limit),
        ExecuteMsg::Finalize(PilotRef { pilot_id }) => {
            pilot::finalize(deps, &env, &info.sender, pilot_id)
        }
        ExecuteMsg::Cancel(PilotRef { pilot_id }) => {
            pilot::cancel(deps, &env, &info.sender, pilot_id)
        }
        ExecuteMsg::Authority(msg) => {
            shared::handover::<PipEvent, _>(deps.storage, deps.api, &info.sender, msg)
        }
        ExecuteMsg::SetPaused { paused } => {
            shared::set_paused::<PipEvent, _>(deps.storage, &info.sender, paused)
        }
        ExecuteMsg::UpdateConfig(update) => governance::update_config(deps, &info, update),
    }
}

/// Dispatches queries.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?)?,
        QueryMsg::Pilots { start_after, limit } => {
            to_json_binary(&query::pilots(deps, start_after, limit)?)?
        }
        QueryMsg::Pilot(PilotRef { pilot_id }) => to_json_binary(&query::pilot(deps, pilot_id)?)?,
        QueryMsg::Enrollments {
            pilot_id,
            start_after,
            limit,
        } => to_json_binary(&query::enrollments(deps, pilot_id, start_after, limit)?)?,
        QueryMsg::EpochResults {
            pilot_id,
            epoch,
            start_after,
            limit,
        } => to_json_binary(&query::epoch_results(
            deps,
            pilot_id,
            epoch,
            start_after,
            limit,
        )?)?,
        QueryMsg::RemainingBudget(PilotRef { pilot_id }) => {
            to_json_binary(&query::remaining_budget(deps, pilot_id)?)?
        }
        QueryMsg::PayoutsByProvider {
            provider,
            start_after,
            limit,
        } => to_json_binary(&query::payouts_by_provider(
            deps,
            &provider,
            start_after,
            limit,
        )?)?,
    })
}

/// Versioned migration: refuses other contracts, downgrades and replays.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    shared::migrate::<PipEvent, _>(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)
}

#[cfg(test)]
#[path = "contract_tests.rs"]
mod tests;
