//! A host's calendar: which terms are allowed, and the O(log n) overlap check against the live
//! reservations of a host. Shared by `reserve` and the `availability` query.

use cosmwasm_std::{Addr, Order, Storage};
use cw_storage_plus::Bound;

use crate::error::ContractError;
use crate::load::load_reservation;
use crate::money::{MAX_TERM_S, MIN_TERM_S};
use crate::msg::Reservation;
use crate::state::LIVE;

/// Latest start a reservation may have, from now: 365 days.
pub const MAX_LEAD_S: u64 = 365 * 86_400;
/// Unconfirmed requests past their deadline that one overlap check cancels (refunds) in passing.
pub const MAX_INLINE_EXPIRE: usize = 4;

/// Result of an overlap check.
pub enum Overlap {
    /// Free once the listed expired requests are cancelled.
    Free { expired: Vec<Reservation> },
    /// Blocked by a live reservation.
    Conflict(Box<Reservation>),
}

/// Finds the live reservation overlapping `[start, end)` on a host. Live intervals never
/// overlap, so walking live reservations by descending start from `end` (exclusive) stops at the
/// first whose (effective) end is `<= start`; only unconfirmed requests past their deadline are
/// skipped (at most `MAX_INLINE_EXPIRE`), so the walk reads at most 1 + that many entries.
pub fn find_overlap(
    storage: &dyn Storage,
    provider: &Addr,
    host_id: &str,
    start: u64,
    end: u64,
    now: u64,
) -> Result<Overlap, ContractError> {
    let mut expired = Vec::new();
    let iter = LIVE.prefix((provider, host_id)).range(
        storage,
        None,
        Some(Bound::exclusive(end)),
        Order::Descending,
    );
    for item in iter {
        let (_, id) = item?;
        let r = load_reservation(storage, id)?;
        if r.effective_end() <= start {
            break;
        }
        if r.request_expired(now) && expired.len() < MAX_INLINE_EXPIRE {
            expired.push(r);
            continue;
        }
        return Ok(Overlap::Conflict(Box::new(r)));
    }
    Ok(Overlap::Free { expired })
}

/// Checks a term against the clock and the allowed length; returns its length in seconds.
pub fn check_term(now: u64, start: u64, end: u64) -> Result<u64, ContractError> {
    let bad = |reason| Err(ContractError::InvalidTerm { reason });
    if start < now {
        return Err(ContractError::StartInPast { start, now });
    }
    if start > now.saturating_add(MAX_LEAD_S) {
        return bad("start is more than 365 days ahead");
    }
    let Some(len) = end.checked_sub(start) else {
        return bad("end is before start");
    };
    if !(MIN_TERM_S..=MAX_TERM_S).contains(&len) {
        return Err(ContractError::TermLength { len });
    }
    Ok(len)
}
