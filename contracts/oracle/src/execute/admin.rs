//! Governance: limits (pause and authority handover are `supercloud_std::governance`'s).

use cosmwasm_std::{DepsMut, MessageInfo, Response};
use supercloud_events::oracle::OracleEvent;
use supercloud_std::governance as shared;
use supercloud_std::Authority;

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
/// recomputed here (that would touch every pair, and pairs are not bounded); each pair's next
/// refresh or push does it and emits `health_changed` / `price_aggregated` then, while the
/// `health` and `price` queries always use the current limits.
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
    shared::config_updated::<OracleEvent, _, _>(&info.sender, &limits)
}
