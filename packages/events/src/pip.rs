//! Events of the pip contract (`wasm-pip.<action>`).
//!
//! A pilot is named by `pilot_id`; amounts are in the pilot's `denom`. `remaining` is always what
//! the contract still holds for the pilot after the change (budget − paid − returned).

use cosmwasm_std::{Addr, Decimal256, Uint128, Uint256};

attr_enum! {
    /// How a pilot pays (its `kind`'s name; the parameters are the pilot's).
    pub enum PilotKindName {
        /// USD per GPU-hour per model, paid in the budget token at the oracle price.
        Committed = "committed",
        /// A fixed allocation per epoch split pro rata over eligible GPU-seconds.
        Liquidity = "liquidity",
    }
}

attr_enum! {
    /// What a payout was measured in.
    pub enum Basis {
        /// Eligible GPU-seconds (liquidity pilots).
        GpuSeconds = "gpu_seconds",
        /// USD earned at the pilot's per-model rates (committed pilots).
        Usd = "usd",
    }
}

attr_enum! {
    /// Why unspent budget left the contract.
    pub enum ReturnReason {
        /// A liquidity epoch completed without paying its whole allocation.
        EpochUnspent = "epoch_unspent",
        /// The pilot was finalized after its end.
        Finalized = "finalized",
        /// The authority cancelled the pilot.
        Cancelled = "cancelled",
    }
}

attr_enum! {
    /// Why an enrollment or enrollment request ended.
    pub enum EnrollmentEndReason {
        /// The provider left or withdrew its request.
        Withdrawn = "withdrawn",
        /// The authority or the pilot admin removed the provider or rejected its request.
        Removed = "removed",
    }
}

attr_enum! {
    /// Lifecycle of a pilot.
    pub enum PilotStatus {
        /// Accepting enrollments until its end; epochs settle as they end.
        Active = "active",
        /// Closed after its end; everything unspent was returned.
        Finalized = "finalized",
        /// Closed early by the authority; everything unspent was returned.
        Cancelled = "cancelled",
    }
}

catalogue! {
    contract = "pip";
    /// Every pip event.
    enum PipEvent;

    /// A pilot was created with its budget. `params` is the kind's parameters as JSON,
    /// `eligible` the eligibility as JSON; `return_to` an address or `community_pool`. A payout
    /// never exceeds `max_payout_multiple` × the value the provider was paid for its work in the
    /// epoch.
    PilotCreated = "pilot_created" {
        pilot_id: u64, name: String, denom: String, budget: Uint256, buffer: Uint256,
        start: u64, end: u64, epoch_length: u64, epochs: u32, kind: PilotKindName,
        params: String, eligible: String, return_to: String, admin: Option<Addr>, height: u64,
        max_payout_multiple: Decimal256
    }
    /// A provider asked to join a pilot.
    EnrollmentRequested = "enrollment_requested" { pilot_id: u64, provider: Addr, height: u64 }
    /// A provider was approved (`by` the authority or the pilot admin); work after `height` counts.
    Enrolled = "enrolled" { pilot_id: u64, provider: Addr, by: Addr, height: u64 }
    /// An enrollment or request ended.
    EnrollmentEnded = "enrollment_ended" {
        pilot_id: u64, provider: Addr, by: Addr, reason: EnrollmentEndReason, was_approved: bool
    }
    /// Liquidity kind, first pass: the provider's basis for the epoch was measured.
    ProviderMeasured = "provider_measured" {
        pilot_id: u64, epoch: u32, provider: Addr, from_height: u64, to_height: u64,
        basis: Basis, basis_amount: Uint128, gpu_blocks: Uint128, qualified: bool
    }
    /// The verified work of one provider on one eligible GPU model in the epoch's counted range
    /// (escrow and reservations added up); emitted when it is not zero. `usd` (committed) is
    /// GPU-hours × the pilot's rate for the model.
    BasisMeasured = "basis_measured" {
        pilot_id: u64, epoch: u32, provider: Addr, gpu_model: String, gpu_seconds: Uint128,
        gpu_blocks: Uint128, usd: Option<Decimal256>
    }
    /// A provider's epoch was settled (emitted for every provider, also with a zero amount).
    /// `basis` is `gpu_seconds` (liquidity, `basis_amount` = eligible GPU-seconds) or `usd`
    /// (committed, `usd` = GPU-hours × rate). `due` is what the kind's rule gives;
    /// `value` what the provider was paid by others for its work in the range, and `value_cap` =
    /// floor(`max_payout_multiple` × `value`). `amount` = min(`due`, `value_cap`, what the budget
    /// or the epoch's allocation still holds); `capped` when that is below `due`. `price` is the
    /// oracle's USD per whole token used for the epoch and `amount_usd` the payout's USD value at
    /// it (absent for a liquidity epoch settled while the oracle had no price).
    EpochSettled = "epoch_settled" {
        pilot_id: u64, epoch: u32, provider: Addr, amount: Uint256, denom: String,
        basis: Basis, basis_amount: Uint128, usd: Option<Decimal256>, price: Option<Decimal256>,
        value: Uint256, qualified: bool, capped: bool, remaining: Uint256, due: Uint256,
        value_cap: Uint256, max_payout_multiple: Decimal256, amount_usd: Option<Decimal256>
    }
    /// Every provider of an epoch was settled. `price` as in `epoch_settled`.
    EpochCompleted = "epoch_completed" {
        pilot_id: u64, epoch: u32, from_height: u64, to_height: u64, providers: u32,
        total_basis: Uint128, allocation: Option<Uint256>, paid: Uint256, returned: Uint256,
        remaining: Uint256, price: Option<Decimal256>
    }
    /// Unspent budget left the contract; `to` is an address or `community_pool`.
    Returned = "returned" {
        pilot_id: u64, amount: Uint256, denom: String, to: String, reason: ReturnReason,
        remaining: Uint256
    }
    /// The pilot closed (`status`: `finalized` or `cancelled`) with these totals.
    PilotClosed = "pilot_closed" {
        pilot_id: u64, status: PilotStatus, by: Addr, budget: Uint256, paid: Uint256,
        returned: Uint256
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CatalogEvent, FieldKind, SupercloudEvent};

    #[test]
    fn epoch_settled_round_trips() {
        let ev = EpochSettled {
            pilot_id: 1,
            epoch: 2,
            provider: Addr::unchecked("prov"),
            amount: Uint256::from(5u8),
            denom: "uakt".into(),
            basis: Basis::Usd,
            basis_amount: Uint128::new(7200),
            usd: Some(Decimal256::percent(498)),
            price: Some(Decimal256::percent(50)),
            value: Uint256::from(9u8),
            qualified: true,
            capped: true,
            remaining: Uint256::from(95u8),
            due: Uint256::from(9_960_000u32),
            value_cap: Uint256::from(5u8),
            max_payout_multiple: Decimal256::percent(50),
            amount_usd: Some(Decimal256::from_ratio(25u8, 10_000_000u32)),
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

    #[test]
    fn basis_per_model_is_flat_attributes() {
        let ev = BasisMeasured {
            pilot_id: 1,
            epoch: 0,
            provider: Addr::unchecked("prov"),
            gpu_model: "h100".into(),
            gpu_seconds: Uint128::new(2880),
            gpu_blocks: Uint128::new(480),
            usd: None,
        };
        let event = ev.to_event();
        let keys: Vec<&str> = event.attributes.iter().map(|a| a.key.as_str()).collect();
        // `usd: None` is left out, not written as JSON or an empty value.
        assert_eq!(
            keys,
            [
                "pilot_id",
                "epoch",
                "provider",
                "gpu_model",
                "gpu_seconds",
                "gpu_blocks"
            ]
        );
        let attrs = event
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        let parsed = SupercloudEvent::parse("wasm-pip.basis_measured", attrs).unwrap();
        assert_eq!(parsed, Some(SupercloudEvent::Pip(ev.into())));
    }

    #[test]
    fn closed_sets_are_typed_in_the_catalogue() {
        let kind = |action: &str, field: &str| {
            PipEvent::EVENTS
                .iter()
                .find(|m| m.action == action)
                .and_then(|m| m.field(field))
                .map(|f| f.kind)
                .unwrap()
        };
        assert_eq!(
            kind("pilot_created", "kind"),
            FieldKind::Enum(PilotKindName::NAMES)
        );
        assert_eq!(
            kind("epoch_settled", "basis"),
            FieldKind::Enum(Basis::NAMES)
        );
        assert_eq!(
            kind("provider_measured", "basis"),
            FieldKind::Enum(Basis::NAMES)
        );
        assert_eq!(
            kind("returned", "reason"),
            FieldKind::Enum(ReturnReason::NAMES)
        );
        assert_eq!(
            kind("enrollment_ended", "reason"),
            FieldKind::Enum(EnrollmentEndReason::NAMES)
        );
        assert_eq!(
            kind("pilot_closed", "status"),
            FieldKind::Enum(PilotStatus::NAMES)
        );
        assert_eq!(
            ReturnReason::NAMES,
            ["epoch_unspent", "finalized", "cancelled"]
        );
        for status in PilotStatus::ALL {
            let json = cosmwasm_std::to_json_string(status).unwrap();
            assert_eq!(json, format!("\"{status}\""));
        }
    }
}
