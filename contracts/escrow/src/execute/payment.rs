//! Payments (leases): open, provider withdraw, close.

use cosmwasm_std::{Addr, Decimal256, DepsMut, Env, Response, Uint256};
use supercloud_events::{escrow as ev, CatalogEvent};

use super::lifecycle::{
    close_payment, load_account, load_payment, maybe_reopen, save_account, touch, withdraw_payment,
    Clock,
};
use super::{assert_open_for_inflows, config};
use crate::error::ContractError;
use crate::state::{
    AccountState, CloseReason, Payment, PaymentState, Resources, PAYMENTS, PROVIDER_PAYMENTS,
};

const MAX_GPU_MODEL_LEN: usize = 64;

fn validate_resources(resources: &Resources) -> Result<(), ContractError> {
    let model = &resources.gpu_model;
    if model.is_empty() || model.len() > MAX_GPU_MODEL_LEN {
        return Err(ContractError::InvalidResources {
            reason: format!("gpu_model must be 1 to {MAX_GPU_MODEL_LEN} characters"),
        });
    }
    if !model
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(ContractError::InvalidResources {
            reason: "gpu_model may only contain ASCII letters, digits, '-', '_' and '.'".into(),
        });
    }
    Ok(())
}

/// Owner opens a payment to `provider` at `rate` per block.
pub fn open(
    deps: DepsMut,
    env: &Env,
    owner: Addr,
    dseq: u64,
    provider: Addr,
    rate: Decimal256,
    resources: Resources,
) -> Result<Response, ContractError> {
    assert_open_for_inflows(deps.storage)?;
    if rate.is_zero() {
        return Err(ContractError::ZeroAmount { what: "rate" });
    }
    validate_resources(&resources)?;
    let config = config(deps.storage)?;
    let mut account = load_account(deps.storage, &owner, dseq)?;
    let height = env.block.height;
    let mut resp = Response::new().add_attribute("action", "open_payment");
    touch(
        deps.storage,
        &config,
        &mut account,
        Clock::from(env),
        &mut resp,
    )?;
    match account.state {
        AccountState::Open => {}
        AccountState::Overdrawn => return Err(ContractError::AccountOverdrawn { owner, dseq }),
        AccountState::Closed => return Err(ContractError::AccountClosed { owner, dseq }),
    }
    let open_count = u32::try_from(account.open_payments.len()).unwrap_or(u32::MAX);
    if open_count >= config.max_open_payments {
        return Err(ContractError::TooManyPayments {
            max: config.max_open_payments,
        });
    }
    let id = account.next_payment_id;
    account.next_payment_id = id.saturating_add(1);
    account.open_payments.push(id);
    account.rate = account.rate.checked_add(rate)?;
    let payment = Payment {
        id,
        provider: provider.clone(),
        rate,
        resources: resources.clone(),
        state: PaymentState::Open,
        opened_at: height,
        withdrawable: Uint256::zero(),
        debt: Uint256::zero(),
        withdrawn: Uint256::zero(),
        closed_at: None,
        close_reason: None,
    };
    PAYMENTS.save(deps.storage, (&owner, dseq, id), &payment)?;
    PROVIDER_PAYMENTS.save(deps.storage, (&provider, &owner, (dseq, id)), &())?;
    save_account(deps.storage, &account)?;
    resp.events.push(
        ev::PaymentOpened {
            owner,
            dseq,
            payment_id: id,
            provider,
            rate,
            denom: account.denom,
            gpu_model: resources.gpu_model,
            gpu_count: resources.gpu_count,
            height,
        }
        .to_event(),
    );
    Ok(resp.add_attribute("payment_id", id.to_string()))
}

/// Provider collects a payment's settled balance. A repeat in the same block pays zero.
pub fn withdraw(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    owner: Addr,
    dseq: u64,
    payment_id: u64,
) -> Result<Response, ContractError> {
    let config = config(deps.storage)?;
    let mut account = load_account(deps.storage, &owner, dseq)?;
    let payment = load_payment(deps.storage, &account, payment_id)?;
    if payment.provider != *sender {
        return Err(ContractError::Unauthorized {
            reason: "only the payment's provider may withdraw".into(),
        });
    }
    if payment.state == PaymentState::Closed {
        return Err(ContractError::PaymentClosed { payment_id });
    }
    let mut resp = Response::new().add_attribute("action", "withdraw");
    touch(
        deps.storage,
        &config,
        &mut account,
        Clock::from(env),
        &mut resp,
    )?;
    // Settling may have closed the account (grace over), which already paid the provider out.
    let mut payment = load_payment(deps.storage, &account, payment_id)?;
    if payment.state != PaymentState::Closed {
        let amount = withdraw_payment(deps.storage, &config, &account, &mut payment, &mut resp)?;
        resp.events.push(
            ev::Withdrawn {
                owner: account.owner.clone(),
                dseq,
                payment_id,
                provider: payment.provider.clone(),
                amount,
                denom: account.denom.clone(),
            }
            .to_event(),
        );
    }
    save_account(deps.storage, &account)?;
    Ok(resp)
}

/// Owner or provider closes a payment.
pub fn close(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    owner: Addr,
    dseq: u64,
    payment_id: u64,
) -> Result<Response, ContractError> {
    let config = config(deps.storage)?;
    let mut account = load_account(deps.storage, &owner, dseq)?;
    let payment = load_payment(deps.storage, &account, payment_id)?;
    let reason = if *sender == account.owner {
        CloseReason::Owner
    } else if *sender == payment.provider {
        CloseReason::Provider
    } else {
        return Err(ContractError::Unauthorized {
            reason: "only the account owner or the provider may close a payment".into(),
        });
    };
    if payment.state == PaymentState::Closed {
        return Err(ContractError::PaymentClosed { payment_id });
    }
    let height = env.block.height;
    let mut resp = Response::new().add_attribute("action", "close_payment");
    touch(
        deps.storage,
        &config,
        &mut account,
        Clock::from(env),
        &mut resp,
    )?;
    let mut payment = load_payment(deps.storage, &account, payment_id)?;
    if payment.state != PaymentState::Closed {
        close_payment(
            deps.storage,
            &config,
            &mut account,
            &mut payment,
            reason,
            height,
            &mut resp,
        )?;
        // Writing off the last debt leaves nothing owed: an overdrawn account runs again.
        maybe_reopen(deps.storage, &mut account, Clock::from(env), &mut resp)?;
    }
    save_account(deps.storage, &account)?;
    Ok(resp)
}
