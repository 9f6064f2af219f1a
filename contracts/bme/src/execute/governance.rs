//! Authority-only messages: vault funding, parameters, allow list (pause and handover are
//! `supercloud_std::governance`'s).

use cosmwasm_std::{Addr, Api, DepsMut, MessageInfo, Response, Uint128};
use supercloud_events::bme::{self as ev, BmeEvent};
use supercloud_events::CatalogEvent;
use supercloud_std::governance as shared;
use supercloud_std::Authority;

use crate::error::ContractError;
use crate::math::{BPS, MAX_MINT_EPOCH_BLOCKS};
use crate::msg::{Denom, Params, ParamsUpdate};
use crate::state::{CONFIG, VAULT};

/// Most allow-listed ACT receivers.
pub const MAX_ALLOW_LIST: usize = 20;
/// Largest spread either way (10 %).
pub const MAX_SPREAD_BPS: u32 = 1_000;
/// Largest `max_pending_per_owner`: a submission counts the sender's queued requests, so this
/// bounds what one `mint_act` or `burn_act` reads.
pub const MAX_PENDING_PER_OWNER: u32 = 100;

fn invalid(reason: &'static str) -> ContractError {
    ContractError::InvalidParams { reason }
}

/// Checks parameter bounds (Akash's, plus caps that keep `process` bounded).
pub fn validate_params(p: &Params) -> Result<(), ContractError> {
    if p.warn_bps > BPS || p.halt_bps > BPS {
        return Err(invalid("warn_bps and halt_bps must be at most 10000"));
    }
    if p.warn_bps <= p.halt_bps {
        return Err(invalid("warn_bps must be greater than halt_bps"));
    }
    if !(1..=MAX_MINT_EPOCH_BLOCKS).contains(&p.min_epoch_blocks) {
        return Err(invalid("min_epoch_blocks must be 1 to 14400"));
    }
    if p.epoch_backoff_percent > 100 {
        return Err(invalid("epoch_backoff_percent must be at most 100"));
    }
    if p.mint_spread_bps > MAX_SPREAD_BPS || p.settle_spread_bps > MAX_SPREAD_BPS {
        return Err(invalid("spreads must be at most 1000 bps"));
    }
    if !(1..=100).contains(&p.max_records_per_epoch) {
        return Err(invalid("max_records_per_epoch must be 1 to 100"));
    }
    if p.min_mint.is_zero() {
        return Err(invalid("min_mint must be positive"));
    }
    if p.min_burn.is_zero() {
        return Err(invalid("min_burn must be positive"));
    }
    if !(1..=100).contains(&p.max_attempts) {
        return Err(invalid("max_attempts must be 1 to 100"));
    }
    if !(1..=MAX_PENDING_PER_OWNER).contains(&p.max_pending_per_owner) {
        return Err(invalid("max_pending_per_owner must be 1 to 100"));
    }
    Ok(())
}

/// Checks the oracle pair name: `base/quote`, lowercase alphanumerics.
pub fn validate_pair(pair: &str) -> Result<(), ContractError> {
    let ok = pair.split_once('/').is_some_and(|(b, q)| {
        [b, q].iter().all(|s| {
            (1..=16).contains(&s.len())
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
    });
    if !ok {
        return Err(invalid("pair must be base/quote of 1-16 [a-z0-9] each"));
    }
    Ok(())
}

/// Validates a full allow list: addresses, no duplicates, bounded length.
pub fn validate_allow_list(api: &dyn Api, raw: &[String]) -> Result<Vec<Addr>, ContractError> {
    if raw.len() > MAX_ALLOW_LIST {
        return Err(invalid("allow list holds at most 20 contracts"));
    }
    let mut list: Vec<Addr> = Vec::with_capacity(raw.len());
    for r in raw {
        let a = api.addr_validate(r)?;
        if list.contains(&a) {
            return Err(invalid("duplicate allow-list entry"));
        }
        list.push(a);
    }
    Ok(list)
}

/// Adds exactly the attached uakt to the vault (FIX: never pulls from anyone else).
pub fn fund_vault(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    // `must_pay` refuses a zero amount.
    let amount = Uint128::try_from(cw_utils::must_pay(&info, Denom::Uakt.as_str())?)?;
    let mut vault = VAULT.load(deps.storage)?;
    vault.vault_akt = vault.vault_akt.checked_add(amount)?;
    vault.total_funded = vault.total_funded.checked_add(amount)?;
    VAULT.save(deps.storage, &vault)?;
    Ok(Response::new().add_event(
        ev::VaultFunded {
            authority: info.sender,
            amount,
            vault_akt: vault.vault_akt,
        }
        .to_event(),
    ))
}

/// Applies a partial parameter update, validated as a whole. The update is destructured so that
/// a new field does not compile until it is handled here.
pub fn update_params(
    deps: DepsMut,
    info: &MessageInfo,
    update: ParamsUpdate,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    let ParamsUpdate {
        warn_bps,
        halt_bps,
        min_epoch_blocks,
        epoch_backoff_percent,
        mint_spread_bps,
        settle_spread_bps,
        max_records_per_epoch,
        min_mint,
        min_burn,
        max_attempts,
        max_pending_per_owner,
        oracle,
        pair,
    } = update;
    let mut config = CONFIG.load(deps.storage)?;
    let p = &mut config.params;
    p.warn_bps = warn_bps.unwrap_or(p.warn_bps);
    p.halt_bps = halt_bps.unwrap_or(p.halt_bps);
    p.min_epoch_blocks = min_epoch_blocks.unwrap_or(p.min_epoch_blocks);
    p.epoch_backoff_percent = epoch_backoff_percent.unwrap_or(p.epoch_backoff_percent);
    p.mint_spread_bps = mint_spread_bps.unwrap_or(p.mint_spread_bps);
    p.settle_spread_bps = settle_spread_bps.unwrap_or(p.settle_spread_bps);
    p.max_records_per_epoch = max_records_per_epoch.unwrap_or(p.max_records_per_epoch);
    p.min_mint = min_mint.unwrap_or(p.min_mint);
    p.min_burn = min_burn.unwrap_or(p.min_burn);
    p.max_attempts = max_attempts.unwrap_or(p.max_attempts);
    p.max_pending_per_owner = max_pending_per_owner.unwrap_or(p.max_pending_per_owner);
    validate_params(&config.params)?;
    if let Some(oracle) = oracle {
        config.oracle = deps.api.addr_validate(&oracle)?;
    }
    if let Some(pair) = pair {
        validate_pair(&pair)?;
        config.pair = pair;
    }
    CONFIG.save(deps.storage, &config)?;
    shared::config_updated::<BmeEvent, _, _>(&info.sender, &config)
}

/// Adds and removes allow-listed receivers; refuses adding a listed one, removing an unlisted
/// one, or naming one in both lists.
pub fn update_allow_list(
    deps: DepsMut,
    info: &MessageInfo,
    add: Vec<String>,
    remove: Vec<String>,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    if add.is_empty() && remove.is_empty() {
        return Err(invalid("nothing to add or remove"));
    }
    let add = validate_allow_list(deps.api, &add)?;
    let remove = validate_allow_list(deps.api, &remove)?;
    let mut config = CONFIG.load(deps.storage)?;
    for r in &remove {
        if add.contains(r) {
            return Err(invalid("address both added and removed"));
        }
        if !config.allow_list.contains(r) {
            return Err(invalid("removing an address that is not allow-listed"));
        }
    }
    config.allow_list.retain(|a| !remove.contains(a));
    for a in add {
        if config.allow_list.contains(&a) {
            return Err(invalid("adding an address that is already allow-listed"));
        }
        config.allow_list.push(a);
    }
    if config.allow_list.len() > MAX_ALLOW_LIST {
        return Err(invalid("allow list holds at most 20 contracts"));
    }
    CONFIG.save(deps.storage, &config)?;
    shared::config_updated::<BmeEvent, _, _>(&info.sender, &config)
}
