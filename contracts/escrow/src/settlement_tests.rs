//! Unit tests of the settlement arithmetic.

use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal256 {
    Decimal256::from_str(s).unwrap()
}

fn u(n: u64) -> Uint256 {
    Uint256::from(n)
}

/// Fresh streams (no carry) from `(payment id, rate)`.
fn streams(rates: &[(u64, &str)]) -> Vec<Stream> {
    rates
        .iter()
        .map(|(id, rate)| Stream {
            payment_id: *id,
            rate: d(rate),
            carry: Decimal256::zero(),
        })
        .collect()
}

/// `(paid, debt)` per charge.
fn split(s: &Settlement) -> Vec<(Uint256, Uint256)> {
    s.charges.iter().map(|c| (c.paid, c.debt)).collect()
}

#[test]
fn fully_funded_settlement_floors_and_carries_the_fraction() {
    let s = compute(u(1000), 10, 13, &streams(&[(0, "1.5"), (1, "2.4")])).unwrap();
    // 3 blocks: floor(4.5) = 4 carrying 0.5, floor(7.2) = 7 carrying 0.2.
    assert_eq!(split(&s), vec![(u(4), u(0)), (u(7), u(0))]);
    assert_eq!(s.charges[0].carry, d("0.5"));
    assert_eq!(s.charges[1].carry, d("0.2"));
    assert_eq!(
        (s.paid, s.debt, s.exhausted_at, s.to_height),
        (u(11), u(0), None, 13)
    );
}

#[test]
fn a_carried_fraction_is_charged_by_a_later_settlement() {
    // 2.5 per block, touched every block for 10 blocks: 2, 3, 2, 3, ... = 25, as one
    // settlement over the 10 blocks would charge (the review found 20).
    let mut stream = streams(&[(0, "2.5")])[0];
    let mut total = Uint256::zero();
    for h in 0..10 {
        let s = compute(u(1_000), h, h + 1, &[stream]).unwrap();
        total += s.paid;
        stream.carry = s.charges[0].carry;
    }
    assert_eq!(total, u(25));
    // 0.9 per block: each single-block settlement charges 0 alone, but the carry makes 9.
    let mut stream = streams(&[(0, "0.9")])[0];
    let mut total = Uint256::zero();
    for h in 0..10 {
        let s = compute(u(1_000), h, h + 1, &[stream]).unwrap();
        total += s.paid;
        stream.carry = s.charges[0].carry;
    }
    assert_eq!(total, u(9));
}

#[test]
fn shortfall_stops_at_the_exhausting_block() {
    // 10 per block total; 35 covers 3 blocks (30) but not the 4th (40). The 4th block's dues
    // (4 + 6) get the 5 left in id order; charging stops there, whatever the touch height.
    for touch in [104, 110, 1_000] {
        let s = compute(u(35), 100, touch, &streams(&[(3, "4"), (7, "6")])).unwrap();
        assert_eq!(split(&s), vec![(u(16), u(0)), (u(19), u(5))]);
        assert_eq!((s.paid, s.debt), (u(35), u(5)));
        assert_eq!((s.exhausted_at, s.to_height), (Some(104), 104));
        assert_eq!(s.charges[0].paid_blocks, 4);
        assert_eq!(s.charges[1].paid_blocks, 3);
    }
}

#[test]
fn exhaustion_at_first_block_and_last_block() {
    let s = compute(u(0), 5, 6, &streams(&[(0, "1")])).unwrap();
    assert_eq!((s.exhausted_at, s.debt), (Some(6), u(1)));
    let s = compute(u(9), 0, 10, &streams(&[(0, "1")])).unwrap();
    assert_eq!(s.exhausted_at, Some(10));
    assert_eq!(s.debt, u(1));
    // Fractional rates: 0.3/block covers floor(0.3·h) <= 2 up to h = 9; h = 10 owes 3.
    let s = compute(u(2), 0, 20, &streams(&[(0, "0.3")])).unwrap();
    assert_eq!((s.exhausted_at, s.paid, s.debt), (Some(10), u(2), u(1)));
}

#[test]
fn zero_blocks_or_no_payments_charge_nothing() {
    let s = compute(u(5), 7, 7, &streams(&[(0, "3")])).unwrap();
    assert_eq!((s.paid, s.debt, s.exhausted_at), (u(0), u(0), None));
    let s = compute(u(5), 7, 100, &[]).unwrap();
    assert_eq!((s.paid, s.debt), (u(0), u(0)));
}

#[test]
fn blocks_covered_is_exact_with_fractional_rates_and_carries() {
    assert_eq!(blocks_covered(u(100), &[]).unwrap(), None);
    assert_eq!(
        blocks_covered(u(100), &streams(&[(0, "10")])).unwrap(),
        Some(10)
    );
    assert_eq!(
        blocks_covered(u(99), &streams(&[(0, "10")])).unwrap(),
        Some(9)
    );
    // floor(0.3n) + floor(0.3n) <= 2 holds up to n = 6 (1 + 1), fails at n = 7 (2 + 2).
    let pair = streams(&[(0, "0.3"), (1, "0.3")]);
    assert_eq!(blocks_covered(u(2), &pair).unwrap(), Some(6));
    // A carry of 0.8 brings the first unit one... three blocks earlier: floor(0.8 + 0.3n).
    let carried = [Stream {
        carry: d("0.8"),
        ..pair[0]
    }];
    assert_eq!(blocks_covered(u(0), &carried).unwrap(), Some(0));
    assert_eq!(blocks_covered(u(1), &carried).unwrap(), Some(3));
    // Cross-check against the settlement: exhaustion is the block after the last covered one.
    let rates = streams(&[(0, "1.7"), (1, "0.45")]);
    let n = blocks_covered(u(1234), &rates).unwrap().unwrap();
    let s = compute(u(1234), 0, n + 50, &rates).unwrap();
    assert_eq!(s.exhausted_at, Some(n + 1));
    assert_eq!(depletes_at(u(1234), 0, &rates).unwrap(), Some(n + 1));
    assert!(compute(u(1234), 0, n, &rates).unwrap().debt.is_zero());
}

#[test]
fn huge_rates_overflow_as_typed_errors() {
    let err = compute(
        u(1),
        0,
        u64::MAX,
        &streams(&[(0, "1")])
            .iter()
            .map(|s| Stream {
                rate: Decimal256::MAX,
                ..*s
            })
            .collect::<Vec<_>>(),
    )
    .unwrap_err();
    assert!(matches!(err, ContractError::Overflow(_)));
}

/// Settlement as 0.2.0 first computed it, in `Decimal256` arithmetic with a separate fully funded
/// branch: the reference the integer, one-loop `compute` and `blocks_covered` must match.
mod reference {
    use super::*;

    fn accrue(stream: &Stream, blocks: u64) -> (Uint256, Decimal256) {
        let blocks = Decimal256::from_atomics(Uint256::from(blocks), 0).unwrap();
        let total = stream
            .carry
            .checked_add(stream.rate.checked_mul(blocks).unwrap())
            .unwrap();
        (
            total.to_uint_floor(),
            total.checked_sub(total.floor()).unwrap(),
        )
    }

    fn total_due(streams: &[Stream], blocks: u64) -> Uint256 {
        streams.iter().map(|s| accrue(s, blocks).0).sum()
    }

    fn within(balance: Uint256, streams: &[Stream], max: u64) -> u64 {
        let (mut lo, mut hi) = (0u64, max);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if total_due(streams, mid) > balance {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        lo
    }

    pub fn compute(
        balance: Uint256,
        settled_at: u64,
        height: u64,
        streams: &[Stream],
    ) -> Settlement {
        let blocks = height.saturating_sub(settled_at);
        if total_due(streams, blocks) <= balance {
            let charges: Vec<Charge> = streams
                .iter()
                .map(|s| {
                    let (due, carry) = accrue(s, blocks);
                    Charge {
                        payment_id: s.payment_id,
                        paid: due,
                        debt: Uint256::zero(),
                        carry,
                        paid_blocks: blocks,
                    }
                })
                .collect();
            return Settlement {
                from_height: settled_at,
                to_height: height.max(settled_at),
                paid: charges.iter().map(|c| c.paid).sum(),
                charges,
                debt: Uint256::zero(),
                exhausted_at: None,
            };
        }
        let covered = within(balance, streams, blocks);
        let exhausting = covered + 1;
        let mut left = balance - total_due(streams, covered);
        let mut charges = vec![];
        for s in streams {
            let before = accrue(s, covered).0;
            let (at, carry) = accrue(s, exhausting);
            let block_due = at - before;
            let take = block_due.min(left);
            left -= take;
            let short = block_due - take;
            charges.push(Charge {
                payment_id: s.payment_id,
                paid: before + take,
                debt: short,
                carry,
                paid_blocks: if short.is_zero() { exhausting } else { covered },
            });
        }
        Settlement {
            from_height: settled_at,
            to_height: settled_at + exhausting,
            paid: charges.iter().map(|c| c.paid).sum(),
            debt: charges.iter().map(|c| c.debt).sum(),
            charges,
            exhausted_at: Some(settled_at + exhausting),
        }
    }

    pub fn blocks_covered(balance: Uint256, streams: &[Stream]) -> Option<u64> {
        let total = streams.iter().fold(Decimal256::zero(), |a, s| a + s.rate);
        if total.is_zero() {
            return None;
        }
        let count = Uint256::from(streams.len() as u64);
        let ceiling = Decimal256::from_atomics(balance + count, 0)
            .unwrap()
            .checked_div(total)
            .unwrap()
            .to_uint_floor();
        let hi = cosmwasm_std::Uint64::try_from(ceiling).map_or(u64::MAX, |v| v.u64()) + 1;
        if total_due(streams, hi) <= balance {
            return Some(hi);
        }
        Some(within(balance, streams, hi))
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn rate() -> impl Strategy<Value = Decimal256> {
        // 0.000001 to 50 per block, including sub-unit rates.
        (1u64..50_000_000).prop_map(|micro| Decimal256::from_ratio(micro, 1_000_000u64))
    }

    /// A rate with 18 decimals (sub-unit to 50 per block) and a carried fraction below one unit.
    fn stream(id: u64) -> impl Strategy<Value = Stream> {
        (
            1u128..50_000_000_000_000_000_000,
            0u128..1_000_000_000_000_000_000,
        )
            .prop_map(move |(rate, carry)| Stream {
                payment_id: id,
                rate: Decimal256::new(Uint256::from(rate)),
                carry: Decimal256::new(Uint256::from(carry)),
            })
    }

    fn streams() -> impl Strategy<Value = Vec<Stream>> {
        prop::collection::vec(0u64..1, 0..5).prop_flat_map(|ids| {
            ids.iter()
                .enumerate()
                .map(|(i, _)| stream(i as u64))
                .collect::<Vec<_>>()
        })
    }

    proptest! {
        /// Funded, exhausting and empty settlements, and the depletion estimate, are exactly
        /// what the `Decimal256` reference computes.
        #[test]
        fn integer_settlement_matches_the_decimal_reference(
            streams in streams(),
            balance in 0u64..2_000,
            settled_at in 0u64..1_000,
            blocks in 0u64..300,
            behind in 0u64..3,
        ) {
            // `behind` > 0: a preview at a height before `settled_at` (no blocks).
            let height = (settled_at + blocks).saturating_sub(behind * (blocks + 1));
            prop_assert_eq!(
                compute(u(balance), settled_at, height, &streams).unwrap(),
                reference::compute(u(balance), settled_at, height, &streams)
            );
            prop_assert_eq!(
                blocks_covered(u(balance), &streams).unwrap(),
                reference::blocks_covered(u(balance), &streams)
            );
        }

        /// However the span is cut into touches, each payment is charged exactly
        /// floor(rate × blocks) of one settlement over the whole span (while funded).
        #[test]
        fn touches_never_change_what_is_charged(
            rates in prop::collection::vec(rate(), 1..4),
            cuts in prop::collection::vec(1u64..40, 1..30),
        ) {
            let mut live: Vec<Stream> = rates
                .iter()
                .enumerate()
                .map(|(i, r)| Stream { payment_id: i as u64, rate: *r, carry: Decimal256::zero() })
                .collect();
            let balance = u(u64::MAX);
            let mut totals = vec![Uint256::zero(); live.len()];
            let mut height = 0u64;
            for cut in &cuts {
                let s = compute(balance, height, height + cut, &live).unwrap();
                for (i, c) in s.charges.iter().enumerate() {
                    totals[i] += c.paid;
                    live[i].carry = c.carry;
                }
                height += cut;
            }
            for (i, r) in rates.iter().enumerate() {
                let once = Uint256::from(height).checked_mul_floor(*r).unwrap();
                prop_assert_eq!(totals[i], once);
            }
        }

        /// Exhaustion does not depend on when the account is looked at: settling at the
        /// exhausting block or any later height gives the same charges, debt and height.
        #[test]
        fn exhaustion_is_the_same_whenever_observed(
            rates in prop::collection::vec(rate(), 1..4),
            balance in 0u64..500,
            late in 0u64..1_000,
        ) {
            let live: Vec<Stream> = rates
                .iter()
                .enumerate()
                .map(|(i, r)| Stream { payment_id: i as u64, rate: *r, carry: Decimal256::zero() })
                .collect();
            let Some(covered) = blocks_covered(u(balance), &live).unwrap() else {
                return Ok(());
            };
            let at = compute(u(balance), 0, covered + 1, &live).unwrap();
            let later = compute(u(balance), 0, covered + 1 + late, &live).unwrap();
            prop_assert_eq!(at.exhausted_at, Some(covered + 1));
            prop_assert_eq!(&at, &later);
            prop_assert_eq!(at.paid, u(balance));
            prop_assert!(!at.debt.is_zero());
        }
    }
}
