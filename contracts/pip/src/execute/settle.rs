//! Epoch settlement in capped batches.
//!
//! Epochs settle in order, each after its last height (`height > to`), by anyone. Each call
//! handles at most `limit` providers (default 10, max 30) and stores a cursor in [`Progress`];
//! the next call continues where it stopped.
//!
//! - **Committed**: one pass over the approved providers. The oracle price is read once, at the
//!   first batch, and used for the whole epoch (an oracle outage makes that first call fail; the
//!   epoch waits, finalize still works after the grace). Each provider gets
//!   `floor(usd × 10^decimals / price)`, cut to the pilot's remaining budget (the buffer
//!   included): earlier providers in address order are paid in full, the one that exhausts the
//!   budget gets the remainder, later ones zero. Unspent budget stays for later epochs.
//! - **Liquidity**: a measure pass (eligible GPU-seconds per provider, Σ basis) then a pay pass
//!   over the measured results, `floor(allocation × basis / Σ basis)`. The epoch's allocation is
//!   `min(tokens_per_epoch, remaining)`; what it does not pay (no work, rounding dust) is returned
//!   to the return target when the epoch completes.
//!
//! A provider's work counts from the later of the epoch start and its approval height. Providers
//! approved after the measure pass passed their address are not in that epoch; providers removed
//! after being measured are still paid for it.

use cosmwasm_std::{Addr, BankMsg, Coin, Deps, DepsMut, Env, Order, Response, Uint256};
use cw_storage_plus::Bound;
use supercloud_events::{pip as ev, CatalogEvent};
use supercloud_std::page_limit;

use crate::error::ContractError;
use crate::execute::{load_active, return_funds};
use crate::measure::{measure, pro_rata, tokens_for_usd, Measurement};
use crate::schedule::epoch_range;
use crate::state::{
    Config, EpochResult, EpochSummary, Payout, Phase, Pilot, PilotKind, Progress, APPROVED, CONFIG,
    EPOCHS, PAYOUTS, PILOTS, PROGRESS, RESULTS,
};

/// Basis names in events.
const BASIS_GPU_SECONDS: &str = "gpu_seconds";
const BASIS_USD: &str = "usd";

struct Ctx<'a> {
    config: &'a Config,
    pilot: Pilot,
    epoch: u32,
    from: u64,
    to: u64,
    progress: Progress,
    res: Response,
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
    let mut left = page_limit(limit);
    let mut complete = false;
    while left > 0 && !complete {
        let (handled, finished) = match ctx.progress.phase {
            Phase::Measure => measure_batch(&mut deps, &mut ctx, left)?,
            Phase::Pay => pay_batch(&mut deps, &mut ctx, left)?,
        };
        left = left.saturating_sub(handled);
        match (ctx.progress.phase.clone(), finished) {
            (Phase::Measure, true) => {
                ctx.progress.phase = Phase::Pay;
                ctx.progress.cursor = None;
            }
            (Phase::Pay, true) => complete = true,
            (_, false) => break,
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

/// The progress record of an epoch's first call: the price (committed) or allocation (liquidity).
fn begin(
    deps: Deps,
    config: &Config,
    pilot: &Pilot,
    epoch: u32,
) -> Result<Progress, ContractError> {
    let (phase, price, allocation) = match &pilot.kind {
        PilotKind::Committed { .. } => {
            (Phase::Pay, Some(crate::measure::price(deps, config)?), None)
        }
        PilotKind::Liquidity { tokens_per_epoch } => (
            Phase::Measure,
            None,
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
    let mut page = APPROVED
        .prefix(pilot_id)
        .range(deps.storage, start, None, Order::Ascending)
        .take(n.saturating_add(1))
        .collect::<Result<Vec<_>, _>>()?;
    let finished = page.len() <= n;
    page.truncate(n);
    Ok((page, finished))
}

/// The counted range of a provider approved at `approved_at`.
fn counted_from(ctx: &Ctx, approved_at: u64) -> u64 {
    ctx.from.max(approved_at)
}

/// Liquidity, first pass: measure and store each provider's basis.
fn measure_batch(
    deps: &mut DepsMut,
    ctx: &mut Ctx,
    n: usize,
) -> Result<(usize, bool), ContractError> {
    let (page, finished) = approved_page(deps, ctx.pilot.id, ctx.progress.cursor.as_ref(), n)?;
    for (provider, approved_at) in &page {
        let from = counted_from(ctx, *approved_at);
        let m = measure(
            deps.as_ref(),
            ctx.config,
            &ctx.pilot,
            provider,
            from,
            ctx.to,
        )?;
        ctx.progress.total_basis = ctx.progress.total_basis.checked_add(m.basis())?;
        ctx.progress.providers = ctx.progress.providers.saturating_add(1);
        let result = result_of(&m, from, ctx.to);
        RESULTS.save(deps.storage, (ctx.pilot.id, ctx.epoch, provider), &result)?;
        ctx.res = std::mem::take(&mut ctx.res).add_event(
            ev::ProviderMeasured {
                pilot_id: ctx.pilot.id,
                epoch: ctx.epoch,
                provider: provider.clone(),
                from_height: from,
                to_height: ctx.to,
                basis: BASIS_GPU_SECONDS.into(),
                basis_amount: m.basis(),
                gpu_blocks: m.gpu_blocks,
                qualified: m.qualified,
            }
            .to_event(),
        );
        ctx.progress.cursor = Some(provider.clone());
    }
    Ok((page.len(), finished))
}

fn result_of(m: &Measurement, from: u64, to: u64) -> EpochResult {
    EpochResult {
        from_height: from,
        to_height: to,
        gpu_seconds: m.gpu_seconds,
        gpu_blocks: m.gpu_blocks,
        value: m.value,
        usd: m.usd,
        qualified: m.qualified,
        amount: Uint256::zero(),
        capped: false,
        paid: false,
    }
}

/// Pay pass: committed measures and pays approved providers; liquidity pays measured results.
fn pay_batch(deps: &mut DepsMut, ctx: &mut Ctx, n: usize) -> Result<(usize, bool), ContractError> {
    let pilot_id = ctx.pilot.id;
    let (todo, finished): (Vec<(Addr, EpochResult)>, bool) = match &ctx.pilot.kind {
        PilotKind::Committed { .. } => {
            let (page, finished) = approved_page(deps, pilot_id, ctx.progress.cursor.as_ref(), n)?;
            let mut todo = Vec::with_capacity(page.len());
            for (provider, approved_at) in page {
                let from = counted_from(ctx, approved_at);
                let m = measure(
                    deps.as_ref(),
                    ctx.config,
                    &ctx.pilot,
                    &provider,
                    from,
                    ctx.to,
                )?;
                todo.push((provider, result_of(&m, from, ctx.to)));
            }
            (todo, finished)
        }
        PilotKind::Liquidity { .. } => {
            let start = ctx.progress.cursor.as_ref().map(Bound::exclusive);
            let mut page = RESULTS
                .prefix((pilot_id, ctx.epoch))
                .range(deps.storage, start, None, Order::Ascending)
                .take(n.saturating_add(1))
                .collect::<Result<Vec<_>, _>>()?;
            let finished = page.len() <= n;
            page.truncate(n);
            (page, finished)
        }
    };
    let handled = todo.len();
    for (provider, mut result) in todo {
        let (due, cap) = match &ctx.pilot.kind {
            PilotKind::Committed { decimals, .. } => {
                let due = match (result.qualified, result.usd, ctx.progress.price) {
                    (true, Some(usd), Some(price)) => tokens_for_usd(usd, price, *decimals)?,
                    _ => Uint256::zero(),
                };
                (due, ctx.pilot.remaining()?)
            }
            PilotKind::Liquidity { .. } => {
                let allocation = ctx.progress.allocation.unwrap_or_default();
                let basis = if result.qualified {
                    result.gpu_seconds
                } else {
                    Default::default()
                };
                let due = pro_rata(allocation, basis, ctx.progress.total_basis)?;
                let unpaid = allocation.checked_sub(ctx.progress.paid)?;
                (due, unpaid.min(ctx.pilot.remaining()?))
            }
        };
        let amount = due.min(cap);
        result.amount = amount;
        result.capped = amount < due;
        result.paid = true;
        if matches!(ctx.pilot.kind, PilotKind::Committed { .. }) {
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
            ctx.res = std::mem::take(&mut ctx.res).add_message(BankMsg::Send {
                to_address: provider.to_string(),
                amount: vec![Coin::new(amount, ctx.pilot.denom.clone())],
            });
        }
        RESULTS.save(deps.storage, (pilot_id, ctx.epoch, &provider), &result)?;
        let committed = matches!(ctx.pilot.kind, PilotKind::Committed { .. });
        ctx.res = std::mem::take(&mut ctx.res).add_event(
            ev::EpochSettled {
                pilot_id,
                epoch: ctx.epoch,
                provider: provider.clone(),
                amount,
                denom: ctx.pilot.denom.clone(),
                basis: if committed {
                    BASIS_USD
                } else {
                    BASIS_GPU_SECONDS
                }
                .into(),
                basis_amount: result.gpu_seconds,
                usd: result.usd,
                price: ctx.progress.price,
                value: result.value,
                qualified: result.qualified,
                capped: result.capped,
                remaining: ctx.pilot.remaining()?,
            }
            .to_event(),
        );
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
            let (msg, event) =
                return_funds(env, ctx.config, &mut ctx.pilot, unspent, "epoch_unspent")?;
            ctx.res = std::mem::take(&mut ctx.res)
                .add_message(msg)
                .add_event(event.to_event());
            returned = unspent;
        }
    }
    let summary = EpochSummary {
        from_height: ctx.from,
        to_height: ctx.to,
        price: ctx.progress.price,
        allocation: ctx.progress.allocation,
        total_basis: ctx.progress.total_basis,
        providers: ctx.progress.providers,
        paid: ctx.progress.paid,
        returned,
        settled_at: env.block.height,
    };
    EPOCHS.save(deps.storage, (ctx.pilot.id, ctx.epoch), &summary)?;
    PROGRESS.remove(deps.storage, ctx.pilot.id);
    ctx.pilot.next_epoch = ctx
        .pilot
        .next_epoch
        .checked_add(1)
        .ok_or_else(|| ContractError::Overflow("epoch".into()))?;
    ctx.res = std::mem::take(&mut ctx.res).add_event(
        ev::EpochCompleted {
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
        }
        .to_event(),
    );
    Ok(())
}
