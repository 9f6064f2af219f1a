//! Sponsor allowances: a granter pre-funds what a grantee may deposit into accounts in scope.
//! Money stays in the contract until spent, credited back by refunds, or revoked.

use cosmwasm_std::{Addr, DepsMut, Env, Response, Uint256};
use supercloud_events::{escrow as ev, CatalogEvent};

use super::{assert_denom_allowed, assert_open_for_inflows, config};
use crate::error::ContractError;
use crate::msg::Scope;
use crate::state::{Allowance, ALLOWANCES};
use supercloud_std::payout::pay;

/// A validated grant.
pub struct Grant {
    pub granter: Addr,
    pub grantee: Addr,
    pub scope: Scope,
    pub expires_at: Option<u64>,
    pub denom: String,
    pub amount: Uint256,
}

/// Funds or tops up an allowance; scope and expiry are replaced by the new grant's.
pub fn grant(deps: DepsMut, env: &Env, grant: Grant) -> Result<Response, ContractError> {
    assert_open_for_inflows(deps.storage)?;
    let config = config(deps.storage)?;
    assert_denom_allowed(&config, &grant.denom)?;
    if grant.amount.is_zero() {
        return Err(ContractError::ZeroAmount { what: "allowance" });
    }
    if grant.granter == grant.grantee {
        return Err(ContractError::SelfGrant);
    }
    if let Some(expires_at) = grant.expires_at {
        if expires_at <= env.block.height {
            return Err(ContractError::InvalidConfig {
                reason: format!("expires_at {expires_at} is not after the current height"),
            });
        }
    }
    let key = (&grant.granter, &grant.grantee, grant.denom.as_str());
    let previous = ALLOWANCES
        .may_load(deps.storage, key)?
        .map(|a| a.balance)
        .unwrap_or_default();
    let allowance = Allowance {
        scope: grant.scope.clone(),
        balance: previous.checked_add(grant.amount)?,
        expires_at: grant.expires_at,
    };
    ALLOWANCES.save(deps.storage, key, &allowance)?;
    Ok(Response::new()
        .add_attribute("action", "grant_allowance")
        .add_event(
            ev::AllowanceGranted {
                granter: grant.granter,
                grantee: grant.grantee,
                scope: grant.scope.to_attr(),
                denom: grant.denom,
                amount: grant.amount,
                balance: allowance.balance,
                expires_at: allowance.expires_at,
            }
            .to_event(),
        ))
}

/// Granter takes back an allowance's balance; later refunds of its deposits go to the granter.
pub fn revoke(
    deps: DepsMut,
    granter: Addr,
    grantee: Addr,
    denom: String,
) -> Result<Response, ContractError> {
    let config = config(deps.storage)?;
    let key = (&granter, &grantee, denom.as_str());
    let allowance = ALLOWANCES.may_load(deps.storage, key)?.ok_or_else(|| {
        ContractError::AllowanceNotFound {
            granter: granter.clone(),
            grantee: grantee.clone(),
            denom: denom.clone(),
        }
    })?;
    ALLOWANCES.remove(deps.storage, key);
    let mut resp = Response::new().add_attribute("action", "revoke_allowance");
    pay(
        &mut resp,
        config.act_ledger.as_ref(),
        &denom,
        &granter,
        allowance.balance,
    )?;
    resp.events.push(
        ev::AllowanceRevoked {
            granter,
            grantee,
            denom,
            returned: allowance.balance,
        }
        .to_event(),
    );
    Ok(resp)
}
