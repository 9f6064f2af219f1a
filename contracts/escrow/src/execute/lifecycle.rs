//! Account lifecycle shared by every handler: settle on touch, overdraw, grace expiry, close,
//! payment close and batched refunds.

use cosmwasm_std::{Addr, Env, Response, Storage, Uint256};
use supercloud_events::{escrow as ev, CatalogEvent};

use crate::error::ContractError;
use crate::settlement::{compute, consume_deposits};
use crate::state::{
    Account, AccountState, CloseReason, Config, DepositSource, Overdraw, Payment, PaymentState,
    ALLOWANCES, DEPOSITS, DEPOSIT_SLOTS, PAYMENTS,
};
use crate::work;
use supercloud_std::payout::pay;

/// The block a message executes in: height drives charges, time measures GPU-seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    pub height: u64,
    /// Block time in seconds.
    pub seconds: u64,
}

impl From<&Env> for Clock {
    fn from(env: &Env) -> Self {
        Clock {
            height: env.block.height,
            seconds: env.block.time.seconds(),
        }
    }
}

/// Loads an account or fails with `AccountNotFound`.
pub fn load_account(
    storage: &dyn Storage,
    owner: &Addr,
    dseq: u64,
) -> Result<Account, ContractError> {
    crate::state::ACCOUNTS
        .may_load(storage, (owner, dseq))?
        .ok_or_else(|| ContractError::AccountNotFound {
            owner: owner.clone(),
            dseq,
        })
}

/// Saves an account.
pub fn save_account(storage: &mut dyn Storage, account: &Account) -> Result<(), ContractError> {
    crate::state::ACCOUNTS.save(storage, (&account.owner, account.dseq), account)?;
    Ok(())
}

/// Loads a payment of an account or fails with `PaymentNotFound`.
pub fn load_payment(
    storage: &dyn Storage,
    account: &Account,
    payment_id: u64,
) -> Result<Payment, ContractError> {
    PAYMENTS
        .may_load(storage, (&account.owner, account.dseq, payment_id))?
        .ok_or_else(|| ContractError::PaymentNotFound {
            owner: account.owner.clone(),
            dseq: account.dseq,
            payment_id,
        })
}

fn save_payment(
    storage: &mut dyn Storage,
    account: &Account,
    payment: &Payment,
) -> Result<(), ContractError> {
    PAYMENTS.save(storage, (&account.owner, account.dseq, payment.id), payment)?;
    Ok(())
}

/// Loads the account's open (or overdrawn) payments in id order.
pub fn open_payments(
    storage: &dyn Storage,
    account: &Account,
) -> Result<Vec<Payment>, ContractError> {
    account
        .open_payments
        .iter()
        .map(|id| load_payment(storage, account, *id))
        .collect()
}

/// Settles and enforces the grace window: what every handler does first.
pub fn touch(
    storage: &mut dyn Storage,
    config: &Config,
    account: &mut Account,
    clock: Clock,
    resp: &mut Response,
) -> Result<(), ContractError> {
    let height = clock.height;
    settle(storage, config, account, clock, resp)?;
    if let (AccountState::Overdrawn, Some(overdraw)) = (account.state, &account.overdraw) {
        if height > overdraw.grace_until {
            close_account(
                storage,
                config,
                account,
                CloseReason::Overdrawn,
                height,
                resp,
            )?;
        }
    }
    Ok(())
}

/// Charges open payments up to `height` (only open accounts accrue).
pub fn settle(
    storage: &mut dyn Storage,
    config: &Config,
    account: &mut Account,
    clock: Clock,
    resp: &mut Response,
) -> Result<(), ContractError> {
    let height = clock.height;
    if account.state != AccountState::Open || height <= account.settled_at {
        return Ok(());
    }
    if account.open_payments.is_empty() {
        account.settled_at = height;
        account.settled_time = clock.seconds;
        return Ok(());
    }
    let mut payments = open_payments(storage, account)?;
    let rates: Vec<_> = payments.iter().map(|p| (p.id, p.rate)).collect();
    let settlement = compute(account.balance, account.settled_at, height, &rates)?;
    consume_deposits(storage, account, settlement.paid)?;
    account.total_settled = account.total_settled.checked_add(settlement.paid)?;
    let overdrawn = !settlement.debt.is_zero();
    let blocks = height.saturating_sub(account.settled_at);
    let seconds = clock.seconds.saturating_sub(account.settled_time);
    for (payment, charge) in payments.iter_mut().zip(&settlement.charges) {
        // A lease paid in full is credited every block; one cut short only the whole blocks
        // its share paid for (shortfalls are split in payment id order, not per block).
        let paid_blocks = if charge.debt.is_zero() {
            blocks
        } else {
            work::blocks_paid(charge.paid, payment.rate, blocks)
        };
        work::record(
            storage,
            &payment.provider,
            &account.denom,
            &payment.resources,
            height,
            work::Delta {
                value: charge.paid,
                blocks: paid_blocks,
                seconds: work::prorate_seconds(seconds, paid_blocks, blocks),
            },
        )?;
        payment.withdrawable = payment.withdrawable.checked_add(charge.paid)?;
        payment.debt = payment.debt.checked_add(charge.debt)?;
        if overdrawn {
            payment.state = PaymentState::Overdrawn;
        }
        save_payment(storage, account, payment)?;
        if charge.paid.is_zero() && charge.debt.is_zero() {
            continue;
        }
        resp.events.push(
            ev::PaymentSettled {
                owner: account.owner.clone(),
                dseq: account.dseq,
                payment_id: payment.id,
                provider: payment.provider.clone(),
                from_height: settlement.from_height,
                to_height: settlement.to_height,
                amount: charge.paid,
                debt: charge.debt,
                denom: account.denom.clone(),
                withdrawable: payment.withdrawable,
            }
            .to_event(),
        );
    }
    account.settled_at = height;
    account.settled_time = clock.seconds;
    resp.events.push(
        ev::Settled {
            owner: account.owner.clone(),
            dseq: account.dseq,
            from_height: settlement.from_height,
            to_height: settlement.to_height,
            amount: settlement.paid,
            debt: settlement.debt,
            denom: account.denom.clone(),
            balance: account.balance,
            exhausted_at: settlement.exhausted_at,
        }
        .to_event(),
    );
    if let Some(exhausted_at) = settlement.exhausted_at {
        let grace_until = exhausted_at.saturating_add(config.grace_period_blocks);
        account.state = AccountState::Overdrawn;
        account.overdraw = Some(Overdraw {
            detected_at: height,
            exhausted_at,
            grace_until,
        });
        resp.events.push(
            ev::Overdrawn {
                owner: account.owner.clone(),
                dseq: account.dseq,
                height,
                exhausted_at,
                debt: settlement.debt,
                denom: account.denom.clone(),
                grace_until,
            }
            .to_event(),
        );
    }
    Ok(())
}

/// Pays `amount` towards the account's debts in payment id order; returns what is left. What a
/// provider receives is booked as verified work now, with the whole blocks it pays for (their
/// seconds estimated from the configured block time).
pub fn pay_debt(
    storage: &mut dyn Storage,
    config: &Config,
    account: &Account,
    amount: Uint256,
    height: u64,
    resp: &mut Response,
) -> Result<Uint256, ContractError> {
    let mut left = amount;
    for mut payment in open_payments(storage, account)? {
        if left.is_zero() {
            break;
        }
        let part = payment.debt.min(left);
        if part.is_zero() {
            continue;
        }
        left = left.checked_sub(part)?;
        payment.debt = payment.debt.checked_sub(part)?;
        payment.withdrawable = payment.withdrawable.checked_add(part)?;
        save_payment(storage, account, &payment)?;
        let blocks = work::blocks_paid(part, payment.rate, u64::MAX);
        work::record(
            storage,
            &payment.provider,
            &account.denom,
            &payment.resources,
            height,
            work::Delta {
                value: part,
                blocks,
                seconds: blocks.saturating_mul(config.block_time_ms) / 1_000,
            },
        )?;
        resp.events.push(
            ev::DebtPaid {
                owner: account.owner.clone(),
                dseq: account.dseq,
                payment_id: payment.id,
                provider: payment.provider.clone(),
                amount: part,
                denom: account.denom.clone(),
                debt_remaining: payment.debt,
            }
            .to_event(),
        );
    }
    Ok(left)
}

/// Reopens an overdrawn account whose debt is gone, inside its grace window.
pub fn maybe_reopen(
    storage: &mut dyn Storage,
    account: &mut Account,
    clock: Clock,
    resp: &mut Response,
) -> Result<(), ContractError> {
    let height = clock.height;
    if account.state != AccountState::Overdrawn {
        return Ok(());
    }
    let mut payments = open_payments(storage, account)?;
    if payments.iter().any(|p| !p.debt.is_zero()) {
        return Ok(());
    }
    for payment in payments.iter_mut() {
        payment.state = PaymentState::Open;
        save_payment(storage, account, payment)?;
    }
    account.state = AccountState::Open;
    account.overdraw = None;
    // Blocks while overdrawn were not charged (the lease was not paid for); charging resumes now.
    account.settled_at = height;
    account.settled_time = clock.seconds;
    resp.events.push(
        ev::Reopened {
            owner: account.owner.clone(),
            dseq: account.dseq,
            height,
        }
        .to_event(),
    );
    Ok(())
}

/// Pays the provider what a payment holds.
pub fn withdraw_payment(
    storage: &mut dyn Storage,
    config: &Config,
    account: &Account,
    payment: &mut Payment,
    resp: &mut Response,
) -> Result<Uint256, ContractError> {
    let amount = payment.withdrawable;
    payment.withdrawable = Uint256::zero();
    payment.withdrawn = payment.withdrawn.checked_add(amount)?;
    save_payment(storage, account, payment)?;
    pay(
        resp,
        config.act_ledger.as_ref(),
        &account.denom,
        &payment.provider,
        amount,
    )?;
    Ok(amount)
}

/// Closes one payment: pays out its balance, writes off unpaid debt, stops its rate.
pub fn close_payment(
    storage: &mut dyn Storage,
    config: &Config,
    account: &mut Account,
    payment: &mut Payment,
    reason: CloseReason,
    height: u64,
    resp: &mut Response,
) -> Result<(), ContractError> {
    let paid_out = withdraw_payment(storage, config, account, payment, resp)?;
    let unpaid_debt = payment.debt;
    payment.debt = Uint256::zero();
    payment.state = PaymentState::Closed;
    payment.closed_at = Some(height);
    payment.close_reason = Some(reason);
    save_payment(storage, account, payment)?;
    account.open_payments.retain(|id| *id != payment.id);
    account.rate = account.rate.checked_sub(payment.rate)?;
    resp.events.push(
        ev::PaymentClosed {
            owner: account.owner.clone(),
            dseq: account.dseq,
            payment_id: payment.id,
            provider: payment.provider.clone(),
            reason: reason.as_str().to_string(),
            paid_out,
            unpaid_debt,
            denom: account.denom.clone(),
            height,
        }
        .to_event(),
    );
    Ok(())
}

/// Closes an account (after settling): closes its payments and refunds the first batch.
pub fn close_account(
    storage: &mut dyn Storage,
    config: &Config,
    account: &mut Account,
    reason: CloseReason,
    height: u64,
    resp: &mut Response,
) -> Result<(), ContractError> {
    for mut payment in open_payments(storage, account)? {
        close_payment(
            storage,
            config,
            account,
            &mut payment,
            CloseReason::AccountClosed,
            height,
            resp,
        )?;
    }
    account.state = AccountState::Closed;
    account.closed_at = Some(height);
    refund_batch(storage, config, account, resp)?;
    resp.events.push(
        ev::AccountClosed {
            owner: account.owner.clone(),
            dseq: account.dseq,
            reason: reason.as_str().to_string(),
            height,
            refunds_pending: account.deposit_next.saturating_sub(account.deposit_head),
        }
        .to_event(),
    );
    Ok(())
}

/// Refunds up to `refund_batch` deposits of a closed account, oldest first. Allowance-sourced
/// remainders are credited back to the allowance (or sent to the granter if it was revoked).
pub fn refund_batch(
    storage: &mut dyn Storage,
    config: &Config,
    account: &mut Account,
    resp: &mut Response,
) -> Result<(), ContractError> {
    let mut budget = config.refund_batch;
    while account.deposit_head < account.deposit_next && budget > 0 {
        budget -= 1;
        let key = (&account.owner, account.dseq, account.deposit_head);
        let deposit = DEPOSITS.load(storage, key)?;
        DEPOSITS.remove(storage, key);
        let slot = deposit.source.slot(&deposit.depositor);
        DEPOSIT_SLOTS.remove(storage, ((&account.owner, account.dseq), slot.as_str()));
        account.deposit_head = account.deposit_head.saturating_add(1);
        account.balance = account.balance.checked_sub(deposit.amount)?;
        refund_one(
            storage,
            config,
            account,
            &deposit.depositor,
            &deposit.source,
            deposit.amount,
            resp,
        )?;
    }
    Ok(())
}

fn refund_one(
    storage: &mut dyn Storage,
    config: &Config,
    account: &Account,
    depositor: &Addr,
    source: &DepositSource,
    amount: Uint256,
    resp: &mut Response,
) -> Result<(), ContractError> {
    let credited = match source {
        DepositSource::Allowance { grantee } => {
            let key = (depositor, grantee, account.denom.as_str());
            match ALLOWANCES.may_load(storage, key)? {
                Some(mut allowance) => {
                    allowance.balance = allowance.balance.checked_add(amount)?;
                    ALLOWANCES.save(storage, key, &allowance)?;
                    resp.events.push(
                        ev::AllowanceChanged {
                            granter: depositor.clone(),
                            grantee: grantee.clone(),
                            denom: account.denom.clone(),
                            spent: Uint256::zero(),
                            credited: amount,
                            balance: allowance.balance,
                        }
                        .to_event(),
                    );
                    true
                }
                None => false,
            }
        }
        DepositSource::Funds => false,
    };
    if !credited {
        pay(
            resp,
            config.act_ledger.as_ref(),
            &account.denom,
            depositor,
            amount,
        )?;
    }
    resp.events.push(
        ev::Refunded {
            owner: account.owner.clone(),
            dseq: account.dseq,
            depositor: depositor.clone(),
            source: source.kind().to_string(),
            grantee: source.grantee(),
            amount,
            denom: account.denom.clone(),
        }
        .to_event(),
    );
    Ok(())
}
