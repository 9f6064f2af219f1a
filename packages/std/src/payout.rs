//! Sending money out of a contract: native coins through the bank, ACT through the bme ledger's
//! `transfer` (ACT is not a bank denom).

use cosmwasm_std::{Addr, BankMsg, Coin, CosmosMsg, Response, SubMsg, Uint128, Uint256};

use crate::act::{ActError, ActLedgerMsg, ACT_DENOM};

/// The message paying `amount` of `denom` to `to`, ACT through `ledger`; `None` for zero (a zero
/// bank send fails on chain).
pub fn payout_msg(
    ledger: Option<&Addr>,
    denom: &str,
    to: &Addr,
    amount: Uint256,
) -> Result<Option<CosmosMsg>, ActError> {
    if amount.is_zero() {
        return Ok(None);
    }
    if denom == ACT_DENOM {
        let ledger = ledger.ok_or(ActError::UnknownLedger)?;
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

/// Adds the payout of `amount` of `denom` to `to` to the response (nothing for zero).
pub fn pay(
    resp: &mut Response,
    ledger: Option<&Addr>,
    denom: &str,
    to: &Addr,
    amount: Uint256,
) -> Result<(), ActError> {
    if let Some(msg) = payout_msg(ledger, denom, to, amount)? {
        resp.messages.push(SubMsg::new(msg));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::{from_json, testing::MockApi, WasmMsg};

    #[test]
    fn native_goes_through_the_bank_act_through_the_ledger_zero_nowhere() {
        let api = MockApi::default();
        let (ledger, bob) = (api.addr_make("ledger"), api.addr_make("bob"));
        let five = Uint256::from(5u8);

        let bank = payout_msg(Some(&ledger), "uakt", &bob, five).unwrap();
        assert_eq!(
            bank,
            Some(CosmosMsg::Bank(BankMsg::Send {
                to_address: bob.to_string(),
                amount: vec![Coin::new(5u128, "uakt")],
            }))
        );

        let Some(CosmosMsg::Wasm(WasmMsg::Execute {
            contract_addr,
            msg,
            funds,
        })) = payout_msg(Some(&ledger), ACT_DENOM, &bob, five).unwrap()
        else {
            panic!("ACT is paid by a wasm execute on the ledger");
        };
        assert_eq!(contract_addr, ledger.to_string());
        assert!(funds.is_empty());
        assert_eq!(
            from_json::<ActLedgerMsg>(&msg).unwrap(),
            ActLedgerMsg::Transfer {
                recipient: bob.to_string(),
                amount: Uint128::new(5),
            }
        );

        // Native coins need no ledger.
        assert_eq!(payout_msg(None, "uakt", &bob, five).unwrap(), bank);
        assert_eq!(
            payout_msg(None, "uakt", &bob, Uint256::zero()).unwrap(),
            None
        );
        let mut resp = Response::new();
        pay(&mut resp, Some(&ledger), ACT_DENOM, &bob, Uint256::zero()).unwrap();
        assert!(resp.messages.is_empty());
    }

    #[test]
    fn act_without_a_ledger_or_beyond_128_bits_is_refused() {
        let bob = MockApi::default().addr_make("bob");
        let err = payout_msg(None, ACT_DENOM, &bob, Uint256::one()).unwrap_err();
        assert!(matches!(err, ActError::UnknownLedger));
        let huge = Uint256::from(u128::MAX) + Uint256::one();
        let err = payout_msg(Some(&bob), ACT_DENOM, &bob, huge).unwrap_err();
        assert!(matches!(err, ActError::Overflow(_)));
    }
}
