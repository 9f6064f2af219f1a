//! Governance: limits, pause and authority handover.

use cosmwasm_std::{to_json_string, DepsMut, MessageInfo, Response};
use supercloud_events::oracle::{ConfigUpdated, OracleEvent, PauseChanged};
use supercloud_events::CatalogEvent;
use supercloud_std::{Authority, AuthorityMsg, Paused};

use crate::error::ContractError;
use crate::state::LIMITS;
use crate::validate;

/// Limits to change; `None` keeps the current value.
#[derive(Default)]
pub struct LimitsUpdate {
    pub max_staleness_s: Option<u64>,
    pub max_conf_bps: Option<u32>,
    pub max_future_drift_s: Option<u64>,
    pub twap_window_s: Option<u64>,
    pub max_deviation_bps: Option<u32>,
    pub min_sources: Option<u32>,
}

/// Authority only: changes the given limits after validating the result. Stored health is not
/// recomputed here (that would touch every pair); each pair's next refresh or push does it, and
/// the `health` and `price` queries always use the current limits.
pub fn update_config(
    deps: DepsMut,
    info: MessageInfo,
    update: LimitsUpdate,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    let mut limits = LIMITS.load(deps.storage)?;
    let mut changed = false;
    let mut set = |field: &mut u64, value: Option<u64>| {
        if let Some(v) = value {
            *field = v;
            changed = true;
        }
    };
    set(&mut limits.max_staleness_s, update.max_staleness_s);
    set(&mut limits.max_future_drift_s, update.max_future_drift_s);
    set(&mut limits.twap_window_s, update.twap_window_s);
    let mut set32 = |field: &mut u32, value: Option<u32>| {
        if let Some(v) = value {
            *field = v;
            changed = true;
        }
    };
    set32(&mut limits.max_conf_bps, update.max_conf_bps);
    set32(&mut limits.max_deviation_bps, update.max_deviation_bps);
    set32(&mut limits.min_sources, update.min_sources);
    if !changed {
        return Err(ContractError::EmptyUpdate);
    }
    validate::limits(&limits)?;
    LIMITS.save(deps.storage, &limits)?;
    let ev = ConfigUpdated {
        authority: info.sender,
        config: to_json_string(&limits)?,
    };
    Ok(Response::new().add_event(ev.to_event()))
}

/// Authority only: sets the pause flag.
pub fn set_paused(
    deps: DepsMut,
    info: MessageInfo,
    paused: bool,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    Paused::set(deps.storage, paused)?;
    let ev = PauseChanged {
        authority: info.sender,
        paused,
    };
    Ok(Response::new().add_event(ev.to_event()))
}

/// Two-step authority handover.
pub fn authority(
    deps: DepsMut,
    info: MessageInfo,
    msg: AuthorityMsg,
) -> Result<Response, ContractError> {
    let change = Authority::execute(deps.storage, deps.api, &info.sender, msg)?;
    Ok(Response::new().add_event(OracleEvent::from(change).to_event()))
}
