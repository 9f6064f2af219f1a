//! The stress calendar: every path a dashboard and an indexer must survive, at least once in a
//! month of history, each a short script of steps placed at a fixed share of the history (so a
//! longer history spreads them out and a short one still gets the early ones).
//!
//! | share | incident | catalogue events |
//! |---|---|---|
//! | 2 % | governance lists a second relayer | `oracle.source_added` |
//! | 4 % | a provider unbonds part of its bond, claims it 21 days later | `reservations.bond_unbonding`, `bond_claimed` |
//! | 8 % | escrow configuration update | `escrow.config_updated` |
//! | 12 % | two underfunded deployments rescued, one abandoned, a provider closes a lease | `escrow.overdrawn`, `debt_paid`, `reopened`, `account_closed` (`overdrawn`), `payment_closed` (`provider`) |
//! | 14 % | an expiring allowance: spent after expiry (refused), then revoked | `escrow.allowance_granted`, `allowance_revoked` |
//! | 18 % | oracle outage: nobody pushes for hours while mints wait | `oracle.health_changed`, `bme.mode_changed` (`halt_oracle`), `record_retried`, `record_cancelled` (`oracle_unhealthy`) |
//! | 23 % | the second relayer deviates for six hours | `oracle.price_aggregated` with `left_out` |
//! | 30 % | AKT crash through the bme warning band into halt, recovery with vault funding | `bme.mode_changed` (`warning`, `halt_cr`, `healthy`), `record_retried`/`record_cancelled` (`halted`), `vault_funded` |
//! | 37 % | reservations paused for six hours | `reservations.pause_changed` |
//! | 42 % | oracle authority handed to a council and back; a pip handover proposed and cancelled | `*.authority_proposed`, `authority_accepted`, `authority_cancelled`, `oracle.config_updated` |
//! | 45 % | a provider cancels a confirmed reservation and is slashed | `reservations.reservation_cancelled` (`provider`), `bond_slashed` |
//! | 50 % | an attestation revoked, re-recorded a day later | `reservations.attestation_revoked`, `attestation_recorded` |
//! | 55 % | a provider reclaims a booked host | `reservations.reclamation_started`, `reservation_reclaimed` |
//! | 60 % | a request nobody confirms expires | `reservations.reservation_cancelled` (`expired`) |
//! | 66 % | the suite upgrade from the previous release | `*.migrated` |
//! | 72 % | governance cancels the liquidity pilot | `pip.pilot_closed` (`cancelled`), `returned` |
//!
//! The short pilot governance creates at 6 % ends, settles and finalizes on its own
//! (`pip.pilot_closed` `finalized`, `returned`), and the regular traffic repeats most of these
//! paths at random.

use cosmwasm_std::Uint256;
use escrow::msg::{ConfigUpdate, ExecuteMsg as EscrowMsg, SourceMsg};
use oracle::msg::{ExecuteMsg as OracleMsg, SourceKindMsg};
use pip::msg::{ExecuteMsg as PipMsg, PilotRef};
use reservations::msg::ExecuteMsg as ReservationsMsg;
use supercloud_events::reservations as res_ev;
use supercloud_std::AuthorityMsg;

use super::actors::governance::{exec, Governance, Then};
use super::actors::providers::BOND;
use super::actors::tenants::{self, Tenants};
use super::actors::{auditor, keeper, relayer, sponsors};
use super::agenda::Agenda;
use super::cast::AKT;
use super::ctx::{Call, Ctx, DAY_S, HOUR_S};
use super::world::{BookingPlan, Funding};
use crate::chain::{codes, Chain};
use crate::proto::wasm::{AccessConfig, MsgMigrateContract, MsgStoreCode};
use crate::proto::{Any, Named};

/// One scripted incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Incident {
    /// Governance lists the second relayer as an oracle source.
    RelayerB,
    /// A provider unbonds part of its bond and claims it when ready.
    Unbonding,
    /// Governance updates the escrow configuration.
    EscrowConfig,
    /// Underfunded deployments (rescued and abandoned) and a provider closing a lease.
    Overdraws,
    /// An allowance that expires, is spent too late, and is revoked.
    ExpiringAllowance,
    /// Nobody pushes prices for hours.
    OracleOutage,
    /// The second relayer's prices deviate.
    Deviation,
    /// AKT falls through the bme warning band into halt, then recovers.
    Crash,
    /// Reservations paused for a while.
    Pause,
    /// Authority handovers.
    Authority,
    /// A provider cancels a confirmed reservation and is slashed.
    ProviderCancel,
    /// An attestation revoked and re-recorded.
    Attestation,
    /// A provider reclaims a booked host.
    Reclamation,
    /// A reservation request nobody confirms.
    ExpiredRequest,
    /// The suite upgrade from the previous release.
    Upgrade,
    /// Governance cancels the liquidity pilot.
    PilotCancel,
}

/// The calendar: (share of the history in percent, incident).
const CALENDAR: [(u64, Incident); 16] = [
    (2, Incident::RelayerB),
    (4, Incident::Unbonding),
    (8, Incident::EscrowConfig),
    (12, Incident::Overdraws),
    (14, Incident::ExpiringAllowance),
    (18, Incident::OracleOutage),
    (23, Incident::Deviation),
    (30, Incident::Crash),
    (37, Incident::Pause),
    (42, Incident::Authority),
    (45, Incident::ProviderCancel),
    (50, Incident::Attestation),
    (55, Incident::Reclamation),
    (60, Incident::ExpiredRequest),
    (66, Incident::Upgrade),
    (72, Incident::PilotCancel),
];

/// Relative price step of the crash, per push.
const CRASH_STEP: f64 = 0.985;
/// The collateral ratio the crash aims at (bps): below the halt threshold, where a mint epoch
/// stretches to about five hours (10 blocks × 1.1^60), so the held mints use their three
/// attempts within a day.
const CRASH_TARGET_CR_BPS: f64 = 8_900.0;

/// What the next step of an incident is.
enum Next {
    /// Run step `n` after `secs` of chain time.
    After(u64, u32),
    /// Done.
    Done,
}

/// Scheduled incident steps and what the multi-step ones remember.
#[derive(Default)]
pub struct Incidents {
    agenda: Agenda<(Incident, u32)>,
    /// Chain time each running incident started.
    started_s: Vec<(Incident, u64)>,
    /// The booking an incident made.
    booking: Option<u64>,
    /// The kept deployment whose lease its provider closes.
    kept: Option<super::world::DeploymentKey>,
    /// Mints queued in the warning band of the crash.
    crash_mints: bool,
    /// The tenant of the expiring allowance.
    grantee: usize,
}

impl Incidents {
    /// Places the calendar over a history of `days` starting now.
    pub fn start(&mut self, chain: &Chain, days: u64) {
        let (_, now) = Ctx::now(chain);
        let span = days.max(1) * DAY_S;
        for (share, incident) in CALENDAR {
            self.agenda.at(now + span * share / 100, (incident, 0));
        }
    }

    /// Runs the due steps.
    pub fn act(
        &mut self,
        ctx: &mut Ctx,
        chain: &mut Chain,
        tenants: &mut Tenants,
        gov: &mut Governance,
    ) -> anyhow::Result<()> {
        let (_, now) = Ctx::now(chain);
        for (incident, step) in self.agenda.due(now) {
            if step == 0 {
                self.started_s.retain(|(i, _)| *i != incident);
                self.started_s.push((incident, now));
            }
            match self.step(ctx, chain, tenants, gov, incident, step)? {
                Next::After(secs, n) => self.agenda.at(now + secs.max(1), (incident, n)),
                Next::Done => {}
            }
        }
        Ok(())
    }

    fn elapsed(&self, incident: Incident, now: u64) -> u64 {
        self.started_s
            .iter()
            .find(|(i, _)| *i == incident)
            .map_or(0, |(_, t)| now.saturating_sub(*t))
    }

    fn step(
        &mut self,
        ctx: &mut Ctx,
        chain: &mut Chain,
        tenants: &mut Tenants,
        gov: &mut Governance,
        incident: Incident,
        step: u32,
    ) -> anyhow::Result<Next> {
        let (height, now) = Ctx::now(chain);
        Ok(match (incident, step) {
            (Incident::RelayerB, _) => {
                let msg = OracleMsg::AddSource {
                    pair: gov_proposal::suite::ORACLE_PAIR.into(),
                    source: relayer::RELAYER_B_SOURCE.into(),
                    kind: SourceKindMsg::Pusher {
                        address: ctx.cast.relayer_b.addr.to_string(),
                    },
                };
                let any = exec(ctx, chain, "oracle", &msg, vec![])?;
                gov.propose(
                    ctx,
                    chain,
                    "List a second price relayer",
                    vec![any],
                    Then::RelayerBListed,
                )?;
                Next::Done
            }
            (Incident::Unbonding, 0) => {
                let provider = ctx.cast.providers.len().min(2) - 1;
                let who = ctx.cast.providers[provider].clone();
                let call = Call::new(
                    "reservations",
                    &ReservationsMsg::RequestBondWithdrawal {
                        amount: Uint256::from(BOND / 4),
                    },
                )?;
                let outcome = ctx.send(chain, &who, vec![call], "reservations.unbond")?;
                match outcome.catalogued::<res_ev::BondUnbonding>().first() {
                    Some(e) => Next::After(e.ready_at.saturating_sub(now) + HOUR_S, 1),
                    None => Next::Done,
                }
            }
            (Incident::Unbonding, _) => {
                let provider = ctx.cast.providers.len().min(2) - 1;
                let who = ctx.cast.providers[provider].clone();
                let call = Call::new("reservations", &ReservationsMsg::ClaimBond {})?;
                ctx.send(chain, &who, vec![call], "reservations.claim_bond")?;
                Next::Done
            }
            (Incident::EscrowConfig, _) => {
                let update = ConfigUpdate {
                    refund_batch: Some(25),
                    ..ConfigUpdate::default()
                };
                let any = exec(
                    ctx,
                    chain,
                    "escrow",
                    &EscrowMsg::UpdateConfig(update),
                    vec![],
                )?;
                gov.propose(
                    ctx,
                    chain,
                    "Smaller escrow refund batches",
                    vec![any],
                    Then::Nothing,
                )?;
                Next::Done
            }
            (Incident::Overdraws, 0) => {
                for funding in [Funding::Rescued, Funding::Rescued, Funding::Abandoned] {
                    let tenant = ctx.some_tenant();
                    tenants.open_with(ctx, chain, tenant, true, funding)?;
                }
                let tenant = ctx.some_tenant();
                self.kept = tenants.open_with(ctx, chain, tenant, true, Funding::Kept)?;
                Next::After(2 * HOUR_S, 1)
            }
            (Incident::Overdraws, _) => {
                // The provider of the kept deployment's first lease closes it.
                let Some(key) = self.kept.take() else {
                    return Ok(Next::Done);
                };
                let Some(dep) = ctx.world.deployments.get(&key).cloned() else {
                    return Ok(Next::Done);
                };
                let Some(lease) = dep.leases.first().cloned() else {
                    return Ok(Next::Done);
                };
                let who = ctx.cast.providers[lease.provider].clone();
                let call = Call::new(
                    "escrow",
                    &EscrowMsg::ClosePayment {
                        owner: ctx.cast.tenants[key.0].addr.to_string(),
                        dseq: key.1,
                        payment_id: lease.payment_id,
                    },
                )?;
                let outcome = ctx.send(chain, &who, vec![call], "escrow.provider_close")?;
                if outcome.code == 0 {
                    if let Some(d) = ctx.world.deployments.get_mut(&key) {
                        d.leases.retain(|l| l.payment_id != lease.payment_id);
                    }
                }
                Next::Done
            }
            (Incident::ExpiringAllowance, 0) => {
                if ctx.cast.sponsors.is_empty() {
                    return Ok(Next::Done);
                }
                self.grantee = ctx.some_tenant();
                let expires_at = height + ctx.blocks(12 * HOUR_S);
                sponsors::grant(ctx, chain, 0, self.grantee, Some(expires_at))?;
                Next::After(13 * HOUR_S, 1)
            }
            (Incident::ExpiringAllowance, _) => {
                // The grantee spends it too late: refused (on purpose), then the sponsor takes
                // back what is left.
                let tenant = self.grantee;
                let dseq = match ctx
                    .world
                    .deployments
                    .values()
                    .find(|d| d.owner == tenant && d.denom == "uakt")
                {
                    Some(d) => Some(d.dseq),
                    None => tenants
                        .open_with(ctx, chain, tenant, false, Funding::Kept)?
                        .filter(|k| ctx.world.deployments[k].denom == "uakt")
                        .map(|k| k.1),
                };
                if let Some(dseq) = dseq {
                    let owner = ctx.cast.tenants[tenant].clone();
                    let call = Call::new(
                        "escrow",
                        &EscrowMsg::Deposit {
                            owner: owner.addr.to_string(),
                            dseq,
                            amount: Uint256::from(AKT),
                            sources: vec![SourceMsg::Allowance {
                                granter: ctx.cast.sponsors[0].addr.to_string(),
                            }],
                        },
                    )?;
                    ctx.send_failing(chain, &owner, vec![call], "fail.expired_allowance", None)?;
                }
                sponsors::revoke(ctx, chain, 0, tenant)?;
                Next::Done
            }
            (Incident::OracleOutage, 0) => {
                // Due epochs run now, mints are queued for the next one, then the relayers go
                // quiet: that epoch finds no price.
                keeper::process(ctx, chain)?;
                for _ in 0..3 {
                    let tenant = ctx.some_tenant();
                    tenants::mint(ctx, chain, tenant, 5_000)?;
                }
                ctx.world.market.relayers_down = true;
                Next::After(30 * 60, 1)
            }
            (Incident::OracleOutage, 1) => {
                // A keeper's refresh finds every source stale.
                let keeper = ctx.cast.keeper.clone();
                let call = Call::new(
                    "oracle",
                    &OracleMsg::Refresh {
                        pair: gov_proposal::suite::ORACLE_PAIR.into(),
                    },
                )?;
                ctx.send(chain, &keeper, vec![call], "oracle.refresh")?;
                Next::After(30 * 60, 2)
            }
            (Incident::OracleOutage, _) => {
                let waited = self.elapsed(Incident::OracleOutage, now);
                if ctx.world.market.bme_pending > 0 && waited < 18 * HOUR_S {
                    return Ok(Next::After(30 * 60, 2));
                }
                ctx.world.market.relayers_down = false;
                relayer::push(ctx, chain)?;
                keeper::process(ctx, chain)?;
                Next::Done
            }
            (Incident::Deviation, 0) => {
                ctx.world.market.relayer_b_bias = 0.04;
                Next::After(6 * HOUR_S, 1)
            }
            (Incident::Deviation, _) => {
                ctx.world.market.relayer_b_bias = 0.0;
                Next::Done
            }
            (Incident::Crash, 0) => {
                self.crash_mints = false;
                match crash_target(ctx, chain)? {
                    Some(target) => {
                        ctx.world.market.target_raw = Some(target);
                        Next::After(60, 1)
                    }
                    None => Next::Done,
                }
            }
            (Incident::Crash, 1) => {
                // One step down every ten minutes, the keeper re-evaluating the breaker each
                // time; once it warns, tenants buy ACT on the dip and the next step goes to the
                // bottom (the price of the target ratio, recomputed from the vault), where the
                // breaker holds those mints.
                let Some(target) = crash_target(ctx, chain)? else {
                    return Ok(Next::Done);
                };
                ctx.world.market.target_raw = Some(target);
                let step = ((ctx.world.market.price_raw as f64) * CRASH_STEP) as i64;
                let next = if self.crash_mints {
                    target
                } else {
                    step.max(target)
                };
                relayer::push_at(ctx, chain, next)?;
                keeper::process(ctx, chain)?;
                let status: bme::msg::StatusResponse =
                    ctx.query(chain, "bme", &bme::msg::QueryMsg::Status {})?;
                if !self.crash_mints && status.live_mode == bme::msg::Mode::Warning {
                    for _ in 0..3 {
                        let tenant = ctx.some_tenant();
                        tenants::mint(ctx, chain, tenant, 4_000)?;
                    }
                    self.crash_mints = true;
                    // The bottom comes in the next block, before their (stretched) epoch.
                    return Ok(Next::After(ctx.block_time_s, 1));
                }
                if status.live_mode == bme::msg::Mode::HaltCr {
                    ctx.world.market.frozen = true;
                    Next::After(20 * 60, 2)
                } else {
                    Next::After(10 * 60, 1)
                }
            }
            (Incident::Crash, 2) => {
                // Held at the bottom while the halted mints retry and get cancelled.
                let held = self.elapsed(Incident::Crash, now);
                if ctx.world.market.bme_pending > 0 && held < 2 * DAY_S {
                    return Ok(Next::After(20 * 60, 2));
                }
                // Governance refills the vault; the walk drifts back to its mean.
                let vault: bme::msg::Vault =
                    ctx.query(chain, "bme", &bme::msg::QueryMsg::Vault {})?;
                let refill = vault.vault_akt.u128() * 6 / 10;
                let any = exec(
                    ctx,
                    chain,
                    "bme",
                    &bme::msg::ExecuteMsg::FundVault {},
                    vec![crate::proto::Coin::new(refill.max(1), "uakt")],
                )?;
                gov.propose(
                    ctx,
                    chain,
                    "Refill the BME vault after the AKT crash",
                    vec![any],
                    Then::Nothing,
                )?;
                ctx.world.market.frozen = false;
                ctx.world.market.target_raw = None;
                Next::After(2 * HOUR_S, 3)
            }
            (Incident::Crash, _) => {
                keeper::process(ctx, chain)?;
                Next::Done
            }
            (Incident::Pause, 0) => {
                let any = exec(
                    ctx,
                    chain,
                    "reservations",
                    &ReservationsMsg::SetPaused { paused: true },
                    vec![],
                )?;
                gov.propose(
                    ctx,
                    chain,
                    "Pause reservations during the auditor migration",
                    vec![any],
                    Then::Paused("reservations", true),
                )?;
                Next::After(6 * HOUR_S, 1)
            }
            (Incident::Pause, _) => {
                let any = exec(
                    ctx,
                    chain,
                    "reservations",
                    &ReservationsMsg::SetPaused { paused: false },
                    vec![],
                )?;
                gov.propose(
                    ctx,
                    chain,
                    "Resume reservations",
                    vec![any],
                    Then::Paused("reservations", false),
                )?;
                Next::Done
            }
            (Incident::Authority, 0) => {
                let council = ctx.cast.council.addr.to_string();
                let to_council = exec(
                    ctx,
                    chain,
                    "oracle",
                    &OracleMsg::Authority(AuthorityMsg::Propose {
                        new_authority: council.clone(),
                    }),
                    vec![],
                )?;
                // A pip handover proposed and withdrawn in the same proposal.
                let proposed = exec(
                    ctx,
                    chain,
                    "pip",
                    &PipMsg::Authority(AuthorityMsg::Propose {
                        new_authority: council,
                    }),
                    vec![],
                )?;
                let withdrawn = exec(
                    ctx,
                    chain,
                    "pip",
                    &PipMsg::Authority(AuthorityMsg::Cancel {}),
                    vec![],
                )?;
                gov.propose(
                    ctx,
                    chain,
                    "Hand the oracle to the operations council",
                    vec![to_council, proposed, withdrawn],
                    Then::Nothing,
                )?;
                Next::After(HOUR_S, 1)
            }
            (Incident::Authority, 1) => {
                let council = ctx.cast.council.clone();
                let call = Call::new("oracle", &OracleMsg::Authority(AuthorityMsg::Accept {}))?;
                ctx.send(chain, &council, vec![call], "oracle.accept_authority")?;
                Next::After(HOUR_S, 2)
            }
            (Incident::Authority, 2) => {
                // The council tightens the deviation limit, then hands the oracle back.
                let council = ctx.cast.council.clone();
                let calls = vec![
                    Call::new(
                        "oracle",
                        &OracleMsg::UpdateConfig {
                            max_staleness_s: None,
                            max_conf_bps: None,
                            max_future_drift_s: None,
                            twap_window_s: None,
                            max_deviation_bps: Some(140),
                            min_sources: None,
                        },
                    )?,
                    Call::new(
                        "oracle",
                        &OracleMsg::Authority(AuthorityMsg::Propose {
                            new_authority: chain.gov().to_string(),
                        }),
                    )?,
                ];
                ctx.send(chain, &council, calls, "oracle.council")?;
                Next::After(HOUR_S, 3)
            }
            (Incident::Authority, _) => {
                let any = exec(
                    ctx,
                    chain,
                    "oracle",
                    &OracleMsg::Authority(AuthorityMsg::Accept {}),
                    vec![],
                )?;
                gov.propose(
                    ctx,
                    chain,
                    "Take the oracle back from the council",
                    vec![any],
                    Then::Nothing,
                )?;
                Next::Done
            }
            (Incident::ProviderCancel, 0) => {
                let tenant = ctx.some_tenant();
                self.booking = tenants::book(ctx, chain, tenant, None, BookingPlan::CancelLate)?;
                match self.booking {
                    Some(_) => Next::After(2 * DAY_S, 1),
                    None => Next::After(HOUR_S, 0),
                }
            }
            (Incident::ProviderCancel, _) => {
                let Some(id) = self.booking.take() else {
                    return Ok(Next::Done);
                };
                let r: reservations::msg::ReservationResponse = ctx.query(
                    chain,
                    "reservations",
                    &reservations::msg::QueryMsg::Reservation { id },
                )?;
                let any = exec(
                    ctx,
                    chain,
                    "reservations",
                    &ReservationsMsg::SlashBond {
                        provider: r.reservation.provider.to_string(),
                        amount: Uint256::from(500 * AKT),
                        reason: format!("cancelled confirmed reservation {id}"),
                        reservation_id: Some(id),
                    },
                    vec![],
                )?;
                gov.propose(
                    ctx,
                    chain,
                    "Slash a provider for a cancelled reservation",
                    vec![any],
                    Then::Nothing,
                )?;
                Next::Done
            }
            (Incident::Attestation, 0) => {
                auditor::revoke(ctx, chain, 0)?;
                Next::After(DAY_S, 1)
            }
            (Incident::Attestation, _) => {
                auditor::attest(ctx, chain, Some(vec![0]))?;
                Next::Done
            }
            (Incident::Reclamation, _) => {
                let host = ctx
                    .world
                    .hosts
                    .iter()
                    .position(|h| h.reclamation_s.is_some());
                let tenant = ctx.some_tenant();
                match host {
                    Some(h) => {
                        match tenants::book(ctx, chain, tenant, Some(h), BookingPlan::Reclaim)? {
                            Some(_) => Next::Done,
                            None => Next::After(HOUR_S, 1),
                        }
                    }
                    None => Next::Done,
                }
            }
            (Incident::ExpiredRequest, _) => {
                let tenant = ctx.some_tenant();
                match tenants::book(ctx, chain, tenant, None, BookingPlan::Ignore)? {
                    Some(_) => Next::Done,
                    None => Next::After(HOUR_S, 1),
                }
            }
            (Incident::Upgrade, _) => {
                if ctx.suite.previous_release.is_empty() {
                    return Ok(Next::Done);
                }
                if !gov.idle() {
                    // One proposal at a time: the upgrade predicts the code ids it stores.
                    return Ok(Next::After(HOUR_S, 1));
                }
                let (msgs, codes) = upgrade_msgs(ctx, chain)?;
                gov.propose(
                    ctx,
                    chain,
                    "Upgrade the Supercloud suite to the current release",
                    msgs,
                    Then::Upgraded(codes),
                )?;
                Next::Done
            }
            (Incident::PilotCancel, _) => {
                let open = ctx
                    .world
                    .pilots
                    .iter()
                    .rev()
                    .find(|p| !p.closed && p.end > height)
                    .map(|p| p.id);
                if let Some(pilot_id) = open {
                    let any = exec(
                        ctx,
                        chain,
                        "pip",
                        &PipMsg::Cancel(PilotRef { pilot_id }),
                        vec![],
                    )?;
                    gov.propose(
                        ctx,
                        chain,
                        "Cancel the liquidity pilot early",
                        vec![any],
                        Then::Nothing,
                    )?;
                    if let Some(p) = ctx.world.pilots.iter_mut().find(|p| p.id == pilot_id) {
                        p.closed = true;
                    }
                }
                Next::Done
            }
        })
    }
}

/// The AKT price (raw) at which the bme collateral ratio is [`CRASH_TARGET_CR_BPS`]:
/// `CR = vault_akt × price / supply`. `None` without ACT or collateral.
fn crash_target(ctx: &Ctx, chain: &Chain) -> anyhow::Result<Option<i64>> {
    let vault: bme::msg::Vault = ctx.query(chain, "bme", &bme::msg::QueryMsg::Vault {})?;
    if vault.supply.is_zero() || vault.vault_akt.is_zero() {
        return Ok(None);
    }
    let price =
        CRASH_TARGET_CR_BPS / 10_000.0 * vault.supply.u128() as f64 / vault.vault_akt.u128() as f64;
    let raw = (price * 1e8) as i64;
    Ok((raw >= relayer::PRICE_BOUNDS.0).then_some(raw))
}

/// Contract names and the code ids they run.
type CodeIds = Vec<(String, u64)>;

/// The upgrade proposal: store the current artifacts of the contracts deployed at the previous
/// release, then migrate each to its new code (ids predicted: the chain numbers codes in order).
fn upgrade_msgs(ctx: &Ctx, chain: &Chain) -> anyhow::Result<(Vec<Any>, CodeIds)> {
    let gov = chain.gov().to_string();
    let next_id = codes::all(chain.app().storage())?.len() as u64 + 1;
    let mut stores = Vec::new();
    let mut migrates = Vec::new();
    let mut codes = Vec::new();
    for (i, name) in ctx.suite.previous_release.iter().enumerate() {
        codes.push((name.clone(), next_id + i as u64));
        stores.push(
            MsgStoreCode {
                sender: gov.clone(),
                wasm_byte_code: crate::genesis::read_artifact(name)?,
                instantiate_permission: Some(AccessConfig::any_of(vec![gov.clone()])),
            }
            .to_any(),
        );
        migrates.push(
            MsgMigrateContract {
                sender: gov.clone(),
                contract: ctx.addr(name)?,
                code_id: next_id + i as u64,
                msg: serde_json::to_vec(&gov_proposal::suite::migrate_msg(name)?)?,
            }
            .to_any(),
        );
    }
    stores.extend(migrates);
    Ok((stores, codes))
}
