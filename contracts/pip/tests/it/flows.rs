//! End-to-end flows: escrow leases provide verified work, the oracle the AKT price, pip pays.

use crate::common;

use common::*;
use cosmwasm_std::coin;
use pip::msg::{Basis, EnrollmentRef, EnrollmentStatus, PilotStatus, ReturnReason};
use pip::msg::{
    ConfigUpdate, EnrollmentsResponse, ExecuteMsg, PilotsResponse, QueryMsg, ReturnTarget,
};
use supercloud_events::pip as ev;
use supercloud_multitest::events::{of, one};

const AKT: u128 = 1_000_000;
/// $0.50 per AKT with 8 decimals.
const HALF_USD: i64 = 50_000_000;

#[test]
fn committed_pays_verified_work_at_oracle_price_and_returns_the_rest() {
    let mut s = Suite::new();
    let h0 = s.height();
    let id = s
        .create(committed(h0, h0 + 200, 100, "2.5"), 100 * AKT)
        .unwrap();
    assert_eq!(s.held(), 100 * AKT);
    s.enroll(id, &["p1", "p2", "p3"]);
    let l1 = s.honest_lease("owner", "p1", "h100", 8);
    let l2 = s.honest_lease("owner2", "p2", "a100", 4);
    s.advance(60);
    s.withdraw("p1", &l1);
    s.withdraw("p2", &l2);
    assert_eq!(s.verified_gpu_seconds("p1", "h100", h0, h0 + 100), 2880);
    assert_eq!(s.verified_gpu_seconds("p2", "a100", h0, h0 + 100), 1440);

    // Not before the epoch's last height has passed.
    s.advance_to(h0 + 100);
    s.push_price(HALF_USD);
    let err = s.settle(id, 0, None).unwrap_err();
    assert!(err.says("settle it from height"), "{err:?}");

    s.advance(1);
    s.push_price(HALF_USD);
    let (b1, b2, b3) = (s.bank("p1"), s.bank("p2"), s.bank("p3"));
    let res = s.settle(id, 0, None).unwrap();
    // p1: 0.8 GPU-h × $2.5 = $2 = 4 AKT; p2: 0.4 GPU-h × $1.25 = $0.5 = 1 AKT; p3: no work.
    assert_eq!(s.bank("p1") - b1, 4 * AKT);
    assert_eq!(s.bank("p2") - b2, AKT);
    assert_eq!(s.bank("p3"), b3, "a provider with no work gets nothing");
    let settled = of::<ev::EpochSettled>(&res);
    assert_eq!(settled.len(), 3);
    let usd_of = |name: &str| {
        settled
            .iter()
            .find(|e| e.provider == s.addr(name))
            .map(|e| e.amount_usd)
            .unwrap()
    };
    // The payouts' USD values at the price used: 4 AKT and 1 AKT at $0.50.
    assert_eq!(usd_of("p1"), Some(dec("2")));
    assert_eq!(usd_of("p2"), Some(dec("0.5")));
    assert_eq!(usd_of("p3"), Some(dec("0")));
    for e in &settled {
        assert_eq!(e.basis, Basis::Usd);
        assert_eq!(e.price, Some(dec("0.5")));
        assert!(!e.capped, "honest providers are paid by the rule");
    }
    // The basis per GPU model, for the providers with work (in address order).
    let mut basis: Vec<_> = of::<ev::BasisMeasured>(&res)
        .into_iter()
        .map(|e| (e.provider, e.gpu_model, e.gpu_seconds.u128(), e.usd))
        .collect();
    basis.sort();
    let mut expected = vec![
        (s.addr("p1"), "h100".to_string(), 2880, Some(dec("2"))),
        (s.addr("p2"), "a100".to_string(), 1440, Some(dec("0.5"))),
    ];
    expected.sort();
    assert_eq!(basis, expected);
    assert_eq!(one::<ev::EpochCompleted>(&res).price, Some(dec("0.5")));
    let r = s.results(id, 0);
    let p3 = r
        .results
        .iter()
        .find(|x| x.provider == s.addr("p3"))
        .unwrap();
    assert!(p3.result.amount.is_zero() && p3.result.gpu_seconds.is_zero());
    assert_eq!(r.summary.unwrap().paid, u256(5 * AKT));
    // Settling the same epoch again is refused.
    assert!(s
        .settle(id, 0, None)
        .unwrap_err()
        .says("next epoch to settle is 1"));

    // Epoch 1: 90 more blocks of p1 (4320 GPU-s = 1.2 h × $2.5 = $3) at $0.50 = 6 AKT.
    s.advance_to(h0 + 150);
    s.withdraw("p1", &l1);
    s.advance_to(h0 + 201);
    s.push_price(HALF_USD);
    let b1 = s.bank("p1");
    s.settle(id, 1, None).unwrap();
    assert_eq!(s.bank("p1") - b1, 6 * AKT);
    assert_eq!(s.payouts("p1").payouts.len(), 2);
    assert!(s.payouts("p3").payouts.is_empty());

    // Finalize returns exactly budget − payouts to the configured address.
    let budget = s.budget(id);
    assert_eq!(budget.paid, u256(11 * AKT));
    assert_eq!(budget.remaining, u256(89 * AKT));
    let before = s.bank_of(&s.treasury.clone());
    let res = s
        .exec("stranger", &ExecuteMsg::Finalize(pilot_ref(id)), &[])
        .unwrap();
    assert_eq!(
        s.bank_of(&s.treasury.clone()) - before,
        100 * AKT - 11 * AKT
    );
    let ret = one::<ev::Returned>(&res);
    assert_eq!(ret.amount, u256(89 * AKT));
    assert_eq!(ret.to, s.treasury.to_string());
    assert_eq!(ret.reason, ReturnReason::Finalized);
    assert_eq!(s.held(), 0);
    let p = s.pilot(id);
    assert_eq!(p.pilot.status, PilotStatus::Finalized);
    assert!(p.remaining.is_zero());
    // Closed pilots accept nothing more.
    assert!(s
        .exec("stranger", &ExecuteMsg::Finalize(pilot_ref(id)), &[])
        .unwrap_err()
        .says("is closed"));
}

#[test]
fn budget_exhaustion_mid_epoch_caps_in_address_order() {
    let mut s = Suite::new();
    let h0 = s.height();
    let mut new = committed(h0, h0 + 100, 100, "2.5");
    new.volatility_buffer_bps = 0;
    // Each provider earns 4 AKT; the budget covers 5.
    let id = s.create(new, 5 * AKT).unwrap();
    let names = ["p1", "p2", "p3"];
    s.enroll(id, &names);
    let leases: Vec<_> = names
        .iter()
        .map(|p| s.honest_lease("owner", p, "h100", 8))
        .collect();
    s.advance(60);
    for (p, l) in names.iter().zip(&leases) {
        s.withdraw(p, l);
    }
    s.advance_to(h0 + 101);
    s.push_price(HALF_USD);
    let mut order: Vec<&str> = names.to_vec();
    order.sort_by_key(|p| s.addr(p).to_string());
    let before: Vec<u128> = order.iter().map(|p| s.bank(p)).collect();
    // One provider per call: three batches.
    assert_eq!(s.settle_all(id, 0, 1), 3);
    let got: Vec<u128> = order
        .iter()
        .zip(&before)
        .map(|(p, b)| s.bank(p) - b)
        .collect();
    assert_eq!(got, vec![4 * AKT, AKT, 0]);
    let r = s.results(id, 0);
    let capped: Vec<bool> = order
        .iter()
        .map(|p| {
            r.results
                .iter()
                .find(|x| x.provider == s.addr(p))
                .unwrap()
                .result
                .capped
        })
        .collect();
    assert_eq!(capped, vec![false, true, true]);
    assert_eq!(s.held(), 0);
    assert!(s.budget(id).remaining.is_zero());
    // Nothing left to return; finalize still closes the pilot.
    let before = s.bank_of(&s.treasury.clone());
    let res = s
        .exec("stranger", &ExecuteMsg::Finalize(pilot_ref(id)), &[])
        .unwrap();
    assert!(of::<ev::Returned>(&res).is_empty());
    assert_eq!(s.bank_of(&s.treasury.clone()), before);
}

#[test]
fn liquidity_splits_pro_rata_in_batches_and_returns_unspent_allocations() {
    let mut s = Suite::new();
    let h0 = s.height();
    let id = s
        .create(liquidity(h0, h0 + 200, 100, AKT), 3 * AKT)
        .unwrap();
    s.enroll(id, &["p1", "p2", "p3", "p4"]);
    let l1 = s.honest_lease("owner", "p1", "h100", 8);
    let l2 = s.honest_lease("owner", "p2", "h100", 4);
    // a100 is not eligible in this pilot.
    let l3 = s.honest_lease("owner", "p3", "a100", 8);
    s.advance(60);
    s.withdraw("p1", &l1);
    s.withdraw("p2", &l2);
    s.withdraw("p3", &l3);
    s.advance_to(h0 + 101);
    let before: Vec<u128> = ["p1", "p2", "p3", "p4"].iter().map(|p| s.bank(p)).collect();
    let treasury0 = s.bank_of(&s.treasury.clone());
    let calls = s.settle_all(id, 0, 2);
    assert!(
        calls >= 3,
        "four providers in batches of two need several calls"
    );
    let got: Vec<u128> = ["p1", "p2", "p3", "p4"]
        .iter()
        .zip(&before)
        .map(|(p, b)| s.bank(p) - b)
        .collect();
    // 2880 : 1440 GPU-seconds of 1 AKT, floored; the 1 uakt of dust returns.
    assert_eq!(got, vec![666_666, 333_333, 0, 0]);
    assert_eq!(s.bank_of(&s.treasury.clone()) - treasury0, 1);
    let summary = s.results(id, 0).summary.unwrap();
    assert_eq!(summary.total_basis.u128(), 4320);
    assert_eq!(summary.returned, u256(1));

    // Epoch 1 has no work: its whole allocation returns when it completes.
    s.advance_to(h0 + 201);
    let res = s.settle(id, 1, Some(30)).unwrap();
    let ret = one::<ev::Returned>(&res);
    assert_eq!(ret.amount, u256(AKT));
    assert_eq!(ret.reason, ReturnReason::EpochUnspent);
    // The excess over the planned allocations returns at finalize.
    s.exec_ok("stranger", &ExecuteMsg::Finalize(pilot_ref(id)), &[]);
    assert_eq!(
        s.bank_of(&s.treasury.clone()) - treasury0,
        3 * AKT - 666_666 - 333_333
    );
    assert_eq!(s.held(), 0);
}

/// Liquidity payouts carry their USD value at the oracle price of the epoch, and the basis per
/// GPU model is in `basis_measured` events; without an oracle price the epoch settles all the
/// same, without the USD value.
#[test]
fn liquidity_payouts_carry_their_usd_value_and_basis_per_model() {
    let mut s = Suite::new();
    let h0 = s.height();
    let mut new = liquidity(h0, h0 + 200, 100, AKT);
    new.eligible.gpu_models = vec!["h100".into(), "a100".into()];
    let id = s.create(new, 2 * AKT).unwrap();
    s.enroll(id, &["p1", "p2"]);
    let leases = [
        ("p1", s.honest_lease("owner", "p1", "h100", 8)),
        ("p1", s.honest_lease("owner", "p1", "a100", 4)),
        ("p2", s.honest_lease("owner2", "p2", "a100", 4)),
    ];
    s.advance(60);
    for (p, l) in &leases {
        s.withdraw(p, l);
    }
    // Epoch 0: the oracle never had a price.
    s.advance_to(h0 + 101);
    let (b1, b2) = (s.bank("p1"), s.bank("p2"));
    let res = s.settle(id, 0, None).unwrap();
    // p1: 2880 + 1440 of 5760 GPU-seconds; p2: 1440.
    assert_eq!(s.bank("p1") - b1, 750_000);
    assert_eq!(s.bank("p2") - b2, 250_000);
    for e in of::<ev::EpochSettled>(&res) {
        assert_eq!(e.basis, Basis::GpuSeconds);
        assert_eq!((e.price, e.amount_usd, e.usd), (None, None, None));
    }
    assert_eq!(one::<ev::EpochCompleted>(&res).price, None);

    // Epoch 1: 100 more blocks of each lease, settled at $0.50.
    s.advance_to(h0 + 160);
    for (p, l) in &leases {
        s.withdraw(p, l);
    }
    s.advance_to(h0 + 201);
    s.push_price(HALF_USD);
    let res = s.settle(id, 1, None).unwrap();
    let mut basis: Vec<_> = of::<ev::BasisMeasured>(&res)
        .into_iter()
        .map(|e| {
            assert_eq!((e.pilot_id, e.epoch, e.usd), (id, 1, None));
            (
                e.provider,
                e.gpu_model,
                e.gpu_seconds.u128(),
                e.gpu_blocks.u128(),
            )
        })
        .collect();
    basis.sort();
    let mut expected = vec![
        (s.addr("p1"), "h100".to_string(), 4_800, 800),
        (s.addr("p1"), "a100".to_string(), 2_400, 400),
        (s.addr("p2"), "a100".to_string(), 2_400, 400),
    ];
    expected.sort();
    assert_eq!(basis, expected);
    let settled = of::<ev::EpochSettled>(&res);
    let of_provider = |name: &str| settled.iter().find(|e| e.provider == s.addr(name)).unwrap();
    let (p1, p2) = (of_provider("p1"), of_provider("p2"));
    // 7200 and 2400 of 9600 GPU-seconds of 1 AKT; at $0.50 per AKT.
    assert_eq!(
        (p1.amount, p1.amount_usd),
        (u256(750_000), Some(dec("0.375")))
    );
    assert_eq!(
        (p2.amount, p2.amount_usd),
        (u256(250_000), Some(dec("0.125")))
    );
    assert_eq!(p1.basis_amount.u128(), 7_200);
    // The cap's inputs: 100 blocks of 12 GPUs at the market rate, twice that as the cap.
    assert_eq!(p1.value, u256(100 * market_rate(12)));
    assert_eq!(p1.value_cap, u256(200 * market_rate(12)));
    assert_eq!(p1.due, p1.amount);
    assert!(!p1.capped);
    assert_eq!(one::<ev::EpochCompleted>(&res).price, Some(dec("0.5")));
}

#[test]
fn min_gpu_count_and_approval_height_limit_what_counts() {
    let mut s = Suite::new();
    let h0 = s.height();
    let mut new = liquidity(h0, h0 + 100, 100, AKT);
    new.eligible.min_gpu_count = Some(2);
    let id = s.create(new, AKT).unwrap();
    s.enroll(id, &["p1", "p2"]);
    // p1 leases one GPU only: below the minimum average of two.
    let l1 = s.honest_lease("owner", "p1", "h100", 1);
    let l2 = s.honest_lease("owner", "p2", "h100", 8);
    s.advance(99);
    s.withdraw("p1", &l1);
    s.withdraw("p2", &l2);
    s.advance(2);
    let b2 = s.bank("p2");
    let b1 = s.bank("p1");
    s.settle_all(id, 0, 10);
    assert_eq!(s.bank("p1"), b1);
    assert_eq!(s.bank("p2") - b2, AKT);
    let r = s.results(id, 0);
    let p1 = r
        .results
        .iter()
        .find(|x| x.provider == s.addr("p1"))
        .unwrap();
    assert!(!p1.result.qualified);
}

#[test]
fn enrollment_requests_approval_withdrawal_and_removal() {
    let mut s = Suite::new();
    let h0 = s.height();
    let mut new = liquidity(h0, h0 + 100, 100, AKT);
    new.admin = Some(s.addr("admin").to_string());
    let id = s.create(new, AKT).unwrap();
    s.exec_ok("p1", &ExecuteMsg::Enroll(pilot_ref(id)), &[]);
    s.exec_ok("p2", &ExecuteMsg::Enroll(pilot_ref(id)), &[]);
    assert!(s
        .exec("p1", &ExecuteMsg::Enroll(pilot_ref(id)), &[])
        .unwrap_err()
        .says("already enrolled"));
    let p1 = s.addr("p1").to_string();
    let p2 = s.addr("p2").to_string();
    // Only the authority or the pilot admin approves.
    let approve = ExecuteMsg::Approve(EnrollmentRef {
        pilot_id: id,
        provider: p1.clone(),
    });
    assert!(s
        .exec("stranger", &approve, &[])
        .unwrap_err()
        .says("unauthorized"));
    assert!(s
        .exec("p1", &approve, &[])
        .unwrap_err()
        .says("unauthorized"));
    s.exec_ok("admin", &approve, &[]);
    // Approving someone who never asked needs EnrollProvider.
    let p3 = s.addr("p3").to_string();
    assert!(s
        .exec(
            "admin",
            &ExecuteMsg::Approve(EnrollmentRef {
                pilot_id: id,
                provider: p3.clone(),
            }),
            &[]
        )
        .unwrap_err()
        .says("no enrollment"));
    let list: EnrollmentsResponse = s.query(&QueryMsg::Enrollments {
        pilot_id: id,
        start_after: None,
        limit: None,
    });
    assert_eq!(list.enrollments.len(), 2);
    let e1 = list
        .enrollments
        .iter()
        .find(|e| e.provider.as_str() == p1)
        .unwrap();
    assert_eq!(e1.enrollment.status, EnrollmentStatus::Approved);
    let e2 = list
        .enrollments
        .iter()
        .find(|e| e.provider.as_str() == p2)
        .unwrap();
    assert_eq!(e2.enrollment.status, EnrollmentStatus::Pending);

    // Pending providers are not settled, even with work.
    let l1 = s.honest_lease("owner", "p1", "h100", 8);
    let l2 = s.honest_lease("owner", "p2", "h100", 8);
    s.advance(50);
    s.withdraw("p1", &l1);
    s.withdraw("p2", &l2);
    // p2 withdraws its request; a stranger cannot remove p1; the admin removes nobody yet.
    s.exec_ok("p2", &ExecuteMsg::WithdrawEnrollment(pilot_ref(id)), &[]);
    assert!(s
        .exec(
            "stranger",
            &ExecuteMsg::RemoveProvider(EnrollmentRef {
                pilot_id: id,
                provider: p1.clone(),
            }),
            &[]
        )
        .unwrap_err()
        .says("unauthorized"));
    s.advance_to(h0 + 101);
    let b1 = s.bank("p1");
    s.settle_all(id, 0, 10);
    assert_eq!(
        s.bank("p1") - b1,
        AKT,
        "the only approved provider takes the epoch"
    );
    assert_eq!(s.results(id, 0).results.len(), 1);

    // Removal by the admin; enrollment closes at the end.
    s.exec_ok(
        "admin",
        &ExecuteMsg::RemoveProvider(EnrollmentRef {
            pilot_id: id,
            provider: p1,
        }),
        &[],
    );
    assert!(s
        .exec("p4", &ExecuteMsg::Enroll(pilot_ref(id)), &[])
        .unwrap_err()
        .says("enrollment is closed"));
}

#[test]
fn unauthorized_and_invalid_paths() {
    let mut s = Suite::new();
    let h0 = s.height();
    // Create: authority only.
    let err = s
        .exec(
            "stranger",
            &ExecuteMsg::CreatePilot(committed(h0, h0 + 100, 10, "1")),
            &[coin(AKT, DENOM)],
        )
        .unwrap_err();
    assert!(err.says("only the authority"), "{err:?}");
    // Budget: exactly one coin.
    assert!(s
        .exec(
            "gov",
            &ExecuteMsg::CreatePilot(committed(h0, h0 + 100, 10, "1")),
            &[]
        )
        .is_err());
    // Invalid parameters.
    let mut bad = committed(h0, h0, 10, "1");
    assert!(s
        .create(bad.clone(), AKT)
        .unwrap_err()
        .says("end must be after start"));
    bad = committed(h0, h0 + 100, 0, "1");
    assert!(s.create(bad, AKT).unwrap_err().says("epoch_length"));
    bad = committed(h0, h0 + 100, 10, "1");
    bad.eligible.gpu_models.push("h100".into());
    assert!(s.create(bad, AKT).unwrap_err().says("duplicate GPU model"));
    bad = committed(h0, h0 + 100, 10, "0");
    assert!(s.create(bad, AKT).unwrap_err().says("must be positive"));
    bad = committed(h0, h0 + 100, 10, "1");
    bad.volatility_buffer_bps = 5_001;
    assert!(s
        .create(bad, AKT)
        .unwrap_err()
        .says("volatility_buffer_bps"));
    // The value cap's multiple: above 0, at most 100.
    for m in ["0", "100.000000000000000001"] {
        bad = committed(h0, h0 + 100, 10, "1");
        bad.max_payout_multiple = dec(m);
        assert!(s
            .create(bad, AKT)
            .unwrap_err()
            .says("max_payout_multiple must be above 0 and at most 100"));
    }
    let mut most = committed(h0, h0 + 100, 10, "1");
    most.max_payout_multiple = dec("100");
    s.create(most, AKT).unwrap();
    // 10 epochs × 1 AKT do not fit 5 AKT.
    assert!(s
        .create(liquidity(h0, h0 + 100, 10, AKT), 5 * AKT)
        .unwrap_err()
        .says("exceeds the budget"));
    // Community pool is refused where the chain does not allow it (the default).
    bad = committed(h0, h0 + 100, 10, "1");
    bad.return_target = Some(ReturnTarget::CommunityPool {});
    assert!(s.create(bad, AKT).unwrap_err().says("community-pool"));

    let id = s.create(committed(h0, h0 + 100, 10, "1"), AKT).unwrap();
    // Cancel and config: authority only.
    assert!(s
        .exec("stranger", &ExecuteMsg::Cancel(pilot_ref(id)), &[])
        .unwrap_err()
        .says("only the authority"));
    let update = ExecuteMsg::UpdateConfig(ConfigUpdate {
        settle_grace_blocks: Some(1),
        ..ConfigUpdate::default()
    });
    assert!(s
        .exec("stranger", &update, &[])
        .unwrap_err()
        .says("only the authority"));
    s.exec_ok("gov", &update, &[]);
    assert!(s
        .exec("stranger", &ExecuteMsg::SetPaused { paused: true }, &[])
        .unwrap_err()
        .says("only the authority"));
    // Direct enrollment: managers only.
    let p1 = s.addr("p1").to_string();
    assert!(s
        .exec(
            "stranger",
            &ExecuteMsg::EnrollProvider(EnrollmentRef {
                pilot_id: id,
                provider: p1,
            }),
            &[]
        )
        .unwrap_err()
        .says("unauthorized"));
    // Finalize: not before the end.
    assert!(s
        .exec("stranger", &ExecuteMsg::Finalize(pilot_ref(id)), &[])
        .unwrap_err()
        .says("cannot be finalized before height"));
    // Settlement: only the next epoch, no epoch beyond the last, no funds attached.
    s.advance(200);
    assert!(s
        .settle(id, 3, None)
        .unwrap_err()
        .says("next epoch to settle is 0"));
    assert!(s.settle(id, 10, None).unwrap_err().says("has no epoch 10"));
    assert!(s
        .exec(
            "stranger",
            &ExecuteMsg::SettleEpoch {
                pilot_id: id,
                epoch: 0,
                limit: None
            },
            &[coin(1, DENOM)]
        )
        .is_err());
    assert!(s
        .settle(99, 0, None)
        .unwrap_err()
        .says("pilot 99 not found"));
}

#[test]
fn oracle_outage_blocks_committed_settlement_but_not_the_return() {
    let mut s = Suite::new();
    let h0 = s.height();
    let id = s
        .create(committed(h0, h0 + 100, 100, "2.5"), 10 * AKT)
        .unwrap();
    s.enroll(id, &["p1"]);
    let l1 = s.honest_lease("owner", "p1", "h100", 8);
    s.advance(60);
    s.withdraw("p1", &l1);
    s.advance_to(h0 + 101);
    // No price was ever pushed.
    assert!(s
        .settle(id, 0, None)
        .unwrap_err()
        .says("oracle price unavailable"));
    // Finalize waits for the grace (50 blocks in the suite) while epochs are unsettled...
    assert!(s
        .exec("stranger", &ExecuteMsg::Finalize(pilot_ref(id)), &[])
        .unwrap_err()
        .says(&format!("before height {}", h0 + 151)));
    // ...then returns everything.
    s.advance_to(h0 + 151);
    let before = s.bank_of(&s.treasury.clone());
    s.exec_ok("stranger", &ExecuteMsg::Finalize(pilot_ref(id)), &[]);
    assert_eq!(s.bank_of(&s.treasury.clone()) - before, 10 * AKT);
    assert_eq!(s.held(), 0);
}

#[test]
fn cancel_returns_everything_mid_settlement_and_stops_the_pilot() {
    let mut s = Suite::new();
    let h0 = s.height();
    let alt = s.addr("alt_treasury");
    let mut new = liquidity(h0, h0 + 300, 100, AKT);
    new.return_target = Some(ReturnTarget::Address {
        address: alt.to_string(),
    });
    let id = s.create(new, 3 * AKT).unwrap();
    s.enroll(id, &["p1", "p2", "p3"]);
    let leases: Vec<_> = ["p1", "p2", "p3"]
        .iter()
        .map(|p| s.honest_lease("owner", p, "h100", 8))
        .collect();
    s.advance(50);
    for (p, l) in ["p1", "p2", "p3"].iter().zip(&leases) {
        s.withdraw(p, l);
    }
    s.advance_to(h0 + 101);
    // Measure pass started, not finished.
    s.settle(id, 0, Some(1)).unwrap();
    assert!(s.pilot(id).progress.is_some());
    let res = s
        .exec("gov", &ExecuteMsg::Cancel(pilot_ref(id)), &[])
        .unwrap();
    assert_eq!(s.bank_of(&alt), 3 * AKT);
    assert_eq!(one::<ev::Returned>(&res).reason, ReturnReason::Cancelled);
    assert_eq!(one::<ev::PilotClosed>(&res).status, PilotStatus::Cancelled);
    assert_eq!(s.held(), 0);
    assert!(s.pilot(id).progress.is_none());
    assert!(s.settle(id, 0, None).unwrap_err().says("is closed"));
    assert!(s
        .exec("gov", &ExecuteMsg::Cancel(pilot_ref(id)), &[])
        .unwrap_err()
        .says("is closed"));
}

#[test]
fn community_pool_target_falls_back_to_the_address_when_disallowed() {
    let mut s = Suite::new();
    let h0 = s.height();
    let allow = |on: bool| {
        ExecuteMsg::UpdateConfig(ConfigUpdate {
            community_pool_allowed: Some(on),
            ..ConfigUpdate::default()
        })
    };
    s.exec_ok("gov", &allow(true), &[]);
    let mut new = committed(h0, h0 + 100, 100, "1");
    new.return_target = Some(ReturnTarget::CommunityPool {});
    let id = s.create(new, 2 * AKT).unwrap();
    let res = s
        .exec("gov", &ExecuteMsg::SetPaused { paused: false }, &[])
        .unwrap();
    assert!(!one::<ev::PauseChanged>(&res).paused);
    // The chain turned out not to allow it (Akash): the return goes to the configured address.
    s.exec_ok("gov", &allow(false), &[]);
    let before = s.bank_of(&s.treasury.clone());
    let res = s
        .exec("gov", &ExecuteMsg::Cancel(pilot_ref(id)), &[])
        .unwrap();
    assert_eq!(s.bank_of(&s.treasury.clone()) - before, 2 * AKT);
    assert_eq!(one::<ev::Returned>(&res).to, s.treasury.to_string());
}

#[test]
fn pause_blocks_creation_and_requests_but_not_exits() {
    let mut s = Suite::new();
    let h0 = s.height();
    let id = s.create(liquidity(h0, h0 + 100, 100, AKT), AKT).unwrap();
    s.exec_ok("gov", &ExecuteMsg::SetPaused { paused: true }, &[]);
    assert!(s
        .create(liquidity(h0, h0 + 100, 100, AKT), AKT)
        .unwrap_err()
        .says("paused"));
    assert!(s
        .exec("p1", &ExecuteMsg::Enroll(pilot_ref(id)), &[])
        .unwrap_err()
        .says("paused"));
    s.advance_to(h0 + 101);
    s.settle_all(id, 0, 10);
    s.exec_ok("stranger", &ExecuteMsg::Finalize(pilot_ref(id)), &[]);
    assert_eq!(s.held(), 0);
}

#[test]
fn pilots_and_payouts_paginate() {
    let mut s = Suite::new();
    let h0 = s.height();
    for _ in 0..12 {
        s.create(liquidity(h0, h0 + 10, 10, 1_000), 1_000).unwrap();
    }
    let page: PilotsResponse = s.query(&QueryMsg::Pilots {
        start_after: None,
        limit: None,
    });
    assert_eq!(page.pilots.len(), 10);
    let page: PilotsResponse = s.query(&QueryMsg::Pilots {
        start_after: Some(10),
        limit: Some(100),
    });
    assert_eq!(
        page.pilots.iter().map(|p| p.pilot.id).collect::<Vec<_>>(),
        vec![11, 12]
    );
    // p1 earns in three pilots; payouts list by (pilot, epoch) with start_after.
    for id in 1..=3 {
        s.enroll(id, &["p1"]);
    }
    let l = s.honest_lease("owner", "p1", "h100", 8);
    s.advance(5);
    s.withdraw("p1", &l);
    s.advance(6);
    for id in 1..=3 {
        s.settle_all(id, 0, 10);
    }
    let all = s.payouts("p1");
    assert_eq!(all.payouts.len(), 3);
    let rest: pip::msg::PayoutsResponse = s.query(&QueryMsg::PayoutsByProvider {
        provider: s.addr("p1").to_string(),
        start_after: Some((1, 0)),
        limit: Some(1),
    });
    assert_eq!(rest.payouts.len(), 1);
    assert_eq!(rest.payouts[0].pilot_id, 2);
    assert_eq!(rest.payouts[0].payout.amount, u256(1_000));
}
