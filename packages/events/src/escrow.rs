//! Events of the escrow contract (`wasm-escrow.<action>`).
//!
//! An account is named by `owner` + `dseq`; a payment by those plus `payment_id`. Amounts are in the
//! account's `denom`. `balance` is always the account's remaining deposits after the change.

use cosmwasm_std::{Addr, Decimal256, Uint256};

attr_enum! {
    /// Lifecycle of an escrow account.
    pub enum AccountState {
        /// Funded and charging its payments.
        Open = "open",
        /// Funds ran out; payments carry debt. Reopens if the debt is paid inside the grace window.
        Overdrawn = "overdrawn",
        /// Terminal. Remaining deposits are refunded (in batches).
        Closed = "closed",
    }
}

attr_enum! {
    /// Lifecycle of a payment (lease).
    pub enum PaymentState {
        /// Accruing its rate every block.
        Open = "open",
        /// Its account ran out of funds; accrues nothing, carries debt.
        Overdrawn = "overdrawn",
        /// Terminal.
        Closed = "closed",
    }
}

attr_enum! {
    /// Why a payment or account closed.
    pub enum CloseReason {
        /// The account owner closed it.
        Owner = "owner",
        /// The provider closed the payment.
        Provider = "provider",
        /// The account closed (its payments close with it).
        AccountClosed = "account_closed",
        /// Funds ran out and the grace window ended.
        Overdrawn = "overdrawn",
    }
}

attr_enum! {
    /// Where a deposit's money came from.
    pub enum DepositSourceKind {
        /// The depositor's own coins (or ACT); refunded to the depositor.
        Funds = "funds",
        /// Spent by a grantee from the depositor's allowance; refunds are credited back to it.
        Allowance = "allowance",
    }
}

catalogue! {
    contract = "escrow";
    /// Every escrow event.
    enum EscrowEvent;

    /// A deployment account was opened.
    AccountOpened = "account_opened" { owner: Addr, dseq: u64, denom: String, height: u64 }
    /// Funds entered an account: the depositor's own (`source` = `funds`) or spent from
    /// `depositor`'s allowance to `grantee` (`allowance`). A top-up merges into the newest deposit
    /// entry when that entry is the same depositor's from the same source, else it is a new entry
    /// (queued behind the others); `deposit_remaining` is that entry's remainder after the
    /// change. `account_rate` and `depletes_at` are the account's after it.
    Deposited = "deposited" {
        owner: Addr, dseq: u64, depositor: Addr, source: DepositSourceKind,
        grantee: Option<Addr>, amount: Uint256, denom: String, deposit_remaining: Uint256,
        balance: Uint256, height: u64, account_rate: Decimal256, depletes_at: Option<u64>
    }
    /// Settlements took `amount` from one depositor's deposit entry (oldest first):
    /// `deposit_remaining` is what is left of it (0 when it was used up). The account's `balance`
    /// drops at the settlement itself; the entries that paid are worked out at most
    /// `consume_batch` per call (30 by default), so after a settlement that used up more entries
    /// the rest are reported by later calls on the account, at their `height`. Which depositor
    /// paid how much never depends on that pace.
    DepositConsumed = "deposit_consumed" {
        owner: Addr, dseq: u64, depositor: Addr, source: DepositSourceKind,
        grantee: Option<Addr>, amount: Uint256, denom: String, deposit_remaining: Uint256,
        height: u64
    }
    /// A payment (lease) was opened against an account: `rate` is the payment's, `account_rate`
    /// the sum over the account's open payments after it.
    PaymentOpened = "payment_opened" {
        owner: Addr, dseq: u64, payment_id: u64, provider: Addr, rate: Decimal256, denom: String,
        gpu_model: String, gpu_count: u32, height: u64, account_rate: Decimal256,
        depletes_at: Option<u64>
    }
    /// One payment's share of a settlement covering blocks `(from_height, to_height]`. `amount`
    /// moved from deposits to the payment's withdrawable balance; `debt` is what was due but not
    /// covered (overdraw).
    PaymentSettled = "payment_settled" {
        owner: Addr, dseq: u64, payment_id: u64, provider: Addr, from_height: u64, to_height: u64,
        amount: Uint256, debt: Uint256, denom: String, withdrawable: Uint256
    }
    /// An account settlement charging blocks `(from_height, to_height]`. When funds ran out,
    /// `exhausted_at` = `to_height` is the first height whose charge the funds could not cover:
    /// charging stops there. `depletes_at` is the predicted `exhausted_at` of an account that
    /// is still open.
    Settled = "settled" {
        owner: Addr, dseq: u64, from_height: u64, to_height: u64, amount: Uint256, debt: Uint256,
        denom: String, balance: Uint256, exhausted_at: Option<u64>, account_rate: Decimal256,
        depletes_at: Option<u64>
    }
    /// Funds ran out: the account and its payments are overdrawn. A top-up that clears `debt`
    /// by `grace_until` (inclusive) reopens it; after that it can only close.
    Overdrawn = "overdrawn" {
        owner: Addr, dseq: u64, height: u64, exhausted_at: u64, debt: Uint256, denom: String,
        grace_until: u64
    }
    /// A deposit paid down a payment's debt.
    DebtPaid = "debt_paid" {
        owner: Addr, dseq: u64, payment_id: u64, provider: Addr, amount: Uint256, denom: String,
        debt_remaining: Uint256
    }
    /// All debt was paid within the grace window; the account and its payments run again from
    /// the block after `height`.
    Reopened = "reopened" {
        owner: Addr, dseq: u64, height: u64, account_rate: Decimal256, depletes_at: Option<u64>
    }
    /// A provider withdrew a payment's settled balance (zero on a repeat in the same block).
    Withdrawn = "withdrawn" {
        owner: Addr, dseq: u64, payment_id: u64, provider: Addr, amount: Uint256, denom: String
    }
    /// A payment closed. `paid_out` is the final balance sent to the provider; `unpaid_debt` was
    /// owed and is written off. `account_rate` and `depletes_at` are the account's after it.
    PaymentClosed = "payment_closed" {
        owner: Addr, dseq: u64, payment_id: u64, provider: Addr, reason: CloseReason,
        paid_out: Uint256, unpaid_debt: Uint256, denom: String, height: u64,
        account_rate: Decimal256, depletes_at: Option<u64>
    }
    /// An account closed. `refunds_pending` deposits are still to be refunded by further
    /// `refund` calls.
    AccountClosed = "account_closed" {
        owner: Addr, dseq: u64, reason: CloseReason, height: u64, refunds_pending: u64
    }
    /// A depositor's unspent remainder went back: to `depositor` for `funds`, or credited to the
    /// allowance of `depositor` to `grantee` for `allowance`.
    Refunded = "refunded" {
        owner: Addr, dseq: u64, depositor: Addr, source: DepositSourceKind,
        grantee: Option<Addr>, amount: Uint256, denom: String
    }
    /// A sponsor funded (or topped up) an allowance; `balance` is what the grantee may now spend.
    AllowanceGranted = "allowance_granted" {
        granter: Addr, grantee: Addr, scope: String, denom: String, amount: Uint256,
        balance: Uint256, expires_at: Option<u64>
    }
    /// An allowance balance changed by a spend (negative flow) or refund credit.
    AllowanceChanged = "allowance_changed" {
        granter: Addr, grantee: Addr, denom: String, spent: Uint256, credited: Uint256,
        balance: Uint256
    }
    /// The granter revoked an allowance; `returned` went back to the granter.
    AllowanceRevoked = "allowance_revoked" {
        granter: Addr, grantee: Addr, denom: String, returned: Uint256
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CatalogEvent, SupercloudEvent};

    #[test]
    fn round_trips_through_wasm_event() {
        let ev = Deposited {
            owner: Addr::unchecked("owner"),
            dseq: 7,
            depositor: Addr::unchecked("sponsor"),
            source: DepositSourceKind::Allowance,
            grantee: Some(Addr::unchecked("agent")),
            amount: Uint256::from(5u32),
            denom: "uakt".into(),
            deposit_remaining: Uint256::from(5u32),
            balance: Uint256::from(105u32),
            height: 12,
            account_rate: Decimal256::percent(250),
            depletes_at: Some(54),
        };
        let event = ev.to_event();
        assert_eq!(event.ty, "escrow.deposited");
        // As the chain delivers it: prefixed type and wasmd's contract address first.
        let mut attrs = vec![("_contract_address", "cosmwasm1escrow")];
        attrs.extend(
            event
                .attributes
                .iter()
                .map(|a| (a.key.as_str(), a.value.as_str())),
        );
        let parsed = SupercloudEvent::parse("wasm-escrow.deposited", attrs).unwrap();
        assert_eq!(parsed, Some(SupercloudEvent::Escrow(ev.into())));
    }

    #[test]
    fn optional_fields_are_omitted_and_restored() {
        let ev = Settled {
            owner: Addr::unchecked("o"),
            dseq: 1,
            from_height: 1,
            to_height: 5,
            amount: Uint256::from(4u32),
            debt: Uint256::zero(),
            denom: "uakt".into(),
            balance: Uint256::zero(),
            exhausted_at: None,
            account_rate: Decimal256::zero(),
            depletes_at: None,
        };
        let event = ev.to_event();
        assert!(!event.attributes.iter().any(|a| a.key == "exhausted_at"));
        let attrs = event
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        let parsed = SupercloudEvent::parse(&event.ty, attrs).unwrap().unwrap();
        assert_eq!(parsed, SupercloudEvent::Escrow(ev.into()));
    }

    #[test]
    fn bad_events_are_typed_errors() {
        use crate::ParseError;
        let err = SupercloudEvent::parse("wasm-escrow.nope", []).unwrap_err();
        assert!(matches!(err, ParseError::UnknownAction { .. }));
        let err = SupercloudEvent::parse("wasm-escrow.reopened", [("owner", "o"), ("dseq", "x")])
            .unwrap_err();
        assert!(matches!(err, ParseError::Invalid { ref key, .. } if key == "dseq"));
        let err = SupercloudEvent::parse(
            "wasm-escrow.account_closed",
            [("owner", "o"), ("dseq", "1"), ("reason", "bored")],
        )
        .unwrap_err();
        assert!(matches!(err, ParseError::Invalid { ref key, .. } if key == "reason"));
        let err = SupercloudEvent::parse("wasm-escrow.reopened", [("owner", "o"), ("dseq", "1")])
            .unwrap_err();
        assert_eq!(
            err,
            ParseError::Missing {
                key: "height".into()
            }
        );
        let err = SupercloudEvent::parse("escrow.reopened", [("owner", "o"), ("owner", "p")])
            .unwrap_err();
        assert!(matches!(err, ParseError::Duplicate { .. }));
        // Not ours: ignored, not an error.
        assert_eq!(
            SupercloudEvent::parse("transfer", [("amount", "1uakt")]).unwrap(),
            None
        );
        assert_eq!(
            SupercloudEvent::parse("wasm-cw20.transfer", []).unwrap(),
            None
        );
    }

    #[test]
    fn closed_sets_have_one_name_in_events_and_json() {
        for reason in CloseReason::ALL {
            let json = cosmwasm_std::to_json_string(reason).unwrap();
            assert_eq!(json, format!("\"{}\"", reason.as_str()));
            assert_eq!(reason.as_str().parse::<CloseReason>(), Ok(*reason));
        }
        assert_eq!(CloseReason::AccountClosed.as_str(), "account_closed");
        let err = "bored".parse::<CloseReason>().unwrap_err();
        assert_eq!(err.expected, CloseReason::NAMES);
        let reason = EscrowEvent::EVENTS
            .iter()
            .find(|m| m.action == "account_closed")
            .and_then(|m| m.field("reason"))
            .unwrap();
        assert_eq!(reason.kind, crate::FieldKind::Enum(CloseReason::NAMES));
    }

    #[test]
    fn governance_events_carry_the_contract_prefix() {
        assert_eq!(AuthorityProposed::event_type(), "escrow.authority_proposed");
        assert!(EscrowEvent::ACTIONS.contains(&"migrated"));
        let change = crate::AuthorityChange::Accepted {
            previous: Addr::unchecked("gov"),
            authority: Addr::unchecked("dao"),
        };
        assert_eq!(
            EscrowEvent::from(change).to_event().ty,
            "escrow.authority_accepted"
        );
    }
}
