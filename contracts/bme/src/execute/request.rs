//! Submitting requests: `mint_act` (AKT → ACT) and `burn_act` (ACT → AKT).
//!
//! Both need a healthy oracle price *now* (as Akash does): it is what the checks below use, and a
//! request made blind would only wait or be cancelled later. Mints are refused in halt-CR and
//! halt-oracle (the live mode at the current price and vault, not a stale stored one) and when
//! the ACT they would mint before the spread is below `min_mint` (FIX Console #2972: refused
//! here, not silently cancelled later). Burns are accepted in every mode except halt-oracle and
//! refused when they would pay zero uakt after the settle spread.

use cosmwasm_std::{Addr, Env, MessageInfo, Response, Uint128};
use supercloud_events::{bme as ev, CatalogEvent};
use supercloud_std::Paused;

use super::{debit, evaluate, nonzero, oracle_price, AKT_DENOM};
use crate::error::ContractError;
use crate::math;
use crate::state::{queue, Kind, Mode, Request, Vault, BY_OWNER, CONFIG, NEXT_ID, STATUS, VAULT};
use cosmwasm_std::DepsMut;

fn next_id(deps: &mut DepsMut) -> Result<u64, ContractError> {
    let id = NEXT_ID.may_load(deps.storage)?.unwrap_or(1);
    let next = id
        .checked_add(1)
        .ok_or_else(|| ContractError::Overflow("request id".into()))?;
    NEXT_ID.save(deps.storage, &next)?;
    Ok(id)
}

fn enqueue(
    deps: &mut DepsMut,
    env: &Env,
    kind: Kind,
    owner: &Addr,
    amount: Uint128,
) -> Result<u64, ContractError> {
    let id = next_id(deps)?;
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
    let amount = Uint128::try_from(cw_utils::must_pay(&info, AKT_DENOM)?)?;
    nonzero(amount, "uakt amount")?;
    let config = CONFIG.load(deps.storage)?;
    let mut vault: Vault = VAULT.load(deps.storage)?;
    let status = STATUS.load(deps.storage)?;
    let price_result = oracle_price(&deps.querier, &config);
    let (mode, _) = evaluate(&price_result, &vault, &config, status.cr_bps)?;
    let price = price_result.map_err(|reason| ContractError::OracleUnhealthy { reason })?;
    if matches!(mode, Mode::HaltCr | Mode::HaltOracle) {
        return Err(ContractError::ModeForbids {
            kind: "mint",
            mode: mode.as_str().to_string(),
        });
    }
    let expected_act = math::akt_to_act(amount, price)?;
    if expected_act < config.params.min_mint {
        return Err(ContractError::BelowMinMint {
            expected: expected_act,
            min_mint: config.params.min_mint,
        });
    }
    let id = enqueue(&mut deps, env, Kind::Mint, &info.sender, amount)?;
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
    info: MessageInfo,
    amount: Uint128,
) -> Result<Response, ContractError> {
    Paused::assert_not_paused(deps.storage)?;
    cw_utils::nonpayable(&info)?;
    nonzero(amount, "ACT amount")?;
    let config = CONFIG.load(deps.storage)?;
    let price = oracle_price(&deps.querier, &config)
        .map_err(|reason| ContractError::OracleUnhealthy { reason })?;
    let gross = math::act_to_akt(amount, price)?;
    let expected_akt = gross.checked_sub(math::spread(gross, config.params.settle_spread_bps)?)?;
    if expected_akt.is_zero() {
        return Err(ContractError::ZeroAfterRounding {
            what: "uakt payout",
        });
    }
    let balance = debit(deps.storage, &info.sender, amount)?;
    let id = enqueue(&mut deps, env, Kind::Burn, &info.sender, amount)?;
    let mut vault = VAULT.load(deps.storage)?;
    vault.pending_act = vault.pending_act.checked_add(amount)?;
    VAULT.save(deps.storage, &vault)?;
    Ok(Response::new().add_event(
        ev::BurnRequested {
            id,
            owner: info.sender,
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
