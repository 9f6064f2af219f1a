//! End-to-end flow: the oracle pulls AKT/USD from mock-pyth and takes pushes from a relayer,
//! serves the median, and refuses to answer once both sources are stale.

use crate::common;

use common::*;
use mock_pyth::msg::{PriceFeedResponse, QueryMsg as PythQuery};
use oracle::msg::{Health, SourceStatus};
use supercloud_events::oracle::OracleEvent;

#[test]
fn pyth_and_pusher_then_staleness() {
    let mut s = Suite::new(None);
    s.add_pyth(PAIR, "pyth", AKT_FEED);
    let relayer = s.relayer.clone();
    s.add_pusher(PAIR, "relayer", &relayer);
    let t0 = s.now();

    // Mock-pyth answers the standard query like Pyth.
    s.set_pyth(AKT_FEED, 152_300_000, 1_000_000, -8, t0 - 1);
    let raw = s
        .app
        .wrap()
        .query_wasm_smart::<PriceFeedResponse>(
            &s.pyth,
            &PythQuery::PriceFeed {
                id: AKT_FEED.into(),
            },
        )
        .unwrap();
    assert_eq!(raw.price_feed.price.price.i64(), 152_300_000);

    let res = s.refresh(PAIR).unwrap();
    assert_eq!(attr(&res, "source.pyth").as_deref(), Some("accepted seq 0"));
    assert_eq!(attr(&res, "source.relayer"), None, "pushers are not pulled");
    assert_eq!(
        health_changes(&res),
        vec![(Some(Health::Stale), Health::Healthy)]
    );
    let p = s.price(PAIR).unwrap();
    assert_eq!(
        (p.price, p.sources, p.publish_time),
        (dec("1.523"), 1, t0 - 1)
    );

    s.push(15_250, 10, -4, t0);
    let p = s.price(PAIR).unwrap();
    // Median of 1.523 and 1.525.
    assert_eq!(
        (p.price, p.sources, p.publish_time),
        (dec("1.524"), 2, t0 - 1)
    );

    // Ten seconds on, pyth moves; refresh records it.
    s.advance(10);
    s.set_pyth(AKT_FEED, 152_500_000, 1_000_000, -8, t0 + 9);
    let res = s.refresh(PAIR).unwrap();
    assert!(oracle_events(&res).iter().any(
        |e| matches!(e, OracleEvent::PriceUpdated(u) if u.seq == 1 && u.publish_time == t0 + 9)
    ));
    // pyth TWAP over [t0 - 50, t0 + 10]: 1.523 for 10 s (from t0 - 1), 1.525 for 1 s -> 16.755/11.
    let h = s.health(PAIR);
    assert_eq!(h.sources[0].twap, Some(dec("1.523181818181818181")));
    assert_eq!(h.sources[1].twap, Some(dec("1.525")));

    // Past the staleness limit for both: consumers get an error, dashboards the reason.
    s.advance(40);
    let err = s.price(PAIR).unwrap_err().to_string();
    assert!(
        err.contains("price for akt/usd unavailable: stale"),
        "{err}"
    );
    let h = s.health(PAIR);
    assert_eq!(h.health, Health::Stale);
    assert!(h.sources.iter().all(|x| x.status == SourceStatus::Stale));
    // The keeper's refresh skips the unchanged pyth price and records the transition.
    let res = s.refresh(PAIR).unwrap();
    assert!(attr(&res, "source.pyth").unwrap().starts_with("skipped"));
    assert_eq!(
        health_changes(&res),
        vec![(Some(Health::Healthy), Health::Stale)]
    );
    // A stale Pyth update is rejected, not stored.
    s.set_pyth(AKT_FEED, 152_600_000, 1_000_000, -8, s.now() - 31);
    let res = s.refresh(PAIR).unwrap();
    assert!(attr(&res, "source.pyth")
        .unwrap()
        .starts_with("rejected: stale"));
    // The relayer alone brings it back (min_sources 1).
    let now = s.now();
    let res = s.push(15_260, 10, -4, now);
    assert_eq!(
        health_changes(&res),
        vec![(Some(Health::Stale), Health::Healthy)]
    );
    // Its TWAP is still the old 1.525, in force for the whole window until this second.
    assert_eq!(s.price(PAIR).unwrap().price, dec("1.525"));
    // 6 s later: 1.525 over [t0, t0 + 50] and 1.526 over [t0 + 50, t0 + 56] -> 85.406 / 56.
    s.advance(6);
    assert_eq!(s.price(PAIR).unwrap().price, dec("1.525107142857142857"));
}
