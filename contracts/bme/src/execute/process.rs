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
//!
//! **How long a request waits** (FIX issue 23: 500 dust burns from one address delayed an honest
//! burn by 110 blocks). Write `R = max_records_per_epoch`, `A = max_attempts`,
//! `P = max_pending_per_owner`. Take a request `h` and let `N` be the requests of its kind queued
//! ahead of it (lower ids) when it is submitted; later submissions get higher ids and never go
//! ahead of it. Every epoch that starts after the submission starts at the head of the queue and,
//! until it reaches `h`, handles exactly `R` records, all of them ahead of `h` (it closes early
//! only when nothing is left after its cursor, and `h` is). A request ahead is handled at most
//! `A` times, in distinct epochs, before it leaves the queue (executed, or cancelled at latest on
//! its `A`-th retriable failure). So at most `floor(N·A / R)` such epochs pass without reaching
//! `h`: it is handled (executed, retried or cancelled) in one of the first `floor(N·A / R) + 1`
//! epochs of its queue that start after its submission. One `process` call at the default limit
//! runs a whole due epoch; smaller limits split an epoch over several calls, never enlarge it.
//! Submissions refuse a sender with `P` requests queued, so `N ≤ P·k` for `k` distinct owners
//! with requests ahead: each address adds at most `P` records, `P/R` epochs (`P·A/R` if all its
//! requests fail retriably). Requests queued before the cap existed, or before the authority
//! lowered it, count with their real number. What one call walks stays `R` records per queue.

use cosmwasm_std::Uint64;
use cosmwasm_std::{BankMsg, Coin, Decimal, DepsMut, Env, Order, Response, Storage, Uint128};
use cw_storage_plus::Bound;
use supercloud_events::{bme as ev, CatalogEvent};
use supercloud_std::Paused;

use crate::breaker::{evaluate, oracle_price};
use crate::error::ContractError;
use crate::ledger::{balance_of, credit};
use crate::math;
use crate::msg::{
    CancelReason, Denom, LedgerRecord, Mode, Outcome, Request, RequestKind, RetryReason, Vault,
};
use crate::state::{queue, Config, Status, BY_OWNER, CONFIG, RECORDS, STATUS, VAULT};

enum Step {
    Executed,
    Retried,
    Cancelled,
}

enum Failure {
    /// Cancel now.
    Fatal(CancelReason),
    /// Count an attempt; cancel at `max_attempts`.
    Retry(RetryReason),
}

/// What an executed record moved, for its ledger record and event.
struct Executed {
    burned: Uint128,
    minted: Uint128,
    spread: Uint128,
    paid: Uint128,
    price: Decimal,
    /// The owner's ACT balance after.
    balance: Uint128,
}

/// One `process` call: the state it reads once, updates in memory and saves at the end, and the
/// response it builds.
struct Run {
    config: Config,
    vault: Vault,
    status: Status,
    price: Result<Decimal, String>,
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
    run.reevaluate();
    let burn = run.height >= run.status.next_burn_epoch;
    if burn {
        run.epoch(deps.storage, RequestKind::Burn, cap)?;
    }
    let mint = run.height >= run.status.next_mint_epoch;
    if mint {
        run.epoch(deps.storage, RequestKind::Mint, cap)?;
    }
    run.status.height = run.height;
    VAULT.save(deps.storage, &run.vault)?;
    STATUS.save(deps.storage, &run.status)?;
    let epochs = match (burn, mint) {
        (true, true) => "burn,mint",
        (true, false) => "burn",
        (false, true) => "mint",
        (false, false) => "",
    };
    Ok(run
        .resp
        .add_attribute("action", "process")
        .add_attribute("epochs", epochs))
}

impl Run {
    fn emit(&mut self, event: impl CatalogEvent) {
        self.resp = std::mem::take(&mut self.resp).add_event(event.to_event());
    }

    /// CR and mode of the current vault at this call's price.
    fn breaker(&self) -> (Mode, u32) {
        evaluate(
            &self.price,
            &self.vault,
            &self.config.params,
            self.status.cr_bps,
        )
    }

    /// Recomputes CR and mode from the current vault; emits `mode_changed` on a change.
    fn reevaluate(&mut self) {
        let (mode, cr) = self.breaker();
        let price = self.price.as_ref().ok().copied();
        if mode != self.status.mode {
            self.emit(ev::ModeChanged {
                from: self.status.mode,
                to: mode,
                cr_bps: cr,
                price,
                height: self.height,
            });
        }
        self.status.mode = mode;
        self.status.cr_bps = cr;
        self.status.price = price;
    }

    /// The open epoch's progress of `kind`: last id handled and records handled.
    fn progress(&mut self, kind: RequestKind) -> (&mut Option<u64>, &mut u32) {
        let s = &mut self.status;
        match kind {
            RequestKind::Burn => (&mut s.burn_cursor, &mut s.burn_done),
            RequestKind::Mint => (&mut s.mint_cursor, &mut s.mint_done),
        }
    }

    fn epoch(
        &mut self,
        storage: &mut dyn Storage,
        kind: RequestKind,
        cap: u32,
    ) -> Result<(), ContractError> {
        let max = self.config.params.max_records_per_epoch;
        let (cursor, done) = self.progress(kind);
        let (mut cursor, mut done) = (*cursor, *done);
        let budget = cap.min(max.saturating_sub(done));
        let batch = load_after(storage, kind, cursor, budget)?;
        let (mut executed, mut retried, mut cancelled) = (0u32, 0u32, 0u32);
        for request in batch {
            cursor = Some(request.id);
            done = done.saturating_add(1);
            let count = match self.step(storage, request)? {
                Step::Executed => &mut executed,
                Step::Retried => &mut retried,
                Step::Cancelled => &mut cancelled,
            };
            *count = count.saturating_add(1);
        }
        let more = !load_after(storage, kind, cursor, 1)?.is_empty();
        let open = more && done < max;
        let progress = self.progress(kind);
        (*progress.0, *progress.1) = if open { (cursor, done) } else { (None, 0) };
        if open {
            return Ok(());
        }
        let length = match kind {
            RequestKind::Burn => self.config.params.min_epoch_blocks,
            RequestKind::Mint => {
                math::mint_epoch_blocks(self.status.mode, self.status.cr_bps, &self.config.params)
            }
        };
        let next_epoch = Uint64::new(self.height)
            .checked_add(Uint64::new(length))?
            .u64();
        match kind {
            RequestKind::Burn => self.status.next_burn_epoch = next_epoch,
            RequestKind::Mint => self.status.next_mint_epoch = next_epoch,
        }
        self.emit(ev::EpochClosed {
            kind,
            height: self.height,
            executed,
            retried,
            cancelled,
            next_epoch,
        });
        Ok(())
    }

    fn step(&mut self, storage: &mut dyn Storage, request: Request) -> Result<Step, ContractError> {
        let attempt = match request.kind {
            RequestKind::Burn => self.try_burn(storage, &request)?,
            RequestKind::Mint => self.try_mint(storage, &request)?,
        };
        let executed = match attempt {
            Ok(executed) => executed,
            Err(Failure::Fatal(why)) => {
                self.cancel(storage, request, why)?;
                return Ok(Step::Cancelled);
            }
            Err(Failure::Retry(why)) => return self.retry(storage, request, why),
        };
        self.finish_executed(storage, &request, executed)?;
        Ok(Step::Executed)
    }

    /// Counts a failed attempt; the one that reaches `max_attempts` cancels with its reason.
    fn retry(
        &mut self,
        storage: &mut dyn Storage,
        mut request: Request,
        why: RetryReason,
    ) -> Result<Step, ContractError> {
        request.attempts = request.attempts.saturating_add(1);
        if request.attempts >= self.config.params.max_attempts {
            self.cancel(storage, request, why.into())?;
            return Ok(Step::Cancelled);
        }
        request.last_error = Some(why);
        queue(request.kind).save(storage, request.id, &request)?;
        self.emit(ev::RecordRetried {
            id: request.id,
            kind: request.kind,
            owner: request.owner,
            attempts: request.attempts,
            reason: why,
            height: self.height,
        });
        Ok(Step::Retried)
    }

    fn try_burn(
        &mut self,
        storage: &dyn Storage,
        request: &Request,
    ) -> Result<Result<Executed, Failure>, ContractError> {
        let Ok(price) = self.price.clone() else {
            return Ok(Err(Failure::Retry(RetryReason::OracleUnhealthy)));
        };
        let gross = math::act_to_akt(request.amount, price)?;
        let spread = math::spread(gross, self.config.params.settle_spread_bps)?;
        let paid = gross.checked_sub(spread)?;
        if paid.is_zero() {
            return Ok(Err(Failure::Fatal(CancelReason::ZeroAfterRounding)));
        }
        if self.vault.vault_akt < paid {
            return Ok(Err(Failure::Retry(RetryReason::VaultInsufficient)));
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
            amount: vec![Coin::new(paid, Denom::Uakt.as_str())],
        });
        Ok(Ok(Executed {
            burned: request.amount,
            minted: gross,
            spread,
            paid,
            price,
            balance: balance_of(storage, &request.owner)?,
        }))
    }

    fn try_mint(
        &mut self,
        storage: &mut dyn Storage,
        request: &Request,
    ) -> Result<Result<Executed, Failure>, ContractError> {
        let Ok(price) = self.price.clone() else {
            return Ok(Err(Failure::Retry(RetryReason::OracleUnhealthy)));
        };
        if self.status.mode == Mode::HaltCr {
            return Ok(Err(Failure::Retry(RetryReason::Halted)));
        }
        let gross = math::akt_to_act(request.amount, price)?;
        if gross < self.config.params.min_mint {
            return Ok(Err(Failure::Fatal(CancelReason::BelowMinMint)));
        }
        let spread = math::spread(gross, self.config.params.mint_spread_bps)?;
        let credited = gross.checked_sub(spread)?;
        if credited.is_zero() {
            return Ok(Err(Failure::Fatal(CancelReason::ZeroAfterRounding)));
        }
        let v = &mut self.vault;
        v.pending_akt = v.pending_akt.checked_sub(request.amount)?;
        v.vault_akt = v.vault_akt.checked_add(request.amount)?;
        v.remint_credits = v.remint_credits.checked_add(request.amount)?;
        v.supply = v.supply.checked_add(credited)?;
        v.total_minted_act = v.total_minted_act.checked_add(credited)?;
        v.total_akt_in = v.total_akt_in.checked_add(request.amount)?;
        Ok(Ok(Executed {
            burned: request.amount,
            minted: gross,
            spread,
            paid: credited,
            price,
            balance: credit(storage, &request.owner, credited)?,
        }))
    }

    /// Dequeues and records an executed request, emits `record_executed` with the CR after it,
    /// then recomputes the mode (FIX: after every record, not once per epoch).
    fn finish_executed(
        &mut self,
        storage: &mut dyn Storage,
        request: &Request,
        x: Executed,
    ) -> Result<(), ContractError> {
        let outcome = Outcome::Executed {
            burned: x.burned,
            minted: x.minted,
            spread: x.spread,
            paid: x.paid,
            price: x.price,
        };
        self.record(storage, request, outcome)?;
        let (burned_denom, minted_denom) = match request.kind {
            RequestKind::Mint => (Denom::Uakt, Denom::Uact),
            RequestKind::Burn => (Denom::Uact, Denom::Uakt),
        };
        let (_, cr_bps) = self.breaker();
        let v = &self.vault;
        let event = ev::RecordExecuted {
            id: request.id,
            kind: request.kind,
            owner: request.owner.clone(),
            burned: x.burned,
            burned_denom,
            minted: x.minted,
            minted_denom,
            spread: x.spread,
            paid: x.paid,
            price: x.price,
            attempts: request.attempts,
            balance: x.balance,
            supply: v.supply,
            vault_akt: v.vault_akt,
            remint_credits: v.remint_credits,
            pending_akt: v.pending_akt,
            pending_act: v.pending_act,
            cr_bps,
            height: self.height,
        };
        self.emit(event);
        self.reevaluate();
        Ok(())
    }

    /// Dequeues and refunds a request; records and emits `record_cancelled`.
    fn cancel(
        &mut self,
        storage: &mut dyn Storage,
        request: Request,
        why: CancelReason,
    ) -> Result<(), ContractError> {
        let (refund_denom, balance) = match request.kind {
            RequestKind::Mint => {
                self.vault.pending_akt = self.vault.pending_akt.checked_sub(request.amount)?;
                self.resp = std::mem::take(&mut self.resp).add_message(BankMsg::Send {
                    to_address: request.owner.to_string(),
                    amount: vec![Coin::new(request.amount, Denom::Uakt.as_str())],
                });
                (Denom::Uakt, balance_of(storage, &request.owner)?)
            }
            RequestKind::Burn => {
                self.vault.pending_act = self.vault.pending_act.checked_sub(request.amount)?;
                let balance = credit(storage, &request.owner, request.amount)?;
                (Denom::Uact, balance)
            }
        };
        let outcome = Outcome::Cancelled {
            reason: why,
            refund: request.amount,
        };
        self.record(storage, &request, outcome)?;
        // A refund moves neither the vault's AKT nor the supply: the CR is the one in force.
        let (_, cr_bps) = self.breaker();
        let v = &self.vault;
        let event = ev::RecordCancelled {
            id: request.id,
            kind: request.kind,
            owner: request.owner,
            reason: why,
            refund: request.amount,
            refund_denom,
            attempts: request.attempts,
            balance,
            supply: v.supply,
            pending_akt: v.pending_akt,
            pending_act: v.pending_act,
            cr_bps,
            height: self.height,
        };
        self.emit(event);
        Ok(())
    }

    /// Moves a request from its queue to the ledger records.
    fn record(
        &self,
        storage: &mut dyn Storage,
        request: &Request,
        outcome: Outcome,
    ) -> Result<(), ContractError> {
        queue(request.kind).remove(storage, request.id);
        BY_OWNER.remove(storage, (&request.owner, request.id));
        let record = LedgerRecord {
            id: request.id,
            kind: request.kind,
            owner: request.owner.clone(),
            amount: request.amount,
            requested_at: request.height,
            finished_at: self.height,
            attempts: request.attempts,
            outcome,
        };
        RECORDS.save(storage, request.id, &record)?;
        Ok(())
    }
}

/// Up to `n` queued requests of `kind` after `cursor`, in id order.
fn load_after(
    storage: &dyn Storage,
    kind: RequestKind,
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
