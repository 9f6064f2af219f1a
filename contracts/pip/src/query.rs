//! Read-only views; every list is paginated (default 10, max 30, `start_after`).

use cosmwasm_std::{Deps, Order};
use cw_storage_plus::Bound;
use supercloud_std::{page_limit, Authority, Paused};

use crate::error::ContractError;
use crate::load::{addr, load_pilot};
use crate::msg::{
    ConfigResponse, EnrollmentEntry, EnrollmentsResponse, EpochResultsResponse, PayoutEntry,
    PayoutsResponse, Pilot, PilotResponse, PilotsResponse, ProviderResult, RemainingBudgetResponse,
};
use crate::schedule::epoch_range;
use crate::state::{CONFIG, ENROLLMENTS, EPOCHS, PAYOUTS, PILOTS, PROGRESS, RESULTS};

/// Authority, pause flag and configuration.
pub fn config(deps: Deps) -> Result<ConfigResponse, ContractError> {
    let authority = Authority::load(deps.storage)?;
    Ok(ConfigResponse {
        authority: authority.current,
        pending_authority: authority.pending,
        paused: Paused::is_paused(deps.storage)?,
        config: CONFIG.load(deps.storage)?,
    })
}

fn pilot_response(deps: Deps, pilot: Pilot) -> Result<PilotResponse, ContractError> {
    Ok(PilotResponse {
        remaining: pilot.remaining()?,
        progress: PROGRESS.may_load(deps.storage, pilot.id)?,
        pilot,
    })
}

/// One pilot.
pub fn pilot(deps: Deps, pilot_id: u64) -> Result<PilotResponse, ContractError> {
    pilot_response(deps, load_pilot(deps.storage, pilot_id)?)
}

/// Pilots by id.
pub fn pilots(
    deps: Deps,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<PilotsResponse, ContractError> {
    let mut pilots = Vec::new();
    let page = PILOTS.range(
        deps.storage,
        start_after.map(Bound::exclusive),
        None,
        Order::Ascending,
    );
    for item in page.take(page_limit(limit)) {
        let (_, p) = item?;
        pilots.push(pilot_response(deps, p)?);
    }
    Ok(PilotsResponse { pilots })
}

/// Enrollments (pending and approved) of a pilot by provider.
pub fn enrollments(
    deps: Deps,
    pilot_id: u64,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<EnrollmentsResponse, ContractError> {
    let start = start_after.map(|s| addr(deps.api, &s)).transpose()?;
    let mut enrollments = Vec::new();
    let page = ENROLLMENTS.prefix(pilot_id).range(
        deps.storage,
        start.as_ref().map(Bound::exclusive),
        None,
        Order::Ascending,
    );
    for item in page.take(page_limit(limit)) {
        let (provider, enrollment) = item?;
        enrollments.push(EnrollmentEntry {
            provider,
            enrollment,
        });
    }
    Ok(EnrollmentsResponse { enrollments })
}

/// An epoch's range, summary (when complete) and per-provider results.
pub fn epoch_results(
    deps: Deps,
    pilot_id: u64,
    epoch: u32,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<EpochResultsResponse, ContractError> {
    let pilot = load_pilot(deps.storage, pilot_id)?;
    if epoch >= pilot.epochs {
        return Err(ContractError::NoSuchEpoch {
            pilot_id,
            epoch,
            epochs: pilot.epochs,
        });
    }
    let (from_height, to_height) = epoch_range(pilot.start, pilot.end, pilot.epoch_length, epoch)?;
    let start = start_after.map(|s| addr(deps.api, &s)).transpose()?;
    let mut results = Vec::new();
    let page = RESULTS.prefix((pilot_id, epoch)).range(
        deps.storage,
        start.as_ref().map(Bound::exclusive),
        None,
        Order::Ascending,
    );
    for item in page.take(page_limit(limit)) {
        let (provider, result) = item?;
        results.push(ProviderResult { provider, result });
    }
    Ok(EpochResultsResponse {
        pilot_id,
        epoch,
        from_height,
        to_height,
        summary: EPOCHS.may_load(deps.storage, (pilot_id, epoch))?,
        results,
    })
}

/// Budget, paid, returned and what is left.
pub fn remaining_budget(
    deps: Deps,
    pilot_id: u64,
) -> Result<RemainingBudgetResponse, ContractError> {
    let p = load_pilot(deps.storage, pilot_id)?;
    Ok(RemainingBudgetResponse {
        pilot_id,
        remaining: p.remaining()?,
        denom: p.denom,
        budget: p.budget,
        paid: p.paid,
        returned: p.returned,
        buffer: p.buffer,
    })
}

/// Non-zero payouts of a provider by (pilot, epoch).
pub fn payouts_by_provider(
    deps: Deps,
    provider: &str,
    start_after: Option<(u64, u32)>,
    limit: Option<u32>,
) -> Result<PayoutsResponse, ContractError> {
    let provider = addr(deps.api, provider)?;
    let mut payouts = Vec::new();
    let page = PAYOUTS.sub_prefix(&provider).range(
        deps.storage,
        start_after.map(Bound::exclusive),
        None,
        Order::Ascending,
    );
    for item in page.take(page_limit(limit)) {
        let ((pilot_id, epoch), payout) = item?;
        payouts.push(PayoutEntry {
            pilot_id,
            epoch,
            payout,
        });
    }
    Ok(PayoutsResponse { provider, payouts })
}
