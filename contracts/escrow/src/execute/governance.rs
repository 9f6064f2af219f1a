//! Authority-only configuration; handover and pause are `supercloud_std::governance`'s.

use cosmwasm_std::{DepsMut, MessageInfo, Response};
use supercloud_events::escrow::EscrowEvent;
use supercloud_std::governance as shared;
use supercloud_std::{validate_denom, Authority, ACT_DENOM};

use crate::error::ContractError;
use crate::msg::Config;
use crate::msg::ConfigUpdate;
use crate::state::CONFIG;

/// Largest accepted `max_live_deposits`: no path's gas depends on it (settlement, refunds and
/// consumption are batched), it only bounds how much later calls may have to continue.
const MAX_LIVE_DEPOSITS_LIMIT: u32 = 100_000;

/// Checks configuration values.
pub fn validate_config(config: &Config) -> Result<(), ContractError> {
    let invalid = |reason: &str| ContractError::InvalidConfig {
        reason: reason.to_string(),
    };
    for (i, denom) in config.native_denoms.iter().enumerate() {
        validate_denom(denom)?;
        if denom == ACT_DENOM {
            return Err(invalid("uact is the ACT ledger denom, not a native denom"));
        }
        if config.native_denoms[..i].contains(denom) {
            return Err(invalid("duplicate native denom"));
        }
    }
    if config.block_time_ms == 0 {
        return Err(invalid("block_time_ms must be positive"));
    }
    if !(1..=100).contains(&config.max_open_payments) {
        return Err(invalid("max_open_payments must be 1 to 100"));
    }
    if !(1..=100).contains(&config.refund_batch) {
        return Err(invalid("refund_batch must be 1 to 100"));
    }
    let limits = &config.deposit_limits;
    if !(1..=MAX_LIVE_DEPOSITS_LIMIT).contains(&limits.max_live_deposits) {
        return Err(invalid("max_live_deposits must be 1 to 100000"));
    }
    if !(1..=100).contains(&limits.consume_batch) {
        return Err(invalid("consume_batch must be 1 to 100"));
    }
    for (i, min) in limits.min_deposit.iter().enumerate() {
        if limits.min_deposit[..i].iter().any(|c| c.denom == min.denom) {
            return Err(invalid("min_deposit lists a denom twice"));
        }
    }
    Ok(())
}

/// Applies a partial configuration update.
pub fn update_config(
    deps: DepsMut,
    info: &MessageInfo,
    update: ConfigUpdate,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    let mut config = CONFIG.load(deps.storage)?;
    // Destructured so that a new field does not compile until it is handled here.
    let ConfigUpdate {
        native_denoms,
        act_ledger,
        grace_period_blocks,
        block_time_ms,
        max_open_payments,
        refund_batch,
        deposit_limits,
    } = update;
    if let Some(denoms) = native_denoms {
        config.native_denoms = denoms;
    }
    if let Some(ledger) = act_ledger {
        config.act_ledger = Some(deps.api.addr_validate(&ledger)?);
    }
    if let Some(grace) = grace_period_blocks {
        config.grace_period_blocks = grace;
    }
    if let Some(ms) = block_time_ms {
        config.block_time_ms = ms;
    }
    if let Some(max) = max_open_payments {
        config.max_open_payments = max;
    }
    if let Some(batch) = refund_batch {
        config.refund_batch = batch;
    }
    if let Some(limits) = deposit_limits {
        config.deposit_limits = limits;
    }
    validate_config(&config)?;
    CONFIG.save(deps.storage, &config)?;
    shared::config_updated::<EscrowEvent, _, _>(&info.sender, &config)
}
