//! Oracle behaviour through cw-multi-test: validation, sources, pushes, refreshes, health, TWAP,
//! median, ring buffer, pagination, governance.

use crate::common;

use common::*;
use cosmwasm_std::{Decimal256, Int64, Uint64};
use cw_multi_test::Executor;
use oracle::msg::{
    ConfigResponse, ExecuteMsg, Health, InstantiateMsg, Limits, NewSource, ObservationsResponse,
    PairsResponse, QueryMsg, RejectReason, SourceKind, SourceKindMsg, SourceStatus,
    SourcesResponse,
};
use supercloud_events::oracle::{OracleEvent, SourceKindName, Via};
use supercloud_std::AuthorityMsg;

fn suite_with_relayer(limits: Option<Limits>) -> Suite {
    let mut s = Suite::new(limits);
    let relayer = s.relayer.clone();
    s.add_pusher(PAIR, "relayer", &relayer);
    s
}

fn sources(s: &Suite, pair: &str) -> SourcesResponse {
    s.query(&QueryMsg::Sources {
        pair: pair.into(),
        start_after: None,
        limit: None,
    })
    .unwrap()
}

fn rejection_reason(s: &Suite, source: &str) -> Option<RejectReason> {
    sources(s, PAIR)
        .sources
        .into_iter()
        .find(|x| x.source == source)
        .and_then(|x| x.last_rejection)
        .map(|r| r.reason)
}

fn rejected_events(res: &cw_multi_test::AppResponse) -> Vec<(String, RejectReason)> {
    oracle_events(res)
        .into_iter()
        .filter_map(|e| match e {
            OracleEvent::ObservationRejected(r) => Some((r.source, r.reason)),
            _ => None,
        })
        .collect()
}

#[test]
fn instantiate_defaults_validation_and_initial_sources() {
    let s = Suite::new(None);
    let config: ConfigResponse = s.query(&QueryMsg::Config {}).unwrap();
    assert_eq!(config.limits, Limits::default());
    assert_eq!(
        (
            config.limits.max_staleness_s,
            config.limits.max_conf_bps,
            config.limits.max_future_drift_s
        ),
        (30, 200, 10)
    );
    assert_eq!(
        (config.limits.max_deviation_bps, config.limits.min_sources),
        (150, 1)
    );
    assert_eq!(
        (config.observation_capacity, config.max_sources_per_pair),
        (32, 8)
    );
    assert_eq!(config.authority, s.gov);
    assert!(!config.paused);

    let mut s = Suite::new(None);
    let code = s.app.store_code(oracle_contract());
    let gov = s.gov.clone();
    let mut inst = |msg: InstantiateMsg| {
        s.app
            .instantiate_contract(code, gov.clone(), &msg, &[], "o", None)
    };
    let base = InstantiateMsg {
        authority: gov.to_string(),
        limits: None,
        sources: vec![],
    };
    assert_err(
        inst(InstantiateMsg {
            authority: "not an address".into(),
            ..base.clone()
        }),
        "",
    );
    let bad_limits = [
        Limits {
            max_staleness_s: 0,
            ..Limits::default()
        },
        Limits {
            max_staleness_s: 86_401,
            ..Limits::default()
        },
        Limits {
            max_conf_bps: 0,
            ..Limits::default()
        },
        Limits {
            max_conf_bps: 10_001,
            ..Limits::default()
        },
        Limits {
            max_future_drift_s: 3_601,
            ..Limits::default()
        },
        Limits {
            twap_window_s: 0,
            ..Limits::default()
        },
        Limits {
            max_deviation_bps: 0,
            ..Limits::default()
        },
        Limits {
            min_sources: 0,
            ..Limits::default()
        },
        Limits {
            min_sources: 9,
            ..Limits::default()
        },
    ];
    for limits in bad_limits {
        assert_err(
            inst(InstantiateMsg {
                limits: Some(limits),
                ..base.clone()
            }),
            "invalid limit",
        );
    }
    let pusher = |i: usize| NewSource {
        pair: format!("p{i}/usd"),
        source: "r".into(),
        kind: SourceKindMsg::Pusher {
            address: gov.to_string(),
        },
    };
    assert_err(
        inst(InstantiateMsg {
            sources: (0..31).map(pusher).collect(),
            ..base.clone()
        }),
        "at most 30 sources",
    );

    // Initial sources emit source_added and the pair's first health (unknown -> stale).
    let relayer = s.relayer.clone();
    let msg = InstantiateMsg {
        sources: vec![
            NewSource {
                pair: PAIR.into(),
                source: "relayer".into(),
                kind: SourceKindMsg::Pusher {
                    address: relayer.to_string(),
                },
            },
            NewSource {
                pair: PAIR.into(),
                source: "pyth".into(),
                kind: SourceKindMsg::Pyth {
                    contract: s.pyth.to_string(),
                    feed_id: format!("0x{}", AKT_FEED.to_uppercase()),
                },
            },
        ],
        ..base
    };
    let addr = s
        .app
        .instantiate_contract(code, gov.clone(), &msg, &[], "o", None)
        .unwrap();
    let srcs: SourcesResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            &addr,
            &QueryMsg::Sources {
                pair: PAIR.into(),
                start_after: None,
                limit: None,
            },
        )
        .unwrap();
    assert_eq!(srcs.sources.len(), 2);
    // Feed ids are stored in Pyth's form: lowercase, no 0x.
    assert_eq!(
        srcs.sources[0].kind,
        SourceKind::Pyth {
            contract: s.pyth.clone(),
            feed_id: AKT_FEED.into()
        }
    );
}

#[test]
fn add_source_validates_everything() {
    let mut s = Suite::new(None);
    let relayer = s.relayer.clone();
    let stranger = s.stranger.clone();
    // Authority only.
    let kind = SourceKindMsg::Pusher {
        address: relayer.to_string(),
    };
    assert_err(
        s.exec(
            &stranger,
            &ExecuteMsg::AddSource {
                pair: PAIR.into(),
                source: "r".into(),
                kind: kind.clone(),
            },
        ),
        "only the authority",
    );
    for pair in [
        "akt",
        "AKT/usd",
        "akt/",
        "/usd",
        "akt/usd/x",
        "akt-x/usd",
        "a".repeat(17).as_str(),
    ] {
        assert_err(s.add_source(pair, "r", kind.clone()), "invalid pair");
    }
    for id in ["", "-r", "R", "r r", &"r".repeat(33)] {
        assert_err(s.add_source(PAIR, id, kind.clone()), "invalid source id");
    }
    for feed in ["", "0x12", &"g".repeat(64), &"a".repeat(63)] {
        let kind = SourceKindMsg::Pyth {
            contract: s.pyth.to_string(),
            feed_id: feed.to_string(),
        };
        assert_err(s.add_source(PAIR, "p", kind), "invalid feed id");
    }
    assert_err(
        s.add_source(
            PAIR,
            "r",
            SourceKindMsg::Pusher {
                address: "nope".into(),
            },
        ),
        "",
    );
    let res = s.add_pusher(PAIR, "relayer", &relayer);
    let evs = oracle_events(&res);
    assert!(
        matches!(&evs[0], OracleEvent::SourceAdded(a) if a.kind == SourceKindName::Pusher && a.address.as_ref() == Some(&relayer))
    );
    assert_eq!(health_changes(&res), vec![(None, Health::Stale)]);
    assert_err(
        s.add_source(PAIR, "relayer", kind.clone()),
        "already exists",
    );
    assert_err(
        s.add_source(PAIR, "relayer2", kind.clone()),
        "same pusher address",
    );
    s.add_pyth(PAIR, "pyth", AKT_FEED);
    let upper = SourceKindMsg::Pyth {
        contract: s.pyth.to_string(),
        feed_id: AKT_FEED.to_uppercase(),
    };
    assert_err(s.add_source(PAIR, "pyth2", upper), "same pyth feed");
    // Up to 8 sources per pair.
    for i in 0..6 {
        let a = s.app.api().addr_make(&format!("r{i}"));
        s.add_pusher(PAIR, &format!("r{i}"), &a);
    }
    let a = s.app.api().addr_make("r9");
    assert_err(
        s.add_source(
            PAIR,
            "r9",
            SourceKindMsg::Pusher {
                address: a.to_string(),
            },
        ),
        "maximum of 8",
    );
    // The same relayer may serve another pair.
    s.add_pusher("act/usd", "relayer", &relayer);
}

#[test]
fn push_validation_paths_are_recorded_not_errors() {
    let mut s = suite_with_relayer(None);
    let now = s.now();
    let cases: [(i64, u64, i32, i64, RejectReason); 7] = [
        (0, 0, -8, now, RejectReason::NonPositivePrice),
        (-5, 0, -8, now, RejectReason::NonPositivePrice),
        (100, 0, -19, now, RejectReason::ExponentOutOfRange),
        (100, 0, 1, now, RejectReason::ExponentOutOfRange),
        (100, 0, -2, now + 11, RejectReason::FuturePublishTime),
        (100, 0, -2, now - 31, RejectReason::Stale),
        (10_000, 201, -4, now, RejectReason::LowConfidence),
    ];
    for (price, conf, expo, t, reason) in cases {
        let res = s.push(price, conf, expo, t);
        assert_eq!(rejected_events(&res), vec![("relayer".to_string(), reason)]);
        assert!(attr(&res, "source.relayer")
            .unwrap()
            .starts_with(&format!("rejected: {}", reason.as_str())));
        assert_eq!(attr(&res, "rejected").as_deref(), Some("1"));
        assert_eq!(rejection_reason(&s, "relayer"), Some(reason));
        assert_eq!(
            sources(&s, PAIR).sources[0].count,
            0,
            "nothing stored for {reason:?}"
        );
    }
    // The pair is low_confidence now (its only source's newest observation had a wide interval).
    assert_eq!(s.health(PAIR).health, Health::LowConfidence);
    // Boundaries are accepted: conf exactly 2 %, publish time at the drift limit.
    let res = s.push(10_000, 200, -4, now + 10);
    assert_eq!(
        attr(&res, "source.relayer").as_deref(),
        Some("accepted seq 0")
    );
    assert_eq!(
        rejection_reason(&s, "relayer"),
        None,
        "acceptance clears the rejection"
    );
    assert_eq!(
        health_changes(&res),
        vec![(Some(Health::LowConfidence), Health::Healthy)]
    );
    let evs = oracle_events(&res);
    let OracleEvent::PriceUpdated(p) = &evs[0] else {
        panic!("{evs:?}")
    };
    assert_eq!(
        (
            p.price,
            p.conf,
            p.raw_price,
            p.raw_conf,
            p.expo,
            p.publish_time,
            p.seq
        ),
        (dec("1"), dec("0.02"), 10_000, 200, -4, now + 10, 0)
    );
    assert_eq!((p.via, &p.sender), (Via::Push, &s.relayer));
}

#[test]
fn push_authorization_and_malformed_calls() {
    let mut s = suite_with_relayer(None);
    s.add_pyth(PAIR, "pyth", AKT_FEED);
    let now = s.now();
    let (stranger, gov, relayer) = (s.stranger.clone(), s.gov.clone(), s.relayer.clone());
    assert_err(s.push_as(&stranger, "relayer", 1, 0, 0, now), "only");
    assert_err(s.push_as(&gov, "relayer", 1, 0, 0, now), "only");
    assert_err(
        s.push_as(&relayer, "pyth", 1, 0, 0, now),
        "is a pyth source",
    );
    assert_err(s.push_as(&relayer, "nope", 1, 0, 0, now), "unknown source");
    let msg = ExecuteMsg::Push {
        pair: "btc/usd".into(),
        source: "relayer".into(),
        price: Int64::new(1),
        conf: Uint64::zero(),
        expo: 0,
        publish_time: now,
    };
    assert_err(s.exec(&relayer, &msg), "unknown pair");
    assert_err(s.refresh("btc/usd"), "unknown pair");
    assert_eq!(sources(&s, PAIR).sources[1].count, 0);
}

#[test]
fn equal_or_older_publish_time_is_skipped() {
    let mut s = suite_with_relayer(None);
    let now = s.now();
    s.push(100, 1, -2, now - 5);
    for t in [now - 5, now - 6] {
        let res = s.push(120, 1, -2, t);
        assert!(
            attr(&res, "source.relayer").unwrap().starts_with("skipped"),
            "{res:?}"
        );
        assert_eq!(attr(&res, "skipped").as_deref(), Some("1"));
        assert!(oracle_events(&res)
            .iter()
            .all(|e| !matches!(e, OracleEvent::PriceUpdated(_))));
    }
    // Even a bad older observation is just skipped.
    let res = s.push(-1, 1, -2, now - 6);
    assert!(attr(&res, "source.relayer").unwrap().starts_with("skipped"));
    let src = &sources(&s, PAIR).sources[0];
    assert_eq!(
        (src.count, src.latest.as_ref().unwrap().price),
        (1, dec("1"))
    );
    assert_eq!(src.last_rejection, None);
}

#[test]
fn refresh_pulls_pyth_and_reports_each_source() {
    let mut s = Suite::new(None);
    s.add_pyth(PAIR, "a", AKT_FEED);
    s.add_pyth(PAIR, "b", OTHER_FEED);
    let now = s.now();
    s.set_pyth(AKT_FEED, 123_456_789, 100_000, -8, now - 2);
    // Feed b was never set: the query fails, a is still accepted.
    let res = s.refresh(PAIR).unwrap();
    assert_eq!(attr(&res, "source.a").as_deref(), Some("accepted seq 0"));
    assert!(attr(&res, "source.b")
        .unwrap()
        .starts_with("rejected: query_failed"));
    assert_eq!(
        rejected_events(&res),
        vec![("b".to_string(), RejectReason::QueryFailed)]
    );
    let evs = oracle_events(&res);
    assert!(evs.iter().any(|e| matches!(e, OracleEvent::PriceUpdated(p) if p.source == "a" && p.price == dec("1.23456789") && p.via == Via::Refresh && p.sender == s.keeper)));
    // Negative price on b: rejected, a unchanged (same publish time: skipped).
    s.set_pyth(OTHER_FEED, -1, 0, -8, now);
    let res = s.refresh(PAIR).unwrap();
    assert!(attr(&res, "source.a").unwrap().starts_with("skipped"));
    assert!(attr(&res, "source.b")
        .unwrap()
        .starts_with("rejected: non_positive_price"));
    // Ema values do not matter; the spot price is used.
    s.advance(1);
    s.set_pyth(OTHER_FEED, 124_000_000, 0, -8, now + 1);
    let res = s.refresh(PAIR).unwrap();
    assert_eq!(attr(&res, "source.b").as_deref(), Some("accepted seq 0"));
    assert_eq!(attr(&res, "accepted").as_deref(), Some("1"));
    let p = s.price(PAIR).unwrap();
    // Median of two TWAPs: a = 1.23456789 (single), b = 1.24 (single): their mean.
    assert_eq!(p.price, dec("1.237283945"));
    assert_eq!((p.sources, p.publish_time), (2, now - 2));
}

mod bad_pyth {
    //! A Pyth stand-in that answers every feed with the wrong id.
    use cosmwasm_std::{
        to_json_binary, Binary, Deps, DepsMut, Empty, Env, MessageInfo, Response, StdResult,
    };
    use oracle::pyth::{PriceFeedResponse, PythPrice, PythPriceFeed, PythQueryMsg};

    pub fn instantiate(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
        Ok(Response::new())
    }
    pub fn execute(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
        Ok(Response::new())
    }
    pub fn query(_: Deps, env: Env, _: PythQueryMsg) -> StdResult<Binary> {
        let price = PythPrice {
            price: 1.into(),
            conf: 0u64.into(),
            expo: 0,
            publish_time: env.block.time.seconds() as i64,
        };
        to_json_binary(&PriceFeedResponse {
            price_feed: PythPriceFeed {
                id: "00".repeat(32),
                price: price.clone(),
                ema_price: price,
            },
        })
    }
}

#[test]
fn refresh_rejects_a_feed_id_mismatch() {
    let mut s = Suite::new(None);
    let code = s
        .app
        .store_code(Box::new(cw_multi_test::ContractWrapper::new(
            bad_pyth::execute,
            bad_pyth::instantiate,
            bad_pyth::query,
        )));
    let gov = s.gov.clone();
    let bad = s
        .app
        .instantiate_contract(code, gov, &cosmwasm_std::Empty {}, &[], "bad", None)
        .unwrap();
    s.add_source(
        PAIR,
        "bad",
        SourceKindMsg::Pyth {
            contract: bad.to_string(),
            feed_id: AKT_FEED.into(),
        },
    )
    .unwrap();
    let res = s.refresh(PAIR).unwrap();
    assert!(attr(&res, "source.bad")
        .unwrap()
        .starts_with("rejected: feed_mismatch"));
    assert_eq!(
        rejection_reason(&s, "bad"),
        Some(RejectReason::FeedMismatch)
    );
}

#[test]
fn twap_matches_hand_computed_values() {
    let mut s = suite_with_relayer(Some(Limits {
        twap_window_s: 60,
        max_staleness_s: 120,
        ..Limits::default()
    }));
    let t0 = s.now();
    // Single observation: its own price.
    s.push(200, 0, -2, t0);
    assert_eq!(s.price(PAIR).unwrap().price, dec("2"));
    s.advance(10);
    s.push(400, 0, -2, t0 + 10);
    s.advance(50); // gap: 4.00 in force for 50 s
    s.push(100, 0, -2, t0 + 60);
    s.advance(20);
    // now = t0 + 80, window [t0 + 20, t0 + 80]: 4.00 over [20, 60] = 40 s (clamped from t0 + 10),
    // 1.00 over [60, 80] = 20 s -> (160 + 20) / 60 = 3.
    assert_eq!(s.price(PAIR).unwrap().price, dec("3"));
    s.advance(7);
    // now = t0 + 87, window [27, 87]: 4 × 33 + 1 × 27 = 159 over 60 = 2.65.
    assert_eq!(s.price(PAIR).unwrap().price, dec("2.65"));
    let h = s.health(PAIR);
    assert_eq!(h.sources[0].twap, Some(dec("2.65")));
    assert_eq!(h.sources[0].latest_price, Some(dec("1")));
}

#[test]
fn median_with_one_two_three_sources() {
    let mut s = Suite::new(Some(Limits {
        max_deviation_bps: 10_000,
        ..Limits::default()
    }));
    let now = s.now();
    let addrs: Vec<_> = (0..3)
        .map(|i| s.app.api().addr_make(&format!("p{i}")))
        .collect();
    let prices = [150, 100, 130];
    for (i, a) in addrs.iter().enumerate() {
        s.add_pusher(PAIR, &format!("p{i}"), a);
        s.push_as(a, &format!("p{i}"), prices[i], 0, -2, now)
            .unwrap();
        let expected = ["1.5", "1.25", "1.3"][i];
        let p = s.price(PAIR).unwrap();
        assert_eq!(
            (p.price, p.sources),
            (dec(expected), i as u32 + 1),
            "with {} sources",
            i + 1
        );
    }
}

#[test]
fn deviation_and_min_sources_health() {
    let mut s = suite_with_relayer(Some(Limits {
        min_sources: 2,
        ..Limits::default()
    }));
    s.add_pyth(PAIR, "pyth", AKT_FEED);
    let now = s.now();
    let res = s.push(100_000, 0, -5, now);
    assert_eq!(
        health_changes(&res),
        vec![(Some(Health::Stale), Health::LowSources)]
    );
    let h = s.health(PAIR);
    assert_eq!(
        (h.health, h.healthy_sources, h.price),
        (Health::LowSources, 1, Some(dec("1")))
    );
    assert!(
        h.reason.contains("1 healthy source(s), 2 required"),
        "{}",
        h.reason
    );
    assert_err(s.price(PAIR), "unavailable: low_sources");
    // 1.02 vs 1.00: 200 bps > 150.
    s.set_pyth(AKT_FEED, 102_000, 0, -5, now);
    let res = s.refresh(PAIR).unwrap();
    assert_eq!(
        health_changes(&res),
        vec![(Some(Health::LowSources), Health::Deviation)]
    );
    let h = s.health(PAIR);
    assert_eq!((h.health, h.deviation_bps), (Health::Deviation, Some(200)));
    assert_err(s.price(PAIR), "unavailable: deviation");
    // Loosen the limit: healthy without a new observation.
    let gov = s.gov.clone();
    let update = ExecuteMsg::UpdateConfig {
        max_staleness_s: None,
        max_conf_bps: None,
        max_future_drift_s: None,
        twap_window_s: None,
        max_deviation_bps: Some(200),
        min_sources: None,
    };
    s.exec(&gov, &update).unwrap();
    assert_eq!(s.price(PAIR).unwrap().price, dec("1.01"));
    // The stored health catches up on the next refresh.
    assert_eq!(s.health(PAIR).stored_health, Some(Health::Deviation));
    let res = s.refresh(PAIR).unwrap();
    assert_eq!(
        health_changes(&res),
        vec![(Some(Health::Deviation), Health::Healthy)]
    );
}

#[test]
fn stale_recovery_emits_health_changes() {
    let mut s = suite_with_relayer(None);
    let t0 = s.now();
    s.push(250, 1, -2, t0);
    assert_eq!(s.price(PAIR).unwrap().price, dec("2.5"));
    s.advance(30);
    assert!(
        s.price(PAIR).is_ok(),
        "exactly max_staleness old is still fresh"
    );
    s.advance(1);
    assert_err(s.price(PAIR), "price for akt/usd unavailable: stale");
    let h = s.health(PAIR);
    assert_eq!(
        (h.health, h.stored_health, h.sources[0].status),
        (Health::Stale, Some(Health::Healthy), SourceStatus::Stale)
    );
    // A keeper's refresh records the transition even without pyth sources.
    let res = s.refresh(PAIR).unwrap();
    let evs = oracle_events(&res);
    let [.., OracleEvent::HealthChanged(hc), OracleEvent::PriceAggregated(pa)] = evs.as_slice()
    else {
        panic!("{evs:?}")
    };
    assert_eq!(
        (hc.pair.as_str(), hc.from, hc.to),
        (PAIR, Some(Health::Healthy), Health::Stale)
    );
    // The price is withdrawn in the same block.
    assert_eq!(
        (pa.price, pa.health, pa.sources_used),
        (None, Health::Stale, 0)
    );
    assert!(
        hc.reason.contains("relayer: last published"),
        "{}",
        hc.reason
    );
    assert_eq!(
        health_changes(&s.refresh(PAIR).unwrap()),
        Vec::<(Option<Health>, Health)>::new(),
        "no repeat while unchanged"
    );
    let res = s.push(260, 1, -2, s.now());
    assert_eq!(
        health_changes(&res),
        vec![(Some(Health::Stale), Health::Healthy)]
    );
    // The TWAP still is the old price: the new one has not been in force for a second yet.
    let p = s.price(PAIR).unwrap();
    assert_eq!((p.price, p.publish_time), (dec("2.5"), t0 + 31));
    // 30 s later: window [t0 + 1, t0 + 61] has 2.5 for 30 s and 2.6 for 30 s.
    s.advance(30);
    assert_eq!(s.price(PAIR).unwrap().price, dec("2.55"));
}

#[test]
fn ring_buffer_wraps_and_observations_paginate() {
    let mut s = suite_with_relayer(Some(Limits {
        max_staleness_s: 86_400,
        ..Limits::default()
    }));
    let t0 = s.now() - 1000;
    for i in 0..40 {
        s.push(100 + i, 0, -2, t0 + i);
    }
    let src = &sources(&s, PAIR).sources[0];
    assert_eq!((src.count, src.latest.as_ref().unwrap().seq), (40, 39));
    let page = |s: &Suite, start_after: Option<u64>, limit: Option<u32>| -> ObservationsResponse {
        s.query(&QueryMsg::Observations {
            pair: PAIR.into(),
            source: "relayer".into(),
            start_after,
            limit,
        })
        .unwrap()
    };
    let first = page(&s, None, None);
    assert_eq!(
        first.observations.iter().map(|o| o.seq).collect::<Vec<_>>(),
        (30..40).rev().collect::<Vec<_>>()
    );
    assert_eq!(page(&s, None, Some(1000)).observations.len(), 30);
    assert_eq!(page(&s, None, Some(0)).observations.len(), 1);
    // Walk everything: exactly the 32 newest survive (seq 8..=39), oldest overwritten.
    let mut all = vec![];
    let mut cursor = None;
    loop {
        let p = page(&s, cursor, Some(7));
        if p.observations.is_empty() {
            break;
        }
        cursor = p.observations.last().map(|o| o.seq);
        all.extend(p.observations);
    }
    assert_eq!(
        all.iter().map(|o| o.seq).collect::<Vec<_>>(),
        (8..40).rev().collect::<Vec<_>>()
    );
    assert!(all
        .iter()
        .all(|o| o.price == Decimal256::from_atomics((100 + o.seq) as u128, 2).unwrap()));
    // Removing the source deletes its observations.
    let gov = s.gov.clone();
    let res = s
        .exec(
            &gov,
            &ExecuteMsg::RemoveSource {
                pair: PAIR.into(),
                source: "relayer".into(),
            },
        )
        .unwrap();
    assert!(
        matches!(&oracle_events(&res)[0], OracleEvent::SourceRemoved(r) if r.source == "relayer")
    );
    assert_eq!(
        health_changes(&res),
        vec![(Some(Health::Healthy), Health::LowSources)]
    );
    assert_err(
        s.query::<ObservationsResponse>(&QueryMsg::Observations {
            pair: PAIR.into(),
            source: "relayer".into(),
            start_after: None,
            limit: None,
        }),
        "unknown source",
    );
    let relayer = s.relayer.clone();
    s.add_pusher(PAIR, "relayer", &relayer);
    assert_eq!(
        page(&s, None, None).observations.len(),
        0,
        "a re-added source starts empty"
    );
    assert_err(
        s.exec(
            &gov,
            &ExecuteMsg::RemoveSource {
                pair: PAIR.into(),
                source: "x".into(),
            },
        ),
        "unknown source",
    );
    let stranger = s.stranger.clone();
    assert_err(
        s.exec(
            &stranger,
            &ExecuteMsg::RemoveSource {
                pair: PAIR.into(),
                source: "relayer".into(),
            },
        ),
        "only the authority",
    );
}

#[test]
fn pairs_and_sources_paginate() {
    let mut s = Suite::new(None);
    let relayer = s.relayer.clone();
    for i in 0..35 {
        s.add_pusher(&format!("t{i:02}/usd"), "relayer", &relayer);
    }
    let pairs = |start_after: Option<String>, limit| -> PairsResponse {
        s.query(&QueryMsg::Pairs { start_after, limit }).unwrap()
    };
    assert_eq!(pairs(None, None).pairs.len(), 10);
    assert_eq!(pairs(None, Some(100)).pairs.len(), 30);
    let rest = pairs(Some("t29/usd".into()), Some(30)).pairs;
    assert_eq!(
        rest.iter().map(|p| p.pair.as_str()).collect::<Vec<_>>(),
        ["t30/usd", "t31/usd", "t32/usd", "t33/usd", "t34/usd"]
    );
    assert_eq!(
        (rest[0].sources, rest[0].stored_health),
        (1, Some(Health::Stale))
    );
    for i in 0..5 {
        let a = s.app.api().addr_make(&format!("x{i}"));
        s.add_pusher(PAIR, &format!("x{i}"), &a);
    }
    let page: SourcesResponse = s
        .query(&QueryMsg::Sources {
            pair: PAIR.into(),
            start_after: Some("x1".into()),
            limit: Some(2),
        })
        .unwrap();
    assert_eq!(
        page.sources
            .iter()
            .map(|x| x.source.as_str())
            .collect::<Vec<_>>(),
        ["x2", "x3"]
    );
    assert_err(
        s.query::<SourcesResponse>(&QueryMsg::Sources {
            pair: "no/pair".into(),
            start_after: None,
            limit: None,
        }),
        "unknown pair",
    );
}

#[test]
fn config_is_authority_only_and_validated() {
    let mut s = Suite::new(None);
    let (gov, stranger) = (s.gov.clone(), s.stranger.clone());
    let update = |twap: Option<u64>, min: Option<u32>| ExecuteMsg::UpdateConfig {
        max_staleness_s: None,
        max_conf_bps: None,
        max_future_drift_s: None,
        twap_window_s: twap,
        max_deviation_bps: None,
        min_sources: min,
    };
    assert_err(
        s.exec(&stranger, &update(Some(120), None)),
        "only the authority",
    );
    assert_err(s.exec(&gov, &update(None, None)), "at least one field");
    assert_err(
        s.exec(&gov, &update(None, Some(9))),
        "invalid limit min_sources = 9",
    );
    assert_err(
        s.exec(&gov, &update(Some(0), None)),
        "invalid limit twap_window_s",
    );
    let res = s.exec(&gov, &update(Some(120), Some(2))).unwrap();
    let evs = oracle_events(&res);
    let OracleEvent::ConfigUpdated(c) = &evs[0] else {
        panic!("{evs:?}")
    };
    let limits: Limits = cosmwasm_std::from_json(&c.config).unwrap();
    assert_eq!(
        limits,
        Limits {
            twap_window_s: 120,
            min_sources: 2,
            ..Limits::default()
        }
    );
    let config: ConfigResponse = s.query(&QueryMsg::Config {}).unwrap();
    assert_eq!(config.limits, limits);
}

#[test]
fn pause_blocks_observations_but_not_queries() {
    let mut s = suite_with_relayer(None);
    let (gov, stranger, relayer) = (s.gov.clone(), s.stranger.clone(), s.relayer.clone());
    let now = s.now();
    s.push(100, 0, -2, now);
    assert_err(
        s.exec(&stranger, &ExecuteMsg::SetPaused { paused: true }),
        "only the authority",
    );
    let res = s
        .exec(&gov, &ExecuteMsg::SetPaused { paused: true })
        .unwrap();
    assert!(matches!(&oracle_events(&res)[0], OracleEvent::PauseChanged(p) if p.paused));
    assert_err(
        s.push_as(&relayer, "relayer", 100, 0, -2, now + 1),
        "paused",
    );
    assert_err(s.refresh(PAIR), "paused");
    assert_eq!(s.price(PAIR).unwrap().price, dec("1"));
    s.exec(&gov, &ExecuteMsg::SetPaused { paused: false })
        .unwrap();
    s.push(100, 0, -2, now + 1);
}

#[test]
fn authority_handover_is_two_step() {
    let mut s = Suite::new(None);
    let (gov, next) = (s.gov.clone(), s.stranger.clone());
    let res = s
        .exec(
            &gov,
            &ExecuteMsg::Authority(AuthorityMsg::Propose {
                new_authority: next.to_string(),
            }),
        )
        .unwrap();
    assert!(matches!(
        &oracle_events(&res)[0],
        OracleEvent::AuthorityProposed(_)
    ));
    assert_err(
        s.exec(&next, &ExecuteMsg::SetPaused { paused: true }),
        "only the authority",
    );
    let res = s
        .exec(&next, &ExecuteMsg::Authority(AuthorityMsg::Accept {}))
        .unwrap();
    assert!(
        matches!(&oracle_events(&res)[0], OracleEvent::AuthorityAccepted(a) if a.authority == next)
    );
    s.exec(&next, &ExecuteMsg::SetPaused { paused: true })
        .unwrap();
    assert_err(
        s.exec(&gov, &ExecuteMsg::SetPaused { paused: false }),
        "only the authority",
    );
}

#[test]
fn health_query_for_unknown_pair_errors() {
    let s = Suite::new(None);
    assert_err(
        s.query::<oracle::msg::HealthResponse>(&QueryMsg::Health { pair: PAIR.into() }),
        "unknown pair",
    );
    assert_err(s.price(PAIR), "unknown pair");
}

#[test]
fn attached_coins_are_refused_not_kept() {
    // The oracle holds no funds: coins sent with any message would be stuck in it for good.
    let mut s = Suite::new(None);
    let sender = s.keeper.clone();
    s.app
        .init_modules(|router, _, storage| {
            router
                .bank
                .init_balance(storage, &sender, vec![cosmwasm_std::coin(5, "uakt")])
        })
        .unwrap();
    let oracle = s.oracle.clone();
    let err = s
        .app
        .execute_contract(
            sender.clone(),
            oracle.clone(),
            &ExecuteMsg::Refresh {
                pair: "akt/usd".into(),
            },
            &[cosmwasm_std::coin(5, "uakt")],
        )
        .unwrap_err();
    assert!(format!("{err:?}").contains("accept funds"), "{err:?}");
    let held = s.app.wrap().query_balance(&oracle, "uakt").unwrap();
    assert!(held.amount.is_zero());
}
