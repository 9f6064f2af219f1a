//! Messages and query responses of the reservations contract.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Coin, Uint256};
use supercloud_std::{ActReceiveMsg, AuthorityMsg};

/// Verified work in a height range, shared with escrow and read by the pilots.
pub use supercloud_std::VerifiedWorkResponse;

/// Closed value sets shared with the event catalogue (one definition, same names in events).
pub use supercloud_events::reservations::{CancelledBy, Tee};

/// Configuration (authority-controlled).
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
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
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct Attribute {
    pub key: String,
    pub value: String,
}

/// A price in one denom.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct Price {
    /// Price of one hour of the whole host.
    pub amount: Uint256,
    pub denom: String,
}

/// A provider's host.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
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

/// A hardware attestation recorded by an auditor; valid while `block time < expires_at`.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
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

/// A provider's bond in the configured bond denom.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
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
#[serde(into = "&'static str")]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
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
}

/// A prepaid reservation of a host for `[start, end)`.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
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

/// Instantiates the contract with its authority (the gov module on Akash) and configuration.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct InstantiateMsg {
    /// Address allowed to change config, pause, migrate, appoint auditors and slash bonds.
    pub authority: String,
    /// Native denoms hosts may be priced in.
    pub native_denoms: Vec<String>,
    /// The bme contract whose ACT ledger may deliver `uact` through its `send` hook.
    pub act_ledger: Option<String>,
    /// Native denom of provider bonds.
    pub bond_denom: String,
    /// Unbonding delay in seconds (at most 365 days).
    pub unbonding_period_s: u64,
    /// Seconds a provider has to confirm a request (1 s..30 days).
    pub confirm_window_s: u64,
    /// Tenant cancellation fee in basis points (0..=10000), paid to the provider.
    pub cancel_fee_bps: u16,
    /// Receiver of slashed bonds (e.g. a community treasury account; never a burn).
    pub slash_recipient: String,
    /// Longest attestation validity in seconds (default 365 days).
    pub max_attestation_validity_s: Option<u64>,
}

/// Authority-only partial configuration update; absent fields stay as they are. The bond denom is
/// fixed at instantiate (bonds already posted must stay claimable in it).
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
#[derive(Default)]
pub struct ConfigUpdate {
    pub native_denoms: Option<Vec<String>>,
    pub act_ledger: Option<String>,
    pub unbonding_period_s: Option<u64>,
    pub confirm_window_s: Option<u64>,
    pub cancel_fee_bps: Option<u16>,
    pub slash_recipient: Option<String>,
    pub max_attestation_validity_s: Option<u64>,
}

/// A host description sent by its provider.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct HostMsg {
    /// 1..64 chars of `[A-Za-z0-9._-]`, unique per provider.
    pub host_id: String,
    /// 1..64 chars; `none` for CPU-only hosts (then `gpu_count` must be 0).
    pub gpu_model: String,
    pub gpu_count: u32,
    /// CPU cores (> 0).
    pub cpu: u32,
    /// Memory in bytes (> 0).
    pub memory: u64,
    pub bare_metal: bool,
    /// At most 16, unique keys of 1..64 bytes, values up to 128 bytes.
    #[serde(default)]
    pub attributes: Vec<Attribute>,
    /// Non-zero price of one hour; denom is an allowed native denom or `uact`.
    pub price_per_hour: Coin,
    /// Reclamation notice in seconds, 3600..=2592000 (1 h..720 h); `None`: not reclaimable.
    pub reclamation_window_s: Option<u64>,
    /// Require a valid attestation for every reservation of this host.
    #[serde(default)]
    pub require_attestation: bool,
}

/// What a tenant reserves.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct ReserveMsg {
    pub provider: String,
    pub host_id: String,
    /// Unix seconds, not before the current block time.
    pub start: u64,
    /// Unix seconds; `end - start` between 3600 and 31536000 (365 days).
    pub end: u64,
    /// Refuse unless the host holds a valid attestation now.
    #[serde(default)]
    pub require_attestation: bool,
}

/// Messages carried by the ACT ledger's `send` hook.
#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub enum ReceiveHook {
    /// Reserve a `uact`-priced host, paying with the sent ACT (exactly the term price).
    Reserve(ReserveMsg),
}

#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub enum ExecuteMsg {
    /// Provider registers a host.
    RegisterHost(HostMsg),
    /// Provider replaces a host's description (same `host_id`); reservations keep their terms.
    UpdateHost(HostMsg),
    /// Provider stops (`false`) or resumes (`true`) new reservations of a host.
    SetHostActive { host_id: String, active: bool },
    /// Authority appoints an auditor.
    AppointAuditor { auditor: String },
    /// Authority removes an auditor.
    RemoveAuditor { auditor: String },
    /// Auditor records (or replaces) a host's attestation, verified now, valid until `expires_at`.
    RecordAttestation {
        provider: String,
        host_id: String,
        tee: Tee,
        /// 64 hex characters (32 bytes).
        report_hash: String,
        expires_at: u64,
    },
    /// Auditor re-verifies a host's attestation: `verified_at` = now, new `expires_at`.
    RenewAttestation {
        provider: String,
        host_id: String,
        expires_at: u64,
    },
    /// Auditor revokes a host's attestation.
    RevokeAttestation {
        provider: String,
        host_id: String,
        reason: String,
    },
    /// Provider posts bond (attach the bond denom).
    PostBond {},
    /// Provider starts unbonding `amount`; claimable after the unbonding period.
    RequestBondWithdrawal { amount: Uint256 },
    /// Provider claims its unbonded amount.
    ClaimBond {},
    /// Authority slashes up to `amount` (bonded first, then unbonding) to the slash recipient.
    SlashBond {
        provider: String,
        amount: Uint256,
        reason: String,
        reservation_id: Option<u64>,
    },
    /// Tenant reserves a host, attaching exactly the term price in the host's native denom.
    Reserve(ReserveMsg),
    /// Provider confirms a request before its deadline.
    Confirm { id: u64 },
    /// Tenant (before start) or provider (before end) cancels; anyone may cancel a request whose
    /// confirmation deadline passed (full refund).
    Cancel { id: u64, reason: Option<String> },
    /// Pays the provider what it earned so far (anyone may call; pays the provider). Completes the
    /// reservation at its end.
    Claim { id: u64 },
    /// Provider starts reclaiming an active reservation of a host with a reclamation window.
    StartReclamation { id: u64, reason: String },
    /// After the reclamation deadline, anyone ends the reservation: provider paid to the deadline,
    /// remainder refunded to the tenant.
    EndReclamation { id: u64 },
    /// ACT delivered by the bme ledger's `send`.
    Receive(ActReceiveMsg),
    /// Two-step authority handover.
    Authority(AuthorityMsg),
    /// Authority pauses (new hosts, reservations, bonds) or resumes.
    SetPaused { paused: bool },
    /// Authority updates configuration.
    UpdateConfig(ConfigUpdate),
}

#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct MigrateMsg {}

#[cw_serde]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(ConfigResponse)]
    Config {},
    #[returns(HostResponse)]
    Host { provider: String, host_id: String },
    /// Hosts of a provider, by host id.
    #[returns(HostsResponse)]
    HostsByProvider {
        provider: String,
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// Hosts with a GPU model, by (provider, host id).
    #[returns(HostsResponse)]
    HostsByGpuModel {
        gpu_model: String,
        start_after: Option<(String, String)>,
        limit: Option<u32>,
    },
    /// Hosts whose attestation is valid now, by (expires_at, provider, host id).
    #[returns(AttestedHostsResponse)]
    AttestedHosts {
        start_after: Option<(u64, String, String)>,
        limit: Option<u32>,
    },
    /// Whether `[start, end)` is free on the host, the conflicting reservation if not, and the
    /// price of the term.
    #[returns(AvailabilityResponse)]
    Availability {
        provider: String,
        host_id: String,
        start: u64,
        end: u64,
    },
    #[returns(ReservationResponse)]
    Reservation { id: u64 },
    #[returns(ReservationsResponse)]
    ReservationsByTenant {
        tenant: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    #[returns(ReservationsResponse)]
    ReservationsByProvider {
        provider: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    #[returns(ReservationsResponse)]
    ReservationsByHost {
        provider: String,
        host_id: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    #[returns(BondResponse)]
    Bond { provider: String },
    #[returns(BondsResponse)]
    Bonds {
        start_after: Option<String>,
        limit: Option<u32>,
    },
    #[returns(AuditorsResponse)]
    Auditors {
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// Verified work of a provider between two heights `(from_height, to_height]` (same shape as
    /// escrow's).
    #[returns(VerifiedWorkResponse)]
    VerifiedWork {
        provider: String,
        denom: String,
        gpu_model: String,
        from_height: u64,
        to_height: u64,
    },
}

#[cw_serde]
pub struct ConfigResponse {
    pub authority: Addr,
    pub pending_authority: Option<Addr>,
    pub paused: bool,
    pub config: Config,
}

#[cw_serde]
pub struct HostResponse {
    pub host: Host,
    pub attestation: Option<Attestation>,
    /// The attestation is valid now.
    pub attested: bool,
}

#[cw_serde]
pub struct HostsResponse {
    pub hosts: Vec<HostResponse>,
}

#[cw_serde]
pub struct AttestedHostsResponse {
    pub hosts: Vec<HostResponse>,
    /// Pass as `start_after` for the next page.
    pub next: Option<(u64, String, String)>,
}

#[cw_serde]
pub struct AvailabilityResponse {
    pub available: bool,
    pub conflict: Option<ReservationResponse>,
    /// Prepaid price of the term.
    pub price: Coin,
}

/// Phase of a reservation at query time.
#[cw_serde]
#[serde(into = "&'static str")]
#[schemaifier(mute_warnings)]
#[derive(Copy)]
pub enum Phase {
    Requested,
    /// Unconfirmed past its deadline: cancellable by anyone with a full refund.
    Expired,
    /// Confirmed, before `start`.
    Confirmed,
    /// Confirmed, `start <= now < end`.
    Active,
    /// Confirmed, past `end`, awaiting the final claim.
    Ended,
    Reclaiming,
    Completed,
    Cancelled,
    Reclaimed,
}

#[cw_serde]
pub struct ReservationResponse {
    pub reservation: Reservation,
    pub phase: Phase,
    /// What a claim would pay the provider now.
    pub claimable: Uint256,
}

#[cw_serde]
pub struct ReservationsResponse {
    pub reservations: Vec<ReservationResponse>,
}

#[cw_serde]
pub struct BondResponse {
    pub provider: Addr,
    pub denom: String,
    pub bond: Bond,
}

#[cw_serde]
pub struct BondsResponse {
    pub bonds: Vec<BondResponse>,
}

#[cw_serde]
pub struct AuditorInfo {
    pub auditor: Addr,
    pub appointed_at: u64,
}

#[cw_serde]
pub struct AuditorsResponse {
    pub auditors: Vec<AuditorInfo>,
}

// Decoding (see `crate::wire`): one line per field, checked against the derived `Serialize` and
// the JSON schema by `msg_tests.rs`.

wire_struct!(Config {
    native_denoms,
    act_ledger,
    bond_denom,
    unbonding_period_s,
    confirm_window_s,
    cancel_fee_bps,
    slash_recipient,
    max_attestation_validity_s,
});
wire_struct!(Attribute { key, value });
wire_struct!(Price { amount, denom });
wire_struct!(Host {
    provider,
    host_id,
    gpu_model,
    gpu_count,
    cpu,
    memory,
    bare_metal,
    attributes,
    price_per_hour,
    reclamation_window_s,
    require_attestation,
    active,
    registered_at,
});
wire_struct!(Attestation {
    auditor,
    tee,
    report_hash,
    verified_at,
    expires_at,
});
wire_struct!(Bond {
    bonded,
    unbonding,
    ready_at,
});
wire_names!(Status {
    "requested" => Requested,
    "confirmed" => Confirmed,
    "reclaiming" => Reclaiming,
    "completed" => Completed,
    "cancelled" => Cancelled,
    "reclaimed" => Reclaimed,
});
names!(Phase {
    "requested" => Requested,
    "expired" => Expired,
    "confirmed" => Confirmed,
    "active" => Active,
    "ended" => Ended,
    "reclaiming" => Reclaiming,
    "completed" => Completed,
    "cancelled" => Cancelled,
    "reclaimed" => Reclaimed,
});
wire_struct!(Reservation {
    id,
    tenant,
    provider,
    host_id,
    start,
    end,
    price_per_hour,
    denom,
    total,
    claimed,
    claimed_until,
    refunded,
    gpu_model,
    gpu_count,
    status,
    created_at,
    confirm_deadline,
    confirmed_at,
    reclamation_window_s,
    reclaim_deadline,
    ended_at,
});
wire_struct!(InstantiateMsg {
    authority,
    native_denoms,
    act_ledger,
    bond_denom,
    unbonding_period_s,
    confirm_window_s,
    cancel_fee_bps,
    slash_recipient,
    max_attestation_validity_s,
});
wire_struct!(ConfigUpdate {
    native_denoms,
    act_ledger,
    unbonding_period_s,
    confirm_window_s,
    cancel_fee_bps,
    slash_recipient,
    max_attestation_validity_s,
});
wire_struct!(HostMsg {
    host_id,
    gpu_model,
    gpu_count,
    cpu,
    memory,
    bare_metal,
    attributes = default,
    price_per_hour,
    reclamation_window_s,
    require_attestation = default,
});
wire_struct!(ReserveMsg {
    provider,
    host_id,
    start,
    end,
    require_attestation = default,
});
wire_enum!(ReceiveHook {
    "reserve" => Reserve(),
});
wire_enum!(ExecuteMsg {
    "register_host" => RegisterHost(),
    "update_host" => UpdateHost(),
    "set_host_active" => SetHostActive { host_id, active },
    "appoint_auditor" => AppointAuditor { auditor },
    "remove_auditor" => RemoveAuditor { auditor },
    "record_attestation" => RecordAttestation { provider, host_id, tee, report_hash, expires_at },
    "renew_attestation" => RenewAttestation { provider, host_id, expires_at },
    "revoke_attestation" => RevokeAttestation { provider, host_id, reason },
    "post_bond" => PostBond {},
    "request_bond_withdrawal" => RequestBondWithdrawal { amount },
    "claim_bond" => ClaimBond {},
    "slash_bond" => SlashBond { provider, amount, reason, reservation_id },
    "reserve" => Reserve(),
    "confirm" => Confirm { id },
    "cancel" => Cancel { id, reason },
    "claim" => Claim { id },
    "start_reclamation" => StartReclamation { id, reason },
    "end_reclamation" => EndReclamation { id },
    "receive" => Receive(),
    "authority" => Authority(),
    "set_paused" => SetPaused { paused },
    "update_config" => UpdateConfig(),
});
wire_struct!(MigrateMsg {});
wire_enum!(QueryMsg {
    "config" => Config {},
    "host" => Host { provider, host_id },
    "hosts_by_provider" => HostsByProvider { provider, start_after, limit },
    "hosts_by_gpu_model" => HostsByGpuModel { gpu_model, start_after, limit },
    "attested_hosts" => AttestedHosts { start_after, limit },
    "availability" => Availability { provider, host_id, start, end },
    "reservation" => Reservation { id },
    "reservations_by_tenant" => ReservationsByTenant { tenant, start_after, limit },
    "reservations_by_provider" => ReservationsByProvider { provider, start_after, limit },
    "reservations_by_host" => ReservationsByHost { provider, host_id, start_after, limit },
    "bond" => Bond { provider },
    "bonds" => Bonds { start_after, limit },
    "auditors" => Auditors { start_after, limit },
    "verified_work" => VerifiedWork { provider, denom, gpu_model, from_height, to_height },
});

#[cfg(test)]
#[path = "msg_tests.rs"]
pub(crate) mod tests;
