//! The CosmJS clients in `devnet/js` (versions pinned in its package-lock.json), installed once
//! per test process: the two CosmJS tests run concurrently and two `npm ci` in one directory
//! would trample each other's node_modules.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// `devnet/js`: the CosmJS scripts and their package files.
pub fn js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("js")
}

/// Checks node >= 20 and runs `npm ci` in `devnet/js` when node_modules is missing; once.
pub fn ensure_node_modules() {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    if let Err(e) = READY.get_or_init(install) {
        panic!("{e}");
    }
}

fn install() -> Result<(), String> {
    let version = match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        other => {
            return Err(format!(
                "node >= 20 is required for the CosmJS checks: {other:?}"
            ))
        }
    };
    if version.starts_with("v1") {
        return Err(format!("node >= 20 required, found {version}"));
    }
    // Every package devnet/js/package.json names (a missing one means `npm ci`).
    let installed = [
        "@cosmjs/tendermint-rpc",
        "@cosmjs/cosmwasm",
        "@cosmjs/proto-signing",
        "@cosmjs/stargate",
        "cosmjs-types",
    ]
    .iter()
    .all(|p| js_dir().join("node_modules").join(p).is_dir());
    if installed {
        return Ok(());
    }
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(js_dir())
        .output()
        .map_err(|e| format!("npm is required for the CosmJS checks: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "npm ci failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}
