//! Unit tests of the aggregation maths (validation, TWAP, median, health).

use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal256 {
    Decimal256::from_str(s).unwrap()
}

fn raw(price: i64, conf: u64, expo: i32, publish_time: i64) -> RawPrice {
    RawPrice {
        price,
        conf,
        expo,
        publish_time,
    }
}

fn reason(outcome: Outcome) -> RejectReason {
    match outcome {
        Outcome::Rejected { reason, .. } => reason,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

const NOW: i64 = 1_000_000;

#[test]
fn normalises_exactly() {
    assert_eq!(normalize(123_456_789, -8).unwrap(), d("1.23456789"));
    assert_eq!(normalize(5, 0).unwrap(), d("5"));
    assert_eq!(
        normalize(i64::MAX as u64, -18).unwrap(),
        d("9.223372036854775807")
    );
    assert!(normalize(1, 1).is_err());
}

#[test]
fn accepts_a_valid_observation() {
    let l = Limits::default();
    let out =
        check_observation(&l, NOW, Some(NOW - 5), raw(150_000_000, 3_000_000, -8, NOW)).unwrap();
    assert_eq!(
        out,
        Outcome::Accepted {
            price: d("1.5"),
            conf: d("0.03")
        }
    );
}

#[test]
fn rejects_non_positive_price() {
    let l = Limits::default();
    for p in [0, -1, i64::MIN] {
        assert_eq!(
            reason(check_observation(&l, NOW, None, raw(p, 0, -8, NOW)).unwrap()),
            RejectReason::NonPositivePrice
        );
    }
}

#[test]
fn exponent_bounds() {
    let l = Limits::default();
    for e in [-19, 1, i32::MIN, i32::MAX] {
        assert_eq!(
            reason(check_observation(&l, NOW, None, raw(1, 0, e, NOW)).unwrap()),
            RejectReason::ExponentOutOfRange
        );
    }
    for e in [-18, 0] {
        assert!(matches!(
            check_observation(&l, NOW, None, raw(1, 0, e, NOW)).unwrap(),
            Outcome::Accepted { .. }
        ));
    }
}

#[test]
fn future_drift_boundary() {
    let l = Limits::default(); // drift 10
    assert!(matches!(
        check_observation(&l, NOW, None, raw(1, 0, 0, NOW + 10)).unwrap(),
        Outcome::Accepted { .. }
    ));
    assert_eq!(
        reason(check_observation(&l, NOW, None, raw(1, 0, 0, NOW + 11)).unwrap()),
        RejectReason::FuturePublishTime
    );
}

#[test]
fn staleness_boundary() {
    let l = Limits::default(); // staleness 30
    assert!(matches!(
        check_observation(&l, NOW, None, raw(1, 0, 0, NOW - 30)).unwrap(),
        Outcome::Accepted { .. }
    ));
    assert_eq!(
        reason(check_observation(&l, NOW, None, raw(1, 0, 0, NOW - 31)).unwrap()),
        RejectReason::Stale
    );
}

#[test]
fn confidence_boundary() {
    let l = Limits::default(); // 200 bps
                               // conf exactly 2% of price: accepted; one unit more: rejected.
    assert!(matches!(
        check_observation(&l, NOW, None, raw(10_000, 200, -4, NOW)).unwrap(),
        Outcome::Accepted { .. }
    ));
    assert_eq!(
        reason(check_observation(&l, NOW, None, raw(10_000, 201, -4, NOW)).unwrap()),
        RejectReason::LowConfidence
    );
    // No overflow at the extremes.
    assert_eq!(
        reason(check_observation(&l, NOW, None, raw(i64::MAX, u64::MAX, -8, NOW)).unwrap()),
        RejectReason::LowConfidence
    );
}

#[test]
fn equal_or_older_is_skipped_before_validation() {
    let l = Limits::default();
    let skipped = Outcome::Skipped {
        last_publish_time: NOW,
    };
    assert_eq!(
        check_observation(&l, NOW, Some(NOW), raw(1, 0, 0, NOW)).unwrap(),
        skipped
    );
    assert_eq!(
        check_observation(&l, NOW, Some(NOW), raw(-1, 0, 0, NOW - 1)).unwrap(),
        skipped
    );
    assert!(matches!(
        check_observation(&l, NOW, Some(NOW - 1), raw(1, 0, 0, NOW)).unwrap(),
        Outcome::Accepted { .. }
    ));
}

#[test]
fn twap_single_observation_is_its_price() {
    assert_eq!(
        twap(&[(NOW - 10, d("2.5"))], NOW, 60).unwrap(),
        Some(d("2.5"))
    );
    // Published exactly now, or in the future (within drift): no time covered, still its price.
    assert_eq!(twap(&[(NOW, d("2.5"))], NOW, 60).unwrap(), Some(d("2.5")));
    assert_eq!(
        twap(&[(NOW + 3, d("2.5"))], NOW, 60).unwrap(),
        Some(d("2.5"))
    );
    // Long before the window: in force for the whole window.
    assert_eq!(twap(&[(NOW - 500, d("7"))], NOW, 60).unwrap(), Some(d("7")));
    assert_eq!(twap(&[], NOW, 60).unwrap(), None);
}

#[test]
fn twap_clamps_the_observation_before_the_window() {
    // Window [940, 1000]: 3.0 for 10 s, 2.0 for 30 s, 1.0 (published at 900) for 20 s.
    let obs = [(990, d("3")), (960, d("2")), (900, d("1"))];
    // (30 + 60 + 20) / 60 = 1.8333…, rounded down at 18 decimals.
    assert_eq!(
        twap(&obs, 1000, 60).unwrap(),
        Some(d("1.833333333333333333"))
    );
    // Observation exactly at the window start: (7·30 + 5·30) / 60 = 6.
    assert_eq!(
        twap(&[(970, d("7")), (940, d("5")), (100, d("1000"))], 1000, 60).unwrap(),
        Some(d("6"))
    );
}

#[test]
fn twap_weights_gaps_by_the_price_in_force() {
    // No observation before the window: covers [945, 1000] only. 4·5 + 2·50 = 120 over 55 s.
    let obs = [(995, d("4")), (945, d("2"))];
    assert_eq!(
        twap(&obs, 1000, 60).unwrap(),
        Some(d("2.181818181818181818"))
    );
    // A future observation is not yet in force.
    assert_eq!(
        twap(&[(1005, d("9")), (980, d("1"))], 1000, 60).unwrap(),
        Some(d("1"))
    );
    // Price in force at now wins over a future one when nothing else covers time.
    assert_eq!(
        twap(&[(1002, d("9")), (1000, d("4"))], 1000, 60).unwrap(),
        Some(d("4"))
    );
}

#[test]
fn median_one_two_three() {
    assert_eq!(median(vec![d("1.5")]).unwrap(), Some(d("1.5")));
    assert_eq!(median(vec![d("3"), d("1")]).unwrap(), Some(d("2")));
    assert_eq!(median(vec![d("3"), d("1"), d("2")]).unwrap(), Some(d("2")));
    assert_eq!(
        median(vec![d("10"), d("1"), d("2"), d("4")]).unwrap(),
        Some(d("3"))
    );
    // Even count rounds the mean down at 18 decimals.
    assert_eq!(
        median(vec![d("0.000000000000000001"), d("0.000000000000000002")]).unwrap(),
        Some(d("0.000000000000000001"))
    );
    assert_eq!(median(vec![]).unwrap(), None);
}

#[test]
fn deviation_is_exact_at_the_limit() {
    assert_eq!(deviation(d("1"), d("1.015"), 150).unwrap(), (false, 150));
    assert_eq!(deviation(d("1"), d("1.0150001"), 150).unwrap(), (true, 151));
    assert_eq!(deviation(d("2"), d("2"), 1).unwrap(), (false, 0));
}

fn input(id: &str, latest: Option<(i64, &str)>, rejection: Option<RejectReason>) -> SourceInput {
    SourceInput {
        source: id.into(),
        latest: latest.map(|(t, p)| Observation {
            seq: 0,
            price: d(p),
            conf: Decimal256::zero(),
            expo: -8,
            publish_time: t,
            recorded_at: 0,
        }),
        last_rejection: rejection.map(|reason| Rejection {
            reason,
            detail: "x".into(),
            publish_time: None,
            at: 0,
        }),
        window: latest.map(|(t, p)| vec![(t, d(p))]).unwrap_or_default(),
    }
}

#[test]
fn health_classification() {
    let l = Limits::default();
    let fresh = |id, p| input(id, Some((NOW - 1, p)), None);
    let stale = |id| input(id, Some((NOW - 31, "1")), None);
    let e = evaluate(&l, NOW, &[]).unwrap();
    assert_eq!(e.health, Health::LowSources);
    let e = evaluate(&l, NOW, &[fresh("a", "1"), fresh("b", "1.01")]).unwrap();
    assert_eq!(
        (e.health, e.price, e.deviation_bps),
        (Health::Healthy, Some(d("1.005")), Some(100))
    );
    let e = evaluate(&l, NOW, &[fresh("a", "1"), fresh("b", "1.02")]).unwrap();
    assert_eq!((e.health, e.deviation_bps), (Health::Deviation, Some(200)));
    let e = evaluate(&l, NOW, &[stale("a"), input("b", None, None)]).unwrap();
    assert_eq!(
        (e.health, e.price, e.healthy_sources),
        (Health::Stale, None, 0)
    );
    assert!(
        e.reason.contains("a: last published") && e.reason.contains("b: no observation"),
        "{}",
        e.reason
    );
    let e = evaluate(
        &l,
        NOW,
        &[
            stale("a"),
            input("b", Some((NOW, "1")), Some(RejectReason::LowConfidence)),
        ],
    )
    .unwrap();
    assert_eq!(e.health, Health::LowConfidence);
    // Other rejections do not exclude a fresh source.
    let e = evaluate(
        &l,
        NOW,
        &[input("b", Some((NOW, "1")), Some(RejectReason::Stale))],
    )
    .unwrap();
    assert_eq!(e.health, Health::Healthy);
    let two = Limits {
        min_sources: 2,
        ..l
    };
    let e = evaluate(&two, NOW, &[fresh("a", "1"), stale("b")]).unwrap();
    assert_eq!(
        (e.health, e.price, e.healthy_sources),
        (Health::LowSources, Some(d("1")), 1)
    );
    // The stale source is left out of the median.
    let e = evaluate(&l, NOW, &[fresh("a", "1"), stale("b"), fresh("c", "1.01")]).unwrap();
    assert_eq!(
        (e.health, e.price, e.publish_time),
        (Health::Healthy, Some(d("1.005")), Some(NOW - 1))
    );
}

/// Fresh sources with the given TWAPs (one observation each, so the TWAP is the price).
fn fresh_set(prices: &[&str]) -> Vec<SourceInput> {
    prices
        .iter()
        .enumerate()
        .map(|(i, p)| input(&format!("s{i}"), Some((NOW - 1, p)), None))
        .collect()
}

fn left_out_ids(e: &Evaluation) -> Vec<&str> {
    e.left_out.iter().map(|l| l.source.as_str()).collect()
}

#[test]
fn median_of_others_is_the_nearest_median() {
    let v = [d("1"), d("1.01"), d("2")];
    // Others of 1 are {1.01, 2}: every value in [1.01, 2] is a median; the nearest is 1.01.
    assert_eq!(median_of_others(&v, 0), Some(d("1.01")));
    // Others of 1.01 are {1, 2}: 1.01 itself lies between them.
    assert_eq!(median_of_others(&v, 1), Some(d("1.01")));
    assert_eq!(median_of_others(&v, 2), Some(d("1.01")));
    // An odd number of others has one median.
    let v = [d("5"), d("1"), d("3"), d("2")];
    assert_eq!(median_of_others(&v, 0), Some(d("2")));
    assert_eq!(median_of_others(&[d("1")], 0), None);
    assert_eq!(median_of_others(&v, 4), None);
}

#[test]
fn one_wrong_source_of_three_is_left_out() {
    let e = evaluate(&Limits::default(), NOW, &fresh_set(&["1", "1.01", "2"])).unwrap();
    // The median of the two good ones; the wrong one is 0.99 / 1.01 = 9801.98… bps from 1.01.
    assert_eq!(
        (e.health, e.price, e.healthy_sources, e.sources_used),
        (Health::Healthy, Some(d("1.005")), 3, 2)
    );
    assert_eq!(e.price_in_force(), Some(d("1.005")));
    assert_eq!(
        e.left_out,
        vec![LeftOut {
            source: "s2".into(),
            twap: d("2"),
            median_of_others: d("1.01"),
            deviation_bps: 9802,
            reason: "twap 2 is 9802 bps from 1.01, the median of the other healthy sources \
                     (limit 150 bps)"
                .into(),
        }]
    );
    assert!(
        e.reason.contains("2 used, left out s2: twap 2"),
        "{}",
        e.reason
    );
    // The spread still reports all healthy sources; the source's own detail says why.
    assert_eq!(e.deviation_bps, Some(10_000));
    assert!(e.sources[2].detail.starts_with("left out: "));
    // The same with the wrong one low and the sources in another order.
    let e = evaluate(&Limits::default(), NOW, &fresh_set(&["1.01", "0.1", "1"])).unwrap();
    assert_eq!((e.health, e.price), (Health::Healthy, Some(d("1.005"))));
    assert_eq!(left_out_ids(&e), ["s1"]);
}

#[test]
fn two_disagreeing_sources_are_unavailable() {
    let e = evaluate(&Limits::default(), NOW, &fresh_set(&["1", "1.02"])).unwrap();
    // Each is 200 bps from the other: nothing is left to price with.
    assert_eq!(
        (e.health, e.price, e.sources_used, e.price_in_force()),
        (Health::Deviation, None, 0, None)
    );
    assert_eq!(left_out_ids(&e), ["s0", "s1"]);
    assert!(
        e.reason.contains("0 of 2 healthy sources within 150 bps"),
        "{}",
        e.reason
    );
    // Exactly at the limit is not further than it.
    let e = evaluate(&Limits::default(), NOW, &fresh_set(&["1", "1.015"])).unwrap();
    assert_eq!((e.health, e.price), (Health::Healthy, Some(d("1.0075"))));
    assert!(e.left_out.is_empty());
}

#[test]
fn three_way_split_is_unavailable() {
    let e = evaluate(&Limits::default(), NOW, &fresh_set(&["1", "1.5", "2"])).unwrap();
    // 1.5 lies between the others, the outer two are far from it: one of three is no majority.
    assert_eq!(
        (e.health, e.sources_used, e.price_in_force()),
        (Health::Deviation, 1, None)
    );
    assert_eq!(left_out_ids(&e), ["s0", "s2"]);
}

#[test]
fn majority_and_min_sources_edges() {
    let l = Limits::default();
    // Three agree, one is wrong: 3 of 4 is a strict majority.
    let e = evaluate(&l, NOW, &fresh_set(&["1", "1.005", "1.01", "5"])).unwrap();
    assert_eq!((e.health, e.price), (Health::Healthy, Some(d("1.005"))));
    assert_eq!(left_out_ids(&e), ["s3"]);
    // Two agree, two are wrong (and disagree): 2 of 4 is not a strict majority.
    let e = evaluate(&l, NOW, &fresh_set(&["1", "1.001", "3", "7"])).unwrap();
    assert_eq!(e.health, Health::Deviation);
    // A drift with no group of three within 100 bps: only the middle two stay, half of four.
    let tight = Limits {
        max_deviation_bps: 100,
        ..l.clone()
    };
    let e = evaluate(&tight, NOW, &fresh_set(&["1", "1.01", "1.02", "1.03"])).unwrap();
    assert_eq!((e.health, e.sources_used), (Health::Deviation, 2));
    assert_eq!(left_out_ids(&e), ["s0", "s3"]);
    // Three of five agree: a majority.
    let e = evaluate(&l, NOW, &fresh_set(&["2", "1", "1.01", "1.005", "0.5"])).unwrap();
    assert_eq!((e.health, e.price), (Health::Healthy, Some(d("1.005"))));
    assert_eq!(left_out_ids(&e), ["s0", "s4"]);
    // One wrong of three: two remain, enough for min_sources 2, not for 3.
    let set = fresh_set(&["1", "1.01", "2"]);
    let two = Limits {
        min_sources: 2,
        ..l.clone()
    };
    let e = evaluate(&two, NOW, &set).unwrap();
    assert_eq!((e.health, e.price), (Health::Healthy, Some(d("1.005"))));
    let three = Limits {
        min_sources: 3,
        ..l
    };
    let e = evaluate(&three, NOW, &set).unwrap();
    assert_eq!(
        (e.health, e.sources_used, e.price_in_force()),
        (Health::Deviation, 2, None)
    );
    assert!(
        e.reason.contains("3 and a strict majority required"),
        "{}",
        e.reason
    );
    // A stale source is not judged (nor counted in the majority).
    let mut set = fresh_set(&["1", "1.01"]);
    set.push(input("old", Some((NOW - 31, "9")), None));
    let e = evaluate(&two, NOW, &set).unwrap();
    assert_eq!((e.health, e.price), (Health::Healthy, Some(d("1.005"))));
    assert!(e.left_out.is_empty());
}
