//! Authority-only configuration; handover and pause are `supercloud_std::governance`'s.

use cosmwasm_std::{DepsMut, MessageInfo, Response};
use supercloud_events::pip::PipEvent;
use supercloud_std::governance as shared;
use supercloud_std::Authority;

use crate::error::ContractError;
use crate::load::addr;
use crate::msg::{Config, ConfigUpdate};
use crate::state::CONFIG;

/// Checks configuration values.
pub fn validate_config(config: &Config) -> Result<(), ContractError> {
    let pair_ok = config
        .oracle_pair
        .split_once('/')
        .map(|(b, q)| {
            let part = |p: &str| {
                (1..=16).contains(&p.len())
                    && p.bytes()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            };
            part(b) && part(q)
        })
        .unwrap_or(false);
    if !pair_ok {
        return Err(ContractError::InvalidConfig {
            reason: "oracle_pair must be base/quote, each 1-16 of [a-z0-9]".into(),
        });
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
    // Destructured so that a new field does not compile until it is handled here.
    let ConfigUpdate {
        escrow,
        oracle,
        oracle_pair,
        reservations,
        community_pool_allowed,
        default_return_address,
        settle_grace_blocks,
    } = update;
    let mut config = CONFIG.load(deps.storage)?;
    if let Some(a) = escrow {
        config.escrow = addr(deps.api, &a)?;
    }
    if let Some(a) = oracle {
        config.oracle = addr(deps.api, &a)?;
    }
    if let Some(p) = oracle_pair {
        config.oracle_pair = p;
    }
    if let Some(a) = reservations {
        config.reservations = Some(addr(deps.api, &a)?);
    }
    if let Some(c) = community_pool_allowed {
        config.community_pool_allowed = c;
    }
    if let Some(a) = default_return_address {
        config.default_return_address = addr(deps.api, &a)?;
    }
    if let Some(g) = settle_grace_blocks {
        config.settle_grace_blocks = g;
    }
    validate_config(&config)?;
    CONFIG.save(deps.storage, &config)?;
    shared::config_updated::<PipEvent, _, _>(&info.sender, &config)
}
