//! ACT (the compute credit) lives in a ledger inside the bme contract, not in the bank module.
//! These are the two cw20-shaped messages between that ledger and the contracts it allow-lists:
//! the `send` hook that delivers ACT (`receive`), and the `transfer` with which an allow-listed
//! contract pays ACT out. A receiving contract trusts `sender` and `amount` only when the hook
//! comes from its configured ledger.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    from_json, to_json_binary, Addr, Api, Binary, ConversionOverflowError, CosmosMsg, StdError,
    StdResult, Uint128, Uint256, WasmMsg,
};
use serde::de::DeserializeOwned;
use thiserror::Error;

/// Denom of the ACT compute credit (6 decimals, 1 ACT = 1 USD of compute).
pub const ACT_DENOM: &str = "uact";

/// Why ACT was refused on the way in (a `receive` hook) or could not be paid out.
#[derive(Error, Debug)]
pub enum ActError {
    /// Address validation or decoding the hook's message failed.
    #[error(transparent)]
    Std(#[from] StdError),
    /// The hook did not come from the configured ledger, or no ledger is configured.
    #[error("ACT is only accepted from the configured ledger")]
    UnknownLedger,
    /// A hook carrying no ACT.
    #[error("ACT amount must be greater than zero")]
    ZeroAmount,
    /// An ACT amount beyond the ledger's 128 bits.
    #[error("arithmetic overflow: {0}")]
    Overflow(String),
}

impl From<ConversionOverflowError> for ActError {
    fn from(e: ConversionOverflowError) -> Self {
        ActError::Overflow(e.to_string())
    }
}

/// A `receive` hook accepted by [`ActReceiveMsg::accept`].
#[derive(Debug)]
pub struct ReceivedAct<H> {
    /// The holder whose ACT was sent (validated).
    pub sender: Addr,
    /// ACT amount in uact, positive.
    pub amount: Uint256,
    /// The receiving contract's own message, decoded.
    pub hook: H,
}

/// Delivered to the receiving contract as `{"receive": {...}}` by the ACT ledger.
#[cw_serde]
pub struct ActReceiveMsg {
    /// The holder whose ACT was sent.
    pub sender: String,
    /// ACT amount in uact (6 decimals).
    pub amount: Uint128,
    /// The receiving contract's own message (e.g. a deposit), JSON-encoded.
    pub msg: Binary,
}

// Compact decoding for contracts that decode their messages with `supercloud_wire`.
supercloud_wire::wire_struct!(ActReceiveMsg {
    sender,
    amount,
    msg
});

/// The execute message shape a receiving contract must accept.
#[cw_serde]
pub enum ReceiveMsg {
    /// ACT arrived through the ledger's `send`.
    Receive(ActReceiveMsg),
}

/// Messages an allow-listed contract sends to the ACT ledger.
#[cw_serde]
pub enum ActLedgerMsg {
    /// Pays `amount` uact from the calling contract's ACT balance to `recipient`.
    Transfer { recipient: String, amount: Uint128 },
}

impl ActLedgerMsg {
    /// The wasm message that executes this on the ledger at `ledger`.
    pub fn into_cosmos_msg(self, ledger: impl Into<String>) -> StdResult<CosmosMsg> {
        Ok(WasmMsg::Execute {
            contract_addr: ledger.into(),
            msg: to_json_binary(&self)?,
            funds: vec![],
        }
        .into())
    }
}

impl ActReceiveMsg {
    /// Accepts this hook only when `caller` is `ledger` (the receiving contract's configured
    /// ledger): only then are `sender` and `amount` backed by ACT actually moved. The amount must
    /// be positive and `msg` must decode as the receiving contract's hook type `H`.
    pub fn accept<H: DeserializeOwned>(
        self,
        api: &dyn Api,
        ledger: Option<&Addr>,
        caller: &Addr,
    ) -> Result<ReceivedAct<H>, ActError> {
        if ledger != Some(caller) {
            return Err(ActError::UnknownLedger);
        }
        let sender = api.addr_validate(&self.sender)?;
        let amount = Uint256::from(self.amount);
        if amount.is_zero() {
            return Err(ActError::ZeroAmount);
        }
        Ok(ReceivedAct {
            sender,
            amount,
            hook: from_json(&self.msg)?,
        })
    }

    /// Wraps this hook into a message executed on `contract_addr` with no native funds.
    pub fn into_cosmos_msg(self, contract_addr: impl Into<String>) -> StdResult<CosmosMsg> {
        Ok(WasmMsg::Execute {
            contract_addr: contract_addr.into(),
            msg: to_json_binary(&ReceiveMsg::Receive(self))?,
            funds: vec![],
        }
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockApi;

    #[cw_serde]
    enum Hook {
        Deposit { dseq: u64 },
    }

    fn hook(sender: &str, amount: u128, msg: &str) -> ActReceiveMsg {
        ActReceiveMsg {
            sender: sender.into(),
            amount: Uint128::new(amount),
            msg: Binary::from(msg.as_bytes()),
        }
    }

    #[test]
    fn accepts_only_the_configured_ledger_a_positive_amount_and_a_known_hook() {
        let api = MockApi::default();
        let (ledger, other, alice) = (
            api.addr_make("ledger"),
            api.addr_make("other"),
            api.addr_make("alice"),
        );
        let ok = hook(alice.as_str(), 7, r#"{"deposit":{"dseq":3}}"#);
        let got = ok
            .clone()
            .accept::<Hook>(&api, Some(&ledger), &ledger)
            .unwrap();
        assert_eq!(
            (got.sender, got.amount),
            (alice.clone(), Uint256::from(7u8))
        );
        assert_eq!(got.hook, Hook::Deposit { dseq: 3 });

        let refused = |r: Result<ReceivedAct<Hook>, ActError>| r.unwrap_err().to_string();
        assert_eq!(
            refused(ok.clone().accept(&api, Some(&ledger), &other)),
            "ACT is only accepted from the configured ledger"
        );
        assert_eq!(
            refused(ok.accept(&api, None, &ledger)),
            "ACT is only accepted from the configured ledger"
        );
        let zero = hook(alice.as_str(), 0, r#"{"deposit":{"dseq":3}}"#);
        assert_eq!(
            refused(zero.accept(&api, Some(&ledger), &ledger)),
            "ACT amount must be greater than zero"
        );
        let unknown = hook(alice.as_str(), 1, r#"{"withdraw":{}}"#);
        assert!(matches!(
            unknown.accept::<Hook>(&api, Some(&ledger), &ledger),
            Err(ActError::Std(_))
        ));
        let bad_sender = hook("not an address", 1, r#"{"deposit":{"dseq":3}}"#);
        assert!(matches!(
            bad_sender.accept::<Hook>(&api, Some(&ledger), &ledger),
            Err(ActError::Std(_))
        ));
    }

    #[test]
    fn checks_run_ledger_then_sender_then_amount_then_hook() {
        let api = MockApi::default();
        let (ledger, other, alice) = (
            api.addr_make("ledger"),
            api.addr_make("other"),
            api.addr_make("alice"),
        );
        let check =
            |m: ActReceiveMsg, caller: &Addr| match m.accept::<Hook>(&api, Some(&ledger), caller) {
                Err(ActError::UnknownLedger) => "ledger",
                Err(ActError::Std(_)) => "std",
                Err(ActError::ZeroAmount) => "zero",
                Err(ActError::Overflow(_)) => "overflow",
                Ok(_) => "ok",
            };
        // Everything wrong at once: the foreign caller is what is reported.
        assert_eq!(check(hook("bad", 0, "{}"), &other), "ledger");
        // A bad sender before a zero amount, a zero amount before an unknown hook.
        assert_eq!(check(hook("bad", 0, "{}"), &ledger), "std");
        assert_eq!(check(hook(alice.as_str(), 0, "{}"), &ledger), "zero");
        assert_eq!(check(hook(alice.as_str(), 1, "{}"), &ledger), "std");
    }

    #[test]
    fn wire_shape_matches_cw20_receive() {
        let msg = ReceiveMsg::Receive(ActReceiveMsg {
            sender: "alice".into(),
            amount: Uint128::new(5),
            msg: Binary::from(b"{}".as_slice()),
        });
        assert_eq!(
            cosmwasm_std::to_json_string(&msg).unwrap(),
            r#"{"receive":{"sender":"alice","amount":"5","msg":"e30="}}"#
        );
    }
}
