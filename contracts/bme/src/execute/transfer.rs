//! The ACT ledger's movements: `send` into allow-listed contracts and their `transfer` out.

use cosmwasm_std::{Addr, Binary, DepsMut, Response, Uint128};
use supercloud_events::{bme as ev, CatalogEvent};
use supercloud_std::{ActReceiveMsg, Paused};

use super::nonzero;
use crate::error::ContractError;
use crate::ledger::{credit, debit};
use crate::state::CONFIG;

/// Holder → allow-listed contract, with the contract's `receive` hook.
pub fn send(
    deps: DepsMut,
    sender: Addr,
    contract: String,
    amount: Uint128,
    msg: Binary,
) -> Result<Response, ContractError> {
    Paused::assert_not_paused(deps.storage)?;
    nonzero(amount, "ACT amount")?;
    let contract = deps.api.addr_validate(&contract)?;
    let config = CONFIG.load(deps.storage)?;
    if !config.allow_list.contains(&contract) {
        return Err(ContractError::NotAllowListed { contract });
    }
    let from_balance = debit(deps.storage, &sender, amount)?;
    let contract_balance = credit(deps.storage, &contract, amount)?;
    let hook = ActReceiveMsg {
        sender: sender.to_string(),
        amount,
        msg,
    }
    .into_cosmos_msg(contract.clone())?;
    Ok(Response::new().add_message(hook).add_event(
        ev::ActSent {
            from: sender,
            contract,
            amount,
            from_balance,
            contract_balance,
        }
        .to_event(),
    ))
}

/// Allow-listed contract → any address (provider payouts, refunds). Open while paused.
pub fn transfer(
    deps: DepsMut,
    sender: Addr,
    recipient: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    if !config.allow_list.contains(&sender) {
        return Err(ContractError::TransferNotAllowed { sender });
    }
    nonzero(amount, "ACT amount")?;
    let recipient = deps.api.addr_validate(&recipient)?;
    let contract_balance = debit(deps.storage, &sender, amount)?;
    let recipient_balance = credit(deps.storage, &recipient, amount)?;
    Ok(Response::new().add_event(
        ev::ActTransferred {
            contract: sender,
            recipient,
            amount,
            contract_balance,
            recipient_balance,
        }
        .to_event(),
    ))
}
