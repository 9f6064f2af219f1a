//! Compiled contracts in cosmwasm-vm, behind cw-multi-test's `Contract` trait, with gas
//! accounting: the VM's own CosmWasm gas per call and an estimate of the SDK gas a wasmd chain
//! would charge (instance load, KV store costs, event costs).
//!
//! ```no_run
//! let runtime = supercloud_vm::VmRuntime::new()?;
//! let escrow = runtime.load_artifact("escrow")?; // artifacts/escrow.wasm, checked like the chain
//! // app.store_code(Box::new(escrow)) … then use the App as usual; runtime.take_gas_log() after.
//! # Ok::<(), anyhow::Error>(())
//! ```

mod artifacts;
mod bridge;
mod contract;
pub mod gas;
mod runtime;

pub use artifacts::{artifact, artifacts_dir, workspace_cache_dir};
pub use contract::VmContract;
pub use gas::{CallGas, EntryPoint, GasTotals, KvGas};
pub use runtime::VmRuntime;
