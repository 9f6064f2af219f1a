use super::*;
use cosmwasm_std::{Decimal256, Uint256, Uint512, Uint64};
use proptest::prelude::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// `floor(a × b / c)` and the remainder in `Uint256`, the reference for [`mul_div`].
fn reference(a: u128, b: u128, c: u128) -> Option<(u128, u128)> {
    let product = Uint256::from(a).checked_mul(Uint256::from(b)).unwrap();
    let c = Uint256::from(c);
    let q = product.checked_div(c).ok()?;
    let r = product.checked_rem(c).ok()?;
    Some((
        Uint128::try_from(q).ok()?.u128(),
        Uint128::try_from(r).ok()?.u128(),
    ))
}

/// The stretched epoch length as 0.1.0 computed it, in `Decimal256`.
fn reference_epoch_blocks(mode: Mode, cr_bps: u32, params: &Params) -> u64 {
    let base = params.min_epoch_blocks;
    if mode != Mode::Warning {
        return base;
    }
    let steps = params.warn_bps.saturating_sub(cr_bps) / 10;
    let factor =
        Decimal256::percent(100u64.saturating_add(u64::from(params.epoch_backoff_percent)));
    let cap = Decimal256::from_ratio(MAX_MINT_EPOCH_BLOCKS, 1u8);
    let mut len = Decimal256::from_ratio(base, 1u8);
    for _ in 0..steps {
        match len.checked_mul(factor) {
            Ok(next) if next < cap => len = next,
            _ => return MAX_MINT_EPOCH_BLOCKS.max(base),
        }
    }
    let blocks = Uint64::try_from(len.to_uint_floor())
        .map(|x| x.u64())
        .unwrap_or(MAX_MINT_EPOCH_BLOCKS);
    blocks.clamp(base, MAX_MINT_EPOCH_BLOCKS.max(base))
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
        act_to_akt(Uint128::new(1), Decimal::zero()),
        Err(ContractError::OracleUnhealthy { .. })
    ));
    assert!(matches!(
        akt_to_act(Uint128::MAX, d("1000000")),
        Err(ContractError::Overflow(_))
    ));
    // The largest amounts still convert exactly where the result fits.
    assert_eq!(act_to_akt(Uint128::MAX, d("1")).unwrap(), Uint128::MAX);
    assert!(akt_to_act(Uint128::MAX, Decimal::MAX).is_err());
}

#[test]
fn mul_div_edges() {
    assert_eq!(mul_div(0, 0, 1), Some((0, 0)));
    assert_eq!(mul_div(7, 3, 0), None);
    assert_eq!(
        mul_div(u128::MAX, u128::MAX, u128::MAX),
        Some((u128::MAX, 0))
    );
    assert_eq!(mul_div(u128::MAX, 2, 2), Some((u128::MAX, 0)));
    assert_eq!(mul_div(u128::MAX, 2, 1), None);
    assert_eq!(
        mul_div(u128::MAX, u128::MAX - 1, u128::MAX),
        Some((u128::MAX - 1, 0))
    );
    assert_eq!(
        mul_div(u128::MAX - 1, u128::MAX, 3),
        reference(u128::MAX - 1, u128::MAX, 3)
    );
    assert_eq!(mul_div(1 << 127, 4, 3), reference(1 << 127, 4, 3));
    assert_eq!(mul_div(1 << 127, 8, 3), None);
    assert_eq!(mul_div(1 << 127, 4, 5), reference(1 << 127, 4, 5));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn mul_div_is_exact(a in any::<u128>(), b in any::<u128>(), c in 1..=u128::MAX) {
        prop_assert_eq!(mul_div(a, b, c), reference(a, b, c));
    }

    #[test]
    fn mul_div_is_exact_for_results_that_fit(
        a in any::<u128>(),
        b in any::<u64>(),
        shift in 0u32..64,
    ) {
        // Divisors near the product's size, where the quotient fits and the carry path runs.
        let c = (a >> shift).max(1);
        prop_assert_eq!(mul_div(a, u128::from(b), c), reference(a, u128::from(b), c));
    }

    #[test]
    fn mul_div_is_exact_for_full_256_bit_products(
        a in any::<u128>(),
        b in any::<u128>(),
        c in any::<u128>(),
    ) {
        // A divisor above the product's high half: the quotient fits in 128 bits.
        let high = Uint256::from(a).full_mul(Uint256::from(b)) >> 128u32;
        let high = Uint128::try_from(Uint256::try_from(high).unwrap()).unwrap().u128();
        let c = c.max(high.saturating_add(1));
        prop_assert!(mul_div(a, b, c).is_some());
        prop_assert_eq!(mul_div(a, b, c), reference(a, b, c));
    }

    #[test]
    fn conversions_match_uint256(amount in any::<u128>(), atomics in 1..=u128::MAX) {
        let price = Decimal::new(Uint128::new(atomics));
        let scale = 1_000_000_000_000_000_000u128;
        prop_assert_eq!(
            akt_to_act(Uint128::new(amount), price).ok().map(|x| x.u128()),
            reference(amount, atomics, scale).map(|x| x.0)
        );
        prop_assert_eq!(
            act_to_akt(Uint128::new(amount), price).ok().map(|x| x.u128()),
            reference(amount, scale, atomics).map(|x| x.0)
        );
    }

    #[test]
    fn collateral_ratio_matches_uint256(
        vault in any::<u128>(),
        atomics in any::<u128>(),
        supply in 1..=u128::MAX,
    ) {
        // floor(vault × price × 10000 / supply) in Uint512, clamped.
        let num = Uint256::from(vault).full_mul(Uint256::from(atomics));
        let den = Uint256::from(supply).full_mul(Uint256::from(100_000_000_000_000u128));
        let ratio = num / den;
        let expected = if ratio > Uint512::from(u32::MAX) {
            u32::MAX
        } else {
            u32::try_from(Uint128::try_from(ratio).unwrap().u128()).unwrap()
        };
        prop_assert_eq!(
            collateral_ratio_bps(Uint128::new(vault), Decimal::new(Uint128::new(atomics)), Uint128::new(supply)),
            expected
        );
    }

    #[test]
    fn spread_is_the_ceiling(amount in any::<u128>(), bps in 0u32..=10_000) {
        let (q, r) = reference(amount, u128::from(bps), 10_000).unwrap();
        let expected = if r == 0 { q } else { q + 1 };
        prop_assert_eq!(spread(Uint128::new(amount), bps).unwrap().u128(), expected);
    }

    #[test]
    fn epoch_length_matches_decimal256(
        cr in 0u32..=10_000,
        halt in 0u32..9_999,
        backoff in 0u32..=100,
        base in 1u64..=14_400,
    ) {
        let params = Params {
            warn_bps: 9_999,
            halt_bps: halt,
            epoch_backoff_percent: backoff,
            min_epoch_blocks: base,
            ..Params::default()
        };
        for mode in [Mode::Healthy, Mode::Warning, Mode::HaltCr] {
            prop_assert_eq!(
                mint_epoch_blocks(mode, cr, &params),
                reference_epoch_blocks(mode, cr, &params)
            );
        }
    }
}

#[test]
fn spread_rounds_up() {
    assert_eq!(spread(Uint128::new(10_000), 25).unwrap(), Uint128::new(25));
    assert_eq!(spread(Uint128::new(10_001), 25).unwrap(), Uint128::new(26));
    assert_eq!(spread(Uint128::new(1), 25).unwrap(), Uint128::new(1));
    assert_eq!(spread(Uint128::new(123), 0).unwrap(), Uint128::zero());
    assert_eq!(spread(Uint128::MAX, 10_000).unwrap(), Uint128::MAX);
}

#[test]
fn collateral_ratio_and_modes() {
    let p = Params::default();
    assert_eq!(
        collateral_ratio_bps(Uint128::new(100), d("1"), Uint128::zero()),
        u32::MAX
    );
    assert_eq!(
        collateral_ratio_bps(Uint128::new(100), d("0.95"), Uint128::new(100)),
        9_500
    );
    // Rounds down: 100 × 0.94999 → 9499.9 → 9499.
    assert_eq!(
        collateral_ratio_bps(Uint128::new(100), d("0.94999"), Uint128::new(100)),
        9_499
    );
    assert_eq!(mode_for(9_501, &p), Mode::Healthy);
    assert_eq!(mode_for(9_500, &p), Mode::Warning);
    assert_eq!(mode_for(9_001, &p), Mode::Warning);
    assert_eq!(mode_for(9_000, &p), Mode::HaltCr);
    assert_eq!(mode_for(0, &p), Mode::HaltCr);
    // Huge ratios clamp.
    assert_eq!(
        collateral_ratio_bps(Uint128::MAX, d("1000"), Uint128::one()),
        u32::MAX
    );
    assert_eq!(
        collateral_ratio_bps(Uint128::MAX, Decimal::MAX, Uint128::MAX),
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
