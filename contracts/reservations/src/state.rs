//! Stored state.
//!
//! Hosts are keyed by `(provider, host_id)`; secondary maps index them by GPU model and by
//! attestation expiry. Reservations are keyed by id with secondary maps by tenant, provider and
//! host, plus `LIVE`: per host, the live (requested, confirmed or reclaiming) reservations keyed by
//! start time. Live intervals on a host never overlap, so the only live reservation a new term
//! `[s, e)` can collide with is the one with the greatest start `< e` (one descending range step).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Uint256};
use cw_storage_plus::{Item, Map};

/// Configuration (authority-controlled).
#[cw_serde]
pub struct Config {
    /// Native denoms hosts may be priced in.
    pub native_denoms: Vec<String>,
    /// The bme contract holding the ACT ledger; `uact` prices are accepted only when set.
    pub act_ledger: Option<Addr>,
    /// Native denom of provider bonds.
    pub bond_denom: String,
    /// Seconds between a bond withdrawal request and its claim.
    pub unbonding_period_s: u64,
    /// Seconds a provider has to confirm a request (the deadline is also capped at the start).
    pub confirm_window_s: u64,
    /// Fee kept from a tenant's refund when it cancels a confirmed reservation before its start,
    /// in basis points of the total, rounded up, paid to the provider.
    pub cancel_fee_bps: u16,
    /// Where slashed bonds go (e.g. a community treasury); bonds are never burned.
    pub slash_recipient: Addr,
    /// Longest an attestation may stay valid after it is recorded or renewed.
    pub max_attestation_validity_s: u64,
}

/// A key/value hardware attribute of a host (e.g. `region=eu`).
#[cw_serde]
pub struct Attribute {
    pub key: String,
    pub value: String,
}

/// A price in one denom.
#[cw_serde]
pub struct Price {
    /// Price of one hour of the whole host.
    pub amount: Uint256,
    pub denom: String,
}

/// A provider's host.
#[cw_serde]
pub struct Host {
    pub provider: Addr,
    pub host_id: String,
    /// GPU model, e.g. `h100`; `none` for CPU-only hosts.
    pub gpu_model: String,
    pub gpu_count: u32,
    /// CPU cores.
    pub cpu: u32,
    /// Memory in bytes.
    pub memory: u64,
    pub bare_metal: bool,
    pub attributes: Vec<Attribute>,
    pub price_per_hour: Price,
    /// AEP-82 reclamation notice window in seconds (1 h..720 h), if the host may be reclaimed.
    pub reclamation_window_s: Option<u64>,
    /// Every reservation of this host requires a valid attestation at reservation time.
    pub require_attestation: bool,
    /// Deactivated hosts take no new reservations; existing ones run on.
    pub active: bool,
    pub registered_at: u64,
}

/// TEE technology an attestation covers.
#[cw_serde]
#[derive(Copy)]
pub enum Tee {
    Tdx,
    SevSnp,
    Nvtrust,
    /// Audited hardware without a TEE report.
    None,
}

impl Tee {
    /// The event form of the TEE kind.
    pub fn as_str(&self) -> &'static str {
        match self {
            Tee::Tdx => "tdx",
            Tee::SevSnp => "sev_snp",
            Tee::Nvtrust => "nvtrust",
            Tee::None => "none",
        }
    }
}

/// A hardware attestation recorded by an auditor; valid while `block time < expires_at`.
#[cw_serde]
pub struct Attestation {
    pub auditor: Addr,
    pub tee: Tee,
    /// Lower-case hex of the 32-byte attestation report hash.
    pub report_hash: String,
    pub verified_at: u64,
    pub expires_at: u64,
}

impl Attestation {
    /// Whether the attestation is valid at `now`.
    pub fn valid_at(&self, now: u64) -> bool {
        now < self.expires_at
    }
}

/// An auditor appointment.
#[cw_serde]
pub struct Auditor {
    pub appointed_at: u64,
}

/// A provider's bond in the configured bond denom.
#[cw_serde]
#[derive(Default)]
pub struct Bond {
    /// Bonded and slashable.
    pub bonded: Uint256,
    /// Requested for withdrawal; still slashable until claimed.
    pub unbonding: Uint256,
    /// When `unbonding` becomes claimable (each new request restarts the clock).
    pub ready_at: Option<u64>,
}

/// Stored status of a reservation. "Active" is not stored: a confirmed reservation is active
/// while `start <= now < end` (see `Phase`).
#[cw_serde]
#[derive(Copy)]
pub enum Status {
    /// Paid, waiting for the provider's confirmation.
    Requested,
    /// Confirmed by the provider (active from `start`).
    Confirmed,
    /// The provider started reclamation; runs until `reclaim_deadline`.
    Reclaiming,
    /// Ran its full term and was paid out (terminal).
    Completed,
    /// Cancelled by tenant or provider, or expired unconfirmed (terminal).
    Cancelled,
    /// Ended by reclamation (terminal).
    Reclaimed,
}

impl Status {
    /// Whether the reservation still holds its slot on the host and money in the contract.
    pub fn is_live(&self) -> bool {
        matches!(
            self,
            Status::Requested | Status::Confirmed | Status::Reclaiming
        )
    }

    /// Name used in errors.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Requested => "requested",
            Status::Confirmed => "confirmed",
            Status::Reclaiming => "reclaiming",
            Status::Completed => "completed",
            Status::Cancelled => "cancelled",
            Status::Reclaimed => "reclaimed",
        }
    }
}

/// A prepaid reservation of a host for `[start, end)`.
#[cw_serde]
pub struct Reservation {
    pub id: u64,
    pub tenant: Addr,
    pub provider: Addr,
    pub host_id: String,
    pub start: u64,
    pub end: u64,
    /// Host price per hour when reserved.
    pub price_per_hour: Uint256,
    pub denom: String,
    /// Prepaid amount: ceil(price_per_hour × (end − start) / 3600).
    pub total: Uint256,
    /// Paid out to the provider so far (claims and cancel fee).
    pub claimed: Uint256,
    /// The provider has been paid for `[start, claimed_until)`.
    pub claimed_until: u64,
    /// Refunded to the tenant.
    pub refunded: Uint256,
    pub gpu_model: String,
    pub gpu_count: u32,
    pub status: Status,
    pub created_at: u64,
    pub confirm_deadline: u64,
    pub confirmed_at: Option<u64>,
    /// Host reclamation window when reserved.
    pub reclamation_window_s: Option<u64>,
    /// Set when reclamation starts: the reservation pays until here and then ends.
    pub reclaim_deadline: Option<u64>,
    pub ended_at: Option<u64>,
}

impl Reservation {
    /// End of the paid term: `end`, or the reclamation deadline when earlier.
    pub fn effective_end(&self) -> u64 {
        match self.reclaim_deadline {
            Some(d) if d < self.end => d,
            _ => self.end,
        }
    }

    /// Whether an unconfirmed request passed its deadline at `now`.
    pub fn request_expired(&self, now: u64) -> bool {
        self.status == Status::Requested && now > self.confirm_deadline
    }

    /// Value still held for this reservation.
    pub fn held(&self) -> Uint256 {
        if !self.status.is_live() {
            return Uint256::zero();
        }
        self.total.saturating_sub(self.claimed)
    }
}

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
