//! pip: a committed pilot with a provider that asked and was approved, one enrolled directly, a
//! request withdrawn and one rejected; the provider leases through escrow, the single epoch
//! settles (reading escrow, reservations and the oracle) and the pilot is finalized; a second
//! pilot is cancelled; governance.

use cosmwasm_std::{coin, Decimal256};
use escrow::msg::Resources;
use pip::msg::{
    ConfigUpdate, Eligibility, EnrollmentRef, ExecuteMsg, ModelRate, NewPilot, PilotKind, PilotRef,
};

use super::{governance, measure};
use crate::bench::Bench;
use crate::suite::AKT;

/// Blocks of the pilot (one epoch).
const LENGTH: u64 = 20;

/// A committed pilot over `(start, start + LENGTH]` paying 2.50 USD per H100-hour, at most 10×
/// what a provider's tenants paid it.
fn pilot(start: u64) -> NewPilot {
    NewPilot {
        name: "catalogue".into(),
        start,
        end: start + LENGTH,
        epoch_length: LENGTH,
        eligible: Eligibility {
            gpu_models: vec!["h100".into()],
            min_gpu_count: None,
        },
        kind: PilotKind::Committed {
            rates: vec![ModelRate {
                gpu_model: "h100".into(),
                usd_per_gpu_hour: Decimal256::from_ratio(5u128, 2u128),
            }],
            decimals: 6,
        },
        volatility_buffer_bps: 1_000,
        return_target: None,
        admin: None,
        max_payout_multiple: Decimal256::from_ratio(10u128, 1u128),
    }
}

pub(super) fn run(bench: &mut Bench) -> anyhow::Result<()> {
    let mut s = bench.suite()?;
    let (escrow, pip) = (s.c.escrow.clone(), s.c.pip.clone());
    let budget = [coin(100_000_000, AKT)];
    let h0 = s.height();
    // Pilot ids start at 1.
    measure(
        bench,
        &mut s,
        "pip",
        "gov",
        &ExecuteMsg::CreatePilot(pilot(h0)),
        &budget,
    )?;
    measure(
        bench,
        &mut s,
        "pip",
        "provider",
        &ExecuteMsg::Enroll(PilotRef { pilot_id: 1 }),
        &[],
    )?;
    let provider = s.addr("provider").to_string();
    measure(
        bench,
        &mut s,
        "pip",
        "gov",
        &ExecuteMsg::Approve(EnrollmentRef {
            pilot_id: 1,
            provider: provider.clone(),
        }),
        &[],
    )?;
    let provider2 = s.addr("provider2").to_string();
    measure(
        bench,
        &mut s,
        "pip",
        "gov",
        &ExecuteMsg::EnrollProvider(EnrollmentRef {
            pilot_id: 1,
            provider: provider2,
        }),
        &[],
    )?;
    let enroll = ExecuteMsg::Enroll(PilotRef { pilot_id: 1 });
    s.exec_ok("keeper enrolls", "keeper", &pip, &enroll, &[])?;
    measure(
        bench,
        &mut s,
        "pip",
        "keeper",
        &ExecuteMsg::WithdrawEnrollment(PilotRef { pilot_id: 1 }),
        &[],
    )?;
    s.exec_ok("stranger enrolls", "stranger", &pip, &enroll, &[])?;
    let stranger = s.addr("stranger").to_string();
    measure(
        bench,
        &mut s,
        "pip",
        "gov",
        &ExecuteMsg::RemoveProvider(EnrollmentRef {
            pilot_id: 1,
            provider: stranger,
        }),
        &[],
    )?;

    // The provider's verified work: an escrow lease, withdrawn inside the epoch. It pays enough
    // (20,000 uakt for 8 H100 over 10 blocks, 0.13 AKT due) that the value cap does not bind.
    let tenant = s.addr("tenant").to_string();
    s.exec_ok(
        "open account",
        "tenant",
        &escrow,
        &escrow::msg::ExecuteMsg::OpenAccount {
            dseq: 1,
            denom: AKT.into(),
        },
        &[coin(10_000_000, AKT)],
    )?;
    s.exec_ok(
        "open payment",
        "tenant",
        &escrow,
        &escrow::msg::ExecuteMsg::OpenPayment {
            dseq: 1,
            provider,
            rate: Decimal256::from_ratio(2_000u128, 1u128),
            resources: Resources {
                gpu_model: "h100".into(),
                gpu_count: 8,
            },
        },
        &[],
    )?;
    s.advance(10)?;
    s.exec_ok(
        "withdraw",
        "provider",
        &escrow,
        &escrow::msg::ExecuteMsg::Withdraw {
            owner: tenant,
            dseq: 1,
            payment_id: 0,
        },
        &[],
    )?;

    // The epoch ends at h0 + LENGTH; it settles from the next height on.
    s.advance_to(h0 + LENGTH + 1)?;
    measure(
        bench,
        &mut s,
        "pip",
        "keeper",
        &ExecuteMsg::SettleEpoch {
            pilot_id: 1,
            epoch: 0,
            limit: None,
        },
        &[],
    )?;
    // A paying settlement: the provider's lease earned it a payout.
    let payouts: pip::msg::PayoutsResponse = s
        .query(
            &pip,
            &pip::msg::QueryMsg::PayoutsByProvider {
                provider: s.addr("provider").to_string(),
                start_after: None,
                limit: None,
            },
        )
        .map_err(|e| anyhow::anyhow!("payouts: {e}"))?;
    anyhow::ensure!(!payouts.payouts.is_empty(), "settle_epoch paid nothing");
    measure(
        bench,
        &mut s,
        "pip",
        "keeper",
        &ExecuteMsg::Finalize(PilotRef { pilot_id: 1 }),
        &[],
    )?;

    let h = s.height();
    s.exec_ok(
        "create pilot 2",
        "gov",
        &pip,
        &ExecuteMsg::CreatePilot(pilot(h)),
        &budget,
    )?;
    measure(
        bench,
        &mut s,
        "pip",
        "gov",
        &ExecuteMsg::Cancel(PilotRef { pilot_id: 2 }),
        &[],
    )?;
    measure(
        bench,
        &mut s,
        "pip",
        "gov",
        &ExecuteMsg::UpdateConfig(ConfigUpdate {
            settle_grace_blocks: Some(60),
            ..Default::default()
        }),
        &[],
    )?;
    governance(
        bench,
        &mut s,
        "pip",
        |paused| ExecuteMsg::SetPaused { paused },
        ExecuteMsg::Authority,
    )
}
