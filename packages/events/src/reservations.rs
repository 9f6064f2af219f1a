//! Events of the reservations contract (`wasm-reservations.<action>`).
//!
//! A host is named by `provider` + `host_id`, a reservation by `id`. Times are block times in unix
//! seconds; amounts are in `denom`. Reservation events repeat host, tenant and provider so that an
//! indexer (and the incentive pilots) can rebuild reserved GPU-hours from events alone.

use cosmwasm_std::{Addr, Uint256};

attr_enum! {
    /// TEE technology a hardware attestation covers (AEP-29/86).
    pub enum Tee {
        /// Intel TDX.
        Tdx = "tdx",
        /// AMD SEV-SNP.
        SevSnp = "sev_snp",
        /// NVIDIA confidential computing (nvtrust).
        Nvtrust = "nvtrust",
        /// Audited hardware without a TEE report.
        None = "none",
    }
}

attr_enum! {
    /// Who ended a reservation by cancelling it.
    pub enum CancelledBy {
        /// The tenant withdrew a request or cancelled before the start (fee applies once confirmed).
        Tenant = "tenant",
        /// The provider rejected a request or cancelled; the tenant gets everything unclaimed back.
        Provider = "provider",
        /// Nobody: the request was not confirmed by its deadline (full refund).
        Expired = "expired",
    }
}

catalogue! {
    contract = "reservations";
    /// Every reservations event.
    enum ReservationsEvent;

    /// A provider registered a host. `attributes` is `key=value` pairs joined by `,`.
    HostRegistered = "host_registered" {
        provider: Addr, host_id: String, gpu_model: String, gpu_count: u32, cpu: u32, memory: u64,
        bare_metal: bool, attributes: String, price_per_hour: Uint256, denom: String,
        reclamation_window_s: Option<u64>, require_attestation: bool
    }
    /// A provider replaced a host's description (existing reservations keep their terms).
    HostUpdated = "host_updated" {
        provider: Addr, host_id: String, gpu_model: String, gpu_count: u32, cpu: u32, memory: u64,
        bare_metal: bool, attributes: String, price_per_hour: Uint256, denom: String,
        reclamation_window_s: Option<u64>, require_attestation: bool, active: bool
    }
    /// A host stopped (`active = false`) or resumed taking new reservations.
    HostActiveChanged = "host_active_changed" { provider: Addr, host_id: String, active: bool }
    /// The authority appointed an auditor.
    AuditorAppointed = "auditor_appointed" { authority: Addr, auditor: Addr }
    /// The authority removed an auditor (its attestations stay until they expire or are revoked).
    AuditorRemoved = "auditor_removed" { authority: Addr, auditor: Addr }
    /// An auditor recorded (`renewed = false`) or renewed a host's hardware attestation.
    AttestationRecorded = "attestation_recorded" {
        provider: Addr, host_id: String, auditor: Addr, tee: Tee, report_hash: String,
        verified_at: u64, expires_at: u64, renewed: bool
    }
    /// An auditor revoked a host's attestation.
    AttestationRevoked = "attestation_revoked" {
        provider: Addr, host_id: String, auditor: Addr, reason: String
    }
    /// A provider posted bond; `bonded` is the bonded amount after.
    BondPosted = "bond_posted" { provider: Addr, amount: Uint256, denom: String, bonded: Uint256 }
    /// A provider moved `amount` from bonded to unbonding; all unbonding is claimable at `ready_at`.
    BondUnbonding = "bond_unbonding" {
        provider: Addr, amount: Uint256, denom: String, bonded: Uint256, unbonding: Uint256,
        ready_at: u64
    }
    /// A provider claimed its unbonded amount.
    BondClaimed = "bond_claimed" { provider: Addr, amount: Uint256, denom: String }
    /// The authority slashed a provider's bond; the amount went to `recipient`.
    BondSlashed = "bond_slashed" {
        provider: Addr, amount: Uint256, denom: String, recipient: Addr, reason: String,
        reservation_id: Option<u64>, bonded: Uint256, unbonding: Uint256
    }
    /// A tenant prepaid a reservation of `[start, end)`; the provider must confirm by
    /// `confirm_deadline`. `attested` tells whether the host had a valid attestation.
    ReservationRequested = "reservation_requested" {
        id: u64, provider: Addr, host_id: String, tenant: Addr, start: u64, end: u64,
        price_per_hour: Uint256, total: Uint256, denom: String, gpu_model: String, gpu_count: u32,
        confirm_deadline: u64, attested: bool, reclamation_window_s: Option<u64>
    }
    /// The provider confirmed a reservation.
    ReservationConfirmed = "reservation_confirmed" {
        id: u64, provider: Addr, host_id: String, tenant: Addr, start: u64, end: u64, time: u64
    }
    /// The provider was paid for `[from, to)` (`seconds` of the term, `gpu_seconds` =
    /// `gpu_count` × `seconds`). `verified` tells whether the work was booked as verified work
    /// (host attested at the claim). `claimed` is the reservation's total paid out after.
    Claimed = "claimed" {
        id: u64, provider: Addr, host_id: String, tenant: Addr, from: u64, to: u64, seconds: u64,
        gpu_model: String, gpu_count: u32, gpu_seconds: u64, amount: Uint256, denom: String,
        claimed: Uint256, verified: bool
    }
    /// A reservation ran its term and was paid in full.
    ReservationCompleted = "reservation_completed" {
        id: u64, provider: Addr, host_id: String, tenant: Addr, total: Uint256, denom: String
    }
    /// A reservation was cancelled. `by`: `tenant`, `provider`, or `expired` (not confirmed by the
    /// deadline). `refund` went to the tenant, `fee` to the provider.
    ReservationCancelled = "reservation_cancelled" {
        id: u64, provider: Addr, host_id: String, tenant: Addr, by: CancelledBy, refund: Uint256,
        fee: Uint256, denom: String, reason: String, time: u64
    }
    /// The provider started reclaiming the host (AEP-82); payment continues until `deadline`.
    ReclamationStarted = "reclamation_started" {
        id: u64, provider: Addr, host_id: String, tenant: Addr, reason: String, deadline: u64
    }
    /// A reclaimed reservation ended at `deadline`: the provider was paid up to it
    /// (`provider_paid` in this call) and the tenant got `refund`.
    ReservationReclaimed = "reservation_reclaimed" {
        id: u64, provider: Addr, host_id: String, tenant: Addr, deadline: u64,
        provider_paid: Uint256, refund: Uint256, denom: String
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CatalogEvent, SupercloudEvent};

    #[test]
    fn round_trips_through_wasm_event() {
        let ev = Claimed {
            id: 3,
            provider: Addr::unchecked("p"),
            host_id: "h1".into(),
            tenant: Addr::unchecked("t"),
            from: 10,
            to: 20,
            seconds: 10,
            gpu_model: "h100".into(),
            gpu_count: 8,
            gpu_seconds: 80,
            amount: Uint256::from(5u32),
            denom: "uakt".into(),
            claimed: Uint256::from(5u32),
            verified: true,
        };
        let event = ev.to_event();
        assert_eq!(event.ty, "reservations.claimed");
        let attrs = event
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        let parsed = SupercloudEvent::parse("wasm-reservations.claimed", attrs)
            .unwrap()
            .unwrap();
        assert_eq!(parsed, SupercloudEvent::Reservations(ev.into()));
        assert!(ReservationsEvent::ACTIONS.contains(&"authority_accepted"));
    }

    /// `tee` and `by` are closed sets: emitted by name, parsed back to the enum, anything else
    /// refused.
    #[test]
    fn closed_sets_are_typed() {
        assert_eq!(Tee::NAMES, ["tdx", "sev_snp", "nvtrust", "none"]);
        assert_eq!(CancelledBy::NAMES, ["tenant", "provider", "expired"]);
        let ev = ReservationCancelled {
            id: 1,
            provider: Addr::unchecked("p"),
            host_id: "h1".into(),
            tenant: Addr::unchecked("t"),
            by: CancelledBy::Expired,
            refund: Uint256::from(7u32),
            fee: Uint256::zero(),
            denom: "uakt".into(),
            reason: "not confirmed by the deadline".into(),
            time: 9,
        };
        let event = ev.to_event();
        let attrs = || {
            event
                .attributes
                .iter()
                .map(|a| (a.key.as_str(), a.value.as_str()))
        };
        assert!(attrs().any(|kv| kv == ("by", "expired")));
        let parsed = SupercloudEvent::parse("wasm-reservations.reservation_cancelled", attrs())
            .unwrap()
            .unwrap();
        assert_eq!(parsed, SupercloudEvent::Reservations(ev.into()));
        let bad = attrs().map(|(k, v)| if k == "by" { (k, "auditor") } else { (k, v) });
        assert!(SupercloudEvent::parse("wasm-reservations.reservation_cancelled", bad).is_err());
        assert_eq!("sev_snp".parse::<Tee>().unwrap(), Tee::SevSnp);
        assert!("sgx".parse::<Tee>().is_err());
    }
}
