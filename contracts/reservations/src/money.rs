//! Pricing arithmetic. All checked; every rounding direction is stated.

use cosmwasm_std::Uint256;

use crate::error::ContractError;

/// Seconds in an hour.
pub const HOUR: u64 = 3_600;
/// Shortest term: one hour.
pub const MIN_TERM_S: u64 = HOUR;
/// Longest term: twelve months, taken as 365 days.
pub const MAX_TERM_S: u64 = 365 * 24 * HOUR;
/// Shortest reclamation window (AEP-82 `min_reclamation_window`).
pub const MIN_RECLAIM_S: u64 = HOUR;
/// Longest reclamation window (AEP-82 `max_reclamation_window`, 720 h).
pub const MAX_RECLAIM_S: u64 = 720 * HOUR;
/// Basis points in one.
pub const BPS: u64 = 10_000;

/// Price of `seconds` at `price_per_hour`: ceil(price × seconds / 3600), so the tenant never pays
/// less than the pro-rata price.
pub fn term_price(price_per_hour: Uint256, seconds: u64) -> Result<Uint256, ContractError> {
    let num = price_per_hour.checked_mul(Uint256::from(seconds))?;
    ceil_div(num, Uint256::from(HOUR))
}

/// What the provider has earned of `total` by time `at` for the term `[start, end)`:
/// floor(total × (min(at, end) − start) / (end − start)); exactly `total` at `end`. Rounded down, so
/// a claimer is never paid ahead of elapsed time.
pub fn earned(total: Uint256, start: u64, end: u64, at: u64) -> Result<Uint256, ContractError> {
    let at = at.clamp(start, end);
    let term = end.checked_sub(start).ok_or(ContractError::InvalidTerm {
        reason: "end before start",
    })?;
    if term == 0 {
        return Ok(total);
    }
    let elapsed = at.saturating_sub(start);
    Ok(total
        .checked_mul(Uint256::from(elapsed))?
        .checked_div(Uint256::from(term))?)
}

/// Cancellation fee: ceil(total × bps / 10000), never more than `total` (the canceller pays it).
pub fn cancel_fee(total: Uint256, bps: u16) -> Result<Uint256, ContractError> {
    let num = total.checked_mul(Uint256::from(bps))?;
    let fee = ceil_div(num, Uint256::from(BPS))?;
    Ok(fee.min(total))
}

/// ceil(num / den) for den > 0.
fn ceil_div(num: Uint256, den: Uint256) -> Result<Uint256, ContractError> {
    let q = num.checked_div(den)?;
    if q.checked_mul(den)? == num {
        Ok(q)
    } else {
        Ok(q.checked_add(Uint256::one())?)
    }
}
