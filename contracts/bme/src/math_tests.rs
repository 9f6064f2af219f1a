use super::*;

fn d(s: &str) -> Decimal256 {
    s.parse().unwrap()
}

#[test]
fn conversions_round_down() {
    assert_eq!(
        akt_to_act(Uint128::new(10_000_000), d("2.5")).unwrap(),
        Uint128::new(25_000_000)
    );
    // 3 × 0.333… = 0.999… → 0.
    assert_eq!(
        akt_to_act(Uint128::new(3), d("0.333333333333333333")).unwrap(),
        Uint128::zero()
    );
    assert_eq!(
        act_to_akt(Uint128::new(10), d("3")).unwrap(),
        Uint128::new(3)
    );
    assert_eq!(
        act_to_akt(Uint128::new(25_000_000), d("2.5")).unwrap(),
        Uint128::new(10_000_000)
    );
    assert!(matches!(
        act_to_akt(Uint128::new(1), Decimal256::zero()),
        Err(ContractError::OracleUnhealthy { .. })
    ));
    assert!(akt_to_act(Uint128::MAX, d("1000000")).is_err());
}

#[test]
fn spread_rounds_up() {
    assert_eq!(spread(Uint128::new(10_000), 25).unwrap(), Uint128::new(25));
    assert_eq!(spread(Uint128::new(10_001), 25).unwrap(), Uint128::new(26));
    assert_eq!(spread(Uint128::new(1), 25).unwrap(), Uint128::new(1));
    assert_eq!(spread(Uint128::new(123), 0).unwrap(), Uint128::zero());
}

#[test]
fn collateral_ratio_and_modes() {
    let p = Params::default();
    assert_eq!(
        collateral_ratio_bps(Uint128::new(100), d("1"), Uint128::zero()).unwrap(),
        u32::MAX
    );
    assert_eq!(
        collateral_ratio_bps(Uint128::new(100), d("0.95"), Uint128::new(100)).unwrap(),
        9_500
    );
    // Rounds down: 100 × 0.94999 → 9499.9 → 9499.
    assert_eq!(
        collateral_ratio_bps(Uint128::new(100), d("0.94999"), Uint128::new(100)).unwrap(),
        9_499
    );
    assert_eq!(mode_for(9_501, &p), Mode::Healthy);
    assert_eq!(mode_for(9_500, &p), Mode::Warning);
    assert_eq!(mode_for(9_001, &p), Mode::Warning);
    assert_eq!(mode_for(9_000, &p), Mode::HaltCr);
    assert_eq!(mode_for(0, &p), Mode::HaltCr);
    // Huge ratios clamp.
    assert_eq!(
        collateral_ratio_bps(Uint128::MAX, d("1000"), Uint128::one()).unwrap(),
        u32::MAX
    );
}

#[test]
fn mint_epochs_stretch_in_warning_only() {
    let p = Params::default();
    assert_eq!(mint_epoch_blocks(Mode::Healthy, 9_800, &p), 10);
    assert_eq!(mint_epoch_blocks(Mode::HaltCr, 8_000, &p), 10);
    // 0 steps at the warning line.
    assert_eq!(mint_epoch_blocks(Mode::Warning, 9_500, &p), 10);
    // 1 step: 10 × 1.1 = 11.
    assert_eq!(mint_epoch_blocks(Mode::Warning, 9_490, &p), 11);
    // 10 steps: 10 × 1.1^10 = 25.937… → 25.
    assert_eq!(mint_epoch_blocks(Mode::Warning, 9_400, &p), 25);
    // 49 steps: 10 × 1.1^49 = 1067.1… → 1067.
    assert_eq!(mint_epoch_blocks(Mode::Warning, 9_001, &p), 1_067);
    // Capped.
    let wide = Params {
        halt_bps: 1_000,
        ..Params::default()
    };
    assert_eq!(mint_epoch_blocks(Mode::Warning, 2_000, &wide), 14_400);
    let no_backoff = Params {
        epoch_backoff_percent: 0,
        ..Params::default()
    };
    assert_eq!(mint_epoch_blocks(Mode::Warning, 9_001, &no_backoff), 10);
}
