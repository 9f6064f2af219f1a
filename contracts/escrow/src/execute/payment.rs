//! Payments (leases): open, provider withdraw, close.

use cosmwasm_std::{to_json_binary, Addr, Decimal256, DepsMut, Env, Response, Uint256};
use supercloud_events::escrow as ev;

use super::assert_open_for_inflows;
use super::lifecycle::AccountTx;
use crate::error::ContractError;
use crate::msg::{AccountState, CloseReason, OpenPaymentResponse, PaymentState, Resources};
use crate::state::{Payment, PROVIDER_PAYMENTS};

/// Longest GPU model name (the refusal below spells it out).
const MAX_GPU_MODEL_LEN: usize = 64;

/// The highest rate a payment may have: 10^36 base units per block. Any height is below 2^64
/// (≈ 1.8·10^19), so `carry + rate × blocks` stays below 1.9·10^55, far inside `Decimal256`
/// (≈ 1.2·10^59): settlement can never overflow and freeze an account. No coin has a supply near
/// it.
pub fn max_rate() -> Decimal256 {
    Decimal256::new(MAX_RATE_ATOMICS)
}

/// 10^54 (10^36 in units of 10^-18), big-endian, as a constant rather than a `pow` at run time.
const MAX_RATE_ATOMICS: Uint256 = Uint256::from_be_bytes([
    0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 112, 195, 196, 10, 100, 230, 197, 25, 153, 9, 11, 101, 246, 125,
    146, 64, 0, 0, 0, 0, 0, 0,
]);

fn validate_resources(resources: &Resources) -> Result<(), ContractError> {
    let model = &resources.gpu_model;
    if model.is_empty() || model.len() > MAX_GPU_MODEL_LEN {
        return Err(ContractError::InvalidResources {
            reason: "gpu_model must be 1 to 64 characters".into(),
        });
    }
    // Bytes, not chars: any non-ASCII byte is refused either way.
    if !model
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(ContractError::InvalidResources {
            reason: "gpu_model may only contain ASCII letters, digits, '-', '_' and '.'".into(),
        });
    }
    Ok(())
}

/// Owner opens a payment to `provider` at `rate` per block. The response `data` is the new
/// payment's id ([`OpenPaymentResponse`]).
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
    if rate > max_rate() {
        return Err(ContractError::RateTooHigh {
            rate,
            max: max_rate(),
        });
    }
    validate_resources(&resources)?;
    let mut tx = AccountTx::load(deps.storage, env, &owner, dseq)?;
    tx.touch()?;
    match tx.account.state {
        AccountState::Open => {}
        AccountState::Overdrawn => return Err(ContractError::AccountOverdrawn { owner, dseq }),
        AccountState::Closed => return Err(ContractError::AccountClosed { owner, dseq }),
    }
    let open_count = u32::try_from(tx.account.open_payments.len()).unwrap_or(u32::MAX);
    if open_count >= tx.config.max_open_payments {
        return Err(ContractError::TooManyPayments {
            max: tx.config.max_open_payments,
        });
    }
    let height = tx.clock.height;
    let id = tx.account.next_payment_id;
    tx.account.next_payment_id = id.saturating_add(1);
    tx.account.open_payments.push(id);
    tx.account.rate = tx.account.rate.checked_add(rate)?;
    let payment = Payment {
        id,
        provider: provider.clone(),
        rate,
        resources: resources.clone(),
        state: PaymentState::Open,
        opened_at: height,
        carry: Decimal256::zero(),
        withdrawable: Uint256::zero(),
        debt: Uint256::zero(),
        withdrawn: Uint256::zero(),
        closed_at: None,
        close_reason: None,
        unbooked_blocks: 0,
        unbooked_value: Decimal256::zero(),
    };
    tx.save_payment(&payment)?;
    PROVIDER_PAYMENTS.save(tx.storage(), (&provider, &owner, (dseq, id)), &())?;
    let depletes_at = tx.depletes_at()?;
    tx.emit(ev::PaymentOpened {
        owner: owner.clone(),
        dseq,
        payment_id: id,
        provider,
        rate,
        denom: tx.account.denom.clone(),
        gpu_model: resources.gpu_model,
        gpu_count: resources.gpu_count,
        height,
        account_rate: tx.account.rate,
        depletes_at,
    });
    let data = to_json_binary(&OpenPaymentResponse {
        owner,
        dseq,
        payment_id: id,
    })?;
    Ok(tx
        .finish()?
        .add_attribute("action", "open_payment")
        .add_attribute("payment_id", id.to_string())
        .set_data(data))
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
    let mut tx = AccountTx::load(deps.storage, env, &owner, dseq)?;
    let payment = tx.payment(payment_id)?;
    if payment.provider != *sender {
        return Err(ContractError::Unauthorized {
            reason: "only the payment's provider may withdraw".into(),
        });
    }
    if payment.state == PaymentState::Closed {
        return Err(ContractError::PaymentClosed { payment_id });
    }
    tx.touch()?;
    // Settling may have closed the account (grace over), which already paid the provider out.
    let mut payment = tx.payment(payment_id)?;
    if payment.state != PaymentState::Closed {
        let amount = tx.withdraw_payment(&mut payment)?;
        tx.emit(ev::Withdrawn {
            owner,
            dseq,
            payment_id,
            provider: payment.provider,
            amount,
            denom: tx.account.denom.clone(),
        });
    }
    Ok(tx.finish()?.add_attribute("action", "withdraw"))
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
    let mut tx = AccountTx::load(deps.storage, env, &owner, dseq)?;
    let payment = tx.payment(payment_id)?;
    let reason = if *sender == tx.account.owner {
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
    tx.touch()?;
    let mut payment = tx.payment(payment_id)?;
    if payment.state != PaymentState::Closed {
        tx.close_payment(&mut payment, reason)?;
        // Writing off the last debt leaves nothing owed: an overdrawn account runs again.
        tx.maybe_reopen()?;
    }
    Ok(tx.finish()?.add_attribute("action", "close_payment"))
}
