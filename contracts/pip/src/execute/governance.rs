//! Authority-only configuration; handover and pause are `supercloud_std::governance`'s.

use cosmwasm_std::{Addr, Api, DepsMut, MessageInfo, Response};
use supercloud_events::pip::PipEvent;
use supercloud_std::governance as shared;
use supercloud_std::Authority;

use crate::error::ContractError;
use crate::msg::ConfigUpdate;
use crate::state::{Config, CONFIG};

/// Checks configuration values.
pub fn validate_config(config: &Config) -> Result<(), ContractError> {
    let pair_ok = config
        .oracle_pair
        .split_once('/')
        .map(|(b, q)| {
            let part = |p: &str| {
                (1..=16).contains(&p.len())
                    && p.chars()
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

fn validated(api: &dyn Api, raw: &str) -> Result<Addr, ContractError> {
    Ok(api.addr_validate(raw)?)
}

/// Applies a partial configuration update.
pub fn update_config(
    deps: DepsMut,
    info: &MessageInfo,
    update: ConfigUpdate,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    let mut config = CONFIG.load(deps.storage)?;
    if let Some(a) = update.escrow {
        config.escrow = validated(deps.api, &a)?;
    }
    if let Some(a) = update.oracle {
        config.oracle = validated(deps.api, &a)?;
    }
    if let Some(p) = update.oracle_pair {
        config.oracle_pair = p;
    }
    if let Some(a) = update.reservations {
        config.reservations = Some(validated(deps.api, &a)?);
    }
    if let Some(c) = update.community_pool_allowed {
        config.community_pool_allowed = c;
    }
    if let Some(a) = update.default_return_address {
        config.default_return_address = validated(deps.api, &a)?;
    }
    if let Some(g) = update.settle_grace_blocks {
        config.settle_grace_blocks = g;
    }
    validate_config(&config)?;
    CONFIG.save(deps.storage, &config)?;
    shared::config_updated::<PipEvent, _, _>(&info.sender, &config)
}
