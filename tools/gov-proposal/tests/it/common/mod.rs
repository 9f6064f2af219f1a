//! Shared fixtures: addresses, a suite config, and fake artifact directories.

use std::path::Path;

use gov_proposal::address;
use gov_proposal::suite::{CodeRef, SuiteConfig};
use sha2::{Digest, Sha256};

pub const PREFIX: &str = "akash";
/// The gov module account on Akash, as on chain (also found as the admin of Akash's Pyth contract).
pub const AKASH_GOV: &str = "akash10d07y265gmmuvt4z0w9aw880jnsr700jhe7z0f";

/// A 20-byte account address filled with `byte`.
pub fn account(byte: u8) -> String {
    address::encode(PREFIX, &[byte; 20]).unwrap()
}

pub fn cfg() -> SuiteConfig {
    SuiteConfig {
        chain_prefix: PREFIX.into(),
        authority: AKASH_GOV.into(),
        native_denom: "uakt".into(),
        relayer: account(1),
        treasury: account(2),
        pyth: None,
        salt_tag: "supercloud-test".into(),
    }
}

pub fn checksum_of(name: &str) -> [u8; 32] {
    Sha256::digest(fake_wasm(name, 64)).into()
}

/// Codes of the governance set (ids 1..=5) and, when `mock`, mock_pyth (id 6).
pub fn codes(mock: bool) -> Vec<CodeRef> {
    let mut names = vec!["bme", "escrow", "oracle", "pip", "reservations"];
    if mock {
        names.push("mock_pyth");
    }
    names
        .into_iter()
        .enumerate()
        .map(|(i, n)| CodeRef {
            name: n.into(),
            code_id: i as u64 + 1,
            checksum: checksum_of(n),
        })
        .collect()
}

/// A wasm-looking blob: the module header, then `name`, padded with zeros to `len` bytes.
pub fn fake_wasm(name: &str, len: usize) -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend_from_slice(name.as_bytes());
    bytes.resize(len.max(bytes.len()), 0);
    bytes
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Writes `<name>.wasm` for each (name, bytes) and a sha256sum-format list `list` of them.
pub fn write_artifacts(dir: &Path, list: &str, files: &[(&str, Vec<u8>)]) {
    let mut text = String::new();
    for (name, bytes) in files {
        std::fs::write(dir.join(format!("{name}.wasm")), bytes).unwrap();
        text.push_str(&format!("{}  {name}.wasm\n", sha256_hex(bytes)));
    }
    std::fs::write(dir.join(list), text).unwrap();
}

/// A temp artifacts dir with the five governance blobs and the mock_pyth test blob.
pub fn artifacts_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let gov: Vec<(&str, Vec<u8>)> = ["bme", "escrow", "oracle", "pip", "reservations"]
        .into_iter()
        .map(|n| (n, fake_wasm(n, 4096)))
        .collect();
    write_artifacts(dir.path(), "checksums.txt", &gov);
    write_artifacts(
        dir.path(),
        "checksums-test.txt",
        &[("mock_pyth", fake_wasm("mock_pyth", 2048))],
    );
    dir
}
