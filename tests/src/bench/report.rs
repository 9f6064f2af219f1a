//! The bench's outputs: `target/bench/gas.json` and `target/bench/gas.md` (gas per operation,
//! scaling ratios, artifact sizes).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use serde::Serialize;
use supercloud_vm::gas::{COMPILE_COST_PER_BYTE, GAS_MULTIPLIER, INSTANCE_COST};

use super::Entry;
use crate::backend::CONTRACTS;

/// Size of one artifact.
#[derive(Clone, Debug, Serialize)]
pub struct Size {
    pub contract: String,
    /// Cargo's output before lowering, when `artifacts/raw/` has it.
    pub raw_bytes: Option<u64>,
    pub bytes: u64,
    /// Share of wasmd's 800 KiB `MaxWasmSize`, in percent.
    pub limit_percent: f64,
    /// wasmd's compile charge on upload (3 SDK gas per byte).
    pub store_gas: u64,
}

/// How an operation's gas changes between the smallest and largest scale.
#[derive(Clone, Debug, Serialize)]
pub struct Ratio {
    pub contract: String,
    pub op: String,
    /// The parameter that varies, and its two values.
    pub parameter: String,
    pub from: u64,
    pub to: u64,
    /// The other scale parameters, held fixed (e.g. `payments=10`).
    pub at: String,
    /// `est_chain_gas(to) / est_chain_gas(from)`.
    pub est_chain_gas_ratio: f64,
    /// `vm_gas(to) / vm_gas(from)`.
    pub vm_gas_ratio: f64,
    /// Whether this path must be flat (depositors, reservations) rather than linear by design.
    pub must_be_flat: bool,
}

/// Everything the bench writes.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub gas_multiplier: u64,
    pub instance_cost: u64,
    pub entries: Vec<Entry>,
    pub ratios: Vec<Ratio>,
    pub sizes: Vec<Size>,
}

/// Sizes of the artifacts in `dir`.
pub fn sizes(dir: &Path) -> anyhow::Result<Vec<Size>> {
    CONTRACTS
        .iter()
        .map(|name| {
            let path = dir.join(format!("{name}.wasm"));
            let bytes = std::fs::metadata(&path)
                .with_context(|| format!("{}", path.display()))?
                .len();
            let raw_bytes = std::fs::metadata(dir.join("raw").join(format!("{name}.wasm")))
                .ok()
                .map(|m| m.len());
            Ok(Size {
                contract: name.to_string(),
                raw_bytes,
                bytes,
                limit_percent: bytes as f64 * 100.0 / wasm_check::MAX_WASM_SIZE as f64,
                store_gas: bytes * COMPILE_COST_PER_BYTE,
            })
        })
        .collect()
}

/// The ratio of `op` between `parameter = from` and `parameter = to`, other scale values equal
/// to `fixed`.
pub fn ratio(
    entries: &[Entry],
    contract: &str,
    op: &str,
    parameter: &str,
    (from, to): (u64, u64),
    fixed: &[(&str, u64)],
    must_be_flat: bool,
) -> Option<Ratio> {
    let find = |value: u64| {
        entries.iter().find(|e| {
            e.contract == contract
                && e.op == op
                && e.scale.get(parameter) == Some(&value)
                && fixed.iter().all(|(k, v)| e.scale.get(*k) == Some(v))
        })
    };
    let (a, b) = (find(from)?, find(to)?);
    Some(Ratio {
        contract: contract.into(),
        op: op.into(),
        parameter: parameter.into(),
        from,
        to,
        at: fixed
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" "),
        est_chain_gas_ratio: b.est_chain_gas as f64 / a.est_chain_gas.max(1) as f64,
        vm_gas_ratio: b.vm_gas as f64 / a.vm_gas.max(1) as f64,
        must_be_flat,
    })
}

fn scale_text(e: &Entry) -> String {
    e.scale
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The markdown tables.
pub fn markdown(report: &Report) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Gas (compiled wasm in cosmwasm-vm)\n\nvm_gas: CosmWasm gas inside the VM over every call \
         a message caused. est_chain_gas: per call {INSTANCE_COST} (instance load) + vm_gas / \
         {GAS_MULTIPLIER} + Cosmos KV gas (KVGasConfig) + wasmd event gas; the tx's own ante costs \
         (signature, tx bytes) are not included.\n"
    );
    let _ = writeln!(md, "## Per operation\n");
    let _ = writeln!(
        md,
        "| contract | op | scale | vm_gas | est_chain_gas | calls | kv r/w/del/next | kv_gas |\n|---|---|---|---:|---:|---:|---|---:|"
    );
    for e in &report.entries {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {}/{}/{}/{} | {} |",
            e.contract,
            e.op,
            scale_text(e),
            e.vm_gas,
            e.est_chain_gas,
            e.calls,
            e.kv_reads,
            e.kv_writes,
            e.kv_deletes,
            e.kv_iter_nexts,
            e.kv_gas
        );
    }
    let _ = writeln!(
        md,
        "\n## Scaling ratios\n\n| contract | op | parameter | from → to | at | est_chain_gas ratio | vm_gas ratio | must be flat |\n|---|---|---|---|---|---:|---:|---|"
    );
    for r in &report.ratios {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} → {} | {} | {:.3} | {:.3} | {} |",
            r.contract,
            r.op,
            r.parameter,
            r.from,
            r.to,
            r.at,
            r.est_chain_gas_ratio,
            r.vm_gas_ratio,
            if r.must_be_flat {
                "yes"
            } else {
                "no (linear by design)"
            }
        );
    }
    let _ = writeln!(
        md,
        "\n## Artifact sizes\n\n| contract | raw bytes | lowered bytes | % of 800 KiB | upload gas (3/byte) |\n|---|---:|---:|---:|---:|"
    );
    for s in &report.sizes {
        let raw = s
            .raw_bytes
            .map_or_else(|| "-".to_string(), |b| b.to_string());
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.1} | {} |",
            s.contract, raw, s.bytes, s.limit_percent, s.store_gas
        );
    }
    md
}
