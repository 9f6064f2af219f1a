//! Entry points: validate, then dispatch to `execute::*` and `query::*`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response};
use supercloud_events::reservations::ReservationsEvent;
use supercloud_std::governance as shared;
use supercloud_std::{ActReceiveMsg, Authority, ReceivedAct, ACT_DENOM};

use crate::error::ContractError;
use crate::execute::{audit, bonds, governance, hosts, lifecycle, reserve};
use crate::load::addr;
use crate::msg::{Config, ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveHook};
use crate::query;
use crate::state::CONFIG;

/// cw2 contract name.
pub const CONTRACT_NAME: &str = "crates.io:reservations";
/// cw2 contract version (the crate version).
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Default longest attestation validity: 365 days.
const DEFAULT_ATTESTATION_VALIDITY_S: u64 = 365 * 86_400;

/// Stores authority and configuration.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let authority = addr(deps.api, &msg.authority)?;
    let act_ledger = msg
        .act_ledger
        .map(|l| deps.api.addr_validate(&l))
        .transpose()?;
    let config = Config {
        native_denoms: msg.native_denoms,
        act_ledger,
        bond_denom: msg.bond_denom,
        unbonding_period_s: msg.unbonding_period_s,
        confirm_window_s: msg.confirm_window_s,
        cancel_fee_bps: msg.cancel_fee_bps,
        slash_recipient: addr(deps.api, &msg.slash_recipient)?,
        max_attestation_validity_s: msg
            .max_attestation_validity_s
            .unwrap_or(DEFAULT_ATTESTATION_VALIDITY_S),
    };
    governance::validate_config(&config)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Authority::init(deps.storage, authority.clone())?;
    CONFIG.save(deps.storage, &config)?;
    shared::instantiated::<ReservationsEvent, _, _>(authority, CONTRACT_VERSION, &config)
}

/// Dispatches execute messages.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    // Only a native reservation and a bond carry funds (ACT arrives through the ledger's hook).
    if !matches!(msg, ExecuteMsg::Reserve(_) | ExecuteMsg::PostBond {}) {
        cw_utils::nonpayable(&info)?;
    }
    let sender = info.sender.clone();
    match msg {
        ExecuteMsg::RegisterHost(host) => hosts::register(deps, &env, sender, host),
        ExecuteMsg::UpdateHost(host) => hosts::update(deps, sender, host),
        ExecuteMsg::SetHostActive { host_id, active } => {
            hosts::set_active(deps, sender, host_id, active)
        }
        ExecuteMsg::AppointAuditor { auditor } => {
            governance::appoint_auditor(deps, &env, &info, auditor)
        }
        ExecuteMsg::RemoveAuditor { auditor } => governance::remove_auditor(deps, &info, auditor),
        ExecuteMsg::RecordAttestation {
            provider,
            host_id,
            tee,
            report_hash,
            expires_at,
        } => {
            let record = audit::Record {
                provider: addr(deps.api, &provider)?,
                host_id,
                tee,
                report_hash,
                expires_at,
            };
            audit::record(deps, &env, sender, record)
        }
        ExecuteMsg::RenewAttestation {
            provider,
            host_id,
            expires_at,
        } => {
            let provider = addr(deps.api, &provider)?;
            audit::renew(deps, &env, sender, provider, host_id, expires_at)
        }
        ExecuteMsg::RevokeAttestation {
            provider,
            host_id,
            reason,
        } => {
            let provider = addr(deps.api, &provider)?;
            audit::revoke(deps, sender, provider, host_id, reason)
        }
        ExecuteMsg::PostBond {} => {
            let denom = CONFIG.load(deps.storage)?.bond_denom;
            let amount = cw_utils::must_pay(&info, &denom)?;
            bonds::post(deps, sender, amount)
        }
        ExecuteMsg::RequestBondWithdrawal { amount } => {
            bonds::request_withdrawal(deps, &env, sender, amount)
        }
        ExecuteMsg::ClaimBond {} => bonds::claim(deps, &env, sender),
        ExecuteMsg::SlashBond {
            provider,
            amount,
            reason,
            reservation_id,
        } => {
            let slash = bonds::Slash {
                provider,
                amount,
                reason,
                reservation_id,
            };
            bonds::slash(deps, &sender, slash)
        }
        ExecuteMsg::Reserve(req) => {
            let coin = cw_utils::one_coin(&info)?;
            if coin.denom == ACT_DENOM {
                return Err(ContractError::WrongDenom {
                    expected: "ACT through the bme ledger's send".into(),
                    got: coin.denom,
                });
            }
            reserve::reserve(deps, &env, sender, req, coin.amount, &coin.denom)
        }
        ExecuteMsg::Confirm { id } => lifecycle::confirm(deps, &env, sender, id),
        ExecuteMsg::Cancel { id, reason } => lifecycle::cancel(deps, &env, sender, id, reason),
        ExecuteMsg::Claim { id } => lifecycle::claim(deps, &env, id),
        ExecuteMsg::StartReclamation { id, reason } => {
            lifecycle::start_reclamation(deps, &env, sender, id, reason)
        }
        ExecuteMsg::EndReclamation { id } => lifecycle::end_reclamation(deps, &env, id),
        ExecuteMsg::Receive(hook) => receive(deps, &env, &info, hook),
        ExecuteMsg::Authority(msg) => {
            shared::handover::<ReservationsEvent, _>(deps.storage, deps.api, &info.sender, msg)
        }
        ExecuteMsg::SetPaused { paused } => {
            shared::set_paused::<ReservationsEvent, _>(deps.storage, &info.sender, paused)
        }
        ExecuteMsg::UpdateConfig(update) => governance::update_config(deps, &info, update),
    }
}

/// ACT delivered by the bme ledger's `send` hook.
fn receive(
    deps: DepsMut,
    env: &Env,
    info: &MessageInfo,
    hook: ActReceiveMsg,
) -> Result<Response, ContractError> {
    let ledger = CONFIG.load(deps.storage)?.act_ledger;
    let ReceivedAct {
        sender: tenant,
        amount,
        hook,
    } = hook.accept::<ReceiveHook>(deps.api, ledger.as_ref(), &info.sender)?;
    match hook {
        ReceiveHook::Reserve(req) => reserve::reserve(deps, env, tenant, req, amount, ACT_DENOM),
    }
}

/// Dispatches queries.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    let now = env.block.time.seconds();
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?)?,
        QueryMsg::Host { provider, host_id } => {
            to_json_binary(&query::host(deps, now, &provider, &host_id)?)?
        }
        QueryMsg::HostsByProvider {
            provider,
            start_after,
            limit,
        } => to_json_binary(&query::hosts_by_provider(
            deps,
            now,
            &provider,
            start_after,
            limit,
        )?)?,
        QueryMsg::HostsByGpuModel {
            gpu_model,
            start_after,
            limit,
        } => to_json_binary(&query::hosts_by_gpu(
            deps,
            now,
            &gpu_model,
            start_after,
            limit,
        )?)?,
        QueryMsg::AttestedHosts { start_after, limit } => {
            to_json_binary(&query::attested_hosts(deps, now, start_after, limit)?)?
        }
        QueryMsg::Availability {
            provider,
            host_id,
            start,
            end,
        } => to_json_binary(&query::availability(
            deps, now, &provider, &host_id, start, end,
        )?)?,
        QueryMsg::Reservation { id } => to_json_binary(&query::reservation(deps, now, id)?)?,
        QueryMsg::ReservationsByTenant {
            tenant,
            start_after,
            limit,
        } => to_json_binary(&query::by_tenant(deps, now, &tenant, start_after, limit)?)?,
        QueryMsg::ReservationsByProvider {
            provider,
            start_after,
            limit,
        } => to_json_binary(&query::by_provider(
            deps,
            now,
            &provider,
            start_after,
            limit,
        )?)?,
        QueryMsg::ReservationsByHost {
            provider,
            host_id,
            start_after,
            limit,
        } => to_json_binary(&query::by_host(
            deps,
            now,
            &provider,
            &host_id,
            start_after,
            limit,
        )?)?,
        QueryMsg::Bond { provider } => to_json_binary(&query::bond(deps, &provider)?)?,
        QueryMsg::Bonds { start_after, limit } => {
            to_json_binary(&query::bonds(deps, start_after, limit)?)?
        }
        QueryMsg::Auditors { start_after, limit } => {
            to_json_binary(&query::auditors(deps, start_after, limit)?)?
        }
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
    })
}

/// Versioned migration: refuses other contracts, downgrades and replays.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    shared::migrate::<ReservationsEvent, _>(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)
}
