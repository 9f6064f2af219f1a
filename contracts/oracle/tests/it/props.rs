//! Property tests of the price math.

use cosmwasm_std::Decimal256;
use oracle::aggregate::{evaluate, median, twap, SourceInput};
use oracle::msg::{Health, Limits, Observation};
use proptest::prelude::*;

fn price(atomics: u64) -> Decimal256 {
    Decimal256::from_atomics(atomics, 6).unwrap()
}

/// Observations newest first with strictly decreasing times ending at or before `now`.
fn observations() -> impl Strategy<Value = (i64, u64, Vec<(i64, Decimal256)>)> {
    (
        1u64..200,
        prop::collection::vec((1i64..40, 1u64..10_000_000_000), 1..20),
    )
        .prop_map(|(window, steps)| {
            let now = 1_000_000i64;
            let mut t = now - steps[0].0 + 1; // may equal now
            let mut obs = Vec::new();
            for (gap, p) in steps {
                obs.push((t, price(p)));
                t -= gap;
            }
            (now, window, obs)
        })
}

proptest! {
    #[test]
    fn twap_lies_within_the_prices_in_force((now, window, obs) in observations()) {
        let start = now - window as i64;
        // Prices that can be in force during the window: those after the start plus the newest at or before it.
        let mut in_force: Vec<Decimal256> = obs.iter().filter(|(t, _)| *t > start).map(|(_, p)| *p).collect();
        if let Some((_, p)) = obs.iter().find(|(t, _)| *t <= start) {
            in_force.push(*p);
        }
        let avg = twap(&obs, now, window).unwrap().unwrap();
        let min = *in_force.iter().min().unwrap();
        let max = *in_force.iter().max().unwrap();
        prop_assert!(avg >= min && avg <= max, "{avg} not in [{min}, {max}]");
    }

    #[test]
    fn twap_of_a_constant_is_the_constant((now, window, obs) in observations(), p in 1u64..u64::MAX) {
        let flat: Vec<_> = obs.iter().map(|(t, _)| (*t, price(p))).collect();
        prop_assert_eq!(twap(&flat, now, window).unwrap(), Some(price(p)));
    }

    #[test]
    fn median_ignores_order_and_is_bounded(values in prop::collection::vec(1u64..u64::MAX, 1..9), seed in any::<u64>()) {
        let values: Vec<Decimal256> = values.into_iter().map(price).collect();
        let mut shuffled = values.clone();
        let len = shuffled.len();
        shuffled.rotate_left((seed as usize) % len);
        shuffled.reverse();
        let m = median(values.clone()).unwrap().unwrap();
        prop_assert_eq!(median(shuffled).unwrap(), Some(m));
        prop_assert!(m >= *values.iter().min().unwrap() && m <= *values.iter().max().unwrap());
        // At least half of the values are on each side.
        let below = values.iter().filter(|v| **v <= m).count();
        let above = values.iter().filter(|v| **v >= m).count();
        prop_assert!(below * 2 >= len && above * 2 >= len);
    }

    /// For any set of fresh sources: exactly those further than the limit from the median of the
    /// other healthy sources are left out; the price is the median of the rest; and the pair is
    /// healthy exactly when at least `min_sources` and a strict majority remain — in particular
    /// whenever a strict majority of at least `min_sources` lies within the limit of each other.
    #[test]
    fn outliers_are_left_out_and_a_majority_cluster_prices((values, bps, min_sources) in source_sets()) {
        let now = 1_000_000i64;
        let limits = Limits { max_deviation_bps: bps, min_sources, ..Limits::default() };
        let inputs: Vec<SourceInput> = values.iter().enumerate().map(|(i, v)| SourceInput {
            source: format!("s{i}"),
            latest: Some(Observation {
                seq: 0,
                price: price(*v),
                conf: Decimal256::zero(),
                expo: -6,
                publish_time: now - 1,
                recorded_at: 0,
            }),
            last_rejection: None,
            window: vec![(now - 1, price(*v))],
        }).collect();
        let e = evaluate(&limits, now, &inputs).unwrap();
        let n = values.len();
        // `a` is further than `bps` from `b`: |a − b| / min(a, b) > bps / 10000, exactly.
        let far = |a: u64, b: u64| u128::from(a.abs_diff(b)) * 10_000 > u128::from(a.min(b)) * u128::from(bps);
        // The median of the others nearest to v: the others' middle value, or v clamped to the
        // two middle values of an even count.
        let expected_out: Vec<String> = (0..n).filter(|&i| {
            let mut others: Vec<u64> = values.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, v)| *v).collect();
            others.sort();
            let m = others.len();
            if m == 0 {
                return false;
            }
            let (lo, hi) = (others[(m - 1) / 2], others[m / 2]);
            far(values[i], values[i].max(lo).min(hi))
        }).map(|i| format!("s{i}")).collect();
        let out: Vec<String> = e.left_out.iter().map(|l| l.source.clone()).collect();
        prop_assert_eq!(&out, &expected_out);
        let mut kept: Vec<u64> = (0..n).filter(|i| !expected_out.contains(&format!("s{i}"))).map(|i| values[i]).collect();
        kept.sort();
        let k = kept.len();
        prop_assert_eq!(e.sources_used as usize, k);
        let available = k >= min_sources as usize && 2 * k > n;
        prop_assert_eq!(e.health == Health::Healthy, available, "{}", e.reason);
        if available {
            // Median in 18-decimal atomics (values have 6), the even mean rounded down.
            let atomics = |v: u64| u128::from(v) * 1_000_000_000_000;
            let expected = if k % 2 == 1 {
                atomics(kept[k / 2])
            } else {
                (atomics(kept[k / 2 - 1]) + atomics(kept[k / 2])) / 2
            };
            prop_assert_eq!(e.price_in_force(), Some(Decimal256::from_atomics(expected, 18).unwrap()));
        }
        // Any group with a strict majority, at least min_sources and its spread within the
        // limit makes the pair healthy.
        for mask in 1u32..(1 << n) {
            let group: Vec<u64> = (0..n).filter(|i| mask & (1 << i) != 0).map(|i| values[i]).collect();
            let (lo, hi) = (*group.iter().min().unwrap(), *group.iter().max().unwrap());
            if 2 * group.len() > n && group.len() >= min_sources as usize && !far(lo, hi) {
                prop_assert_eq!(e.health, Health::Healthy, "group {:?} of {:?}: {}", group, values, e.reason);
            }
        }
    }
}

/// 1-8 prices (6 decimals) around a base: most within ±4 % of it, some anywhere from half to
/// twice it; a deviation limit of 50, 150 or 500 bps; `min_sources` from 1 to the count.
fn source_sets() -> impl Strategy<Value = (Vec<u64>, u32, u32)> {
    (
        1_000_000u64..10_000_000,
        prop::collection::vec((0u8..4, -400i64..=400, 5_000u64..=20_000), 1..=8),
        prop::sample::select(vec![50u32, 150, 500]),
        1u32..=8,
    )
        .prop_map(|(base, specs, bps, min_sources)| {
            let values: Vec<u64> = specs
                .iter()
                .map(|&(kind, near, factor)| {
                    if kind == 0 {
                        base * factor / 10_000
                    } else {
                        (i128::from(base) * i128::from(10_000 + near) / 10_000) as u64
                    }
                })
                .collect();
            let min_sources = min_sources.min(values.len() as u32);
            (values, bps, min_sources)
        })
}
