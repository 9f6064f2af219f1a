//! The wasm backend really executes the artifacts in cosmwasm-vm, with the chain's checks.
//!
//! Its own test binary, not a module of `tests/it`: it reads the process-wide VM runtime's gas
//! log, which the flows running beside it in one process would fill with their own calls.

use supercloud_tests::backend::{vm_runtime, CONTRACTS};
use supercloud_tests::{Backend, Suite};
use supercloud_vm::{EntryPoint, GasTotals};

#[test]
fn every_contract_of_the_wasm_suite_runs_in_the_vm() {
    let runtime = vm_runtime().unwrap();
    let _ = runtime.take_gas_log();
    let suite = Suite::new(Backend::Wasm, "2.5").unwrap();
    let _ = suite.act(&suite.addr("tenant"));
    let log = runtime.take_gas_log();
    for name in CONTRACTS {
        let instantiated = log
            .iter()
            .any(|c| c.contract == name && c.entry_point == EntryPoint::Instantiate && c.ok);
        assert!(instantiated, "{name} was not instantiated in the VM");
    }
    assert!(log
        .iter()
        .any(|c| c.contract == "bme" && c.entry_point == EntryPoint::Query));
    let totals = GasTotals::of(&log);
    assert!(totals.vm_gas > 0 && totals.kv.writes > 0 && totals.kv.reads > 0);
    // Every call is charged at least the instance load.
    assert!(totals.sdk_gas >= totals.calls * supercloud_vm::gas::INSTANCE_COST);
}

#[test]
fn native_code_is_linked_and_wasm_code_is_the_artifact() {
    // Native code has no checksum (a ContractWrapper); wasm code reports the artifact's sha256,
    // which is also what cw-multi-test's instantiate2 addresses derive from, as on wasmd.
    assert!(Backend::Native.code("escrow").unwrap().checksum().is_none());
    let wasm = Backend::Wasm.code("escrow").unwrap();
    assert_eq!(
        wasm.checksum().map(|c| c.to_hex()),
        Some(wasm_checksum("escrow"))
    );
}

fn wasm_checksum(name: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(supercloud_vm::artifact(name).unwrap()))
}
