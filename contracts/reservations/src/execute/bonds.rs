//! Provider bonds (AEP-86): post, unbond with a delay, claim, and authority slashing to the
//! configured recipient (never burned). One unbonding entry per provider keeps every path O(1):
//! a new withdrawal request adds to it and restarts its clock.

use cosmwasm_std::{Addr, DepsMut, Env, Response, Uint256};
use supercloud_events::{reservations as ev, CatalogEvent};
use supercloud_std::Authority;

use crate::error::ContractError;
use crate::execute::check_reason;
use crate::load::{addr, config, load_reservation};
use crate::msg::Bond;
use crate::state::BONDS;
use supercloud_std::payout::pay;

/// Adds `amount` (already received in the bond denom) to `provider`'s bond.
pub fn post(deps: DepsMut, provider: Addr, amount: Uint256) -> Result<Response, ContractError> {
    supercloud_std::Paused::assert_not_paused(deps.storage)?;
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount { what: "bond" });
    }
    let cfg = config(deps.storage)?;
    let mut bond = BONDS.may_load(deps.storage, &provider)?.unwrap_or_default();
    bond.bonded = bond.bonded.checked_add(amount)?;
    BONDS.save(deps.storage, &provider, &bond)?;
    Ok(Response::new().add_event(
        ev::BondPosted {
            provider,
            amount,
            denom: cfg.bond_denom,
            bonded: bond.bonded,
        }
        .to_event(),
    ))
}

/// Moves `amount` from bonded to unbonding; claimable `unbonding_period_s` from now.
pub fn request_withdrawal(
    deps: DepsMut,
    env: &Env,
    provider: Addr,
    amount: Uint256,
) -> Result<Response, ContractError> {
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount { what: "withdrawal" });
    }
    let cfg = config(deps.storage)?;
    let mut bond = BONDS
        .may_load(deps.storage, &provider)?
        .ok_or_else(|| ContractError::Bond { reason: "no bond" })?;
    bond.bonded =
        bond.bonded
            .checked_sub(amount)
            .map_err(|_| ContractError::WithdrawalExceedsBond {
                amount,
                bonded: bond.bonded,
            })?;
    bond.unbonding = bond.unbonding.checked_add(amount)?;
    let ready_at = env
        .block
        .time
        .seconds()
        .checked_add(cfg.unbonding_period_s)
        .ok_or(ContractError::CounterOverflow {
            what: "unbonding time",
        })?;
    bond.ready_at = Some(ready_at);
    BONDS.save(deps.storage, &provider, &bond)?;
    Ok(Response::new().add_event(
        ev::BondUnbonding {
            provider,
            amount,
            denom: cfg.bond_denom,
            bonded: bond.bonded,
            unbonding: bond.unbonding,
            ready_at,
        }
        .to_event(),
    ))
}

/// Pays out the unbonded amount once its delay passed.
pub fn claim(deps: DepsMut, env: &Env, provider: Addr) -> Result<Response, ContractError> {
    let cfg = config(deps.storage)?;
    let mut bond = BONDS.may_load(deps.storage, &provider)?.unwrap_or_default();
    if bond.unbonding.is_zero() {
        return Err(ContractError::Bond {
            reason: "nothing unbonding",
        });
    }
    let now = env.block.time.seconds();
    let ready_at = bond.ready_at.unwrap_or_default();
    if now < ready_at {
        return Err(ContractError::TooEarly {
            what: "bond unbonds",
            at: ready_at,
            now,
        });
    }
    let amount = bond.unbonding;
    bond.unbonding = Uint256::zero();
    bond.ready_at = None;
    save_or_remove(deps, &provider, &bond)?;
    let mut resp = Response::new().add_event(
        ev::BondClaimed {
            provider: provider.clone(),
            amount,
            denom: cfg.bond_denom.clone(),
        }
        .to_event(),
    );
    pay(
        &mut resp,
        cfg.act_ledger.as_ref(),
        &cfg.bond_denom,
        &provider,
        amount,
    )?;
    Ok(resp)
}

fn save_or_remove(deps: DepsMut, provider: &Addr, bond: &Bond) -> Result<(), ContractError> {
    if bond.bonded.is_zero() && bond.unbonding.is_zero() {
        BONDS.remove(deps.storage, provider);
    } else {
        BONDS.save(deps.storage, provider, bond)?;
    }
    Ok(())
}

/// What the authority wants slashed.
pub struct Slash {
    pub provider: String,
    pub amount: Uint256,
    pub reason: String,
    pub reservation_id: Option<u64>,
}

/// Slashes up to `amount` (bonded first, then unbonding) to the slash recipient.
pub fn slash(deps: DepsMut, sender: &Addr, s: Slash) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, sender)?;
    let provider = addr(deps.api, &s.provider)?;
    check_reason(&s.reason)?;
    if s.amount.is_zero() {
        return Err(ContractError::ZeroAmount { what: "slash" });
    }
    if let Some(id) = s.reservation_id {
        let r = load_reservation(deps.storage, id)?;
        if r.provider != provider {
            return Err(ContractError::SlashOtherProvider { id });
        }
    }
    let cfg = config(deps.storage)?;
    let mut bond = BONDS.may_load(deps.storage, &provider)?.unwrap_or_default();
    let from_bonded = s.amount.min(bond.bonded);
    let from_unbonding = s.amount.checked_sub(from_bonded)?.min(bond.unbonding);
    let slashed = from_bonded.checked_add(from_unbonding)?;
    if slashed.is_zero() {
        return Err(ContractError::Bond {
            reason: "provider has no bond to slash",
        });
    }
    bond.bonded = bond.bonded.checked_sub(from_bonded)?;
    bond.unbonding = bond.unbonding.checked_sub(from_unbonding)?;
    if bond.unbonding.is_zero() {
        bond.ready_at = None;
    }
    save_or_remove(deps, &provider, &bond)?;
    let mut resp = Response::new().add_event(
        ev::BondSlashed {
            provider,
            amount: slashed,
            denom: cfg.bond_denom.clone(),
            recipient: cfg.slash_recipient.clone(),
            reason: s.reason,
            reservation_id: s.reservation_id,
            bonded: bond.bonded,
            unbonding: bond.unbonding,
        }
        .to_event(),
    );
    pay(
        &mut resp,
        cfg.act_ledger.as_ref(),
        &cfg.bond_denom,
        &cfg.slash_recipient,
        slashed,
    )?;
    Ok(resp)
}
