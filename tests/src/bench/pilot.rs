//! Pilot settlement gas with many GPU models (issue 23).
//!
//! One `settle_epoch` call reads each provider's work once per eligible GPU model from every
//! configured source (escrow and reservations here), so what one transaction walks is
//! providers × models × sources cross-contract queries. These runs measure single calls at the
//! default limit (`limit: None`) and at the maximum limit (`MAX_LIMIT`), for a pilot with one
//! GPU model and for one with the most models pip accepts, with more approved providers than
//! the maximum limit (each with work in every eligible model, so every query, every per-model
//! event and every payout happens). Every such call must fit a 10M-gas transaction.
//!
//! Entries (contract `pip`; scale `models`, `limit`, `measured`, `paid`: the providers whose
//! work the call read and the providers it paid):
//! - `settle_committed`: the first call of a committed epoch (measures and pays each provider);
//! - `settle_liquidity_measure`: the first call of a liquidity epoch (measure pass only);
//! - `settle_liquidity_switch`: the call in which the measure pass ends and the pay pass starts;
//! - `settle_liquidity_pay`: a call of the pay pass only.

use cosmwasm_std::{coin, Decimal256, Uint256};
use escrow::msg::{ExecuteMsg as Escrow, Resources};
use pip::msg::{
    Eligibility, EnrollmentRef, EpochResultsResponse, ExecuteMsg as Pip, ModelRate, NewPilot,
    Phase, PilotKind, PilotRef, PilotResponse, QueryMsg as PipQuery,
};
use supercloud_std::MAX_LIMIT;

use super::{Bench, Entry};
use crate::suite::{Suite, AKT};

/// GPU models per pilot in the runs: one, and the most pip accepts.
pub const MODELS: [u64; 2] = [1, pip::execute::pilot::MAX_GPU_MODELS as u64];
/// Approved providers: one more than the maximum limit, so no measured call runs out of them.
pub const PROVIDERS: u64 = MAX_LIMIT as u64 + 1;
/// Blocks of the pilots (one epoch).
const LENGTH: u64 = 20;
/// Each provider's lease per model: 8 GPUs at this rate (uakt per block), enough that the value
/// cap does not bind.
const RATE: u128 = 2_000;
/// Budget of each pilot (uakt): pays every provider in full.
const BUDGET: u128 = 10_000_000_000;

fn ok<T>(r: Result<T, cosmwasm_std::StdError>, what: &str) -> anyhow::Result<T> {
    r.map_err(|e| anyhow::anyhow!("{what}: {e}"))
}

fn provider(i: u64) -> String {
    format!("bench-provider{i}")
}

fn model(i: u64) -> String {
    format!("gpu{i}")
}

/// A pilot over `(start, start + LENGTH]` with `models` eligible models; committed pays 2.50
/// USD per GPU-hour of each, liquidity 1 AKT per epoch. At most 10× what tenants paid.
fn new_pilot(start: u64, models: u64, committed: bool) -> NewPilot {
    let gpu_models: Vec<String> = (0..models).map(model).collect();
    let kind = if committed {
        PilotKind::Committed {
            rates: gpu_models
                .iter()
                .map(|m| ModelRate {
                    gpu_model: m.clone(),
                    usd_per_gpu_hour: Decimal256::from_ratio(5u128, 2u128),
                })
                .collect(),
            decimals: 6,
        }
    } else {
        PilotKind::Liquidity {
            tokens_per_epoch: Uint256::from(1_000_000u128),
            decimals: None,
        }
    };
    NewPilot {
        name: format!("bench {models} models"),
        start,
        end: start + LENGTH,
        epoch_length: LENGTH,
        eligible: Eligibility {
            gpu_models,
            min_gpu_count: None,
        },
        kind,
        volatility_buffer_bps: 0,
        return_target: None,
        admin: None,
        max_payout_multiple: Decimal256::from_ratio(10u128, 1u128),
    }
}

/// (results stored, results paid) of the pilot's epoch 0.
fn counts(s: &Suite, pilot_id: u64) -> anyhow::Result<(u64, u64)> {
    let (mut stored, mut paid) = (0u64, 0u64);
    let mut start_after = None;
    loop {
        let page: EpochResultsResponse = ok(
            s.query(
                &s.c.pip,
                &PipQuery::EpochResults {
                    pilot_id,
                    epoch: 0,
                    start_after: start_after.clone(),
                    limit: Some(MAX_LIMIT),
                },
            ),
            "epoch results",
        )?;
        let Some(last) = page.results.last() else {
            break;
        };
        start_after = Some(last.provider.to_string());
        for r in &page.results {
            stored += 1;
            paid += u64::from(r.result.paid);
        }
    }
    Ok((stored, paid))
}

fn phase(s: &Suite, pilot_id: u64) -> anyhow::Result<Option<Phase>> {
    let p: PilotResponse = ok(
        s.query(&s.c.pip, &PipQuery::Pilot(PilotRef { pilot_id })),
        "pilot",
    )?;
    Ok(p.progress.map(|p| p.phase))
}

/// Measures one `settle_epoch` call of `pilot_id`'s epoch 0 as `op`.
fn settle(
    bench: &mut Bench,
    s: &mut Suite,
    op: &str,
    models: u64,
    pilot_id: u64,
    limit: Option<u32>,
) -> anyhow::Result<Entry> {
    let committed = op == "settle_committed";
    let (stored, paid) = counts(s, pilot_id)?;
    let pip = s.c.pip.clone();
    let msg = Pip::SettleEpoch {
        pilot_id,
        epoch: 0,
        limit,
    };
    // Measured first under a provisional scale, then re-keyed once the call's work is known.
    let mut entry = bench.measure(s, "pip", op, &[], "keeper", &pip, &msg, &[])?;
    let (stored2, paid2) = counts(s, pilot_id)?;
    let measured = if committed {
        paid2 - paid
    } else {
        stored2 - stored
    };
    let scale = [
        ("models", models),
        (
            "limit",
            u64::from(limit.unwrap_or(supercloud_std::DEFAULT_LIMIT)),
        ),
        ("measured", measured),
        ("paid", paid2 - paid),
    ];
    entry.scale = scale.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    if let Some(last) = bench.entries.last_mut() {
        *last = entry.clone();
    }
    anyhow::ensure!(
        measured + paid2 - paid > 0,
        "pip.{op}: the call settled nothing ({entry:?})"
    );
    Ok(entry)
}

/// The pilot settlement runs (see the module doc).
pub fn pilot(bench: &mut Bench) -> anyhow::Result<()> {
    for models in MODELS {
        let mut s = bench.suite()?;
        let (escrow, pip) = (s.c.escrow.clone(), s.c.pip.clone());
        let tenant = s.addr("tenant").to_string();
        // Leases first: one account per provider, one 8-GPU lease per model.
        for p in 0..PROVIDERS {
            let dseq = p + 1;
            ok(
                s.exec(
                    "tenant",
                    &escrow,
                    &Escrow::OpenAccount {
                        dseq,
                        denom: AKT.into(),
                    },
                    &[coin(10_000_000, AKT)],
                ),
                "open account",
            )?;
            for m in 0..models {
                ok(
                    s.exec(
                        "tenant",
                        &escrow,
                        &Escrow::OpenPayment {
                            dseq,
                            provider: s.addr(&provider(p)).to_string(),
                            rate: Decimal256::from_ratio(RATE, 1u128),
                            resources: Resources {
                                gpu_model: model(m),
                                gpu_count: 8,
                            },
                        },
                        &[],
                    ),
                    "open payment",
                )?;
            }
        }
        // Six pilots from this height, ids 1..=6: committed (1, 2) and liquidity (3..=6), for
        // calls at the default and at the max limit.
        let start = s.height();
        let kinds = [true, true, false, false, false, false];
        for committed in kinds {
            ok(
                s.exec(
                    "gov",
                    &pip,
                    &Pip::CreatePilot(new_pilot(start, models, committed)),
                    &[coin(BUDGET, AKT)],
                ),
                "create pilot",
            )?;
        }
        for pilot_id in 1..=kinds.len() as u64 {
            for p in 0..PROVIDERS {
                ok(
                    s.exec(
                        "gov",
                        &pip,
                        &Pip::EnrollProvider(EnrollmentRef {
                            pilot_id,
                            provider: s.addr(&provider(p)).to_string(),
                        }),
                        &[],
                    ),
                    "enroll",
                )?;
            }
        }
        // Work is booked when an account settles: each provider withdraws at the epoch's end.
        s.advance_to(start + LENGTH)?;
        for p in 0..PROVIDERS {
            ok(
                s.exec(
                    &provider(p),
                    &escrow,
                    &Escrow::Withdraw {
                        owner: tenant.clone(),
                        dseq: p + 1,
                        payment_id: 0,
                    },
                    &[],
                ),
                "withdraw",
            )?;
        }
        s.advance(1)?;
        bench.discard_log();

        let max = Some(MAX_LIMIT);
        settle(bench, &mut s, "settle_committed", models, 1, None)?;
        settle(bench, &mut s, "settle_committed", models, 2, max)?;
        settle(bench, &mut s, "settle_liquidity_measure", models, 3, None)?;
        settle(bench, &mut s, "settle_liquidity_measure", models, 4, max)?;
        // Pilot 4 on at the max limit: keep the call in which the measure pass ends.
        for _ in 0..PROVIDERS {
            settle(bench, &mut s, "settle_liquidity_switch", models, 4, max)?;
            if phase(&s, 4)? != Some(Phase::Measure) {
                break;
            }
            bench.entries.pop();
        }
        // Pilots 5 and 6: the measure pass one provider per call (a call that measures the last
        // provider uses up its limit and stops at the start of the pay pass), then one pay call.
        for (pilot_id, limit) in [(5, None), (6, max)] {
            for _ in 0..PROVIDERS {
                ok(
                    s.exec(
                        "keeper",
                        &pip,
                        &Pip::SettleEpoch {
                            pilot_id,
                            epoch: 0,
                            limit: Some(1),
                        },
                        &[],
                    ),
                    "settle",
                )?;
            }
            anyhow::ensure!(
                phase(&s, pilot_id)? == Some(Phase::Pay),
                "pilot {pilot_id} did not reach its pay pass"
            );
            bench.discard_log();
            settle(
                bench,
                &mut s,
                "settle_liquidity_pay",
                models,
                pilot_id,
                limit,
            )?;
        }
    }
    Ok(())
}
