//! Property tests of the price math.

use cosmwasm_std::Decimal256;
use oracle::aggregate::{median, twap};
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
}
