//! New reservations: term, attestation and payment checks, then the overlap check of
//! `crate::calendar`.

use cosmwasm_std::{Addr, DepsMut, Env, Response, Uint256};
use supercloud_events::{reservations as ev, CatalogEvent};

use crate::calendar::{check_term, find_overlap, Overlap};
use crate::error::ContractError;
use crate::execute::lifecycle::cancel_expired;
use crate::load::{config, load_host};
use crate::money::term_price;
use crate::msg::{Reservation, ReserveMsg, Status};
use crate::state::{ATTESTATIONS, BY_HOST, BY_PROVIDER, BY_TENANT, LIVE, NEXT_ID, RESERVATIONS};

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
    // Verified work cannot be bought from oneself (DESIGN §4.1; `work::books_work` backs this up).
    if tenant == provider {
        return Err(ContractError::Unauthorized {
            reason: "a provider may not reserve its own host",
        });
    }
    let len = check_term(now, msg.start, msg.end)?;
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
        .ok_or(ContractError::CounterOverflow {
            what: "reservation id",
        })?;
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
