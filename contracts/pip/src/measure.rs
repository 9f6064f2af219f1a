//! Reads verified work and prices from other contracts, and turns them into amounts.
//!
//! Work is read with the shared [`VerifiedWorkQuery`] (DESIGN §4.1, §4.5), per eligible GPU model
//! over `(from, to]`, from every configured source and added up:
//! - the escrow contract (always): what the provider's leases actually paid for, booked at
//!   settlement height;
//! - the reservations contract, when `Config::reservations` is set: reserved time of attested
//!   hosts that the provider was paid for, booked at claim height (never `gpu_blocks`).
//!
//! GPU-seconds and GPU-blocks are summed per model over the sources; committed pilots convert each
//! model's summed GPU-seconds to hours once. Value is per denom and independent of the model, so
//! it is taken once per source (from its first model's answer) and the sources' values are added.
//! A source that fails to answer fails the measurement (settlement waits; nothing is paid short).

use cosmwasm_std::{Addr, Decimal256, Deps, Uint128, Uint256};
use oracle::msg::{PriceResponse, QueryMsg as OracleQuery};
use supercloud_std::{VerifiedWorkQuery, VerifiedWorkResponse};

use crate::error::ContractError;
use crate::state::{Config, Pilot, PilotKind};

/// Seconds per hour (GPU-seconds to GPU-hours).
const SECONDS_PER_HOUR: u128 = 3_600;

/// A provider's eligible work in one range.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Measurement {
    pub gpu_seconds: Uint128,
    pub gpu_blocks: Uint128,
    /// Value paid to the provider in the pilot denom: escrow leases plus reservations.
    pub value: Uint256,
    /// Committed kind: Σ GPU-hours × rate (each model's hours floored to 18 decimals).
    pub usd: Option<Decimal256>,
    /// Whether `min_gpu_count` is met (always true without one).
    pub qualified: bool,
}

impl Measurement {
    /// The liquidity basis: eligible GPU-seconds, zero when not qualified.
    pub fn basis(&self) -> Uint128 {
        if self.qualified {
            self.gpu_seconds
        } else {
            Uint128::zero()
        }
    }
}

/// Measures `provider`'s eligible work in `(from, to]` (empty when `from >= to`).
pub fn measure(
    deps: Deps,
    config: &Config,
    pilot: &Pilot,
    provider: &Addr,
    from: u64,
    to: u64,
) -> Result<Measurement, ContractError> {
    let committed = matches!(pilot.kind, PilotKind::Committed { .. });
    let mut m = Measurement {
        usd: committed.then(Decimal256::zero),
        ..Measurement::default()
    };
    if from >= to {
        m.qualified = pilot.eligible.min_gpu_count.is_none();
        return Ok(m);
    }
    let sources = [Some(&config.escrow), config.reservations.as_ref()];
    for (i, model) in pilot.eligible.gpu_models.iter().enumerate() {
        let query = VerifiedWorkQuery::VerifiedWork {
            provider: provider.to_string(),
            denom: pilot.denom.clone(),
            gpu_model: model.clone(),
            from_height: from,
            to_height: to,
        };
        let mut model_seconds = Uint128::zero();
        for source in sources.iter().flatten() {
            let work: VerifiedWorkResponse = deps.querier.query_wasm_smart(*source, &query)?;
            if i == 0 {
                // Value is per denom, the same for every model query of one source.
                m.value = m.value.checked_add(work.value)?;
            }
            model_seconds = model_seconds.checked_add(work.gpu_seconds)?;
            m.gpu_blocks = m.gpu_blocks.checked_add(work.gpu_blocks)?;
        }
        m.gpu_seconds = m.gpu_seconds.checked_add(model_seconds)?;
        if let (PilotKind::Committed { rates, .. }, Some(usd)) = (&pilot.kind, m.usd) {
            let rate = rates
                .iter()
                .find(|r| r.gpu_model == *model)
                .map(|r| r.usd_per_gpu_hour)
                .unwrap_or_default();
            let hours = Decimal256::checked_from_ratio(model_seconds, SECONDS_PER_HOUR)?;
            m.usd = Some(usd.checked_add(hours.checked_mul(rate)?)?);
        }
    }
    m.qualified = match pilot.eligible.min_gpu_count {
        None => true,
        Some(min) => {
            let blocks = to.saturating_sub(from);
            let needed = Uint128::from(min).checked_mul(Uint128::from(blocks))?;
            m.gpu_blocks >= needed
        }
    };
    Ok(m)
}

/// The oracle price of the budget token in USD; an error when the oracle has none.
pub fn price(deps: Deps, config: &Config) -> Result<Decimal256, ContractError> {
    let res: PriceResponse = deps
        .querier
        .query_wasm_smart(
            &config.oracle,
            &OracleQuery::Price {
                pair: config.oracle_pair.clone(),
            },
        )
        .map_err(|e| ContractError::PriceUnavailable {
            reason: e.to_string(),
        })?;
    if res.price.is_zero() {
        return Err(ContractError::PriceUnavailable {
            reason: "zero price".into(),
        });
    }
    Ok(res.price)
}

/// floor(usd × 10^decimals / price): base units of the budget token for `usd`.
pub fn tokens_for_usd(
    usd: Decimal256,
    price: Decimal256,
    decimals: u32,
) -> Result<Uint256, ContractError> {
    if price.is_zero() {
        return Err(ContractError::PriceUnavailable {
            reason: "zero price".into(),
        });
    }
    let scale = Uint256::from(10u8).checked_pow(decimals)?;
    // (usd·1e18 × scale) / (price·1e18), floored, with a 512-bit intermediate.
    Ok(usd
        .atomics()
        .checked_multiply_ratio(scale, price.atomics())?)
}

/// floor(allocation × basis / total); zero when total is zero.
pub fn pro_rata(
    allocation: Uint256,
    basis: Uint128,
    total: Uint128,
) -> Result<Uint256, ContractError> {
    if total.is_zero() {
        return Ok(Uint256::zero());
    }
    Ok(allocation.checked_multiply_ratio(basis, total)?)
}

#[cfg(test)]
#[path = "measure_tests.rs"]
mod tests;
