//! Reservation lifecycle after the request: confirm, cancel, claim, reclamation.
//!
//! Rules (all times are block seconds):
//! - Confirm: the provider, while `now <= confirm_deadline` (= min(request + confirm window,
//!   start)).
//! - Cancel, by status:
//!   - requested, deadline not passed: the tenant withdraws or the provider rejects; full refund.
//!   - requested, deadline passed: anyone; full refund (`by = expired`).
//!   - confirmed, tenant, `now < start`: refund minus `cancel_fee_bps` of the total (rounded up,
//!     paid to the provider). After start the tenant cannot cancel (the term is prepaid).
//!   - confirmed or reclaiming, provider, `now < end`: everything not yet claimed is refunded to
//!     the tenant (the provider forfeits earned-but-unclaimed value); the authority may slash its
//!     bond (`slash_bond` with the reservation id).
//! - Claim (anyone; pays the provider): value earned pro rata to elapsed seconds, rounded down,
//!   up to the effective end; repeatable, zero in the same second. At `end` it completes.
//! - Reclamation (AEP-82): the provider, on an active reservation of a host that had a window when
//!   reserved, with `now + window < end`; payment continues until the deadline; then anyone ends
//!   it: provider paid to the deadline, remainder refunded.

use cosmwasm_std::{Addr, DepsMut, Env, Response, Storage, Uint256};
use supercloud_events::{reservations as ev, CatalogEvent};

use crate::error::ContractError;
use crate::execute::check_reason;
use crate::load::{config, load_reservation};
use crate::money::{cancel_fee, earned};
use crate::msg::{CancelledBy, Config, Reservation, Status};
use crate::state::{ATTESTATIONS, LIVE, RESERVATIONS};
use crate::work::{self, Work};
use supercloud_std::payout::pay;

fn wrong(r: &Reservation, action: &'static str) -> ContractError {
    ContractError::WrongStatus {
        id: r.id,
        status: r.status.as_str(),
        action,
    }
}

fn unauthorized(reason: &'static str) -> ContractError {
    ContractError::Unauthorized { reason }
}

/// Marks a reservation terminal and frees its slot.
fn terminate(
    storage: &mut dyn Storage,
    r: &mut Reservation,
    status: Status,
    now: u64,
) -> Result<(), ContractError> {
    r.status = status;
    r.ended_at = Some(now);
    LIVE.remove(storage, (&r.provider, &r.host_id, r.start));
    RESERVATIONS.save(storage, r.id, r)?;
    Ok(())
}

/// Confirms a request.
pub fn confirm(deps: DepsMut, env: &Env, sender: Addr, id: u64) -> Result<Response, ContractError> {
    let mut r = load_reservation(deps.storage, id)?;
    if sender != r.provider {
        return Err(unauthorized("only the provider confirms"));
    }
    if r.status != Status::Requested {
        return Err(wrong(&r, "confirm"));
    }
    let now = env.block.time.seconds();
    if now > r.confirm_deadline {
        return Err(ContractError::ConfirmDeadlinePassed {
            id,
            deadline: r.confirm_deadline,
        });
    }
    r.status = Status::Confirmed;
    r.confirmed_at = Some(now);
    RESERVATIONS.save(deps.storage, id, &r)?;
    Ok(Response::new().add_event(
        ev::ReservationConfirmed {
            id,
            provider: r.provider,
            host_id: r.host_id,
            tenant: r.tenant,
            start: r.start,
            end: r.end,
            time: now,
        }
        .to_event(),
    ))
}

/// Who cancels, the fee kept for the provider, and why.
struct CancelTerms {
    by: CancelledBy,
    fee: Uint256,
    reason: String,
}

/// Refunds `refund` to the tenant and `fee` to the provider and ends the reservation cancelled.
fn settle_cancel(
    storage: &mut dyn Storage,
    cfg: &Config,
    resp: &mut Response,
    mut r: Reservation,
    now: u64,
    terms: CancelTerms,
) -> Result<(), ContractError> {
    let CancelTerms { by, fee, reason } = terms;
    let held = r.held();
    let refund = held.checked_sub(fee)?;
    r.claimed = r.claimed.checked_add(fee)?;
    r.refunded = r.refunded.checked_add(refund)?;
    terminate(storage, &mut r, Status::Cancelled, now)?;
    pay(resp, cfg.act_ledger.as_ref(), &r.denom, &r.tenant, refund)?;
    pay(resp, cfg.act_ledger.as_ref(), &r.denom, &r.provider, fee)?;
    resp.events.push(
        ev::ReservationCancelled {
            id: r.id,
            provider: r.provider,
            host_id: r.host_id,
            tenant: r.tenant,
            by,
            refund,
            fee,
            denom: r.denom,
            reason,
            time: now,
        }
        .to_event(),
    );
    Ok(())
}

/// Cancels an unconfirmed request past its deadline with a full refund.
pub fn cancel_expired(
    storage: &mut dyn Storage,
    cfg: &Config,
    resp: &mut Response,
    r: Reservation,
    now: u64,
) -> Result<(), ContractError> {
    let reason = "not confirmed by the deadline".to_string();
    let terms = CancelTerms {
        by: CancelledBy::Expired,
        fee: Uint256::zero(),
        reason,
    };
    settle_cancel(storage, cfg, resp, r, now, terms)
}

/// Cancels a reservation (see the module rules).
pub fn cancel(
    deps: DepsMut,
    env: &Env,
    sender: Addr,
    id: u64,
    reason: Option<String>,
) -> Result<Response, ContractError> {
    let reason = reason.unwrap_or_default();
    check_reason(&reason)?;
    let r = load_reservation(deps.storage, id)?;
    let cfg = config(deps.storage)?;
    let now = env.block.time.seconds();
    let mut resp = Response::new();
    let is_tenant = sender == r.tenant;
    let is_provider = sender == r.provider;
    match r.status {
        Status::Requested if r.request_expired(now) => {
            cancel_expired(deps.storage, &cfg, &mut resp, r, now)?;
        }
        Status::Requested if is_tenant || is_provider => {
            let by = if is_tenant {
                CancelledBy::Tenant
            } else {
                CancelledBy::Provider
            };
            let terms = CancelTerms {
                by,
                fee: Uint256::zero(),
                reason,
            };
            settle_cancel(deps.storage, &cfg, &mut resp, r, now, terms)?;
        }
        Status::Requested => return Err(unauthorized("only the tenant or provider cancels")),
        Status::Confirmed if is_tenant => {
            if now >= r.start {
                return Err(ContractError::WrongStatus {
                    id,
                    status: "active",
                    action: "tenant cancel",
                });
            }
            let fee = cancel_fee(r.total, cfg.cancel_fee_bps)?;
            let terms = CancelTerms {
                by: CancelledBy::Tenant,
                fee,
                reason,
            };
            settle_cancel(deps.storage, &cfg, &mut resp, r, now, terms)?;
        }
        Status::Confirmed | Status::Reclaiming if is_provider => {
            if now >= r.end {
                return Err(ContractError::WrongStatus {
                    id,
                    status: "ended",
                    action: "provider cancel (claim instead)",
                });
            }
            let terms = CancelTerms {
                by: CancelledBy::Provider,
                fee: Uint256::zero(),
                reason,
            };
            settle_cancel(deps.storage, &cfg, &mut resp, r, now, terms)?;
        }
        Status::Confirmed | Status::Reclaiming => {
            return Err(unauthorized(
                "only the tenant (before start) or the provider cancels",
            ))
        }
        _ => return Err(wrong(&r, "cancel")),
    }
    Ok(resp)
}

/// Pays the provider for `[claimed_until, to)` and books verified work when the rule of
/// `work::books_work` allows it.
fn pay_until(
    storage: &mut dyn Storage,
    cfg: &Config,
    resp: &mut Response,
    r: &mut Reservation,
    to: u64,
    env: &Env,
) -> Result<Uint256, ContractError> {
    let now = env.block.time.seconds();
    let from = r.claimed_until;
    let to = to.max(from);
    let earned_to = earned(r.total, r.start, r.end, to)?;
    let amount = earned_to.checked_sub(r.claimed)?;
    let seconds = to.saturating_sub(from);
    let gpu_seconds =
        u64::from(r.gpu_count)
            .checked_mul(seconds)
            .ok_or(ContractError::CounterOverflow {
                what: "gpu seconds",
            })?;
    r.claimed = earned_to;
    r.claimed_until = to;
    let attested = ATTESTATIONS
        .may_load(storage, (&r.provider, &r.host_id))?
        .is_some_and(|a| a.valid_at(now));
    let verified = work::books_work(r, attested);
    if verified && seconds > 0 {
        work::record(
            storage,
            env.block.height,
            Work {
                provider: &r.provider,
                denom: &r.denom,
                gpu_model: &r.gpu_model,
                value: amount,
                gpu_seconds,
            },
        )?;
    }
    pay(resp, cfg.act_ledger.as_ref(), &r.denom, &r.provider, amount)?;
    resp.events.push(
        ev::Claimed {
            id: r.id,
            provider: r.provider.clone(),
            host_id: r.host_id.clone(),
            tenant: r.tenant.clone(),
            from,
            to,
            seconds,
            gpu_model: r.gpu_model.clone(),
            gpu_count: r.gpu_count,
            gpu_seconds,
            amount,
            denom: r.denom.clone(),
            claimed: r.claimed,
            verified,
        }
        .to_event(),
    );
    Ok(amount)
}

/// Pays the provider what it earned so far; completes the reservation at its end.
pub fn claim(deps: DepsMut, env: &Env, id: u64) -> Result<Response, ContractError> {
    let mut r = load_reservation(deps.storage, id)?;
    if !matches!(r.status, Status::Confirmed | Status::Reclaiming) {
        return Err(wrong(&r, "claim"));
    }
    let cfg = config(deps.storage)?;
    let now = env.block.time.seconds();
    let to = now.clamp(r.start, r.effective_end());
    let mut resp = Response::new();
    pay_until(deps.storage, &cfg, &mut resp, &mut r, to, env)?;
    if r.status == Status::Confirmed && now >= r.end {
        terminate(deps.storage, &mut r, Status::Completed, now)?;
        resp.events.push(
            ev::ReservationCompleted {
                id,
                provider: r.provider,
                host_id: r.host_id,
                tenant: r.tenant,
                total: r.total,
                denom: r.denom,
            }
            .to_event(),
        );
    } else {
        RESERVATIONS.save(deps.storage, id, &r)?;
    }
    Ok(resp)
}

/// Starts the reclamation notice on an active reservation.
pub fn start_reclamation(
    deps: DepsMut,
    env: &Env,
    sender: Addr,
    id: u64,
    reason: String,
) -> Result<Response, ContractError> {
    check_reason(&reason)?;
    let mut r = load_reservation(deps.storage, id)?;
    if sender != r.provider {
        return Err(unauthorized("only the provider reclaims"));
    }
    let now = env.block.time.seconds();
    if r.status != Status::Confirmed || now < r.start || now >= r.end {
        return Err(ContractError::WrongStatus {
            id,
            status: r.status.as_str(),
            action: "reclamation (needs an active reservation)",
        });
    }
    let window = r.reclamation_window_s.ok_or(ContractError::WrongStatus {
        id,
        status: "without reclamation window",
        action: "reclamation",
    })?;
    let deadline = now
        .checked_add(window)
        .ok_or(ContractError::CounterOverflow { what: "deadline" })?;
    if deadline >= r.end {
        return Err(ContractError::ReclaimAfterEnd {
            deadline,
            end: r.end,
        });
    }
    r.status = Status::Reclaiming;
    r.reclaim_deadline = Some(deadline);
    RESERVATIONS.save(deps.storage, id, &r)?;
    Ok(Response::new().add_event(
        ev::ReclamationStarted {
            id,
            provider: r.provider,
            host_id: r.host_id,
            tenant: r.tenant,
            reason,
            deadline,
        }
        .to_event(),
    ))
}

/// Ends a reclaimed reservation after its deadline (anyone).
pub fn end_reclamation(deps: DepsMut, env: &Env, id: u64) -> Result<Response, ContractError> {
    let mut r = load_reservation(deps.storage, id)?;
    if r.status != Status::Reclaiming {
        return Err(wrong(&r, "end reclamation"));
    }
    let now = env.block.time.seconds();
    let deadline = r.effective_end();
    if now < deadline {
        return Err(ContractError::TooEarly {
            what: "reclamation ends",
            at: deadline,
            now,
        });
    }
    let cfg = config(deps.storage)?;
    let mut resp = Response::new();
    let provider_paid = pay_until(deps.storage, &cfg, &mut resp, &mut r, deadline, env)?;
    let refund = r.total.checked_sub(r.claimed)?;
    r.refunded = r.refunded.checked_add(refund)?;
    terminate(deps.storage, &mut r, Status::Reclaimed, now)?;
    pay(
        &mut resp,
        cfg.act_ledger.as_ref(),
        &r.denom,
        &r.tenant,
        refund,
    )?;
    resp.events.push(
        ev::ReservationReclaimed {
            id,
            provider: r.provider,
            host_id: r.host_id,
            tenant: r.tenant,
            deadline,
            provider_paid,
            refund,
            denom: r.denom,
        }
        .to_event(),
    );
    Ok(resp)
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
