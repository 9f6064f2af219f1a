//! Conversions, spreads, collateral ratio and the circuit-breaker rules. Pure functions, all
//! checked, rounding always in the contract's favour:
//! * `uakt → uact` and `uact → uakt` round down (the user never receives a fraction);
//! * spreads round up (the user never pays less than the rate);
//! * the collateral ratio rounds down (the breaker errs on the cautious side).
//!
//! Amounts are `Uint128` and prices `Decimal` (18 decimals, up to ~3.4 × 10^20): products are
//! taken exactly in 256 bits by [`mul_div`], with plain `u128` limbs, so no 256-bit type is
//! needed.

use cosmwasm_std::{Decimal, OverflowError, OverflowOperation, Uint128};

use crate::error::ContractError;
use crate::msg::{Mode, Params};

/// 10^18, the fixed-point scale of `Decimal`.
const SCALE: u128 = 1_000_000_000_000_000_000;
/// Basis points in one.
pub const BPS: u32 = 10_000;
/// Upper bound of a stretched mint epoch (~1 day of 6 s blocks).
pub const MAX_MINT_EPOCH_BLOCKS: u64 = 14_400;

/// `a × b` as `(high, low)` 128-bit halves, by schoolbook multiplication of 64-bit limbs.
/// Wrapping operations are exact here: a product of two 64-bit limbs is below 2^128, `mid` is
/// below 3 × 2^64, and `high` is below 2^128 because `a × b` is below 2^256.
fn wide_mul(a: u128, b: u128) -> (u128, u128) {
    const LOW: u128 = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & LOW);
    let (b_hi, b_lo) = (b >> 64, b & LOW);
    let ll = a_lo.wrapping_mul(b_lo);
    let lh = a_lo.wrapping_mul(b_hi);
    let hl = a_hi.wrapping_mul(b_lo);
    let hh = a_hi.wrapping_mul(b_hi);
    let mid = (ll >> 64).wrapping_add(lh & LOW).wrapping_add(hl & LOW);
    let low = (mid << 64) | (ll & LOW);
    let high = hh
        .wrapping_add(lh >> 64)
        .wrapping_add(hl >> 64)
        .wrapping_add(mid >> 64);
    (high, low)
}

/// `(floor(a × b / d), a × b mod d)`, exactly; `None` when `d` is zero or the quotient does not
/// fit in `u128`. Binary long division of the 256-bit product: the remainder stays below `d`, so
/// after a shift it is below `2d`; when the shift carries out of 128 bits it is at least 2^128 > d
/// and `wrapping_sub` yields the exact difference, which is below `d`.
pub fn mul_div(a: u128, b: u128, d: u128) -> Option<(u128, u128)> {
    let (high, low) = wide_mul(a, b);
    if d == 0 || high >= d {
        return None;
    }
    let (mut rem, mut quot) = (high, 0u128);
    for bit in (0..128).rev() {
        let carry = rem >> 127;
        rem = (rem << 1) | ((low >> bit) & 1);
        if carry == 1 || rem >= d {
            rem = rem.wrapping_sub(d);
            quot |= 1 << bit;
        }
    }
    Some((quot, rem))
}

fn overflow() -> ContractError {
    OverflowError::new(OverflowOperation::Mul).into()
}

/// uact worth `uakt` at `price` (USD per AKT; both 6 decimals): `floor(uakt × price)`.
pub fn akt_to_act(uakt: Uint128, price: Decimal) -> Result<Uint128, ContractError> {
    let (act, _) = mul_div(uakt.u128(), price.atomics().u128(), SCALE).ok_or_else(overflow)?;
    Ok(Uint128::new(act))
}

/// uakt worth `uact` at `price`: `floor(uact / price)`. A zero price is an oracle fault.
pub fn act_to_akt(uact: Uint128, price: Decimal) -> Result<Uint128, ContractError> {
    if price.is_zero() {
        return Err(ContractError::OracleUnhealthy {
            reason: "zero price".into(),
        });
    }
    let (akt, _) = mul_div(uact.u128(), SCALE, price.atomics().u128()).ok_or_else(overflow)?;
    Ok(Uint128::new(akt))
}

/// `ceil(amount × bps / 10000)`.
pub fn spread(amount: Uint128, bps: u32) -> Result<Uint128, ContractError> {
    let (q, r) = mul_div(amount.u128(), u128::from(bps), u128::from(BPS)).ok_or_else(overflow)?;
    let up = if r == 0 {
        q
    } else {
        q.checked_add(1).ok_or_else(overflow)?
    };
    Ok(Uint128::new(up))
}

/// Collateral ratio in bps: `floor(vault_akt × price × 10000 / supply)`, clamped to `u32::MAX`,
/// which is also the value for a zero supply (nothing to back: fully collateralised).
/// Computed as `floor(floor(vault_akt × atomics / supply) / 10^14)`, the same number.
pub fn collateral_ratio_bps(vault_akt: Uint128, price: Decimal, supply: Uint128) -> u32 {
    if supply.is_zero() {
        return u32::MAX;
    }
    // No quotient in 128 bits means a ratio far above `u32::MAX`.
    let Some((per_unit, _)) = mul_div(vault_akt.u128(), price.atomics().u128(), supply.u128())
    else {
        return u32::MAX;
    };
    u32::try_from(per_unit / (SCALE / u128::from(BPS))).unwrap_or(u32::MAX)
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
///
/// Computed in 18-decimal fixed point, each step rounded down (what `Decimal` multiplication
/// gave), with integers only: `len × (100 + backoff) / 100` stays far below `u128::MAX` because
/// `len` stops at the cap (14400 × 10^18 × 200 < 3 × 10^24).
pub fn mint_epoch_blocks(mode: Mode, cr_bps: u32, params: &Params) -> u64 {
    let base = params.min_epoch_blocks;
    let cap = MAX_MINT_EPOCH_BLOCKS.max(base);
    if mode != Mode::Warning {
        return base;
    }
    let steps = params.warn_bps.saturating_sub(cr_bps) / 10;
    let factor = 100u128.saturating_add(u128::from(params.epoch_backoff_percent));
    let cap_fixed = u128::from(MAX_MINT_EPOCH_BLOCKS).saturating_mul(SCALE);
    let mut len = u128::from(base).saturating_mul(SCALE);
    for _ in 0..steps {
        let next = len.saturating_mul(factor) / 100;
        if next >= cap_fixed {
            return cap;
        }
        len = next;
    }
    u64::try_from(len / SCALE).unwrap_or(cap).clamp(base, cap)
}

#[cfg(test)]
#[path = "math_tests.rs"]
mod tests;
