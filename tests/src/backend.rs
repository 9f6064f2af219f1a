//! The two backends a flow runs on: the contracts as native Rust, or their compiled artifacts in
//! cosmwasm-vm.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use cosmwasm_std::Empty;
use cw_multi_test::{Contract, ContractWrapper};
use supercloud_vm::{VmContract, VmRuntime};

/// Where contract code runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The contract crates linked in (`ContractWrapper`).
    Native,
    /// `artifacts/<name>.wasm`, checked and executed by cosmwasm-vm.
    Wasm,
}

/// Every contract of the suite, by artifact name, in upload order.
pub use gov_proposal::suite::CONTRACTS;

/// The process-wide VM runtime. Its module cache persists in `target/vm-cache`, so each artifact
/// is checked and compiled once, not once per test binary.
pub fn vm_runtime() -> anyhow::Result<&'static VmRuntime> {
    static RUNTIME: OnceLock<Result<VmRuntime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| VmRuntime::workspace().map_err(|e| format!("{e:#}")))
        .as_ref()
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// The loaded artifact `name` (compiled on first use).
pub fn vm_contract(name: &str) -> anyhow::Result<VmContract> {
    static LOADED: OnceLock<Mutex<BTreeMap<String, VmContract>>> = OnceLock::new();
    let loaded = LOADED.get_or_init(Default::default);
    let mut loaded = loaded
        .lock()
        .map_err(|_| anyhow::anyhow!("artifact cache poisoned"))?;
    if let Some(contract) = loaded.get(name) {
        return Ok(contract.clone());
    }
    let contract = vm_runtime()?.load_artifact(name)?;
    loaded.insert(name.to_string(), contract.clone());
    Ok(contract)
}

macro_rules! native {
    ($krate:ident) => {
        Box::new(
            ContractWrapper::new(
                $krate::contract::execute,
                $krate::contract::instantiate,
                $krate::contract::query,
            )
            .with_migrate($krate::contract::migrate),
        )
    };
}

impl Backend {
    /// The code of contract `name` on this backend.
    pub fn code(self, name: &str) -> anyhow::Result<Box<dyn Contract<Empty>>> {
        Ok(match (self, name) {
            (Backend::Wasm, _) => Box::new(vm_contract(name)?),
            (Backend::Native, "mock_pyth") => native!(mock_pyth),
            (Backend::Native, "oracle") => native!(oracle),
            (Backend::Native, "bme") => native!(bme),
            (Backend::Native, "escrow") => native!(escrow),
            (Backend::Native, "reservations") => native!(reservations),
            (Backend::Native, "pip") => native!(pip),
            (Backend::Native, other) => anyhow::bail!("unknown contract {other}"),
        })
    }
}
