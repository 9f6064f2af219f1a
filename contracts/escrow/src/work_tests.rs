//! Unit tests of the verified-work arithmetic.

use cosmwasm_std::{Decimal256, Uint256, Uint64};
use proptest::prelude::*;

use super::blocks_paid;

/// `blocks_paid` as 0.2.0 first computed it, in `Decimal256` arithmetic: the reference.
fn reference(paid: Uint256, rate: Decimal256, max: u64) -> u64 {
    if rate.is_zero() {
        return max;
    }
    let Ok(paid) = Decimal256::checked_from_ratio(paid, 1u8) else {
        return max;
    };
    match paid.checked_div(rate) {
        Ok(q) => Uint64::try_from(q.to_uint_floor()).map_or(max, |b| b.u64().min(max)),
        Err(_) => max,
    }
}

#[test]
fn blocks_paid_edges() {
    let d = |s: &str| s.parse::<Decimal256>().unwrap();
    // 10 at 2.5 per block pays 4 blocks; at 3 per block 3 (the part block is not counted).
    assert_eq!(blocks_paid(Uint256::from(10u8), d("2.5"), u64::MAX), 4);
    assert_eq!(blocks_paid(Uint256::from(10u8), d("3"), u64::MAX), 3);
    assert_eq!(blocks_paid(Uint256::from(10u8), d("3"), 2), 2);
    // A zero rate, or an amount too large for the arithmetic, pays every block asked.
    assert_eq!(blocks_paid(Uint256::one(), Decimal256::zero(), 9), 9);
    assert_eq!(blocks_paid(Uint256::MAX, Decimal256::one(), 9), 9);
    for (paid, rate) in [
        (Uint256::MAX, Decimal256::MAX),
        (Uint256::MAX, d("0.000000000000000001")),
        (Uint256::from(u128::MAX), d("0.000000000000000001")),
        (Uint256::zero(), d("1")),
    ] {
        assert_eq!(
            blocks_paid(paid, rate, u64::MAX),
            reference(paid, rate, u64::MAX)
        );
    }
}

proptest! {
    /// Integer and `Decimal256` arithmetic agree on every amount, rate and cap.
    #[test]
    fn blocks_paid_matches_the_decimal_reference(
        paid in any::<u128>(),
        rate in any::<u128>(),
        shift in 0u32..140,
        max in any::<u64>(),
    ) {
        let paid = Uint256::from(paid) << shift;
        let rate = Decimal256::new(Uint256::from(rate));
        prop_assert_eq!(blocks_paid(paid, rate, max), reference(paid, rate, max));
    }
}
