//! Read-only queries. Every list is paginated (default 10, max 30) with `start_after`.

use cosmwasm_std::{Addr, Coin, Deps, Order, Uint128};
use cw_storage_plus::{Bound, Prefix};
use supercloud_std::{page_limit, Authority, Paused};

use crate::calendar::{check_term, find_overlap, Overlap};
use crate::error::ContractError;
use crate::load::{addr, load_host, load_reservation};
use crate::money::{earned, term_price};
use crate::msg::{
    AttestedHostsResponse, AuditorInfo, AuditorsResponse, AvailabilityResponse, BondResponse,
    BondsResponse, ConfigResponse, Host, HostResponse, HostsResponse, Phase, Reservation,
    ReservationResponse, ReservationsResponse, Status, VerifiedWorkResponse,
};
use crate::state::{
    ATTESTATIONS, ATTESTED_BY_EXPIRY, AUDITORS, BONDS, BY_HOST, BY_PROVIDER, BY_TENANT, CONFIG,
    HOSTS, HOSTS_BY_GPU,
};
use crate::work;

/// Configuration, authority and pause flag.
pub fn config(deps: Deps) -> Result<ConfigResponse, ContractError> {
    let authority = Authority::load(deps.storage)?;
    Ok(ConfigResponse {
        authority: authority.current,
        pending_authority: authority.pending,
        paused: Paused::is_paused(deps.storage)?,
        config: CONFIG.load(deps.storage)?,
    })
}

fn host_response(deps: Deps, now: u64, host: Host) -> Result<HostResponse, ContractError> {
    let attestation = ATTESTATIONS.may_load(deps.storage, (&host.provider, &host.host_id))?;
    let attested = attestation.as_ref().is_some_and(|a| a.valid_at(now));
    Ok(HostResponse {
        host,
        attestation,
        attested,
    })
}

/// One host with its attestation.
pub fn host(
    deps: Deps,
    now: u64,
    provider: &str,
    host_id: &str,
) -> Result<HostResponse, ContractError> {
    let provider = addr(deps.api, provider)?;
    let host = load_host(deps.storage, &provider, host_id)?;
    host_response(deps, now, host)
}

/// A provider's hosts by host id.
pub fn hosts_by_provider(
    deps: Deps,
    now: u64,
    provider: &str,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<HostsResponse, ContractError> {
    let provider = addr(deps.api, provider)?;
    let start = start_after.as_deref().map(Bound::exclusive);
    let hosts = HOSTS
        .prefix(&provider)
        .range(deps.storage, start, None, Order::Ascending)
        .take(page_limit(limit))
        .map(|item| {
            let (_, host) = item?;
            host_response(deps, now, host)
        })
        .collect::<Result<_, ContractError>>()?;
    Ok(HostsResponse { hosts })
}

/// Hosts with a GPU model by (provider, host id).
pub fn hosts_by_gpu(
    deps: Deps,
    now: u64,
    gpu_model: &str,
    start_after: Option<(String, String)>,
    limit: Option<u32>,
) -> Result<HostsResponse, ContractError> {
    let after = start_after
        .map(|(p, h)| Ok::<_, ContractError>((addr(deps.api, &p)?, h)))
        .transpose()?;
    let start = after
        .as_ref()
        .map(|(p, h)| Bound::exclusive((p, h.as_str())));
    let hosts = HOSTS_BY_GPU
        .sub_prefix(gpu_model)
        .keys(deps.storage, start, None, Order::Ascending)
        .take(page_limit(limit))
        .map(|item| {
            let (provider, host_id) = item?;
            let host = load_host(deps.storage, &provider, &host_id)?;
            host_response(deps, now, host)
        })
        .collect::<Result<_, ContractError>>()?;
    Ok(HostsResponse { hosts })
}

/// Hosts whose attestation is valid now, by (expires_at, provider, host id).
pub fn attested_hosts(
    deps: Deps,
    now: u64,
    start_after: Option<(u64, String, String)>,
    limit: Option<u32>,
) -> Result<AttestedHostsResponse, ContractError> {
    let after = start_after
        .map(|(t, p, h)| Ok::<_, ContractError>((t, addr(deps.api, &p)?, h)))
        .transpose()?;
    let floor_provider = Addr::unchecked("");
    // Valid means expires_at > now; the bound (now + 1, "", "") starts at the first such key.
    let valid_from = now.saturating_add(1);
    let min = Bound::inclusive((valid_from, &floor_provider, ""));
    let start = match &after {
        Some((t, p, h)) if *t >= valid_from => Bound::exclusive((*t, p, h.as_str())),
        _ => min,
    };
    let keys = ATTESTED_BY_EXPIRY
        .keys(deps.storage, Some(start), None, Order::Ascending)
        .take(page_limit(limit))
        .collect::<Result<Vec<_>, _>>()?;
    let next = keys.last().map(|(t, p, h)| (*t, p.to_string(), h.clone()));
    let hosts = keys
        .into_iter()
        .map(|(_, provider, host_id)| {
            let host = load_host(deps.storage, &provider, &host_id)?;
            host_response(deps, now, host)
        })
        .collect::<Result<_, ContractError>>()?;
    Ok(AttestedHostsResponse { hosts, next })
}

/// Whether `[start, end)` is free on a host, and its price.
pub fn availability(
    deps: Deps,
    now: u64,
    provider: &str,
    host_id: &str,
    start: u64,
    end: u64,
) -> Result<AvailabilityResponse, ContractError> {
    let provider = addr(deps.api, provider)?;
    let host = load_host(deps.storage, &provider, host_id)?;
    let len = check_term(now, start, end)?;
    let price = Coin::new(
        term_price(host.price_per_hour.amount, len)?,
        host.price_per_hour.denom.clone(),
    );
    let conflict = match find_overlap(deps.storage, &provider, host_id, start, end, now)? {
        Overlap::Free { .. } => None,
        Overlap::Conflict(r) => Some(reservation_response(now, *r)?),
    };
    Ok(AvailabilityResponse {
        available: conflict.is_none() && host.active,
        conflict,
        price,
    })
}

fn phase(r: &Reservation, now: u64) -> Phase {
    match r.status {
        Status::Requested if r.request_expired(now) => Phase::Expired,
        Status::Requested => Phase::Requested,
        Status::Confirmed if now < r.start => Phase::Confirmed,
        Status::Confirmed if now < r.end => Phase::Active,
        Status::Confirmed => Phase::Ended,
        Status::Reclaiming => Phase::Reclaiming,
        Status::Completed => Phase::Completed,
        Status::Cancelled => Phase::Cancelled,
        Status::Reclaimed => Phase::Reclaimed,
    }
}

fn reservation_response(now: u64, r: Reservation) -> Result<ReservationResponse, ContractError> {
    let claimable = if matches!(r.status, Status::Confirmed | Status::Reclaiming) {
        let to = now.clamp(r.start, r.effective_end());
        earned(r.total, r.start, r.end, to)?.checked_sub(r.claimed)?
    } else {
        Default::default()
    };
    Ok(ReservationResponse {
        phase: phase(&r, now),
        reservation: r,
        claimable,
    })
}

/// One reservation.
pub fn reservation(deps: Deps, now: u64, id: u64) -> Result<ReservationResponse, ContractError> {
    reservation_response(now, load_reservation(deps.storage, id)?)
}

/// One page of reservation ids from an index prefix (`(owner…, id) -> ()`), as full responses.
fn page(
    deps: Deps,
    now: u64,
    index: Prefix<u64, (), u64>,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<ReservationsResponse, ContractError> {
    let reservations = index
        .keys(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|id| reservation_response(now, load_reservation(deps.storage, id?)?))
        .collect::<Result<_, ContractError>>()?;
    Ok(ReservationsResponse { reservations })
}

/// A tenant's reservations by id.
pub fn by_tenant(
    deps: Deps,
    now: u64,
    tenant: &str,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<ReservationsResponse, ContractError> {
    let tenant = addr(deps.api, tenant)?;
    page(deps, now, BY_TENANT.prefix(&tenant), start_after, limit)
}

/// A provider's reservations by id.
pub fn by_provider(
    deps: Deps,
    now: u64,
    provider: &str,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<ReservationsResponse, ContractError> {
    let provider = addr(deps.api, provider)?;
    page(deps, now, BY_PROVIDER.prefix(&provider), start_after, limit)
}

/// A host's reservations by id.
pub fn by_host(
    deps: Deps,
    now: u64,
    provider: &str,
    host_id: &str,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<ReservationsResponse, ContractError> {
    let provider = addr(deps.api, provider)?;
    page(
        deps,
        now,
        BY_HOST.prefix((&provider, host_id)),
        start_after,
        limit,
    )
}

/// A provider's bond (zero when none).
pub fn bond(deps: Deps, provider: &str) -> Result<BondResponse, ContractError> {
    let provider = addr(deps.api, provider)?;
    let bond = BONDS.may_load(deps.storage, &provider)?.unwrap_or_default();
    Ok(BondResponse {
        provider,
        denom: CONFIG.load(deps.storage)?.bond_denom,
        bond,
    })
}

/// All bonds by provider.
pub fn bonds(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<BondsResponse, ContractError> {
    let denom = CONFIG.load(deps.storage)?.bond_denom;
    let after = start_after.map(|a| addr(deps.api, &a)).transpose()?;
    let bonds = BONDS
        .range(
            deps.storage,
            after.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| {
            let (provider, bond) = item?;
            Ok(BondResponse {
                provider,
                denom: denom.clone(),
                bond,
            })
        })
        .collect::<Result<_, ContractError>>()?;
    Ok(BondsResponse { bonds })
}

/// Appointed auditors by address.
pub fn auditors(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<AuditorsResponse, ContractError> {
    let after = start_after.map(|a| addr(deps.api, &a)).transpose()?;
    let auditors = AUDITORS
        .range(
            deps.storage,
            after.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| {
            let (auditor, a) = item?;
            Ok(AuditorInfo {
                auditor,
                appointed_at: a.appointed_at,
            })
        })
        .collect::<Result<_, ContractError>>()?;
    Ok(AuditorsResponse { auditors })
}

/// Verified work between `(from_height, to_height]`.
pub fn verified_work(
    deps: Deps,
    provider: &str,
    denom: String,
    gpu_model: String,
    from_height: u64,
    to_height: u64,
) -> Result<VerifiedWorkResponse, ContractError> {
    if from_height > to_height {
        return Err(ContractError::InvalidRange {
            from: from_height,
            to: to_height,
        });
    }
    let provider = addr(deps.api, provider)?;
    let value = work::value_at(deps.storage, &provider, &denom, to_height)?.checked_sub(
        work::value_at(deps.storage, &provider, &denom, from_height)?,
    )?;
    let gpu_seconds = work::gpu_at(deps.storage, &provider, &gpu_model, to_height)?.checked_sub(
        work::gpu_at(deps.storage, &provider, &gpu_model, from_height)?,
    )?;
    Ok(VerifiedWorkResponse {
        provider,
        from_height,
        to_height,
        denom,
        value,
        gpu_model,
        gpu_blocks: Uint128::zero(),
        gpu_seconds,
    })
}
