//! The oracle price and the circuit-breaker evaluation, shared by the execute handlers and the
//! `status` query.

use cosmwasm_std::{Decimal, QuerierWrapper};
use serde::{Deserialize, Serialize};

use crate::math;
use crate::msg::{Mode, Params, Vault};
use crate::state::Config;

/// The oracle's `{"price":{"pair":..}}` query (the JSON of `oracle::msg::QueryMsg::Price`).
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum OracleQuery<'a> {
    Price { pair: &'a str },
}

/// The one field bme reads of the oracle's `PriceResponse`. Unlike that type it accepts fields it
/// does not know, so a newer oracle may add some without breaking this contract. The price is
/// read as a `Decimal` (up to ~3.4 × 10^20 USD per AKT); a larger one counts as no price.
#[derive(Deserialize)]
struct OraclePrice {
    price: Decimal,
}

/// The oracle's healthy price for the configured pair, or why there is none (the oracle refuses
/// stale or unhealthy prices; a zero price counts as unhealthy).
pub fn oracle_price(querier: &QuerierWrapper, config: &Config) -> Result<Decimal, String> {
    let query = OracleQuery::Price { pair: &config.pair };
    let answer: OraclePrice = querier
        .query_wasm_smart(&config.oracle, &query)
        .map_err(|e| e.to_string())?;
    if answer.price.is_zero() {
        return Err("zero price".into());
    }
    Ok(answer.price)
}

/// Mode and CR for a price outcome: halt-oracle without a price (CR then keeps `fallback_cr`).
pub fn evaluate(
    price: &Result<Decimal, String>,
    vault: &Vault,
    params: &Params,
    fallback_cr: u32,
) -> (Mode, u32) {
    match price {
        Err(_) => (Mode::HaltOracle, fallback_cr),
        Ok(p) => {
            let cr = math::collateral_ratio_bps(vault.vault_akt, *p, vault.supply);
            (math::mode_for(cr, params), cr)
        }
    }
}

#[cfg(test)]
#[path = "breaker_tests.rs"]
mod tests;
