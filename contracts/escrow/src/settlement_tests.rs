//! Unit tests of the settlement arithmetic.

use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal256 {
    Decimal256::from_str(s).unwrap()
}

fn u(n: u64) -> Uint256 {
    Uint256::from(n)
}

#[test]
fn fully_funded_settlement_floors_per_payment() {
    let s = compute(u(1000), 10, 13, &[(0, d("1.5")), (1, d("2.4"))]).unwrap();
    // 3 blocks: floor(4.5) = 4, floor(7.2) = 7.
    assert_eq!(
        s.charges[0],
        Charge {
            payment_id: 0,
            paid: u(4),
            debt: u(0)
        }
    );
    assert_eq!(
        s.charges[1],
        Charge {
            payment_id: 1,
            paid: u(7),
            debt: u(0)
        }
    );
    assert_eq!((s.paid, s.debt, s.exhausted_at), (u(11), u(0), None));
}

#[test]
fn shortfall_pays_in_id_order_and_finds_exhaustion_height() {
    // 10 per block total; 35 covers 3 blocks (30) but not 4 (40).
    let s = compute(u(35), 100, 110, &[(3, d("4")), (7, d("6"))]).unwrap();
    assert_eq!(
        s.charges[0],
        Charge {
            payment_id: 3,
            paid: u(35),
            debt: u(5)
        }
    );
    assert_eq!(
        s.charges[1],
        Charge {
            payment_id: 7,
            paid: u(0),
            debt: u(60)
        }
    );
    assert_eq!(s.paid + s.debt, u(100));
    assert_eq!(s.exhausted_at, Some(104));
}

#[test]
fn exhaustion_at_first_block_and_last_block() {
    let s = compute(u(0), 5, 6, &[(0, d("1"))]).unwrap();
    assert_eq!(s.exhausted_at, Some(6));
    let s = compute(u(9), 0, 10, &[(0, d("1"))]).unwrap();
    assert_eq!(s.exhausted_at, Some(10));
    assert_eq!(s.debt, u(1));
    // Fractional rates: 0.3/block covers floor(0.3·h) <= 2 up to h = 9; h = 10 owes 3.
    let s = compute(u(2), 0, 20, &[(0, d("0.3"))]).unwrap();
    assert_eq!(s.exhausted_at, Some(10));
}

#[test]
fn zero_blocks_or_no_payments_charge_nothing() {
    let s = compute(u(5), 7, 7, &[(0, d("3"))]).unwrap();
    assert_eq!((s.paid, s.debt, s.exhausted_at), (u(0), u(0), None));
    let s = compute(u(5), 7, 100, &[]).unwrap();
    assert_eq!((s.paid, s.debt), (u(0), u(0)));
}

#[test]
fn blocks_covered_is_exact_with_fractional_rates() {
    assert_eq!(blocks_covered(u(100), &[]).unwrap(), None);
    assert_eq!(blocks_covered(u(100), &[(0, d("10"))]).unwrap(), Some(10));
    assert_eq!(blocks_covered(u(99), &[(0, d("10"))]).unwrap(), Some(9));
    // floor(0.3n) + floor(0.3n) <= 2 holds up to n = 6 (1 + 1), fails at n = 7 (2 + 2).
    assert_eq!(
        blocks_covered(u(2), &[(0, d("0.3")), (1, d("0.3"))]).unwrap(),
        Some(6)
    );
    // Cross-check against the settlement: exhaustion is the block after the last covered one.
    let rates = [(0, d("1.7")), (1, d("0.45"))];
    let n = blocks_covered(u(1234), &rates).unwrap().unwrap();
    let s = compute(u(1234), 0, n + 50, &rates).unwrap();
    assert_eq!(s.exhausted_at, Some(n + 1));
    assert!(compute(u(1234), 0, n, &rates).unwrap().debt.is_zero());
}

#[test]
fn huge_rates_overflow_as_typed_errors() {
    let err = compute(u(1), 0, u64::MAX, &[(0, Decimal256::MAX)]).unwrap_err();
    assert!(matches!(err, ContractError::Overflow(_)));
}
