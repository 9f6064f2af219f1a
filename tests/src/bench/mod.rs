//! Gas benchmark: VM gas and estimated chain gas of contract operations on the compiled wasm.
//!
//! [`Bench::measure`] executes one message on a wasm [`Suite`] and sums every VM call it caused
//! (nested queries and sub-messages included) into an [`Entry`]. The `gas-bench` binary runs the
//! catalogue (every execute message of every contract) and the scaling runs, then writes
//! `target/bench/gas.json` and `target/bench/gas.md`.

pub mod catalogue;
pub mod dust;
pub mod pilot;
pub mod report;
pub mod scaling;

use std::collections::BTreeMap;

use cosmwasm_std::{Addr, Coin};
use serde::Serialize;
use supercloud_vm::{GasTotals, VmRuntime};

use crate::backend::{vm_runtime, Backend};
use crate::suite::Suite;

/// One measured operation.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Entry {
    pub contract: String,
    pub op: String,
    /// Scale parameters of the run (e.g. `depositors`, `payments`); empty for the catalogue.
    pub scale: BTreeMap<String, u64>,
    /// CosmWasm gas spent in the VM over every call the message caused.
    pub vm_gas: u64,
    /// Estimated SDK gas: per call instance load + VM gas / 140,000 + KV + events.
    pub est_chain_gas: u64,
    /// VM calls the message caused (the call itself, queries, sub-messages).
    pub calls: u64,
    pub kv_reads: u64,
    pub kv_writes: u64,
    pub kv_deletes: u64,
    pub kv_iter_nexts: u64,
    /// SDK gas of the KV operations alone.
    pub kv_gas: u64,
    pub event_gas: u64,
}

/// Measures operations on a wasm suite.
pub struct Bench {
    runtime: &'static VmRuntime,
    pub entries: Vec<Entry>,
}

impl Bench {
    /// A bench over the process-wide VM runtime.
    pub fn new() -> anyhow::Result<Self> {
        Ok(Bench {
            runtime: vm_runtime()?,
            entries: Vec::new(),
        })
    }

    /// A fresh wasm suite at 2.50 USD/AKT.
    pub fn suite(&self) -> anyhow::Result<Suite> {
        Suite::new(Backend::Wasm, "2.5")
    }

    /// Executes `msg` on `contract` as `sender` and records its gas as `contract`/`op` at `scale`.
    /// A failing message is an error: the bench measures successful paths only.
    #[allow(clippy::too_many_arguments)]
    pub fn measure<M: Serialize + std::fmt::Debug>(
        &mut self,
        suite: &mut Suite,
        contract_name: &str,
        op: &str,
        scale: &[(&str, u64)],
        sender: &str,
        contract: &Addr,
        msg: &M,
        funds: &[Coin],
    ) -> anyhow::Result<Entry> {
        let _ = self.runtime.take_gas_log();
        suite
            .exec(sender, contract, msg, funds)
            .map_err(|e| anyhow::anyhow!("{contract_name}.{op}: {e}"))?;
        let totals = GasTotals::of(&self.runtime.take_gas_log());
        let entry = Entry {
            contract: contract_name.to_string(),
            op: op.to_string(),
            scale: scale.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            vm_gas: totals.vm_gas,
            est_chain_gas: totals.sdk_gas,
            calls: totals.calls,
            kv_reads: totals.kv.reads,
            kv_writes: totals.kv.writes,
            kv_deletes: totals.kv.deletes,
            kv_iter_nexts: totals.kv.iter_nexts,
            kv_gas: totals.kv.sdk_gas,
            event_gas: totals.event_gas,
        };
        self.entries.push(entry.clone());
        Ok(entry)
    }

    /// Drops the gas log of setup work (call before measuring after a long setup).
    pub fn discard_log(&self) {
        let _ = self.runtime.take_gas_log();
    }
}
