//! Conversions, spreads, collateral ratio and the circuit-breaker rules. Pure functions, all
//! checked, rounding always in the contract's favour:
//! * `uakt → uact` and `uact → uakt` round down (the user never receives a fraction);
//! * spreads round up (the user never pays less than the rate);
//! * the collateral ratio rounds down (the breaker errs on the cautious side).

use cosmwasm_std::{Decimal256, Uint128, Uint256, Uint64};

use crate::error::ContractError;
use crate::state::{Mode, Params};

/// 10^18, the fixed-point scale of `Decimal256`.
const SCALE: u128 = 1_000_000_000_000_000_000;
/// Basis points in one.
pub const BPS: u32 = 10_000;
/// Upper bound of a stretched mint epoch (~1 day of 6 s blocks).
pub const MAX_MINT_EPOCH_BLOCKS: u64 = 14_400;

fn narrow(v: Uint256) -> Result<Uint128, ContractError> {
    Ok(Uint128::try_from(v)?)
}

/// uact worth `uakt` at `price` (USD per AKT; both 6 decimals): `floor(uakt × price)`.
pub fn akt_to_act(uakt: Uint128, price: Decimal256) -> Result<Uint128, ContractError> {
    let v = Uint256::from(uakt)
        .checked_mul(price.atomics())?
        .checked_div(Uint256::from(SCALE))?;
    narrow(v)
}

/// uakt worth `uact` at `price`: `floor(uact / price)`. A zero price is an oracle fault.
pub fn act_to_akt(uact: Uint128, price: Decimal256) -> Result<Uint128, ContractError> {
    if price.is_zero() {
        return Err(ContractError::OracleUnhealthy {
            reason: "zero price".into(),
        });
    }
    let v = Uint256::from(uact)
        .checked_mul(Uint256::from(SCALE))?
        .checked_div(price.atomics())?;
    narrow(v)
}

/// `ceil(amount × bps / 10000)`.
pub fn spread(amount: Uint128, bps: u32) -> Result<Uint128, ContractError> {
    let num = Uint256::from(amount).checked_mul(Uint256::from(bps))?;
    let den = Uint256::from(BPS);
    let q = num.checked_div(den)?;
    let up = if num.checked_rem(den)?.is_zero() {
        q
    } else {
        q.checked_add(Uint256::one())?
    };
    narrow(up)
}

/// Collateral ratio in bps: `floor(vault_akt × price × 10000 / supply)`, clamped to `u32::MAX`,
/// which is also the value for a zero supply (nothing to back: fully collateralised).
pub fn collateral_ratio_bps(
    vault_akt: Uint128,
    price: Decimal256,
    supply: Uint128,
) -> Result<u32, ContractError> {
    if supply.is_zero() {
        return Ok(u32::MAX);
    }
    let v = Uint256::from(vault_akt)
        .checked_mul(price.atomics())?
        .checked_mul(Uint256::from(BPS))?
        .checked_div(Uint256::from(SCALE))?
        .checked_div(Uint256::from(supply))?;
    let v = Uint64::try_from(v).map(|x| x.u64()).unwrap_or(u64::MAX);
    Ok(u32::try_from(v).unwrap_or(u32::MAX))
}

/// The breaker mode for a ratio (with a healthy oracle): above `warn` healthy, above `halt`
/// warning, otherwise halt-CR.
pub fn mode_for(cr_bps: u32, params: &Params) -> Mode {
    if cr_bps > params.warn_bps {
        Mode::Healthy
    } else if cr_bps > params.halt_bps {
        Mode::Warning
    } else {
        Mode::HaltCr
    }
}

/// Blocks between mint epochs: `min_epoch_blocks` unless warning, where it is
/// `min_epoch_blocks × (1 + backoff%)^steps` with `steps = (warn − cr) / 10`, rounded down,
/// capped at [`MAX_MINT_EPOCH_BLOCKS`] and never below `min_epoch_blocks`.
pub fn mint_epoch_blocks(mode: Mode, cr_bps: u32, params: &Params) -> u64 {
    let base = params.min_epoch_blocks;
    if mode != Mode::Warning {
        return base;
    }
    let steps = params.warn_bps.saturating_sub(cr_bps) / 10;
    let factor =
        Decimal256::percent(100u64.saturating_add(u64::from(params.epoch_backoff_percent)));
    let cap = Decimal256::from_ratio(MAX_MINT_EPOCH_BLOCKS, 1u8);
    let mut len = Decimal256::from_ratio(base, 1u8);
    for _ in 0..steps {
        match len.checked_mul(factor) {
            Ok(next) if next < cap => len = next,
            _ => return MAX_MINT_EPOCH_BLOCKS.max(base),
        }
    }
    let blocks = Uint64::try_from(len.to_uint_floor())
        .map(|x| x.u64())
        .unwrap_or(MAX_MINT_EPOCH_BLOCKS);
    blocks.clamp(base, MAX_MINT_EPOCH_BLOCKS.max(base))
}

#[cfg(test)]
#[path = "math_tests.rs"]
mod tests;
