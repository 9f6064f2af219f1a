//! Verified work cannot be bought from oneself (DESIGN §4.1, §4.4): the review scenario of a
//! self-paid lease, and the bound for two colluding addresses documented at
//! `pip::measure::cap_payout`.

use crate::common;

use common::*;
use pip::msg::ExecuteMsg;
use supercloud_events::pip as ev;
use supercloud_multitest::events::{of, one};

const AKT: u128 = 1_000_000;
/// $0.50 per AKT with 8 decimals.
const HALF_USD: i64 = 50_000_000;

/// The review's finding: a provider opened its own escrow account and a lease paying itself
/// 1 uakt per block for 1,000 H100s (75 blocks: 75 uakt, paid to itself); the committed pilot
/// then paid it its whole 10,000,000 uakt budget. Now the lease books no verified work, so the
/// pilot pays nothing and returns the budget whole.
#[test]
fn a_self_paid_lease_earns_nothing() {
    let mut s = Suite::new();
    let h0 = s.height();
    let budget = 10_000_000;
    let id = s
        .create(committed(h0, h0 + 100, 100, "2.5"), budget)
        .unwrap();
    s.enroll(id, &["p1"]);
    let own = s.lease("p1", "p1", 1, "h100", 1_000, 1_000);
    s.advance(75);
    let b1 = s.bank("p1");
    s.withdraw("p1", &own);
    assert_eq!(
        s.bank("p1") - b1,
        75,
        "the lease cost its owner 75 uakt, paid to itself"
    );
    let escrow = s.escrow.clone();
    let work = s.work_of(&escrow, "p1", "h100", h0, h0 + 100);
    assert!(
        work.value.is_zero() && work.gpu_seconds.is_zero() && work.gpu_blocks.is_zero(),
        "{work:?}"
    );

    s.advance_to(h0 + 101);
    s.push_price(HALF_USD);
    let b1 = s.bank("p1");
    let res = s.settle(id, 0, None).unwrap();
    assert_eq!(s.bank("p1"), b1, "the self-paying provider gets 0");
    let settled = one::<ev::EpochSettled>(&res);
    assert!(settled.amount.is_zero() && settled.due.is_zero() && settled.value.is_zero());
    assert!(
        of::<ev::BasisMeasured>(&res).is_empty(),
        "no work, no basis"
    );

    let before = s.bank_of(&s.treasury.clone());
    s.exec_ok("stranger", &ExecuteMsg::Finalize(pilot_ref(id)), &[]);
    assert_eq!(s.bank_of(&s.treasury.clone()) - before, budget);
    assert_eq!(s.held(), 0);
}

/// The reservations side of the same rule: a provider cannot reserve its own host.
#[test]
fn a_provider_cannot_reserve_its_own_host() {
    let mut s = Suite::with_reservations();
    let t0 = s.app.block_info().time.seconds();
    s.register_host("p1", "n1", "h100", 1_000, 1);
    s.appoint_auditor("auditor");
    s.attest("auditor", "p1", "n1");
    let err = s.reserve("p1", "p1", "n1", t0, t0 + 3_600, 1).unwrap_err();
    assert!(err.says("its own host"), "{err}");
}

/// Two addresses under one control: `owner2` pays `p2` 1 uakt per block for 1,000 declared
/// H100s. The move costs the pair nothing (the value stays theirs), and the rule alone would pay
/// p2 for 100 GPU-hours. The pilot pays at most `max_payout_multiple` (2) × the value moved, so
/// the pair's net gain per unit moved is at most 2; an honest provider in the same epoch is paid
/// by the rule as before.
#[test]
fn a_colluding_pair_gains_at_most_the_multiple_per_unit_moved() {
    let mut s = Suite::new();
    let h0 = s.height();
    let mut new = committed(h0, h0 + 100, 100, "2.5");
    new.volatility_buffer_bps = 0;
    let id = s.create(new, 10_000 * AKT).unwrap();
    s.enroll(id, &["p1", "p2"]);
    let pair = |s: &Suite| s.bank("owner2") + s.bank("p2");
    let before = pair(&s);
    let colluding = s.lease("owner2", "p2", 1, "h100", 1_000, 1_000);
    let honest = s.honest_lease("owner", "p1", "h100", 8);
    s.advance(60);
    s.withdraw("p2", &colluding);
    s.withdraw("p1", &honest);
    // The pair takes back what it did not move.
    s.close_account(&colluding);
    let moved = 60u128;
    assert_eq!(
        pair(&s),
        before,
        "moving value inside the pair costs it nothing"
    );

    s.advance_to(h0 + 101);
    s.push_price(HALF_USD);
    let b1 = s.bank("p1");
    let res = s.settle(id, 0, None).unwrap();
    let gain = pair(&s) - before;
    // The documented bound: gain per unit moved <= the multiple.
    assert!(gain <= 2 * moved, "gain {gain} for {moved} moved");
    // And it binds: 1,000 GPUs × 60 blocks × 6 s = 100 GPU-hours × $2.5 = $250 = 500 AKT due.
    assert_eq!(gain, 2 * moved);
    let settled = of::<ev::EpochSettled>(&res);
    let p2 = settled.iter().find(|e| e.provider == s.addr("p2")).unwrap();
    assert_eq!(p2.due, u256(500 * AKT));
    assert_eq!(p2.value, u256(moved));
    assert_eq!(p2.value_cap, u256(2 * moved));
    assert_eq!(p2.amount, u256(2 * moved));
    assert_eq!(p2.max_payout_multiple, dec(MULTIPLE));
    assert!(p2.capped);
    // The honest provider: 8 GPUs × 60 blocks = 0.8 GPU-hours × $2.5 = $2 = 4 AKT, well within
    // twice its 2.4 AKT of lease income.
    assert_eq!(s.bank("p1") - b1, 4 * AKT);
    let p1 = settled.iter().find(|e| e.provider == s.addr("p1")).unwrap();
    assert_eq!(p1.value, u256(60 * market_rate(8)));
    assert!(!p1.capped);
    // Everything not paid stays in the pilot and returns at the end.
    assert_eq!(s.budget(id).paid, u256(4 * AKT + 2 * moved));
}

/// The same pair in a liquidity pilot: its 1,000 declared GPUs take almost the whole pro-rata
/// share, but it is paid at most twice what it moved; the rest of the allocation returns.
#[test]
fn a_colluding_pair_in_a_liquidity_pilot_is_capped_too() {
    let mut s = Suite::new();
    let h0 = s.height();
    let id = s.create(liquidity(h0, h0 + 100, 100, AKT), AKT).unwrap();
    s.enroll(id, &["p1", "p2"]);
    let pair = |s: &Suite| s.bank("owner2") + s.bank("p2");
    let before = pair(&s);
    let colluding = s.lease("owner2", "p2", 1, "h100", 1_000, 1_000);
    let honest = s.honest_lease("owner", "p1", "h100", 8);
    s.advance(60);
    s.withdraw("p2", &colluding);
    s.withdraw("p1", &honest);
    s.close_account(&colluding);
    let moved = 60u128;
    s.advance_to(h0 + 101);
    let (b1, t0) = (s.bank("p1"), s.bank_of(&s.treasury.clone()));
    s.settle_all(id, 0, 10);
    let gain = pair(&s) - before;
    assert_eq!(gain, 2 * moved, "capped at twice the value moved");
    // p1's share: 8 of 1,008 GPUs of 1 AKT, floored (uncapped: it earned 2.4 AKT).
    let share = AKT * 8 / 1_008;
    assert_eq!(s.bank("p1") - b1, share);
    assert_eq!(
        s.bank_of(&s.treasury.clone()) - t0,
        AKT - share - 2 * moved,
        "the capped part of the allocation returns when the epoch completes"
    );
    assert_eq!(s.held(), 0);
}
