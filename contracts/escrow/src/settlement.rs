//! Lazy settlement (DESIGN §4.1): pure arithmetic, used by execute and by the query preview.
//!
//! Each open payment is a *stream*: `rate` per block plus `carry`, the part of its accrual below
//! one base unit that earlier settlements did not charge. Over `n` blocks a stream accrues
//! `carry + rate × n`; the whole units are due and the fraction is carried to the next
//! settlement. So whatever the touch sequence, a payment is charged exactly
//! `floor(rate × live blocks)` in total: frequent touches neither lower a provider's income nor let
//! a sub-unit rate go unpaid.
//!
//! **The one overdraw rule.** Charging stops at exhaustion: the *exhausting block* is the first
//! block whose cumulative charge the funds cannot cover. Blocks before it are paid in full; the
//! exhausting block's dues are paid in payment id order with what is left and the shortfall is
//! the debt; nothing accrues after it until a top-up reopens the account (charging resumes the
//! block after the reopen). Debt, exhaustion height and provider income are therefore the same
//! whether the account is touched every block or once a month.
//!
//! The work is proportional to the open payments (capped by config) times the log of the blocks
//! settled, never to the number of depositors nor to the deposits a settlement uses up: it only
//! lowers the account's balance, and which deposits paid is worked out a bounded batch of
//! entries per call (`execute::lifecycle`, `consume_deposits`).
//!
//! The arithmetic is on the decimals' atomics (units of 10^-18) with plain `Uint256` operations:
//! a rate times a whole number of blocks, and its floor, are exact in integers, so nothing goes
//! through `Decimal256`'s 512-bit products and quotients (a saving in wasm size, the same
//! results; `execute::payment::max_rate` keeps every product in range).

use cosmwasm_std::{Decimal256, Uint256};

use crate::error::ContractError;

/// 10^18: one unit in a decimal's atomics.
pub(crate) const UNIT: Uint256 = Uint256::new(1_000_000_000_000_000_000);

/// One open payment as settlement sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stream {
    /// Payment id.
    pub payment_id: u64,
    /// Charge per block.
    pub rate: Decimal256,
    /// Accrued fraction below one base unit, not yet charged.
    pub carry: Decimal256,
}

/// One payment's share of a settlement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charge {
    /// Payment id.
    pub payment_id: u64,
    /// Moved from deposits to the payment's withdrawable balance.
    pub paid: Uint256,
    /// Due but not covered.
    pub debt: Uint256,
    /// The payment's carry after the settlement.
    pub carry: Decimal256,
    /// Blocks of the settlement this payment was paid for in full.
    pub paid_blocks: u64,
}

/// The result of settling blocks `(from_height, to_height]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settlement {
    pub from_height: u64,
    /// Last block charged: the settlement height, or the exhausting block.
    pub to_height: u64,
    /// Per open payment, in id order.
    pub charges: Vec<Charge>,
    /// Σ paid.
    pub paid: Uint256,
    /// Σ debt.
    pub debt: Uint256,
    /// The exhausting block, when the funds ran out (then `to_height` equals it).
    pub exhausted_at: Option<u64>,
}

/// What `stream` accrues over `blocks`: the whole units due and the fraction carried on.
pub fn accrue(stream: &Stream, blocks: u64) -> Result<(Uint256, Decimal256), ContractError> {
    let total = stream
        .rate
        .atomics()
        .checked_mul(Uint256::from(blocks))?
        .checked_add(stream.carry.atomics())?;
    Ok((
        total.checked_div(UNIT)?,
        Decimal256::new(total.checked_rem(UNIT)?),
    ))
}

fn due(stream: &Stream, blocks: u64) -> Result<Uint256, ContractError> {
    Ok(accrue(stream, blocks)?.0)
}

fn total_due(streams: &[Stream], blocks: u64) -> Result<Uint256, ContractError> {
    let mut total = Uint256::zero();
    for stream in streams {
        total = total.checked_add(due(stream, blocks)?)?;
    }
    Ok(total)
}

/// Settles `balance` against `streams` (in id order) from `settled_at` to `height`.
pub fn compute(
    balance: Uint256,
    settled_at: u64,
    height: u64,
    streams: &[Stream],
) -> Result<Settlement, ContractError> {
    let blocks = height.saturating_sub(settled_at);
    let funded = total_due(streams, blocks)? <= balance;
    // Unless the funds cover every block, some block in (settled_at, height] is the exhausting
    // one and `covered` blocks are paid in full. When they do, the last block is split the same
    // way with enough left to pay it: one loop for both cases.
    let (covered, last) = if funded {
        (blocks.saturating_sub(1), blocks)
    } else {
        let covered = blocks_within(balance, streams, blocks)?;
        (covered, covered.saturating_add(1))
    };
    let mut left = balance.checked_sub(total_due(streams, covered)?)?;
    let mut charges = Vec::with_capacity(streams.len());
    let (mut paid, mut debt) = (Uint256::zero(), Uint256::zero());
    for stream in streams {
        let before = due(stream, covered)?;
        let (at, carry) = accrue(stream, last)?;
        let block_due = at.checked_sub(before)?;
        let take = block_due.min(left);
        left = left.checked_sub(take)?;
        let short = block_due.checked_sub(take)?;
        let charge = Charge {
            payment_id: stream.payment_id,
            paid: before.checked_add(take)?,
            debt: short,
            carry,
            paid_blocks: if short.is_zero() { last } else { covered },
        };
        paid = paid.checked_add(charge.paid)?;
        debt = debt.checked_add(short)?;
        charges.push(charge);
    }
    let exhausted_at = (!funded).then(|| settled_at.saturating_add(last));
    Ok(Settlement {
        from_height: settled_at,
        to_height: exhausted_at.unwrap_or(height.max(settled_at)),
        charges,
        paid,
        debt,
        exhausted_at,
    })
}

/// The largest `n <= max` whose charge `balance` covers; `total_due(max) > balance` is the
/// caller's precondition. Binary search over a monotone total: O(payments × log blocks).
fn blocks_within(balance: Uint256, streams: &[Stream], max: u64) -> Result<u64, ContractError> {
    // Invariant: total_due(lo) <= balance < total_due(hi). total_due(0) is 0 (carries are < 1).
    let (mut lo, mut hi) = (0u64, max);
    while hi.saturating_sub(lo) > 1 {
        let mid = lo + (hi - lo) / 2;
        if total_due(streams, mid)? > balance {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(lo)
}

/// Whole blocks that `balance` still pays for: the largest `n` whose charge fits. `None` when
/// nothing is charged (no stream has a rate).
pub fn blocks_covered(balance: Uint256, streams: &[Stream]) -> Result<Option<u64>, ContractError> {
    let mut total = Uint256::zero();
    for stream in streams {
        total = total.checked_add(stream.rate.atomics())?;
    }
    if total.is_zero() {
        return Ok(None);
    }
    // Σ floor(carry + r·n) > Σ r·n − count, so n = (balance + count) / Σr + 1 is past the end.
    let count = Uint256::from(u64::try_from(streams.len()).unwrap_or(u64::MAX));
    let ceiling = balance
        .checked_add(count)?
        .checked_mul(UNIT)?
        .checked_div(total)?;
    let hi = cosmwasm_std::Uint64::try_from(ceiling)
        .map_or(u64::MAX, |v| v.u64())
        .saturating_add(1);
    if total_due(streams, hi)? <= balance {
        return Ok(Some(hi));
    }
    blocks_within(balance, streams, hi).map(Some)
}

/// The predicted exhausting block of an open account settled at `settled_at` with `balance`
/// left: the first height whose charge the funds cannot cover. `None` when nothing is charged.
pub fn depletes_at(
    balance: Uint256,
    settled_at: u64,
    streams: &[Stream],
) -> Result<Option<u64>, ContractError> {
    Ok(blocks_covered(balance, streams)?
        .map(|blocks| settled_at.saturating_add(blocks).saturating_add(1)))
}

#[cfg(test)]
#[path = "settlement_tests.rs"]
mod tests;
