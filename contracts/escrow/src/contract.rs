//! Entry points: validate, then dispatch to `execute::*` and `query::*`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    to_json_binary, Binary, Coin, Deps, DepsMut, Env, MessageInfo, Response, Uint256,
};
use supercloud_events::escrow::EscrowEvent;
use supercloud_std::governance as shared;
use supercloud_std::{ActReceiveMsg, Authority, ReceivedAct, ACT_DENOM};

use crate::error::ContractError;
use crate::execute::{account, allowance, deposit, governance, payment, validate_scope};
use crate::msg::Config;
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveHook, SourceMsg};
use crate::query;
use crate::state::CONFIG;

/// cw2 contract name.
pub const CONTRACT_NAME: &str = "crates.io:escrow";
/// cw2 contract version (the crate version).
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

const DEFAULT_BLOCK_TIME_MS: u64 = 6_000;
const DEFAULT_MAX_OPEN_PAYMENTS: u32 = 20;
const DEFAULT_REFUND_BATCH: u32 = 30;

/// Stores authority and configuration.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let authority = deps.api.addr_validate(&msg.authority)?;
    let act_ledger = msg
        .act_ledger
        .map(|l| deps.api.addr_validate(&l))
        .transpose()?;
    let config = Config {
        native_denoms: msg.native_denoms,
        act_ledger,
        grace_period_blocks: msg.grace_period_blocks,
        block_time_ms: msg.block_time_ms.unwrap_or(DEFAULT_BLOCK_TIME_MS),
        max_open_payments: msg.max_open_payments.unwrap_or(DEFAULT_MAX_OPEN_PAYMENTS),
        refund_batch: msg.refund_batch.unwrap_or(DEFAULT_REFUND_BATCH),
        deposit_limits: msg.deposit_limits.unwrap_or_default(),
    };
    governance::validate_config(&config)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Authority::init(deps.storage, authority.clone())?;
    CONFIG.save(deps.storage, &config)?;
    shared::instantiated::<EscrowEvent, _, _>(authority, CONTRACT_VERSION, &config)
}

/// The attached amount in `denom`: nothing, or exactly one coin of that denom.
fn attached_amount(funds: &[Coin], denom: &str) -> Result<Uint256, ContractError> {
    match funds {
        [] => Ok(Uint256::zero()),
        [coin] if coin.denom == denom => Ok(coin.amount),
        [coin, ..] => Err(ContractError::WrongDenom {
            expected: denom.to_string(),
            got: funds
                .iter()
                .find(|c| c.denom != denom)
                .unwrap_or(coin)
                .denom
                .clone(),
        }),
    }
}

/// Dispatches execute messages.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::OpenAccount { dseq, denom } => {
            let first = attached_amount(&info.funds, &denom)?;
            account::open_account(deps, &env, info.sender, dseq, denom, first)
        }
        ExecuteMsg::Deposit {
            owner,
            dseq,
            amount,
            sources,
        } => {
            let owner = deps.api.addr_validate(&owner)?;
            let req = deposit::DepositRequest {
                sender: info.sender,
                owner,
                dseq,
                amount,
                sources,
                attached: deposit::Attached::Native(info.funds),
            };
            deposit::deposit(deps, &env, req)
        }
        ExecuteMsg::OpenPayment {
            dseq,
            provider,
            rate,
            resources,
        } => {
            cw_utils::nonpayable(&info)?;
            let provider = deps.api.addr_validate(&provider)?;
            payment::open(deps, &env, info.sender, dseq, provider, rate, resources)
        }
        ExecuteMsg::Withdraw {
            owner,
            dseq,
            payment_id,
        } => {
            cw_utils::nonpayable(&info)?;
            let owner = deps.api.addr_validate(&owner)?;
            payment::withdraw(deps, &env, &info.sender, owner, dseq, payment_id)
        }
        ExecuteMsg::ClosePayment {
            owner,
            dseq,
            payment_id,
        } => {
            cw_utils::nonpayable(&info)?;
            let owner = deps.api.addr_validate(&owner)?;
            payment::close(deps, &env, &info.sender, owner, dseq, payment_id)
        }
        ExecuteMsg::CloseAccount { owner, dseq } => {
            cw_utils::nonpayable(&info)?;
            let owner = deps.api.addr_validate(&owner)?;
            account::close(deps, &env, &info.sender, owner, dseq)
        }
        ExecuteMsg::Refund { owner, dseq } => {
            cw_utils::nonpayable(&info)?;
            let owner = deps.api.addr_validate(&owner)?;
            account::refund(deps, &env, owner, dseq)
        }
        ExecuteMsg::GrantAllowance {
            grantee,
            scope,
            expires_at,
        } => {
            let coin = cw_utils::one_coin(&info)?;
            let grant = allowance::Grant {
                granter: info.sender,
                grantee: deps.api.addr_validate(&grantee)?,
                scope: validate_scope(deps.api, scope)?,
                expires_at,
                denom: coin.denom,
                amount: coin.amount,
            };
            allowance::grant(deps, &env, grant)
        }
        ExecuteMsg::RevokeAllowance { grantee, denom } => {
            cw_utils::nonpayable(&info)?;
            let grantee = deps.api.addr_validate(&grantee)?;
            allowance::revoke(deps, info.sender, grantee, denom)
        }
        ExecuteMsg::Receive(hook) => receive(deps, &env, &info, hook),
        ExecuteMsg::Authority(msg) => {
            cw_utils::nonpayable(&info)?;
            shared::handover::<EscrowEvent, _>(deps.storage, deps.api, &info.sender, msg)
        }
        ExecuteMsg::SetPaused { paused } => {
            cw_utils::nonpayable(&info)?;
            shared::set_paused::<EscrowEvent, _>(deps.storage, &info.sender, paused)
        }
        ExecuteMsg::UpdateConfig(update) => {
            cw_utils::nonpayable(&info)?;
            governance::update_config(deps, &info, update)
        }
    }
}

/// ACT delivered by the bme ledger's `send` hook.
fn receive(
    deps: DepsMut,
    env: &Env,
    info: &MessageInfo,
    hook: ActReceiveMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(info)?;
    let ledger = CONFIG.load(deps.storage)?.act_ledger;
    let ReceivedAct {
        sender,
        amount,
        hook,
    } = hook.accept::<ReceiveHook>(deps.api, ledger.as_ref(), &info.sender)?;
    match hook {
        ReceiveHook::OpenAccount { dseq } => {
            account::open_account(deps, env, sender, dseq, ACT_DENOM.to_string(), amount)
        }
        ReceiveHook::Deposit { owner, dseq } => {
            let owner = deps.api.addr_validate(&owner)?;
            let req = deposit::DepositRequest {
                sender,
                owner,
                dseq,
                amount,
                sources: vec![SourceMsg::Funds {}],
                attached: deposit::Attached::Act(amount),
            };
            deposit::deposit(deps, env, req)
        }
        ReceiveHook::GrantAllowance {
            grantee,
            scope,
            expires_at,
        } => {
            let grant = allowance::Grant {
                granter: sender,
                grantee: deps.api.addr_validate(&grantee)?,
                scope: validate_scope(deps.api, scope)?,
                expires_at,
                denom: ACT_DENOM.to_string(),
                amount,
            };
            allowance::grant(deps, env, grant)
        }
    }
}

/// Dispatches queries.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    let height = env.block.height;
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?)?,
        QueryMsg::Account { owner, dseq } => {
            to_json_binary(&query::account(deps, height, &owner, dseq)?)?
        }
        QueryMsg::Deposits {
            owner,
            dseq,
            start_after,
            limit,
        } => to_json_binary(&query::deposits(deps, &owner, dseq, start_after, limit)?)?,
        QueryMsg::Payment {
            owner,
            dseq,
            payment_id,
        } => to_json_binary(&query::payment(deps, height, &owner, dseq, payment_id)?)?,
        QueryMsg::Payments {
            owner,
            dseq,
            start_after,
            limit,
        } => to_json_binary(&query::payments(
            deps,
            height,
            &owner,
            dseq,
            start_after,
            limit,
        )?)?,
        QueryMsg::TimeToDepletion { owner, dseq } => {
            to_json_binary(&query::time_to_depletion(deps, height, &owner, dseq)?)?
        }
        QueryMsg::AccountsByOwner {
            owner,
            start_after,
            limit,
        } => to_json_binary(&query::accounts_by_owner(
            deps,
            height,
            &owner,
            start_after,
            limit,
        )?)?,
        QueryMsg::AccountsByDepositor {
            depositor,
            start_after,
            limit,
        } => to_json_binary(&query::accounts_by_depositor(
            deps,
            &depositor,
            start_after,
            limit,
        )?)?,
        QueryMsg::AccountsByProvider {
            provider,
            start_after,
            limit,
        } => to_json_binary(&query::accounts_by_provider(
            deps,
            height,
            &provider,
            start_after,
            limit,
        )?)?,
        QueryMsg::VerifiedWork {
            provider,
            denom,
            gpu_model,
            from_height,
            to_height,
        } => to_json_binary(&query::verified_work(
            deps,
            &provider,
            denom,
            gpu_model,
            from_height,
            to_height,
        )?)?,
        QueryMsg::Allowance {
            granter,
            grantee,
            denom,
        } => to_json_binary(&query::allowance(deps, &granter, &grantee, &denom)?)?,
        QueryMsg::Allowances {
            granter,
            start_after,
            limit,
        } => to_json_binary(&query::allowances(deps, &granter, start_after, limit)?)?,
    })
}

/// Versioned migration: refuses other contracts, downgrades and replays.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    shared::migrate::<EscrowEvent, _>(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)
}
