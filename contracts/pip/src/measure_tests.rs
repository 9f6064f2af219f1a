use super::*;

fn dec(s: &str) -> Decimal256 {
    s.parse().unwrap()
}

#[test]
fn usd_to_tokens_floors() {
    // $2.49 at $0.50/AKT = 4.98 AKT = 4_980_000 uakt.
    assert_eq!(
        tokens_for_usd(dec("2.49"), dec("0.5"), 6).unwrap(),
        Uint256::from(4_980_000u128)
    );
    // 1 USD at 3 USD/AKT = 0.333333 AKT (floored, never rounded up).
    assert_eq!(
        tokens_for_usd(dec("1"), dec("3"), 6).unwrap(),
        Uint256::from(333_333u128)
    );
    assert!(tokens_for_usd(dec("1"), Decimal256::zero(), 6).is_err());
    assert!(tokens_for_usd(Decimal256::MAX, dec("0.000000000000000001"), 18).is_err());
}

#[test]
fn pro_rata_floors_and_handles_zero_total() {
    let a = Uint256::from(100u128);
    assert_eq!(
        pro_rata(a, Uint128::new(1), Uint128::new(3)).unwrap(),
        Uint256::from(33u128)
    );
    assert_eq!(
        pro_rata(a, Uint128::new(3), Uint128::new(3)).unwrap(),
        Uint256::from(100u128)
    );
    assert!(pro_rata(a, Uint128::new(1), Uint128::zero())
        .unwrap()
        .is_zero());
}

#[test]
fn unqualified_measurement_has_no_basis() {
    let m = Measurement {
        gpu_seconds: Uint128::new(10),
        qualified: false,
        ..Measurement::default()
    };
    assert!(m.basis().is_zero());
}
