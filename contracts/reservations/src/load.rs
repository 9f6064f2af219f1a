//! Loaders with typed not-found errors, shared by execute and query (the floor below both).

use cosmwasm_std::{Addr, Api, Storage};

use crate::error::ContractError;
use crate::msg::{Config, Host, Reservation};
use crate::state::{CONFIG, HOSTS, RESERVATIONS};

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
