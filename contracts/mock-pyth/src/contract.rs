//! Entry points: thin wrappers that dispatch to `execute` and `query`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};
use supercloud_events::mock_pyth::MockPythEvent;
use supercloud_std::governance as shared;
use supercloud_std::Authority;

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
    shared::instantiated::<MockPythEvent, _, _>(authority, CONTRACT_VERSION, &config)
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
        ExecuteMsg::SetPaused { paused } => {
            shared::set_paused::<MockPythEvent, _>(deps.storage, &info.sender, paused)
        }
        ExecuteMsg::Authority(msg) => {
            shared::handover::<MockPythEvent, _>(deps.storage, deps.api, &info.sender, msg)
        }
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
    shared::migrate::<MockPythEvent, _>(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)
}
