//! Pricing arithmetic: rounding directions and exact end values.

use cosmwasm_std::Uint256;
use reservations::money::{cancel_fee, earned, term_price};

fn u(v: u128) -> Uint256 {
    Uint256::from(v)
}

#[test]
fn term_price_rounds_up() {
    assert_eq!(term_price(u(3_600), 3_600).unwrap(), u(3_600));
    assert_eq!(term_price(u(1_000), 3_601).unwrap(), u(1_001));
    assert_eq!(term_price(u(1), 1).unwrap(), u(1));
    assert_eq!(term_price(u(7), 3_600 * 24).unwrap(), u(168));
}

#[test]
fn earned_rounds_down_and_is_exact_at_end() {
    assert_eq!(earned(u(1_001), 10, 3_611, 10).unwrap(), u(0));
    assert_eq!(earned(u(1_001), 10, 3_611, 11).unwrap(), u(0));
    assert_eq!(earned(u(1_001), 10, 3_611, 3_610).unwrap(), u(1_000));
    assert_eq!(earned(u(1_001), 10, 3_611, 3_611).unwrap(), u(1_001));
    assert_eq!(earned(u(1_001), 10, 3_611, 99_999).unwrap(), u(1_001));
    assert_eq!(earned(u(1_001), 10, 3_611, 0).unwrap(), u(0));
}

#[test]
fn cancel_fee_rounds_up_and_is_capped() {
    assert_eq!(cancel_fee(u(10_801), 500).unwrap(), u(541));
    assert_eq!(cancel_fee(u(100), 0).unwrap(), u(0));
    assert_eq!(cancel_fee(u(100), 10_000).unwrap(), u(100));
    assert_eq!(cancel_fee(u(1), 1).unwrap(), u(1));
}
