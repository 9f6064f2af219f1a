//! Providers: hosts and bonds on the reservations contract, withdrawals from their leases (and
//! now and then closing a lease themselves), answering bookings (confirm and claim; a few they
//! never answer, cancel late or reclaim), and joining incentive pilots.

use escrow::msg::ExecuteMsg as EscrowMsg;
use pip::msg::{EnrollmentRef, ExecuteMsg as PipMsg, PilotRef};
use reservations::msg::{Attribute, ExecuteMsg as ReservationsMsg, HostMsg};
use supercloud_events::escrow as ev;
use supercloud_events::reservations as res_ev;

use crate::chain::Chain;
use crate::scenario::agenda::Agenda;
use crate::scenario::cast::{AKT, STABLE};
use crate::scenario::ctx::{failed_index, Call, Ctx, DAY_S, HOUR_S};
use crate::scenario::world::{BookingPlan, Host};

/// Most withdrawals in one tx.
const WITHDRAWALS_PER_TX: usize = 20;
/// Providers that register hosts (the most popular ones).
const HOSTING_PROVIDERS: usize = 12;
/// Chain seconds between claims of a running reservation.
const CLAIM_EVERY_S: u64 = 12 * HOUR_S;
/// Bond each hosting provider posts (uakt).
pub const BOND: u128 = 10_000 * AKT;

/// The providers' timers: withdrawal rounds, claims.
#[derive(Default)]
pub struct Providers {
    withdrawals: Agenda<usize>,
    claims: Agenda<u64>,
}

impl Providers {
    /// Staggers the first withdrawal round of every provider over one period.
    pub fn start(&mut self, ctx: &mut Ctx, chain: &Chain) {
        let (_, now) = Ctx::now(chain);
        for p in 0..ctx.cast.providers.len() {
            let at = now + ctx.between(HOUR_S, ctx.cfg.withdraw_every_s);
            self.withdrawals.at(at, p);
        }
    }

    /// Withdrawal rounds, bookings and pilot enrollment.
    pub fn act(&mut self, ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
        let (_, now) = Ctx::now(chain);
        for provider in self.withdrawals.due(now) {
            let next = withdraw(ctx, chain, provider)?;
            let every = ctx.cfg.withdraw_every_s;
            self.withdrawals
                .at(if next { now + every } else { now + every / 4 }, provider);
        }
        self.bookings(ctx, chain)?;
        self.enroll(ctx, chain)
    }

    /// Confirms new requests (or not, per plan), claims running reservations, cancels late or
    /// reclaims when the plan says so.
    fn bookings(&mut self, ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
        if ctx.world.market.paused.contains("reservations") {
            return Ok(());
        }
        let (_, now) = Ctx::now(chain);
        let claims_due = self.claims.due(now);
        let waiting = ctx.world.bookings.iter().any(|b| {
            !b.confirmed
                || (b.plan == BookingPlan::CancelLate && now >= b.start_s)
                || b.plan == BookingPlan::Reclaim
        });
        if claims_due.is_empty() && !waiting {
            return Ok(());
        }
        let bookings = ctx.world.bookings.clone();
        let mut done = Vec::new();
        for b in &bookings {
            let Some(host) = ctx.world.hosts.get(b.host).cloned() else {
                continue;
            };
            let Some(provider) = ctx.cast.providers.get(host.provider).cloned() else {
                continue;
            };
            if !b.confirmed {
                // Most providers answer within a couple of hours; an ignored request expires.
                if b.plan == BookingPlan::Ignore || !ctx.chance(12.0) {
                    continue;
                }
                let call = Call::new("reservations", &ReservationsMsg::Confirm { id: b.id })?;
                let outcome = ctx.send(chain, &provider, vec![call], "reservations.confirm")?;
                if outcome.code == 0 {
                    if let Some(entry) = ctx.world.bookings.iter_mut().find(|x| x.id == b.id) {
                        entry.confirmed = true;
                    }
                    if b.plan == BookingPlan::Serve {
                        self.claims.at(b.start_s + CLAIM_EVERY_S, b.id);
                    }
                } else {
                    done.push(b.id);
                }
                continue;
            }
            match b.plan {
                BookingPlan::CancelLate if now >= b.start_s => {
                    let call = Call::new(
                        "reservations",
                        &ReservationsMsg::Cancel {
                            id: b.id,
                            reason: Some("host failed its health checks".into()),
                        },
                    )?;
                    ctx.send(chain, &provider, vec![call], "reservations.provider_cancel")?;
                    done.push(b.id);
                }
                BookingPlan::Reclaim if now >= b.start_s + HOUR_S && b.end_s > now + DAY_S => {
                    let call = Call::new(
                        "reservations",
                        &ReservationsMsg::StartReclamation {
                            id: b.id,
                            reason: "host needed for maintenance".into(),
                        },
                    )?;
                    let outcome = ctx.send(chain, &provider, vec![call], "reservations.reclaim")?;
                    let deadline = outcome
                        .catalogued::<res_ev::ReclamationStarted>()
                        .first()
                        .map(|e| e.deadline);
                    if let Some(entry) = ctx.world.bookings.iter_mut().find(|x| x.id == b.id) {
                        // The keeper ends it at the deadline; until then it is paid as usual.
                        entry.end_s = deadline.unwrap_or(now);
                        entry.plan = BookingPlan::Reclaiming;
                    }
                }
                _ => {}
            }
        }
        for id in claims_due {
            let Some(b) = ctx.world.bookings.iter().find(|x| x.id == id).cloned() else {
                continue;
            };
            if b.plan != BookingPlan::Serve || done.contains(&id) {
                continue;
            }
            let Some(provider) = ctx
                .world
                .hosts
                .get(b.host)
                .and_then(|h| ctx.cast.providers.get(h.provider))
                .cloned()
            else {
                continue;
            };
            let call = Call::new("reservations", &ReservationsMsg::Claim { id })?;
            let outcome = ctx.send(chain, &provider, vec![call], "reservations.claim")?;
            let completed = !outcome
                .catalogued::<res_ev::ReservationCompleted>()
                .is_empty();
            let reclaimed = !outcome
                .catalogued::<res_ev::ReservationReclaimed>()
                .is_empty();
            if completed || reclaimed || outcome.code != 0 {
                done.push(id);
            } else {
                self.claims.at((now + CLAIM_EVERY_S).min(b.end_s), id);
            }
        }
        ctx.world.bookings.retain(|b| !done.contains(&b.id));
        Ok(())
    }

    /// Providers ask to join open pilots (about one a day each) and the pilot admin approves.
    fn enroll(&mut self, ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
        if ctx.world.market.paused.contains("pip") {
            return Ok(());
        }
        let (height, _) = Ctx::now(chain);
        for i in 0..ctx.world.pilots.len() {
            let Some(pilot) = ctx.world.pilots.get(i).cloned() else {
                continue;
            };
            if pilot.closed || height >= pilot.end || !ctx.chance(2.0) {
                continue;
            }
            let p = ctx.some_provider();
            if pilot.requested.contains(&p) {
                continue;
            }
            let Some(provider) = ctx.cast.providers.get(p).cloned() else {
                continue;
            };
            let call = Call::new("pip", &PipMsg::Enroll(PilotRef { pilot_id: pilot.id }))?;
            let outcome = ctx.send(chain, &provider, vec![call], "pip.enroll")?;
            if let Some(model) = ctx.world.pilots.get_mut(i) {
                model.requested.insert(p);
            }
            if outcome.code != 0 {
                continue;
            }
            let admin = ctx.cast.pilot_admin.clone();
            let call = Call::new(
                "pip",
                &PipMsg::Approve(EnrollmentRef {
                    pilot_id: pilot.id,
                    provider: provider.addr.to_string(),
                }),
            )?;
            ctx.send(chain, &admin, vec![call], "pip.approve")?;
        }
        Ok(())
    }
}

/// A withdrawal round of `provider`: one lease per account (touching an account whose grace
/// window ended closes it, paying every lease out, and a second withdrawal in the same tx would
/// hit a closed payment), at most [`WITHDRAWALS_PER_TX`]; now and then the provider closes one
/// of its leases instead. False when the round failed (retried sooner).
fn withdraw(ctx: &mut Ctx, chain: &mut Chain, provider: usize) -> anyhow::Result<bool> {
    if ctx.world.market.paused.contains("escrow") {
        return Ok(false);
    }
    let Some(who) = ctx.cast.providers.get(provider).cloned() else {
        return Ok(true);
    };
    let leases = ctx.world.leases_of(provider);
    if leases.is_empty() {
        return Ok(true);
    }
    if ctx.flip(ctx.cfg.provider_close_share * 4.0) {
        let ((tenant, dseq), payment_id) = leases[ctx.pick(leases.len())];
        let owner = ctx.cast.tenants[tenant].addr.to_string();
        let call = Call::new(
            "escrow",
            &EscrowMsg::ClosePayment {
                owner,
                dseq,
                payment_id,
            },
        )?;
        let outcome = ctx.send(chain, &who, vec![call], "escrow.provider_close")?;
        if !outcome.catalogued::<ev::PaymentClosed>().is_empty() {
            if let Some(d) = ctx.world.deployments.get_mut(&(tenant, dseq)) {
                d.leases.retain(|l| l.payment_id != payment_id);
            }
        }
    }
    let mut calls = Vec::new();
    let mut seen = Vec::new();
    for ((tenant, dseq), payment_id) in ctx.world.leases_of(provider) {
        if seen.contains(&(tenant, dseq)) || calls.len() >= WITHDRAWALS_PER_TX {
            continue;
        }
        seen.push((tenant, dseq));
        calls.push(Call::new(
            "escrow",
            &EscrowMsg::Withdraw {
                owner: ctx.cast.tenants[tenant].addr.to_string(),
                dseq,
                payment_id,
            },
        )?);
    }
    if calls.is_empty() {
        return Ok(true);
    }
    let outcome = ctx.send(chain, &who, calls, "escrow.withdraw")?;
    if outcome.code != 0 {
        // The model missed a close: bring that account in line with the chain.
        if let Some(key) = failed_index(&outcome.log).and_then(|i| seen.get(i).copied()) {
            let account = super::tenants::account_state(ctx, chain, key)?;
            if account.state == escrow::msg::AccountState::Closed {
                ctx.world.closed(key, account.refunds_pending);
            }
        }
        return Ok(false);
    }
    Ok(true)
}

/// The hosting providers register two hosts each (an 8×H100 box in uakt; an A100 or L40S box
/// in ACT or the stablecoin, every other one reclaimable within a day) and post a bond, one tx
/// each.
pub fn register_hosts(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    let price = ctx.world.price_milli();
    let n = ctx.cast.providers.len().min(HOSTING_PROVIDERS);
    for p in 0..n {
        let Some(who) = ctx.cast.providers.get(p).cloned() else {
            continue;
        };
        let second_denom = match p % 3 {
            0 => "uact",
            1 => STABLE,
            _ => "uakt",
        };
        let (second_model, second_usd) = if p % 2 == 0 {
            ("a100", 4 * 1_100u128)
        } else {
            ("l40s", 4 * 800u128)
        };
        let hosts = [
            (
                format!("p{p}-h100"),
                "h100",
                8u32,
                "uakt",
                8 * 1_900u128,
                None,
            ),
            (
                format!("p{p}-{second_model}"),
                second_model,
                4u32,
                second_denom,
                second_usd,
                (p % 2 == 1).then_some(DAY_S),
            ),
        ];
        let mut calls = Vec::new();
        for (host_id, model, count, denom, usd_milli, reclaim) in &hosts {
            let per_hour = if *denom == "uakt" {
                usd_milli * 1_000_000 / price
            } else {
                usd_milli * 1_000
            };
            calls.push(Call::new(
                "reservations",
                &ReservationsMsg::RegisterHost(HostMsg {
                    host_id: host_id.clone(),
                    gpu_model: model.to_string(),
                    gpu_count: *count,
                    cpu: 64,
                    memory: 512 * (1 << 30),
                    bare_metal: true,
                    attributes: vec![Attribute {
                        key: "region".into(),
                        value: ["us-east", "eu-west", "ap-south"][p % 3].into(),
                    }],
                    price_per_hour: cosmwasm_std::Coin::new(per_hour, denom.to_string()),
                    reclamation_window_s: *reclaim,
                    require_attestation: false,
                }),
            )?);
        }
        calls.push(Call::new("reservations", &ReservationsMsg::PostBond {})?.funds("uakt", BOND));
        let outcome = ctx.send(chain, &who, calls, "reservations.register")?;
        if outcome.code == 0 {
            for (host_id, model, _, denom, _, reclaim) in hosts {
                ctx.world.hosts.push(Host {
                    provider: p,
                    host_id,
                    denom: denom.to_string(),
                    gpu_model: model,
                    reclamation_s: reclaim,
                    attested_until_s: 0,
                });
            }
        }
    }
    Ok(())
}
