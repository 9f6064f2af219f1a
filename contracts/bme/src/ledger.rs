//! The ACT ledger and the request book: balances, and where a request is. Shared by the execute
//! handlers and the queries.

use cosmwasm_std::{Addr, Storage, Uint128};

use crate::error::ContractError;
use crate::msg::{LedgerRecord, Outcome, Request, RequestState, RequestStatusResponse};
use crate::state::{BALANCES, BURN_QUEUE, MINT_QUEUE, RECORDS};

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

/// Where request `id` is: in a queue, or finished with its ledger record (every request that
/// leaves a queue gets one, so no id is ever lost).
pub fn request_status(
    storage: &dyn Storage,
    id: u64,
) -> Result<RequestStatusResponse, ContractError> {
    let queued = match MINT_QUEUE.may_load(storage, id)? {
        Some(r) => Some(r),
        None => BURN_QUEUE.may_load(storage, id)?,
    };
    if let Some(r) = queued {
        return Ok(queued_status(r));
    }
    let record = RECORDS.may_load(storage, id)?;
    record
        .map(finished_status)
        .ok_or(ContractError::UnknownRequest { id })
}

fn queued_status(r: Request) -> RequestStatusResponse {
    RequestStatusResponse {
        id: r.id,
        kind: r.kind,
        owner: r.owner,
        amount: r.amount,
        requested_at: r.height,
        attempts: r.attempts,
        state: RequestState::Queued {
            last_error: r.last_error,
        },
    }
}

fn finished_status(r: LedgerRecord) -> RequestStatusResponse {
    let height = r.finished_at;
    let state = match r.outcome {
        Outcome::Executed {
            burned,
            minted,
            spread,
            paid,
            price,
        } => RequestState::Executed {
            burned,
            minted,
            spread,
            paid,
            price,
            height,
        },
        Outcome::Cancelled { reason, refund } => RequestState::Cancelled {
            reason,
            refund,
            height,
        },
    };
    RequestStatusResponse {
        id: r.id,
        kind: r.kind,
        owner: r.owner,
        amount: r.amount,
        requested_at: r.requested_at,
        attempts: r.attempts,
        state,
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
