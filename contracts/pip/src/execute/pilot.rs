//! Pilot lifecycle: creation with the budget attached, permissionless finalize, authority cancel.

use cosmwasm_std::{to_json_string, Addr, Decimal256, DepsMut, Env, Response, Uint256};
use supercloud_events::{pip as ev, CatalogEvent};
use supercloud_std::{Authority, Paused};

use crate::error::ContractError;
use crate::execute::{return_funds, target_label};
use crate::load::{addr, load_active};
use crate::msg::{
    Eligibility, ModelRate, NewPilot, Pilot, PilotKind, PilotStatus, ReturnReason, ReturnTarget,
};
use crate::schedule::epoch_count;
use crate::state::{CONFIG, NEXT_PILOT_ID, PILOTS, PROGRESS};

/// Most GPU models per pilot (bounds the queries per provider and epoch).
pub const MAX_GPU_MODELS: usize = 8;
/// Most buffer share.
pub const MAX_BUFFER_BPS: u32 = 5_000;
/// Most decimals of a budget denom.
pub const MAX_DECIMALS: u32 = 18;
/// Largest `max_payout_multiple`: a pilot may pay at most 100 times what a provider earned.
pub const MAX_PAYOUT_MULTIPLE: Decimal256 =
    Decimal256::new(Uint256::new(100_000_000_000_000_000_000));
const MAX_NAME_LEN: usize = 64;
const MAX_MODEL_LEN: usize = 64;

fn invalid(reason: impl Into<String>) -> ContractError {
    ContractError::InvalidPilot {
        reason: reason.into(),
    }
}

/// Checks eligibility: 1..=8 distinct non-empty models, min count positive when given.
pub fn validate_eligibility(e: &Eligibility) -> Result<(), ContractError> {
    if e.gpu_models.is_empty() || e.gpu_models.len() > MAX_GPU_MODELS {
        return Err(invalid("between 1 and 8 GPU models required"));
    }
    for (i, m) in e.gpu_models.iter().enumerate() {
        if m.is_empty() || m.len() > MAX_MODEL_LEN {
            return Err(invalid("GPU model names must be 1 to 64 characters"));
        }
        if e.gpu_models[..i].contains(m) {
            return Err(invalid(format!("duplicate GPU model {m}")));
        }
    }
    if e.min_gpu_count == Some(0) {
        return Err(invalid("min_gpu_count must be positive when set"));
    }
    Ok(())
}

/// Checks the kind against the eligibility: committed rates cover each model exactly once with a
/// positive rate; liquidity has a positive allocation.
pub fn validate_kind(kind: &PilotKind, eligible: &Eligibility) -> Result<(), ContractError> {
    if kind.decimals() > MAX_DECIMALS {
        return Err(invalid("decimals must be at most 18"));
    }
    match kind {
        PilotKind::Committed { rates, .. } => {
            if rates.len() != eligible.gpu_models.len() {
                return Err(invalid(
                    "committed pilots need one rate per eligible GPU model",
                ));
            }
            for (i, r) in rates.iter().enumerate() {
                if !eligible.gpu_models.contains(&r.gpu_model) {
                    return Err(invalid(format!(
                        "rate for ineligible model {}",
                        r.gpu_model
                    )));
                }
                if rates[..i].iter().any(|o| o.gpu_model == r.gpu_model) {
                    return Err(invalid(format!("duplicate rate for {}", r.gpu_model)));
                }
                if r.usd_per_gpu_hour.is_zero() {
                    return Err(invalid("usd_per_gpu_hour must be positive"));
                }
            }
        }
        PilotKind::Liquidity {
            tokens_per_epoch, ..
        } => {
            if tokens_per_epoch.is_zero() {
                return Err(invalid("tokens_per_epoch must be positive"));
            }
        }
    }
    Ok(())
}

/// Checks `max_payout_multiple`: positive and at most [`MAX_PAYOUT_MULTIPLE`].
pub fn validate_multiple(multiple: Decimal256) -> Result<(), ContractError> {
    if multiple.is_zero() || multiple > MAX_PAYOUT_MULTIPLE {
        return Err(invalid(
            "max_payout_multiple must be above 0 and at most 100",
        ));
    }
    Ok(())
}

/// Creates a pilot (authority only) funded by the attached `budget` of `denom` (a coin of the
/// message's funds, so the bank module has validated the denom).
pub fn create(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    msg: NewPilot,
    denom: String,
    budget: Uint256,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, sender)?;
    Paused::assert_not_paused(deps.storage)?;
    let config = CONFIG.load(deps.storage)?;
    if budget.is_zero() {
        return Err(invalid("the budget must be positive"));
    }
    if msg.name.is_empty() || msg.name.len() > MAX_NAME_LEN {
        return Err(invalid("name must be 1 to 64 characters"));
    }
    if msg.start < env.block.height {
        return Err(invalid("start must not be in the past"));
    }
    let epochs = epoch_count(msg.start, msg.end, msg.epoch_length)?;
    validate_eligibility(&msg.eligible)?;
    validate_kind(&msg.kind, &msg.eligible)?;
    validate_multiple(msg.max_payout_multiple)?;
    if msg.volatility_buffer_bps > MAX_BUFFER_BPS {
        return Err(invalid("volatility_buffer_bps must be at most 5000"));
    }
    // Held back rounded up: the buffer never shrinks in the payees' favour.
    let buffer = budget.checked_mul(Uint256::from(msg.volatility_buffer_bps))?;
    let buffer = buffer
        .checked_add(Uint256::from(9_999u32))?
        .checked_div(Uint256::from(10_000u32))?;
    let plannable = budget.checked_sub(buffer)?;
    if let PilotKind::Liquidity {
        tokens_per_epoch, ..
    } = &msg.kind
    {
        let needed = tokens_per_epoch.checked_mul(Uint256::from(epochs))?;
        if needed > plannable {
            return Err(invalid(format!(
                "{epochs} epochs × {tokens_per_epoch} = {needed} exceeds the budget net of buffer ({plannable})"
            )));
        }
    }
    let return_target = match msg.return_target {
        None => ReturnTarget::Address {
            address: config.default_return_address.into_string(),
        },
        Some(ReturnTarget::Address { address }) => ReturnTarget::Address {
            address: addr(deps.api, &address)?.into_string(),
        },
        Some(ReturnTarget::CommunityPool {}) => {
            if !config.community_pool_allowed {
                return Err(invalid(
                    "this chain does not allow community-pool returns; give a return address",
                ));
            }
            ReturnTarget::CommunityPool {}
        }
    };
    let admin = msg.admin.map(|a| addr(deps.api, &a)).transpose()?;
    let id = NEXT_PILOT_ID.may_load(deps.storage)?.unwrap_or(1);
    let next = id
        .checked_add(1)
        .ok_or(ContractError::OutOfRange { what: "pilot id" })?;
    NEXT_PILOT_ID.save(deps.storage, &next)?;
    let pilot = Pilot {
        id,
        name: msg.name,
        denom,
        start: msg.start,
        end: msg.end,
        epoch_length: msg.epoch_length,
        epochs,
        eligible: msg.eligible,
        kind: msg.kind,
        volatility_buffer_bps: msg.volatility_buffer_bps,
        buffer,
        return_target,
        admin,
        budget,
        paid: Uint256::zero(),
        returned: Uint256::zero(),
        next_epoch: 0,
        status: PilotStatus::Active,
        created_at: env.block.height,
        max_payout_multiple: msg.max_payout_multiple,
    };
    PILOTS.save(deps.storage, id, &pilot)?;
    let params = match &pilot.kind {
        PilotKind::Committed { rates, decimals } => to_json_string(&CommittedParams {
            rates,
            decimals: *decimals,
        })?,
        PilotKind::Liquidity {
            tokens_per_epoch, ..
        } => format!(
            "{{\"tokens_per_epoch\":\"{tokens_per_epoch}\",\"decimals\":{}}}",
            pilot.kind.decimals()
        ),
    };
    Ok(Response::new()
        .add_attribute("pilot_id", id.to_string())
        .add_event(
            ev::PilotCreated {
                pilot_id: id,
                name: pilot.name.clone(),
                denom: pilot.denom.clone(),
                budget,
                buffer,
                start: pilot.start,
                end: pilot.end,
                epoch_length: pilot.epoch_length,
                epochs,
                kind: pilot.kind.name(),
                params,
                eligible: to_json_string(&pilot.eligible)?,
                return_to: target_label(&pilot.return_target),
                admin: pilot.admin.clone(),
                height: env.block.height,
                max_payout_multiple: pilot.max_payout_multiple,
            }
            .to_event(),
        ))
}

/// The committed kind's parameters as they appear in `pilot_created.params`.
#[derive(serde::Serialize)]
struct CommittedParams<'a> {
    rates: &'a [ModelRate],
    decimals: u32,
}

/// Returns everything left and closes the pilot. `by` closes it for `status`.
fn close(
    deps: DepsMut,
    env: &Env,
    by: &Addr,
    mut pilot: Pilot,
    status: PilotStatus,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let reason = match status {
        PilotStatus::Cancelled => ReturnReason::Cancelled,
        _ => ReturnReason::Finalized,
    };
    let left = pilot.remaining()?;
    let mut res = Response::new();
    if !left.is_zero() {
        let (msg, event) = return_funds(env, &config, &mut pilot, left, reason)?;
        res = res.add_message(msg).add_event(event.to_event());
    }
    pilot.status = status;
    PROGRESS.remove(deps.storage, pilot.id);
    PILOTS.save(deps.storage, pilot.id, &pilot)?;
    Ok(res.add_event(
        ev::PilotClosed {
            pilot_id: pilot.id,
            status,
            by: by.clone(),
            budget: pilot.budget,
            paid: pilot.paid,
            returned: pilot.returned,
        }
        .to_event(),
    ))
}

/// Permissionless after the end: allowed once every epoch is settled, or in any case once
/// `settle_grace_blocks` passed after the end (so an oracle outage or an unsettled epoch cannot
/// hold the funds).
pub fn finalize(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    pilot_id: u64,
) -> Result<Response, ContractError> {
    let pilot = load_active(deps.storage, pilot_id)?;
    let config = CONFIG.load(deps.storage)?;
    let height = env.block.height;
    let all_settled = pilot.next_epoch >= pilot.epochs;
    let grace_end = pilot.end.saturating_add(config.settle_grace_blocks);
    if height <= pilot.end || (!all_settled && height <= grace_end) {
        // Before the end nothing can be settled yet: end + 1 is the earliest possible height.
        let from_height = if height <= pilot.end {
            pilot.end.saturating_add(1)
        } else {
            grace_end.saturating_add(1)
        };
        return Err(ContractError::TooEarlyToFinalize {
            pilot_id,
            from_height,
        });
    }
    close(deps, env, sender, pilot, PilotStatus::Finalized)
}

/// Authority: closes the pilot now and returns everything left.
pub fn cancel(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    pilot_id: u64,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, sender)?;
    let pilot = load_active(deps.storage, pilot_id)?;
    close(deps, env, sender, pilot, PilotStatus::Cancelled)
}
