//! Opening, closing and refunding accounts.

use cosmwasm_std::{to_json_binary, Addr, DepsMut, Env, Response, Uint256};
use supercloud_events::escrow as ev;

use super::deposit::{add_parts, check_min_deposit, Part};
use super::lifecycle::{AccountTx, Clock};
use super::{assert_denom_allowed, assert_open_for_inflows, config};
use crate::error::ContractError;
use crate::msg::{AccountState, CloseReason, DepositSource, OpenAccountResponse};
use crate::state::{Account, ACCOUNTS};

/// Opens `owner`'s account `dseq` in `denom`, with an optional first deposit from the owner.
/// The response `data` is the new account's id ([`OpenAccountResponse`]).
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
    let clock = Clock::from(env);
    let account = Account {
        owner: owner.clone(),
        dseq,
        denom: denom.clone(),
        state: AccountState::Open,
        opened_at: clock.height,
        settled_at: clock.height,
        settled_time: clock.seconds,
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
        consume_pending: Uint256::zero(),
    };
    let mut tx = AccountTx::new(deps.storage, config, account, clock);
    tx.emit(ev::AccountOpened {
        owner: owner.clone(),
        dseq,
        denom,
        height: clock.height,
    });
    if !first_deposit.is_zero() {
        check_min_deposit(&tx.config, &tx.account.denom, first_deposit)?;
        let part = Part {
            depositor: owner.clone(),
            source: DepositSource::Funds,
            amount: first_deposit,
        };
        add_parts(&mut tx, vec![part])?;
    }
    Ok(tx
        .finish()?
        .add_attribute("action", "open_account")
        .set_data(to_json_binary(&OpenAccountResponse { owner, dseq })?))
}

/// Closes an account: its owner at any time; anyone once the grace window of an overdraw ended.
pub fn close(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    owner: Addr,
    dseq: u64,
) -> Result<Response, ContractError> {
    let mut tx = AccountTx::load(deps.storage, env, &owner, dseq)?;
    if tx.account.state == AccountState::Closed {
        return Err(ContractError::AccountClosed { owner, dseq });
    }
    tx.touch()?;
    if tx.account.state != AccountState::Closed {
        if *sender != tx.account.owner {
            return Err(ContractError::Unauthorized {
                reason: "only the owner may close an account that is not past its grace window"
                    .into(),
            });
        }
        tx.close_account(CloseReason::Owner)?;
    }
    Ok(tx.finish()?.add_attribute("action", "close_account"))
}

/// Continues refunding a closed account's deposits (anyone may call). With nothing pending it
/// is a no-op, so keepers need not query first.
pub fn refund(deps: DepsMut, env: &Env, owner: Addr, dseq: u64) -> Result<Response, ContractError> {
    let mut tx = AccountTx::load(deps.storage, env, &owner, dseq)?;
    if tx.account.state == AccountState::Closed {
        tx.refund_batch()?;
    }
    let pending = if tx.account.state == AccountState::Closed {
        tx.refunds_pending()
    } else {
        0
    };
    Ok(tx
        .finish()?
        .add_attribute("action", "refund")
        .add_attribute("refunds_pending", pending.to_string()))
}
