//! A 30-day `demo` history, the one the demo serves: every block's contract events parse
//! through the catalogue, every stress path of the calendar shows up as its catalogue event,
//! popularity is skewed, most deployments never lease, the stablecoin is used, and nothing
//! failed that was not meant to. Contracts see each sealed block's own height and time.
//!
//! Everything is read through the catalogue (`ParsedEvent`, typed fields), never by attribute
//! key; only SDK-level facts (tx codes, gas) are read from the results themselves.

use std::collections::BTreeMap;
use std::time::Instant;

use cosmwasm_std::Addr;
use devnet::genesis::CONTRACTS;
use devnet::node::ExecutedBlock;
use devnet::runner::{genesis, DevnetConfig};
use devnet::scenario::STABLE;
use supercloud_events::bme::{CancelReason, Mode, RetryReason};
use supercloud_events::escrow::{CloseReason, EscrowEvent};
use supercloud_events::oracle::OracleEvent;
use supercloud_events::pip::{PilotStatus, PipEvent};
use supercloud_events::reservations::{CancelledBy, ReservationsEvent};
use supercloud_events::{bme::BmeEvent, ParsedEvent, SupercloudEvent};

/// Every contract event of the history, with the block it is in.
struct History {
    events: Vec<(u64, u64, ParsedEvent)>,
    blocks: Vec<ExecutedBlock>,
}

impl History {
    fn escrow(&self) -> impl Iterator<Item = (u64, &EscrowEvent)> {
        self.events.iter().filter_map(|(h, _, p)| match &p.event {
            SupercloudEvent::Escrow(e) => Some((*h, e)),
            _ => None,
        })
    }

    fn bme(&self) -> impl Iterator<Item = &BmeEvent> {
        self.events.iter().filter_map(|(_, _, p)| match &p.event {
            SupercloudEvent::Bme(e) => Some(e),
            _ => None,
        })
    }

    fn oracle(&self) -> impl Iterator<Item = &OracleEvent> {
        self.events.iter().filter_map(|(_, _, p)| match &p.event {
            SupercloudEvent::Oracle(e) => Some(e),
            _ => None,
        })
    }

    fn pip(&self) -> impl Iterator<Item = &PipEvent> {
        self.events.iter().filter_map(|(_, _, p)| match &p.event {
            SupercloudEvent::Pip(e) => Some(e),
            _ => None,
        })
    }

    fn reservations(&self) -> impl Iterator<Item = (u64, &ReservationsEvent)> {
        self.events.iter().filter_map(|(_, t, p)| match &p.event {
            SupercloudEvent::Reservations(e) => Some((*t, e)),
            _ => None,
        })
    }

    /// How many events of `<contract>.<action>`.
    fn count(&self, ty: &str) -> usize {
        self.events
            .iter()
            .filter(|(_, _, p)| {
                let m = p.event.meta();
                format!("{}.{}", m.contract, m.action) == ty
            })
            .count()
    }
}

/// Parses every `wasm-*` event of every block (successful txs and block events) through the
/// catalogue; any error fails the test.
fn parse_all(blocks: Vec<ExecutedBlock>) -> History {
    let mut events = Vec::new();
    let mut errors = Vec::new();
    for b in &blocks {
        let time = (b.time_unix_nanos / 1_000_000_000) as u64;
        let tx_events = b
            .txs
            .iter()
            .filter(|t| t.outcome.code == 0)
            .flat_map(|t| &t.outcome.events);
        for e in tx_events.chain(&b.finalize_block_events) {
            if !e.kind.starts_with("wasm-") {
                continue;
            }
            let attrs = e
                .attributes
                .iter()
                .map(|a| (a.key.as_str(), a.value.as_str()));
            match ParsedEvent::parse(&e.kind, attrs) {
                Ok(Some(p)) => events.push((b.height, time, p)),
                Ok(None) => errors.push(format!("{}: not in the catalogue", e.kind)),
                Err(err) => errors.push(format!("{} at {}: {err}", e.kind, b.height)),
            }
        }
    }
    assert!(
        errors.is_empty(),
        "{} wasm events did not parse, e.g. {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    History { events, blocks }
}

/// Events per `<contract>.<action>` from height `from` on.
fn count(events: &[(u64, u64, ParsedEvent)], from: u64) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, _, p) in events.iter().filter(|(h, _, _)| *h >= from) {
        let m = p.event.meta();
        *counts
            .entry(format!("{}.{}", m.contract, m.action))
            .or_default() += 1;
    }
    counts
}

#[test]
fn a_demo_month_looks_like_a_network() {
    let config = DevnetConfig {
        history_days: 30,
        vm_cache: Some(supercloud_vm::workspace_cache_dir()),
        ..DevnetConfig::default()
    };
    let started = Instant::now();
    let mut blocks: Vec<ExecutedBlock> = Vec::new();
    let mut sink = |b| blocks.push(b);
    let (mut chain, mut scenario, suite) = genesis(&config, &mut sink).unwrap();
    scenario
        .fast_forward(&mut chain, 30, &mut sink, &mut |_| {})
        .unwrap();
    let built = started.elapsed();
    let stats = scenario.stats().clone();
    assert_eq!(
        chain.height(),
        blocks.len() as u64,
        "every sealed block went to the sink"
    );
    let history = parse_all(blocks);

    // The counts per contract and type (for the report); the scenario counted the same in the
    // blocks it sealed (all but the suite's deployment).
    let counts = count(&history.events, 0);
    eprintln!(
        "30 demo days in {built:.1?}: {} blocks, {} txs, {} catalogue events\n{stats}",
        chain.height(),
        stats.txs,
        history.events.len()
    );
    for (ty, n) in &counts {
        eprintln!("  {ty:<40} {n:>7}");
    }
    let first_scenario_block = chain.height() - stats.blocks + 1;
    let counted: BTreeMap<String, usize> = stats
        .events
        .iter()
        .map(|(k, v)| (k.clone(), *v as usize))
        .collect();
    assert_eq!(
        count(&history.events, first_scenario_block),
        counted,
        "the scenario's counters agree with the blocks"
    );
    assert_eq!(stats.event_error_count, 0, "{:?}", stats.event_errors);
    assert_eq!(
        stats.unexpected_count, 0,
        "unexpected failures: {:?}",
        stats.unexpected
    );
    assert!(stats.failed_on_purpose > 0, "no deliberate failure");

    // Every contract got traffic, and every contract event came from the suite.
    for name in CONTRACTS {
        let c = stats
            .contracts
            .get(name)
            .unwrap_or_else(|| panic!("no traffic on {name}"));
        assert!(c.msgs > 0, "no messages to {name}");
    }
    let suite_addrs: Vec<&Addr> = suite.contracts.values().collect();
    assert!(history
        .events
        .iter()
        .all(|(_, _, p)| suite_addrs.contains(&&p.contract)));

    stress_paths(&history);
    shape(&history);
    contracts_see_their_block(&history);
    keeper_gas(&history);
}

/// Every stress path of the calendar, as its catalogue event.
fn stress_paths(h: &History) {
    let escrow: Vec<(u64, &EscrowEvent)> = h.escrow().collect();
    let any = |f: &dyn Fn(&EscrowEvent) -> bool| escrow.iter().any(|(_, e)| f(e));
    assert!(
        any(&|e| matches!(e, EscrowEvent::Overdrawn(_))),
        "no overdraw"
    );
    assert!(
        any(&|e| matches!(e, EscrowEvent::DebtPaid(_))),
        "no debt paid"
    );
    assert!(any(&|e| matches!(e, EscrowEvent::Reopened(_))), "no reopen");
    assert!(
        any(&|e| matches!(e, EscrowEvent::AccountClosed(c) if c.reason == CloseReason::Overdrawn)),
        "no account closed after its grace window"
    );
    assert!(
        any(&|e| matches!(e, EscrowEvent::PaymentClosed(c) if c.reason == CloseReason::Provider)),
        "no lease closed by its provider"
    );
    assert!(
        any(&|e| matches!(e, EscrowEvent::AllowanceGranted(g) if g.expires_at.is_some())),
        "no expiring allowance"
    );
    assert!(
        any(&|e| matches!(e, EscrowEvent::AllowanceRevoked(_))),
        "no allowance revoked"
    );
    assert!(
        any(&|e| matches!(e, EscrowEvent::DepositConsumed(_))),
        "no deposit consumed"
    );

    let bme: Vec<&BmeEvent> = h.bme().collect();
    let mode_to = |m: Mode| {
        bme.iter()
            .any(|e| matches!(e, BmeEvent::ModeChanged(c) if c.to == m))
    };
    assert!(mode_to(Mode::Warning), "bme never warned");
    assert!(
        mode_to(Mode::HaltCr),
        "bme never halted on its collateral ratio"
    );
    assert!(mode_to(Mode::HaltOracle), "bme never halted for the oracle");
    assert!(mode_to(Mode::Healthy), "bme never recovered");
    assert!(bme.iter().any(
        |e| matches!(e, BmeEvent::RecordRetried(r) if r.reason == RetryReason::OracleUnhealthy)
    ));
    assert!(bme
        .iter()
        .any(|e| matches!(e, BmeEvent::RecordRetried(r) if r.reason == RetryReason::Halted)));
    assert!(bme.iter().any(
        |e| matches!(e, BmeEvent::RecordCancelled(c) if c.reason == CancelReason::OracleUnhealthy)
    ));
    assert!(bme
        .iter()
        .any(|e| matches!(e, BmeEvent::RecordCancelled(c) if c.reason == CancelReason::Halted)));
    assert!(
        h.count("bme.vault_funded") >= 2,
        "the vault was never refilled"
    );

    let oracle: Vec<&OracleEvent> = h.oracle().collect();
    assert!(
        oracle
            .iter()
            .any(|e| matches!(e, OracleEvent::PriceAggregated(p) if p.left_out.is_some())),
        "no deviating source left out"
    );
    assert!(oracle
        .iter()
        .any(|e| matches!(e, OracleEvent::HealthChanged(_))));
    assert!(oracle
        .iter()
        .any(|e| matches!(e, OracleEvent::SourceAdded(_))));

    let res: Vec<&ReservationsEvent> = h.reservations().map(|(_, e)| e).collect();
    let cancelled_by = |by: CancelledBy| {
        res.iter()
            .any(|e| matches!(e, ReservationsEvent::ReservationCancelled(c) if c.by == by))
    };
    assert!(cancelled_by(CancelledBy::Provider), "no provider cancel");
    assert!(cancelled_by(CancelledBy::Expired), "no expired request");
    assert!(
        res.iter()
            .any(|e| matches!(e, ReservationsEvent::BondSlashed(s) if s.reservation_id.is_some())),
        "no slash for a cancelled reservation"
    );
    for ty in [
        "reservations.reclamation_started",
        "reservations.reservation_reclaimed",
        "reservations.bond_unbonding",
        "reservations.bond_claimed",
        "reservations.attestation_revoked",
        "reservations.reservation_completed",
        "pip.returned",
    ] {
        assert!(h.count(ty) > 0, "no {ty}");
    }

    let pip: Vec<&PipEvent> = h.pip().collect();
    let closed = |s: PilotStatus| {
        pip.iter()
            .any(|e| matches!(e, PipEvent::PilotClosed(c) if c.status == s))
    };
    assert!(closed(PilotStatus::Finalized), "no pilot finalized");
    assert!(closed(PilotStatus::Cancelled), "no pilot cancelled");

    // Governance: pause and resume, configuration, authority handovers, the upgrade.
    for suffix in [
        "pause_changed",
        "config_updated",
        "authority_proposed",
        "authority_accepted",
        "authority_cancelled",
        "migrated",
    ] {
        let n: usize = h
            .events
            .iter()
            .filter(|(_, _, p)| p.event.meta().action == suffix)
            .count();
        assert!(n > 0, "no {suffix} event on any contract");
    }
    assert_eq!(
        h.count("reservations.pause_changed"),
        2,
        "paused once, resumed once"
    );
    assert_eq!(
        h.events
            .iter()
            .filter(|(_, _, p)| p.event.meta().action == "migrated")
            .count(),
        5,
        "the five governance contracts migrated once"
    );
}

/// Skewed popularity, lease-less majority, the stablecoin in use.
fn shape(h: &History) {
    let mut leases: BTreeMap<&Addr, usize> = BTreeMap::new();
    let mut opened = 0usize;
    let mut leased = std::collections::BTreeSet::new();
    let mut stable = 0usize;
    for (_, e) in h.escrow() {
        match e {
            EscrowEvent::PaymentOpened(p) => {
                *leases.entry(&p.provider).or_default() += 1;
                leased.insert((p.owner.clone(), p.dseq));
            }
            EscrowEvent::AccountOpened(a) => {
                opened += 1;
                if a.denom == STABLE {
                    stable += 1;
                }
            }
            _ => {}
        }
    }
    let mut per_provider: Vec<usize> = leases.values().copied().collect();
    per_provider.sort_unstable();
    assert!(
        per_provider.len() >= 8,
        "leases on {} providers",
        per_provider.len()
    );
    let busiest = per_provider[per_provider.len() - 1];
    let n = per_provider.len();
    let median = if n % 2 == 1 {
        per_provider[n / 2] as f64
    } else {
        (per_provider[n / 2 - 1] + per_provider[n / 2]) as f64 / 2.0
    };
    eprintln!("leases per provider: {per_provider:?} (busiest {busiest}, median {median})");
    assert!(
        busiest as f64 >= 3.0 * median,
        "busiest provider {busiest} leases, median {median}"
    );
    eprintln!(
        "deployments: {opened} opened, {} leased, {stable} in the stablecoin",
        leased.len()
    );
    assert!(
        leased.len() * 2 < opened,
        "most deployments never lease ({} of {opened} leased)",
        leased.len()
    );
    assert!(stable > 0, "no deployment in the stablecoin");
}

/// Contracts saw each block's own height and time.
fn contracts_see_their_block(h: &History) {
    let (mut heights, mut times) = (0, 0);
    for (height, time, p) in &h.events {
        match &p.event {
            SupercloudEvent::Escrow(EscrowEvent::AccountOpened(a)) => {
                assert_eq!(a.height, *height);
                heights += 1;
            }
            SupercloudEvent::Reservations(ReservationsEvent::ReservationConfirmed(c)) => {
                assert_eq!(c.time, *time);
                times += 1;
            }
            _ => {}
        }
    }
    assert!(heights > 0 && times > 0);
}

/// The pip keeper sizes its gas by simulation (×1.4); the deliberately starved deposits ran
/// out of gas as the SDK reports it.
fn keeper_gas(h: &History) {
    let txs = || h.blocks.iter().flat_map(|b| &b.txs);
    let mut settles = 0;
    for t in txs() {
        let settled = t.outcome.events.iter().any(|e| {
            matches!(
                e.parsed(),
                Ok(Some(ParsedEvent {
                    event: SupercloudEvent::Pip(PipEvent::EpochSettled(_)),
                    ..
                }))
            )
        });
        if settled {
            let (wanted, used) = (t.outcome.gas_wanted, t.outcome.gas_used);
            assert!(
                used * 13 / 10 <= wanted && wanted <= used * 15 / 10,
                "{:?}",
                t.outcome
            );
            settles += 1;
        }
    }
    assert!(settles > 0, "no pip settlement");
    let out_of_gas: Vec<_> = txs().filter(|t| t.outcome.code == 11).collect();
    assert!(!out_of_gas.is_empty(), "no out-of-gas tx in a month");
    for t in out_of_gas {
        let o = &t.outcome;
        assert!(o.gas_used > o.gas_wanted && o.gas_wanted == 40_000, "{o:?}");
        assert!(o.log.ends_with(": out of gas"), "{}", o.log);
    }
}
