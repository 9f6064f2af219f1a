//! Stored state.
//!
//! Hosts are keyed by `(provider, host_id)`; secondary maps index them by GPU model and by
//! attestation expiry. Reservations are keyed by id with secondary maps by tenant, provider and
//! host, plus `LIVE`: per host, the live (requested, confirmed or reclaiming) reservations keyed by
//! start time. Live intervals on a host never overlap, so the only live reservation a new term
//! `[s, e)` can collide with is the one with the greatest start `< e` (one descending range step).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Addr;
use cw_storage_plus::{Item, Map};

use crate::msg::{Attestation, Bond, Config, Host, Reservation};

/// An auditor appointment.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct Auditor {
    pub appointed_at: u64,
}

wire_struct!(Auditor { appointed_at });

pub const CONFIG: Item<Config> = Item::new("config");
/// (provider, host_id) -> host.
pub const HOSTS: Map<(&Addr, &str), Host> = Map::new("hosts");
/// (gpu_model, provider, host_id) -> () for every registered host.
pub const HOSTS_BY_GPU: Map<(&str, &Addr, &str), ()> = Map::new("hosts_gpu");
/// (provider, host_id) -> attestation.
pub const ATTESTATIONS: Map<(&Addr, &str), Attestation> = Map::new("attestations");
/// (expires_at, provider, host_id) -> () for every recorded attestation.
pub const ATTESTED_BY_EXPIRY: Map<(u64, &Addr, &str), ()> = Map::new("attested_exp");
/// auditor -> appointment.
pub const AUDITORS: Map<&Addr, Auditor> = Map::new("auditors");
/// provider -> bond.
pub const BONDS: Map<&Addr, Bond> = Map::new("bonds");
/// Last reservation id.
pub const NEXT_ID: Item<u64> = Item::new("next_id");
/// id -> reservation.
pub const RESERVATIONS: Map<u64, Reservation> = Map::new("reservations");
/// (tenant, id) -> ().
pub const BY_TENANT: Map<(&Addr, u64), ()> = Map::new("res_tenant");
/// (provider, id) -> ().
pub const BY_PROVIDER: Map<(&Addr, u64), ()> = Map::new("res_provider");
/// (provider, host_id, id) -> ().
pub const BY_HOST: Map<(&Addr, &str, u64), ()> = Map::new("res_host");
/// (provider, host_id, start) -> id of the live reservation starting then.
pub const LIVE: Map<(&Addr, &str, u64), u64> = Map::new("live");

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
