//! Read-only views.

use cosmwasm_std::{Deps, Order};
use cw_storage_plus::Bound;
use supercloud_std::{page_limit, Authority, Paused};

use crate::breaker::{evaluate, oracle_price};
use crate::error::ContractError;
use crate::ledger::balance_of;
use crate::math;
use crate::msg::{
    BalanceResponse, ConfigResponse, RecordsResponse, RequestKind, RequestStatusResponse,
    RequestsResponse, StatusResponse, TokenInfoResponse,
};
use crate::state::{queue, BY_OWNER, CONFIG, RECORDS, STATUS, VAULT};

/// ACT balance of `address`.
pub fn balance(deps: Deps, address: &str) -> Result<BalanceResponse, ContractError> {
    let addr = deps.api.addr_validate(address)?;
    Ok(BalanceResponse {
        balance: balance_of(deps.storage, &addr)?,
    })
}

/// cw20-shaped token info.
pub fn token_info(deps: Deps) -> Result<TokenInfoResponse, ContractError> {
    Ok(TokenInfoResponse {
        name: "Akash Compute Token".to_string(),
        symbol: "ACT".to_string(),
        decimals: 6,
        total_supply: VAULT.load(deps.storage)?.supply,
    })
}

/// Configuration with authority and pause flag.
pub fn config(deps: Deps) -> Result<ConfigResponse, ContractError> {
    let authority = Authority::load(deps.storage)?;
    let config = CONFIG.load(deps.storage)?;
    Ok(ConfigResponse {
        authority: authority.current,
        pending_authority: authority.pending,
        paused: Paused::is_paused(deps.storage)?,
        oracle: config.oracle,
        pair: config.pair,
        params: config.params,
        allow_list: config.allow_list,
    })
}

/// Stored and live breaker state.
pub fn status(deps: Deps) -> Result<StatusResponse, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let vault = VAULT.load(deps.storage)?;
    let status = STATUS.load(deps.storage)?;
    let price = oracle_price(&deps.querier, &config);
    let (live_mode, live_cr_bps) = evaluate(&price, &vault, &config.params, status.cr_bps);
    Ok(StatusResponse {
        mode: status.mode,
        cr_bps: status.cr_bps,
        price: status.price,
        live_mode,
        live_cr_bps,
        live_price: price.as_ref().ok().copied(),
        oracle_error: price.err(),
        next_burn_epoch: status.next_burn_epoch,
        next_mint_epoch: status.next_mint_epoch,
        mint_epoch_blocks: math::mint_epoch_blocks(live_mode, live_cr_bps, &config.params),
        paused: Paused::is_paused(deps.storage)?,
    })
}

/// Where request `id` is: queued, executed or cancelled.
pub fn request_status(deps: Deps, id: u64) -> Result<RequestStatusResponse, ContractError> {
    crate::ledger::request_status(deps.storage, id)
}

/// Queued requests of `owner`.
pub fn requests_by_owner(
    deps: Deps,
    owner: &str,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<RequestsResponse, ContractError> {
    let owner = deps.api.addr_validate(owner)?;
    let requests = BY_OWNER
        .prefix(&owner)
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| {
            let (id, kind) = item?;
            Ok(queue(kind).load(deps.storage, id)?)
        })
        .collect::<Result<Vec<_>, ContractError>>()?;
    Ok(RequestsResponse { requests })
}

/// Queued requests of one kind, in execution order.
pub fn queue_page(
    deps: Deps,
    kind: RequestKind,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<RequestsResponse, ContractError> {
    let requests = queue(kind)
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| Ok(item?.1))
        .collect::<Result<Vec<_>, ContractError>>()?;
    Ok(RequestsResponse { requests })
}

/// Finished requests in id order.
pub fn records(
    deps: Deps,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<RecordsResponse, ContractError> {
    let records = RECORDS
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| Ok(item?.1))
        .collect::<Result<Vec<_>, ContractError>>()?;
    Ok(RecordsResponse { records })
}
