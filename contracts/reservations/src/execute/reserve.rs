//! New reservations: term and payment checks and the O(log n) overlap check.

use cosmwasm_std::{Addr, DepsMut, Env, Order, Response, Storage, Uint256};
use cw_storage_plus::Bound;
use supercloud_events::{reservations as ev, CatalogEvent};

use crate::error::ContractError;
use crate::execute::lifecycle::cancel_expired;
use crate::execute::{config, load_host};
use crate::money::{term_price, MAX_TERM_S, MIN_TERM_S};
use crate::msg::ReserveMsg;
use crate::state::{
    Reservation, Status, ATTESTATIONS, BY_HOST, BY_PROVIDER, BY_TENANT, LIVE, NEXT_ID, RESERVATIONS,
};

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
        let r = crate::execute::load_reservation(storage, id)?;
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

/// Checks a term against the clock and the allowed length.
pub fn check_term(now: u64, start: u64, end: u64) -> Result<(), ContractError> {
    let bad = |reason: String| Err(ContractError::InvalidTerm { reason });
    if start < now {
        return bad(format!("start {start} is before now {now}"));
    }
    if start > now.saturating_add(MAX_LEAD_S) {
        return bad("start is more than 365 days ahead".into());
    }
    let Some(len) = end.checked_sub(start) else {
        return bad("end is before start".into());
    };
    if !(MIN_TERM_S..=MAX_TERM_S).contains(&len) {
        return bad(format!(
            "term of {len} s is outside 3600..=31536000 (1 hour to 365 days)"
        ));
    }
    Ok(())
}

/// Creates a reservation prepaid with `paid` of `denom` by `tenant`.
pub fn reserve(
    deps: DepsMut,
    env: &Env,
    tenant: Addr,
    msg: ReserveMsg,
    paid: Uint256,
    denom: &str,
) -> Result<Response, ContractError> {
    supercloud_std::Paused::assert_not_paused(deps.storage)?;
    let now = env.block.time.seconds();
    let provider = deps.api.addr_validate(&msg.provider)?;
    let host = load_host(deps.storage, &provider, &msg.host_id)?;
    if !host.active {
        return Err(ContractError::HostInactive {
            host_id: host.host_id,
        });
    }
    if tenant == provider {
        return Err(ContractError::Unauthorized {
            reason: "a provider may not reserve its own host".into(),
        });
    }
    check_term(now, msg.start, msg.end)?;
    let attested = ATTESTATIONS
        .may_load(deps.storage, (&provider, &host.host_id))?
        .is_some_and(|a| a.valid_at(now));
    if (msg.require_attestation || host.require_attestation) && !attested {
        return Err(ContractError::NotAttested {
            host_id: host.host_id,
        });
    }
    if denom != host.price_per_hour.denom {
        return Err(ContractError::WrongDenom {
            expected: host.price_per_hour.denom,
            got: denom.to_string(),
        });
    }
    let len = msg
        .end
        .checked_sub(msg.start)
        .ok_or_else(|| ContractError::Overflow("term".into()))?;
    let total = term_price(host.price_per_hour.amount, len)?;
    if paid != total {
        return Err(ContractError::WrongAmount {
            expected: total,
            got: paid,
            denom: denom.to_string(),
        });
    }
    let mut resp = Response::new();
    match find_overlap(
        deps.storage,
        &provider,
        &host.host_id,
        msg.start,
        msg.end,
        now,
    )? {
        Overlap::Conflict(r) => {
            return Err(ContractError::Overlap {
                id: r.id,
                start: r.start,
                end: r.effective_end(),
            })
        }
        Overlap::Free { expired } => {
            if !expired.is_empty() {
                let cfg = config(deps.storage)?;
                for r in expired {
                    cancel_expired(deps.storage, &cfg, &mut resp, r, now)?;
                }
            }
        }
    }
    let cfg = config(deps.storage)?;
    let id = NEXT_ID
        .may_load(deps.storage)?
        .unwrap_or_default()
        .checked_add(1)
        .ok_or_else(|| ContractError::Overflow("reservation id".into()))?;
    NEXT_ID.save(deps.storage, &id)?;
    let confirm_deadline = now.saturating_add(cfg.confirm_window_s).min(msg.start);
    let r = Reservation {
        id,
        tenant: tenant.clone(),
        provider: provider.clone(),
        host_id: host.host_id.clone(),
        start: msg.start,
        end: msg.end,
        price_per_hour: host.price_per_hour.amount,
        denom: denom.to_string(),
        total,
        claimed: Uint256::zero(),
        claimed_until: msg.start,
        refunded: Uint256::zero(),
        gpu_model: host.gpu_model.clone(),
        gpu_count: host.gpu_count,
        status: Status::Requested,
        created_at: now,
        confirm_deadline,
        confirmed_at: None,
        reclamation_window_s: host.reclamation_window_s,
        reclaim_deadline: None,
        ended_at: None,
    };
    RESERVATIONS.save(deps.storage, id, &r)?;
    BY_TENANT.save(deps.storage, (&tenant, id), &())?;
    BY_PROVIDER.save(deps.storage, (&provider, id), &())?;
    BY_HOST.save(deps.storage, (&provider, &host.host_id, id), &())?;
    LIVE.save(deps.storage, (&provider, &host.host_id, msg.start), &id)?;
    Ok(resp
        .add_attribute("reservation_id", id.to_string())
        .add_event(
            ev::ReservationRequested {
                id,
                provider,
                host_id: host.host_id,
                tenant,
                start: r.start,
                end: r.end,
                price_per_hour: r.price_per_hour,
                total,
                denom: r.denom,
                gpu_model: r.gpu_model,
                gpu_count: r.gpu_count,
                confirm_deadline,
                attested,
                reclamation_window_s: r.reclamation_window_s,
            }
            .to_event(),
        ))
}
