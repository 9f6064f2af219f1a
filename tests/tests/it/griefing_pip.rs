//! Griefing and denial-of-service attacks on pip (issue 23), on both backends.
//!
//! The review's attack: a tenant opens an escrow account with no funds and a lease to an
//! enrolled provider at 10⁻¹⁸ uakt per block declaring u32::MAX H100s. The charge rounds to zero,
//! so nobody pays the provider anything; a committed pilot then paid out its whole budget to it.
//! Now neither a committed nor a liquidity pilot pays it anything, and both budgets return whole.

use cosmwasm_std::{coin, Decimal256, Uint256};
use escrow::msg::{ExecuteMsg as Escrow, QueryMsg as EscrowQuery, Resources, VerifiedWorkResponse};
use pip::msg::{
    Eligibility, EnrollmentRef, ExecuteMsg as Pip, ModelRate, NewPilot, PilotKind, PilotRef,
};
use supercloud_events::pip::{EpochSettled, ReturnReason, Returned};
use supercloud_tests::bench::{pilot, Bench};
use supercloud_tests::events::{of, one};
use supercloud_tests::suite::FUNDED;
use supercloud_tests::{on_both_backends, Suite, AKT};

/// Blocks of the pilots' one epoch.
const EPOCH: u64 = 100;
/// Committed pilot budget: 10 AKT.
const COMMITTED_BUDGET: u128 = 10_000_000;
/// Liquidity pilot budget and allocation of its one epoch: 1 AKT.
const LIQUIDITY_BUDGET: u128 = 1_000_000;

fn h100() -> Eligibility {
    Eligibility {
        gpu_models: vec!["h100".into()],
        min_gpu_count: None,
    }
}

fn attack(s: &mut Suite) -> anyhow::Result<()> {
    let (escrow, pip) = (s.c.escrow.clone(), s.c.pip.clone());
    let mut holders: Vec<&str> = FUNDED.to_vec();
    holders.push("treasury");
    let total = s.bank_total(&holders, AKT);
    let start = s.height() + 10;
    let multiple = Decimal256::from_ratio(10u128, 1u128);
    let committed = NewPilot {
        name: "committed".into(),
        start,
        end: start + EPOCH,
        epoch_length: EPOCH,
        eligible: h100(),
        kind: PilotKind::Committed {
            rates: vec![ModelRate {
                gpu_model: "h100".into(),
                usd_per_gpu_hour: Decimal256::from_ratio(3u128, 1u128),
            }],
            decimals: 6,
        },
        volatility_buffer_bps: 0,
        return_target: None,
        admin: None,
        max_payout_multiple: multiple,
    };
    let liquidity = NewPilot {
        name: "liquidity".into(),
        kind: PilotKind::Liquidity {
            tokens_per_epoch: Uint256::from(LIQUIDITY_BUDGET),
            decimals: None,
        },
        ..committed.clone()
    };
    for (new, budget) in [(committed, COMMITTED_BUDGET), (liquidity, LIQUIDITY_BUDGET)] {
        s.exec_ok(
            "create",
            "gov",
            &pip,
            &Pip::CreatePilot(new),
            &[coin(budget, AKT)],
        )?;
    }
    let provider = s.addr("provider").to_string();
    for pilot_id in [1, 2] {
        let msg = Pip::EnrollProvider(EnrollmentRef {
            pilot_id,
            provider: provider.clone(),
        });
        s.exec_ok("enroll", "gov", &pip, &msg, &[])?;
    }

    // The attacker's lease: no funds, 10^-18 uakt per block, u32::MAX GPUs.
    let open = Escrow::OpenAccount {
        dseq: 1,
        denom: AKT.into(),
    };
    s.exec_ok("open account", "tenant2", &escrow, &open, &[])?;
    let lease = Escrow::OpenPayment {
        dseq: 1,
        provider: provider.clone(),
        rate: Decimal256::new(Uint256::one()),
        resources: Resources {
            gpu_model: "h100".into(),
            gpu_count: u32::MAX,
        },
    };
    s.exec_ok("open payment", "tenant2", &escrow, &lease, &[])?;
    // The provider settles the lease at the epoch's last height: the epoch's blocks are booked.
    s.advance_to(start + EPOCH)?;
    let withdraw = Escrow::Withdraw {
        owner: s.addr("tenant2").to_string(),
        dseq: 1,
        payment_id: 0,
    };
    s.exec_ok("withdraw", "provider", &escrow, &withdraw, &[])?;
    let work: VerifiedWorkResponse = s.q(
        &escrow,
        &EscrowQuery::VerifiedWork {
            provider: provider.clone(),
            denom: AKT.into(),
            gpu_model: "h100".into(),
            from_height: start,
            to_height: start + EPOCH,
        },
    )?;
    anyhow::ensure!(work.value.is_zero(), "nobody paid the provider: {work:?}");
    s.advance(1)?;

    let before = s.bank(&s.addr("provider"), AKT);
    for pilot_id in [1, 2] {
        let settle = Pip::SettleEpoch {
            pilot_id,
            epoch: 0,
            limit: None,
        };
        let res = s.exec_ok("settle", "keeper", &pip, &settle, &[])?;
        let settled = one::<EpochSettled>(&res)?;
        anyhow::ensure!(
            settled.provider == s.addr("provider")
                && settled.amount.is_zero()
                && settled.value.is_zero()
                && settled.value_cap.is_zero(),
            "pilot {pilot_id} paid for work nobody paid for: {settled:?}"
        );
        if pilot_id == 2 {
            // The liquidity epoch's whole allocation returns when it completes.
            let returned = one::<Returned>(&res)?;
            anyhow::ensure!(
                (returned.amount, returned.reason)
                    == (Uint256::from(LIQUIDITY_BUDGET), ReturnReason::EpochUnspent),
                "{returned:?}"
            );
        }
    }
    anyhow::ensure!(
        s.bank(&s.addr("provider"), AKT) == before,
        "the provider was paid"
    );
    let treasury = s.addr("treasury");
    let t0 = s.bank(&treasury, AKT);
    for pilot_id in [1, 2] {
        let res = s.exec_ok(
            "finalize",
            "stranger",
            &pip,
            &Pip::Finalize(PilotRef { pilot_id }),
            &[],
        )?;
        let returned = of::<Returned>(&res)?;
        let amount: Uint256 = returned.iter().map(|r| r.amount).sum();
        let expected = if pilot_id == 1 { COMMITTED_BUDGET } else { 0 };
        anyhow::ensure!(amount == Uint256::from(expected), "{returned:?}");
    }
    anyhow::ensure!(
        s.bank(&treasury, AKT) - t0 == COMMITTED_BUDGET,
        "the committed budget returns whole at finalize"
    );
    anyhow::ensure!(s.bank(&pip, AKT) == 0, "pip holds nothing");
    anyhow::ensure!(
        s.bank_total(&holders, AKT) == total,
        "every uakt accounted for"
    );
    Ok(())
}

#[test]
fn a_zero_value_lease_earns_nothing_from_either_pilot_kind() {
    let (native, wasm) = on_both_backends("2.5", &["treasury"], attack).unwrap();
    let treasury = |s: &Suite| s.bank(&s.addr("treasury"), AKT);
    assert_eq!(treasury(&native), treasury(&wasm));
}

/// Prints the pilot settlement gas runs (`cargo test -p supercloud-tests --test it griefing_pip
/// -- --ignored --nocapture`); `gas-bench` runs and checks them.
#[test]
#[ignore = "gas bench run on the compiled wasm; slow"]
fn pilot_settlement_gas() {
    let mut bench = Bench::new().unwrap();
    pilot::pilot(&mut bench).unwrap();
    for e in &bench.entries {
        println!(
            "{:<26} {:?} est_chain_gas {:>10} vm_gas {:>14} calls {:>4}",
            e.op, e.scale, e.est_chain_gas, e.vm_gas, e.calls
        );
    }
}
