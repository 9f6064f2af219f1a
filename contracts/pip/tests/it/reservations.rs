//! Verified work from two sources: escrow leases and reservations of attested hosts, both read by
//! pip with the shared `VerifiedWorkQuery` and added up per GPU model.

use crate::common;

use common::*;
use cosmwasm_std::{Uint128, Uint256};
use pip::msg::ExecuteMsg;
use supercloud_std::VerifiedWorkQuery;

const AKT: u128 = 1_000_000;
/// $0.50 per AKT with 8 decimals.
const HALF_USD: i64 = 50_000_000;
const HOUR: u64 = 3_600;
/// A GPU-hour at the market price of these tests: 600 blocks × `GPU_BLOCK`.
const GPU_HOUR: u128 = 600 * GPU_BLOCK;

/// What pip sends is what both sources' own `QueryMsg::VerifiedWork` put on the wire.
#[test]
fn shared_query_is_both_sources_query_on_the_wire() {
    let shared = VerifiedWorkQuery::VerifiedWork {
        provider: "p".into(),
        denom: DENOM.into(),
        gpu_model: "h100".into(),
        from_height: 7,
        to_height: 9,
    };
    let escrow = escrow::msg::QueryMsg::VerifiedWork {
        provider: "p".into(),
        denom: DENOM.into(),
        gpu_model: "h100".into(),
        from_height: 7,
        to_height: 9,
    };
    let reservations = reservations::msg::QueryMsg::VerifiedWork {
        provider: "p".into(),
        denom: DENOM.into(),
        gpu_model: "h100".into(),
        from_height: 7,
        to_height: 9,
    };
    let wire = cosmwasm_std::to_json_vec(&shared).unwrap();
    assert_eq!(cosmwasm_std::to_json_vec(&escrow).unwrap(), wire);
    assert_eq!(cosmwasm_std::to_json_vec(&reservations).unwrap(), wire);
}

/// p1: an escrow lease (4 × h100) plus a reservation of an attested 8 × h100 host.
/// p2: a reservation of an 8 × h100 host that is not attested (paid by the tenant, no credit).
/// p3: a reservation of an attested 2 × a100 host (the second eligible model).
#[test]
fn committed_pays_escrow_and_attested_reservation_work() {
    let mut s = Suite::with_reservations();
    let reservations = s.reservations.clone().unwrap();
    let escrow = s.escrow.clone();
    let h0 = s.height();
    let t0 = s.app.block_info().time.seconds();
    // Epochs of 1000 blocks (6000 s): epoch 0 = (h0, h0+1000], epoch 1 = (h0+1000, h0+2000].
    let id = s
        .create(committed(h0, h0 + 2_000, 1_000, "2.5"), 100 * AKT)
        .unwrap();
    s.enroll(id, &["p1", "p2", "p3"]);

    // Market prices: 3 AKT per GPU-hour (see `GPU_BLOCK`).
    s.register_host("p1", "n1", "h100", 8, 8 * GPU_HOUR);
    s.register_host("p2", "n2", "h100", 8, 8 * GPU_HOUR);
    s.register_host("p3", "n3", "a100", 2, 2 * GPU_HOUR);
    s.appoint_auditor("auditor");
    s.attest("auditor", "p1", "n1");
    s.attest("auditor", "p3", "n3");
    // One-hour terms from now, exact price attached, confirmed by the provider.
    let r1 = s.reserve_confirmed("owner", "p1", "n1", t0, t0 + HOUR, 8 * GPU_HOUR);
    let r2 = s.reserve_confirmed("owner", "p2", "n2", t0, t0 + HOUR, 8 * GPU_HOUR);
    let r3 = s.reserve_confirmed("owner2", "p3", "n3", t0, t0 + HOUR, 2 * GPU_HOUR);
    let lease = s.honest_lease("owner2", "p1", "h100", 4);

    // Half the term (300 blocks × 6 s = 1800 s), inside epoch 0: settle the lease, claim all.
    s.advance(300);
    s.withdraw("p1", &lease);
    let b2 = s.bank("p2");
    assert!(s.claim(r1));
    assert!(!s.claim(r2), "an unattested host's claim is not verified");
    assert!(s.claim(r3));
    assert_eq!(
        s.bank("p2") - b2,
        4 * GPU_HOUR,
        "p2 is paid by the tenant all the same"
    );

    // Each source on its own, with the shared query.
    let e1 = s.work_of(&escrow, "p1", "h100", h0, h0 + 1_000);
    // 4 GPUs × 300 blocks × 6 s; 4 × 5,000 uakt × 300 blocks.
    assert_eq!(e1.gpu_seconds, Uint128::new(7_200));
    assert_eq!(e1.gpu_blocks, Uint128::new(1_200));
    assert_eq!(e1.value, Uint256::from(6_000_000u128));
    let r1w = s.work_of(&reservations, "p1", "h100", h0, h0 + 1_000);
    // 8 GPUs × 1800 s; half of the 8-GPU-hour term price.
    assert_eq!(r1w.gpu_seconds, Uint128::new(14_400));
    assert!(r1w.gpu_blocks.is_zero());
    assert_eq!(r1w.value, Uint256::from(12_000_000u128));
    let r2w = s.work_of(&reservations, "p2", "h100", h0, h0 + 1_000);
    assert!(r2w.gpu_seconds.is_zero() && r2w.value.is_zero());
    let r3w = s.work_of(&reservations, "p3", "a100", h0, h0 + 1_000);
    assert_eq!(r3w.gpu_seconds, Uint128::new(3_600));
    assert_eq!(r3w.value, Uint256::from(3_000_000u128));

    // Epoch 0.
    s.advance_to(h0 + 1_001);
    s.push_price(HALF_USD);
    let (b1, b2, b3) = (s.bank("p1"), s.bank("p2"), s.bank("p3"));
    s.settle(id, 0, None).unwrap();
    // p1: (7200 escrow + 14400 reservations) GPU-s = 6 h100-h × $2.5 = $15 at $0.50 = 30 AKT.
    // Escrow alone would pay 10 AKT, reservations alone 20 AKT.
    assert_eq!(s.bank("p1") - b1, 30 * AKT);
    // p2: its only work is on an unattested host.
    assert_eq!(s.bank("p2"), b2);
    // p3: 3600 a100-GPU-s = 1 h × $1.25 = 2.5 AKT.
    assert_eq!(s.bank("p3") - b3, 5 * AKT / 2);
    let r = s.results(id, 0);
    let result = |name: &str| {
        r.results
            .iter()
            .find(|x| x.provider == s.addr(name))
            .unwrap()
            .result
            .clone()
    };
    let p1 = result("p1");
    assert_eq!(p1.gpu_seconds, Uint128::new(21_600));
    assert_eq!(
        p1.gpu_blocks,
        Uint128::new(1_200),
        "reservations add no GPU-blocks"
    );
    // Value per denom, once per source (not once per eligible model): 6 + 12 AKT. The payout
    // (30 AKT) is within twice that, so the value cap does not bind.
    assert_eq!(p1.value, Uint256::from(18_000_000u128));
    assert!(!p1.capped);
    assert_eq!(p1.amount, u256(30 * AKT));
    let p2 = result("p2");
    assert!(p2.gpu_seconds.is_zero() && p2.value.is_zero() && p2.amount.is_zero());
    let p3 = result("p3");
    assert_eq!(p3.gpu_seconds, Uint128::new(3_600));
    assert_eq!(p3.value, Uint256::from(3_000_000u128));
    assert_eq!(p3.amount, u256(5 * AKT / 2));

    // The terms ended at h0+600, but their second halves are claimed at h0+1100: booked there, so
    // they count in epoch 1, not in the already settled epoch 0. The lease is not settled again,
    // so escrow adds nothing to epoch 1.
    s.advance_to(h0 + 1_100);
    assert!(s.claim(r1));
    assert!(!s.claim(r2));
    assert!(s.claim(r3));
    s.advance_to(h0 + 2_001);
    s.push_price(HALF_USD);
    let (b1, b2, b3) = (s.bank("p1"), s.bank("p2"), s.bank("p3"));
    s.settle(id, 1, None).unwrap();
    // p1: 14400 GPU-s = 4 h × $2.5 = $10 = 20 AKT; p3: 1 h × $1.25 = 2.5 AKT.
    assert_eq!(s.bank("p1") - b1, 20 * AKT);
    assert_eq!(s.bank("p2"), b2);
    assert_eq!(s.bank("p3") - b3, 5 * AKT / 2);
    assert_eq!(s.budget(id).paid, u256(55 * AKT));

    // Everything else returns.
    let before = s.bank_of(&s.treasury.clone());
    s.exec("stranger", &ExecuteMsg::Finalize(pilot_ref(id)), &[])
        .unwrap();
    assert_eq!(s.bank_of(&s.treasury.clone()) - before, 45 * AKT);
    assert_eq!(s.held(), 0);
}

/// Without `reservations` configured, the same reservation earns nothing: only escrow is read.
#[test]
fn reservations_are_ignored_when_not_configured() {
    let mut s = Suite::with_reservations();
    let reservations = s.reservations.clone().unwrap();
    let h0 = s.height();
    let t0 = s.app.block_info().time.seconds();
    // Point pip at nothing but escrow by building a second pip without the reservations address.
    let code = s.app.store_code(pip_contract());
    let gov = s.gov.clone();
    let bare = cw_multi_test::Executor::instantiate_contract(
        &mut s.app,
        code,
        gov.clone(),
        &pip::msg::InstantiateMsg {
            authority: gov.to_string(),
            escrow: s.escrow.to_string(),
            oracle: s.oracle.to_string(),
            oracle_pair: None,
            reservations: None,
            community_pool_allowed: None,
            default_return_address: s.treasury.to_string(),
            settle_grace_blocks: Some(50),
        },
        &[],
        "pip-bare",
        None,
    )
    .unwrap();
    s.pip = bare;
    let id = s
        .create(committed(h0, h0 + 1_000, 1_000, "2.5"), 100 * AKT)
        .unwrap();
    s.enroll(id, &["p1"]);
    s.register_host("p1", "n1", "h100", 8, 3_600);
    s.appoint_auditor("auditor");
    s.attest("auditor", "p1", "n1");
    let r1 = s.reserve_confirmed("owner", "p1", "n1", t0, t0 + HOUR, 3_600);
    s.advance(300);
    assert!(s.claim(r1));
    assert_eq!(
        s.work_of(&reservations, "p1", "h100", h0, h0 + 1_000)
            .gpu_seconds,
        Uint128::new(14_400)
    );
    s.advance_to(h0 + 1_001);
    s.push_price(HALF_USD);
    let b1 = s.bank("p1");
    s.settle(id, 0, None).unwrap();
    assert_eq!(s.bank("p1"), b1);
}
