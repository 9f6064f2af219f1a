//! The keeper bot: the permissionless calls nothing else makes (CosmWasm has no end blocker).
//! It runs bme `process` when an epoch is due, finishes escrow refunds in batches, settles and
//! finalizes pilots, cancels reservation requests whose confirmation deadline passed, and ends
//! reclamations whose deadline passed.

use escrow::msg::ExecuteMsg as EscrowMsg;
use pip::msg::{ExecuteMsg as PipMsg, PilotRef};
use reservations::msg::{ExecuteMsg as ReservationsMsg, Status as ReservationStatus};
use supercloud_events::{bme as bme_ev, pip as pip_ev, reservations as res_ev};

use super::relayer;
use crate::chain::Chain;
use crate::scenario::ctx::{Call, Ctx};
use crate::scenario::world::BookingPlan;

/// Most refund calls per block.
const REFUNDS_PER_BLOCK: usize = 5;

/// Everything due this block.
pub fn act(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    let (height, _) = Ctx::now(chain);
    let market = &ctx.world.market;
    if market.bme_pending > 0 && height >= market.bme_due && !market.paused.contains("bme") {
        process(ctx, chain)?;
    }
    refunds(ctx, chain)?;
    pilots(ctx, chain)?;
    reservations(ctx, chain)
}

/// Notes a queued bme request (from a `*_requested` event) so the keeper runs its epoch.
pub fn queued(ctx: &mut Ctx, chain: &Chain) -> anyhow::Result<()> {
    ctx.world.market.bme_pending += 1;
    refresh_due(ctx, chain)
}

fn refresh_due(ctx: &mut Ctx, chain: &Chain) -> anyhow::Result<()> {
    let status: bme::msg::StatusResponse =
        ctx.query(chain, "bme", &bme::msg::QueryMsg::Status {})?;
    ctx.world.market.bme_due = status.next_mint_epoch.min(status.next_burn_epoch);
    Ok(())
}

/// Runs bme `process` (after a fresh price, unless the relayers are down): epochs that are
/// due execute, retry or cancel their records, and the breaker re-evaluates its mode.
pub fn process(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    relayer::ensure_price(ctx, chain)?;
    let keeper = ctx.cast.keeper.clone();
    let call = Call::new("bme", &bme::msg::ExecuteMsg::Process { limit: None })?;
    let outcome = ctx.send(chain, &keeper, vec![call], "bme.process")?;
    let done = outcome.catalogued::<bme_ev::RecordExecuted>().len()
        + outcome.catalogued::<bme_ev::RecordCancelled>().len();
    let market = &mut ctx.world.market;
    market.bme_pending = market.bme_pending.saturating_sub(done as u64);
    refresh_due(ctx, chain)?;
    let (height, _) = Ctx::now(chain);
    if ctx.world.market.bme_due <= height {
        // Nothing became due later (only retries are left): look again in ten minutes.
        ctx.world.market.bme_due = height + ctx.blocks(600);
    }
    Ok(())
}

fn refunds(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    let todo: Vec<(usize, u64)> = ctx
        .world
        .refunds
        .iter()
        .take(REFUNDS_PER_BLOCK)
        .copied()
        .collect();
    let keeper = ctx.cast.keeper.clone();
    for (tenant, dseq) in todo {
        let Some(owner) = ctx.cast.tenants.get(tenant) else {
            continue;
        };
        let owner = owner.addr.to_string();
        let call = Call::new(
            "escrow",
            &EscrowMsg::Refund {
                owner: owner.clone(),
                dseq,
            },
        )?;
        ctx.send(chain, &keeper, vec![call], "escrow.refund")?;
        let account: escrow::msg::AccountResponse = ctx.query(
            chain,
            "escrow",
            &escrow::msg::QueryMsg::Account { owner, dseq },
        )?;
        if account.refunds_pending == 0 {
            ctx.world.refunds.retain(|k| *k != (tenant, dseq));
        }
    }
    Ok(())
}

/// Settles each pilot's epochs once they ended (after a fresh price) and finalizes it after
/// its end.
fn pilots(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    let (height, _) = Ctx::now(chain);
    for i in 0..ctx.world.pilots.len() {
        let Some(pilot) = ctx.world.pilots.get(i).cloned() else {
            continue;
        };
        if pilot.closed {
            continue;
        }
        let keeper = ctx.cast.keeper.clone();
        if pilot.next_epoch < pilot.epochs {
            let epoch_end =
                (pilot.start + u64::from(pilot.next_epoch + 1) * pilot.epoch_length).min(pilot.end);
            if height <= epoch_end {
                continue;
            }
            relayer::ensure_price(ctx, chain)?;
            let call = Call::new(
                "pip",
                &PipMsg::SettleEpoch {
                    pilot_id: pilot.id,
                    epoch: pilot.next_epoch,
                    limit: Some(30),
                },
            )?;
            let outcome = ctx.send_simulated(chain, &keeper, vec![call], "pip.settle")?;
            if !outcome.catalogued::<pip_ev::EpochCompleted>().is_empty() {
                if let Some(model) = ctx.world.pilots.get_mut(i) {
                    model.next_epoch += 1;
                }
            }
        } else if height > pilot.end {
            let call = Call::new("pip", &PipMsg::Finalize(PilotRef { pilot_id: pilot.id }))?;
            let outcome = ctx.send(chain, &keeper, vec![call], "pip.finalize")?;
            let closed = !outcome.catalogued::<pip_ev::PilotClosed>().is_empty();
            if let Some(model) = ctx.world.pilots.get_mut(i) {
                model.closed = closed;
            }
        }
    }
    Ok(())
}

/// Cancels requests nobody confirmed in time (full refund) and ends reclamations whose
/// deadline passed.
fn reservations(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    if ctx.world.market.paused.contains("reservations") {
        return Ok(());
    }
    let (_, now) = Ctx::now(chain);
    if ctx.world.bookings.is_empty() {
        return Ok(());
    }
    let due: Vec<(usize, u64, bool)> = ctx
        .world
        .bookings
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let expired = !b.confirmed && now > b.confirm_by_s;
            let reclaimed = b.plan == BookingPlan::Reclaiming && now > b.end_s;
            (expired || reclaimed).then_some((i, b.id, expired))
        })
        .collect();
    let keeper = ctx.cast.keeper.clone();
    let mut done = Vec::new();
    for (i, id, expired) in due {
        if expired {
            let call = Call::new(
                "reservations",
                &ReservationsMsg::Cancel {
                    id,
                    reason: Some("not confirmed by the deadline".into()),
                },
            )?;
            let outcome = ctx.send(chain, &keeper, vec![call], "reservations.expire")?;
            if !outcome
                .catalogued::<res_ev::ReservationCancelled>()
                .is_empty()
            {
                done.push(i);
            }
            continue;
        }
        // A reclaimed booking: its end is the reclamation deadline the provider set.
        let r: reservations::msg::ReservationResponse = ctx.query(
            chain,
            "reservations",
            &reservations::msg::QueryMsg::Reservation { id },
        )?;
        if r.reservation.status != ReservationStatus::Reclaiming {
            done.push(i);
            continue;
        }
        let call = Call::new("reservations", &ReservationsMsg::EndReclamation { id })?;
        ctx.send(chain, &keeper, vec![call], "reservations.end_reclamation")?;
        done.push(i);
    }
    let mut index = 0;
    ctx.world.bookings.retain(|_| {
        let keep = !done.contains(&index);
        index += 1;
        keep
    });
    Ok(())
}
