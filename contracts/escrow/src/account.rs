//! The account as both execute and query read it: loaders, the streams settlement charges, the
//! settlement preview at a height and the predicted depletion. A floor below `execute` and
//! `query`; neither of those imports the other.

use cosmwasm_std::{Addr, Storage, Uint256};

use crate::error::ContractError;
use crate::msg::AccountState;
use crate::settlement::{compute, depletes_at, Settlement, Stream, UNIT};
use crate::state::{Account, Payment, ACCOUNTS, PAYMENTS};

/// Loads an account or fails with `AccountNotFound`.
pub fn load_account(
    storage: &dyn Storage,
    owner: &Addr,
    dseq: u64,
) -> Result<Account, ContractError> {
    ACCOUNTS
        .may_load(storage, (owner, dseq))?
        .ok_or_else(|| ContractError::AccountNotFound {
            owner: owner.clone(),
            dseq,
        })
}

/// Loads a payment of an account or fails with `PaymentNotFound`.
pub fn load_payment(
    storage: &dyn Storage,
    account: &Account,
    payment_id: u64,
) -> Result<Payment, ContractError> {
    let mut payment = PAYMENTS
        .may_load(storage, (&account.owner, account.dseq, payment_id))?
        .ok_or_else(|| ContractError::PaymentNotFound {
            owner: account.owner.clone(),
            dseq: account.dseq,
            payment_id,
        })?;
    payment.trim_legacy_debt()?;
    Ok(payment)
}

/// The account's open (or overdrawn) payments in id order.
pub fn open_payments(
    storage: &dyn Storage,
    account: &Account,
) -> Result<Vec<Payment>, ContractError> {
    let mut payments = Vec::with_capacity(account.open_payments.len());
    for id in &account.open_payments {
        payments.push(load_payment(storage, account, *id)?);
    }
    Ok(payments)
}

impl Payment {
    /// Migrates debt booked by 0.1.0. The one overdraw rule (`settlement`) leaves a payment at
    /// most the shortfall of the exhausting block, which is below one block's dues, `ceil(rate)`.
    /// 0.1.0 also charged every block from exhaustion until someone touched the account, so its
    /// overdrawn payments may hold more; the blocks behind that excess were never charged under
    /// the rule, and the history needed to recompute the exact shortfall is gone. So the debt
    /// is capped at `ceil(rate)` when loaded (an upper bound of the rule's debt, never more than
    /// what was recorded): reviving the deployment costs at most one block's dues, whenever the
    /// overdraw was noticed. A no-op for any debt the rule itself booked.
    pub fn trim_legacy_debt(&mut self) -> Result<(), ContractError> {
        if self.debt.is_zero() {
            return Ok(());
        }
        let whole = self
            .rate
            .atomics()
            .checked_add(UNIT)?
            .checked_sub(Uint256::one())?;
        self.debt = self.debt.min(whole.checked_div(UNIT)?);
        Ok(())
    }

    /// The payment as settlement charges it.
    pub fn stream(&self) -> Stream {
        Stream {
            payment_id: self.id,
            rate: self.rate,
            carry: self.carry,
        }
    }
}

/// The payments as settlement charges them.
pub fn streams(payments: &[Payment]) -> Vec<Stream> {
    let mut streams = Vec::with_capacity(payments.len());
    for payment in payments {
        streams.push(payment.stream());
    }
    streams
}

/// The streams an open account charges (none unless it is open).
pub fn charged_streams(
    storage: &dyn Storage,
    account: &Account,
) -> Result<Vec<Stream>, ContractError> {
    if account.state != AccountState::Open {
        return Ok(vec![]);
    }
    Ok(streams(&open_payments(storage, account)?))
}

/// The settlement an execute at `height` would perform (empty unless the account is open).
pub fn preview(
    storage: &dyn Storage,
    account: &Account,
    height: u64,
) -> Result<Settlement, ContractError> {
    let streams = charged_streams(storage, account)?;
    compute(
        account.balance,
        account.settled_at.min(height),
        height,
        &streams,
    )
}

/// The predicted exhausting block of an account as stored (settled at `settled_at`): `None` unless
/// it is open and charging.
pub fn predicted_depletion(
    storage: &dyn Storage,
    account: &Account,
) -> Result<Option<u64>, ContractError> {
    let streams = charged_streams(storage, account)?;
    depletes_at(account.balance, account.settled_at, &streams)
}
