//! Epoch settlement in capped batches.
//!
//! Epochs settle in order, each after its last height (`height > to`), by anyone. Each call
//! handles at most `limit` providers (default 10, max 30), reads the work of no more providers
//! than [`MAX_WORK_QUERIES_PER_CALL`] allows, and stores a cursor in [`Progress`]; the next call
//! continues where it stopped.
//!
//! - **Committed**: one pass over the approved providers. The oracle price is read once, at the
//!   first batch, and used for the whole epoch (an oracle outage makes that first call fail; the
//!   epoch waits, finalize still works after the grace). Each provider's rule gives
//!   `floor(usd × 10^decimals / price)`; the payout is that, capped by the value cap and by the
//!   pilot's remaining budget (the buffer included): earlier providers in address order are paid
//!   in full, the one that exhausts the budget gets the remainder, later ones zero. Unspent budget
//!   stays for later epochs.
//! - **Liquidity**: a measure pass (eligible GPU-seconds per provider, Σ basis) then a pay pass
//!   over the measured results: the rule gives `floor(allocation × basis / Σ basis)`, capped by
//!   the value cap. The epoch's allocation is `min(tokens_per_epoch, remaining)`; what it does not
//!   pay (no work, value caps, rounding dust) is returned to the return target when the epoch
//!   completes. The oracle price is recorded when the oracle has one, for the USD value of the
//!   payouts in events; without it the epoch settles all the same.
//!
//! The value cap and what it bounds are described at [`cap_payout`]. A provider's work counts
//! from the later of the epoch start and its approval height. Providers approved after the
//! measure pass passed their address are not in that epoch; providers removed after being
//! measured are still paid for it.

use cosmwasm_std::{Addr, BankMsg, Coin, Deps, DepsMut, Env, Order, Response, SubMsg, Uint256};
use cw_storage_plus::Bound;
use supercloud_events::{pip as ev, CatalogEvent};
use supercloud_std::page_limit;

use crate::error::ContractError;
use crate::execute::return_funds;
use crate::load::load_active;
use crate::measure::{
    cap_payout, measure, price, pro_rata, tokens_for_usd, usd_value, work_queries, Measurement,
};
use crate::msg::{
    Basis, Config, EpochResult, EpochSummary, Payout, Phase, Pilot, PilotKind, Progress,
    ReturnReason,
};
use crate::schedule::epoch_range;
use crate::state::{APPROVED, CONFIG, EPOCHS, PAYOUTS, PILOTS, PROGRESS, RESULTS};

struct Ctx<'a> {
    config: &'a Config,
    pilot: Pilot,
    epoch: u32,
    from: u64,
    to: u64,
    progress: Progress,
    res: Response,
}

impl Ctx<'_> {
    fn emit(&mut self, event: impl CatalogEvent) {
        self.res.events.push(event.to_event());
    }

    /// The `basis_measured` events of a provider's models with work.
    fn emit_models(&mut self, provider: &Addr, m: &Measurement) {
        for model in &m.models {
            self.emit(ev::BasisMeasured {
                pilot_id: self.pilot.id,
                epoch: self.epoch,
                provider: provider.clone(),
                gpu_model: model.gpu_model.clone(),
                gpu_seconds: model.gpu_seconds,
                gpu_blocks: model.gpu_blocks,
                usd: model.usd,
            });
        }
    }
}

/// Settles up to `limit` providers of `epoch` (which must be the pilot's next epoch).
pub fn settle_epoch(
    mut deps: DepsMut,
    env: &Env,
    pilot_id: u64,
    epoch: u32,
    limit: Option<u32>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let pilot = load_active(deps.storage, pilot_id)?;
    if epoch >= pilot.epochs {
        return Err(ContractError::NoSuchEpoch {
            pilot_id,
            epoch,
            epochs: pilot.epochs,
        });
    }
    if epoch != pilot.next_epoch {
        return Err(ContractError::WrongEpoch {
            pilot_id,
            requested: epoch,
            next: pilot.next_epoch,
        });
    }
    let (from, to) = epoch_range(pilot.start, pilot.end, pilot.epoch_length, epoch)?;
    if env.block.height <= to {
        return Err(ContractError::EpochNotOver {
            ends_at: to,
            settle_from: to.saturating_add(1),
        });
    }
    let progress = match PROGRESS.may_load(deps.storage, pilot_id)? {
        Some(p) => p,
        None => begin(deps.as_ref(), &config, &pilot, epoch)?,
    };
    let mut ctx = Ctx {
        config: &config,
        pilot,
        epoch,
        from,
        to,
        progress,
        res: Response::new(),
    };
    let committed = matches!(ctx.pilot.kind, PilotKind::Committed { .. });
    let mut left = page_limit(limit);
    let mut measurable = measurable_providers(&config, &ctx.pilot);
    let mut complete = false;
    while left > 0 && !complete {
        let measuring = ctx.progress.phase == Phase::Measure;
        // Committed pays measure too; a liquidity pay pass reads only stored results.
        let reads_work = measuring || committed;
        let n = if reads_work {
            left.min(measurable)
        } else {
            left
        };
        if n == 0 {
            break;
        }
        let (handled, finished) = if measuring {
            measure_batch(&mut deps, &mut ctx, n)?
        } else {
            pay_batch(&mut deps, &mut ctx, n)?
        };
        left = left.saturating_sub(handled);
        if reads_work {
            measurable = measurable.saturating_sub(handled);
        }
        if !finished {
            break;
        }
        if measuring {
            ctx.progress.phase = Phase::Pay;
            ctx.progress.cursor = None;
        } else {
            complete = true;
        }
    }
    if complete {
        finish(&mut deps, env, &mut ctx)?;
    } else {
        PROGRESS.save(deps.storage, pilot_id, &ctx.progress)?;
    }
    PILOTS.save(deps.storage, pilot_id, &ctx.pilot)?;
    Ok(ctx.res.add_attribute("complete", complete.to_string()))
}

/// Most cross-contract work queries (see [`work_queries`]) one `settle_epoch` call makes.
///
/// Each query loads another contract instance (60,000 SDK gas on wasmd before any work), so a
/// call's gas grows with providers × GPU models × sources, not with providers alone: with 8
/// models and both sources a provider costs about 1.1M gas to measure, and the page limit alone
/// (10 providers by default, 30 at most) asked for 10.8M and 32M. At 64 queries every call stays
/// near 4.5M estimated chain gas whatever the pilot's models and sources (gas-bench
/// `pip.settle_*` rows): a pilot with 8 models and both sources measures 4 providers per call,
/// one with a single model the full page of 30. A liquidity pay pass makes no queries.
pub const MAX_WORK_QUERIES_PER_CALL: u32 = 64;

/// How many providers one call may measure under [`MAX_WORK_QUERIES_PER_CALL`] (at least one,
/// so that every call makes progress).
pub fn measurable_providers(config: &Config, pilot: &Pilot) -> usize {
    let per_provider = work_queries(config, pilot).max(1);
    // Both bounds are small (at most 64); the cast cannot truncate.
    (MAX_WORK_QUERIES_PER_CALL / per_provider).max(1) as usize
}

/// The progress record of an epoch's first call: the price, and the allocation (liquidity).
fn begin(
    deps: Deps,
    config: &Config,
    pilot: &Pilot,
    epoch: u32,
) -> Result<Progress, ContractError> {
    let (phase, price, allocation) = match &pilot.kind {
        PilotKind::Committed { .. } => (Phase::Pay, Some(price(deps, config)?), None),
        // The price only values the payouts in events; an oracle outage must not hold them.
        PilotKind::Liquidity {
            tokens_per_epoch, ..
        } => (
            Phase::Measure,
            price(deps, config).ok(),
            Some((*tokens_per_epoch).min(pilot.remaining()?)),
        ),
    };
    Ok(Progress {
        epoch,
        phase,
        cursor: None,
        price,
        allocation,
        total_basis: Default::default(),
        paid: Uint256::zero(),
        providers: 0,
    })
}

/// Up to `n` approved providers after the cursor, and whether that reached the end.
fn approved_page(
    deps: &DepsMut,
    pilot_id: u64,
    cursor: Option<&Addr>,
    n: usize,
) -> Result<(Vec<(Addr, u64)>, bool), ContractError> {
    let start = cursor.map(Bound::exclusive);
    let mut page = Vec::new();
    let items = APPROVED
        .prefix(pilot_id)
        .range(deps.storage, start, None, Order::Ascending);
    // One past the page tells whether the page reached the end.
    for item in items.take(n.saturating_add(1)) {
        page.push(item?);
    }
    let finished = page.len() <= n;
    page.truncate(n);
    Ok((page, finished))
}

/// Measures a provider approved at `approved_at` over its counted range, emitting the basis per
/// model, and gives the (unpaid) result.
fn measure_provider(
    deps: &DepsMut,
    ctx: &mut Ctx,
    provider: &Addr,
    approved_at: u64,
) -> Result<EpochResult, ContractError> {
    let from = ctx.from.max(approved_at);
    let m = measure(
        deps.as_ref(),
        ctx.config,
        &ctx.pilot,
        provider,
        from,
        ctx.to,
    )?;
    ctx.emit_models(provider, &m);
    Ok(EpochResult {
        from_height: from,
        to_height: ctx.to,
        gpu_seconds: m.gpu_seconds,
        gpu_blocks: m.gpu_blocks,
        value: m.value,
        usd: m.usd,
        qualified: m.qualified,
        amount: Uint256::zero(),
        capped: false,
        paid: false,
    })
}

/// Liquidity, first pass: measure and store each provider's basis.
fn measure_batch(
    deps: &mut DepsMut,
    ctx: &mut Ctx,
    n: usize,
) -> Result<(usize, bool), ContractError> {
    let (page, finished) = approved_page(deps, ctx.pilot.id, ctx.progress.cursor.as_ref(), n)?;
    for (provider, approved_at) in &page {
        let result = measure_provider(deps, ctx, provider, *approved_at)?;
        let basis = if result.qualified {
            result.gpu_seconds
        } else {
            Default::default()
        };
        ctx.progress.total_basis = ctx.progress.total_basis.checked_add(basis)?;
        ctx.progress.providers = ctx.progress.providers.saturating_add(1);
        RESULTS.save(deps.storage, (ctx.pilot.id, ctx.epoch, provider), &result)?;
        ctx.emit(ev::ProviderMeasured {
            pilot_id: ctx.pilot.id,
            epoch: ctx.epoch,
            provider: provider.clone(),
            from_height: result.from_height,
            to_height: ctx.to,
            basis: Basis::GpuSeconds,
            basis_amount: basis,
            gpu_blocks: result.gpu_blocks,
            qualified: result.qualified,
        });
        ctx.progress.cursor = Some(provider.clone());
    }
    Ok((page.len(), finished))
}

/// Pay pass: committed measures and pays approved providers; liquidity pays measured results.
fn pay_batch(deps: &mut DepsMut, ctx: &mut Ctx, n: usize) -> Result<(usize, bool), ContractError> {
    let pilot_id = ctx.pilot.id;
    let committed = matches!(ctx.pilot.kind, PilotKind::Committed { .. });
    let (todo, finished) = if committed {
        let (page, finished) = approved_page(deps, pilot_id, ctx.progress.cursor.as_ref(), n)?;
        let mut todo = Vec::with_capacity(page.len());
        for (provider, approved_at) in page {
            let result = measure_provider(deps, ctx, &provider, approved_at)?;
            todo.push((provider, result));
        }
        (todo, finished)
    } else {
        let start = ctx.progress.cursor.as_ref().map(Bound::exclusive);
        let mut page = Vec::new();
        let items = RESULTS.prefix((pilot_id, ctx.epoch)).range(
            deps.storage,
            start,
            None,
            Order::Ascending,
        );
        for item in items.take(n.saturating_add(1)) {
            page.push(item?);
        }
        let finished = page.len() <= n;
        page.truncate(n);
        (page, finished)
    };
    let handled = todo.len();
    let decimals = ctx.pilot.kind.decimals();
    let price = ctx.progress.price;
    for (provider, mut result) in todo {
        let remaining = ctx.pilot.remaining()?;
        let (due, available) = match (committed, ctx.progress.allocation) {
            (true, _) => {
                let due = match (result.qualified, result.usd, price) {
                    (true, Some(usd), Some(price)) => tokens_for_usd(usd, price, decimals)?,
                    _ => Uint256::zero(),
                };
                (due, remaining)
            }
            (false, allocation) => {
                let allocation = allocation.unwrap_or_default();
                let basis = if result.qualified {
                    result.gpu_seconds
                } else {
                    Default::default()
                };
                let due = pro_rata(allocation, basis, ctx.progress.total_basis)?;
                let unpaid = allocation.checked_sub(ctx.progress.paid)?;
                (due, unpaid.min(remaining))
            }
        };
        let cap = cap_payout(due, result.value, ctx.pilot.max_payout_multiple, available)?;
        let amount = cap.amount;
        result.amount = amount;
        result.capped = cap.capped;
        result.paid = true;
        if committed {
            ctx.progress.providers = ctx.progress.providers.saturating_add(1);
        }
        if !amount.is_zero() {
            ctx.pilot.paid = ctx.pilot.paid.checked_add(amount)?;
            ctx.progress.paid = ctx.progress.paid.checked_add(amount)?;
            PAYOUTS.save(
                deps.storage,
                (&provider, pilot_id, ctx.epoch),
                &Payout {
                    amount,
                    denom: ctx.pilot.denom.clone(),
                    gpu_seconds: result.gpu_seconds,
                },
            )?;
            ctx.res.messages.push(SubMsg::new(BankMsg::Send {
                to_address: provider.to_string(),
                amount: vec![Coin::new(amount, ctx.pilot.denom.clone())],
            }));
        }
        RESULTS.save(deps.storage, (pilot_id, ctx.epoch, &provider), &result)?;
        ctx.emit(ev::EpochSettled {
            pilot_id,
            epoch: ctx.epoch,
            provider: provider.clone(),
            amount,
            denom: ctx.pilot.denom.clone(),
            basis: if committed {
                Basis::Usd
            } else {
                Basis::GpuSeconds
            },
            basis_amount: result.gpu_seconds,
            usd: result.usd,
            price,
            value: result.value,
            qualified: result.qualified,
            capped: result.capped,
            remaining: ctx.pilot.remaining()?,
            due,
            value_cap: cap.value_cap,
            max_payout_multiple: ctx.pilot.max_payout_multiple,
            // Informational: a value too large for a decimal leaves it out rather than
            // blocking the payout.
            amount_usd: price.and_then(|p| usd_value(amount, p, decimals).ok()),
        });
        ctx.progress.cursor = Some(provider);
    }
    Ok((handled, finished))
}

/// Completes the epoch: returns a liquidity epoch's unspent allocation, stores the summary and
/// moves to the next epoch.
fn finish(deps: &mut DepsMut, env: &Env, ctx: &mut Ctx) -> Result<(), ContractError> {
    let mut returned = Uint256::zero();
    if let Some(allocation) = ctx.progress.allocation {
        let unspent = allocation
            .checked_sub(ctx.progress.paid)?
            .min(ctx.pilot.remaining()?);
        if !unspent.is_zero() {
            let (msg, event) = return_funds(
                env,
                ctx.config,
                &mut ctx.pilot,
                unspent,
                ReturnReason::EpochUnspent,
            )?;
            ctx.res.messages.push(SubMsg::new(msg));
            ctx.emit(event);
            returned = unspent;
        }
    }
    let p = &ctx.progress;
    let summary = EpochSummary {
        from_height: ctx.from,
        to_height: ctx.to,
        price: p.price,
        allocation: p.allocation,
        total_basis: p.total_basis,
        providers: p.providers,
        paid: p.paid,
        returned,
        settled_at: env.block.height,
    };
    EPOCHS.save(deps.storage, (ctx.pilot.id, ctx.epoch), &summary)?;
    PROGRESS.remove(deps.storage, ctx.pilot.id);
    ctx.pilot.next_epoch = ctx
        .pilot
        .next_epoch
        .checked_add(1)
        .ok_or(ContractError::OutOfRange { what: "epoch" })?;
    let event = ev::EpochCompleted {
        pilot_id: ctx.pilot.id,
        epoch: ctx.epoch,
        from_height: ctx.from,
        to_height: ctx.to,
        providers: summary.providers,
        total_basis: summary.total_basis,
        allocation: summary.allocation,
        paid: summary.paid,
        returned,
        remaining: ctx.pilot.remaining()?,
        price: summary.price,
    };
    ctx.emit(event);
    Ok(())
}
