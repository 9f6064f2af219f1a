//! Messages and query responses of the reservations contract.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Coin, Uint256};
use supercloud_std::{ActReceiveMsg, AuthorityMsg};

/// Verified work in a height range, shared with escrow and read by the pilots.
pub use supercloud_std::VerifiedWorkResponse;

use crate::state::{Attestation, Attribute, Bond, Config, Host, Reservation, Tee};

/// Instantiates the contract with its authority (the gov module on Akash) and configuration.
#[cw_serde]
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
pub enum ReceiveHook {
    /// Reserve a `uact`-priced host, paying with the sent ACT (exactly the term price).
    Reserve(ReserveMsg),
}

#[cw_serde]
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
pub struct MigrateMsg {}

#[cw_serde]
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

#[cfg(test)]
#[path = "msg_tests.rs"]
mod tests;
