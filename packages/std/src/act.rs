//! ACT (the compute credit) lives in a ledger inside the bme contract, not in the bank module.
//! These are the two cw20-shaped messages between that ledger and the contracts it allow-lists:
//! the `send` hook that delivers ACT (`receive`), and the `transfer` with which an allow-listed
//! contract pays ACT out. A receiving contract trusts `sender` and `amount` only when the hook
//! comes from its configured ledger.

use cosmwasm_schema::cw_serde;

/// Denom of the ACT compute credit (6 decimals, 1 ACT = 1 USD of compute).
pub const ACT_DENOM: &str = "uact";
use cosmwasm_std::{to_json_binary, Binary, CosmosMsg, StdResult, Uint128, WasmMsg};

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
