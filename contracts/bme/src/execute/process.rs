//! The permissionless epoch runner.
//!
//! Each call: (1) reads the oracle price once and re-evaluates the mode; (2) if the burn epoch is
//! due, handles up to `limit` burn requests in id order; (3) if the mint epoch is due, the same for
//! mints. An epoch handles at most `max_records_per_epoch` records; a call capped by a smaller
//! `limit` leaves the epoch open (cursor + count in `Status`) and the next call continues it. An
//! epoch closes when its queue has no record after the cursor or the per-epoch cap is reached; the
//! next one is due `min_epoch_blocks` later (mint epochs: stretched in warning mode, computed
//! from the CR at closing).
//!
//! After every executed record the CR and mode are recomputed (FIX: Akash recomputes once per
//! epoch), so a mint epoch stops minting as soon as the ratio reaches halt-CR.
//!
//! Per record:
//! * burn: no price → retry (`oracle_unhealthy`); pays zero → cancel (`zero_after_rounding`);
//!   vault short → retry (`vault_insufficient`); else executes (also in halt-CR).
//! * mint: no price → retry (`oracle_unhealthy`); halt-CR → retry (`halted`); below `min_mint` at
//!   this price → cancel (`below_min_mint`); nothing credited → cancel (`zero_after_rounding`);
//!   else executes.
//!
//! A retry counts one attempt; the attempt that reaches `max_attempts` cancels the request with
//! that failure's own reason (FIX support #545: never `unknown`). Cancelling refunds the uakt by
//! bank send, or the uact back to the owner's ledger balance.

use cosmwasm_std::{BankMsg, Coin, Decimal256, DepsMut, Env, Order, Response, Storage, Uint128};
use cw_storage_plus::Bound;
use supercloud_events::{bme as ev, CatalogEvent};
use supercloud_std::Paused;

use super::{balance_of, credit, evaluate, oracle_price, AKT_DENOM};
use crate::error::ContractError;
use crate::math;
use crate::state::{
    queue, Config, Kind, LedgerRecord, Mode, Outcome, Request, Status, Vault, BY_OWNER, CONFIG,
    RECORDS, STATUS, VAULT,
};

/// Cancel and retry reasons.
pub mod reason {
    pub const BELOW_MIN_MINT: &str = "below_min_mint";
    pub const ZERO_AFTER_ROUNDING: &str = "zero_after_rounding";
    pub const ORACLE_UNHEALTHY: &str = "oracle_unhealthy";
    pub const HALTED: &str = "halted";
    pub const VAULT_INSUFFICIENT: &str = "vault_insufficient";
}

enum Step {
    Executed,
    Retried,
    Cancelled,
}

enum Failure {
    /// Cancel now.
    Fatal(&'static str),
    /// Count an attempt; cancel at `max_attempts`.
    Retry(&'static str),
}

struct Run {
    config: Config,
    vault: Vault,
    status: Status,
    price: Result<Decimal256, String>,
    height: u64,
    resp: Response,
}

/// Runs the due epochs.
pub fn process(deps: DepsMut, env: &Env, limit: Option<u32>) -> Result<Response, ContractError> {
    Paused::assert_not_paused(deps.storage)?;
    let config = CONFIG.load(deps.storage)?;
    let max = config.params.max_records_per_epoch;
    let cap = limit.unwrap_or(max).clamp(1, max);
    let price = oracle_price(&deps.querier, &config);
    let mut run = Run {
        vault: VAULT.load(deps.storage)?,
        status: STATUS.load(deps.storage)?,
        config,
        price,
        height: env.block.height,
        resp: Response::new(),
    };
    run.reevaluate()?;
    let mut ran = Vec::new();
    if run.height >= run.status.next_burn_epoch {
        run.epoch(deps.storage, Kind::Burn, cap)?;
        ran.push("burn");
    }
    if run.height >= run.status.next_mint_epoch {
        run.epoch(deps.storage, Kind::Mint, cap)?;
        ran.push("mint");
    }
    run.status.height = run.height;
    VAULT.save(deps.storage, &run.vault)?;
    STATUS.save(deps.storage, &run.status)?;
    Ok(run
        .resp
        .add_attribute("action", "process")
        .add_attribute("epochs", ran.join(",")))
}

impl Run {
    /// Recomputes CR and mode from the current vault; emits `mode_changed` on a change.
    fn reevaluate(&mut self) -> Result<(), ContractError> {
        let (mode, cr) = evaluate(&self.price, &self.vault, &self.config, self.status.cr_bps)?;
        if mode != self.status.mode {
            self.resp = std::mem::take(&mut self.resp).add_event(
                ev::ModeChanged {
                    from: self.status.mode.as_str().to_string(),
                    to: mode.as_str().to_string(),
                    cr_bps: cr,
                    price: self.price.as_ref().ok().copied(),
                    height: self.height,
                }
                .to_event(),
            );
        }
        self.status.mode = mode;
        self.status.cr_bps = cr;
        self.status.price = self.price.as_ref().ok().copied();
        Ok(())
    }

    fn epoch(
        &mut self,
        storage: &mut dyn Storage,
        kind: Kind,
        cap: u32,
    ) -> Result<(), ContractError> {
        let max = self.config.params.max_records_per_epoch;
        let (cursor, done) = match kind {
            Kind::Burn => (self.status.burn_cursor, self.status.burn_done),
            Kind::Mint => (self.status.mint_cursor, self.status.mint_done),
        };
        let budget = cap.min(max.saturating_sub(done));
        let batch = load_after(storage, kind, cursor, budget)?;
        let (mut executed, mut retried, mut cancelled) = (0u32, 0u32, 0u32);
        let mut cursor = cursor;
        let mut done = done;
        for request in batch {
            cursor = Some(request.id);
            done = done.saturating_add(1);
            match self.step(storage, request)? {
                Step::Executed => executed = executed.saturating_add(1),
                Step::Retried => retried = retried.saturating_add(1),
                Step::Cancelled => cancelled = cancelled.saturating_add(1),
            }
        }
        let more = !load_after(storage, kind, cursor, 1)?.is_empty();
        if more && done < max {
            match kind {
                Kind::Burn => (self.status.burn_cursor, self.status.burn_done) = (cursor, done),
                Kind::Mint => (self.status.mint_cursor, self.status.mint_done) = (cursor, done),
            }
            return Ok(());
        }
        let length = match kind {
            Kind::Burn => self.config.params.min_epoch_blocks,
            Kind::Mint => {
                math::mint_epoch_blocks(self.status.mode, self.status.cr_bps, &self.config.params)
            }
        };
        let next_epoch = self
            .height
            .checked_add(length)
            .ok_or_else(|| ContractError::Overflow("epoch height".into()))?;
        match kind {
            Kind::Burn => {
                self.status.next_burn_epoch = next_epoch;
                (self.status.burn_cursor, self.status.burn_done) = (None, 0);
            }
            Kind::Mint => {
                self.status.next_mint_epoch = next_epoch;
                (self.status.mint_cursor, self.status.mint_done) = (None, 0);
            }
        }
        self.resp = std::mem::take(&mut self.resp).add_event(
            ev::EpochClosed {
                kind: kind.as_str().to_string(),
                height: self.height,
                executed,
                retried,
                cancelled,
                next_epoch,
            }
            .to_event(),
        );
        Ok(())
    }

    fn step(&mut self, storage: &mut dyn Storage, request: Request) -> Result<Step, ContractError> {
        let attempt = match request.kind {
            Kind::Burn => self.try_burn(storage, &request)?,
            Kind::Mint => self.try_mint(storage, &request)?,
        };
        match attempt {
            Ok(()) => Ok(Step::Executed),
            Err(Failure::Fatal(why)) => {
                self.cancel(storage, request, why)?;
                Ok(Step::Cancelled)
            }
            Err(Failure::Retry(why)) => {
                let mut request = request;
                request.attempts = request.attempts.saturating_add(1);
                if request.attempts >= self.config.params.max_attempts {
                    self.cancel(storage, request, why)?;
                    return Ok(Step::Cancelled);
                }
                request.last_error = Some(why.to_string());
                queue(request.kind).save(storage, request.id, &request)?;
                self.resp = std::mem::take(&mut self.resp).add_event(
                    ev::RecordRetried {
                        id: request.id,
                        kind: request.kind.as_str().to_string(),
                        owner: request.owner,
                        attempts: request.attempts,
                        reason: why.to_string(),
                        height: self.height,
                    }
                    .to_event(),
                );
                Ok(Step::Retried)
            }
        }
    }

    fn try_burn(
        &mut self,
        storage: &mut dyn Storage,
        request: &Request,
    ) -> Result<Result<(), Failure>, ContractError> {
        let Ok(price) = self.price.clone() else {
            return Ok(Err(Failure::Retry(reason::ORACLE_UNHEALTHY)));
        };
        let gross = math::act_to_akt(request.amount, price)?;
        let spread = math::spread(gross, self.config.params.settle_spread_bps)?;
        let paid = gross.checked_sub(spread)?;
        if paid.is_zero() {
            return Ok(Err(Failure::Fatal(reason::ZERO_AFTER_ROUNDING)));
        }
        if self.vault.vault_akt < paid {
            return Ok(Err(Failure::Retry(reason::VAULT_INSUFFICIENT)));
        }
        let v = &mut self.vault;
        v.vault_akt = v.vault_akt.checked_sub(paid)?;
        v.remint_credits = v.remint_credits.saturating_sub(paid);
        v.pending_act = v.pending_act.checked_sub(request.amount)?;
        v.supply = v.supply.checked_sub(request.amount)?;
        v.total_burned_act = v.total_burned_act.checked_add(request.amount)?;
        v.total_akt_out = v.total_akt_out.checked_add(paid)?;
        self.resp = std::mem::take(&mut self.resp).add_message(BankMsg::Send {
            to_address: request.owner.to_string(),
            amount: vec![Coin::new(paid, AKT_DENOM)],
        });
        let balance = balance_of(storage, &request.owner)?;
        self.finish_executed(
            storage,
            request,
            request.amount,
            gross,
            spread,
            paid,
            price,
            balance,
        )?;
        Ok(Ok(()))
    }

    fn try_mint(
        &mut self,
        storage: &mut dyn Storage,
        request: &Request,
    ) -> Result<Result<(), Failure>, ContractError> {
        let Ok(price) = self.price.clone() else {
            return Ok(Err(Failure::Retry(reason::ORACLE_UNHEALTHY)));
        };
        if self.status.mode == Mode::HaltCr {
            return Ok(Err(Failure::Retry(reason::HALTED)));
        }
        let gross = math::akt_to_act(request.amount, price)?;
        if gross < self.config.params.min_mint {
            return Ok(Err(Failure::Fatal(reason::BELOW_MIN_MINT)));
        }
        let spread = math::spread(gross, self.config.params.mint_spread_bps)?;
        let credited = gross.checked_sub(spread)?;
        if credited.is_zero() {
            return Ok(Err(Failure::Fatal(reason::ZERO_AFTER_ROUNDING)));
        }
        let v = &mut self.vault;
        v.pending_akt = v.pending_akt.checked_sub(request.amount)?;
        v.vault_akt = v.vault_akt.checked_add(request.amount)?;
        v.remint_credits = v.remint_credits.checked_add(request.amount)?;
        v.supply = v.supply.checked_add(credited)?;
        v.total_minted_act = v.total_minted_act.checked_add(credited)?;
        v.total_akt_in = v.total_akt_in.checked_add(request.amount)?;
        let balance = credit(storage, &request.owner, credited)?;
        self.finish_executed(
            storage,
            request,
            request.amount,
            gross,
            spread,
            credited,
            price,
            balance,
        )?;
        Ok(Ok(()))
    }

    /// Dequeues, records, emits `record_executed`, then recomputes the mode.
    #[allow(clippy::too_many_arguments)]
    fn finish_executed(
        &mut self,
        storage: &mut dyn Storage,
        request: &Request,
        burned: Uint128,
        minted: Uint128,
        spread: Uint128,
        paid: Uint128,
        price: Decimal256,
        balance: Uint128,
    ) -> Result<(), ContractError> {
        dequeue(storage, request)?;
        RECORDS.save(
            storage,
            request.id,
            &LedgerRecord {
                id: request.id,
                kind: request.kind,
                owner: request.owner.clone(),
                amount: request.amount,
                requested_at: request.height,
                finished_at: self.height,
                attempts: request.attempts,
                outcome: Outcome::Executed {
                    burned,
                    minted,
                    spread,
                    paid,
                    price,
                },
            },
        )?;
        let (burned_denom, minted_denom) = match request.kind {
            Kind::Mint => (AKT_DENOM, supercloud_std::ACT_DENOM),
            Kind::Burn => (supercloud_std::ACT_DENOM, AKT_DENOM),
        };
        // The ratio after this record, reported in the event and used by the next record.
        self.reevaluate_after_record(ev::RecordExecuted {
            id: request.id,
            kind: request.kind.as_str().to_string(),
            owner: request.owner.clone(),
            burned,
            burned_denom: burned_denom.to_string(),
            minted,
            minted_denom: minted_denom.to_string(),
            spread,
            paid,
            price,
            attempts: request.attempts,
            balance,
            supply: self.vault.supply,
            vault_akt: self.vault.vault_akt,
            remint_credits: self.vault.remint_credits,
            cr_bps: 0,
            height: self.height,
        })
    }

    fn reevaluate_after_record(
        &mut self,
        mut event: ev::RecordExecuted,
    ) -> Result<(), ContractError> {
        let (_, cr) = evaluate(&self.price, &self.vault, &self.config, self.status.cr_bps)?;
        event.cr_bps = cr;
        self.resp = std::mem::take(&mut self.resp).add_event(event.to_event());
        self.reevaluate()
    }

    /// Dequeues and refunds a request; records and emits `record_cancelled`.
    fn cancel(
        &mut self,
        storage: &mut dyn Storage,
        request: Request,
        why: &str,
    ) -> Result<(), ContractError> {
        dequeue(storage, &request)?;
        let (refund_denom, balance) = match request.kind {
            Kind::Mint => {
                self.vault.pending_akt = self.vault.pending_akt.checked_sub(request.amount)?;
                self.resp = std::mem::take(&mut self.resp).add_message(BankMsg::Send {
                    to_address: request.owner.to_string(),
                    amount: vec![Coin::new(request.amount, AKT_DENOM)],
                });
                (AKT_DENOM, balance_of(storage, &request.owner)?)
            }
            Kind::Burn => {
                self.vault.pending_act = self.vault.pending_act.checked_sub(request.amount)?;
                let balance = credit(storage, &request.owner, request.amount)?;
                (supercloud_std::ACT_DENOM, balance)
            }
        };
        RECORDS.save(
            storage,
            request.id,
            &LedgerRecord {
                id: request.id,
                kind: request.kind,
                owner: request.owner.clone(),
                amount: request.amount,
                requested_at: request.height,
                finished_at: self.height,
                attempts: request.attempts,
                outcome: Outcome::Cancelled {
                    reason: why.to_string(),
                    refund: request.amount,
                },
            },
        )?;
        self.resp = std::mem::take(&mut self.resp).add_event(
            ev::RecordCancelled {
                id: request.id,
                kind: request.kind.as_str().to_string(),
                owner: request.owner,
                reason: why.to_string(),
                refund: request.amount,
                refund_denom: refund_denom.to_string(),
                attempts: request.attempts,
                balance,
                supply: self.vault.supply,
                pending_akt: self.vault.pending_akt,
                pending_act: self.vault.pending_act,
                height: self.height,
            }
            .to_event(),
        );
        Ok(())
    }
}

fn dequeue(storage: &mut dyn Storage, request: &Request) -> Result<(), ContractError> {
    queue(request.kind).remove(storage, request.id);
    BY_OWNER.remove(storage, (&request.owner, request.id));
    Ok(())
}

/// Up to `n` queued requests of `kind` after `cursor`, in id order.
fn load_after(
    storage: &dyn Storage,
    kind: Kind,
    cursor: Option<u64>,
    n: u32,
) -> Result<Vec<Request>, ContractError> {
    let take = usize::try_from(n).unwrap_or(usize::MAX);
    queue(kind)
        .range(
            storage,
            cursor.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(take)
        .map(|item| item.map(|(_, r)| r).map_err(ContractError::from))
        .collect()
}
