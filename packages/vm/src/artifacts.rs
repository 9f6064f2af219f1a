//! Where the built artifacts live (`scripts/build-wasm.sh` writes them).

use std::path::PathBuf;

use anyhow::Context;

/// `<workspace>/artifacts`, or `$SUPERCLOUD_ARTIFACTS` when set.
pub fn artifacts_dir() -> PathBuf {
    match std::env::var_os("SUPERCLOUD_ARTIFACTS") {
        Some(dir) => PathBuf::from(dir),
        // This crate sits at <workspace>/packages/vm.
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../artifacts"),
    }
}

/// `<workspace>/target/vm-cache`: the compiled-module cache tests, benches and the devnet's
/// tests share (see [`crate::VmRuntime::workspace`]).
pub fn workspace_cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/vm-cache")
}

/// The bytes of `artifacts/<name>.wasm` (names as built: escrow, oracle, bme, pip,
/// reservations, mock_pyth).
pub fn artifact(name: &str) -> anyhow::Result<Vec<u8>> {
    let path = artifacts_dir().join(format!("{name}.wasm"));
    std::fs::read(&path).with_context(|| {
        format!(
            "reading {} (build the artifacts first: scripts/build-wasm.sh)",
            path.display()
        )
    })
}
