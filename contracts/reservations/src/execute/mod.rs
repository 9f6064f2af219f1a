//! Execute handlers, one file per concern.

pub mod audit;
pub mod bonds;
pub mod governance;
pub mod hosts;
pub mod lifecycle;
pub mod reserve;

use cosmwasm_std::{Addr, Api, Storage};
use supercloud_std::{validate_denom, ACT_DENOM};

use crate::error::ContractError;
use crate::state::{Config, Host, Reservation, CONFIG, HOSTS, RESERVATIONS};

/// Longest free-text reason.
pub const MAX_REASON_LEN: usize = 256;

/// Fails unless `denom` is accepted for host prices.
pub fn assert_denom_allowed(config: &Config, denom: &str) -> Result<(), ContractError> {
    validate_denom(denom)?;
    let allowed = if denom == ACT_DENOM {
        config.act_ledger.is_some()
    } else {
        config.native_denoms.iter().any(|d| d == denom)
    };
    if !allowed {
        return Err(ContractError::DenomNotAllowed {
            denom: denom.to_string(),
        });
    }
    Ok(())
}

/// Loads the configuration.
pub fn config(storage: &dyn Storage) -> Result<Config, ContractError> {
    Ok(CONFIG.load(storage)?)
}

/// A validated address, or the typed error.
pub fn addr(api: &dyn Api, raw: &str) -> Result<Addr, ContractError> {
    Ok(api.addr_validate(raw)?)
}

/// Loads a host or fails with `HostNotFound`.
pub fn load_host(
    storage: &dyn Storage,
    provider: &Addr,
    host_id: &str,
) -> Result<Host, ContractError> {
    HOSTS
        .may_load(storage, (provider, host_id))?
        .ok_or_else(|| ContractError::HostNotFound {
            provider: provider.to_string(),
            host_id: host_id.to_string(),
        })
}

/// Loads a reservation or fails with `ReservationNotFound`.
pub fn load_reservation(storage: &dyn Storage, id: u64) -> Result<Reservation, ContractError> {
    RESERVATIONS
        .may_load(storage, id)?
        .ok_or(ContractError::ReservationNotFound { id })
}

/// Fails when a free-text reason is too long.
pub fn check_reason(reason: &str) -> Result<(), ContractError> {
    if reason.len() > MAX_REASON_LEN {
        return Err(ContractError::TooLong {
            what: "reason",
            max: MAX_REASON_LEN,
        });
    }
    Ok(())
}
