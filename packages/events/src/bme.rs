//! Events of the bme contract (`wasm-bme.<action>`): Burn-Mint Equilibrium and the ACT ledger.
//!
//! Requests are named by `id` (one persistent counter for mints and burns). `kind` is `mint`
//! (AKT → ACT) or `burn` (ACT → AKT). Amounts are `Uint128` in the denom the field names or
//! the event's `*_denom` field says (`uakt` or `uact`). `supply` is the ACT total supply after the
//! change (ledger balances plus ACT held by queued burn requests); `vault_akt` is the vault's free
//! AKT (excluding AKT attached to queued mint requests). `cr_bps` is the collateral ratio in basis
//! points, clamped to `u32::MAX` (also its value while the supply is zero).

use cosmwasm_std::{Addr, Decimal256, Uint128};

catalogue! {
    contract = "bme";
    /// Every bme event.
    enum BmeEvent;

    /// AKT → ACT request `id` queued: `amount_akt` uakt now pending; `expected_act` is what it
    /// would mint at submission `price` before the spread.
    MintRequested = "mint_requested" {
        id: u64, owner: Addr, amount_akt: Uint128, expected_act: Uint128, price: Decimal256,
        pending_akt: Uint128, height: u64
    }
    /// ACT → AKT request `id` queued: `amount_act` uact moved out of the owner's balance into the
    /// request (`balance` is the owner's ACT after), `expected_akt` at submission `price`.
    BurnRequested = "burn_requested" {
        id: u64, owner: Addr, amount_act: Uint128, expected_akt: Uint128, price: Decimal256,
        balance: Uint128, pending_act: Uint128, height: u64
    }
    /// Request `id` executed at `price`. For a mint: `burned` uakt entered the vault (AKT is
    /// kept, not burned; `remint_credits` grew by it), `minted` is the gross uact, `spread` the
    /// uact withheld (never created), `paid` the uact credited to the owner. For a burn: `burned`
    /// uact left the supply, `minted` is the gross uakt value, `spread` the uakt kept in the vault,
    /// `paid` the uakt sent to the owner. `balance` is the owner's ACT after.
    RecordExecuted = "record_executed" {
        id: u64, kind: String, owner: Addr, burned: Uint128, burned_denom: String,
        minted: Uint128, minted_denom: String, spread: Uint128, paid: Uint128, price: Decimal256,
        attempts: u32, balance: Uint128, supply: Uint128, vault_akt: Uint128,
        remint_credits: Uint128, cr_bps: u32, height: u64
    }
    /// Request `id` could not execute in this epoch and stays queued; `reason` is one of
    /// `oracle_unhealthy`, `halted`, `vault_insufficient`.
    RecordRetried = "record_retried" {
        id: u64, kind: String, owner: Addr, attempts: u32, reason: String, height: u64
    }
    /// Request `id` was cancelled and `refund` (`refund_denom`) went back to the owner (uakt by
    /// bank send; uact credited to the owner's ledger balance, now `balance`). `reason`:
    /// `below_min_mint`, `zero_after_rounding`, `oracle_unhealthy`, `halted`,
    /// `vault_insufficient` (the last retriable failure once `max_attempts` is reached).
    RecordCancelled = "record_cancelled" {
        id: u64, kind: String, owner: Addr, reason: String, refund: Uint128,
        refund_denom: String, attempts: u32, balance: Uint128, supply: Uint128,
        pending_akt: Uint128, pending_act: Uint128, height: u64
    }
    /// The circuit breaker moved between `healthy`, `warning`, `halt_cr` and `halt_oracle`.
    /// `price` is absent when the oracle gave none.
    ModeChanged = "mode_changed" {
        from: String, to: String, cr_bps: u32, price: Option<Decimal256>, height: u64
    }
    /// A `kind` epoch finished at `height` after `executed`/`retried`/`cancelled` records; the next
    /// one is due at `next_epoch`.
    EpochClosed = "epoch_closed" {
        kind: String, height: u64, executed: u32, retried: u32, cancelled: u32, next_epoch: u64
    }
    /// The authority added the attached `amount` uakt to the vault (now `vault_akt`).
    VaultFunded = "vault_funded" { authority: Addr, amount: Uint128, vault_akt: Uint128 }
    /// `from` moved `amount` uact to the allow-listed `contract` with its receive hook.
    ActSent = "act_sent" {
        from: Addr, contract: Addr, amount: Uint128, from_balance: Uint128,
        contract_balance: Uint128
    }
    /// The allow-listed `contract` paid `amount` uact out of its balance to `recipient`.
    ActTransferred = "act_transferred" {
        contract: Addr, recipient: Addr, amount: Uint128, contract_balance: Uint128,
        recipient_balance: Uint128
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CatalogEvent, SupercloudEvent};

    #[test]
    fn record_executed_round_trips() {
        let ev = RecordExecuted {
            id: 7,
            kind: "mint".into(),
            owner: Addr::unchecked("alice"),
            burned: Uint128::new(10_000_000),
            burned_denom: "uakt".into(),
            minted: Uint128::new(25_000_000),
            minted_denom: "uact".into(),
            spread: Uint128::new(62_500),
            paid: Uint128::new(24_937_500),
            price: Decimal256::percent(250),
            attempts: 0,
            balance: Uint128::new(24_937_500),
            supply: Uint128::new(24_937_500),
            vault_akt: Uint128::new(10_000_000),
            remint_credits: Uint128::new(10_000_000),
            cr_bps: 10_025,
            height: 12,
        };
        let event = ev.to_event();
        assert_eq!(event.ty, "bme.record_executed");
        let attrs = event
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        let parsed = SupercloudEvent::parse("wasm-bme.record_executed", attrs).unwrap();
        assert_eq!(parsed, Some(SupercloudEvent::Bme(ev.into())));
    }

    #[test]
    fn mode_change_without_price_and_governance_events() {
        let ev = ModeChanged {
            from: "healthy".into(),
            to: "halt_oracle".into(),
            cr_bps: 9_400,
            price: None,
            height: 3,
        };
        let event = ev.to_event();
        assert!(!event.attributes.iter().any(|a| a.key == "price"));
        let attrs = event
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        let parsed = SupercloudEvent::parse(&event.ty, attrs).unwrap().unwrap();
        assert_eq!(parsed, SupercloudEvent::Bme(ev.into()));
        assert!(BmeEvent::ACTIONS.contains(&"authority_accepted"));
        assert_eq!(VaultFunded::event_type(), "bme.vault_funded");
    }
}
