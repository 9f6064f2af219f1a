//! Authority-only messages: configuration, auditors (handover and pause are
//! `supercloud_std::governance`'s).

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use supercloud_events::reservations::{self as ev, ReservationsEvent};
use supercloud_events::CatalogEvent;
use supercloud_std::governance as shared;
use supercloud_std::{validate_denom, Authority, ACT_DENOM};

use crate::error::ContractError;
use crate::load::addr;
use crate::msg::{Config, ConfigUpdate};
use crate::state::{Auditor, AUDITORS, CONFIG};

/// Longest unbonding period: 365 days.
pub const MAX_UNBONDING_S: u64 = 365 * 86_400;
/// Longest confirmation window: 30 days.
pub const MAX_CONFIRM_WINDOW_S: u64 = 30 * 86_400;
/// Longest attestation validity: 2 years.
pub const MAX_ATTESTATION_VALIDITY_S: u64 = 2 * 365 * 86_400;

/// Checks configuration values.
pub fn validate_config(config: &Config) -> Result<(), ContractError> {
    let invalid = |reason| ContractError::InvalidConfig { reason };
    for (i, denom) in config.native_denoms.iter().enumerate() {
        validate_denom(denom)?;
        if denom == ACT_DENOM {
            return Err(invalid("uact is the ACT ledger denom, not a native denom"));
        }
        if config.native_denoms[..i].contains(denom) {
            return Err(invalid("duplicate native denom"));
        }
    }
    validate_denom(&config.bond_denom)?;
    if config.bond_denom == ACT_DENOM {
        return Err(invalid("bonds are posted in a native denom"));
    }
    if config.unbonding_period_s > MAX_UNBONDING_S {
        return Err(invalid("unbonding_period_s must be at most 365 days"));
    }
    if !(1..=MAX_CONFIRM_WINDOW_S).contains(&config.confirm_window_s) {
        return Err(invalid("confirm_window_s must be 1 s to 30 days"));
    }
    if config.cancel_fee_bps > 10_000 {
        return Err(invalid("cancel_fee_bps must be at most 10000"));
    }
    if !(1..=MAX_ATTESTATION_VALIDITY_S).contains(&config.max_attestation_validity_s) {
        return Err(invalid("max_attestation_validity_s must be 1 s to 2 years"));
    }
    Ok(())
}

/// Applies a partial configuration update.
pub fn update_config(
    deps: DepsMut,
    info: &MessageInfo,
    update: ConfigUpdate,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    let mut config = CONFIG.load(deps.storage)?;
    if let Some(denoms) = update.native_denoms {
        config.native_denoms = denoms;
    }
    if let Some(ledger) = update.act_ledger {
        config.act_ledger = Some(addr(deps.api, &ledger)?);
    }
    if let Some(v) = update.unbonding_period_s {
        config.unbonding_period_s = v;
    }
    if let Some(v) = update.confirm_window_s {
        config.confirm_window_s = v;
    }
    if let Some(v) = update.cancel_fee_bps {
        config.cancel_fee_bps = v;
    }
    if let Some(r) = update.slash_recipient {
        config.slash_recipient = addr(deps.api, &r)?;
    }
    if let Some(v) = update.max_attestation_validity_s {
        config.max_attestation_validity_s = v;
    }
    validate_config(&config)?;
    CONFIG.save(deps.storage, &config)?;
    shared::config_updated::<ReservationsEvent, _, _>(&info.sender, &config)
}

/// Appoints an auditor.
pub fn appoint_auditor(
    deps: DepsMut,
    env: &Env,
    info: &MessageInfo,
    auditor: String,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    let auditor = addr(deps.api, &auditor)?;
    if AUDITORS.has(deps.storage, &auditor) {
        return Err(ContractError::AuditorExists {
            address: auditor.to_string(),
        });
    }
    AUDITORS.save(
        deps.storage,
        &auditor,
        &Auditor {
            appointed_at: env.block.time.seconds(),
        },
    )?;
    Ok(Response::new().add_event(
        ev::AuditorAppointed {
            authority: info.sender.clone(),
            auditor,
        }
        .to_event(),
    ))
}

/// Removes an auditor; attestations it recorded stay until they expire or are revoked.
pub fn remove_auditor(
    deps: DepsMut,
    info: &MessageInfo,
    auditor: String,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    let auditor = addr(deps.api, &auditor)?;
    if !AUDITORS.has(deps.storage, &auditor) {
        return Err(ContractError::NotAuditor {
            address: auditor.to_string(),
        });
    }
    AUDITORS.remove(deps.storage, &auditor);
    Ok(Response::new().add_event(
        ev::AuditorRemoved {
            authority: info.sender.clone(),
            auditor,
        }
        .to_event(),
    ))
}
