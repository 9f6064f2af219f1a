//! The outlier-tolerant aggregate through the contract, and `oracle.price_aggregated`: one wrong
//! source does not halt the price, and the event announces exactly the price the `price` query
//! serves, once per change.

use crate::common;

use common::*;
use cosmwasm_std::Addr;
use oracle::msg::{Health, Limits, PriceResponse};
use supercloud_events::oracle::{OracleEvent, PriceAggregated};

/// The `price_aggregated` events of a response.
fn aggregated(res: &cw_multi_test::AppResponse) -> Vec<PriceAggregated> {
    oracle_events(res)
        .into_iter()
        .filter_map(|e| match e {
            OracleEvent::PriceAggregated(a) => Some(a),
            _ => None,
        })
        .collect()
}

/// The one `price_aggregated` of a response.
fn one_aggregated(res: &cw_multi_test::AppResponse) -> PriceAggregated {
    let mut all = aggregated(res);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

/// Asserts the event carries what the `price` query answers at the current block.
fn assert_matches_query(s: &Suite, ev: &PriceAggregated) {
    let block = s.app.block_info();
    assert_eq!(
        (ev.height, ev.time),
        (block.height, block.time.seconds()),
        "stamped with the block"
    );
    match s.price(PAIR) {
        Ok(PriceResponse { price, sources, .. }) => {
            assert_eq!(
                (ev.health, ev.price, ev.sources_used),
                (Health::Healthy, Some(price), sources)
            );
        }
        Err(e) => {
            assert!(e.to_string().contains(ev.health.as_str()), "{e}");
            assert_eq!((ev.price, ev.sources_used), (None, 0));
            assert_ne!(ev.health, Health::Healthy);
        }
    }
}

fn pushers(s: &mut Suite, n: usize) -> Vec<Addr> {
    (0..n)
        .map(|i| {
            let a = s.app.api().addr_make(&format!("p{i}"));
            s.add_pusher(PAIR, &format!("p{i}"), &a);
            a
        })
        .collect()
}

#[test]
fn one_wrong_source_of_three_does_not_halt_the_price() {
    let mut s = Suite::new(None);
    let p = pushers(&mut s, 3);
    let now = s.now();
    // The wrong one first: alone it is the price.
    let res = s.push_as(&p[2], "p2", 200, 0, -2, now).unwrap();
    let ev = one_aggregated(&res);
    assert_eq!((ev.price, ev.left_out), (Some(dec("2")), None));
    // 1.00 against 2.00: neither is within 150 bps of the other, no price.
    let res = s.push_as(&p[0], "p0", 100, 0, -2, now).unwrap();
    let ev = one_aggregated(&res);
    assert_eq!(
        (ev.health, ev.price, ev.left_out.as_deref()),
        (Health::Deviation, None, Some("p0,p2"))
    );
    assert_matches_query(&s, &ev);
    // 1.01 arrives: 2.00 is 9802 bps from 1.01, the median of the others, and is left out.
    let res = s.push_as(&p[1], "p1", 101, 0, -2, now).unwrap();
    assert_eq!(
        health_changes(&res),
        vec![(Some(Health::Deviation), Health::Healthy)]
    );
    let ev = one_aggregated(&res);
    assert_eq!(
        (ev.health, ev.price, ev.sources_used, ev.left_out.as_deref()),
        (Health::Healthy, Some(dec("1.005")), 2, Some("p2"))
    );
    assert_matches_query(&s, &ev);
    let price = s.price(PAIR).unwrap();
    assert_eq!((price.price, price.sources), (dec("1.005"), 2));
    let h = s.health(PAIR);
    assert_eq!(
        (h.health, h.healthy_sources, h.sources_used, h.price),
        (Health::Healthy, 3, 2, Some(dec("1.005")))
    );
    assert_eq!(h.left_out.len(), 1);
    let out = &h.left_out[0];
    assert_eq!(
        (
            out.source.as_str(),
            out.twap,
            out.median_of_others,
            out.deviation_bps
        ),
        ("p2", dec("2"), dec("1.01"), 9802)
    );
    assert!(
        out.reason.contains("median of the other healthy sources"),
        "{}",
        out.reason
    );
    assert!(h.reason.contains("left out p2"), "{}", h.reason);
}

#[test]
fn two_disagreeing_sources_and_a_three_way_split_are_unavailable() {
    let mut s = Suite::new(None);
    let p = pushers(&mut s, 3);
    let now = s.now();
    s.push_as(&p[0], "p0", 100, 0, -2, now).unwrap();
    s.push_as(&p[1], "p1", 150, 0, -2, now).unwrap();
    assert_err(s.price(PAIR), "unavailable: deviation");
    let res = s.push_as(&p[2], "p2", 200, 0, -2, now).unwrap();
    assert_eq!(
        aggregated(&res),
        vec![],
        "still no price: nothing to announce"
    );
    assert_err(s.price(PAIR), "unavailable: deviation");
    let h = s.health(PAIR);
    assert_eq!((h.health, h.sources_used), (Health::Deviation, 1));
    assert_eq!(
        h.left_out
            .iter()
            .map(|l| l.source.as_str())
            .collect::<Vec<_>>(),
        ["p0", "p2"]
    );
}

#[test]
fn min_sources_counts_only_the_sources_used() {
    let mut s = Suite::new(Some(Limits {
        min_sources: 3,
        ..Limits::default()
    }));
    let p = pushers(&mut s, 4);
    let now = s.now();
    for (i, price) in [100, 101, 200].into_iter().enumerate() {
        s.push_as(&p[i], &format!("p{i}"), price, 0, -2, now)
            .unwrap();
    }
    // Three healthy sources, but only two agree: 2 < min_sources.
    assert_err(s.price(PAIR), "unavailable: deviation");
    let res = s.push_as(&p[3], "p3", 100, 0, -2, now).unwrap();
    // A third agreeing source: the median of 1.00, 1.00, 1.01.
    let ev = one_aggregated(&res);
    assert_eq!(
        (ev.price, ev.sources_used, ev.left_out.as_deref()),
        (Some(dec("1")), 3, Some("p2"))
    );
    assert_matches_query(&s, &ev);
}

#[test]
fn price_aggregated_fires_on_a_change_only() {
    let mut s = Suite::new(None);
    let relayer = s.relayer.clone();
    // The first evaluation of a pair is announced: no price yet.
    let res = s.add_pusher(PAIR, "relayer", &relayer);
    let ev = one_aggregated(&res);
    assert_eq!(
        (ev.pair.as_str(), ev.health, ev.price, ev.sources_used),
        (PAIR, Health::Stale, None, 0)
    );
    assert_matches_query(&s, &ev);
    let t0 = s.now();
    let res = s.push(250, 1, -2, t0);
    let ev = one_aggregated(&res);
    assert_eq!((ev.health, ev.price), (Health::Healthy, Some(dec("2.5"))));
    assert_matches_query(&s, &ev);
    // Nothing changed: no event, not even on another execute in the same block.
    assert_eq!(aggregated(&s.refresh(PAIR).unwrap()), vec![]);
    s.advance(5);
    assert_eq!(
        aggregated(&s.push(250, 1, -2, t0 + 5)),
        vec![],
        "same price"
    );
    s.advance(5);
    // Published now: not in force before the next second, so the TWAP has not moved yet.
    assert_eq!(aggregated(&s.push(300, 1, -2, t0 + 10)), vec![]);
    s.advance(10);
    // Window [t0 - 40, t0 + 20] covered from t0: 2.5 for 10 s, 3.0 for 10 s = 2.75.
    let ev = one_aggregated(&s.refresh(PAIR).unwrap());
    assert_eq!(ev.price, Some(dec("2.75")));
    assert_matches_query(&s, &ev);
    assert_eq!(aggregated(&s.refresh(PAIR).unwrap()), vec![]);
    // 31 s without a push: stale; the refresh announces that the price is gone.
    s.advance(31);
    let res = s.refresh(PAIR).unwrap();
    assert_eq!(
        health_changes(&res),
        vec![(Some(Health::Healthy), Health::Stale)]
    );
    let ev = one_aggregated(&res);
    assert_eq!((ev.health, ev.price), (Health::Stale, None));
    assert_matches_query(&s, &ev);
    assert_eq!(aggregated(&s.refresh(PAIR).unwrap()), vec![]);
}
