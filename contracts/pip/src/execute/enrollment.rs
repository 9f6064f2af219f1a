//! Enrollment: providers ask, the authority or pilot admin approves (or enrolls directly);
//! providers may leave and managers may remove. Only approved providers are settled, and only
//! their work after the approval height counts.

use cosmwasm_std::{Addr, DepsMut, Env, Response};
use supercloud_events::{pip as ev, CatalogEvent};
use supercloud_std::Paused;

use crate::error::ContractError;
use crate::execute::assert_manager;
use crate::load::load_active;
use crate::msg::{Enrollment, EnrollmentEndReason, EnrollmentStatus, Pilot};
use crate::state::{APPROVED, ENROLLMENTS};

fn assert_open(pilot: &Pilot, env: &Env) -> Result<(), ContractError> {
    if env.block.height >= pilot.end {
        return Err(ContractError::EnrollmentClosed {
            pilot_id: pilot.id,
            end: pilot.end,
        });
    }
    Ok(())
}

/// Provider asks to join.
pub fn request(
    deps: DepsMut,
    env: &Env,
    provider: Addr,
    pilot_id: u64,
) -> Result<Response, ContractError> {
    Paused::assert_not_paused(deps.storage)?;
    let pilot = load_active(deps.storage, pilot_id)?;
    assert_open(&pilot, env)?;
    if ENROLLMENTS.has(deps.storage, (pilot_id, &provider)) {
        return Err(ContractError::AlreadyEnrolled { pilot_id, provider });
    }
    ENROLLMENTS.save(
        deps.storage,
        (pilot_id, &provider),
        &Enrollment {
            status: EnrollmentStatus::Pending,
            requested_at: env.block.height,
            approved_at: None,
        },
    )?;
    Ok(Response::new().add_event(
        ev::EnrollmentRequested {
            pilot_id,
            provider,
            height: env.block.height,
        }
        .to_event(),
    ))
}

/// Manager approves a pending request (`direct = false`) or enrolls a provider that may not have
/// asked (`direct = true`).
pub fn approve(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    pilot_id: u64,
    provider: Addr,
    direct: bool,
) -> Result<Response, ContractError> {
    let pilot = load_active(deps.storage, pilot_id)?;
    assert_manager(deps.storage, &pilot, sender)?;
    assert_open(&pilot, env)?;
    let existing = ENROLLMENTS.may_load(deps.storage, (pilot_id, &provider))?;
    let requested_at = match existing {
        Some(Enrollment {
            status: EnrollmentStatus::Approved,
            ..
        }) => return Err(ContractError::AlreadyEnrolled { pilot_id, provider }),
        Some(e) => e.requested_at,
        None if direct => env.block.height,
        None => return Err(ContractError::NotEnrolled { pilot_id, provider }),
    };
    let height = env.block.height;
    ENROLLMENTS.save(
        deps.storage,
        (pilot_id, &provider),
        &Enrollment {
            status: EnrollmentStatus::Approved,
            requested_at,
            approved_at: Some(height),
        },
    )?;
    APPROVED.save(deps.storage, (pilot_id, &provider), &height)?;
    Ok(Response::new().add_event(
        ev::Enrolled {
            pilot_id,
            provider,
            by: sender.clone(),
            height,
        }
        .to_event(),
    ))
}

/// Ends an enrollment or request: the provider itself (`withdrawn`) or a manager (`removed`).
/// Epochs not yet settled no longer include the provider; results already measured in an epoch
/// being settled are still paid.
pub fn end(
    deps: DepsMut,
    sender: &Addr,
    pilot_id: u64,
    provider: Addr,
) -> Result<Response, ContractError> {
    let pilot = load_active(deps.storage, pilot_id)?;
    let reason = if *sender == provider {
        EnrollmentEndReason::Withdrawn
    } else {
        assert_manager(deps.storage, &pilot, sender)?;
        EnrollmentEndReason::Removed
    };
    let enrollment = ENROLLMENTS
        .may_load(deps.storage, (pilot_id, &provider))?
        .ok_or_else(|| ContractError::NotEnrolled {
            pilot_id,
            provider: provider.clone(),
        })?;
    ENROLLMENTS.remove(deps.storage, (pilot_id, &provider));
    APPROVED.remove(deps.storage, (pilot_id, &provider));
    Ok(Response::new().add_event(
        ev::EnrollmentEnded {
            pilot_id,
            provider,
            by: sender.clone(),
            reason,
            was_approved: enrollment.status == EnrollmentStatus::Approved,
        }
        .to_event(),
    ))
}
