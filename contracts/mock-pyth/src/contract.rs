//! Entry points: thin wrappers that dispatch to `execute` and `query`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_string, Binary, Deps, DepsMut, Env, MessageInfo, Response};
use supercloud_events::mock_pyth::{Instantiated, Migrated};
use supercloud_events::CatalogEvent;
use supercloud_std::{ensure_upgrade, Authority};

use crate::error::ContractError;
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use crate::state::{Config, CONFIG};
use crate::{execute, query, CONTRACT_NAME, CONTRACT_VERSION};

/// Stores the authority and publisher.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    let authority = deps.api.addr_validate(&msg.authority)?;
    let config = Config {
        publisher: deps.api.addr_validate(&msg.publisher)?,
    };
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Authority::init(deps.storage, authority.clone())?;
    CONFIG.save(deps.storage, &config)?;
    let ev = Instantiated {
        authority,
        version: CONTRACT_VERSION.to_string(),
        config: to_json_string(&config)?,
    };
    Ok(Response::new().add_event(ev.to_event()))
}

/// Dispatches state-changing messages.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::SetPrice {
            id,
            price,
            conf,
            expo,
            publish_time,
            ema_price,
            ema_conf,
        } => execute::set_price(
            deps,
            info,
            execute::NewPrice {
                id,
                price,
                conf,
                expo,
                publish_time,
                ema_price,
                ema_conf,
            },
        ),
        ExecuteMsg::UpdateConfig { publisher } => execute::update_config(deps, info, publisher),
        ExecuteMsg::SetPaused { paused } => execute::set_paused(deps, info, paused),
        ExecuteMsg::Authority(msg) => execute::authority(deps, info, msg),
    }
}

/// Answers queries.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    query::query(deps, msg)
}

/// Versioned migration: refuses another contract, a downgrade and a replay.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let from_version = ensure_upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let ev = Migrated {
        from_version,
        to_version: CONTRACT_VERSION.to_string(),
    };
    Ok(Response::new().add_event(ev.to_event()))
}
