//! Sending money out: native coins through the bank, ACT through the bme ledger's `transfer`.

use cosmwasm_std::{Addr, BankMsg, Coin, CosmosMsg, Response, SubMsg, Uint128, Uint256};
use supercloud_std::{ActLedgerMsg, ACT_DENOM};

use crate::error::ContractError;
use crate::state::Config;

/// The message paying `amount` of `denom` to `to`; `None` for zero (a zero bank send fails on chain).
pub fn payout_msg(
    config: &Config,
    denom: &str,
    to: &Addr,
    amount: Uint256,
) -> Result<Option<CosmosMsg>, ContractError> {
    if amount.is_zero() {
        return Ok(None);
    }
    if denom == ACT_DENOM {
        let ledger = config
            .act_ledger
            .as_ref()
            .ok_or(ContractError::UnknownLedger)?;
        let msg = ActLedgerMsg::Transfer {
            recipient: to.to_string(),
            amount: Uint128::try_from(amount)?,
        };
        return Ok(Some(msg.into_cosmos_msg(ledger)?));
    }
    Ok(Some(
        BankMsg::Send {
            to_address: to.to_string(),
            amount: vec![Coin::new(amount, denom)],
        }
        .into(),
    ))
}

/// Adds the payout of `amount` to the response (nothing for zero).
pub fn pay(
    resp: &mut Response,
    config: &Config,
    denom: &str,
    to: &Addr,
    amount: Uint256,
) -> Result<(), ContractError> {
    if let Some(msg) = payout_msg(config, denom, to, amount)? {
        resp.messages.push(SubMsg::new(msg));
    }
    Ok(())
}
