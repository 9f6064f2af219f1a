//! Events of the bme contract (`wasm-bme.<action>`): Burn-Mint Equilibrium and the ACT ledger.
//!
//! Requests are named by `id` (one persistent counter for mints and burns). `kind` is `mint`
//! (AKT → ACT) or `burn` (ACT → AKT). Amounts are `Uint128` in the denom the field names or
//! the event's `*_denom` field says (`uakt` or `uact`). `supply` is the ACT total supply after the
//! change (ledger balances plus ACT held by queued burn requests); `vault_akt` is the vault's free
//! AKT (excluding AKT attached to queued mint requests); `pending_akt` / `pending_act` are the
//! totals held by queued mint / burn requests after the change. `cr_bps` is the collateral ratio
//! in basis points after the change, clamped to `u32::MAX` (also its value while the supply is
//! zero); while the oracle gives no price it is the last ratio computed with one.

use cosmwasm_std::{Addr, Decimal, Uint128};

attr_enum! {
    /// Direction of a request.
    pub enum RequestKind {
        /// AKT → ACT: uakt attached now, uact credited when it executes.
        Mint = "mint",
        /// ACT → AKT: uact held by the request now, uakt paid when it executes.
        Burn = "burn",
    }
}

attr_enum! {
    /// The circuit-breaker mode.
    pub enum Mode {
        /// CR above `warn_bps`: everything runs.
        Healthy = "healthy",
        /// CR in `(halt_bps, warn_bps]`: everything runs, mint epochs stretch.
        Warning = "warning",
        /// CR at or below `halt_bps`: only ACT → AKT is accepted and executed.
        HaltCr = "halt_cr",
        /// No healthy oracle price: nothing is accepted or executed; requests wait.
        HaltOracle = "halt_oracle",
    }
}

attr_enum! {
    /// Why a queued request could not execute in an epoch (it stays queued and counts an attempt).
    pub enum RetryReason {
        /// The oracle gave no healthy price.
        OracleUnhealthy = "oracle_unhealthy",
        /// A mint while the breaker is in halt-CR.
        Halted = "halted",
        /// A burn whose payout exceeds the vault's free AKT.
        VaultInsufficient = "vault_insufficient",
    }
}

attr_enum! {
    /// Why a request was cancelled and refunded.
    pub enum CancelReason {
        /// A mint below `min_mint` at the execution price.
        BelowMinMint = "below_min_mint",
        /// The request would credit or pay nothing at the execution price.
        ZeroAfterRounding = "zero_after_rounding",
        /// `max_attempts` epochs without a healthy oracle price.
        OracleUnhealthy = "oracle_unhealthy",
        /// `max_attempts` epochs in halt-CR (mints).
        Halted = "halted",
        /// `max_attempts` epochs with too little AKT in the vault (burns).
        VaultInsufficient = "vault_insufficient",
    }
}

impl From<RetryReason> for CancelReason {
    /// A request that exhausts its attempts is cancelled with its last retry reason.
    fn from(reason: RetryReason) -> Self {
        match reason {
            RetryReason::OracleUnhealthy => CancelReason::OracleUnhealthy,
            RetryReason::Halted => CancelReason::Halted,
            RetryReason::VaultInsufficient => CancelReason::VaultInsufficient,
        }
    }
}

attr_enum! {
    /// The two denoms bme moves (both fixed by the contract, not configurable).
    pub enum Denom {
        /// AKT, the collateral: a bank coin held by the contract.
        Uakt = "uakt",
        /// ACT, the compute credit: a balance in the contract's own ledger.
        Uact = "uact",
    }
}

catalogue! {
    contract = "bme";
    /// Every bme event.
    enum BmeEvent;

    /// AKT → ACT request `id` queued: `amount_akt` uakt now pending; `expected_act` is what it
    /// would mint at submission `price` before the spread.
    MintRequested = "mint_requested" {
        id: u64, owner: Addr, amount_akt: Uint128, expected_act: Uint128, price: Decimal,
        pending_akt: Uint128, height: u64
    }
    /// ACT → AKT request `id` queued: `amount_act` uact moved out of the owner's balance into the
    /// request (`balance` is the owner's ACT after), `expected_akt` at submission `price`.
    BurnRequested = "burn_requested" {
        id: u64, owner: Addr, amount_act: Uint128, expected_akt: Uint128, price: Decimal,
        balance: Uint128, pending_act: Uint128, height: u64
    }
    /// Request `id` executed at `price`. For a mint: `burned` uakt entered the vault (AKT is
    /// kept, not burned; `remint_credits` grew by it), `minted` is the gross uact, `spread` the
    /// uact withheld (never created), `paid` the uact credited to the owner. For a burn: `burned`
    /// uact left the supply, `minted` is the gross uakt value, `spread` the uakt kept in the vault,
    /// `paid` the uakt sent to the owner. `balance` is the owner's ACT after.
    RecordExecuted = "record_executed" {
        id: u64, kind: RequestKind, owner: Addr, burned: Uint128, burned_denom: Denom,
        minted: Uint128, minted_denom: Denom, spread: Uint128, paid: Uint128, price: Decimal,
        attempts: u32, balance: Uint128, supply: Uint128, vault_akt: Uint128,
        remint_credits: Uint128, pending_akt: Uint128, pending_act: Uint128, cr_bps: u32,
        height: u64
    }
    /// Request `id` could not execute in this epoch and stays queued (`attempts` so far).
    RecordRetried = "record_retried" {
        id: u64, kind: RequestKind, owner: Addr, attempts: u32, reason: RetryReason, height: u64
    }
    /// Request `id` was cancelled and `refund` (`refund_denom`) went back to the owner (uakt by
    /// bank send; uact credited to the owner's ledger balance, now `balance`). A request that
    /// ran out of attempts carries its last retry reason.
    RecordCancelled = "record_cancelled" {
        id: u64, kind: RequestKind, owner: Addr, reason: CancelReason, refund: Uint128,
        refund_denom: Denom, attempts: u32, balance: Uint128, supply: Uint128,
        pending_akt: Uint128, pending_act: Uint128, cr_bps: u32, height: u64
    }
    /// The circuit breaker changed mode. `price` is absent when the oracle gave none.
    ModeChanged = "mode_changed" {
        from: Mode, to: Mode, cr_bps: u32, price: Option<Decimal>, height: u64
    }
    /// A `kind` epoch finished at `height` after `executed`/`retried`/`cancelled` records; the next
    /// one is due at `next_epoch`.
    EpochClosed = "epoch_closed" {
        kind: RequestKind, height: u64, executed: u32, retried: u32, cancelled: u32,
        next_epoch: u64
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
    use crate::{CatalogEvent, FieldKind, SupercloudEvent};

    fn round_trip(event: BmeEvent) {
        let emitted = event.to_event();
        let attrs = emitted
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        let parsed = SupercloudEvent::parse(&format!("wasm-{}", emitted.ty), attrs).unwrap();
        assert_eq!(parsed, Some(SupercloudEvent::Bme(event)));
    }

    fn attr(event: &cosmwasm_std::Event, key: &str) -> String {
        let found = event.attributes.iter().find(|a| a.key == key);
        found.map(|a| a.value.clone()).unwrap_or_default()
    }

    #[test]
    fn record_executed_round_trips_with_pending_amounts_and_cr() {
        let ev = RecordExecuted {
            id: 7,
            kind: RequestKind::Mint,
            owner: Addr::unchecked("alice"),
            burned: Uint128::new(10_000_000),
            burned_denom: Denom::Uakt,
            minted: Uint128::new(25_000_000),
            minted_denom: Denom::Uact,
            spread: Uint128::new(62_500),
            paid: Uint128::new(24_937_500),
            price: Decimal::percent(250),
            attempts: 0,
            balance: Uint128::new(24_937_500),
            supply: Uint128::new(24_937_500),
            vault_akt: Uint128::new(10_000_000),
            remint_credits: Uint128::new(10_000_000),
            pending_akt: Uint128::new(3),
            pending_act: Uint128::new(4),
            cr_bps: 10_025,
            height: 12,
        };
        let event = ev.to_event();
        assert_eq!(event.ty, "bme.record_executed");
        assert_eq!(attr(&event, "kind"), "mint");
        assert_eq!(attr(&event, "burned_denom"), "uakt");
        assert_eq!(attr(&event, "minted_denom"), "uact");
        assert_eq!(attr(&event, "pending_akt"), "3");
        assert_eq!(attr(&event, "pending_act"), "4");
        assert_eq!(attr(&event, "cr_bps"), "10025");
        round_trip(ev.into());
    }

    #[test]
    fn record_cancelled_and_retried_carry_typed_reasons() {
        let ev = RecordCancelled {
            id: 3,
            kind: RequestKind::Burn,
            owner: Addr::unchecked("bob"),
            reason: RetryReason::VaultInsufficient.into(),
            refund: Uint128::new(5),
            refund_denom: Denom::Uact,
            attempts: 3,
            balance: Uint128::new(5),
            supply: Uint128::new(9),
            pending_akt: Uint128::zero(),
            pending_act: Uint128::new(1),
            cr_bps: 9_100,
            height: 40,
        };
        let event = ev.to_event();
        assert_eq!(attr(&event, "reason"), "vault_insufficient");
        assert_eq!(attr(&event, "cr_bps"), "9100");
        round_trip(ev.into());
        round_trip(
            RecordRetried {
                id: 4,
                kind: RequestKind::Mint,
                owner: Addr::unchecked("carol"),
                attempts: 1,
                reason: RetryReason::Halted,
                height: 41,
            }
            .into(),
        );
        // An unknown reason is refused by the parser, not passed through as text.
        let parsed = SupercloudEvent::parse(
            "wasm-bme.record_retried",
            [
                ("id", "4"),
                ("kind", "mint"),
                ("owner", "carol"),
                ("attempts", "1"),
                ("reason", "unknown"),
                ("height", "41"),
            ],
        );
        assert!(parsed.is_err());
    }

    #[test]
    fn every_retry_reason_is_a_cancel_reason_of_the_same_name() {
        for retry in RetryReason::ALL {
            assert_eq!(CancelReason::from(*retry).as_str(), retry.as_str());
        }
        let kind = |action: &str, field: &str| {
            let meta = BmeEvent::EVENTS.iter().find(|m| m.action == action);
            meta.and_then(|m| m.field(field)).map(|f| f.kind)
        };
        assert_eq!(
            kind("record_cancelled", "reason"),
            Some(FieldKind::Enum(CancelReason::NAMES))
        );
        assert_eq!(
            kind("mode_changed", "to"),
            Some(FieldKind::Enum(&[
                "healthy",
                "warning",
                "halt_cr",
                "halt_oracle"
            ]))
        );
        assert_eq!(
            kind("epoch_closed", "kind"),
            Some(FieldKind::Enum(&["mint", "burn"]))
        );
    }

    #[test]
    fn mode_change_without_price_and_governance_events() {
        let ev = ModeChanged {
            from: Mode::Healthy,
            to: Mode::HaltOracle,
            cr_bps: 9_400,
            price: None,
            height: 3,
        };
        let event = ev.to_event();
        assert!(!event.attributes.iter().any(|a| a.key == "price"));
        assert_eq!(attr(&event, "to"), "halt_oracle");
        round_trip(ev.into());
        assert!(BmeEvent::ACTIONS.contains(&"authority_accepted"));
        assert_eq!(VaultFunded::event_type(), "bme.vault_funded");
    }
}
