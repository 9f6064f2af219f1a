//! Opening, closing and refunding accounts.

use cosmwasm_std::{Addr, DepsMut, Env, Response, Uint256};
use supercloud_events::{escrow as ev, CatalogEvent};

use super::lifecycle::{close_account, load_account, refund_batch, save_account, touch, Clock};
use super::{assert_denom_allowed, assert_open_for_inflows, config};
use crate::error::ContractError;
use crate::execute::deposit::{add_parts, Part};
use crate::state::{Account, AccountState, CloseReason, DepositSource, ACCOUNTS};

/// Opens `owner`'s account `dseq` in `denom`, with an optional first deposit from the owner.
pub fn open_account(
    deps: DepsMut,
    env: &Env,
    owner: Addr,
    dseq: u64,
    denom: String,
    first_deposit: Uint256,
) -> Result<Response, ContractError> {
    assert_open_for_inflows(deps.storage)?;
    let config = config(deps.storage)?;
    assert_denom_allowed(&config, &denom)?;
    if ACCOUNTS.has(deps.storage, (&owner, dseq)) {
        return Err(ContractError::AccountExists { owner, dseq });
    }
    let height = env.block.height;
    let mut account = Account {
        owner: owner.clone(),
        dseq,
        denom: denom.clone(),
        state: AccountState::Open,
        opened_at: height,
        settled_at: height,
        settled_time: env.block.time.seconds(),
        balance: Uint256::zero(),
        deposit_head: 0,
        deposit_next: 0,
        open_payments: vec![],
        next_payment_id: 0,
        rate: Default::default(),
        overdraw: None,
        closed_at: None,
        total_deposited: Uint256::zero(),
        total_settled: Uint256::zero(),
    };
    let mut resp = Response::new().add_event(
        ev::AccountOpened {
            owner: owner.clone(),
            dseq,
            denom,
            height,
        }
        .to_event(),
    );
    if !first_deposit.is_zero() {
        let part = Part {
            depositor: owner,
            source: DepositSource::Funds,
            amount: first_deposit,
        };
        add_parts(
            deps.storage,
            &config,
            &mut account,
            vec![part],
            Clock::from(env),
            &mut resp,
        )?;
    }
    save_account(deps.storage, &account)?;
    Ok(resp.add_attribute("action", "open_account"))
}

/// Closes an account: its owner at any time; anyone once the grace window of an overdraw ended.
pub fn close(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    owner: Addr,
    dseq: u64,
) -> Result<Response, ContractError> {
    let config = config(deps.storage)?;
    let mut account = load_account(deps.storage, &owner, dseq)?;
    if account.state == AccountState::Closed {
        return Err(ContractError::AccountClosed { owner, dseq });
    }
    let height = env.block.height;
    let mut resp = Response::new().add_attribute("action", "close_account");
    touch(
        deps.storage,
        &config,
        &mut account,
        Clock::from(env),
        &mut resp,
    )?;
    if account.state != AccountState::Closed {
        if *sender != account.owner {
            return Err(ContractError::Unauthorized {
                reason: "only the owner may close an account that is not past its grace window"
                    .into(),
            });
        }
        close_account(
            deps.storage,
            &config,
            &mut account,
            CloseReason::Owner,
            height,
            &mut resp,
        )?;
    }
    save_account(deps.storage, &account)?;
    Ok(resp)
}

/// Continues refunding a closed account's deposits (anyone may call).
pub fn refund(deps: DepsMut, owner: Addr, dseq: u64) -> Result<Response, ContractError> {
    let config = config(deps.storage)?;
    let mut account = load_account(deps.storage, &owner, dseq)?;
    if account.state != AccountState::Closed || account.deposit_head >= account.deposit_next {
        return Err(ContractError::NothingToRefund { owner, dseq });
    }
    let mut resp = Response::new().add_attribute("action", "refund");
    refund_batch(deps.storage, &config, &mut account, &mut resp)?;
    save_account(deps.storage, &account)?;
    Ok(resp.add_attribute(
        "refunds_pending",
        account
            .deposit_next
            .saturating_sub(account.deposit_head)
            .to_string(),
    ))
}
