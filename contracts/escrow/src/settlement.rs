//! Lazy settlement (DESIGN §4.1).
//!
//! For an open account last settled at `s`, settling at height `h` charges every open payment
//! `floor(rate × (h − s))` and takes the total from the deposit queue oldest first. When the
//! deposits cannot cover it all, payments are paid in id order with what there is, the shortfall
//! becomes per-payment debt and the account is overdrawn. The work is proportional to the open
//! payments (capped by config) and the deposits used up, never to all depositors or closed payments.

use cosmwasm_std::{Decimal256, Storage, Uint256};

use crate::error::ContractError;
use crate::state::{Account, DEPOSITS, DEPOSIT_SLOTS};

/// One payment's share of a settlement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charge {
    /// Payment id.
    pub payment_id: u64,
    /// Moved from deposits to the payment's withdrawable balance.
    pub paid: Uint256,
    /// Due but not covered.
    pub debt: Uint256,
}

/// The result of settling `(from_height, to_height]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settlement {
    pub from_height: u64,
    pub to_height: u64,
    /// Per open payment, in id order.
    pub charges: Vec<Charge>,
    /// Σ paid.
    pub paid: Uint256,
    /// Σ debt.
    pub debt: Uint256,
    /// First height whose charge the balance could not cover.
    pub exhausted_at: Option<u64>,
}

/// What one payment owes for `blocks` blocks at `rate`, rounded down (never against the payer).
pub fn due(rate: Decimal256, blocks: u64) -> Result<Uint256, ContractError> {
    Ok(Uint256::from(blocks).checked_mul_floor(rate)?)
}

fn total_due(rates: &[(u64, Decimal256)], blocks: u64) -> Result<Uint256, ContractError> {
    rates.iter().try_fold(Uint256::zero(), |acc, (_, rate)| {
        Ok(acc.checked_add(due(*rate, blocks)?)?)
    })
}

/// Computes a settlement of `balance` against `rates` (payment id, rate per block, in id order)
/// from `settled_at` to `height`. Pure: used by execute and by the query preview.
pub fn compute(
    balance: Uint256,
    settled_at: u64,
    height: u64,
    rates: &[(u64, Decimal256)],
) -> Result<Settlement, ContractError> {
    let blocks = height.saturating_sub(settled_at);
    let dues = rates
        .iter()
        .map(|(id, rate)| Ok((*id, due(*rate, blocks)?)))
        .collect::<Result<Vec<_>, ContractError>>()?;
    let mut available = balance;
    let mut charges = Vec::with_capacity(dues.len());
    let (mut paid, mut debt) = (Uint256::zero(), Uint256::zero());
    for (payment_id, owed) in dues {
        let pay = owed.min(available);
        available = available.checked_sub(pay)?;
        let short = owed.checked_sub(pay)?;
        paid = paid.checked_add(pay)?;
        debt = debt.checked_add(short)?;
        charges.push(Charge {
            payment_id,
            paid: pay,
            debt: short,
        });
    }
    let exhausted_at = if debt.is_zero() {
        None
    } else {
        Some(exhaustion_height(balance, settled_at, height, rates)?)
    };
    Ok(Settlement {
        from_height: settled_at,
        to_height: height,
        charges,
        paid,
        debt,
        exhausted_at,
    })
}

/// The first height in `(settled_at, height]` whose cumulative charge exceeds `balance`.
/// Binary search over a monotone total: O(payments × log blocks).
fn exhaustion_height(
    balance: Uint256,
    settled_at: u64,
    height: u64,
    rates: &[(u64, Decimal256)],
) -> Result<u64, ContractError> {
    // Invariant: total_due(lo) <= balance < total_due(hi), in blocks since settled_at.
    let (mut lo, mut hi) = (0u64, height.saturating_sub(settled_at));
    while hi.saturating_sub(lo) > 1 {
        let mid = lo + (hi - lo) / 2;
        if total_due(rates, mid)? > balance {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(settled_at.saturating_add(hi))
}

/// Whole blocks that `balance` still pays for at `rates`: the largest `n` whose charge
/// `Σ floor(rate × n)` fits. `None` when nothing is charged.
pub fn blocks_covered(
    balance: Uint256,
    rates: &[(u64, Decimal256)],
) -> Result<Option<u64>, ContractError> {
    let total = rates
        .iter()
        .try_fold(Decimal256::zero(), |acc, (_, rate)| acc.checked_add(*rate))?;
    if total.is_zero() {
        return Ok(None);
    }
    // Σ floor(r·n) > Σ r·n − count, so n = (balance + count) / Σr + 1 is always past the end.
    let count = Uint256::from(u64::try_from(rates.len()).unwrap_or(u64::MAX));
    let ceiling = Decimal256::from_atomics(balance.checked_add(count)?, 0)
        .map_err(|e| ContractError::Overflow(e.to_string()))?
        .checked_div(total)
        .map_err(|e| ContractError::Overflow(e.to_string()))?
        .to_uint_floor();
    let hi = cosmwasm_std::Uint64::try_from(ceiling)
        .map(|v| v.u64())
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    if total_due(rates, hi)? <= balance {
        return Ok(Some(hi));
    }
    let (mut lo, mut hi) = (0u64, hi);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if total_due(rates, mid)? > balance {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(Some(lo))
}

/// Takes `amount` out of the account's deposits, oldest first. Each fully used deposit is removed
/// once, so the cost is amortised O(1) per deposit ever made.
pub fn consume_deposits(
    storage: &mut dyn Storage,
    account: &mut Account,
    amount: Uint256,
) -> Result<(), ContractError> {
    let mut left = amount;
    while !left.is_zero() {
        let key = (&account.owner, account.dseq, account.deposit_head);
        let mut deposit = DEPOSITS.load(storage, key)?;
        let take = deposit.amount.min(left);
        deposit.amount = deposit.amount.checked_sub(take)?;
        left = left.checked_sub(take)?;
        if deposit.amount.is_zero() {
            DEPOSITS.remove(storage, key);
            let slot = deposit.source.slot(&deposit.depositor);
            DEPOSIT_SLOTS.remove(storage, ((&account.owner, account.dseq), slot.as_str()));
            account.deposit_head = account.deposit_head.saturating_add(1);
        } else {
            DEPOSITS.save(storage, key, &deposit)?;
        }
    }
    account.balance = account.balance.checked_sub(amount)?;
    Ok(())
}

#[cfg(test)]
#[path = "settlement_tests.rs"]
mod tests;
