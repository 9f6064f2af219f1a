//! Host registry: providers register, update and (de)activate their hosts.

use cosmwasm_std::{Addr, DepsMut, Env, Response};
use supercloud_events::{reservations as ev, CatalogEvent};

use crate::error::ContractError;
use crate::execute::assert_denom_allowed;
use crate::load::{config, load_host};
use crate::money::{MAX_RECLAIM_S, MIN_RECLAIM_S};
use crate::msg::{Host, HostMsg, Price};
use crate::state::{HOSTS, HOSTS_BY_GPU};

/// Most attributes per host.
pub const MAX_ATTRIBUTES: usize = 16;
/// Longest attribute key.
pub const MAX_ATTR_KEY: usize = 64;
/// Longest attribute value.
pub const MAX_ATTR_VALUE: usize = 128;
/// Longest host id and GPU model.
pub const MAX_ID_LEN: usize = 64;

fn invalid(reason: &'static str) -> ContractError {
    ContractError::InvalidHost { reason }
}

/// Checks a host id: 1..64 chars of `[A-Za-z0-9._-]`.
pub fn validate_host_id(host_id: &str) -> Result<(), ContractError> {
    if host_id.is_empty() || host_id.len() > MAX_ID_LEN {
        return Err(invalid("host_id must be 1 to 64 characters"));
    }
    if !host_id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(invalid("host_id may only contain A-Z a-z 0-9 . _ -"));
    }
    Ok(())
}

/// Validates a host description into a stored host (without `active`/`registered_at` decisions).
fn build(
    deps: &DepsMut,
    provider: &Addr,
    msg: HostMsg,
    active: bool,
    registered_at: u64,
) -> Result<Host, ContractError> {
    validate_host_id(&msg.host_id)?;
    let model = &msg.gpu_model;
    if model.is_empty() || model.len() > MAX_ID_LEN {
        return Err(invalid("gpu_model must be 1 to 64 characters"));
    }
    if model.chars().any(|c| c.is_control() || c == ',') {
        return Err(invalid("gpu_model has control characters or commas"));
    }
    if model == "none" && msg.gpu_count != 0 {
        return Err(invalid("gpu_model none needs gpu_count 0"));
    }
    if model != "none" && msg.gpu_count == 0 {
        return Err(invalid("gpu_count must be positive (use gpu_model none)"));
    }
    if msg.cpu == 0 || msg.memory == 0 {
        return Err(invalid("cpu and memory must be positive"));
    }
    if msg.attributes.len() > MAX_ATTRIBUTES {
        return Err(invalid("at most 16 attributes"));
    }
    for (i, a) in msg.attributes.iter().enumerate() {
        if a.key.is_empty() || a.key.len() > MAX_ATTR_KEY || a.value.len() > MAX_ATTR_VALUE {
            return Err(invalid(
                "attribute keys are 1 to 64 bytes, values up to 128",
            ));
        }
        let bad = |s: &str| s.chars().any(|c| c.is_control() || c == ',' || c == '=');
        if bad(&a.key) || bad(&a.value) {
            return Err(invalid(
                "attributes may not contain control characters, , or =",
            ));
        }
        if msg.attributes[..i].iter().any(|b| b.key == a.key) {
            return Err(ContractError::DuplicateAttribute { key: a.key.clone() });
        }
    }
    let cfg = config(deps.storage)?;
    assert_denom_allowed(&cfg, &msg.price_per_hour.denom)?;
    if msg.price_per_hour.amount.is_zero() {
        return Err(ContractError::ZeroAmount {
            what: "price_per_hour",
        });
    }
    if let Some(w) = msg.reclamation_window_s {
        if !(MIN_RECLAIM_S..=MAX_RECLAIM_S).contains(&w) {
            return Err(invalid(
                "reclamation_window_s must be 3600 to 2592000 (1 h..720 h)",
            ));
        }
    }
    Ok(Host {
        provider: provider.clone(),
        host_id: msg.host_id,
        gpu_model: msg.gpu_model,
        gpu_count: msg.gpu_count,
        cpu: msg.cpu,
        memory: msg.memory,
        bare_metal: msg.bare_metal,
        attributes: msg.attributes,
        price_per_hour: Price {
            amount: msg.price_per_hour.amount,
            denom: msg.price_per_hour.denom,
        },
        reclamation_window_s: msg.reclamation_window_s,
        require_attestation: msg.require_attestation,
        active,
        registered_at,
    })
}

/// `key=value` pairs joined by `,` (keys and values hold neither, see `build`).
fn joined_attributes(host: &Host) -> String {
    let mut joined = String::new();
    for (i, a) in host.attributes.iter().enumerate() {
        if i > 0 {
            joined.push(',');
        }
        joined.push_str(&a.key);
        joined.push('=');
        joined.push_str(&a.value);
    }
    joined
}

/// Registers a new host of `provider`.
pub fn register(
    deps: DepsMut,
    env: &Env,
    provider: Addr,
    msg: HostMsg,
) -> Result<Response, ContractError> {
    supercloud_std::Paused::assert_not_paused(deps.storage)?;
    let host = build(&deps, &provider, msg, true, env.block.time.seconds())?;
    if HOSTS.has(deps.storage, (&provider, &host.host_id)) {
        return Err(ContractError::HostExists {
            host_id: host.host_id,
        });
    }
    HOSTS.save(deps.storage, (&provider, &host.host_id), &host)?;
    HOSTS_BY_GPU.save(
        deps.storage,
        (&host.gpu_model, &provider, &host.host_id),
        &(),
    )?;
    Ok(Response::new().add_event(
        ev::HostRegistered {
            provider,
            host_id: host.host_id.clone(),
            gpu_model: host.gpu_model.clone(),
            gpu_count: host.gpu_count,
            cpu: host.cpu,
            memory: host.memory,
            bare_metal: host.bare_metal,
            attributes: joined_attributes(&host),
            price_per_hour: host.price_per_hour.amount,
            denom: host.price_per_hour.denom.clone(),
            reclamation_window_s: host.reclamation_window_s,
            require_attestation: host.require_attestation,
        }
        .to_event(),
    ))
}

/// Replaces a host's description; `active` and `registered_at` stay.
pub fn update(deps: DepsMut, provider: Addr, msg: HostMsg) -> Result<Response, ContractError> {
    let old = load_host(deps.storage, &provider, &msg.host_id)?;
    let host = build(&deps, &provider, msg, old.active, old.registered_at)?;
    if old.gpu_model != host.gpu_model {
        HOSTS_BY_GPU.remove(deps.storage, (&old.gpu_model, &provider, &old.host_id));
        HOSTS_BY_GPU.save(
            deps.storage,
            (&host.gpu_model, &provider, &host.host_id),
            &(),
        )?;
    }
    HOSTS.save(deps.storage, (&provider, &host.host_id), &host)?;
    Ok(Response::new().add_event(
        ev::HostUpdated {
            provider,
            host_id: host.host_id.clone(),
            gpu_model: host.gpu_model.clone(),
            gpu_count: host.gpu_count,
            cpu: host.cpu,
            memory: host.memory,
            bare_metal: host.bare_metal,
            attributes: joined_attributes(&host),
            price_per_hour: host.price_per_hour.amount,
            denom: host.price_per_hour.denom.clone(),
            reclamation_window_s: host.reclamation_window_s,
            require_attestation: host.require_attestation,
            active: host.active,
        }
        .to_event(),
    ))
}

/// Stops or resumes new reservations of a host.
pub fn set_active(
    deps: DepsMut,
    provider: Addr,
    host_id: String,
    active: bool,
) -> Result<Response, ContractError> {
    let mut host = load_host(deps.storage, &provider, &host_id)?;
    if active {
        supercloud_std::Paused::assert_not_paused(deps.storage)?;
    }
    host.active = active;
    HOSTS.save(deps.storage, (&provider, &host_id), &host)?;
    Ok(Response::new().add_event(
        ev::HostActiveChanged {
            provider,
            host_id,
            active,
        }
        .to_event(),
    ))
}
