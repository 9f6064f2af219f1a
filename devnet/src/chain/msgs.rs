//! The messages the chain executes, decoded from their `Any`, with their signer and their
//! translation into cw-multi-test's `CosmosMsg`.

use std::str::FromStr;

use cosmwasm_std::{Binary, CosmosMsg, Uint256, WasmMsg};

use super::errors::TxError;
use crate::proto::bank::MsgSend;
use crate::proto::gov::{MsgSubmitProposal, MsgVote};
use crate::proto::type_url::*;
use crate::proto::wasm::{
    MsgExecuteContract, MsgInstantiateContract, MsgInstantiateContract2, MsgMigrateContract,
    MsgStoreCode,
};
use crate::proto::{Any, Coin, Named};

/// A message the devnet knows how to execute.
#[derive(Clone, Debug, PartialEq)]
pub enum ChainMsg {
    /// `cosmos.bank.v1beta1.MsgSend`.
    Send(MsgSend),
    /// `cosmwasm.wasm.v1.MsgStoreCode`.
    StoreCode(MsgStoreCode),
    /// `cosmwasm.wasm.v1.MsgInstantiateContract`.
    Instantiate(MsgInstantiateContract),
    /// `cosmwasm.wasm.v1.MsgInstantiateContract2`.
    Instantiate2(MsgInstantiateContract2),
    /// `cosmwasm.wasm.v1.MsgExecuteContract`.
    Execute(MsgExecuteContract),
    /// `cosmwasm.wasm.v1.MsgMigrateContract`.
    Migrate(MsgMigrateContract),
    /// `cosmos.gov.v1.MsgSubmitProposal`.
    SubmitProposal(MsgSubmitProposal),
    /// `cosmos.gov.v1.MsgVote`.
    Vote(MsgVote),
}

fn unpack<M: Named>(any: &Any) -> Result<M, TxError> {
    any.unpack::<M>()
        .map_err(|e| TxError::tx_decode(format!("{e:#}")))
}

impl ChainMsg {
    /// Decodes a message; an unknown type URL is a decode error, as in the SDK.
    pub fn decode(any: &Any) -> Result<Self, TxError> {
        Ok(match any.type_url.as_str() {
            MSG_SEND => ChainMsg::Send(unpack(any)?),
            MSG_STORE_CODE => ChainMsg::StoreCode(unpack(any)?),
            MSG_INSTANTIATE => ChainMsg::Instantiate(unpack(any)?),
            MSG_INSTANTIATE2 => ChainMsg::Instantiate2(unpack(any)?),
            MSG_EXECUTE => ChainMsg::Execute(unpack(any)?),
            MSG_MIGRATE => ChainMsg::Migrate(unpack(any)?),
            MSG_SUBMIT_PROPOSAL => ChainMsg::SubmitProposal(unpack(any)?),
            MSG_VOTE => ChainMsg::Vote(unpack(any)?),
            other => {
                return Err(TxError::tx_decode(format!(
                    "unable to resolve type URL {other}"
                )))
            }
        })
    }

    /// The message packed back into an `Any`.
    pub fn to_any(&self) -> Any {
        match self {
            ChainMsg::Send(m) => m.to_any(),
            ChainMsg::StoreCode(m) => m.to_any(),
            ChainMsg::Instantiate(m) => m.to_any(),
            ChainMsg::Instantiate2(m) => m.to_any(),
            ChainMsg::Execute(m) => m.to_any(),
            ChainMsg::Migrate(m) => m.to_any(),
            ChainMsg::SubmitProposal(m) => m.to_any(),
            ChainMsg::Vote(m) => m.to_any(),
        }
    }

    /// The address that must sign the message (`cosmos.msg.v1.signer`).
    pub fn signer(&self) -> &str {
        match self {
            ChainMsg::Send(m) => &m.from_address,
            ChainMsg::StoreCode(m) => &m.sender,
            ChainMsg::Instantiate(m) => &m.sender,
            ChainMsg::Instantiate2(m) => &m.sender,
            ChainMsg::Execute(m) => &m.sender,
            ChainMsg::Migrate(m) => &m.sender,
            ChainMsg::SubmitProposal(m) => &m.proposer,
            ChainMsg::Vote(m) => &m.voter,
        }
    }

    /// The type URL.
    pub fn type_url(&self) -> &'static str {
        match self {
            ChainMsg::Send(_) => MSG_SEND,
            ChainMsg::StoreCode(_) => MSG_STORE_CODE,
            ChainMsg::Instantiate(_) => MSG_INSTANTIATE,
            ChainMsg::Instantiate2(_) => MSG_INSTANTIATE2,
            ChainMsg::Execute(_) => MSG_EXECUTE,
            ChainMsg::Migrate(_) => MSG_MIGRATE,
            ChainMsg::SubmitProposal(_) => MSG_SUBMIT_PROPOSAL,
            ChainMsg::Vote(_) => MSG_VOTE,
        }
    }
}

/// Protobuf coins as cosmwasm coins (amounts must be decimal integers).
pub fn coins(list: &[Coin]) -> Result<Vec<cosmwasm_std::Coin>, TxError> {
    list.iter()
        .map(|c| {
            let amount = Uint256::from_str(&c.amount)
                .map_err(|e| TxError::invalid_coins(format!("{}{}: {e}", c.amount, c.denom)))?;
            Ok(cosmwasm_std::Coin::new(amount, c.denom.clone()))
        })
        .collect()
}

fn admin(admin: &str) -> Option<String> {
    (!admin.is_empty()).then(|| admin.to_string())
}

/// The cw-multi-test message for a bank or wasm message (`None` for messages the chain handles
/// itself: store code and gov).
pub fn to_cosmos(msg: &ChainMsg) -> Result<Option<CosmosMsg>, TxError> {
    Ok(Some(match msg {
        ChainMsg::Send(m) => cosmwasm_std::BankMsg::Send {
            to_address: m.to_address.clone(),
            amount: coins(&m.amount)?,
        }
        .into(),
        ChainMsg::Instantiate(m) => WasmMsg::Instantiate {
            admin: admin(&m.admin),
            code_id: m.code_id,
            msg: Binary::from(m.msg.clone()),
            funds: coins(&m.funds)?,
            label: m.label.clone(),
        }
        .into(),
        ChainMsg::Instantiate2(m) => {
            if m.fix_msg {
                return Err(TxError::invalid_request("fix_msg is not supported"));
            }
            if m.salt.is_empty() || m.salt.len() > 64 {
                return Err(TxError::invalid_request("salt must be 1 to 64 bytes"));
            }
            WasmMsg::Instantiate2 {
                admin: admin(&m.admin),
                code_id: m.code_id,
                label: m.label.clone(),
                msg: Binary::from(m.msg.clone()),
                funds: coins(&m.funds)?,
                salt: Binary::from(m.salt.clone()),
            }
            .into()
        }
        ChainMsg::Execute(m) => WasmMsg::Execute {
            contract_addr: m.contract.clone(),
            msg: Binary::from(m.msg.clone()),
            funds: coins(&m.funds)?,
        }
        .into(),
        ChainMsg::Migrate(m) => WasmMsg::Migrate {
            contract_addr: m.contract.clone(),
            new_code_id: m.code_id,
            msg: Binary::from(m.msg.clone()),
        }
        .into(),
        ChainMsg::StoreCode(_) | ChainMsg::SubmitProposal(_) | ChainMsg::Vote(_) => {
            return Ok(None)
        }
    }))
}
