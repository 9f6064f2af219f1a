//! Loaders and checks that execute and query both use (neither imports the other).

use cosmwasm_std::{Addr, Api, Storage};

use crate::error::ContractError;
use crate::msg::{Pilot, PilotStatus};
use crate::state::PILOTS;

/// A validated address, or the typed error.
pub fn addr(api: &dyn Api, raw: &str) -> Result<Addr, ContractError> {
    Ok(api.addr_validate(raw)?)
}

/// Loads a pilot.
pub fn load_pilot(storage: &dyn Storage, pilot_id: u64) -> Result<Pilot, ContractError> {
    PILOTS
        .may_load(storage, pilot_id)?
        .ok_or(ContractError::PilotNotFound { pilot_id })
}

/// Loads a pilot that is still active.
pub fn load_active(storage: &dyn Storage, pilot_id: u64) -> Result<Pilot, ContractError> {
    let pilot = load_pilot(storage, pilot_id)?;
    if pilot.status != PilotStatus::Active {
        return Err(ContractError::PilotClosed { pilot_id });
    }
    Ok(pilot)
}
