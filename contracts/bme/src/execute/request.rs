//! Submitting requests: `mint_act` (AKT → ACT) and `burn_act` (ACT → AKT).
//!
//! Both need a healthy oracle price *now* (as Akash does): it is what the checks below use, and a
//! request made blind would only wait or be cancelled later. Mints are refused in halt-CR and
//! halt-oracle (the live mode at the current price and vault, not a stale stored one) and when
//! the ACT they would mint before the spread is below `min_mint` (FIX Console #2972: refused
//! here, not silently cancelled later). Burns are accepted in every mode except halt-oracle and
//! refused below `min_burn` (FIX: 500 dust burns of 3 uact delayed an honest burn by 110 blocks)
//! or when they would pay zero uakt after the settle spread.
//!
//! Both are refused when the sender already has `max_pending_per_owner` requests queued, mints
//! and burns together (FIX issue 23: one address could queue without limit ahead of honest
//! requests; what the cap guarantees is on `Params::max_pending_per_owner`). Counting reads at
//! most that many index keys, and the cap is at most 100.

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Order, Response, Storage, Uint128, Uint64};
use supercloud_events::{bme as ev, CatalogEvent};
use supercloud_std::Paused;

use super::nonzero;
use crate::breaker::{evaluate, oracle_price};
use crate::error::ContractError;
use crate::ledger::debit;
use crate::math;
use crate::msg::{Denom, Mode, Request, RequestKind};
use crate::state::{queue, BY_OWNER, CONFIG, NEXT_ID, STATUS, VAULT};

/// Refuses `owner` a new request when it already has `max` queued (of either kind). Reads at
/// most `max` keys of the owner index.
fn assert_below_pending_cap(
    storage: &dyn Storage,
    owner: &Addr,
    max: u32,
) -> Result<(), ContractError> {
    let take = usize::try_from(max).unwrap_or(usize::MAX);
    let queued = BY_OWNER
        .prefix(owner)
        .keys_raw(storage, None, None, Order::Ascending)
        .take(take)
        .count();
    if queued >= take {
        return Err(ContractError::TooManyPending {
            owner: owner.clone(),
            max_pending_per_owner: max,
        });
    }
    Ok(())
}

/// Stores a new request under the next id and indexes it by owner.
fn enqueue(
    deps: &mut DepsMut,
    env: &Env,
    kind: RequestKind,
    owner: &Addr,
    amount: Uint128,
) -> Result<u64, ContractError> {
    let id = NEXT_ID.may_load(deps.storage)?.unwrap_or(1);
    NEXT_ID.save(
        deps.storage,
        &Uint64::new(id).checked_add(Uint64::one())?.u64(),
    )?;
    let request = Request {
        id,
        kind,
        owner: owner.clone(),
        amount,
        height: env.block.height,
        attempts: 0,
        last_error: None,
    };
    queue(kind).save(deps.storage, id, &request)?;
    BY_OWNER.save(deps.storage, (owner, id), &kind)?;
    Ok(id)
}

/// Queues an AKT → ACT request for the uakt attached.
pub fn mint_act(
    mut deps: DepsMut,
    env: &Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    Paused::assert_not_paused(deps.storage)?;
    // `must_pay` refuses a zero amount.
    let amount = Uint128::try_from(cw_utils::must_pay(&info, Denom::Uakt.as_str())?)?;
    let config = CONFIG.load(deps.storage)?;
    let mut vault = VAULT.load(deps.storage)?;
    let status = STATUS.load(deps.storage)?;
    let price_result = oracle_price(&deps.querier, &config);
    let (mode, _) = evaluate(&price_result, &vault, &config.params, status.cr_bps);
    let price = price_result.map_err(|reason| ContractError::OracleUnhealthy { reason })?;
    if matches!(mode, Mode::HaltCr | Mode::HaltOracle) {
        return Err(ContractError::ModeForbids {
            kind: RequestKind::Mint,
            mode,
        });
    }
    let expected_act = math::akt_to_act(amount, price)?;
    if expected_act < config.params.min_mint {
        return Err(ContractError::BelowMinMint {
            expected: expected_act,
            min_mint: config.params.min_mint,
        });
    }
    assert_below_pending_cap(
        deps.storage,
        &info.sender,
        config.params.max_pending_per_owner,
    )?;
    let id = enqueue(&mut deps, env, RequestKind::Mint, &info.sender, amount)?;
    vault.pending_akt = vault.pending_akt.checked_add(amount)?;
    VAULT.save(deps.storage, &vault)?;
    Ok(Response::new().add_event(
        ev::MintRequested {
            id,
            owner: info.sender,
            amount_akt: amount,
            expected_act,
            price,
            pending_akt: vault.pending_akt,
            height: env.block.height,
        }
        .to_event(),
    ))
}

/// Queues an ACT → AKT request; the ACT leaves the sender's balance now.
pub fn burn_act(
    mut deps: DepsMut,
    env: &Env,
    sender: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    Paused::assert_not_paused(deps.storage)?;
    nonzero(amount, "ACT amount")?;
    let config = CONFIG.load(deps.storage)?;
    let min_burn = config.params.min_burn;
    if amount < min_burn {
        return Err(ContractError::BelowMinBurn { amount, min_burn });
    }
    let price = oracle_price(&deps.querier, &config)
        .map_err(|reason| ContractError::OracleUnhealthy { reason })?;
    let gross = math::act_to_akt(amount, price)?;
    let expected_akt = gross.checked_sub(math::spread(gross, config.params.settle_spread_bps)?)?;
    if expected_akt.is_zero() {
        return Err(ContractError::ZeroAfterRounding {
            what: "uakt payout",
        });
    }
    assert_below_pending_cap(deps.storage, &sender, config.params.max_pending_per_owner)?;
    let balance = debit(deps.storage, &sender, amount)?;
    let id = enqueue(&mut deps, env, RequestKind::Burn, &sender, amount)?;
    let mut vault = VAULT.load(deps.storage)?;
    vault.pending_act = vault.pending_act.checked_add(amount)?;
    VAULT.save(deps.storage, &vault)?;
    Ok(Response::new().add_event(
        ev::BurnRequested {
            id,
            owner: sender,
            amount_act: amount,
            expected_akt,
            price,
            balance,
            pending_act: vault.pending_act,
            height: env.block.height,
        }
        .to_event(),
    ))
}
