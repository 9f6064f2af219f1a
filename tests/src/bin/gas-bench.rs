//! Gas benchmark of the compiled contracts: every execute message, the scaling runs, artifact
//! sizes. Prints the tables and writes `target/bench/gas.json` and `target/bench/gas.md`.
//!
//! `cargo run -p supercloud-tests --bin gas-bench` (debug is fine: gas does not depend on the
//! host build profile).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use supercloud_tests::bench::{catalogue, dust, pilot, report, scaling, Bench};

/// Largest accepted growth of a flat path's estimated chain gas from the smallest to the
/// largest scale (10,000 depositors, 5,000 reservations); measured: under 1.01.
const MAX_FLAT_RATIO: f64 = 1.10;

/// Gas one transaction may use (issue 23: every batch, at its default and its maximum limit,
/// with the worst configuration a contract accepts, must fit). Every measured operation is held
/// to it; the largest today is an account close with the maximum of 100 payments (~6.9M).
const MAX_TX_GAS: u64 = 10_000_000;

fn main() -> anyhow::Result<()> {
    let started = Instant::now();
    let mut bench = Bench::new()?;
    catalogue::run(&mut bench).context("catalogue")?;
    eprintln!("catalogue: {:.1} s", started.elapsed().as_secs_f64());
    scaling::escrow(&mut bench).context("escrow scaling")?;
    eprintln!("escrow scaling: {:.1} s", started.elapsed().as_secs_f64());
    scaling::reservations(&mut bench).context("reservations scaling")?;
    eprintln!(
        "reservations scaling: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    scaling::bme(&mut bench).context("bme scaling")?;
    dust::escrow_dust(&mut bench).context("escrow dust")?;
    pilot::pilot(&mut bench).context("pilot settlement")?;
    eprintln!("escrow dust: {:.1} s", started.elapsed().as_secs_f64());

    let entries = bench.entries;
    let mut ratios = Vec::new();
    for op in ["deposit", "withdraw"] {
        for p in scaling::PAYMENTS {
            ratios.extend(report::ratio(
                &entries,
                "escrow",
                op,
                "depositors",
                (1, 10_000),
                &[("payments", p)],
                true,
            ));
        }
        ratios.extend(report::ratio(
            &entries,
            "escrow",
            op,
            "payments",
            (1, 100),
            &[("depositors", 1)],
            false,
        ));
    }
    ratios.extend(report::ratio(
        &entries,
        "escrow",
        "close_account",
        "depositors",
        (1, 10_000),
        &[("payments", 100)],
        false,
    ));
    for op in [
        "reserve_after_last",
        "reserve_into_gap",
        "confirm",
        "cancel",
        "claim",
    ] {
        ratios.extend(report::ratio(
            &entries,
            "reservations",
            op,
            "reservations",
            (1, 5_000),
            &[],
            true,
        ));
    }
    // What one call walks must not grow with the dust in the queue (issue 23).
    for op in dust::OPS {
        ratios.extend(report::ratio(
            &entries,
            "escrow",
            op,
            "dust_entries",
            (dust::DUST[0], dust::DUST[dust::DUST.len() - 1]),
            &[],
            true,
        ));
    }
    ratios.extend(report::ratio(
        &entries,
        "bme",
        "process",
        "due_records",
        (1, 50),
        &[],
        false,
    ));
    // Flat paths are part of the design: fail loudly (this bench runs in CI) if one is not.
    let not_flat: Vec<String> = ratios
        .iter()
        .filter(|r| r.must_be_flat && r.est_chain_gas_ratio > MAX_FLAT_RATIO)
        .map(|r| {
            format!(
                "{}.{} ({}): {:.3}",
                r.contract, r.op, r.at, r.est_chain_gas_ratio
            )
        })
        .collect();
    let too_big: Vec<String> = entries
        .iter()
        .filter(|e| e.est_chain_gas > MAX_TX_GAS)
        .map(|e| format!("{}.{} {:?}: {}", e.contract, e.op, e.scale, e.est_chain_gas))
        .collect();
    let report = report::Report {
        gas_multiplier: supercloud_vm::gas::GAS_MULTIPLIER,
        instance_cost: supercloud_vm::gas::INSTANCE_COST,
        entries,
        ratios,
        sizes: report::sizes(&supercloud_vm::artifacts_dir())?,
    };
    let markdown = report::markdown(&report);
    println!("{markdown}");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&dir).with_context(|| format!("{}", dir.display()))?;
    std::fs::write(dir.join("gas.json"), serde_json::to_vec_pretty(&report)?)?;
    std::fs::write(dir.join("gas.md"), markdown)?;
    eprintln!(
        "wrote {} and gas.md in {:.1} s",
        dir.join("gas.json").display(),
        started.elapsed().as_secs_f64()
    );
    anyhow::ensure!(
        too_big.is_empty(),
        "operations above {MAX_TX_GAS} gas, a transaction's budget: {}",
        too_big.join(", ")
    );
    anyhow::ensure!(
        not_flat.is_empty(),
        "gas grows with state on paths that must be flat (> {MAX_FLAT_RATIO}x): {}",
        not_flat.join(", ")
    );
    Ok(())
}
