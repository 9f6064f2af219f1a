//! Events of the pip contract (`wasm-pip.<action>`).
//!
//! A pilot is named by `pilot_id`; amounts are in the pilot's `denom`. `remaining` is always what
//! the contract still holds for the pilot after the change (budget − paid − returned).

use cosmwasm_std::{Addr, Decimal256, Uint128, Uint256};

catalogue! {
    contract = "pip";
    /// Every pip event.
    enum PipEvent;

    /// A pilot was created with its budget. `kind` is `committed` or `liquidity`; `params` is the
    /// kind's parameters as JSON, `eligible` the eligibility as JSON; `return_to` an address or
    /// `community_pool`.
    PilotCreated = "pilot_created" {
        pilot_id: u64, name: String, denom: String, budget: Uint256, buffer: Uint256,
        start: u64, end: u64, epoch_length: u64, epochs: u32, kind: String, params: String,
        eligible: String, return_to: String, admin: Option<Addr>, height: u64
    }
    /// A provider asked to join a pilot.
    EnrollmentRequested = "enrollment_requested" { pilot_id: u64, provider: Addr, height: u64 }
    /// A provider was approved (`by` the authority or the pilot admin); work after `height` counts.
    Enrolled = "enrolled" { pilot_id: u64, provider: Addr, by: Addr, height: u64 }
    /// An enrollment or request ended. `reason`: `withdrawn` (by the provider) or `removed`.
    EnrollmentEnded = "enrollment_ended" {
        pilot_id: u64, provider: Addr, by: Addr, reason: String, was_approved: bool
    }
    /// Liquidity kind, first pass: the provider's basis for the epoch was measured.
    ProviderMeasured = "provider_measured" {
        pilot_id: u64, epoch: u32, provider: Addr, from_height: u64, to_height: u64,
        basis: String, basis_amount: Uint128, gpu_blocks: Uint128, qualified: bool
    }
    /// A provider's epoch was settled (emitted for every provider, also with a zero amount).
    /// `basis` is `gpu_seconds` (liquidity, `basis_amount` = eligible GPU-seconds) or `usd`
    /// (committed, `usd` = GPU-hours × rate; `price` = USD per token used).
    EpochSettled = "epoch_settled" {
        pilot_id: u64, epoch: u32, provider: Addr, amount: Uint256, denom: String,
        basis: String, basis_amount: Uint128, usd: Option<Decimal256>, price: Option<Decimal256>,
        value: Uint256, qualified: bool, capped: bool, remaining: Uint256
    }
    /// Every provider of an epoch was settled.
    EpochCompleted = "epoch_completed" {
        pilot_id: u64, epoch: u32, from_height: u64, to_height: u64, providers: u32,
        total_basis: Uint128, allocation: Option<Uint256>, paid: Uint256, returned: Uint256,
        remaining: Uint256
    }
    /// Unspent budget left the contract. `reason`: `epoch_unspent`, `finalized` or `cancelled`;
    /// `to` is an address or `community_pool`.
    Returned = "returned" {
        pilot_id: u64, amount: Uint256, denom: String, to: String, reason: String,
        remaining: Uint256
    }
    /// The pilot closed (`status`: `finalized` or `cancelled`) with these totals.
    PilotClosed = "pilot_closed" {
        pilot_id: u64, status: String, by: Addr, budget: Uint256, paid: Uint256, returned: Uint256
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CatalogEvent, SupercloudEvent};

    #[test]
    fn epoch_settled_round_trips() {
        let ev = EpochSettled {
            pilot_id: 1,
            epoch: 2,
            provider: Addr::unchecked("prov"),
            amount: Uint256::from(5u8),
            denom: "uakt".into(),
            basis: "usd".into(),
            basis_amount: Uint128::new(7200),
            usd: Some(Decimal256::percent(498)),
            price: Some(Decimal256::percent(50)),
            value: Uint256::from(9u8),
            qualified: true,
            capped: false,
            remaining: Uint256::from(95u8),
        };
        let event = ev.to_event();
        assert_eq!(event.ty, "pip.epoch_settled");
        let attrs = event
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        let parsed = SupercloudEvent::parse("wasm-pip.epoch_settled", attrs).unwrap();
        assert_eq!(parsed, Some(SupercloudEvent::Pip(ev.into())));
        assert!(PipEvent::ACTIONS.contains(&"returned"));
        assert!(PipEvent::ACTIONS.contains(&"authority_accepted"));
    }
}
