//! `AccountTx`: one message's work on one account (storage, config, the account, the block and
//! the response in one value), and the lifecycle every handler shares: settle on touch,
//! overdraw, grace expiry, reopen, withdraw, payment and account close, batched refunds.

use cosmwasm_std::{Addr, Env, Response, Storage, Uint256};
use supercloud_events::{escrow as ev, CatalogEvent};
use supercloud_std::payout::pay;

use crate::account::{load_account, open_payments, predicted_depletion, streams};
use crate::error::ContractError;
use crate::msg::{AccountState, CloseReason, Config, DepositSource, PaymentState};
use crate::settlement::compute;
use crate::state::{Account, Deposit, Overdraw, Payment, ALLOWANCES, DEPOSITS, PAYMENTS};
use crate::work;

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

/// One message's work on one account. Handlers open it, change the account through its methods
/// and `finish` it, which saves the account and returns the response.
pub struct AccountTx<'a> {
    storage: &'a mut dyn Storage,
    /// The contract configuration.
    pub config: Config,
    /// The account, saved by `finish`.
    pub account: Account,
    /// The block the message executes in.
    pub clock: Clock,
    /// The response being built.
    pub resp: Response,
}

impl<'a> AccountTx<'a> {
    /// Loads the configuration and an existing account.
    pub fn load(
        storage: &'a mut dyn Storage,
        env: &Env,
        owner: &Addr,
        dseq: u64,
    ) -> Result<Self, ContractError> {
        let config = super::config(storage)?;
        let account = load_account(storage, owner, dseq)?;
        Ok(Self::new(storage, config, account, Clock::from(env)))
    }

    /// Starts work on an account held in memory (a new one).
    pub fn new(
        storage: &'a mut dyn Storage,
        config: Config,
        account: Account,
        clock: Clock,
    ) -> Self {
        AccountTx {
            storage,
            config,
            account,
            clock,
            resp: Response::new(),
        }
    }

    /// The storage, for what is not the account's own (allowances, indexes).
    pub fn storage(&mut self) -> &mut dyn Storage {
        self.storage
    }

    /// Saves the account and returns the response.
    pub fn finish(self) -> Result<Response, ContractError> {
        let account = &self.account;
        crate::state::ACCOUNTS.save(self.storage, (&account.owner, account.dseq), account)?;
        Ok(self.resp)
    }

    /// Adds a catalogued event to the response.
    pub fn emit(&mut self, event: impl CatalogEvent) {
        self.resp.events.push(event.to_event());
    }

    /// The predicted exhausting block after the changes so far (`None` unless open and charging).
    pub fn depletes_at(&self) -> Result<Option<u64>, ContractError> {
        predicted_depletion(self.storage, &self.account)
    }

    /// Loads one of the account's payments.
    pub fn payment(&self, payment_id: u64) -> Result<Payment, ContractError> {
        crate::account::load_payment(self.storage, &self.account, payment_id)
    }

    /// Saves one of the account's payments.
    pub fn save_payment(&mut self, payment: &Payment) -> Result<(), ContractError> {
        let key = (&self.account.owner, self.account.dseq, payment.id);
        PAYMENTS.save(self.storage, key, payment)?;
        Ok(())
    }

    /// Settles and enforces the grace window: what every handler does first.
    pub fn touch(&mut self) -> Result<(), ContractError> {
        self.settle()?;
        self.consume_deposits(self.config.deposit_limits.consume_batch)?;
        if let (AccountState::Overdrawn, Some(overdraw)) =
            (self.account.state, &self.account.overdraw)
        {
            if self.clock.height > overdraw.grace_until {
                self.close_account(CloseReason::Overdrawn)?;
            }
        }
        Ok(())
    }

    /// Charges the open payments up to this block, or up to the exhausting block when the funds
    /// run out before it (see `settlement` for the one overdraw rule).
    fn settle(&mut self) -> Result<(), ContractError> {
        let height = self.clock.height;
        let account = &mut self.account;
        if account.state != AccountState::Open || height <= account.settled_at {
            return Ok(());
        }
        if account.open_payments.is_empty() {
            account.settled_at = height;
            account.settled_time = self.clock.seconds;
            return Ok(());
        }
        let mut payments = open_payments(self.storage, &self.account)?;
        let streams = streams(&payments);
        let settlement = compute(
            self.account.balance,
            self.account.settled_at,
            height,
            &streams,
        )?;
        // The balance drops now; which deposits paid is worked out by `consume_deposits`, a
        // bounded number of entries per call, so this settlement never walks the queue.
        self.account.balance = self.account.balance.checked_sub(settlement.paid)?;
        self.account.consume_pending = self.account.consume_pending.checked_add(settlement.paid)?;
        let blocks = height.saturating_sub(self.account.settled_at);
        let seconds = self.clock.seconds.saturating_sub(self.account.settled_time);
        for (payment, charge) in payments.iter_mut().zip(&settlement.charges) {
            self.book_work(payment, charge.paid_blocks, charge.paid, |booked| {
                work::prorate_seconds(seconds, booked, blocks)
            })?;
            payment.withdrawable = payment.withdrawable.checked_add(charge.paid)?;
            payment.debt = payment.debt.checked_add(charge.debt)?;
            payment.carry = charge.carry;
            if settlement.exhausted_at.is_some() {
                payment.state = PaymentState::Overdrawn;
            }
            self.save_payment(payment)?;
            if charge.paid.is_zero() && charge.debt.is_zero() {
                continue;
            }
            self.emit(ev::PaymentSettled {
                owner: self.account.owner.clone(),
                dseq: self.account.dseq,
                payment_id: payment.id,
                provider: payment.provider.clone(),
                from_height: settlement.from_height,
                to_height: settlement.to_height,
                amount: charge.paid,
                debt: charge.debt,
                denom: self.account.denom.clone(),
                withdrawable: payment.withdrawable,
            });
        }
        let charged = settlement.to_height.saturating_sub(settlement.from_height);
        let account = &mut self.account;
        account.total_settled = account.total_settled.checked_add(settlement.paid)?;
        account.settled_time = account
            .settled_time
            .saturating_add(work::prorate_seconds(seconds, charged, blocks));
        account.settled_at = settlement.to_height;
        if let Some(exhausted_at) = settlement.exhausted_at {
            account.state = AccountState::Overdrawn;
            account.overdraw = Some(Overdraw {
                detected_at: height,
                exhausted_at,
                grace_until: exhausted_at.saturating_add(self.config.grace_period_blocks),
            });
        }
        let depletes_at = self.depletes_at()?;
        let account = &self.account;
        let settled = ev::Settled {
            owner: account.owner.clone(),
            dseq: account.dseq,
            from_height: settlement.from_height,
            to_height: settlement.to_height,
            amount: settlement.paid,
            debt: settlement.debt,
            denom: account.denom.clone(),
            balance: account.balance,
            exhausted_at: settlement.exhausted_at,
            account_rate: account.rate,
            depletes_at,
        };
        let overdrawn = account.overdraw.as_ref().map(|o| ev::Overdrawn {
            owner: account.owner.clone(),
            dseq: account.dseq,
            height,
            exhausted_at: o.exhausted_at,
            debt: settlement.debt,
            denom: account.denom.clone(),
            grace_until: o.grace_until,
        });
        self.emit(settled);
        if let Some(overdrawn) = overdrawn {
            self.emit(overdrawn);
        }
        Ok(())
    }

    /// Takes what settlements charged (`consume_pending`) out of the deposits, oldest first, from
    /// at most `budget` entries, and says whose deposit paid how much. Each used-up entry is
    /// removed once; what is left waits for the next call.
    fn consume_deposits(&mut self, budget: u32) -> Result<(), ContractError> {
        for _ in 0..budget {
            if self.account.consume_pending.is_zero() {
                break;
            }
            self.consume_head()?;
        }
        Ok(())
    }

    /// Takes what it can of `consume_pending` from the oldest entry; returns that entry.
    fn consume_head(&mut self) -> Result<Deposit, ContractError> {
        let key = (
            &self.account.owner,
            self.account.dseq,
            self.account.deposit_head,
        );
        let mut deposit = DEPOSITS.load(self.storage, key)?;
        let take = deposit.amount.min(self.account.consume_pending);
        deposit.amount = deposit.amount.checked_sub(take)?;
        self.account.consume_pending = self.account.consume_pending.checked_sub(take)?;
        if deposit.amount.is_zero() {
            self.pop_deposit();
        } else {
            DEPOSITS.save(self.storage, key, &deposit)?;
        }
        if !take.is_zero() {
            self.emit(ev::DepositConsumed {
                owner: self.account.owner.clone(),
                dseq: self.account.dseq,
                depositor: deposit.depositor.clone(),
                source: deposit.source.kind(),
                grantee: deposit.source.grantee(),
                amount: take,
                denom: self.account.denom.clone(),
                deposit_remaining: deposit.amount,
                height: self.clock.height,
            });
        }
        Ok(deposit)
    }

    /// Removes the oldest deposit (used up or refunded).
    fn pop_deposit(&mut self) {
        let account = &mut self.account;
        DEPOSITS.remove(
            self.storage,
            (&account.owner, account.dseq, account.deposit_head),
        );
        account.deposit_head = account.deposit_head.saturating_add(1);
    }

    /// Books a payment's verified work at this height: `value` moved to the provider now, and
    /// of the `charged` blocks (plus those waiting) the GPU-blocks that value covers
    /// (`work::Unbooked`), with `seconds_of(booked)` GPU-seconds per GPU. Verified work cannot be
    /// bought from oneself (DESIGN §4.1): a lease paying its own owner moves no value between
    /// parties, so it books none.
    fn book_work(
        &mut self,
        payment: &mut Payment,
        charged: u64,
        value: Uint256,
        seconds_of: impl Fn(u64) -> u64,
    ) -> Result<(), ContractError> {
        if payment.provider == self.account.owner {
            return Ok(());
        }
        let mut unbooked = work::Unbooked {
            blocks: payment.unbooked_blocks,
            value: payment.unbooked_value,
        };
        let booked = unbooked.book(charged, value, payment.rate)?;
        payment.unbooked_blocks = unbooked.blocks;
        payment.unbooked_value = unbooked.value;
        work::record(
            self.storage,
            &payment.provider,
            &self.account.denom,
            &payment.resources,
            self.clock.height,
            work::Delta {
                value,
                blocks: booked,
                seconds: seconds_of(booked),
            },
        )
    }

    /// Pays `amount` towards the account's debts in payment id order; returns what is left. What a
    /// provider receives is booked as verified work now, with the whole blocks it pays for (their
    /// seconds estimated from the configured block time).
    pub fn pay_debt(&mut self, amount: Uint256) -> Result<Uint256, ContractError> {
        let mut left = amount;
        for mut payment in open_payments(self.storage, &self.account)? {
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
            // Debt is the exhausting block's shortfall (the one overdraw rule): clearing it pays
            // for that block.
            let cleared = u64::from(payment.debt.is_zero());
            let block_time_ms = self.config.block_time_ms;
            self.book_work(&mut payment, cleared, part, |booked| {
                booked.saturating_mul(block_time_ms) / 1_000
            })?;
            self.save_payment(&payment)?;
            self.emit(ev::DebtPaid {
                owner: self.account.owner.clone(),
                dseq: self.account.dseq,
                payment_id: payment.id,
                provider: payment.provider.clone(),
                amount: part,
                denom: self.account.denom.clone(),
                debt_remaining: payment.debt,
            });
        }
        Ok(left)
    }

    /// Reopens an overdrawn account whose debt is gone, inside its grace window.
    pub fn maybe_reopen(&mut self) -> Result<(), ContractError> {
        if self.account.state != AccountState::Overdrawn {
            return Ok(());
        }
        let mut payments = open_payments(self.storage, &self.account)?;
        if payments.iter().any(|p| !p.debt.is_zero()) {
            return Ok(());
        }
        for payment in payments.iter_mut() {
            payment.state = PaymentState::Open;
            self.save_payment(payment)?;
        }
        let account = &mut self.account;
        account.state = AccountState::Open;
        account.overdraw = None;
        // Blocks while overdrawn were not charged (the lease was not paid for); charging resumes
        // the block after this one.
        account.settled_at = self.clock.height;
        account.settled_time = self.clock.seconds;
        let depletes_at = self.depletes_at()?;
        self.emit(ev::Reopened {
            owner: self.account.owner.clone(),
            dseq: self.account.dseq,
            height: self.clock.height,
            account_rate: self.account.rate,
            depletes_at,
        });
        Ok(())
    }

    /// Pays the provider what a payment holds.
    pub fn withdraw_payment(&mut self, payment: &mut Payment) -> Result<Uint256, ContractError> {
        let amount = payment.withdrawable;
        payment.withdrawable = Uint256::zero();
        payment.withdrawn = payment.withdrawn.checked_add(amount)?;
        self.save_payment(payment)?;
        pay(
            &mut self.resp,
            self.config.act_ledger.as_ref(),
            &self.account.denom,
            &payment.provider,
            amount,
        )?;
        Ok(amount)
    }

    /// Closes one payment: pays out its balance, writes off unpaid debt, stops its rate.
    pub fn close_payment(
        &mut self,
        payment: &mut Payment,
        reason: CloseReason,
    ) -> Result<(), ContractError> {
        let paid_out = self.withdraw_payment(payment)?;
        let unpaid_debt = payment.debt;
        payment.debt = Uint256::zero();
        payment.state = PaymentState::Closed;
        payment.closed_at = Some(self.clock.height);
        payment.close_reason = Some(reason);
        self.save_payment(payment)?;
        self.account.open_payments.retain(|id| *id != payment.id);
        self.account.rate = self.account.rate.checked_sub(payment.rate)?;
        let depletes_at = self.depletes_at()?;
        self.emit(ev::PaymentClosed {
            owner: self.account.owner.clone(),
            dseq: self.account.dseq,
            payment_id: payment.id,
            provider: payment.provider.clone(),
            reason,
            paid_out,
            unpaid_debt,
            denom: self.account.denom.clone(),
            height: self.clock.height,
            account_rate: self.account.rate,
            depletes_at,
        });
        Ok(())
    }

    /// Closes the account (after settling): closes its payments and refunds the first batch.
    pub fn close_account(&mut self, reason: CloseReason) -> Result<(), ContractError> {
        // Closed first, so the payment closes below predict no depletion.
        self.account.state = AccountState::Closed;
        self.account.closed_at = Some(self.clock.height);
        for mut payment in open_payments(self.storage, &self.account)? {
            self.close_payment(&mut payment, CloseReason::AccountClosed)?;
        }
        self.refund_batch()?;
        self.emit(ev::AccountClosed {
            owner: self.account.owner.clone(),
            dseq: self.account.dseq,
            reason,
            height: self.clock.height,
            refunds_pending: self.refunds_pending(),
        });
        Ok(())
    }

    /// Deposits of a closed account still to be refunded.
    pub fn refunds_pending(&self) -> u64 {
        self.account
            .deposit_next
            .saturating_sub(self.account.deposit_head)
    }

    /// Refunds up to `refund_batch` deposits of a closed account, oldest first, after taking from
    /// each what settlements charged and no call has taken yet (one visit per entry either way).
    /// Allowance-sourced remainders are credited back to the allowance (or sent to the granter if
    /// it was revoked).
    pub fn refund_batch(&mut self) -> Result<(), ContractError> {
        for _ in 0..self.config.refund_batch {
            if self.account.deposit_head >= self.account.deposit_next {
                break;
            }
            let deposit = if self.account.consume_pending.is_zero() {
                let key = (
                    &self.account.owner,
                    self.account.dseq,
                    self.account.deposit_head,
                );
                DEPOSITS.load(self.storage, key)?
            } else {
                let deposit = self.consume_head()?;
                if deposit.amount.is_zero() {
                    continue; // used up and popped: nothing to refund
                }
                deposit
            };
            self.pop_deposit();
            self.account.balance = self.account.balance.checked_sub(deposit.amount)?;
            self.refund_one(&deposit.depositor, &deposit.source, deposit.amount)?;
        }
        Ok(())
    }

    fn refund_one(
        &mut self,
        depositor: &Addr,
        source: &DepositSource,
        amount: Uint256,
    ) -> Result<(), ContractError> {
        let denom = self.account.denom.clone();
        let credited = match source {
            DepositSource::Allowance { grantee } => {
                let key = (depositor, grantee, denom.as_str());
                match ALLOWANCES.may_load(self.storage, key)? {
                    Some(mut allowance) => {
                        allowance.balance = allowance.balance.checked_add(amount)?;
                        ALLOWANCES.save(self.storage, key, &allowance)?;
                        self.emit(ev::AllowanceChanged {
                            granter: depositor.clone(),
                            grantee: grantee.clone(),
                            denom: denom.clone(),
                            spent: Uint256::zero(),
                            credited: amount,
                            balance: allowance.balance,
                        });
                        true
                    }
                    None => false,
                }
            }
            DepositSource::Funds => false,
        };
        if !credited {
            pay(
                &mut self.resp,
                self.config.act_ledger.as_ref(),
                &denom,
                depositor,
                amount,
            )?;
        }
        self.emit(ev::Refunded {
            owner: self.account.owner.clone(),
            dseq: self.account.dseq,
            depositor: depositor.clone(),
            source: source.kind(),
            grantee: source.grantee(),
            amount,
            denom,
        });
        Ok(())
    }
}
