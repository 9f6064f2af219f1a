//! Execute handlers, one file per concern, and the helpers they share.

pub mod governance;
pub mod ledger;
pub mod process;
pub mod request;

use cosmwasm_std::{Addr, Decimal256, QuerierWrapper, Storage, Uint128};

use crate::error::ContractError;
use crate::math;
use crate::state::{Config, Mode, Vault, BALANCES};

/// Denom of AKT, the collateral.
pub const AKT_DENOM: &str = "uakt";

/// The oracle's healthy price for the configured pair, or why there is none (the oracle refuses
/// stale or unhealthy prices; a zero price counts as unhealthy).
pub fn oracle_price(querier: &QuerierWrapper, config: &Config) -> Result<Decimal256, String> {
    let price: oracle::msg::PriceResponse = querier
        .query_wasm_smart(
            &config.oracle,
            &oracle::msg::QueryMsg::Price {
                pair: config.pair.clone(),
            },
        )
        .map_err(|e| e.to_string())?;
    if price.price.is_zero() {
        return Err("zero price".into());
    }
    Ok(price.price)
}

/// Mode and CR for a price outcome: halt-oracle without a price (CR then keeps `fallback_cr`).
pub fn evaluate(
    price: &Result<Decimal256, String>,
    vault: &Vault,
    config: &Config,
    fallback_cr: u32,
) -> Result<(Mode, u32), ContractError> {
    match price {
        Err(_) => Ok((Mode::HaltOracle, fallback_cr)),
        Ok(p) => {
            let cr = math::collateral_ratio_bps(vault.vault_akt, *p, vault.supply)?;
            Ok((math::mode_for(cr, &config.params), cr))
        }
    }
}

/// ACT balance of `addr` (zero when absent).
pub fn balance_of(storage: &dyn Storage, addr: &Addr) -> Result<Uint128, ContractError> {
    Ok(BALANCES.may_load(storage, addr)?.unwrap_or_default())
}

/// Adds `amount` to `addr`'s ACT balance; returns the new balance.
pub fn credit(
    storage: &mut dyn Storage,
    addr: &Addr,
    amount: Uint128,
) -> Result<Uint128, ContractError> {
    let balance = balance_of(storage, addr)?.checked_add(amount)?;
    BALANCES.save(storage, addr, &balance)?;
    Ok(balance)
}

/// Takes `amount` from `addr`'s ACT balance; returns the new balance. Empty balances are removed.
pub fn debit(
    storage: &mut dyn Storage,
    addr: &Addr,
    amount: Uint128,
) -> Result<Uint128, ContractError> {
    let have = balance_of(storage, addr)?;
    let left = have
        .checked_sub(amount)
        .map_err(|_| ContractError::InsufficientAct {
            balance: have,
            needed: amount,
        })?;
    if left.is_zero() {
        BALANCES.remove(storage, addr);
    } else {
        BALANCES.save(storage, addr, &left)?;
    }
    Ok(left)
}

/// Fails on a zero amount.
pub fn nonzero(amount: Uint128, what: &'static str) -> Result<(), ContractError> {
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount { what });
    }
    Ok(())
}
