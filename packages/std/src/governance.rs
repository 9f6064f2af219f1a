//! The governance plumbing every contract shares: authority handover, pause, migrate and the
//! `instantiated`/`config_updated` events.
//!
//! Each helper is generic over the contract's event enum (`E: GovernanceEvents`, implemented by
//! `supercloud_events::catalogue!`), so a contract names its enum and gets its own
//! `<contract>.<action>` event. Errors stay the shared ones: every helper returns the caller's
//! error type `Err` (inferred as the contract's `ContractError`), which only has to wrap the
//! `AuthorityError`, `PauseError`, `MigrateError` or `StdError` the helper can produce; every
//! `ContractError` already does, with `#[from]`, so messages and variants are unchanged. What a
//! contract validates in its configuration stays in the contract.

use cosmwasm_std::{to_json_string, Addr, Api, Response, StdError, Storage};
use serde::Serialize;
use supercloud_events::GovernanceEvents;

use crate::{
    ensure_upgrade, Authority, AuthorityError, AuthorityMsg, MigrateError, PauseError, Paused,
};

/// Applies one two-step handover message from `sender` and emits
/// `<contract>.authority_proposed`, `_accepted` or `_cancelled`. Refusals are `AuthorityError`s
/// (see [`Authority::execute`]).
pub fn handover<E, Err>(
    storage: &mut dyn Storage,
    api: &dyn Api,
    sender: &Addr,
    msg: AuthorityMsg,
) -> Result<Response, Err>
where
    E: GovernanceEvents,
    Err: From<AuthorityError>,
{
    let change = Authority::execute(storage, api, sender, msg)?;
    Ok(Response::new().add_event(E::authority_changed(change).to_event()))
}

/// Authority only: sets the pause flag and emits `<contract>.pause_changed`.
///
/// A sender that is not the authority gets `AuthorityError::NotAuthority`; a storage failure
/// while saving the flag gets `PauseError`.
pub fn set_paused<E, Err>(
    storage: &mut dyn Storage,
    sender: &Addr,
    paused: bool,
) -> Result<Response, Err>
where
    E: GovernanceEvents,
    Err: From<AuthorityError> + From<PauseError>,
{
    Authority::assert(storage, sender)?;
    Paused::set(storage, paused)?;
    Ok(Response::new().add_event(E::pause_changed(sender.clone(), paused).to_event()))
}

/// Versioned migration (see [`ensure_upgrade`]): refuses another contract, a downgrade and a
/// replay, records `version` and emits `<contract>.migrated`.
pub fn migrate<E, Err>(
    storage: &mut dyn Storage,
    name: &str,
    version: &str,
) -> Result<Response, Err>
where
    E: GovernanceEvents,
    Err: From<MigrateError>,
{
    let from_version = ensure_upgrade(storage, name, version)?;
    Ok(Response::new().add_event(E::migrated(from_version, version.to_string()).to_event()))
}

/// The instantiate response: `<contract>.instantiated` with the authority, the code version and
/// `config` as JSON (a serialization failure is a `StdError`).
pub fn instantiated<E, C, Err>(authority: Addr, version: &str, config: &C) -> Result<Response, Err>
where
    E: GovernanceEvents,
    C: Serialize + ?Sized,
    Err: From<StdError>,
{
    let event = E::instantiated(authority, version.to_string(), to_json_string(config)?);
    Ok(Response::new().add_event(event.to_event()))
}

/// The response to a configuration change the contract has validated and saved:
/// `<contract>.config_updated` with the authority and the new `config` as JSON (a serialization
/// failure is a `StdError`).
pub fn config_updated<E, C, Err>(authority: &Addr, config: &C) -> Result<Response, Err>
where
    E: GovernanceEvents,
    C: Serialize + ?Sized,
    Err: From<StdError>,
{
    let event = E::config_updated(authority.clone(), to_json_string(config)?);
    Ok(Response::new().add_event(event.to_event()))
}

#[cfg(test)]
#[path = "governance_tests.rs"]
mod tests;
