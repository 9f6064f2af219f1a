//! The projector on hand-made event sequences whose spend is worked out by hand.

use chrono::{DateTime, TimeZone, Utc};
use cosmwasm_std::{Addr, Decimal256, Uint256};
use supercloud_events::escrow::{
    AccountOpened, CloseReason, DepositSourceKind, Deposited, EscrowEvent, Overdrawn,
    PaymentClosed, PaymentOpened, Reopened,
};
use supercloud_events::oracle::{Health, OracleEvent, PriceAggregated};
use supercloud_events::SupercloudEvent;

use super::*;

const OWNER: &str = "tenant";

fn time(height: u64) -> DateTime<Utc> {
    // One block an hour from midnight: heights 0..=23 are day 1, 24..=47 day 2.
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::hours(height as i64)
}

fn esc(e: impl Into<EscrowEvent>) -> SupercloudEvent {
    SupercloudEvent::Escrow(e.into())
}

fn opened(height: u64, denom: &str) -> SupercloudEvent {
    esc(AccountOpened {
        owner: Addr::unchecked(OWNER),
        dseq: 1,
        denom: denom.into(),
        height,
    })
}

fn deposited(height: u64, denom: &str, depletes_at: Option<u64>) -> SupercloudEvent {
    esc(Deposited {
        owner: Addr::unchecked(OWNER),
        dseq: 1,
        depositor: Addr::unchecked(OWNER),
        source: DepositSourceKind::Funds,
        grantee: None,
        amount: Uint256::from(100u32),
        denom: denom.into(),
        deposit_remaining: Uint256::from(100u32),
        balance: Uint256::from(100u32),
        height,
        account_rate: Decimal256::zero(),
        depletes_at,
    })
}

fn payment(
    height: u64,
    denom: &str,
    rate: Decimal256,
    depletes_at: Option<u64>,
) -> SupercloudEvent {
    esc(PaymentOpened {
        owner: Addr::unchecked(OWNER),
        dseq: 1,
        payment_id: 1,
        provider: Addr::unchecked("provider"),
        rate,
        denom: denom.into(),
        gpu_model: "h100".into(),
        gpu_count: 8,
        height,
        account_rate: rate,
        depletes_at,
    })
}

/// Projects blocks `from..=to`, with `events` at their heights.
fn run(p: &mut Projector, from: u64, to: u64, events: &[(u64, SupercloudEvent)]) -> Changes {
    let blocks: Vec<BlockIn<'_>> = (from..=to)
        .map(|h| BlockIn {
            height: h,
            time: time(h),
            events: events
                .iter()
                .filter(|(at, _)| *at == h)
                .map(|(_, e)| e)
                .collect(),
        })
        .collect();
    p.project(&blocks)
}

fn spend(c: &Changes) -> Vec<(String, String, u64)> {
    c.lease_days
        .iter()
        .filter(|(_, d)| d.live_blocks > 0)
        .map(|((day, _), d)| (day.to_string(), d.spend.to_string(), d.live_blocks))
        .collect()
}

#[test]
fn a_payment_is_charged_from_the_block_after_opening_through_closing_split_by_day() {
    let mut p = Projector::default();
    let rate = Decimal256::percent(250);
    let closed = esc(PaymentClosed {
        owner: Addr::unchecked(OWNER),
        dseq: 1,
        payment_id: 1,
        provider: Addr::unchecked("provider"),
        reason: CloseReason::Owner,
        paid_out: Uint256::zero(),
        unpaid_debt: Uint256::zero(),
        denom: "uakt".into(),
        height: 30,
        account_rate: Decimal256::zero(),
        depletes_at: None,
    });
    let events = [
        (1, opened(1, "uakt")),
        (1, deposited(1, "uakt", None)),
        (20, payment(20, "uakt", rate, None)),
        (30, closed),
    ];
    // Live blocks 21..=30: 21, 22, 23 on day 1 (3), 24..=30 on day 2 (7).
    let c = run(&mut p, 1, 40, &events);
    assert_eq!(
        spend(&c),
        vec![
            ("2026-01-01".into(), "7.5".into(), 3),
            ("2026-01-02".into(), "17.5".into(), 7)
        ]
    );
    assert!(c.anomalies.is_empty(), "{:?}", c.anomalies);
    let interval: Vec<_> = c.intervals.iter().map(|((_, f), t)| (*f, *t)).collect();
    assert_eq!(interval, vec![(20, Some(30))]);
}

#[test]
fn a_predicted_depletion_stops_charging_before_anyone_touches_the_account_and_batches_do_not_matter(
) {
    let rate = Decimal256::one();
    let events = [
        (1, opened(1, "uakt")),
        (1, deposited(1, "uakt", None)),
        (2, payment(2, "uakt", rate, Some(10))),
        // Touched long after: the contract reports exhaustion at 10; debt paid, reopened at 30.
        (
            25,
            esc(Overdrawn {
                owner: Addr::unchecked(OWNER),
                dseq: 1,
                height: 25,
                exhausted_at: 10,
                debt: Uint256::one(),
                denom: "uakt".into(),
                grace_until: 40,
            }),
        ),
        (
            30,
            esc(Reopened {
                owner: Addr::unchecked(OWNER),
                dseq: 1,
                height: 30,
                account_rate: rate,
                depletes_at: Some(35),
            }),
        ),
    ];
    let whole = run(&mut Projector::default(), 1, 40, &events);
    // Live 3..=10 (8 blocks) and 31..=35 (5 blocks, day 2).
    assert_eq!(
        spend(&whole),
        vec![
            ("2026-01-01".into(), "8".into(), 8),
            ("2026-01-02".into(), "5".into(), 5)
        ]
    );
    assert!(whole.anomalies.is_empty(), "{:?}", whole.anomalies);
    let runs: Vec<_> = whole.intervals.iter().map(|((_, f), t)| (*f, *t)).collect();
    assert_eq!(runs, vec![(2, Some(10)), (30, Some(35))]);

    // The same blocks in batches of 7 add up to the same rows.
    let mut p = Projector::default();
    let mut total: std::collections::BTreeMap<_, (Decimal256, u64)> = Default::default();
    let mut from = 1;
    while from <= 40 {
        let to = (from + 6).min(40);
        let c = run(&mut p, from, to, &events);
        assert!(c.anomalies.is_empty(), "{:?}", c.anomalies);
        for ((day, _), d) in c.lease_days {
            let e = total
                .entry(day.to_string())
                .or_insert((Decimal256::zero(), 0));
            e.0 += d.spend;
            e.1 += d.live_blocks;
        }
        from = to + 1;
    }
    let batched: Vec<_> = total
        .into_iter()
        .filter(|(_, (_, b))| *b > 0)
        .map(|(day, (s, b))| (day, s.to_string(), b))
        .collect();
    assert_eq!(batched, spend(&whole));
}

#[test]
fn usd_uses_the_price_in_force_at_each_block_and_flags_carried_prices() {
    let price = |h: u64, price: Option<u64>| {
        (
            h,
            SupercloudEvent::Oracle(OracleEvent::PriceAggregated(PriceAggregated {
                pair: supercloud_chain::AKT_USD_PAIR.into(),
                price: price.map(|p| Decimal256::from_ratio(p, 1u64)),
                health: if price.is_some() {
                    Health::Healthy
                } else {
                    Health::Stale
                },
                sources_used: 1,
                left_out: None,
                height: h,
                time: 0,
            })),
        )
    };
    let events = [
        (1, opened(1, "uakt")),
        (1, deposited(1, "uakt", None)),
        price(1, Some(2)),
        (
            2,
            payment(2, "uakt", Decimal256::from_ratio(1_000_000u64, 1u64), None),
        ),
        price(5, Some(3)),
        price(8, None),
    ];
    // 1 AKT a block: blocks 3, 4 at $2; 5, 6, 7 at $3; 8, 9, 10 carried $3 (stale).
    let c = run(&mut Projector::default(), 1, 10, &events);
    let day = c.lease_days.values().find(|d| d.live_blocks > 0).unwrap();
    assert_eq!(day.live_blocks, 8);
    assert_eq!(day.spend_usd.map(|u| u.to_string()), Some("22".into()));
    assert!(day.usd_estimated);
    // ACT counts 1:1 and is never estimated.
    let act = [
        (1, opened(1, "uact")),
        (1, deposited(1, "uact", None)),
        (2, payment(2, "uact", Decimal256::percent(50), None)),
    ];
    let c = run(&mut Projector::default(), 1, 4, &act);
    let day = c.lease_days.values().find(|d| d.live_blocks > 0).unwrap();
    assert_eq!(
        day.spend_usd.map(|u| u.to_string()),
        Some("0.000001".into())
    );
    assert!(!day.usd_estimated);
}
