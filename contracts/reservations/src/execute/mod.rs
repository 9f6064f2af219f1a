//! Execute handlers, one file per concern.

pub mod audit;
pub mod bonds;
pub mod governance;
pub mod hosts;
pub mod lifecycle;
pub mod reserve;

use supercloud_std::{validate_denom, ACT_DENOM};

use crate::error::ContractError;
use crate::msg::Config;

/// Longest free-text reason.
pub const MAX_REASON_LEN: usize = 256;

/// Fails unless `denom` is accepted for host prices.
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

/// Fails when a free-text reason is too long.
pub fn check_reason(reason: &str) -> Result<(), ContractError> {
    if reason.len() > MAX_REASON_LEN {
        return Err(ContractError::TooLong {
            what: "reason",
            max: MAX_REASON_LEN,
        });
    }
    Ok(())
}
