//! Execute handlers, one file per concern.

pub mod account;
pub mod allowance;
pub mod deposit;
pub mod governance;
pub mod lifecycle;
pub mod payment;

use cosmwasm_std::{Api, Storage};
use supercloud_std::{validate_denom, ACT_DENOM};

use crate::error::ContractError;
use crate::msg::{Config, Scope, ScopeMsg};

/// Fails unless `denom` is accepted for new accounts and allowances.
pub fn assert_denom_allowed(config: &Config, denom: &str) -> Result<(), ContractError> {
    validate_denom(denom)?;
    let allowed = if denom == ACT_DENOM {
        config.act_ledger.is_some()
    } else {
        config.native_denoms.iter().any(|d| d == denom)
    };
    if !allowed {
        return Err(ContractError::DenomNotAllowed {
            denom: denom.to_string(),
        });
    }
    Ok(())
}

/// Validates an allowance scope.
pub fn validate_scope(api: &dyn Api, scope: ScopeMsg) -> Result<Scope, ContractError> {
    Ok(match scope {
        ScopeMsg::Any {} => Scope::Any,
        ScopeMsg::Owner { owner } => Scope::Owner(api.addr_validate(&owner)?),
        ScopeMsg::Account { owner, dseq } => Scope::Account(api.addr_validate(&owner)?, dseq),
    })
}

/// Loads the configuration.
pub fn config(storage: &dyn Storage) -> Result<Config, ContractError> {
    Ok(crate::state::CONFIG.load(storage)?)
}

/// Fails when the contract is paused (inflows only; exits stay open).
pub fn assert_open_for_inflows(storage: &dyn Storage) -> Result<(), ContractError> {
    supercloud_std::Paused::assert_not_paused(storage)?;
    Ok(())
}
