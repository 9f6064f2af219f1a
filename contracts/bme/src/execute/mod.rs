//! Execute handlers, one file per concern. What the queries also need (balances, the oracle
//! price, the breaker) lives below both, in `ledger` and `breaker`.

pub mod governance;
pub mod process;
pub mod request;
pub mod transfer;

use cosmwasm_std::Uint128;

use crate::error::ContractError;

/// Fails on a zero amount.
pub fn nonzero(amount: Uint128, what: &'static str) -> Result<(), ContractError> {
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount { what });
    }
    Ok(())
}
