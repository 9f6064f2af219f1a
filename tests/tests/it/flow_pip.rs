//! Provider incentive pilots paid from verified escrow work, on both backends.
//!
//! Gov creates two uakt pilots over the same two epochs of 300 blocks: a committed one (3 USD per
//! H100-hour, paid in AKT at the oracle price of each epoch) and a liquidity one (1 AKT per epoch
//! split pro rata over eligible GPU-seconds, approved by a pilot admin). Both providers enroll
//! and are approved; their escrow leases produce work that is booked when they withdraw, so they
//! withdraw at each epoch's last height. Permissionless settlement pays each provider the exact
//! amount of the formula, at most the pilot's multiple of what its tenants paid it in the epoch:
//! the committed pilot (10×) pays the formula in full, the liquidity pilot (5×) pays the value cap
//! and returns the rest of the epoch's allocation when the epoch completes; work settled after the
//! end counts for nothing; finalize returns what is left to the treasury. Each pilot's budget is
//! conserved exactly, and so is every uakt.

use cosmwasm_std::{coin, Decimal256, Uint128, Uint256};
use escrow::msg::{ExecuteMsg as Escrow, QueryMsg as EscrowQuery, Resources, VerifiedWorkResponse};
use pip::msg::{
    Eligibility, EnrollmentRef, ExecuteMsg as Pip, ModelRate, NewPilot, PayoutsResponse, PilotKind,
    PilotRef, QueryMsg as PipQuery, RemainingBudgetResponse,
};
use supercloud_events::pip::{
    Basis, Enrolled, EpochCompleted, EpochSettled, PilotClosed, PilotCreated, PilotStatus,
    ReturnReason, Returned,
};
use supercloud_tests::events::{of, one};
use supercloud_tests::suite::FUNDED;
use supercloud_tests::{on_both_backends, Suite, AKT, START};

/// Blocks per epoch (6 s blocks: 1800 s, so 2 GPUs make one GPU-hour per epoch).
const EPOCH: u64 = 300;
/// Committed pilot: budget, buffer share and USD per H100-hour.
const COMMITTED_BUDGET: u128 = 5_000_000;
const USD_PER_GPU_HOUR: &str = "3";
/// Liquidity pilot: budget and allocation per epoch.
const LIQUIDITY_BUDGET: u128 = 2_500_000;
const PER_EPOCH: u128 = 1_000_000;
/// Payout caps, as multiples of the value a provider's tenants paid it in the epoch. The
/// committed pilot's covers its subsidy ratio at these lease rates: 3 USD per H100-hour at 2.50
/// USD/AKT is 1.2 AKT, and an H100-hour leased here pays 0.12 AKT, so exactly 10× (provider2, with
/// no other lease, sits on the cap). The liquidity pilot's is below its ratio, so it caps.
const COMMITTED_MULTIPLE: &str = "10";
const LIQUIDITY_MULTIPLE: &str = "5";
/// Lease rates (uakt per block): the provider's 2 H100 and 4 A100, provider2's 1 H100.
const RATE_H100_X2: u128 = 400;
const RATE_A100_X4: u128 = 40;
const RATE2_H100: u128 = 200;

fn dec(s: &str) -> Decimal256 {
    s.parse().unwrap_or_default()
}

/// The committed formula, independently: floor(floor18(gpu_seconds / 3600) × rate × 10^6 / price).
fn committed_payout(gpu_seconds: u128, rate: &str, price: &str) -> u128 {
    let hours = Decimal256::from_ratio(gpu_seconds, 3_600u128);
    let usd = hours * dec(rate);
    let tokens = (usd * Decimal256::from_ratio(1_000_000u128, 1u8)) / dec(price);
    Uint128::try_from(tokens.to_uint_floor()).map_or(0, |v| v.u128())
}

/// The liquidity formula: floor(allocation × basis / Σ basis).
fn liquidity_payout(allocation: u128, basis: u128, total: u128) -> u128 {
    allocation * basis / total
}

/// The value cap: floor(multiple × value).
fn value_cap(multiple: &str, value: u128) -> u128 {
    Uint128::try_from((dec(multiple) * Decimal256::from_ratio(value, 1u8)).to_uint_floor())
        .map_or(0, |v| v.u128())
}

fn lease(s: &Suite, provider: &str, rate: &str, model: &str, gpus: u32) -> Escrow {
    Escrow::OpenPayment {
        dseq: 1,
        provider: s.addr(provider).to_string(),
        rate: dec(rate),
        resources: Resources {
            gpu_model: model.into(),
            gpu_count: gpus,
        },
    }
}

/// The provider withdraws payment `id` of `owner`'s account 1 (settling it at this height).
fn withdraw(s: &mut Suite, provider: &str, owner: &str, id: u64) -> anyhow::Result<()> {
    let escrow = s.c.escrow.clone();
    let msg = Escrow::Withdraw {
        owner: s.addr(owner).to_string(),
        dseq: 1,
        payment_id: id,
    };
    s.exec_ok("withdraw", provider, &escrow, &msg, &[])?;
    Ok(())
}

fn work(
    s: &Suite,
    provider: &str,
    model: &str,
    from: u64,
    to: u64,
) -> anyhow::Result<VerifiedWorkResponse> {
    s.q(
        &s.c.escrow,
        &EscrowQuery::VerifiedWork {
            provider: s.addr(provider).to_string(),
            denom: AKT.into(),
            gpu_model: model.into(),
            from_height: from,
            to_height: to,
        },
    )
}

/// Settles `epoch` of `pilot_id` (keeper) and returns the payout to the provider and to
/// provider2, and the response.
fn settle(
    s: &mut Suite,
    pilot_id: u64,
    epoch: u32,
) -> anyhow::Result<(u128, u128, cw_multi_test::AppResponse)> {
    let pip = s.c.pip.clone();
    let res = s.exec_ok(
        "settle",
        "keeper",
        &pip,
        &Pip::SettleEpoch {
            pilot_id,
            epoch,
            limit: None,
        },
        &[],
    )?;
    let (a, b) = settled(s, &res)?;
    let amount = |e: EpochSettled| Uint128::try_from(e.amount).map(|v| v.u128());
    Ok((amount(a)?, amount(b)?, res))
}

/// The `epoch_settled` events of the provider and of provider2 in `res` (in address order on
/// chain); each must be there once.
fn settled(
    s: &Suite,
    res: &cw_multi_test::AppResponse,
) -> anyhow::Result<(EpochSettled, EpochSettled)> {
    let all = of::<EpochSettled>(res)?;
    let find = |name: &str| -> anyhow::Result<EpochSettled> {
        let mut found = all.iter().filter(|e| e.provider == s.addr(name));
        match (found.next(), found.next()) {
            (Some(e), None) => Ok(e.clone()),
            _ => anyhow::bail!("{name} must be settled once: {all:?}"),
        }
    };
    Ok((find("provider")?, find("provider2")?))
}

fn budget(s: &Suite, pilot_id: u64) -> anyhow::Result<RemainingBudgetResponse> {
    s.q(&s.c.pip, &PipQuery::RemainingBudget(PilotRef { pilot_id }))
}

fn flow(s: &mut Suite) -> anyhow::Result<()> {
    let (escrow, pip) = (s.c.escrow.clone(), s.c.pip.clone());
    let mut holders: Vec<&str> = FUNDED.to_vec();
    holders.push("treasury");
    let total_akt = s.bank_total(&holders, AKT);
    let h100 = || Eligibility {
        gpu_models: vec!["h100".into()],
        min_gpu_count: None,
    };
    let start = s.height() + 10;
    let end = start + 2 * EPOCH;

    // Gov creates both pilots with their budgets attached.
    let committed = NewPilot {
        name: "h100 committed".into(),
        start,
        end,
        epoch_length: EPOCH,
        eligible: h100(),
        kind: PilotKind::Committed {
            rates: vec![ModelRate {
                gpu_model: "h100".into(),
                usd_per_gpu_hour: dec(USD_PER_GPU_HOUR),
            }],
            decimals: 6,
        },
        volatility_buffer_bps: 1_000,
        return_target: None,
        admin: None,
        max_payout_multiple: dec(COMMITTED_MULTIPLE),
    };
    let res = s.exec_ok(
        "create committed",
        "gov",
        &pip,
        &Pip::CreatePilot(committed.clone()),
        &[coin(COMMITTED_BUDGET, AKT)],
    )?;
    let created = one::<PilotCreated>(&res)?;
    assert_eq!(
        (
            created.pilot_id,
            created.epochs,
            created.buffer,
            created.max_payout_multiple
        ),
        (1, 2, Uint256::from(500_000u32), dec(COMMITTED_MULTIPLE))
    );
    let liquidity = NewPilot {
        name: "h100 liquidity".into(),
        kind: PilotKind::Liquidity {
            tokens_per_epoch: Uint256::from(PER_EPOCH),
            decimals: None,
        },
        volatility_buffer_bps: 0,
        admin: Some(s.addr("auditor").to_string()),
        eligible: h100(),
        max_payout_multiple: dec(LIQUIDITY_MULTIPLE),
        ..committed.clone()
    };
    s.exec_ok(
        "create liquidity",
        "gov",
        &pip,
        &Pip::CreatePilot(liquidity),
        &[coin(LIQUIDITY_BUDGET, AKT)],
    )?;
    // Only gov creates pilots.
    s.exec_err(
        "stranger",
        &pip,
        &Pip::CreatePilot(committed),
        &[coin(1, AKT)],
        "unauthorized",
    )?;
    assert_eq!(s.bank(&pip, AKT), COMMITTED_BUDGET + LIQUIDITY_BUDGET);

    // Providers ask; gov approves in the committed pilot, the admin in the liquidity one.
    for pilot_id in [1, 2] {
        for p in ["provider", "provider2"] {
            s.exec_ok("enroll", p, &pip, &Pip::Enroll(PilotRef { pilot_id }), &[])?;
        }
    }
    let approve = |s: &Suite, pilot_id, p: &str| {
        Pip::Approve(EnrollmentRef {
            pilot_id,
            provider: s.addr(p).to_string(),
        })
    };
    let msg = approve(s, 2, "provider");
    s.exec_err("stranger", &pip, &msg, &[], "unauthorized")?;
    for p in ["provider", "provider2"] {
        let msg = approve(s, 1, p);
        s.exec_ok("approve", "gov", &pip, &msg, &[])?;
        let msg = approve(s, 2, p);
        let res = s.exec_ok("admin approve", "auditor", &pip, &msg, &[])?;
        let enrolled = one::<Enrolled>(&res)?;
        assert_eq!(
            (enrolled.pilot_id, enrolled.provider, enrolled.by),
            (2, s.addr(p), s.addr("auditor"))
        );
    }

    // Leases: the tenant pays the provider for 2 H100 and 4 A100 (not eligible), tenant2 pays
    // provider2 for 1 H100.
    for owner in ["tenant", "tenant2"] {
        let open = Escrow::OpenAccount {
            dseq: 1,
            denom: AKT.into(),
        };
        s.exec_ok("open", owner, &escrow, &open, &[coin(100_000_000, AKT)])?;
    }
    let msg = lease(s, "provider", &RATE_H100_X2.to_string(), "h100", 2);
    s.exec_ok("lease h100", "tenant", &escrow, &msg, &[])?;
    let msg = lease(s, "provider", &RATE_A100_X4.to_string(), "a100", 4);
    s.exec_ok("lease a100", "tenant", &escrow, &msg, &[])?;
    let msg = lease(s, "provider2", &RATE2_H100.to_string(), "h100", 1);
    s.exec_ok("lease 2", "tenant2", &escrow, &msg, &[])?;

    // Work is booked at settlement: withdrawing at the start books the run-up outside epoch 0.
    s.advance_to(start)?;
    withdraw(s, "provider", "tenant", 0)?;
    withdraw(s, "provider", "tenant", 1)?;
    withdraw(s, "provider2", "tenant2", 0)?;
    // ... and withdrawing at the epoch's last height books exactly its 300 blocks in it.
    s.advance_to(start + EPOCH)?;
    withdraw(s, "provider", "tenant", 0)?;
    withdraw(s, "provider", "tenant", 1)?;
    withdraw(s, "provider2", "tenant2", 0)?;
    // What the tenants paid each provider in the epoch (both leases of the provider count).
    let value = (
        (RATE_H100_X2 + RATE_A100_X4) * u128::from(EPOCH),
        RATE2_H100 * u128::from(EPOCH),
    );
    assert_eq!(value, (132_000, 60_000));
    let w = work(s, "provider", "h100", start, start + EPOCH)?;
    assert_eq!(
        (w.gpu_seconds.u128(), w.gpu_blocks.u128(), w.value),
        (3_600, 600, Uint256::from(value.0)),
        "2 GPUs × 300 blocks × 6 s; value over both leases"
    );
    let w2 = work(s, "provider2", "h100", start, start + EPOCH)?;
    assert_eq!(
        (w2.gpu_seconds.u128(), w2.value),
        (1_800, Uint256::from(value.1))
    );

    // Settlement waits for the epoch's end.
    let settle0 = Pip::SettleEpoch {
        pilot_id: 1,
        epoch: 0,
        limit: None,
    };
    let expected = format!(
        "epoch ends at height {}; settle it from height {}",
        start + EPOCH,
        start + EPOCH + 1
    );
    s.exec_err("keeper", &pip, &settle0, &[], &expected)?;
    s.advance(1)?;

    // Committed, epoch 0 at 2.50 USD/AKT: 1 GPU-hour → 3 USD → 1.2 AKT; 0.5 h → 0.6 AKT, both
    // within 10× what the tenants paid (1.32 AKT and 0.6 AKT).
    let before = (
        s.bank(&s.addr("provider"), AKT),
        s.bank(&s.addr("provider2"), AKT),
    );
    let (a, b, res) = settle(s, 1, 0)?;
    assert_eq!(a, committed_payout(3_600, USD_PER_GPU_HOUR, "2.5"));
    assert_eq!((a, b), (1_200_000, 600_000));
    assert_eq!(b, committed_payout(1_800, USD_PER_GPU_HOUR, "2.5"));
    let pair = settled(s, &res)?;
    let summary = |e: EpochSettled| (e.price, e.basis, e.value, e.value_cap, e.capped);
    let committed_caps = (
        value_cap(COMMITTED_MULTIPLE, value.0),
        value_cap(COMMITTED_MULTIPLE, value.1),
    );
    assert_eq!(committed_caps, (1_320_000, 600_000));
    let settled_as = |value: u128, cap: u128| {
        (
            Some(dec("2.5")),
            Basis::Usd,
            Uint256::from(value),
            Uint256::from(cap),
            false,
        )
    };
    assert_eq!(
        (summary(pair.0), summary(pair.1)),
        (
            settled_as(value.0, committed_caps.0),
            settled_as(value.1, committed_caps.1)
        )
    );
    assert_eq!(
        (
            s.bank(&s.addr("provider"), AKT),
            s.bank(&s.addr("provider2"), AKT)
        ),
        (before.0 + a, before.1 + b),
        "paid by bank send"
    );
    // Liquidity, epoch 0: 3600 and 1800 GPU-seconds share 1 AKT (666,666 and 333,333 by the
    // formula), but the 5× value caps pay 660,000 and 300,000; the rest of the allocation returns.
    let (la, lb, res) = settle(s, 2, 0)?;
    let due = (
        liquidity_payout(PER_EPOCH, 3_600, 5_400),
        liquidity_payout(PER_EPOCH, 1_800, 5_400),
    );
    assert_eq!(due, (666_666, 333_333));
    let caps = (
        value_cap(LIQUIDITY_MULTIPLE, value.0),
        value_cap(LIQUIDITY_MULTIPLE, value.1),
    );
    assert_eq!((la, lb), (due.0.min(caps.0), due.1.min(caps.1)));
    assert_eq!((la, lb), (660_000, 300_000));
    let pair = settled(s, &res)?;
    let capped = |e: EpochSettled| (e.due, e.value_cap, e.amount, e.capped);
    let u = |n: u128| Uint256::from(n);
    assert_eq!(
        (capped(pair.0), capped(pair.1)),
        (
            (u(due.0), u(caps.0), u(la), true),
            (u(due.1), u(caps.1), u(lb), true)
        )
    );
    let unspent0 = PER_EPOCH - la - lb;
    let returned = one::<Returned>(&res)?;
    assert_eq!(
        (returned.amount, returned.reason),
        (u(unspent0), ReturnReason::EpochUnspent)
    );
    assert_eq!(
        one::<EpochCompleted>(&res)?.total_basis,
        Uint128::new(5_400)
    );
    // Epochs settle once.
    s.exec_err(
        "keeper",
        &pip,
        &settle0,
        &[],
        "the next epoch to settle is 1",
    )?;

    // Epoch 1: only the provider withdraws in time; provider2's work is booked after the end.
    s.advance_to(end)?;
    withdraw(s, "provider", "tenant", 0)?;
    s.exec_err(
        "stranger",
        &pip,
        &Pip::Enroll(PilotRef { pilot_id: 1 }),
        &[],
        "enrollment is closed",
    )?;
    s.set_price("3")?;
    withdraw(s, "provider2", "tenant2", 0)?;
    let late = work(s, "provider2", "h100", end, s.height())?;
    assert_eq!(
        late.gpu_seconds.u128(),
        u128::from(s.height() - start - EPOCH) * 6
    );
    assert!(work(s, "provider2", "h100", start + EPOCH, end)?
        .gpu_seconds
        .is_zero());
    // Finalize waits while an epoch is unsettled (inside the settle grace).
    s.exec_err(
        "stranger",
        &pip,
        &Pip::Finalize(PilotRef { pilot_id: 1 }),
        &[],
        &format!("cannot be finalized before height {}", end + 51),
    )?;
    // Committed, epoch 1 at 3.00: 3 USD → 1 AKT for the provider, nothing for provider2.
    let (a1, b1, _) = settle(s, 1, 1)?;
    assert_eq!(
        (a1, b1),
        (committed_payout(3_600, USD_PER_GPU_HOUR, "3"), 0)
    );
    assert_eq!(a1, 1_000_000);
    // Liquidity, epoch 1: the only basis would take the whole epoch; the provider's leases paid
    // it the same 132,000 uakt as in epoch 0, so the value cap pays 660,000.
    let (la1, lb1, res) = settle(s, 2, 1)?;
    assert_eq!((la1, lb1), (PER_EPOCH.min(caps.0), 0));
    assert_eq!(la1, 660_000);
    let unspent1 = PER_EPOCH - la1;
    assert_eq!(one::<Returned>(&res)?.amount, u(unspent1));

    // Anyone finalizes: the rest goes to the treasury (the default return address).
    let treasury = s.addr("treasury");
    let res = s.exec_ok(
        "finalize",
        "stranger",
        &pip,
        &Pip::Finalize(PilotRef { pilot_id: 1 }),
        &[],
    )?;
    let committed_paid = a + b + a1 + b1;
    let returned = one::<Returned>(&res)?;
    assert_eq!(
        (returned.amount, returned.to, returned.reason),
        (
            u(COMMITTED_BUDGET - committed_paid),
            treasury.to_string(),
            ReturnReason::Finalized
        )
    );
    assert_eq!(one::<PilotClosed>(&res)?.status, PilotStatus::Finalized);
    let res = s.exec_ok(
        "finalize 2",
        "stranger",
        &pip,
        &Pip::Finalize(PilotRef { pilot_id: 2 }),
        &[],
    )?;
    let liquidity_paid = la + lb + la1 + lb1;
    assert_eq!(
        one::<Returned>(&res)?.amount,
        u(LIQUIDITY_BUDGET - liquidity_paid - unspent0 - unspent1)
    );
    s.exec_err(
        "stranger",
        &pip,
        &Pip::Finalize(PilotRef { pilot_id: 1 }),
        &[],
        "is closed",
    )?;

    // Budgets conserved exactly: paid + returned = budget, nothing left in the contract.
    for (id, total, paid) in [
        (1, COMMITTED_BUDGET, committed_paid),
        (2, LIQUIDITY_BUDGET, liquidity_paid),
    ] {
        let b = budget(s, id)?;
        assert_eq!(
            (b.budget, b.paid, b.returned, b.remaining),
            (
                Uint256::from(total),
                Uint256::from(paid),
                Uint256::from(total - paid),
                Uint256::zero()
            )
        );
    }
    assert_eq!(s.bank(&pip, AKT), 0);
    assert_eq!(
        s.bank(&treasury, AKT),
        COMMITTED_BUDGET + LIQUIDITY_BUDGET - committed_paid - liquidity_paid
    );
    let payouts: PayoutsResponse = s.q(
        &pip,
        &PipQuery::PayoutsByProvider {
            provider: s.addr("provider").to_string(),
            start_after: None,
            limit: None,
        },
    )?;
    let got: Vec<_> = payouts
        .payouts
        .iter()
        .map(|p| (p.pilot_id, p.epoch, p.payout.amount.to_string()))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, 0, a.to_string()),
            (1, 1, a1.to_string()),
            (2, 0, la.to_string()),
            (2, 1, la1.to_string()),
        ]
    );
    assert_eq!(
        s.bank(&s.addr("gov"), AKT),
        START - COMMITTED_BUDGET - LIQUIDITY_BUDGET
    );
    assert_eq!(
        s.bank_total(&holders, AKT),
        total_akt,
        "every uakt accounted for"
    );
    Ok(())
}

#[test]
fn pilots_pay_verified_work_identically_on_native_and_wasm() {
    let (native, wasm) = on_both_backends("2.5", &[], flow).unwrap();
    assert_eq!(
        native.bank(&native.addr("treasury"), AKT),
        wasm.bank(&wasm.addr("treasury"), AKT)
    );
}
