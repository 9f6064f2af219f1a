//! Unit tests of the verified-work arithmetic: GPU work follows value.

use cosmwasm_std::{Decimal256, Uint256};
use proptest::prelude::*;

use super::Unbooked;

fn d(s: &str) -> Decimal256 {
    s.parse().unwrap()
}

#[test]
fn zero_value_books_no_blocks() {
    // The audit's lease: 10^-18 per block, charged nothing for a million blocks.
    let mut u = Unbooked::default();
    let rate = d("0.000000000000000001");
    assert_eq!(u.book(1_000_000, Uint256::zero(), rate).unwrap(), 0);
    assert_eq!(u.blocks, 1_000_000);
    // One unit paid later covers 10^18 blocks' worth: the million waiting blocks, no more.
    assert_eq!(u.book(0, Uint256::one(), rate).unwrap(), 1_000_000);
    assert_eq!(u.blocks, 0);
}

#[test]
fn a_sub_unit_rate_books_blocks_as_value_covers_them() {
    // 0.3 per block settled every 4 blocks: charges 1, 1, 1, 1, 2 (the carry at work).
    let mut u = Unbooked::default();
    let rate = d("0.3");
    let booked: Vec<u64> = [1u8, 1, 1, 1, 2]
        .iter()
        .map(|paid| u.book(4, Uint256::from(*paid), rate).unwrap())
        .collect();
    // 1 covers 3 blocks (0.1 left), 1.1 covers 3 (0.2 left), 1.2 covers 4, 1 covers 3 (0.1
    // left), 2.1 covers 7: 20 blocks paid 6 = 0.3 × 20, all 20 booked in the end.
    assert_eq!(booked, vec![3, 3, 4, 3, 7]);
    assert_eq!(u, Unbooked::default());
}

#[test]
fn value_beyond_the_charged_blocks_waits() {
    // A charge carries up to one unit more than rate × blocks: it never books more blocks than
    // were charged, and the rest is matched with the next blocks.
    let mut u = Unbooked::default();
    assert_eq!(u.book(2, Uint256::from(4u8), d("1.5")).unwrap(), 2);
    assert_eq!(u.value, d("1"));
    assert_eq!(u.book(1, Uint256::zero(), d("1.5")).unwrap(), 0);
    assert_eq!(u.book(0, Uint256::one(), d("1.5")).unwrap(), 1);
    assert_eq!(u.value, d("0.5"));
}

proptest! {
    /// However charges are split, the blocks booked in total are min(blocks, floor(value /
    /// rate)) of the totals (an independent formula), and never more than the blocks charged.
    #[test]
    fn booked_blocks_follow_the_total_value(
        micro in 1u64..5_000_000,
        steps in prop::collection::vec((0u64..50, 0u32..40), 1..40),
    ) {
        let rate = Decimal256::from_ratio(micro, 1_000_000u64);
        let mut u = Unbooked::default();
        let (mut blocks, mut value, mut booked) = (0u64, 0u128, 0u64);
        for (b, v) in steps {
            booked += u.book(b, Uint256::from(v), rate).unwrap();
            blocks += b;
            value += u128::from(v);
            let by_value = value * 1_000_000 / u128::from(micro);
            let expected = u128::from(blocks).min(by_value);
            prop_assert_eq!(u128::from(booked), expected);
        }
    }
}
