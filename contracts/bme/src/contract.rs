//! Entry points: validate, then dispatch to `execute::*` and `query::*`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response, Uint64};
use supercloud_events::bme::BmeEvent;
use supercloud_std::governance as shared;
use supercloud_std::Authority;

use crate::error::ContractError;
use crate::execute::{governance, process, request, transfer};
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, Mode, QueryMsg, Vault};
use crate::query;
use crate::state::{Config, Status, CONFIG, NEXT_ID, STATUS, VAULT};

/// cw2 contract name.
pub const CONTRACT_NAME: &str = "crates.io:bme";
/// cw2 contract version (the crate version).
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Default oracle pair.
pub const DEFAULT_PAIR: &str = "akt/usd";

/// Stores authority, configuration, an empty vault and the first epoch heights
/// (`height + min_epoch_blocks`). The mode starts healthy (zero supply).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let authority = deps.api.addr_validate(&msg.authority)?;
    let oracle = deps.api.addr_validate(&msg.oracle)?;
    let pair = msg.pair.unwrap_or_else(|| DEFAULT_PAIR.to_string());
    governance::validate_pair(&pair)?;
    let params = msg.params.unwrap_or_default();
    governance::validate_params(&params)?;
    let allow_list = governance::validate_allow_list(deps.api, &msg.allow_list)?;
    let config = Config {
        oracle,
        pair,
        params,
        allow_list,
    };
    let first = Uint64::new(env.block.height)
        .checked_add(Uint64::new(config.params.min_epoch_blocks))?
        .u64();
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Authority::init(deps.storage, authority.clone())?;
    CONFIG.save(deps.storage, &config)?;
    VAULT.save(deps.storage, &Vault::default())?;
    NEXT_ID.save(deps.storage, &1)?;
    STATUS.save(
        deps.storage,
        &Status {
            mode: Mode::Healthy,
            cr_bps: u32::MAX,
            price: None,
            next_burn_epoch: first,
            next_mint_epoch: first,
            burn_cursor: None,
            burn_done: 0,
            mint_cursor: None,
            mint_done: 0,
            height: env.block.height,
        },
    )?;
    shared::instantiated::<BmeEvent, _, _>(authority, CONTRACT_VERSION, &config)
}

/// Dispatches execute messages. Only `mint_act` and `fund_vault` take funds.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    if !matches!(msg, ExecuteMsg::MintAct {} | ExecuteMsg::FundVault {}) {
        cw_utils::nonpayable(&info)?;
    }
    match msg {
        ExecuteMsg::MintAct {} => request::mint_act(deps, &env, info),
        ExecuteMsg::BurnAct { amount } => request::burn_act(deps, &env, info.sender, amount),
        ExecuteMsg::Send {
            contract,
            amount,
            msg,
        } => transfer::send(deps, info.sender, contract, amount, msg),
        ExecuteMsg::Transfer { recipient, amount } => {
            transfer::transfer(deps, info.sender, recipient, amount)
        }
        ExecuteMsg::Process { limit } => process::process(deps, &env, limit),
        ExecuteMsg::FundVault {} => governance::fund_vault(deps, info),
        ExecuteMsg::UpdateParams(update) => governance::update_params(deps, &info, update),
        ExecuteMsg::UpdateAllowList { add, remove } => {
            governance::update_allow_list(deps, &info, add, remove)
        }
        ExecuteMsg::SetPaused { paused } => {
            shared::set_paused::<BmeEvent, _>(deps.storage, &info.sender, paused)
        }
        ExecuteMsg::Authority(msg) => {
            shared::handover::<BmeEvent, _>(deps.storage, deps.api, &info.sender, msg)
        }
    }
}

/// Dispatches queries.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Balance { address } => to_json_binary(&query::balance(deps, &address)?)?,
        QueryMsg::TokenInfo {} => to_json_binary(&query::token_info(deps)?)?,
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?)?,
        QueryMsg::Status {} => to_json_binary(&query::status(deps)?)?,
        QueryMsg::Vault {} => to_json_binary(&VAULT.load(deps.storage)?)?,
        QueryMsg::RequestStatus { id } => to_json_binary(&query::request_status(deps, id)?)?,
        QueryMsg::RequestsByOwner {
            owner,
            start_after,
            limit,
        } => to_json_binary(&query::requests_by_owner(deps, &owner, start_after, limit)?)?,
        QueryMsg::Queue {
            kind,
            start_after,
            limit,
        } => to_json_binary(&query::queue_page(deps, kind, start_after, limit)?)?,
        QueryMsg::Records { start_after, limit } => {
            to_json_binary(&query::records(deps, start_after, limit)?)?
        }
    })
}

/// Versioned migration: refuses other contracts, downgrades and replays.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    shared::migrate::<BmeEvent, _>(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)
}
