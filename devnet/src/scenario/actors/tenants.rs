//! Tenants: deployments on the escrow, ACT mints and burns on bme, reservation bookings.
//!
//! A new deployment (Poisson, `deployments_per_day`; the tenant picked by popularity) either
//! never leases (most of them, as on mainnet: it opens an account, waits and closes), or opens
//! one to three leases with providers picked by popularity, in uakt, ACT (through the bme
//! `send` hook) or the USD stablecoin. A leased deployment is either kept funded (top-ups a
//! couple of hours before the predicted depletion), rescued (it runs dry and a top-up within the
//! grace window clears the debt and reopens it) or abandoned (it runs dry, and once the grace
//! window ended its provider's withdrawal closes it). Each deployment's next step is a timer in
//! the tenants' agenda, so a block only looks at what is due.

use cosmwasm_std::Decimal256;
use escrow::msg::{ExecuteMsg, ReceiveHook, Resources, SourceMsg};
use reservations::msg::{
    AvailabilityResponse, ExecuteMsg as ReservationsMsg, QueryMsg as ReservationsQuery,
    ReceiveHook as ReservationsHook, ReserveMsg,
};
use supercloud_events::escrow as ev;
use supercloud_events::reservations as res_ev;

use super::{keeper, relayer};
use crate::chain::Chain;
use crate::node::TxOutcome;
use crate::scenario::agenda::Agenda;
use crate::scenario::cast::STABLE;
use crate::scenario::ctx::{Call, Ctx, DAY_S, HOUR_S};
use crate::scenario::world::{
    Booking, BookingPlan, Deployment, DeploymentKey, Funding, Lease, GPU_MODELS,
};

/// What a deployment's timer asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Open a leased deployment (a warm-up slot; the key's dseq is unused).
    Open,
    /// Top up before the funds run out.
    TopUp,
    /// Clear the debt of an overdrawn account within its grace window.
    Rescue,
    /// The owner closes it.
    Close,
    /// The grace window of an abandoned account ended: its provider collects (closing it).
    Lapsed,
}

/// `d` rounded up, saturating at `u128::MAX`.
pub fn ceil_u128(d: Decimal256) -> u128 {
    cosmwasm_std::Uint128::try_from(d.to_uint_ceil()).map_or(u128::MAX, |u| u.u128())
}

/// The tenants' timers.
#[derive(Default)]
pub struct Tenants {
    agenda: Agenda<(DeploymentKey, Step)>,
}

impl Tenants {
    /// New deployments, due timers, mints, burns and bookings.
    pub fn act(&mut self, ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
        let (_, now) = Ctx::now(chain);
        for (key, step) in self.agenda.due(now) {
            if step == Step::Open || ctx.world.deployments.contains_key(&key) {
                self.run(ctx, chain, key, step)?;
            }
        }
        if ctx.chance(ctx.cfg.deployments_per_day) {
            let tenant = ctx.some_tenant();
            let leased = ctx.flip(ctx.cfg.leased_share);
            self.open(ctx, chain, tenant, leased)?;
        }
        if ctx.chance(ctx.cfg.mints_per_day) {
            let tenant = ctx.some_tenant();
            let usd = u128::from(ctx.between(2_000, 30_000));
            mint(ctx, chain, tenant, usd)?;
        }
        if ctx.chance(ctx.cfg.burns_per_day) {
            let tenant = ctx.some_tenant();
            burn(ctx, chain, tenant)?;
        }
        if ctx.chance(ctx.cfg.bookings_per_day) {
            let tenant = ctx.some_tenant();
            book(ctx, chain, tenant, None, BookingPlan::Serve)?;
        }
        Ok(())
    }

    /// Opens `n` leased deployments over the next `spread_s` (the deployments a short history
    /// starts with).
    pub fn warm_up(&mut self, ctx: &mut Ctx, chain: &Chain, n: usize, spread_s: u64) {
        let (_, now) = Ctx::now(chain);
        for _ in 0..n {
            let tenant = ctx.some_tenant();
            let at = now + ctx.between(0, spread_s);
            self.agenda.at(at, ((tenant, 0), Step::Open));
        }
    }

    fn run(
        &mut self,
        ctx: &mut Ctx,
        chain: &mut Chain,
        key: DeploymentKey,
        step: Step,
    ) -> anyhow::Result<()> {
        match step {
            Step::Open => self.open(ctx, chain, key.0, true).map(|_| ()),
            Step::TopUp => self.top_up(ctx, chain, key, false),
            Step::Rescue => self.top_up(ctx, chain, key, true),
            Step::Close => close(ctx, chain, key),
            Step::Lapsed => lapsed(ctx, chain, key),
        }
    }

    /// Opens a deployment of `tenant` (with leases when `leased`). Returns its key when the
    /// chain accepted it.
    pub fn open(
        &mut self,
        ctx: &mut Ctx,
        chain: &mut Chain,
        tenant: usize,
        leased: bool,
    ) -> anyhow::Result<Option<DeploymentKey>> {
        let funding = if !leased || !ctx.flip(ctx.cfg.underfunded_share) {
            Funding::Kept
        } else if ctx.flip(0.5) {
            Funding::Rescued
        } else {
            Funding::Abandoned
        };
        self.open_with(ctx, chain, tenant, leased, funding)
    }

    /// [`Tenants::open`] with a chosen funding plan.
    pub fn open_with(
        &mut self,
        ctx: &mut Ctx,
        chain: &mut Chain,
        tenant: usize,
        leased: bool,
        funding: Funding,
    ) -> anyhow::Result<Option<DeploymentKey>> {
        if ctx.world.market.paused.contains("escrow") {
            return Ok(None);
        }
        let Some(owner) = ctx.cast.tenants.get(tenant).cloned() else {
            return Ok(None);
        };
        let (height, now) = Ctx::now(chain);
        let life_s = if leased {
            let median = ctx.cfg.leased_median_hours * HOUR_S as f64;
            ctx.lognormal_s(median, 1.0, HOUR_S, 30 * DAY_S)
        } else {
            let median = ctx.cfg.leaseless_median_minutes * 60.0;
            ctx.lognormal_s(median, 1.2, 120, 3 * DAY_S)
        };
        let leases: Vec<(usize, &'static str, u32, u128)> = if leased {
            let n = 1 + usize::from(ctx.flip(0.35)) + usize::from(ctx.flip(0.1));
            (0..n).map(|_| random_lease(ctx)).collect()
        } else {
            Vec::new()
        };
        let usd_total: u128 = leases.iter().map(|l| l.3).sum();
        let mut denom = if ctx.flip(ctx.cfg.stable_share) {
            STABLE
        } else {
            "uakt"
        };
        // Leased deployments funded for a while: at most a few days ahead, less when
        // underfunded (and then an odd amount, so the exhausting block is only partly covered).
        let funded_s = match funding {
            Funding::Kept => life_s.min(ctx.between(DAY_S, 4 * DAY_S)) + HOUR_S,
            Funding::Rescued | Funding::Abandoned => {
                life_s.min(2 * DAY_S) * ctx.between(25, 60) / 100 + 1
            }
        };
        if leased && denom == "uakt" && ctx.flip(ctx.cfg.act_share) {
            let need = ceil_u128(rate_per_block(ctx, "uact", usd_total))
                * u128::from(ctx.blocks(funded_s))
                * 2;
            if act_balance(ctx, chain, tenant)? >= need {
                denom = "uact";
            }
        }
        let mut payments = Vec::with_capacity(leases.len());
        let mut per_block_total = Decimal256::zero();
        for (provider, model, count, usd) in &leases {
            let rate = rate_per_block(ctx, denom, *usd);
            per_block_total += rate;
            payments.push((*provider, *model, *count, rate));
        }
        let per_block = ceil_u128(per_block_total);
        let deposit = if leased {
            let blocks = u128::from(ctx.blocks(funded_s));
            let odd = per_block / 3;
            (per_block * blocks + odd).max(gov_proposal::suite::ESCROW_MIN_DEPOSIT)
        } else {
            // Akash's minimum deposit: 5 AKT, or 5 of a USD denom.
            5_000_000 * u128::from(ctx.between(1, 4))
        };
        let dseq = ctx.world.take_dseq(tenant);
        let escrow_addr = ctx.addr("escrow")?;
        let mut calls = vec![if denom == "uact" {
            Call::act_send(
                "escrow",
                &escrow_addr,
                deposit,
                &ReceiveHook::OpenAccount { dseq },
            )?
        } else {
            Call::new(
                "escrow",
                &ExecuteMsg::OpenAccount {
                    dseq,
                    denom: denom.into(),
                },
            )?
            .funds(denom, deposit)
        }];
        for (provider, model, count, rate) in &payments {
            calls.push(Call::new(
                "escrow",
                &ExecuteMsg::OpenPayment {
                    dseq,
                    provider: ctx.cast.providers[*provider].addr.to_string(),
                    rate: *rate,
                    resources: Resources {
                        gpu_model: model.to_string(),
                        gpu_count: *count,
                    },
                },
            )?);
        }
        let outcome = ctx.send(chain, &owner, calls, "escrow.open")?;
        if outcome.code != 0 {
            return Ok(None);
        }
        let opened = outcome.catalogued::<ev::PaymentOpened>();
        let depletes_at = opened.last().and_then(|e| e.depletes_at);
        let leases = payments
            .into_iter()
            .zip(&opened)
            .map(|((provider, gpu_model, gpu_count, rate), e)| Lease {
                payment_id: e.payment_id,
                provider,
                gpu_model,
                gpu_count,
                rate,
            })
            .collect();
        let sponsor = ctx
            .world
            .allowances
            .iter()
            .find(|((_, t), a)| *t == tenant && a.denom == denom)
            .map(|((s, _), _)| *s);
        let key = (tenant, dseq);
        ctx.world.deployments.insert(
            key,
            Deployment {
                owner: tenant,
                dseq,
                denom: denom.to_string(),
                leases,
                close_at_s: now + life_s,
                per_block,
                depletes_at,
                funding,
                sponsor,
            },
        );
        if funding != Funding::Abandoned {
            // The owner of an abandoned deployment walked away: nobody closes it on purpose.
            self.agenda.at(now + life_s, (key, Step::Close));
        }
        self.plan_funding(ctx, key, height, now);
        Ok(Some(key))
    }

    /// Schedules the next funding step of `key` from its predicted depletion.
    fn plan_funding(&mut self, ctx: &mut Ctx, key: DeploymentKey, height: u64, now: u64) {
        let Some(dep) = ctx.world.deployments.get(&key) else {
            return;
        };
        let Some(depletes_at) = dep.depletes_at else {
            return;
        };
        let block_s = ctx.block_time_s;
        let at_s = |h: u64| now + h.saturating_sub(height) * block_s;
        let grace = gov_proposal::suite::ESCROW_GRACE_PERIOD_BLOCKS;
        let (funding, close_at_s) = (dep.funding, dep.close_at_s);
        match funding {
            Funding::Kept => {
                let at = at_s(depletes_at)
                    .saturating_sub(2 * HOUR_S)
                    .max(now + block_s);
                if at < close_at_s {
                    self.agenda.at(at, (key, Step::TopUp));
                }
            }
            Funding::Rescued => {
                let late = ctx.between(5, grace * 2 / 3);
                self.agenda
                    .at(at_s(depletes_at + late), (key, Step::Rescue));
            }
            Funding::Abandoned => {
                let after = ctx.between(10, 600);
                self.agenda
                    .at(at_s(depletes_at + grace + after), (key, Step::Lapsed));
            }
        }
    }

    /// Tops `key` up from now to its planned close (at most four days ahead); a rescue also
    /// clears the debt of an overdrawn account.
    fn top_up(
        &mut self,
        ctx: &mut Ctx,
        chain: &mut Chain,
        key: DeploymentKey,
        rescue: bool,
    ) -> anyhow::Result<()> {
        if ctx.world.market.paused.contains("escrow") {
            let (_, now) = Ctx::now(chain);
            self.agenda.at(now + HOUR_S, (key, Step::TopUp));
            return Ok(());
        }
        let Some(dep) = ctx.world.deployments.get(&key).cloned() else {
            return Ok(());
        };
        let Some(owner) = ctx.cast.tenants.get(dep.owner).cloned() else {
            return Ok(());
        };
        let (height, now) = Ctx::now(chain);
        let ahead_s = dep.close_at_s.saturating_sub(now).min(4 * DAY_S) + HOUR_S;
        let mut amount = dep.per_block * u128::from(ctx.blocks(ahead_s)) * 11 / 10;
        if rescue {
            // The debt is at most one block's charge; a block more covers it.
            amount += dep.per_block;
        }
        // Deposits below the escrow's minimum are refused (a backstop against dust).
        let amount = amount.max(gov_proposal::suite::ESCROW_MIN_DEPOSIT);
        let allowance = dep.sponsor.filter(|s| {
            ctx.world
                .allowances
                .get(&(*s, dep.owner))
                .is_some_and(|a| a.denom == dep.denom && a.expires_at.is_none_or(|e| height < e))
        });
        let call = if dep.denom == "uact" {
            if act_balance(ctx, chain, dep.owner)? < amount {
                // Out of ACT: the deployment runs dry and closes as planned (or lapses).
                return Ok(());
            }
            let escrow_addr = ctx.addr("escrow")?;
            Call::act_send(
                "escrow",
                &escrow_addr,
                amount,
                &ReceiveHook::Deposit {
                    owner: owner.addr.to_string(),
                    dseq: dep.dseq,
                },
            )?
        } else {
            let mut sources = Vec::new();
            if let Some(s) = allowance.and_then(|s| ctx.cast.sponsors.get(s)) {
                sources.push(SourceMsg::Allowance {
                    granter: s.addr.to_string(),
                });
            }
            sources.push(SourceMsg::Funds {});
            Call::new(
                "escrow",
                &ExecuteMsg::Deposit {
                    owner: owner.addr.to_string(),
                    dseq: dep.dseq,
                    amount: amount.into(),
                    sources,
                },
            )?
            .funds(&dep.denom, amount)
        };
        let outcome = ctx.send(chain, &owner, vec![call], "escrow.top_up")?;
        note_depletion(ctx, key, &outcome);
        if let Some(d) = ctx.world.deployments.get_mut(&key) {
            // Once rescued, it is kept funded.
            d.funding = Funding::Kept;
        }
        self.plan_funding(ctx, key, height, now);
        Ok(())
    }
}

/// The predicted depletion after a tx that changed `key`'s funds or rates.
fn note_depletion(ctx: &mut Ctx, key: DeploymentKey, outcome: &TxOutcome) {
    let latest = outcome
        .catalogued::<ev::Deposited>()
        .last()
        .map(|e| e.depletes_at)
        .or_else(|| {
            outcome
                .catalogued::<ev::Reopened>()
                .last()
                .map(|e| e.depletes_at)
        });
    if let (Some(d), Some(depletes_at)) = (ctx.world.deployments.get_mut(&key), latest) {
        d.depletes_at = depletes_at;
    }
}

/// A lease: provider by popularity, GPU model by demand, milli-USD per hour.
fn random_lease(ctx: &mut Ctx) -> (usize, &'static str, u32, u128) {
    let provider = ctx.some_provider();
    let total: u32 = GPU_MODELS.iter().map(|m| m.weight).sum();
    let mut roll = ctx.pick(total as usize) as u32;
    let model = GPU_MODELS
        .iter()
        .find(|m| {
            if roll < m.weight {
                true
            } else {
                roll -= m.weight;
                false
            }
        })
        .unwrap_or(&GPU_MODELS[GPU_MODELS.len() - 1]);
    let count: u32 = match model.name {
        "none" => 0,
        "h200" | "h100" | "a100" => [1, 1, 2, 4, 8][ctx.pick(5)],
        _ => 1 + ctx.pick(4) as u32,
    };
    let jitter = 80 + ctx.pick(41) as u128;
    let usd = model.milli_usd_per_hour * u128::from(count.max(1)) * jitter / 100;
    (provider, model.name, count, usd)
}

/// Rate per block of `denom` for `usd_milli` milli-USD per hour.
fn rate_per_block(ctx: &Ctx, denom: &str, usd_milli: u128) -> Decimal256 {
    let per_hour = ctx.world.per_hour(denom, usd_milli);
    Decimal256::from_ratio(per_hour * u128::from(ctx.block_time_s), 3_600u128)
}

/// The account's state on chain.
pub fn account_state(
    ctx: &Ctx,
    chain: &Chain,
    key: DeploymentKey,
) -> anyhow::Result<escrow::msg::AccountResponse> {
    let owner = ctx
        .cast
        .tenants
        .get(key.0)
        .ok_or_else(|| anyhow::anyhow!("no tenant {}", key.0))?;
    ctx.query(
        chain,
        "escrow",
        &escrow::msg::QueryMsg::Account {
            owner: owner.addr.to_string(),
            dseq: key.1,
        },
    )
}

/// The owner closes `key` (its leases first, sometimes one by one).
pub fn close(ctx: &mut Ctx, chain: &mut Chain, key: DeploymentKey) -> anyhow::Result<()> {
    if ctx.world.market.paused.contains("escrow") {
        return Ok(());
    }
    let Some(dep) = ctx.world.deployments.get(&key).cloned() else {
        return Ok(());
    };
    let Some(owner) = ctx.cast.tenants.get(dep.owner).cloned() else {
        return Ok(());
    };
    let account = account_state(ctx, chain, key)?;
    if account.state == escrow::msg::AccountState::Closed {
        ctx.world.closed(key, account.refunds_pending);
        return Ok(());
    }
    let owner_addr = owner.addr.to_string();
    let mut calls = Vec::new();
    // Closing the leases one by one first only makes sense while the funds last: an account
    // whose funds ran out past its grace window closes at the first touch (the first
    // close_payment), and the close_account after it would then fail.
    let funded = account.preview.exhausted_at.is_none();
    if account.state == escrow::msg::AccountState::Open && ctx.flip(0.3) && funded {
        for lease in &dep.leases {
            calls.push(Call::new(
                "escrow",
                &ExecuteMsg::ClosePayment {
                    owner: owner_addr.clone(),
                    dseq: dep.dseq,
                    payment_id: lease.payment_id,
                },
            )?);
        }
    }
    calls.push(Call::new(
        "escrow",
        &ExecuteMsg::CloseAccount {
            owner: owner_addr,
            dseq: dep.dseq,
        },
    )?);
    let outcome = ctx.send(chain, &owner, calls, "escrow.close")?;
    if outcome.code != 0 {
        // Not closed: reconcile with the chain rather than acting on a stale model.
        let account = account_state(ctx, chain, key)?;
        if account.state == escrow::msg::AccountState::Closed {
            ctx.world.closed(key, account.refunds_pending);
        }
    }
    Ok(())
}

/// An abandoned account's grace window ended: the provider of its first lease withdraws, which
/// closes it (reason `overdrawn`) and pays every lease what was covered.
fn lapsed(ctx: &mut Ctx, chain: &mut Chain, key: DeploymentKey) -> anyhow::Result<()> {
    let Some(dep) = ctx.world.deployments.get(&key).cloned() else {
        return Ok(());
    };
    let Some(lease) = dep.leases.first() else {
        return close(ctx, chain, key);
    };
    let (Some(owner), Some(provider)) = (
        ctx.cast.tenants.get(dep.owner).cloned(),
        ctx.cast.providers.get(lease.provider).cloned(),
    ) else {
        return Ok(());
    };
    let call = Call::new(
        "escrow",
        &ExecuteMsg::Withdraw {
            owner: owner.addr.to_string(),
            dseq: dep.dseq,
            payment_id: lease.payment_id,
        },
    )?;
    ctx.send(chain, &provider, vec![call], "escrow.withdraw")?;
    if ctx.world.deployments.contains_key(&key) {
        // Still open (someone topped it up after all): the owner winds it down.
        close(ctx, chain, key)?;
    }
    Ok(())
}

/// ACT balance of tenant `tenant` (uact).
pub fn act_balance(ctx: &Ctx, chain: &Chain, tenant: usize) -> anyhow::Result<u128> {
    let Some(who) = ctx.cast.tenants.get(tenant) else {
        return Ok(0);
    };
    let res: bme::msg::BalanceResponse = ctx.query(
        chain,
        "bme",
        &bme::msg::QueryMsg::Balance {
            address: who.addr.to_string(),
        },
    )?;
    Ok(res.balance.u128())
}

/// The bme breaker's mode at the current price (what a wallet checks before a mint).
fn bme_accepts(ctx: &Ctx, chain: &Chain, mint: bool) -> anyhow::Result<bool> {
    if ctx.world.market.paused.contains("bme") || ctx.world.market.relayers_down {
        return Ok(false);
    }
    let status: bme::msg::StatusResponse =
        ctx.query(chain, "bme", &bme::msg::QueryMsg::Status {})?;
    Ok(match status.live_mode {
        bme::msg::Mode::Healthy | bme::msg::Mode::Warning => true,
        bme::msg::Mode::HaltCr => !mint,
        bme::msg::Mode::HaltOracle => false,
    })
}

/// Tenant `tenant` queues a mint of `usd` dollars' worth of AKT (skipped when bme would
/// refuse it).
pub fn mint(ctx: &mut Ctx, chain: &mut Chain, tenant: usize, usd: u128) -> anyhow::Result<()> {
    relayer::ensure_price(ctx, chain)?;
    if !bme_accepts(ctx, chain, true)? {
        return Ok(());
    }
    let uakt = usd * 1_000_000 * 1_000 / ctx.world.price_milli();
    let Some(who) = ctx.cast.tenants.get(tenant).cloned() else {
        return Ok(());
    };
    let call = Call::new("bme", &bme::msg::ExecuteMsg::MintAct {})?.funds("uakt", uakt);
    let outcome = ctx.send(chain, &who, vec![call], "bme.mint")?;
    if outcome.code == 0 {
        keeper::queued(ctx, chain)?;
    }
    Ok(())
}

fn burn(ctx: &mut Ctx, chain: &mut Chain, tenant: usize) -> anyhow::Result<()> {
    let balance = act_balance(ctx, chain, tenant)?;
    if balance < 1_000_000_000 {
        return Ok(());
    }
    relayer::ensure_price(ctx, chain)?;
    if !bme_accepts(ctx, chain, false)? {
        return Ok(());
    }
    let amount = balance / 100 * (5 + ctx.pick(20) as u128);
    let Some(who) = ctx.cast.tenants.get(tenant).cloned() else {
        return Ok(());
    };
    let call = Call::new(
        "bme",
        &bme::msg::ExecuteMsg::BurnAct {
            amount: amount.into(),
        },
    )?;
    let outcome = ctx.send(chain, &who, vec![call], "bme.burn")?;
    if outcome.code == 0 {
        keeper::queued(ctx, chain)?;
    }
    Ok(())
}

/// Tenant `tenant` books a host (`host`, or one picked by its provider's popularity) for a
/// term starting in a few hours; the provider will treat it per `plan`. Returns the booking id.
pub fn book(
    ctx: &mut Ctx,
    chain: &mut Chain,
    tenant: usize,
    host: Option<usize>,
    plan: BookingPlan,
) -> anyhow::Result<Option<u64>> {
    if ctx.world.hosts.is_empty() || ctx.world.market.paused.contains("reservations") {
        return Ok(None);
    }
    let host_index = match host {
        Some(h) => h,
        None => {
            let provider = ctx.some_provider();
            let mine: Vec<usize> = (0..ctx.world.hosts.len())
                .filter(|i| ctx.world.hosts[*i].provider == provider)
                .collect();
            if mine.is_empty() {
                ctx.pick(ctx.world.hosts.len())
            } else {
                mine[ctx.pick(mine.len())]
            }
        }
    };
    let (Some(who), Some(host)) = (
        ctx.cast.tenants.get(tenant).cloned(),
        ctx.world.hosts.get(host_index).cloned(),
    ) else {
        return Ok(None);
    };
    let (_, now) = Ctx::now(chain);
    let start = (now / HOUR_S + ctx.between(2, 20)) * HOUR_S;
    // A reclaimed booking must still have more than its window to run when reclaimed.
    let min_hours = if plan == BookingPlan::Reclaim { 72 } else { 4 };
    let end = start + ctx.between(min_hours, 7 * 24) * HOUR_S;
    let provider = ctx.cast.providers[host.provider].addr.to_string();
    let availability: AvailabilityResponse = ctx.query(
        chain,
        "reservations",
        &ReservationsQuery::Availability {
            provider: provider.clone(),
            host_id: host.host_id.clone(),
            start,
            end,
        },
    )?;
    if !availability.available {
        return Ok(None);
    }
    let price =
        cosmwasm_std::Uint128::try_from(availability.price.amount).map_or(u128::MAX, |u| u.u128());
    let reserve = ReserveMsg {
        provider,
        host_id: host.host_id.clone(),
        start,
        end,
        require_attestation: false,
    };
    let call = if host.denom == "uact" {
        if act_balance(ctx, chain, tenant)? < price {
            return Ok(None);
        }
        let target = ctx.addr("reservations")?;
        Call::act_send(
            "reservations",
            &target,
            price,
            &ReservationsHook::Reserve(reserve),
        )?
    } else {
        Call::new("reservations", &ReservationsMsg::Reserve(reserve))?.funds(&host.denom, price)
    };
    let outcome = ctx.send(chain, &who, vec![call], "reservations.reserve")?;
    let Some(requested) = outcome
        .catalogued::<res_ev::ReservationRequested>()
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    ctx.world.bookings.push(Booking {
        id: requested.id,
        host: host_index,
        tenant,
        start_s: start,
        end_s: end,
        confirm_by_s: requested.confirm_deadline,
        plan,
        confirmed: false,
    });
    Ok(Some(requested.id))
}
